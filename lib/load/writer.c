/*
 * The model as a topology document (drtopo-topology/1).
 *
 * The output is canonical: stacks and resources in model order, every
 * link grouped under its stack (or consuming resource) in model order,
 * members in a fixed order, two-space indentation, a final newline.
 * Stacks, resources with links and lists of records are spread over
 * lines; records (references, values, parameter accesses, exports, ...)
 * and lists of names stay on one line each. Loading the output gives a
 * model that writes back byte for byte the same.
 */
#include <string.h>

#include "model.h"

/* ---- grouping links by owner -------------------------------------- */

/* Items 0..n-1 of a vector grouped by owner (0..nowners-1), keeping
 * their order: items of owner o are idx[off[o] .. off[o+1]). */
typedef struct group {
	size_t *off;
	size_t *idx;
} group;

static int group_build(group *g, size_t n, size_t nowners,
		       const uint32_t *owner)
{
	int ok = 1;
	size_t ob = dt_mul(nowners + 1, sizeof(size_t), &ok);
	size_t ib = dt_mul(n ? n : 1, sizeof(size_t), &ok);
	g->off = ok ? dt_calloc(1, ob) : NULL;
	g->idx = ok ? dt_malloc(ib) : NULL;
	if (!g->off || !g->idx)
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < n; i++)
		g->off[owner[i] + 1]++;
	for (size_t o = 0; o < nowners; o++)
		g->off[o + 1] += g->off[o];
	size_t *fill = dt_malloc(ob);
	if (!fill)
		return DRTOPO_ENOMEM;
	memcpy(fill, g->off, ob);
	for (size_t i = 0; i < n; i++)
		g->idx[fill[owner[i]]++] = i;
	dt_free(fill);
	return 0;
}

static void group_free(group *g)
{
	dt_free(g->off);
	dt_free(g->idx);
}

typedef struct writer {
	const drtopo_model *m;
	dt_buf b;
	group deps, refs, params, exports, imports, outputs;
} writer;

/* Owners of a vector's items, by stack index (or, for references, by
 * model-wide resource index). */
static int group_by(group *g, const dt_vec *v, size_t elem, size_t nowners,
		    int kind)
{
	uint32_t *owner = dt_malloc((v->len ? v->len : 1) * sizeof(*owner));
	if (!owner)
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < v->len; i++) {
		const char *item = (const char *)v->data + i * elem;
		switch (kind) {
		case 0: owner[i] = ((const dt_dep *)item)->from->index; break;
		case 1:
			owner[i] = ((const dt_ref *)item)->consumer->index;
			break;
		case 2:
			owner[i] = (*(drtopo_param *const *)item)->stack->index;
			break;
		default:
			owner[i] = kind == 3 ? ((const dt_export *)item)
						       ->stack->index
					     : ((const dt_import *)item)
						       ->stack->index;
			break;
		}
	}
	int rc = group_build(g, v->len, nowners, owner);
	dt_free(owner);
	return rc;
}

/* ---- emitting ------------------------------------------------------ */

/* Records and lists of records go on one line when the line stays within
 * this many columns; otherwise one member (or element) a line. */
#define WIDTH 100

/* An object being written: flat (level < 0) or one member a line. */
typedef struct obj {
	int level;
	int first;
} obj;

static void indent(dt_buf *b, int level)
{
	dt_buf_putc(b, '\n');
	for (int i = 0; i < level; i++)
		dt_buf_put(b, "  ", 2);
}

static void obj_open(dt_buf *b, obj *o, int level)
{
	dt_buf_putc(b, '{');
	o->level = level;
	o->first = 1;
}

static void obj_key(dt_buf *b, obj *o, const char *key)
{
	if (!o->first)
		dt_buf_putc(b, ',');
	if (o->level >= 0)
		indent(b, o->level + 1);
	else if (!o->first)
		dt_buf_putc(b, ' ');
	o->first = 0;
	dt_buf_json_str(b, key);
	dt_buf_put(b, ": ", 2);
}

static void obj_str(dt_buf *b, obj *o, const char *key, const char *val)
{
	obj_key(b, o, key);
	dt_buf_json_str(b, val);
}

static void obj_opt(dt_buf *b, obj *o, const char *key, const char *val)
{
	if (val)
		obj_str(b, o, key, val);
}

static void obj_close(dt_buf *b, obj *o)
{
	if (o->level >= 0 && !o->first)
		indent(b, o->level);
	dt_buf_putc(b, '}');
}

