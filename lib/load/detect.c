/* STUB: input detection (to be implemented). */
#include "model.h"

int drtopo_input_kind(const char *path) { (void)path; return DRTOPO_ERROR; }
int drtopo_model_load(drtopo_model *m, const char *path, const char *account, const char *region)
{ (void)m; (void)path; (void)account; (void)region; return DRTOPO_ERROR; }
