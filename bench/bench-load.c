/*
 * bench-load: time the phases of what `drtopo check`/`plan` does with one
 * input (load, resolve, JSON report, free) and print the peak RSS, for
 * the harness (bench/run.py) to show where the time goes.
 *
 *   bench-load INPUT [ROUNDS]
 *
 * INPUT is anything drtopo_model_load() accepts (document, cloud
 * assembly, template). Prints one line per phase, "phase seconds", taking
 * the fastest of ROUNDS (default 1) rounds. For a file it also times, for
 * comparison, jansson alone (json_loadb() with the library's flags, then
 * json_decref()) and drtopo_model_load_document() without the kind
 * detection of drtopo_model_load().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <drtopo/drtopo.h>
#include <jansson.h>
#include <sys/stat.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long status_kib(const char *key)
{
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0)
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-load INPUT [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 1;
	double best[4] = {1e30, 1e30, 1e30, 1e30};
	size_t len = 0, nstacks = 0, nres = 0, nedges = 0;
	long rss_model = 0;
	for (int k = 0; k < (rounds > 0 ? rounds : 1); k++) {
		drtopo_model *m = NULL;
		drtopo_result *r = NULL;
		char *json = NULL;
		if (drtopo_model_new(&m) != DRTOPO_OK)
			return 3;
		double t0 = now();
		if (drtopo_model_load(m, argv[1], NULL, NULL) != DRTOPO_OK) {
			fprintf(stderr, "bench-load: %s\n",
				drtopo_model_errmsg(m));
			return 2;
		}
		double t1 = now();
		if (k == 0)
			rss_model = status_kib("VmRSS:");
		if (drtopo_model_resolve(m, &r) != DRTOPO_OK) {
			fprintf(stderr, "bench-load: %s\n",
				drtopo_model_errmsg(m));
			return 3;
		}
		double t2 = now();
		if (drtopo_result_to_json(r, &json, &len) != DRTOPO_OK)
			return 3;
		double t3 = now();
		nstacks = drtopo_model_stack_count(m);
		nres = drtopo_model_resource_count(m);
		nedges = drtopo_result_edge_count(r);
		drtopo_free(json);
		drtopo_result_free(r);
		drtopo_model_free(m);
		double t4 = now();
		double t[4] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
		for (int i = 0; i < 4; i++)
			if (t[i] < best[i])
				best[i] = t[i];
	}
	/* jansson alone, and the document loader without detection */
	struct stat st;
	double jparse = 0, jfree = 0, ldoc = 0;
	if (stat(argv[1], &st) == 0 && S_ISREG(st.st_mode)) {
		FILE *f = fopen(argv[1], "rb");
		char *text = malloc((size_t)st.st_size + 1);
		if (!f || !text ||
		    fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
			return 3;
		fclose(f);
		double t0 = now();
		json_error_t err;
		json_t *root = json_loadb(
			text, (size_t)st.st_size,
			JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
		double t1 = now();
		json_decref(root);
		double t2 = now();
		free(text);
		jparse = t1 - t0;
		jfree = t2 - t1;
		drtopo_model *m = NULL;
		if (drtopo_model_new(&m) != DRTOPO_OK)
			return 3;
		t0 = now();
		int rc = drtopo_model_load_document(m, argv[1]);
		ldoc = now() - t0;
		if (rc != DRTOPO_OK)
			ldoc = 0; /* not a document */
		drtopo_model_free(m);
	}
	printf("stacks %zu\nresources %zu\nedges %zu\n", nstacks, nres, nedges);
	printf("jansson_parse %.3f\njansson_free %.3f\nload_document %.3f\n",
	       jparse, jfree, ldoc);
	printf("load %.3f\nresolve %.3f\njson %.3f\nfree %.3f\n", best[0],
	       best[1], best[2], best[3]);
	printf("report_bytes %zu\n", len);
	printf("rss_model_kib %ld\npeak_rss_kib %ld\n", rss_model,
	       status_kib("VmHWM:"));
	return 0;
}
