/* STUB: topology document writer (to be implemented). */
#include "model.h"

int drtopo_model_to_json(const drtopo_model *m, char **out, size_t *len_out) { (void)m; (void)out; (void)len_out; return DRTOPO_ERROR; }
