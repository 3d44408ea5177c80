/*
 * Rules DRT101-DRT103: the stack graph and the stacks' environments.
 */
#include <stdio.h>

#include "rules.h"

/* ---- DRT101 dependency-cycle --------------------------------------- */

/* Where the link behind an edge was written: the first explicit
 * dependency or reference between the two stacks, if it came from a
 * file. Only the first edge of each cycle is asked for, so only those
 * pairs are indexed (one scan of the links, a map of ncycles entries);
 * a pair not found keeps the `pending` tag. */
typedef struct link_locs {
	dt_map deps, refs; /* (from stack, to stack) -> dt_loc * */
	char pending;
} link_locs;

static drtopo_stack *stack_at(const dt_check *c, uint32_t i)
{
	return DT_VEC_AT(c->m->stacks, drtopo_stack *, i);
}

static int link_locs_build(link_locs *l, const dt_check *c)
{
	const drtopo_model *m = c->m;
	dt_map_init(&l->deps);
	dt_map_init(&l->refs);
	for (size_t i = 0; i < c->r->ncycles; i++) {
		const dt_edge *e = c->r->cycles[i].edge[0];
		dt_map *map = e->kind == DRTOPO_EDGE_EXPLICIT	 ? &l->deps
			      : e->kind == DRTOPO_EDGE_REFERENCE ? &l->refs
								 : NULL;
		if (map && dt_map_put(map, stack_at(c, e->from),
				      stack_at(c, e->to), &l->pending))
			return DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < m->deps.len && l->deps.len; i++) {
		const dt_dep *d = DT_VEC_PTR(m->deps, dt_dep, i);
		if (d->to && d->loc.file &&
		    dt_map_get(&l->deps, d->from, d->to) == &l->pending &&
		    dt_map_put(&l->deps, d->from, d->to, (void *)&d->loc))
			return DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < m->refs.len && l->refs.len; i++) {
		const dt_ref *f = DT_VEC_PTR(m->refs, dt_ref, i);
		const drtopo_stack *from = f->consumer->stack;
		if (f->producer && f->loc.file &&
		    dt_map_get(&l->refs, from, f->producer->stack) ==
			    &l->pending &&
		    dt_map_put(&l->refs, from, f->producer->stack,
			       (void *)&f->loc))
			return DRTOPO_ENOMEM;
	}
	return 0;
}

static const dt_loc *edge_loc(const link_locs *l, const drtopo_stack *from,
			      const drtopo_stack *to, int kind)
{
	const void *loc =
		kind == DRTOPO_EDGE_EXPLICIT	? dt_map_get(&l->deps, from, to)
		: kind == DRTOPO_EDGE_REFERENCE ? dt_map_get(&l->refs, from, to)
						: NULL;
	return loc == &l->pending ? NULL : loc;
}

/* "A -> B -> A (A -> B: explicit; B -> A: reference Key.Arn)" */
static void cycle_text(dt_check *c, const dt_cycle *cy, dt_buf *b)
{
	for (uint32_t i = 0; i < cy->len; i++)
		dt_buf_printf(b, "%s -> ", stack_at(c, cy->path[i])->id);
	dt_buf_printf(b, "%s (", stack_at(c, cy->path[0])->id);
	for (uint32_t i = 0; i < cy->len; i++) {
		const dt_edge *e = cy->edge[i];
		int oom = 0;
		const char *via =
			dt_edge_via(c->r, (size_t)(e - c->r->edges), &oom);
		if (oom)
			b->oom = 1;
		dt_buf_printf(b, "%s%s -> %s: %s", i ? "; " : "",
			      stack_at(c, e->from)->id, stack_at(c, e->to)->id,
			      drtopo_edge_kind_name(e->kind));
		if (via)
			dt_buf_printf(b, " %s", via);
	}
	dt_buf_putc(b, ')');
}

