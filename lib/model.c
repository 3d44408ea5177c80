/*
 * The model: object store for stacks, resources and their links.
 *
 * Public functions check their arguments (never crash on NULL, empty or
 * foreign handles), then call the dt_* internals that the loaders share.
 */
#include <stdio.h>
#include <string.h>

#include "apicheck.h"
#include "resolve.h"

/* ---- errors -------------------------------------------------------- */

void dt_model_clear_error(drtopo_model *m)
{
	m->errmsg[0] = '\0';
	m->errfile = NULL;
	m->errpointer = NULL;
	m->errline = m->errcol = 0;
}

static void set_msg(drtopo_model *m, const char *fmt, va_list ap)
{
	vsnprintf(m->errmsg, sizeof(m->errmsg), fmt, ap);
}

int dt_model_error(drtopo_model *m, int status, const char *fmt, ...)
{
	va_list ap;
	dt_model_clear_error(m);
	va_start(ap, fmt);
	set_msg(m, fmt, ap);
	va_end(ap);
	return status;
}

int dt_model_error_at(drtopo_model *m, int status, const char *file, int line,
		      int col, const char *pointer, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dt_model_clear_error(m);
	/* The strings are kept in the arena so that the accessors stay
	 * valid; on out of memory they are simply absent. */
	m->errfile = file ? dt_str(m, file) : NULL;
	m->errpointer = pointer ? dt_arena_strdup(&m->arena, pointer) : NULL;
	m->errline = line;
	m->errcol = col;
	if (file && line > 0)
		snprintf(m->errmsg, sizeof(m->errmsg), "%s:%d:%d: %s%s%s%s",
			 file, line, col, msg, pointer ? " (at " : "",
			 pointer ? (*pointer ? pointer : "/") : "",
			 pointer ? ")" : "");
	else if (file)
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: %s%s%s%s", file,
			 msg, pointer ? " (at " : "",
			 pointer ? (*pointer ? pointer : "/") : "",
			 pointer ? ")" : "");
	else
		snprintf(m->errmsg, sizeof(m->errmsg), "%s", msg);
	return status;
}

const char *drtopo_model_errmsg(const drtopo_model *m)
{
	return m ? m->errmsg : "invalid argument: 'model'";
}

const char *drtopo_model_error_file(const drtopo_model *m)
{
	return m ? m->errfile : NULL;
}

int drtopo_model_error_line(const drtopo_model *m)
{
	return m ? m->errline : 0;
}

int drtopo_model_error_column(const drtopo_model *m)
{
	return m ? m->errcol : 0;
}

const char *drtopo_model_error_pointer(const drtopo_model *m)
{
	return m ? m->errpointer : NULL;
}

/* ---- the model ----------------------------------------------------- */

int drtopo_model_new(drtopo_model **out)
{
	if (!out)
		return DRTOPO_EINVAL;
	drtopo_model *m = dt_calloc(1, sizeof(*m));
	if (!m)
		return DRTOPO_ENOMEM;
	dt_arena_init(&m->arena, 16 * 1024);
	dt_intern_init(&m->strs, &m->arena);
	dt_map_init(&m->stack_ids);
	dt_map_init(&m->res_ids);
	memset(m->severity, -1, sizeof(m->severity));
	m->obj = (dt_objectives)DT_OBJECTIVES_NONE;
	m->limits[DRTOPO_LIMIT_DEPTH] = 512;
	m->limits[DRTOPO_LIMIT_FILE_SIZE] = (size_t)256 * 1024 * 1024;
	m->limits[DRTOPO_LIMIT_STRING] = (size_t)1024 * 1024;
	m->limits[DRTOPO_LIMIT_ASSEMBLY_DEPTH] = 16;
	*out = m;
	return DRTOPO_OK;
}

void drtopo_model_free(drtopo_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->stacks.len; i++)
		dt_vec_free(
			&DT_VEC_AT(m->stacks, drtopo_stack *, i)->resources);
	for (size_t i = 0; i < m->tables.len; i++) {
		dt_table *t = DT_VEC_AT(m->tables, drtopo_resource *, i)->table;
		dt_vec_free(&t->replicas);
		dt_vec_free(&t->keys);
	}
	dt_extras_free(m);
	dt_vec_free(&m->stacks);
	dt_vec_free(&m->deps);
	dt_vec_free(&m->refs);
	dt_vec_free(&m->exports);
	dt_vec_free(&m->imports);
	dt_vec_free(&m->outputs);
	dt_vec_free(&m->params);
	dt_vec_free(&m->tables);
	dt_vec_free(&m->externals);
	dt_map_free(&m->stack_ids);
	dt_map_free(&m->res_ids);
	dt_intern_free(&m->strs);
	dt_arena_free(&m->arena);
	dt_free(m);
}

