/*
 * Replication facts of the model (0.2): resource flags, ARN mentions and
 * replication settings. The rules that read them are lib/rules/repl.c.
 */
#include <string.h>

#include "apicheck.h"

dt_res_extra *dt_res_extra_get(drtopo_resource *r)
{
	drtopo_model *m = r->stack->model;
	if (r->extra)
		return r->extra;
	dt_res_extra *x = dt_arena_calloc(&m->arena, sizeof(*x));
	if (!x || dt_vec_reserve(&m->extras, sizeof(r), 1))
		return NULL;
	dt_map_init(&x->arn_seen);
	x->obj = (dt_objectives)DT_OBJECTIVES_NONE;
	*(drtopo_resource **)dt_vec_push(&m->extras, sizeof(r)) = r;
	r->extra = x;
	return x;
}

void dt_extras_free(drtopo_model *m)
{
	for (size_t i = 0; i < m->extras.len; i++) {
		dt_res_extra *x =
			DT_VEC_AT(m->extras, drtopo_resource *, i)->extra;
		dt_vec_free(&x->arns);
		dt_vec_free(&x->repls);
		dt_vec_free(&x->routes);
		dt_map_free(&x->arn_seen);
	}
	dt_vec_free(&m->extras);
	dt_vec_free(&m->routes);
}

int dt_add_arn(drtopo_resource *r, const char *text, const dt_loc *loc)
{
	drtopo_model *m = r->stack->model;
	dt_res_extra *x = dt_res_extra_get(r);
	const char *t = dt_str(m, text);
	if (!x || !t)
		return oom(m);
	void **slot = dt_map_slot_for(&x->arn_seen, t, NULL);
	if (!slot)
		return oom(m);
	if (*slot)
		return DRTOPO_OK;
	dt_arn *a = dt_vec_push(&x->arns, sizeof(*a));
	if (!a)
		return oom(m);
	*slot = (void *)t;
	a->text = t;
	if (loc)
		a->loc = *loc;
	else
		a->loc.file = a->loc.pointer = NULL;
	return DRTOPO_OK;
}

int dt_add_replication(drtopo_resource *r, int kind, const char *region,
		       const dt_loc *loc, drtopo_replication **out)
{
	drtopo_model *m = r->stack->model;
	dt_res_extra *x = dt_res_extra_get(r);
	drtopo_replication *p = dt_arena_calloc(&m->arena, sizeof(*p));
	if (!x || !p || (region && !(p->region = dt_str(m, region))) ||
	    dt_vec_reserve(&x->repls, sizeof(p), 1))
		return oom(m);
	p->res = r;
	p->kind = (uint8_t)kind;
	p->period = -1;
	p->target.kind = DT_VAL_UNKNOWN;
	p->target.text = "no target";
	if (loc)
		p->loc = *loc;
	*(drtopo_replication **)dt_vec_push(&x->repls, sizeof(p)) = p;
	m->nrepls++;
	if (out)
		*out = p;
	return DRTOPO_OK;
}

static const char *const kind_names[] = {
	NULL,
	"s3-destination",
	"global-cluster",
	"global-cluster-source",
	"cluster-source",
	"instance-source",
	"secret-replica",
	"backup-copy",
	"backup-selection",
	"kms-replica-key",
	"efs-destination",
};

const char *dt_replication_kind_name(int kind)
{
	return kind > 0 && kind < (int)DT_ARRAY_LEN(kind_names)
		       ? kind_names[kind]
		       : NULL;
}

/* ---- public API ---------------------------------------------------- */

int drtopo_resource_set_flags(drtopo_resource *r, unsigned int flags)
{
	return_if_fail(NULL, r);
	return_if_fail(
		r->stack->model,
		(flags & ~(unsigned)(DRTOPO_RESOURCE_VERSIONED |
				     DRTOPO_RESOURCE_SSE_KMS |
				     DRTOPO_RESOURCE_STRONG_CONSISTENCY)) == 0);
	r->flags = flags;
	return DRTOPO_OK;
}

unsigned int drtopo_resource_flags(const drtopo_resource *r)
{
	return r ? r->flags & ~DT_RES_VERSIONING_UNKNOWN : 0;
}

int drtopo_resource_add_arn(drtopo_resource *r, const char *arn,
			    const char *pointer)
{
	return_if_fail(NULL, r);
	drtopo_model *m = r->stack->model;
	return_if_fail(m, nonempty(arn));
	return_if_fail(m, text_ok(pointer));
	dt_loc loc = {NULL, NULL};
	if (pointer && !(loc.pointer = dt_loc_pointer(m, pointer)))
		return oom(m);
	return dt_add_arn(r, arn, &loc);
}

size_t drtopo_resource_arn_count(const drtopo_resource *r)
{
	return r && r->extra ? r->extra->arns.len : 0;
}

static const dt_arn *arn_at(const drtopo_resource *r, size_t i)
{
	if (!r || !r->extra || i >= r->extra->arns.len)
		return NULL;
	return DT_VEC_PTR(r->extra->arns, dt_arn, i);
}

const char *drtopo_resource_arn_at(const drtopo_resource *r, size_t i)
{
	const dt_arn *a = arn_at(r, i);
	return a ? a->text : NULL;
}

