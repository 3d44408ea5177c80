/* STUB: CloudFormation template importer (to be implemented). */
#include "model.h"

int drtopo_model_load_template(drtopo_model *m, const char *path, const char *stack_id, const char *account, const char *region)
{ (void)m; (void)path; (void)stack_id; (void)account; (void)region; return DRTOPO_ERROR; }
