/* STUB: text serializers (to be implemented). */
#include "report.h"

int drtopo_result_to_text(const drtopo_result *r, unsigned int flags, char **out, size_t *len_out)
{
	(void)r; (void)flags; (void)out; (void)len_out;
	return DRTOPO_ERROR;
}

int drtopo_result_plan_to_text(const drtopo_result *r, int destroy, char **out, size_t *len_out)
{
	(void)r; (void)destroy; (void)out; (void)len_out;
	return DRTOPO_ERROR;
}
