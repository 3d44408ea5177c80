/* STUB: CDK cloud assembly importer (to be implemented). */
#include "model.h"

int drtopo_model_load_assembly(drtopo_model *m, const char *path) { (void)m; (void)path; return DRTOPO_ERROR; }
