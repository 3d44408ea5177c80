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
const drtopo_param **dt_report_sorted_params(const drtopo_result *r);
int dt_report_param_group_cmp(const drtopo_param *a, const drtopo_param *b);

/* Shared pieces, so that a simulation serializes its findings and its
 * graph exactly as a result does (lib/report/simulation.c). */
struct dt_zone;
void dt_report_json_diag(dt_buf *b, const drtopo_diagnostic *d);
void dt_report_text_finding(dt_buf *b, const drtopo_diagnostic *d, int color);
void dt_report_text_safe(dt_buf *b, const char *s);
int dt_report_sarif(const drtopo_result *r, const dt_vec *diags, char **out,
		    size_t *len_out);
/* The stack graph; stacks in `lost` (NULL: none) are greyed out. */
int dt_report_dot(const drtopo_result *r, const struct dt_zone *lost,
		  char **out, size_t *len_out);

/* The *_write_json functions: what body() writes into a streaming buffer
 * goes to write(ctx) in pieces of about 64 KiB. body returns 0 or a
 * status; the result is that status, DRTOPO_ENOMEM or DRTOPO_EIO (write
 * failed, and was not called again). */
typedef int (*dt_report_body)(const void *obj, dt_buf *b);
int dt_report_write(dt_report_body body, const void *obj, drtopo_write_fn write,
		    void *ctx);

#endif
