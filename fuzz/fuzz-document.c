/* fuzz-document: the topology document loader
 * (drtopo_model_load_document_buffer), then resolve, every serializer,
 * and the canonical-form round trip. */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	drtopo_model *m = NULL;
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 0;
	drtopo_model_set_limit(m, DRTOPO_LIMIT_DEPTH, 64);
	int rc = drtopo_model_load_document_buffer(m, (const char *)data, size,
						   "fuzz.json");
	FUZZ_CHECK(rc <= 0);
	FUZZ_CHECK(drtopo_model_errmsg(m) != NULL);
	if (rc == DRTOPO_OK) {
		fuzz_resolve_and_serialize(m);
		fuzz_round_trip(m);
	} else {
		/* a failed load leaves the model usable */
		fuzz_resolve_and_serialize(m);
	}
	drtopo_model_free(m);
	return 0;
}