/* Element i of a list whose '[' is at `level` (flat: level < 0). */
static void item(dt_buf *b, int level, size_t i)
{
	if (i)
		dt_buf_putc(b, ',');
	if (level >= 0)
		indent(b, level + 1);
	else if (i)
		dt_buf_putc(b, ' ');
}

static void list_close(dt_buf *b, int level, size_t n)
{
	if (level >= 0 && n)
		indent(b, level);
	dt_buf_putc(b, ']');
}

/* Something that can be written flat (level < 0) or spread at `level`. */
typedef void (*emit_fn)(const writer *w, dt_buf *b, const void *arg, int level);

/* Flat if the line stays within WIDTH, else spread at `level`. */
static void emit_fit(const writer *w, dt_buf *b, const void *arg, int level,
		     emit_fn fn)
{
	dt_buf tmp = DT_BUF_INIT;
	fn(w, &tmp, arg, -1);
	size_t col = 0;
	while (col < b->len && b->p[b->len - col - 1] != '\n')
		col++;
	if (tmp.oom)
		b->oom = 1;
	else if (col + tmp.len <= WIDTH)
		dt_buf_put(b, tmp.p, tmp.len);
	else
		fn(w, b, arg, level);
	dt_buf_free(&tmp);
}

/* A value, flat; `own` is the stack a bare resource id refers to. */
static void value(dt_buf *b, const dt_value *v, const drtopo_stack *own)
{
	obj o;
	if (v->kind == DT_VAL_NONE) {
		dt_buf_puts(b, "null");
		return;
	}
	obj_open(b, &o, -1);
	switch (v->kind) {
	case DT_VAL_TEXT: obj_str(b, &o, "text", v->text ? v->text : ""); break;
	case DT_VAL_RESOURCE: {
		const char *sid = v->res ? v->res->stack->id : v->stack_id;
		const char *rid = v->res ? v->res->id : v->res_id;
		if (sid && sid != own->id)
			obj_str(b, &o, "stack", sid);
		obj_str(b, &o, "resource", rid ? rid : "");
		obj_opt(b, &o, "attribute", v->attr);
		break;
	}
	case DT_VAL_PARAM:
		obj_str(b, &o, "parameter", v->text ? v->text : "");
		obj_opt(b, &o, "region", v->region);
		break;
	case DT_VAL_IMPORT:
		obj_str(b, &o, "import", v->text ? v->text : "");
		break;
	default: obj_str(b, &o, "unknown", v->text); break;
	}
	obj_close(b, &o);
}

/* Write member `key` of o, then fn's output: flat when o is flat, else
 * flat if it fits the line, else spread. */
static void member_fit(const writer *w, dt_buf *b, obj *o, const char *key,
		       const void *arg, emit_fn fn)
{
	obj_key(b, o, key);
	if (o->level < 0)
		fn(w, b, arg, -1);
	else
		emit_fit(w, b, arg, o->level + 1, fn);
}

static void emit_externals(const writer *w, dt_buf *b, const void *arg,
			   int level)
{
	const dt_vec *v = arg;
	dt_buf_putc(b, '[');
	for (size_t i = 0; i < v->len; i++) {
		const dt_external *e = DT_VEC_PTR(*v, dt_external, i);
		item(b, level, i);
		if (strchr(e->name, '@') ||
		    (e->region && strchr(e->region, '@'))) {
			obj o;
			obj_open(b, &o, -1);
			obj_str(b, &o, "name", e->name);
			obj_opt(b, &o, "region", e->region);
			obj_close(b, &o);
		} else if (e->region) {
			dt_buf t = DT_BUF_INIT;
			dt_buf_printf(&t, "%s@%s", e->name, e->region);
			if (t.oom)
				b->oom = 1;
			else
				dt_buf_json_str(b, t.p);
			dt_buf_free(&t);
		} else {
			dt_buf_json_str(b, e->name);
		}
	}
	list_close(b, level, v->len);
	(void)w;
}

static void emit_deps(const writer *w, dt_buf *b, const void *arg, int level)
{
	const drtopo_stack *s = arg;
	size_t d0 = w->deps.off[s->index], d1 = w->deps.off[s->index + 1];
	dt_buf_putc(b, '[');
	for (size_t i = d0; i < d1; i++) {
		const dt_dep *d =
			DT_VEC_PTR(w->m->deps, dt_dep, w->deps.idx[i]);
		item(b, level, i - d0);
		dt_buf_json_str(b, d->to ? d->to->id : d->to_id);
	}
	list_close(b, level, d1 - d0);
}