const char *dt_str(drtopo_model *m, const char *s)
{
	return s ? dt_intern(&m->strs, s) : NULL;
}

const char *dt_strn(drtopo_model *m, const char *s, size_t n)
{
	return dt_intern_n(&m->strs, s, n);
}

char *dt_loc_pointer(drtopo_model *m, const char *pointer)
{
	return dt_arena_strdup(&m->arena, pointer);
}

size_t dt_model_limit(const drtopo_model *m, int limit)
{
	return m->limits[limit];
}

int drtopo_model_set_limit(drtopo_model *m, int limit, size_t value)
{
	return_if_fail(NULL, m);
	return_if_fail(m, limit >= DRTOPO_LIMIT_DEPTH &&
				  limit <= DRTOPO_LIMIT_ASSEMBLY_DEPTH);
	return_if_fail(m, value > 0);
	m->limits[limit] = value;
	return DRTOPO_OK;
}

/* Intern an optional string: 0 on success (also for NULL input). */
static int opt_str(drtopo_model *m, const char *in, const char **out)
{
	*out = NULL;
	if (!in || !*in)
		return 0;
	*out = dt_str(m, in);
	return *out ? 0 : DRTOPO_ENOMEM;
}

static void copy_loc(dt_loc *dst, const dt_loc *src)
{
	if (src)
		*dst = *src;
	else
		dst->file = dst->pointer = NULL;
}

/* ---- stacks -------------------------------------------------------- */

int dt_model_reserve(drtopo_model *m, size_t stacks)
{
	if (dt_vec_reserve(&m->stacks, sizeof(drtopo_stack *), stacks) ||
	    dt_map_reserve(&m->stack_ids, stacks) ||
	    dt_intern_reserve(&m->strs, stacks))
		return oom(m);
	return DRTOPO_OK;
}

drtopo_stack *dt_stack_find(const drtopo_model *m, const char *id)
{
	const char *key = dt_intern_lookup(&m->strs, id, strlen(id));
	return key ? dt_map_get(&m->stack_ids, key, NULL) : NULL;
}

int dt_add_stack(drtopo_model *m, const char *id, const char *account,
		 const char *region, const dt_loc *loc, drtopo_stack **out)
{
	/* One probe for the check and the entry: a slot left empty by a
	 * failure below reads as absent. */
	const char *key = dt_str(m, id);
	void **slot = key ? dt_map_slot_for(&m->stack_ids, key, NULL) : NULL;
	if (!slot)
		return oom(m);
	if (*slot)
		return dt_model_error(m, DRTOPO_EEXIST,
				      "a stack with id '%s' already exists",
				      id);
	drtopo_stack *s = dt_arena_calloc(&m->arena, sizeof(*s));
	if (!s || opt_str(m, account, &s->account) ||
	    opt_str(m, region, &s->region) ||
	    dt_vec_reserve(&m->stacks, sizeof(s), 1))
		return oom(m);
	s->id = key;
	*slot = s;
	s->model = m;
	s->obj = (dt_objectives)DT_OBJECTIVES_NONE;
	s->index = (uint32_t)m->stacks.len;
	copy_loc(&s->loc, loc);
	*(drtopo_stack **)dt_vec_push(&m->stacks, sizeof(s)) = s;
	if (out)
		*out = s;
	return DRTOPO_OK;
}

int drtopo_model_add_stack(drtopo_model *m, const char *id, const char *account,
			   const char *region, drtopo_stack **out)
{
	return_if_fail(NULL, m);
	return_if_fail(m, text_ok(account));
	return_if_fail(m, text_ok(region));
	return_if_fail(m, nonempty(id));
	return dt_add_stack(m, id, account, region, NULL, out);
}

int drtopo_model_find_stack(const drtopo_model *m, const char *id,
			    drtopo_stack **out)
{
	if (!m || !nonempty(id) || !out)
		return DRTOPO_EINVAL;
	drtopo_stack *s = dt_stack_find(m, id);
	if (!s)
		return DRTOPO_ENOTFOUND;
	*out = s;
	return DRTOPO_OK;
}