static void report_cycle(dt_check *c, const dt_cycle *cy, const link_locs *l)
{
	dt_buf b = DT_BUF_INIT;
	cycle_text(c, cy, &b);
	if (b.oom) {
		dt_buf_free(&b);
		c->err = DRTOPO_ENOMEM;
		return;
	}
	const drtopo_stack *s = stack_at(c, cy->path[0]);
	const dt_edge *e = cy->edge[0];
	drtopo_diagnostic *d = dt_emit(
		c, s, NULL, NULL, edge_loc(l, s, stack_at(c, e->to), e->kind),
		"stacks depend on each other in a loop: %s", b.p);
	dt_buf_free(&b);
	dt_hint(c, d,
		"break the loop: remove one of these dependencies, or move "
		"what the stacks share into a stack that all of them depend "
		"on (no order can deploy a cycle)");
	for (uint32_t i = 1; i < cy->len; i++)
		dt_relate(c, d, stack_at(c, cy->path[i]), NULL, NULL);
}

void dt_rule_dependency_cycle(dt_check *c)
{
	if (!c->r->ncycles)
		return;
	link_locs l;
	if (link_locs_build(&l, c))
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < c->r->ncycles && !c->err; i++)
		report_cycle(c, &c->r->cycles[i], &l);
	dt_map_free(&l.deps);
	dt_map_free(&l.refs);
}

/* ---- DRT102 unknown-target ----------------------------------------- */

/* A link to resource res_id of stack stack_id, which the model lacks:
 * say whether the stack or only the resource is missing. */
static void missing_resource(dt_check *c, const drtopo_stack *s,
			     const drtopo_resource *res, const dt_loc *loc,
			     const char *what, const char *stack_id,
			     const char *res_id)
{
	const drtopo_stack *t = stack_id ? dt_stack_find(c->m, stack_id) : NULL;
	drtopo_diagnostic *d;
	if (t)
		d = dt_emit(c, s, res, NULL, dt_at(loc),
			    "%s names resource '%s' of stack '%s', which has "
			    "no such resource",
			    what, dt_or(res_id, "?"), stack_id);
	else
		d = dt_emit(c, s, res, NULL, dt_at(loc),
			    "%s names resource '%s' of stack '%s', which the "
			    "model does not contain",
			    what, dt_or(res_id, "?"), dt_or(stack_id, "?"));
	dt_hint(c, d,
		"fix the name, or add the missing stack or resource to the "
		"input (a stack left out of the input cannot be checked)");
	if (t)
		dt_relate(c, d, t, NULL, NULL);
}

static void unknown_deps(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->deps.len && !c->err; i++) {
		const dt_dep *dep = DT_VEC_PTR(m->deps, dt_dep, i);
		if (dep->to)
			continue;
		drtopo_diagnostic *d = dt_emit(
			c, dep->from, NULL, NULL, dt_at(&dep->loc),
			"stack %s depends on stack '%s', which the model does "
			"not contain",
			dep->from->id, dep->to_id);
		dt_hint(c, d,
			"fix the stack id, or add stack '%s' to the input",
			dep->to_id);
	}
}

static void unknown_refs(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->refs.len && !c->err; i++) {
		const dt_ref *f = DT_VEC_PTR(m->refs, dt_ref, i);
		if (!f->producer)
			missing_resource(c, NULL, f->consumer, &f->loc,
					 "a reference", f->stack_id, f->res_id);
	}
}

static int missing_value(const dt_value *v)
{
	return v->kind == DT_VAL_RESOURCE && !v->res;
}

static void unknown_keys(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->tables.len && !c->err; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(m->tables, drtopo_resource *, i);
		const dt_table *tb = t->table;
		if (missing_value(&tb->cmk))
			missing_resource(c, NULL, t, &tb->cmk_loc,
					 "the table key", tb->cmk.stack_id,
					 tb->cmk.res_id);
		for (size_t k = 0; k < tb->keys.len && !c->err; k++) {
			const dt_replica_key *rk =
				DT_VEC_PTR(tb->keys, dt_replica_key, k);
			if (!missing_value(&rk->key))
				continue;
			char what[128];
			snprintf(what, sizeof(what), "the replica key for %s",
				 rk->region);
			missing_resource(c, NULL, t, &rk->loc, what,
					 rk->key.stack_id, rk->key.res_id);
		}
	}
}