static int table_needs_replicas(const dt_table *t)
{
	return t->replicas.len > 0 ||
	       (!t->cfn_replicas && t->cmk.kind == DT_VAL_NONE &&
		t->keys.len == 0);
}

static void emit_replicas(const writer *w, dt_buf *b, const void *arg,
			  int level)
{
	const dt_table *t = arg;
	dt_buf_putc(b, '[');
	for (size_t i = 0; i < t->replicas.len; i++) {
		const dt_replica *rep = DT_VEC_PTR(t->replicas, dt_replica, i);
		item(b, level, i);
		if (rep->via) {
			obj ro;
			obj_open(b, &ro, -1);
			obj_str(b, &ro, "region", rep->region);
			obj_str(b, &ro, "via", rep->via->id);
			obj_close(b, &ro);
		} else {
			dt_buf_json_str(b, rep->region);
		}
	}
	list_close(b, level, t->replicas.len);
	(void)w;
}

static void emit_replica_keys(const writer *w, dt_buf *b, const void *arg,
			      int level)
{
	const drtopo_resource *r = arg;
	const dt_table *t = r->table;
	obj o;
	obj_open(b, &o, level);
	for (size_t i = 0; i < t->keys.len; i++) {
		const dt_replica_key *k =
			DT_VEC_PTR(t->keys, dt_replica_key, i);
		obj_key(b, &o, k->region);
		value(b, &k->key, r->stack);
	}
	obj_close(b, &o);
	(void)w;
}

static void write_table(const writer *w, dt_buf *b, obj *o,
			const drtopo_resource *r)
{
	const dt_table *t = r->table;
	if (table_needs_replicas(t))
		member_fit(w, b, o, "replicas", t, emit_replicas);
	if (t->cfn_replicas) {
		obj_key(b, o, "replicas_include_own_region");
		dt_buf_puts(b, "true");
	}
	if (t->cmk.kind != DT_VAL_NONE) {
		obj_key(b, o, "key");
		value(b, &t->cmk, r->stack);
	}
	if (t->keys.len)
		member_fit(w, b, o, "replica_keys", r, emit_replica_keys);
}

static void emit_refs(const writer *w, dt_buf *b, const void *arg, int level)
{
	const drtopo_resource *r = arg;
	const group *g = &w->refs;
	size_t r0 = g->off[r->index], r1 = g->off[r->index + 1];
	dt_buf_putc(b, '[');
	for (size_t i = r0; i < r1; i++) {
		const dt_ref *ref = DT_VEC_PTR(w->m->refs, dt_ref, g->idx[i]);
		const char *sid = ref->producer ? ref->producer->stack->id
						: ref->stack_id;
		const char *rid =
			ref->producer ? ref->producer->id : ref->res_id;
		obj ro;
		item(b, level, i - r0);
		obj_open(b, &ro, -1);
		if (sid && sid != r->stack->id)
			obj_str(b, &ro, "stack", sid);
		obj_str(b, &ro, "resource", rid ? rid : "");
		obj_opt(b, &ro, "attribute", ref->attr);
		obj_close(b, &ro);
	}
	list_close(b, level, r1 - r0);
}

/* Flag names of bits, flat: table 0 resource, 1 replication, 2 route
 * flags (bit i has name i; the document loader reads the same names). */
static void flag_list(dt_buf *b, unsigned int bits, int which)
{
	static const char *const names[3][4] = {
		{"versioned", "sse-kms", "strong-consistency", NULL},
		{"rtc", "sse-kms-objects", "disabled", NULL},
		{"secondary", "default", "evaluate-target-health",
		 "health-check"},
	};
	size_t n = 0;
	dt_buf_putc(b, '[');
	for (unsigned int i = 0; i < 4; i++) {
		if (!(bits & (1u << i)) || !names[which][i])
			continue;
		item(b, -1, n++);
		dt_buf_json_str(b, names[which][i]);
	}
	dt_buf_putc(b, ']');
}

