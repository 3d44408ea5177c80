/* Public accessors of a resolved model: plan, edges, findings. */
#include "resolve.h"

static const char *const edge_kind_names[] = {
	NULL,	     "explicit",     "reference",   "export",
	"parameter", "stack-output", "replica-key",
};

const char *drtopo_edge_kind_name(int kind)
{
	if (kind < DRTOPO_EDGE_EXPLICIT || kind > DRTOPO_EDGE_REPLICA_KEY)
		return NULL;
	return edge_kind_names[kind];
}

drtopo_model *drtopo_result_model(const drtopo_result *r)
{
	return r ? r->model : NULL;
}

int drtopo_result_has_cycle(const drtopo_result *r)
{
	return r ? r->has_cycle : 0;
}

size_t drtopo_result_wave_count(const drtopo_result *r)
{
	return r && !r->has_cycle ? r->nwaves : 0;
}

size_t drtopo_result_wave_size(const drtopo_result *r, size_t wave)
{
	if (!r || r->has_cycle || wave >= r->nwaves)
		return 0;
	return r->wave_off[wave + 2] - r->wave_off[wave + 1];
}

drtopo_stack *drtopo_result_wave_stack(const drtopo_result *r, size_t wave,
				       size_t i)
{
	if (i >= drtopo_result_wave_size(r, wave))
		return NULL;
	uint32_t v = r->wave_stacks[r->wave_off[wave + 1] + i];
	return DT_VEC_AT(r->model->stacks, drtopo_stack *, v);
}

int drtopo_result_stack_wave(const drtopo_result *r, const drtopo_stack *s)
{
	if (!r || !s || r->has_cycle || s->model != r->model ||
	    s->index >= r->nstacks)
		return 0;
	return (int)r->wave[s->index];
}

size_t drtopo_result_edge_count(const drtopo_result *r)
{
	return r ? r->nedges : 0;
}

int drtopo_result_edge(const drtopo_result *r, size_t i,
		       drtopo_stack **from_out, drtopo_stack **to_out,
		       int *kind_out, const char **via_out)
{
	if (!r || i >= r->nedges)
		return DRTOPO_EINVAL;
	const dt_edge *e = &r->edges[i];
	const char *via = NULL;
	if (via_out) {
		/* First the only step that can fail: out-parameters are
		 * written all together, or not at all. */
		int oom = 0;
		via = dt_edge_via(r, i, &oom);
		if (oom)
			return DRTOPO_ENOMEM;
	}
	if (from_out)
		*from_out =
			DT_VEC_AT(r->model->stacks, drtopo_stack *, e->from);
	if (to_out)
		*to_out = DT_VEC_AT(r->model->stacks, drtopo_stack *, e->to);
	if (kind_out)
		*kind_out = e->kind;
	if (via_out)
		*via_out = via;
	return DRTOPO_OK;
}

size_t drtopo_result_diagnostic_count(const drtopo_result *r)
{
	return r ? r->diags.len : 0;
}

const drtopo_diagnostic *drtopo_result_diagnostic(const drtopo_result *r,
						  size_t i)
{
	if (!r || i >= r->diags.len)
		return NULL;
	return DT_VEC_PTR(r->diags, drtopo_diagnostic, i);
}

size_t drtopo_result_count(const drtopo_result *r, int severity)
{
	if (!r || severity < DRTOPO_SEVERITY_INFO ||
	    severity > DRTOPO_SEVERITY_ERROR)
		return 0;
	return r->counts[severity];
}

int drtopo_result_max_severity(const drtopo_result *r)
{
	return r ? dt_max_severity(r->counts) : DRTOPO_SEVERITY_OFF;
}

const char *drtopo_diagnostic_code(const drtopo_diagnostic *d)
{
	return d ? dt_rules[d->rule].code : NULL;
}

const char *drtopo_diagnostic_rule(const drtopo_diagnostic *d)
{
	return d ? dt_rules[d->rule].name : NULL;
}

int drtopo_diagnostic_severity(const drtopo_diagnostic *d)
{
	return d ? d->severity : DRTOPO_EINVAL;
}

const char *drtopo_diagnostic_message(const drtopo_diagnostic *d)
{
	return d ? d->message : NULL;
}

const char *drtopo_diagnostic_hint(const drtopo_diagnostic *d)
{
	return d ? d->hint : NULL;
}

const char *drtopo_diagnostic_stack(const drtopo_diagnostic *d)
{
	return d ? d->stack : NULL;
}

const char *drtopo_diagnostic_resource(const drtopo_diagnostic *d)
{
	return d ? d->resource : NULL;
}

const char *drtopo_diagnostic_region(const drtopo_diagnostic *d)
{
	return d ? d->region : NULL;
}

const char *drtopo_diagnostic_source_file(const drtopo_diagnostic *d)
{
	return d ? d->file : NULL;
}

const char *drtopo_diagnostic_source_pointer(const drtopo_diagnostic *d)
{
	return d ? d->pointer : NULL;
}

size_t drtopo_diagnostic_related_count(const drtopo_diagnostic *d)
{
	return d ? d->nrelated : 0;
}

int drtopo_diagnostic_related(const drtopo_diagnostic *d, size_t i,
			      const char **stack_out, const char **resource_out,
			      const char **region_out)
{
	if (!d || i >= d->nrelated)
		return DRTOPO_EINVAL;
	if (stack_out)
		*stack_out = d->related[i].stack;
	if (resource_out)
		*resource_out = d->related[i].resource;
	if (region_out)
		*region_out = d->related[i].region;
	return DRTOPO_OK;
}