size_t drtopo_model_stack_count(const drtopo_model *m)
{
	return m ? m->stacks.len : 0;
}

drtopo_stack *drtopo_model_stack_at(const drtopo_model *m, size_t i)
{
	return m && i < m->stacks.len ? DT_VEC_AT(m->stacks, drtopo_stack *, i)
				      : NULL;
}

size_t drtopo_model_resource_count(const drtopo_model *m)
{
	return m ? m->nresources : 0;
}

const char *drtopo_stack_id(const drtopo_stack *s)
{
	return s ? s->id : NULL;
}

const char *drtopo_stack_account(const drtopo_stack *s)
{
	return s ? s->account : NULL;
}

const char *drtopo_stack_region(const drtopo_stack *s)
{
	return s ? s->region : NULL;
}

const char *drtopo_stack_name(const drtopo_stack *s)
{
	return s ? s->name : NULL;
}

drtopo_model *drtopo_stack_model(const drtopo_stack *s)
{
	return s ? s->model : NULL;
}

int drtopo_stack_set_name(drtopo_stack *s, const char *display_name,
			  const char *stack_name)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, text_ok(display_name));
	return_if_fail(s->model, text_ok(stack_name));
	drtopo_model *m = s->model;
	const char *a = NULL, *b = NULL;
	if (opt_str(m, display_name, &a) || opt_str(m, stack_name, &b))
		return oom(m);
	if (a)
		s->name = a;
	if (b)
		s->stack_name = b;
	return DRTOPO_OK;
}

int dt_add_dep(drtopo_stack *from, drtopo_stack *to, const char *to_id,
	       const dt_loc *loc)
{
	drtopo_model *m = from->model;
	dt_dep *d = dt_vec_push(&m->deps, sizeof(*d));
	if (!d)
		return oom(m);
	d->from = from;
	d->to = to;
	d->to_id = to ? to->id : dt_str(m, to_id);
	copy_loc(&d->loc, loc);
	if (!d->to_id) {
		m->deps.len--;
		return oom(m);
	}
	return DRTOPO_OK;
}

int drtopo_stack_add_dependency(drtopo_stack *s, drtopo_stack *on)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, on && on->model == s->model);
	return dt_add_dep(s, on, NULL, NULL);
}

/* ---- resources ----------------------------------------------------- */

drtopo_resource *dt_resource_find(const drtopo_stack *s, const char *id)
{
	if (s->resources.len <= DT_FEW_RESOURCES) {
		for (size_t i = 0; i < s->resources.len; i++) {
			drtopo_resource *r =
				DT_VEC_AT(s->resources, drtopo_resource *, i);
			if (strcmp(r->id, id) == 0)
				return r;
		}
		return NULL;
	}
	const char *key = dt_intern_lookup(&s->model->strs, id, strlen(id));
	return key ? dt_map_get(&s->model->res_ids, s, key) : NULL;
}

int dt_add_resource(drtopo_stack *s, const char *id, const char *type,
		    const char *physical_name, const dt_loc *loc,
		    drtopo_resource **out)
{
	drtopo_model *m = s->model;
	const char *key = dt_str(m, id);
	size_t n = s->resources.len;
	void **slot = NULL;
	int exists = 0;
	if (!key)
		return oom(m);
	if (n < DT_FEW_RESOURCES) {
		for (size_t i = 0; i < n && !exists; i++)
			exists = DT_VEC_AT(s->resources, drtopo_resource *, i)
					 ->id == key;
	} else {
		/* The stack outgrows the scan: its resources go into the
		 * index (again, if an earlier call failed after this). */
		for (size_t i = 0; n == DT_FEW_RESOURCES && i < n; i++) {
			drtopo_resource *r =
				DT_VEC_AT(s->resources, drtopo_resource *, i);
			if (dt_map_put(&m->res_ids, s, r->id, r))
				return oom(m);
		}
		/* One probe for the check and the entry: a slot left
		 * empty by a failure below reads as absent. */
		if (!(slot = dt_map_slot_for(&m->res_ids, s, key)))
			return oom(m);
		exists = *slot != NULL;
	}
	if (exists)
		return dt_model_error(
			m, DRTOPO_EEXIST,
			"stack '%s' already has a resource with id '%s'", s->id,
			id);
	drtopo_resource *r = dt_arena_calloc(&m->arena, sizeof(*r));
	if (!r || !(r->type = dt_str(m, type)) ||
	    opt_str(m, physical_name, &r->physical_name) ||
	    dt_vec_reserve(&s->resources, sizeof(r), 1))
		return oom(m);
	r->id = key;
	if (slot)
		*slot = r;
	r->stack = s;
	r->index = (uint32_t)m->nresources++;
	copy_loc(&r->loc, loc);
	*(drtopo_resource **)dt_vec_push(&s->resources, sizeof(r)) = r;
	if (out)
		*out = r;
	return DRTOPO_OK;
}

