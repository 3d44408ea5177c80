/* STUB: topology document loader (to be implemented). */
#include "model.h"

int drtopo_model_load_document(drtopo_model *m, const char *path) { (void)m; (void)path; return DRTOPO_ERROR; }
int drtopo_model_load_document_buffer(drtopo_model *m, const char *data, size_t len, const char *name)
{ (void)m; (void)data; (void)len; (void)name; return DRTOPO_ERROR; }