const char *drtopo_resource_arn_pointer(const drtopo_resource *r, size_t i)
{
	const dt_arn *a = arn_at(r, i);
	return a ? a->loc.pointer : NULL;
}

int drtopo_resource_add_replication(drtopo_resource *r, int kind,
				    const char *region,
				    drtopo_replication **out)
{
	return_if_fail(NULL, r);
	drtopo_model *m = r->stack->model;
	return_if_fail(m, dt_replication_kind_name(kind) != NULL);
	return_if_fail(m, !region || nonempty(region));
	return dt_add_replication(r, kind, region, NULL, out);
}

size_t drtopo_resource_replication_count(const drtopo_resource *r)
{
	return r && r->extra ? r->extra->repls.len : 0;
}

drtopo_replication *drtopo_resource_replication_at(const drtopo_resource *r,
						   size_t i)
{
	if (!r || !r->extra || i >= r->extra->repls.len)
		return NULL;
	return DT_VEC_AT(r->extra->repls, drtopo_replication *, i);
}

static int set_target(drtopo_replication *p, int kind, const char *text,
		      const char *region, drtopo_resource *res,
		      const char *attr)
{
	drtopo_model *m = p->res->stack->model;
	dt_value v = {0};
	v.kind = (uint8_t)kind;
	v.text = text;
	v.region = region;
	v.res = res;
	v.attr = attr;
	return dt_value_copy(m, &p->target, &v);
}

int drtopo_replication_set_target(drtopo_replication *p,
				  drtopo_resource *target,
				  const char *attribute)
{
	return_if_fail(NULL, p);
	drtopo_model *m = p->res->stack->model;
	return_if_fail(m, target && target->stack->model == m);
	return_if_fail(m, !attribute || nonempty(attribute));
	return set_target(p, DT_VAL_RESOURCE, NULL, NULL, target, attribute);
}

int drtopo_replication_set_target_text(drtopo_replication *p, const char *text)
{
	return_if_fail(NULL, p);
	return_if_fail(p->res->stack->model, nonempty(text));
	return set_target(p, DT_VAL_TEXT, text, NULL, NULL, NULL);
}

int drtopo_replication_set_target_import(drtopo_replication *p,
					 const char *name)
{
	return_if_fail(NULL, p);
	return_if_fail(p->res->stack->model, nonempty(name));
	return set_target(p, DT_VAL_IMPORT, name, NULL, NULL, NULL);
}

int drtopo_replication_set_target_parameter(drtopo_replication *p,
					    const char *name,
					    const char *region)
{
	return_if_fail(NULL, p);
	drtopo_model *m = p->res->stack->model;
	return_if_fail(m, nonempty(name));
	return_if_fail(m, !region || nonempty(region));
	return set_target(p, DT_VAL_PARAM, name, region, NULL, NULL);
}

int drtopo_replication_set_flags(drtopo_replication *p, unsigned int flags)
{
	return_if_fail(NULL, p);
	return_if_fail(
		p->res->stack->model,
		(flags & ~(unsigned)(DRTOPO_REPLICATION_RTC |
				     DRTOPO_REPLICATION_DISABLED |
				     DRTOPO_REPLICATION_SSE_KMS_OBJECTS)) == 0);
	p->flags = flags;
	return DRTOPO_OK;
}

int drtopo_replication_set_period(drtopo_replication *p, long seconds)
{
	return_if_fail(NULL, p);
	return_if_fail(p->res->stack->model, seconds >= -1);
	p->period = seconds;
	return DRTOPO_OK;
}

int drtopo_replication_set_pointer(drtopo_replication *p, const char *pointer)
{
	return_if_fail(NULL, p);
	drtopo_model *m = p->res->stack->model;
	return_if_fail(m, text_ok(pointer));
	const char *ptr = NULL;
	if (pointer && !(ptr = dt_loc_pointer(m, pointer)))
		return oom(m);
	p->loc.pointer = ptr;
	return DRTOPO_OK;
}

int drtopo_replication_kind(const drtopo_replication *p)
{
	return p ? p->kind : DRTOPO_EINVAL;
}

const char *drtopo_replication_kind_name(int kind)
{
	return dt_replication_kind_name(kind);
}

drtopo_resource *drtopo_replication_resource(const drtopo_replication *p)
{
	return p ? p->res : NULL;
}

const char *drtopo_replication_region(const drtopo_replication *p)
{
	return p ? p->region : NULL;
}

unsigned int drtopo_replication_flags(const drtopo_replication *p)
{
	return p ? p->flags : 0;
}

long drtopo_replication_period(const drtopo_replication *p)
{
	return p ? p->period : -1;
}

const char *drtopo_replication_pointer(const drtopo_replication *p)
{
	return p ? p->loc.pointer : NULL;
}

drtopo_resource *drtopo_replication_target_resource(const drtopo_replication *p)
{
	return p && p->target.kind == DT_VAL_RESOURCE ? p->target.res : NULL;
}

const char *drtopo_replication_target_text(const drtopo_replication *p)
{
	if (!p)
		return NULL;
	switch (p->target.kind) {
	case DT_VAL_TEXT:
	case DT_VAL_IMPORT:
	case DT_VAL_PARAM: return p->target.text;
	default: return NULL;
	}
}