/* "objectives" of one level, when it declares any. */
static void write_objectives(dt_buf *b, obj *o, const dt_objectives *x)
{
	if (x->rpo < 0 && x->rto < 0 && x->strategy <= 0)
		return;
	obj jo;
	obj_key(b, o, "objectives");
	obj_open(b, &jo, -1);
	if (x->rpo >= 0) {
		obj_key(b, &jo, "rpo");
		dt_buf_printf(b, "%ld", x->rpo);
	}
	if (x->rto >= 0) {
		obj_key(b, &jo, "rto");
		dt_buf_printf(b, "%ld", x->rto);
	}
	obj_opt(b, &jo, "strategy", drtopo_strategy_name(x->strategy));
	obj_close(b, &jo);
}

static void emit_routes(const writer *w, dt_buf *b, const void *arg, int level)
{
	const drtopo_resource *r = arg;
	const dt_vec *v = &r->extra->routes;
	(void)w;
	dt_buf_putc(b, '[');
	for (size_t i = 0; i < v->len; i++) {
		const drtopo_route *rt = DT_VEC_AT(*v, drtopo_route *, i);
		unsigned flags = rt->flags;
		obj o;
		item(b, level, i);
		obj_open(b, &o, -1);
		obj_str(b, &o, "name", rt->name);
		obj_opt(b, &o, "set_identifier", rt->set_id);
		obj_str(b, &o, "policy",
			drtopo_routing_policy_name(rt->policy));
		/* a check of the same stack by name, one of another stack
		 * as {stack, resource}; either implies the flag */
		if (rt->check && rt->check->stack == r->stack) {
			obj_str(b, &o, "health_check", rt->check->id);
		} else if (rt->check) {
			obj hc;
			obj_key(b, &o, "health_check");
			obj_open(b, &hc, -1);
			obj_str(b, &hc, "stack", rt->check->stack->id);
			obj_str(b, &hc, "resource", rt->check->id);
			obj_close(b, &hc);
		}
		if (rt->check)
			flags &= ~(unsigned)DRTOPO_ROUTE_HEALTH_CHECK;
		if (flags) {
			obj_key(b, &o, "flags");
			flag_list(b, flags, 2);
		}
		if (rt->target) {
			obj t;
			obj_key(b, &o, "target");
			obj_open(b, &t, -1);
			if (rt->target->stack != r->stack)
				obj_str(b, &t, "stack", rt->target->stack->id);
			obj_str(b, &t, "resource", rt->target->id);
			obj_close(b, &t);
		}
		obj_opt(b, &o, "region", rt->region);
		obj_close(b, &o);
	}
	list_close(b, level, v->len);
}

static void emit_arns(const writer *w, dt_buf *b, const void *arg, int level)
{
	const dt_res_extra *x = arg;
	(void)w;
	dt_buf_putc(b, '[');
	for (size_t i = 0; i < x->arns.len; i++) {
		item(b, level, i);
		dt_buf_json_str(b, DT_VEC_PTR(x->arns, dt_arn, i)->text);
	}
	list_close(b, level, x->arns.len);
}

static void emit_repl(const writer *w, dt_buf *b, const void *arg, int level)
{
	const drtopo_resource *r = arg;
	const dt_vec *v = &r->extra->repls;
	(void)w;
	dt_buf_putc(b, '[');
	for (size_t i = 0; i < v->len; i++) {
		const drtopo_replication *p =
			DT_VEC_AT(*v, drtopo_replication *, i);
		obj o;
		item(b, level, i);
		obj_open(b, &o, -1);
		obj_str(b, &o, "kind", dt_replication_kind_name(p->kind));
		obj_opt(b, &o, "region", p->region);
		if (!(p->target.kind == DT_VAL_UNKNOWN && p->target.text &&
		      strcmp(p->target.text, "no target") == 0)) {
			obj_key(b, &o, "target");
			value(b, &p->target, r->stack);
		}
		if (p->flags) {
			obj_key(b, &o, "flags");
			flag_list(b, p->flags, 1);
		}
		if (p->period != -1) {
			obj_key(b, &o, "period");
			dt_buf_printf(b, "%ld", p->period);
		}
		obj_close(b, &o);
	}
	list_close(b, level, v->len);
}

