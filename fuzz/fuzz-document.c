/* fuzz-document: the topology document loader
 * (drtopo_model_load_document_buffer), then resolve, every serializer,
 * and the canonical-form round trip; and the loader's JSON tree parser
 * against jansson (same verdict on every text the pre-scan lets
 * through). */
#include <jansson.h>

#include "fuzz-common.h"
#include "load/jtree.h"

static void tree_agrees(const char *text, size_t len)
{
	if (memchr(text, '\0', len) || !dt_utf8_valid(text, len))
		return;
	dt_jtree t;
	size_t at;
	int rc = dt_jparse(&t, text, len, &at);
	json_t *j = json_loadb(text, len,
			       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(rc == DRTOPO_ENOMEM || (rc == 0) == (j != NULL));
	json_decref(j);
	dt_jtree_free(&t);
}

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
	tree_agrees((const char *)data, size);
	return 0;
}