int drtopo_stack_add_resource(drtopo_stack *s, const char *logical_id,
			      const char *type, const char *physical_name,
			      drtopo_resource **out)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, text_ok(physical_name));
	return_if_fail(s->model, nonempty(logical_id));
	return_if_fail(s->model, nonempty(type));
	return dt_add_resource(s, logical_id, type, physical_name, NULL, out);
}

int drtopo_stack_find_resource(const drtopo_stack *s, const char *logical_id,
			       drtopo_resource **out)
{
	if (!s || !nonempty(logical_id) || !out)
		return DRTOPO_EINVAL;
	drtopo_resource *r = dt_resource_find(s, logical_id);
	if (!r)
		return DRTOPO_ENOTFOUND;
	*out = r;
	return DRTOPO_OK;
}

size_t drtopo_stack_resource_count(const drtopo_stack *s)
{
	return s ? s->resources.len : 0;
}

drtopo_resource *drtopo_stack_resource_at(const drtopo_stack *s, size_t i)
{
	return s && i < s->resources.len
		       ? DT_VEC_AT(s->resources, drtopo_resource *, i)
		       : NULL;
}

const char *drtopo_resource_id(const drtopo_resource *r)
{
	return r ? r->id : NULL;
}

const char *drtopo_resource_type(const drtopo_resource *r)
{
	return r ? r->type : NULL;
}

const char *drtopo_resource_physical_name(const drtopo_resource *r)
{
	return r ? r->physical_name : NULL;
}

drtopo_stack *drtopo_resource_stack(const drtopo_resource *r)
{
	return r ? r->stack : NULL;
}

int dt_add_ref(drtopo_resource *consumer, drtopo_resource *producer,
	       const char *stack_id, const char *res_id, const char *attr,
	       const dt_loc *loc)
{
	drtopo_model *m = consumer->stack->model;
	dt_ref ref = {0};
	ref.consumer = consumer;
	ref.producer = producer;
	if (opt_str(m, attr, &ref.attr))
		return oom(m);
	if (producer) {
		ref.stack_id = producer->stack->id;
		ref.res_id = producer->id;
	} else if (opt_str(m, stack_id, &ref.stack_id) ||
		   opt_str(m, res_id, &ref.res_id)) {
		return oom(m);
	}
	copy_loc(&ref.loc, loc);
	dt_ref *slot = dt_vec_push(&m->refs, sizeof(*slot));
	if (!slot)
		return oom(m);
	*slot = ref;
	return DRTOPO_OK;
}

int drtopo_resource_add_reference(drtopo_resource *consumer,
				  drtopo_resource *producer,
				  const char *attribute)
{
	return_if_fail(NULL, consumer);
	return_if_fail(consumer->stack->model, text_ok(attribute));
	drtopo_model *m = consumer->stack->model;
	return_if_fail(m, producer && producer->stack->model == m);
	return dt_add_ref(consumer, producer, NULL, NULL, attribute, NULL);
}

/* ---- exports, imports, outputs ------------------------------------ */

int dt_add_export(drtopo_stack *s, const char *name, drtopo_resource *res,
		  const dt_loc *loc)
{
	drtopo_model *m = s->model;
	const char *n = dt_str(m, name);
	dt_export *e = n ? dt_vec_push(&m->exports, sizeof(*e)) : NULL;
	if (!e)
		return oom(m);
	e->stack = s;
	e->name = n;
	e->res = res;
	copy_loc(&e->loc, loc);
	return DRTOPO_OK;
}

int drtopo_stack_add_export(drtopo_stack *s, const char *name,
			    drtopo_resource *value)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, nonempty(name));
	return_if_fail(s->model, !value || value->stack == s);
	return dt_add_export(s, name, value, NULL);
}