static void unknown_param_values(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->params.len && !c->err; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (!missing_value(&p->value))
			continue;
		missing_resource(c, p->stack, p->res, &p->loc,
				 "the value written to a parameter",
				 p->value.stack_id, p->value.res_id);
	}
}

static void unknown_repl_targets(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->extras.len && !c->err; i++) {
		const drtopo_resource *r =
			DT_VEC_AT(m->extras, drtopo_resource *, i);
		for (size_t j = 0; j < r->extra->repls.len && !c->err; j++) {
			const drtopo_replication *p = DT_VEC_AT(
				r->extra->repls, drtopo_replication *, j);
			if (!missing_value(&p->target))
				continue;
			char what[128];
			snprintf(what, sizeof(what),
				 "the target of replication setting %s",
				 dt_replication_kind_name(p->kind));
			missing_resource(c, NULL, r, &p->loc, what,
					 p->target.stack_id, p->target.res_id);
		}
	}
}

/* The resolver finds a read's producer by stack name (or id) in the
 * read's region and account; none there is a missing target. */
static void unknown_outputs(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->outputs.len && !c->err; i++) {
		const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, i);
		if (dt_output_read_producer(c->r, i))
			continue;
		const char *acc = o->account ? o->account : o->stack->account;
		const char *reg = o->region ? o->region : o->stack->region;
		drtopo_diagnostic *d = dt_emit(
			c, o->stack, o->res, NULL, dt_at(&o->loc),
			"stack %s reads output '%s' of stack '%s' "
			"(Fn::GetStackOutput) in account %s, region %s, where "
			"the model has no such stack",
			o->stack->id, o->name, o->producer,
			dt_or(acc, "unknown"), dt_or(reg, "unknown"));
		dt_hint(c, d,
			"fix the stack name or the region, or add stack '%s' "
			"to the input",
			o->producer);
	}
}

void dt_rule_unknown_target(dt_check *c)
{
	unknown_deps(c);
	unknown_refs(c);
	unknown_keys(c);
	unknown_param_values(c);
	unknown_repl_targets(c);
	unknown_outputs(c);
}

/* ---- DRT103 unresolved-environment --------------------------------- */

/* Links whose correctness depends on where an env-agnostic stack lands.
 * Each stack keeps its first such link and a count: the fix (give the
 * stack an environment) is one, so the finding is one per stack. */
typedef struct wire {
	const drtopo_stack *other;
	const char *what;  /* "reference to B/Key.Arn", ... */
	const dt_loc *loc; /* when the link is written in this stack */
	size_t count;
} wire;

typedef struct wires {
	dt_check *c;
	wire *w;	   /* per stack index */
	dt_envidx exports; /* by name and environment */
	dt_envidx writes;  /* parameter writes */
} wires;

/* Which of a's environment parts are unknown where b's are known. */
static int unknown_parts(const drtopo_stack *a, const drtopo_stack *b)
{
	return (!a->account && b->account ? 1 : 0) |
	       (!a->region && b->region ? 2 : 0);
}

static void wire_note(wires *ws, const drtopo_stack *s,
		      const drtopo_stack *other, const dt_loc *loc,
		      const char *fmt, const char *x, const char *y)
{
	wire *w = &ws->w[s->index];
	if (w->count++)
		return;
	w->other = other;
	w->loc = loc;
	w->what = dt_arena_printf(&ws->c->r->arena, fmt, x, y);
	if (!w->what)
		ws->c->err = DRTOPO_ENOMEM;
}

/* A link from `from` (where it is written) to `to`: note it on each
 * side whose environment is partly unknown where the other's is known. */
