/* fuzz-template: a CloudFormation template (drtopo_model_load_template,
 * which reads a path: the input goes to a temporary file), then resolve
 * and every serializer. */
#include <unistd.h>

#include "fuzz-common.h"

static char path[4096];
static int fd = -1;

static int open_tmp(void)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/drtopo-fuzz-template-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	/* gone when the process ends; the name stays usable meanwhile */
	return 0;
}

static void cleanup(void)
{
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		if (open_tmp())
			return 0;
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;

	drtopo_model *m = NULL;
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 0;
	drtopo_model_set_limit(m, DRTOPO_LIMIT_DEPTH, 64);
	int rc = drtopo_model_load_template(m, path, "Fuzz", "123456789012",
					    "us-east-1");
	FUZZ_CHECK(rc <= 0);
	/* a second template of the same stack id must be refused cleanly */
	if (rc == DRTOPO_OK)
		FUZZ_CHECK(drtopo_model_load_template(m, path, "Fuzz", NULL,
						      NULL) != DRTOPO_OK);
	fuzz_resolve_and_serialize(m);
	if (rc == DRTOPO_OK)
		fuzz_round_trip(m);
	drtopo_model_free(m);
	return 0;
}
