/*
 * check-document: load topology documents, cloud assemblies or templates,
 * print one line per finding and exit 1 when there is an error.
 * Uses only <drtopo/drtopo.h>.
 *
 *   cc check-document.c $(pkg-config --cflags --libs drtopo) -o check-document
 *   ./check-document examples/seed-dr/ideal-response.json
 */
#include <stdio.h>
#include <stdlib.h>

#include <drtopo/drtopo.h>

int main(int argc, char **argv)
{
	drtopo_model *m = NULL;
	drtopo_result *r = NULL;
	size_t i, errors;
	int k, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s INPUT...\n", argv[0]);
		return 2;
	}
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 3;
	for (k = 1; k < argc; k++) {
		rc = drtopo_model_load(m, argv[k], NULL, NULL);
		if (rc != DRTOPO_OK) {
			/* The message names file:line:column. */
			fprintf(stderr, "%s\n", drtopo_model_errmsg(m));
			drtopo_model_free(m);
			return 2;
		}
	}
	if (drtopo_model_resolve(m, &r) != DRTOPO_OK) {
		fprintf(stderr, "%s\n", drtopo_model_errmsg(m));
		drtopo_model_free(m);
		return 3;
	}
	for (i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		const char *file = drtopo_diagnostic_source_file(d);
		printf("%s: %s %s: %s\n", file ? file : "-",
		       drtopo_severity_name(drtopo_diagnostic_severity(d)),
		       drtopo_diagnostic_code(d), drtopo_diagnostic_message(d));
	}
	errors = drtopo_result_count(r, DRTOPO_SEVERITY_ERROR);
	drtopo_result_free(r);
	drtopo_model_free(m);
	return errors ? 1 : 0;
}
