/* Shared test scaffolding: every tests/test-<area>.c defines one Check
 * suite and ends with DT_TEST_MAIN(<area>_suite). */
#ifndef DT_TESTUTIL_H
#define DT_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drtopo/drtopo.h>

#define DT_TEST_MAIN(suite_fn)                               \
	int main(void)                                       \
	{                                                    \
		SRunner *sr = srunner_create(suite_fn());    \
		srunner_run_all(sr, CK_NORMAL);              \
		int failed = srunner_ntests_failed(sr);      \
		srunner_free(sr);                            \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS; \
	}

/* Assert a libdrtopo call returned DRTOPO_OK, printing the model's
 * message otherwise. */
#define ck_ok(model, expr)                                                  \
	do {                                                                \
		int rc_ = (expr);                                           \
		ck_assert_msg(rc_ == DRTOPO_OK, "%s -> %d (%s): %s", #expr, \
			      rc_, drtopo_strerror(rc_),                    \
			      drtopo_model_errmsg(model));                  \
	} while (0)

/* Path of a file under tests/data (DT_TEST_DATA is set by meson). */
static inline const char *dt_test_data(const char *rel)
{
	static char buf[4096];
	const char *root = getenv("DT_TEST_DATA");
	snprintf(buf, sizeof(buf), "%s/%s", root ? root : "tests/data", rel);
	return buf;
}

/* Read a whole file; caller frees. NULL if unreadable. */
static inline char *dt_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p) {
		p[n] = '\0';
		if (len)
			*len = (size_t)n;
	}
	return p;
}

#endif
