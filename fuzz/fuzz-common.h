/* Shared helpers of the fuzz targets (fuzz/README in HACKING.md,
 * "Robustness"). Every target is a libFuzzer entry point; replay.c turns
 * one into a plain program that runs files and directories of inputs, so
 * the committed corpus and the crash regressions run in every build. */
#ifndef DT_FUZZ_COMMON_H
#define DT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drtopo/drtopo.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the library promises did not hold: crash loudly so that
 * libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                 \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/* A drtopo_write_fn that gathers the pieces. */
typedef struct fuzz_sink {
	char *p;
	size_t len;
} fuzz_sink;

static int fuzz_gather(void *ctx, const char *data, size_t len)
{
	fuzz_sink *s = ctx;
	char *p = realloc(s->p, s->len + len + 1);
	FUZZ_CHECK(p != NULL);
	memcpy(p + s->len, data, len);
	s->p = p;
	s->len += len;
	return 0;
}

/* The streamed report is the report: the same bytes as text[0..len). */
static inline void fuzz_same_stream(int rc, const fuzz_sink *s,
				    const char *text, size_t len)
{
	FUZZ_CHECK(rc == DRTOPO_OK);
	FUZZ_CHECK(s->len == len && (len == 0 || memcmp(s->p, text, len) == 0));
	free(s->p);
}

/* Resolve the model and run every serializer; every call must succeed or
 * fail with a status (never crash), serializing twice must give the same
 * bytes, and a streamed JSON report the bytes of the one in memory. */
static inline void fuzz_resolve_and_serialize(drtopo_model *m)
{
	drtopo_result *r = NULL;
	int rc = drtopo_model_resolve(m, &r);
	FUZZ_CHECK(rc == DRTOPO_OK || rc == DRTOPO_ENOMEM);
	if (rc)
		return;
	for (int k = 0; k < 7; k++) {
		char *a = NULL, *b = NULL;
		size_t na = 0, nb = 0;
		int ra, rb;
		switch (k) {
		case 0:
			ra = drtopo_result_to_json(r, &a, &na);
			rb = drtopo_result_to_json(r, &b, &nb);
			break;
		case 1:
			ra = drtopo_result_to_sarif(r, &a, &na);
			rb = drtopo_result_to_sarif(r, &b, &nb);
			break;
		case 2:
			ra = drtopo_result_to_dot(r, &a, &na);
			rb = drtopo_result_to_dot(r, &b, &nb);
			break;
		case 3:
			ra = drtopo_result_to_text(r, DRTOPO_TEXT_COLOR, &a,
						   &na);
			rb = drtopo_result_to_text(r, DRTOPO_TEXT_COLOR, &b,
						   &nb);
			break;
		case 4:
			ra = drtopo_result_plan_to_text(r, 0, &a, &na);
			rb = drtopo_result_plan_to_text(r, 0, &b, &nb);
			break;
		case 5:
			ra = drtopo_result_plan_to_text(r, 1, &a, &na);
			rb = drtopo_result_plan_to_text(r, 1, &b, &nb);
			break;
		default:
			ra = drtopo_model_to_json(m, &a, &na);
			rb = drtopo_model_to_json(m, &b, &nb);
			break;
		}
		FUZZ_CHECK(ra == DRTOPO_OK && rb == DRTOPO_OK);
		FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
		FUZZ_CHECK(strlen(a) == na);
		if (k == 0) {
			fuzz_sink s = {NULL, 0};
			fuzz_same_stream(
				drtopo_result_write_json(r, fuzz_gather, &s),
				&s, a, na);
		}
		drtopo_free(a);
		drtopo_free(b);
	}
	/* Lose every region in turn: the simulation and its four
	 * serializers are deterministic too. */
	drtopo_simulation *sim = NULL;
	rc = drtopo_result_simulate(r, NULL, NULL, &sim);
	FUZZ_CHECK(rc == DRTOPO_OK || rc == DRTOPO_ENOMEM);
	for (int k = 0; sim && k < 4; k++) {
		char *a = NULL, *b = NULL;
		size_t na = 0, nb = 0;
		int ra, rb;
		switch (k) {
		case 0:
			ra = drtopo_simulation_to_json(sim, &a, &na);
			rb = drtopo_simulation_to_json(sim, &b, &nb);
			break;
		case 1:
			ra = drtopo_simulation_to_sarif(sim, &a, &na);
			rb = drtopo_simulation_to_sarif(sim, &b, &nb);
			break;
		case 2:
			ra = drtopo_simulation_to_dot(sim, &a, &na);
			rb = drtopo_simulation_to_dot(sim, &b, &nb);
			break;
		default:
			ra = drtopo_simulation_to_text(sim, 0, &a, &na);
			rb = drtopo_simulation_to_text(sim, 0, &b, &nb);
			break;
		}
		FUZZ_CHECK(ra == DRTOPO_OK && rb == DRTOPO_OK);
		FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
		if (k == 0) {
			fuzz_sink s = {NULL, 0};
			fuzz_same_stream(drtopo_simulation_write_json(
						 sim, fuzz_gather, &s),
					 &s, a, na);
		}
		drtopo_free(a);
		drtopo_free(b);
	}
	drtopo_simulation_free(sim);
	/* Walk the findings through the accessors. */
	size_t n = drtopo_result_diagnostic_count(r);
	for (size_t i = 0; i < n; i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		FUZZ_CHECK(d && drtopo_diagnostic_code(d) &&
			   drtopo_diagnostic_message(d));
	}
	drtopo_result_free(r);
}

/* The canonical form round-trips: the model written as a document loads
 * into an empty model that writes the same document back. */
static inline void fuzz_round_trip(drtopo_model *m)
{
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	drtopo_model *m2 = NULL;
	if (drtopo_model_to_json(m, &a, &na) != DRTOPO_OK)
		return;
	FUZZ_CHECK(drtopo_model_new(&m2) == DRTOPO_OK);
	int rc = drtopo_model_load_document_buffer(m2, a, na, "round-trip");
	if (rc != DRTOPO_OK)
		fprintf(stderr, "round trip: %s\n%s\n", drtopo_model_errmsg(m2),
			a);
	FUZZ_CHECK(rc == DRTOPO_OK);
	FUZZ_CHECK(drtopo_model_to_json(m2, &b, &nb) == DRTOPO_OK);
	FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
	drtopo_free(a);
	drtopo_free(b);
	drtopo_model_free(m2);
}

#endif