static void write_extra(const writer *w, dt_buf *b, obj *o,
			const drtopo_resource *r)
{
	unsigned int flags = r->flags & (DRTOPO_RESOURCE_VERSIONED |
					 DRTOPO_RESOURCE_SSE_KMS |
					 DRTOPO_RESOURCE_STRONG_CONSISTENCY);
	if (flags) {
		obj_key(b, o, "flags");
		flag_list(b, flags, 0);
	}
	/* not literal in its template: neither versioned nor not (DRT409) */
	if ((r->flags & DT_RES_VERSIONING_UNKNOWN) &&
	    !(r->flags & DRTOPO_RESOURCE_VERSIONED)) {
		obj_key(b, o, "unknown_flags");
		flag_list(b, DRTOPO_RESOURCE_VERSIONED, 0);
	}
	if (r->extra && r->extra->arns.len)
		member_fit(w, b, o, "arns", r->extra, emit_arns);
	if (r->extra && r->extra->repls.len)
		member_fit(w, b, o, "replication", r, emit_repl);
	if (r->extra)
		write_objectives(b, o, &r->extra->obj);
	if (r->extra && r->extra->routes.len)
		member_fit(w, b, o, "routes", r, emit_routes);
}

static void emit_resource(const writer *w, dt_buf *b, const void *arg,
			  int level)
{
	const drtopo_resource *r = arg;
	const group *g = &w->refs;
	obj o;
	obj_open(b, &o, level);
	obj_str(b, &o, "id", r->id);
	obj_str(b, &o, "type", r->type);
	obj_opt(b, &o, "name", r->physical_name);
	if (g->off[r->index] < g->off[r->index + 1])
		member_fit(w, b, &o, "references", r, emit_refs);
	write_extra(w, b, &o, r);
	if (r->table)
		write_table(w, b, &o, r);
	obj_close(b, &o);
}

/* One parameter list of a stack: arg is the stack, kind in the list's
 * first element. */
typedef struct param_list {
	const drtopo_stack *s;
	int kind;
} param_list;

static size_t count_params(const writer *w, const drtopo_stack *s, int kind)
{
	const group *g = &w->params;
	size_t n = 0;
	for (size_t i = g->off[s->index]; i < g->off[s->index + 1]; i++) {
		if (DT_VEC_AT(w->m->params, drtopo_param *, g->idx[i])->kind ==
		    kind)
			n++;
	}
	return n;
}

static void emit_param_list(const writer *w, dt_buf *b, const void *arg,
			    int level)
{
	const param_list *pl = arg;
	const group *g = &w->params;
	size_t n = 0;
	dt_buf_putc(b, '[');
	for (size_t i = g->off[pl->s->index]; i < g->off[pl->s->index + 1];
	     i++) {
		const drtopo_param *p =
			DT_VEC_AT(w->m->params, drtopo_param *, g->idx[i]);
		if (p->kind != pl->kind)
			continue;
		obj o;
		item(b, level, n++);
		obj_open(b, &o, -1);
		obj_str(b, &o, "name", p->name);
		if (p->explicit_region)
			obj_opt(b, &o, "region", p->region);
		if (p->res)
			obj_str(b, &o, "resource", p->res->id);
		if (p->value.kind != DT_VAL_NONE) {
			obj_key(b, &o, "value");
			value(b, &p->value, pl->s);
		}
		obj_close(b, &o);
	}
	list_close(b, level, n);
}

static void emit_params(const writer *w, dt_buf *b, const void *arg, int level)
{
	const drtopo_stack *s = arg;
	obj o;
	obj_open(b, &o, level);
	for (int kind = DRTOPO_PARAM_WRITE; kind <= DRTOPO_PARAM_READ; kind++) {
		param_list pl = {s, kind};
		if (!count_params(w, s, kind))
			continue;
		member_fit(w, b, &o,
			   kind == DRTOPO_PARAM_WRITE ? "writes" : "reads", &pl,
			   emit_param_list);
	}
	obj_close(b, &o);
}

/* exports (kind 0), imports (1), output reads (2) of a stack */
typedef struct io_list {
	const drtopo_stack *s;
	int kind;
} io_list;

static const group *io_group(const writer *w, int kind)
{
	return kind == 0 ? &w->exports : kind == 1 ? &w->imports : &w->outputs;
}