int dt_add_import(drtopo_stack *s, const char *name, drtopo_resource *res,
		  const dt_loc *loc)
{
	drtopo_model *m = s->model;
	const char *n = dt_str(m, name);
	dt_import *e = n ? dt_vec_push(&m->imports, sizeof(*e)) : NULL;
	if (!e)
		return oom(m);
	e->stack = s;
	e->name = n;
	e->res = res;
	copy_loc(&e->loc, loc);
	return DRTOPO_OK;
}

int drtopo_stack_add_import(drtopo_stack *s, const char *name,
			    drtopo_resource *consumer)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, nonempty(name));
	return_if_fail(s->model, !consumer || consumer->stack == s);
	return dt_add_import(s, name, consumer, NULL);
}

int dt_add_output_read(drtopo_stack *s, const char *producer,
		       const char *output, const char *region,
		       const char *account, drtopo_resource *res,
		       const dt_loc *loc)
{
	drtopo_model *m = s->model;
	dt_import e = {0};
	e.stack = s;
	e.res = res;
	if (!(e.producer = dt_str(m, producer)) ||
	    !(e.name = dt_str(m, output)) || opt_str(m, region, &e.region) ||
	    opt_str(m, account, &e.account))
		return oom(m);
	copy_loc(&e.loc, loc);
	dt_import *slot = dt_vec_push(&m->outputs, sizeof(*slot));
	if (!slot)
		return oom(m);
	*slot = e;
	return DRTOPO_OK;
}

int drtopo_stack_add_output_read(drtopo_stack *s, const char *producer,
				 const char *output, const char *region,
				 drtopo_resource *consumer)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, text_ok(region));
	return_if_fail(s->model, nonempty(producer));
	return_if_fail(s->model, nonempty(output));
	return_if_fail(s->model, !consumer || consumer->stack == s);
	return dt_add_output_read(s, producer, output, region, NULL, consumer,
				  NULL);
}

/* ---- parameters ---------------------------------------------------- */

int dt_add_param(drtopo_stack *s, int kind, const char *name,
		 const char *region, drtopo_resource *res, const dt_loc *loc,
		 drtopo_param **out)
{
	drtopo_model *m = s->model;
	drtopo_param *p = dt_arena_calloc(&m->arena, sizeof(*p));
	if (!p || !(p->name = dt_str(m, name)) ||
	    opt_str(m, region, &p->region) ||
	    dt_vec_reserve(&m->params, sizeof(p), 1))
		return oom(m);
	p->stack = s;
	p->kind = (uint8_t)kind;
	p->explicit_region = p->region != NULL;
	if (!p->region)
		p->region = s->region;
	p->res = res;
	copy_loc(&p->loc, loc);
	*(drtopo_param **)dt_vec_push(&m->params, sizeof(p)) = p;
	if (out)
		*out = p;
	return DRTOPO_OK;
}

static int add_param_checked(drtopo_stack *s, int kind, const char *name,
			     const char *region, drtopo_resource *res,
			     drtopo_param **out)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, text_ok(region));
	return_if_fail(s->model, nonempty(name));
	return_if_fail(s->model, !res || res->stack == s);
	return dt_add_param(s, kind, name, region, res, NULL, out);
}

int drtopo_stack_write_parameter(drtopo_stack *s, const char *name,
				 const char *region, drtopo_resource *res,
				 drtopo_param **out)
{
	return add_param_checked(s, DRTOPO_PARAM_WRITE, name, region, res, out);
}

int drtopo_stack_read_parameter(drtopo_stack *s, const char *name,
				const char *region, drtopo_resource *res,
				drtopo_param **out)
{
	return add_param_checked(s, DRTOPO_PARAM_READ, name, region, res, out);
}

int dt_value_copy(drtopo_model *m, dt_value *dst, const dt_value *src)
{
	dt_value v = *src;
	if (opt_str(m, src->text, &v.text) ||
	    opt_str(m, src->region, &v.region) ||
	    opt_str(m, src->attr, &v.attr) ||
	    opt_str(m, src->stack_id, &v.stack_id) ||
	    opt_str(m, src->res_id, &v.res_id))
		return oom(m);
	if (v.res) {
		v.stack_id = v.res->stack->id;
		v.res_id = v.res->id;
	}
	*dst = v;
	return DRTOPO_OK;
}

