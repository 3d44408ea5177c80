/* Shared helpers of the serializers (lib/report/). */
#ifndef DT_REPORT_H
#define DT_REPORT_H

#include "resolve.h"

static inline drtopo_stack *dt_stack_at(const drtopo_result *r, uint32_t i)
{
	return DT_VEC_AT(r->model->stacks, drtopo_stack *, i);
}

/* Parameter accesses grouped by (name, region, account of the stack),
 * each group sorted writers-first by stack id. Caller frees with dt_free. */
const drtopo_param **dt_report_sorted_params(const drtopo_model *m);
int dt_report_param_group_cmp(const drtopo_param *a, const drtopo_param *b);

#endif