static void emit_io(const writer *w, dt_buf *b, const void *arg, int level)
{
	const io_list *l = arg;
	const group *g = io_group(w, l->kind);
	const dt_vec *v = l->kind == 0	 ? &w->m->exports
			  : l->kind == 1 ? &w->m->imports
					 : &w->m->outputs;
	size_t i0 = g->off[l->s->index], i1 = g->off[l->s->index + 1];
	dt_buf_putc(b, '[');
	for (size_t i = i0; i < i1; i++) {
		obj o;
		item(b, level, i - i0);
		obj_open(b, &o, -1);
		if (l->kind == 0) {
			const dt_export *e =
				DT_VEC_PTR(*v, dt_export, g->idx[i]);
			obj_str(b, &o, "name", e->name);
			if (e->res)
				obj_str(b, &o, "resource", e->res->id);
		} else {
			const dt_import *e =
				DT_VEC_PTR(*v, dt_import, g->idx[i]);
			if (l->kind == 2) {
				obj_str(b, &o, "stack", e->producer);
				obj_str(b, &o, "output", e->name);
				obj_opt(b, &o, "region", e->region);
				obj_opt(b, &o, "account", e->account);
			} else {
				obj_str(b, &o, "name", e->name);
			}
			if (e->res)
				obj_str(b, &o, "resource", e->res->id);
		}
		obj_close(b, &o);
	}
	list_close(b, level, i1 - i0);
}

static void write_stack(const writer *w, dt_buf *b, const drtopo_stack *s,
			int level)
{
	static const char *const io_keys[] = {"exports", "imports",
					      "output_reads"};
	obj o;
	obj_open(b, &o, level);
	obj_str(b, &o, "id", s->id);
	obj_opt(b, &o, "name", s->name);
	obj_opt(b, &o, "stack_name", s->stack_name);
	obj_str(b, &o, "account", s->account);
	obj_str(b, &o, "region", s->region);
	write_objectives(b, &o, &s->obj);

	if (w->deps.off[s->index] < w->deps.off[s->index + 1])
		member_fit(w, b, &o, "depends_on", s, emit_deps);
	if (s->resources.len) {
		obj_key(b, &o, "resources");
		dt_buf_putc(b, '[');
		for (size_t i = 0; i < s->resources.len; i++) {
			item(b, level + 1, i);
			emit_fit(w, b,
				 DT_VEC_AT(s->resources, drtopo_resource *, i),
				 level + 2, emit_resource);
		}
		list_close(b, level + 1, s->resources.len);
	}
	if (w->params.off[s->index] < w->params.off[s->index + 1])
		member_fit(w, b, &o, "parameters", s, emit_params);
	for (int kind = 0; kind < 3; kind++) {
		const group *g = io_group(w, kind);
		io_list l = {s, kind};
		if (g->off[s->index] == g->off[s->index + 1])
			continue;
		member_fit(w, b, &o, io_keys[kind], &l, emit_io);
	}
	obj_close(b, &o);
}

int drtopo_model_to_json(const drtopo_model *m, char **out, size_t *len_out)
{
	if (!m || !out)
		return DRTOPO_EINVAL;
	writer w;
	memset(&w, 0, sizeof(w));
	w.m = m;
	size_t ns = m->stacks.len;
	int rc = group_by(&w.deps, &m->deps, sizeof(dt_dep), ns, 0);
	if (!rc)
		rc = group_by(&w.refs, &m->refs, sizeof(dt_ref), m->nresources,
			      1);
	if (!rc)
		rc = group_by(&w.params, &m->params, sizeof(drtopo_param *), ns,
			      2);
	if (!rc)
		rc = group_by(&w.exports, &m->exports, sizeof(dt_export), ns,
			      3);
	if (!rc)
		rc = group_by(&w.imports, &m->imports, sizeof(dt_import), ns,
			      4);
	if (!rc)
		rc = group_by(&w.outputs, &m->outputs, sizeof(dt_import), ns,
			      5);
	if (!rc) {
		dt_buf *b = &w.b;
		obj root;
		obj_open(b, &root, 0);
		obj_str(b, &root, "schema", DRTOPO_TOPOLOGY_SCHEMA);
		if (m->externals.len)
			member_fit(&w, b, &root, "externals", &m->externals,
				   emit_externals);
		write_objectives(b, &root, &m->obj);
		obj_key(b, &root, "stacks");
		dt_buf_putc(b, '[');
		for (size_t i = 0; i < ns; i++) {
			item(b, 1, i);
			write_stack(&w, b,
				    DT_VEC_AT(m->stacks, drtopo_stack *, i), 2);
		}
		list_close(b, 1, ns);
		obj_close(b, &root);
		dt_buf_putc(b, '\n');
		rc = dt_buf_finish(b, out, len_out);
	} else {
		dt_buf_free(&w.b);
	}
	group_free(&w.deps);
	group_free(&w.refs);
	group_free(&w.params);
	group_free(&w.exports);
	group_free(&w.imports);
	group_free(&w.outputs);
	return rc;
}