static void wire_pair(wires *ws, const drtopo_stack *from,
		      const drtopo_stack *to, const dt_loc *loc,
		      const char *fmt, const char *x, const char *y)
{
	if (from == to)
		return;
	if (unknown_parts(from, to))
		wire_note(ws, from, to, dt_at(loc), fmt, x, y);
	if (unknown_parts(to, from))
		wire_note(ws, to, from, NULL, fmt, x, y);
}

static void wire_refs(wires *ws)
{
	const drtopo_model *m = ws->c->m;
	for (size_t i = 0; i < m->refs.len && !ws->c->err; i++) {
		const dt_ref *f = DT_VEC_PTR(m->refs, dt_ref, i);
		if (f->producer)
			wire_pair(ws, f->consumer->stack, f->producer->stack,
				  &f->loc, "a reference to %s/%s",
				  f->producer->stack->id, f->producer->id);
	}
}

/* An import that no export of its exact environment answers, but one
 * whose environment is partly unknown may: a wire to that exporter. */
static void wire_imports(wires *ws)
{
	const drtopo_model *m = ws->c->m;
	for (size_t i = 0; i < m->exports.len && !ws->c->err; i++) {
		const dt_export *e = DT_VEC_PTR(m->exports, dt_export, i);
		if (dt_envidx_add(&ws->exports, e->name, e->stack->account,
				  e->stack->region, (uint32_t)i))
			ws->c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < m->imports.len && !ws->c->err; i++) {
		const dt_import *imp = DT_VEC_PTR(m->imports, dt_import, i);
		const drtopo_stack *s = imp->stack;
		if (dt_envidx_find(&ws->exports, imp->name, s->account,
				   s->region, 0) != DT_NONE)
			continue;
		uint32_t j = dt_envidx_find(&ws->exports, imp->name, s->account,
					    s->region,
					    DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
		if (j == DT_NONE)
			continue;
		const dt_export *e = DT_VEC_PTR(m->exports, dt_export, j);
		wire_pair(ws, s, e->stack, &imp->loc,
			  "an import of export %s (exported by %s)", imp->name,
			  e->stack->id);
	}
}

/* Parameters: accounts match loosely (an unknown account is the default
 * one), so only an unknown region leaves a read open: a read in an
 * unknown region of a name written only in known ones, or a read in a
 * known region that only a writer of unknown region may answer. */
static void wire_params(wires *ws)
{
	const drtopo_model *m = ws->c->m;
	for (size_t i = 0; i < m->params.len && !ws->c->err; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == DRTOPO_PARAM_WRITE &&
		    dt_envidx_add(&ws->writes, p->name, p->stack->account,
				  p->region, (uint32_t)i))
			ws->c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < m->params.len && !ws->c->err; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind != DRTOPO_PARAM_READ ||
		    dt_envidx_find(&ws->writes, p->name, p->stack->account,
				   p->region, DT_LOOSE_ACCOUNT) != DT_NONE)
			continue;
		uint32_t j = p->region
				     ? dt_envidx_find(&ws->writes, p->name,
						      p->stack->account, NULL,
						      DT_LOOSE_ACCOUNT)
				     : dt_envidx_anywhere(&ws->writes, p->name);
		if (j == DT_NONE)
			continue;
		const drtopo_param *w = DT_VEC_AT(m->params, drtopo_param *, j);
		if (w->stack == p->stack || (!p->region && !w->region))
			continue;
		if (!p->region)
			wire_note(ws, p->stack, w->stack, dt_at(&p->loc),
				  "a read of parameter %s (written in %s)",
				  p->name,
				  dt_or(w->region, "an unknown region"));
		else
			wire_note(ws, w->stack, p->stack, dt_at(&w->loc),
				  "a write of parameter %s (read in %s)",
				  p->name, p->region);
	}
}

static void wire_key(wires *ws, const drtopo_resource *t, const dt_value *v,
		     const dt_loc *loc)
{
	if (v->kind == DT_VAL_RESOURCE && v->res)
		wire_pair(ws, t->stack, v->res->stack, loc,
			  "a key link to %s/%s", v->res->stack->id, v->res->id);
}

