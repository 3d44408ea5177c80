/*
 * bench-api: build a synthetic model through the public API, resolve it
 * and serialize the report; print the time of each phase and the memory
 * per resource and per reference.
 *
 *   bench-api [STACKS] [RESOURCES] [REFERENCES] [REGIONS] [SEED]
 *
 * Defaults: 200,000 stacks, 1,000,000 resources, 3,000,000 references
 * over 10 regions, seed 1. References go from a stack to a lower-numbered
 * stack of the same regional band of 64 stacks (so the graph is acyclic
 * and references stay in one region, as strong references must). Uses
 * only <drtopo/drtopo.h>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <drtopo/drtopo.h>

static unsigned long long rng_state;

static unsigned long rnd(void)
{
	/* xorshift64*: deterministic across platforms for a given seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned long)((rng_state * 2685821657736338717ull) >> 33);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size now, and its peak (VmHWM), in KiB. */
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

static void die(drtopo_model *m, const char *what)
{
	fprintf(stderr, "bench-api: %s: %s\n", what, drtopo_model_errmsg(m));
	exit(3);
}

int main(int argc, char **argv)
{
	unsigned long nstacks = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	unsigned long nres = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	unsigned long nrefs = argc > 3 ? strtoul(argv[3], NULL, 10) : 3000000;
	unsigned long nreg = argc > 4 ? strtoul(argv[4], NULL, 10) : 10;
	rng_state = argc > 5 ? strtoull(argv[5], NULL, 10) : 1;
	if (!rng_state)
		rng_state = 1;
	if (nstacks < 1 || nres < nstacks || nreg < 1) {
		fprintf(stderr, "bench-api: need STACKS >= 1, RESOURCES >= "
				"STACKS, REGIONS >= 1\n");
		return 2;
	}

	drtopo_model *m = NULL;
	drtopo_stack **stacks = malloc(nstacks * sizeof(*stacks));
	drtopo_resource **res = malloc(nres * sizeof(*res));
	if (!stacks || !res || drtopo_model_new(&m) != DRTOPO_OK)
		return 3;
	long rss0 = status_kib("VmRSS:");
	double t0 = now();
	char id[64], reg[32];
	for (unsigned long s = 0; s < nstacks; s++) {
		snprintf(id, sizeof(id), "Stack%06lu", s);
		/* Stacks come in regional bands so neighbours share a region.
		 */
		snprintf(reg, sizeof(reg), "region-%lu", (s / 64) % nreg);
		if (drtopo_model_add_stack(m, id, "111111111111", reg,
					   &stacks[s]) != DRTOPO_OK)
			die(m, "add_stack");
	}
	for (unsigned long r = 0; r < nres; r++) {
		unsigned long s = r % nstacks;
		snprintf(id, sizeof(id), "Res%lu", r / nstacks);
		if (drtopo_stack_add_resource(stacks[s], id, "AWS::SNS::Topic",
					      NULL, &res[r]) != DRTOPO_OK)
			die(m, "add_resource");
	}
	for (unsigned long k = 0; k < nrefs; k++) {
		unsigned long c = rnd() % nres;
		unsigned long cs = c % nstacks;
		if (cs == 0)
			continue;
		/* A producer stack below the consumer in its own regional
		 * band (a strong reference stays in one region), mostly a
		 * near neighbour. */
		unsigned long in_band = cs % 64;
		if (in_band == 0)
			continue;
		unsigned long back = 1 + rnd() % in_band;
		unsigned long ps = cs - back;
		unsigned long p = ps + nstacks * (rnd() % (nres / nstacks));
		if (drtopo_resource_add_reference(res[c], res[p], "Arn") !=
		    DRTOPO_OK)
			die(m, "add_reference");
	}
	double t1 = now();
	long rss1 = status_kib("VmRSS:");

	drtopo_result *result = NULL;
	if (drtopo_model_resolve(m, &result) != DRTOPO_OK)
		die(m, "resolve");
	double t2 = now();
	char *json = NULL;
	size_t len = 0;
	if (drtopo_result_to_json(result, &json, &len) != DRTOPO_OK)
		die(m, "to_json");
	double t3 = now();

	printf("model: %lu stacks, %lu resources, %lu references, %lu "
	       "regions\n",
	       nstacks, nres, nrefs, nreg);
	printf("edges: %lu distinct, waves: %lu, findings: %lu\n",
	       (unsigned long)drtopo_result_edge_count(result),
	       (unsigned long)drtopo_result_wave_count(result),
	       (unsigned long)drtopo_result_diagnostic_count(result));
	printf("build   %8.3f s\n", t1 - t0);
	printf("resolve %8.3f s\n", t2 - t1);
	printf("json    %8.3f s (%lu bytes)\n", t3 - t2, (unsigned long)len);
	printf("model memory: %.1f MiB = %.0f B/resource with %.0f "
	       "B/reference\n",
	       (double)(rss1 - rss0) / 1024.0,
	       (double)(rss1 - rss0) * 1024.0 / (double)nres,
	       (double)(rss1 - rss0) * 1024.0 / (double)(nres + nrefs));
	printf("peak RSS: %.1f MiB\n", (double)status_kib("VmHWM:") / 1024.0);
	drtopo_free(json);
	drtopo_result_free(result);
	drtopo_model_free(m);
	free(stacks);
	free(res);
	return 0;
}