int drtopo_param_set_value_resource(drtopo_param *p, drtopo_resource *value,
				    const char *attribute)
{
	return_if_fail(NULL, p);
	return_if_fail(p->stack->model, p->kind == DRTOPO_PARAM_WRITE);
	return_if_fail(p->stack->model, text_ok(attribute));
	drtopo_model *m = p->stack->model;
	return_if_fail(m, value && value->stack->model == m);
	dt_value v = {0};
	v.kind = DT_VAL_RESOURCE;
	v.res = value;
	v.attr = attribute;
	return dt_value_copy(m, &p->value, &v);
}

int drtopo_param_set_value_text(drtopo_param *p, const char *text)
{
	return_if_fail(NULL, p);
	return_if_fail(p->stack->model, p->kind == DRTOPO_PARAM_WRITE);
	return_if_fail(p->stack->model, text_ok(text));
	return_if_fail(p->stack->model, text);
	dt_value v = {0};
	v.kind = DT_VAL_TEXT;
	v.text = text;
	return dt_value_copy(p->stack->model, &p->value, &v);
}

int drtopo_param_kind(const drtopo_param *p)
{
	return p ? p->kind : DRTOPO_EINVAL;
}

const char *drtopo_param_name(const drtopo_param *p)
{
	return p ? p->name : NULL;
}

const char *drtopo_param_region(const drtopo_param *p)
{
	return p ? p->region : NULL;
}

drtopo_stack *drtopo_param_stack(const drtopo_param *p)
{
	return p ? p->stack : NULL;
}

/* ---- externals and rule settings ---------------------------------- */

int dt_add_external(drtopo_model *m, const char *name, const char *region)
{
	dt_external e = {0};
	if (!(e.name = dt_str(m, name)) || opt_str(m, region, &e.region))
		return oom(m);
	dt_external *slot = dt_vec_push(&m->externals, sizeof(*slot));
	if (!slot)
		return oom(m);
	*slot = e;
	return DRTOPO_OK;
}

int drtopo_model_add_external(drtopo_model *m, const char *name,
			      const char *region)
{
	return_if_fail(NULL, m);
	return_if_fail(m, text_ok(region));
	return_if_fail(m, nonempty(name));
	return dt_add_external(m, name, region);
}

int dt_is_external(const drtopo_model *m, const char *name, const char *region)
{
	for (size_t i = 0; i < m->externals.len; i++) {
		const dt_external *e = DT_VEC_PTR(m->externals, dt_external, i);
		if (e->name == name &&
		    (!e->region || !region || e->region == region))
			return 1;
	}
	return 0;
}

static int rule_index(const char *code)
{
	const drtopo_rule *r = drtopo_rule_find(code);
	return r ? (int)(r - dt_rules) : -1;
}

int drtopo_model_set_rule_severity(drtopo_model *m, const char *code,
				   int severity)
{
	return_if_fail(NULL, m);
	return_if_fail(m, nonempty(code));
	return_if_fail(m, severity >= DRTOPO_SEVERITY_OFF &&
				  severity <= DRTOPO_SEVERITY_ERROR);
	int i = rule_index(code);
	if (i < 0)
		return dt_model_error(m, DRTOPO_ENOTFOUND, "no rule '%s'",
				      code);
	m->severity[i] = (int8_t)severity;
	return DRTOPO_OK;
}

int drtopo_model_rule_severity(const drtopo_model *m, const char *code)
{
	if (!m || !nonempty(code))
		return DRTOPO_EINVAL;
	int i = rule_index(code);
	if (i < 0)
		return DRTOPO_ENOTFOUND;
	return m->severity[i] >= 0 ? m->severity[i] : dt_rules[i].severity;
}

/* ---- tables -------------------------------------------------------- */

dt_table *dt_table_get(drtopo_resource *r)
{
	drtopo_model *m = r->stack->model;
	if (r->table)
		return r->table;
	if (dt_vec_reserve(&m->tables, sizeof(r), 1))
		return NULL;
	dt_table *t = dt_arena_calloc(&m->arena, sizeof(*t));
	if (!t)
		return NULL;
	r->table = t;
	*(drtopo_resource **)dt_vec_push(&m->tables, sizeof(r)) = r;
	return t;
}

int dt_table_add_replica(drtopo_resource *r, const char *region,
			 drtopo_resource *via, const dt_loc *loc)
{
	drtopo_model *m = r->stack->model;
	dt_table *t = dt_table_get(r);
	const char *reg = dt_str(m, region);
	dt_replica *rep =
		t && reg ? dt_vec_push(&t->replicas, sizeof(*rep)) : NULL;
	if (!rep)
		return oom(m);
	rep->region = reg;
	rep->via = via;
	copy_loc(&rep->loc, loc);
	return DRTOPO_OK;
}

