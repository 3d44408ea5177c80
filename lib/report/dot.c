/* STUB: Graphviz DOT serializer (to be implemented). */
#include "report.h"

int drtopo_result_to_dot(const drtopo_result *r, char **out, size_t *len_out)
{
	(void)r; (void)out; (void)len_out;
	return DRTOPO_ERROR;
}