static void wire_keys(wires *ws)
{
	const drtopo_model *m = ws->c->m;
	for (size_t i = 0; i < m->tables.len && !ws->c->err; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(m->tables, drtopo_resource *, i);
		wire_key(ws, t, &t->table->cmk, &t->table->cmk_loc);
		for (size_t k = 0; k < t->table->keys.len; k++) {
			const dt_replica_key *rk =
				DT_VEC_PTR(t->table->keys, dt_replica_key, k);
			wire_key(ws, t, &rk->key, &rk->loc);
		}
	}
}

static const char *unknown_what(const drtopo_stack *s)
{
	if (!s->account && !s->region)
		return "account and region";
	return s->account ? "region" : "account";
}

static void report_wire(dt_check *c, const drtopo_stack *s, const wire *w)
{
	const drtopo_stack *o = w->other;
	char more[64] = "";
	if (w->count > 1)
		snprintf(more, sizeof(more), " (and %zu more link%s)",
			 w->count - 1, w->count > 2 ? "s" : "");
	drtopo_diagnostic *d = dt_emit(
		c, s, NULL, NULL, w->loc,
		"stack %s has an unknown %s (env-agnostic) but is wired to "
		"stack %s (account %s, region %s) by %s%s: whether that works "
		"depends on where %s is deployed",
		s->id, unknown_what(s), o->id, dt_or(o->account, "unknown"),
		dt_or(o->region, "unknown"), w->what, more, s->id);
	dt_hint(c, d,
		"give stack %s an explicit account and region (CDK: env: "
		"{ account, region }), or make the stacks it is wired to "
		"env-agnostic as well",
		s->id);
	dt_relate(c, d, o, NULL, NULL);
}

/* A global table with replicas in a stack of unknown region: whether a
 * replica region is the table's own cannot be known. An unknown account
 * alone does not matter here (the seed's stacks have one). */
static void agnostic_tables(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->tables.len && !c->err; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(m->tables, drtopo_resource *, i);
		if (t->stack->region || !t->table->replicas.len)
			continue;
		const dt_replica *rep =
			DT_VEC_PTR(t->table->replicas, dt_replica, 0);
		drtopo_diagnostic *d = dt_emit(
			c, t->stack, t, NULL, dt_at(&rep->loc),
			"table %s/%s has replicas (%s, ...) but stack %s has "
			"an unknown region: whether a replica region is the "
			"table's own depends on where the stack is deployed",
			t->stack->id, t->id, rep->region, t->stack->id);
		dt_hint(c, d,
			"give stack %s an explicit region (CDK: env: { "
			"account, "
			"region })",
			t->stack->id);
	}
}

void dt_rule_unresolved_environment(dt_check *c)
{
	wires ws = {0};
	uint32_t agnostic = 0;
	for (uint32_t i = 0; i < c->r->nstacks; i++)
		agnostic += dt_env_agnostic(
			DT_VEC_AT(c->m->stacks, drtopo_stack *, i));
	/* Only links that touch an env-agnostic stack can be wrong here. */
	if (!agnostic)
		return;
	ws.c = c;
	ws.w = dt_calloc(c->r->nstacks ? c->r->nstacks : 1, sizeof(wire));
	dt_envidx_init(&ws.exports, &c->r->arena,
		       DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
	dt_envidx_init(&ws.writes, &c->r->arena, DT_LOOSE_ACCOUNT);
	if (!ws.w)
		c->err = DRTOPO_ENOMEM;
	if (!c->err) {
		wire_refs(&ws);
		wire_imports(&ws);
		wire_params(&ws);
		wire_keys(&ws);
	}
	for (uint32_t i = 0; i < c->r->nstacks && !c->err; i++)
		if (ws.w[i].count)
			report_wire(c,
				    DT_VEC_AT(c->m->stacks, drtopo_stack *, i),
				    &ws.w[i]);
	agnostic_tables(c);
	dt_envidx_free(&ws.exports);
	dt_envidx_free(&ws.writes);
	dt_free(ws.w);
}