int dt_table_set_cmk(drtopo_resource *r, const dt_value *v, const dt_loc *loc)
{
	drtopo_model *m = r->stack->model;
	dt_table *t = dt_table_get(r);
	if (!t)
		return oom(m);
	int rc = dt_value_copy(m, &t->cmk, v);
	if (rc == 0)
		copy_loc(&t->cmk_loc, loc);
	return rc;
}

int dt_table_set_key(drtopo_resource *r, const char *region, const dt_value *v,
		     const dt_loc *loc)
{
	drtopo_model *m = r->stack->model;
	dt_table *t = dt_table_get(r);
	const char *reg = dt_str(m, region);
	if (!t || !reg)
		return oom(m);
	dt_replica_key *k = NULL;
	for (size_t i = 0; i < t->keys.len; i++) {
		if (DT_VEC_PTR(t->keys, dt_replica_key, i)->region == reg)
			k = DT_VEC_PTR(t->keys, dt_replica_key, i);
	}
	dt_value copy;
	if (dt_value_copy(m, &copy, v))
		return DRTOPO_ENOMEM;
	if (!k && !(k = dt_vec_push(&t->keys, sizeof(*k))))
		return oom(m);
	k->region = reg;
	k->key = copy;
	copy_loc(&k->loc, loc);
	return DRTOPO_OK;
}

int drtopo_resource_add_replica(drtopo_resource *t, const char *region)
{
	return_if_fail(NULL, t);
	return_if_fail(t->stack->model, nonempty(region));
	return dt_table_add_replica(t, region, NULL, NULL);
}

size_t drtopo_resource_replica_count(const drtopo_resource *t)
{
	return t && t->table ? t->table->replicas.len : 0;
}

const char *drtopo_resource_replica_at(const drtopo_resource *t, size_t i)
{
	if (!t || !t->table || i >= t->table->replicas.len)
		return NULL;
	return DT_VEC_PTR(t->table->replicas, dt_replica, i)->region;
}

int drtopo_resource_set_cmk(drtopo_resource *t, drtopo_resource *key)
{
	return_if_fail(NULL, t);
	drtopo_model *m = t->stack->model;
	return_if_fail(m, key && key->stack->model == m);
	dt_value v = {0};
	v.kind = DT_VAL_RESOURCE;
	v.res = key;
	return dt_table_set_cmk(t, &v, NULL);
}

int drtopo_resource_set_cmk_arn(drtopo_resource *t, const char *arn)
{
	return_if_fail(NULL, t);
	return_if_fail(t->stack->model, nonempty(arn));
	dt_value v = {0};
	v.kind = DT_VAL_TEXT;
	v.text = arn;
	return dt_table_set_cmk(t, &v, NULL);
}

int drtopo_resource_set_replica_key(drtopo_resource *t, const char *region,
				    drtopo_resource *key)
{
	return_if_fail(NULL, t);
	drtopo_model *m = t->stack->model;
	return_if_fail(m, nonempty(region));
	return_if_fail(m, key && key->stack->model == m);
	dt_value v = {0};
	v.kind = DT_VAL_RESOURCE;
	v.res = key;
	return dt_table_set_key(t, region, &v, NULL);
}

int drtopo_resource_set_replica_key_arn(drtopo_resource *t, const char *region,
					const char *arn)
{
	return_if_fail(NULL, t);
	return_if_fail(t->stack->model, nonempty(region));
	return_if_fail(t->stack->model, nonempty(arn));
	dt_value v = {0};
	v.kind = DT_VAL_TEXT;
	v.text = arn;
	return dt_table_set_key(t, region, &v, NULL);
}

int drtopo_resource_set_replica_key_parameter(drtopo_resource *t,
					      const char *region,
					      const char *name,
					      const char *param_region)
{
	return_if_fail(NULL, t);
	return_if_fail(t->stack->model, text_ok(param_region));
	return_if_fail(t->stack->model, nonempty(region));
	return_if_fail(t->stack->model, nonempty(name));
	dt_value v = {0};
	v.kind = DT_VAL_PARAM;
	v.text = name;
	v.region = param_region && *param_region ? param_region : NULL;
	return dt_table_set_key(t, region, &v, NULL);
}
