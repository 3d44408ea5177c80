/*
 * Rules DRT201-DRT206: what may cross a stack boundary, and how.
 */
#include <stdio.h>

#include "rules.h"

/* ---- DRT201 / DRT202: strong references across environments -------- */

/* A reference that crosses regions or accounts is fine when something
 * carries the value into the consumer's environment:
 *   - a parameter that the producer's stack writes into the consumer's
 *     region and the consumer's stack reads there (CDK's export writer
 *     and reader, or a hand-written pair), or
 *   - a stack-output read (Fn::GetStackOutput) from consumer to producer.
 * The answer depends only on the (consumer stack, producer stack) pair,
 * so it is computed once per pair. For the parameter carrier the pair
 * walks the shorter of the two stacks' parameter lists and probes the
 * other side's hash set: sum of min(|S|, |P|) over distinct pairs. */
typedef struct carriers {
	dt_check *c;
	dt_pairs names; /* (name, region) tokens */
	dt_map reads;	/* (S, name) -> S reads name in its own region */
	dt_map writes;	/* (P, (name, region) token) -> P writes it there */
	dt_map outputs; /* (S, P) -> S reads an output of P */
	dt_map memo;	/* (S, P) -> 1 carried, 2 not */
	uint32_t *off;	/* parameters of each stack, CSR */
	const drtopo_param **by_stack;
	int built;
} carriers;

static const void *const YES = (const void *)1;

/* The parameters of each stack, as CSR over stack indexes. */
static int index_by_stack(carriers *k)
{
	const drtopo_model *m = k->c->m;
	uint32_t n = k->c->r->nstacks;
	k->off = dt_calloc((size_t)n + 1, sizeof(uint32_t));
	k->by_stack = dt_malloc((m->params.len ? m->params.len : 1) *
				sizeof(*k->by_stack));
	if (!k->off || !k->by_stack)
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		k->off[p->stack->index + 1]++;
	}
	for (uint32_t s = 0; s < n; s++)
		k->off[s + 1] += k->off[s];
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		k->by_stack[k->off[p->stack->index]++] = p;
	}
	for (uint32_t s = n; s > 0; s--)
		k->off[s] = k->off[s - 1];
	k->off[0] = 0;
	return 0;
}

/* Reads in the reader's own region, writes by where they land. */
static int index_params(carriers *k)
{
	const drtopo_model *m = k->c->m;
	if (index_by_stack(k))
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (!p->region)
			continue;
		if (p->kind == DRTOPO_PARAM_READ) {
			if (p->region == p->stack->region &&
			    dt_map_put(&k->reads, p->stack, p->name,
				       (void *)YES))
				return DRTOPO_ENOMEM;
			continue;
		}
		const void *nr = dt_pair(&k->names, p->name, p->region);
		if (!nr || dt_map_put(&k->writes, p->stack, nr, (void *)YES))
			return DRTOPO_ENOMEM;
	}
	return 0;
}

static int index_outputs(carriers *k)
{
	const drtopo_model *m = k->c->m;
	for (size_t i = 0; i < m->outputs.len; i++) {
		const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, i);
		drtopo_stack *p = dt_output_read_producer(k->c->r, i);
		if (p && dt_map_put(&k->outputs, o->stack, p, (void *)YES))
			return DRTOPO_ENOMEM;
	}
	return 0;
}

static void carriers_init(carriers *k, dt_check *c)
{
	memset(k, 0, sizeof(*k));
	k->c = c;
	dt_pairs_init(&k->names, &c->r->arena);
}

static int carriers_build(carriers *k)
{
	k->built = 1;
	return index_params(k) || index_outputs(k) ? DRTOPO_ENOMEM : 0;
}

static void carriers_free(carriers *k)
{
	dt_pairs_free(&k->names);
	dt_map_free(&k->reads);
	dt_map_free(&k->writes);
	dt_map_free(&k->outputs);
	dt_map_free(&k->memo);
	dt_free(k->off);
	dt_free(k->by_stack);
}

/* Does a parameter written by p into s's region and read by s there
 * carry values from p to s? */
static int param_carrier(const carriers *k, const drtopo_stack *s,
			 const drtopo_stack *p)
{
	uint32_t ns = k->off[s->index + 1] - k->off[s->index];
	uint32_t np = k->off[p->index + 1] - k->off[p->index];
	const drtopo_stack *walk = ns <= np ? s : p;
	for (uint32_t i = k->off[walk->index]; i < k->off[walk->index + 1];
	     i++) {
		const drtopo_param *x = k->by_stack[i];
		if (x->region != s->region)
			continue;
		if (walk == s && x->kind == DRTOPO_PARAM_READ) {
			const void *nr =
				dt_pair_find(&k->names, x->name, s->region);
			if (nr && dt_map_get(&k->writes, p, nr))
				return 1;
		} else if (walk == p && x->kind == DRTOPO_PARAM_WRITE) {
			if (dt_map_get(&k->reads, s, x->name))
				return 1;
		}
	}
	return 0;
}

static int carried(carriers *k, const drtopo_stack *s, const drtopo_stack *p)
{
	if (!k->built && carriers_build(k)) {
		k->c->err = DRTOPO_ENOMEM;
		return 1;
	}
	void **memo = dt_map_slot_for(&k->memo, s, p);
	if (!memo) {
		k->c->err = DRTOPO_ENOMEM;
		return 1;
	}
	if (!*memo) {
		int yes = dt_map_get(&k->outputs, s, p) ||
			  (s->region && param_carrier(k, s, p));
		*memo = (void *)(uintptr_t)(yes ? 1 : 2);
	}
	return *memo == (void *)1;
}

/* Both known and different: an unknown side is DRT103's question. */
static int differ(const char *a, const char *b)
{
	return a && b && a != b;
}

static void report_crossing(dt_check *c, const dt_ref *f, int region)
{
	const drtopo_resource *u = f->consumer, *p = f->producer;
	const drtopo_stack *s = u->stack, *t = p->stack;
	const char *what = region ? "region" : "account";
	const char *here = region ? s->region : s->account;
	const char *there = region ? t->region : t->account;
	drtopo_diagnostic *d = dt_emit(
		c, s, u, NULL, dt_at(&f->loc),
		"resource %s/%s (%s %s) uses %s/%s%s%s of stack %s (%s %s) "
		"directly: a strong reference cannot cross %ss, and nothing "
		"carries the value into %s %s",
		s->id, u->id, what, here, t->id, p->id, f->attr ? "." : "",
		dt_or(f->attr, ""), t->id, what, there, what, what, here);
	if (region)
		dt_hint(c, d,
			"carry the value into %s: CDK crossRegionReferences "
			"(an export writer in %s writes a parameter into %s "
			"that %s reads), a parameter written in %s, or "
			"Fn::GetStackOutput with Region; or keep both "
			"resources in one region",
			here, t->id, here, s->id, here);
	else
		dt_hint(c, d,
			"read the value with Fn::GetStackOutput and a role "
			"in account %s (what current CDK does for "
			"cross-account references), or keep both stacks in "
			"one account",
			there);
	dt_relate(c, d, t, p, NULL);
}

/* Does any pair of stacks joined by an edge cross regions (accounts)?
 * The stack graph holds each pair once, in arrays; most models have no
 * crossing, and then the per-reference walk below is skipped. */
static int any_crossing_pair(const drtopo_result *r, int region)
{
	const drtopo_model *m = r->model;
	for (uint32_t v = 0; v < r->nstacks; v++) {
		const drtopo_stack *s = DT_VEC_AT(m->stacks, drtopo_stack *, v);
		for (uint32_t a = r->off[v]; a < r->off[v + 1]; a++) {
			const drtopo_stack *t =
				DT_VEC_AT(m->stacks, drtopo_stack *, r->adj[a]);
			if (region ? differ(s->region, t->region)
				   : differ(s->account, t->account))
				return 1;
		}
	}
	return 0;
}

static void crossing_refs(dt_check *c, int region)
{
	const drtopo_model *m = c->m;
	carriers k;
	if (!any_crossing_pair(c->r, region))
		return;
	carriers_init(&k, c);
	for (size_t i = 0; i < m->refs.len && !c->err; i++) {
		const dt_ref *f = DT_VEC_PTR(m->refs, dt_ref, i);
		if (!f->producer)
			continue;
		const drtopo_stack *s = f->consumer->stack;
		const drtopo_stack *t = f->producer->stack;
		int crosses = region ? differ(s->region, t->region)
				     : differ(s->account, t->account);
		if (s != t && crosses && !carried(&k, s, t))
			report_crossing(c, f, region);
	}
	carriers_free(&k);
}

void dt_rule_cross_region_reference(dt_check *c)
{
	crossing_refs(c, 1);
}

void dt_rule_cross_account_reference(dt_check *c)
{
	crossing_refs(c, 0);
}

/* ---- DRT203 / DRT204: imports -------------------------------------- */

typedef struct imports {
	dt_check *c;
	dt_envidx exports;
	dt_externals ext;
	dt_map seen; /* (stack, name): reported once per importing stack */
} imports;

static int imports_build(imports *x, dt_check *c)
{
	x->c = c;
	dt_envidx_init(&x->exports, &c->r->arena,
		       DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
	dt_map_init(&x->seen);
	int rc = dt_externals_build(&x->ext, c->m);
	for (size_t i = 0; i < c->m->exports.len && !rc; i++) {
		const dt_export *e = DT_VEC_PTR(c->m->exports, dt_export, i);
		if (dt_envidx_add(&x->exports, e->name, e->stack->account,
				  e->stack->region, (uint32_t)i))
			rc = DRTOPO_ENOMEM;
	}
	return rc;
}

static void imports_free(imports *x)
{
	dt_envidx_free(&x->exports);
	dt_map_free(&x->ext.map);
	dt_map_free(&x->seen);
}

/* First report for (stack, name)? */
static int first_report(imports *x, const dt_import *imp)
{
	void **slot = dt_map_slot_for(&x->seen, imp->stack, imp->name);
	if (!slot) {
		x->c->err = DRTOPO_ENOMEM;
		return 0;
	}
	if (*slot)
		return 0;
	*slot = (void *)YES;
	return 1;
}

static void check_import(imports *x, const dt_import *imp, int missing)
{
	dt_check *c = x->c;
	const drtopo_stack *s = imp->stack;
	/* An export of the same (possibly unknown) environment answers it;
	 * one whose environment may be the same is DRT103's question. */
	if (dt_envidx_find(&x->exports, imp->name, s->account, s->region,
			   DT_LOOSE_ACCOUNT | DT_LOOSE_REGION) != DT_NONE)
		return;
	uint32_t j = dt_envidx_anywhere(&x->exports, imp->name);
	if (missing) {
		if (j != DT_NONE ||
		    dt_externals_has(&x->ext, imp->name, s->region) ||
		    !first_report(x, imp))
			return;
		drtopo_diagnostic *d = dt_emit(
			c, s, imp->res, NULL, dt_at(&imp->loc),
			"stack %s imports export '%s', which no stack of the "
			"model exports",
			s->id, imp->name);
		dt_hint(c, d,
			"export '%s' from a stack in the same account and "
			"region, fix the name, or declare it external "
			"(--external %s) when it is exported outside the input",
			imp->name, imp->name);
		return;
	}
	/* Declared external in the importer's region: exported there
	 * outside the input. */
	if (j == DT_NONE || dt_externals_has(&x->ext, imp->name, s->region) ||
	    !first_report(x, imp))
		return;
	const dt_export *e = DT_VEC_PTR(c->m->exports, dt_export, j);
	const drtopo_stack *t = e->stack;
	drtopo_diagnostic *d = dt_emit(
		c, s, imp->res, NULL, dt_at(&imp->loc),
		"stack %s (account %s, region %s) imports export '%s', which "
		"exists only in another account or region (stack %s: account "
		"%s, region %s); exports are scoped to one account and region",
		s->id, dt_or(s->account, "unknown"),
		dt_or(s->region, "unknown"), imp->name, t->id,
		dt_or(t->account, "unknown"), dt_or(t->region, "unknown"));
	dt_hint(c, d,
		"export '%s' in the importing stack's account and region, or "
		"carry the value across with a parameter written in %s or "
		"Fn::GetStackOutput",
		imp->name, dt_or(s->region, "its region"));
	dt_relate(c, d, t, e->res, NULL);
}

static void check_imports(dt_check *c, int missing)
{
	if (!c->m->imports.len)
		return;
	imports x;
	if (imports_build(&x, c))
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < c->m->imports.len && !c->err; i++)
		check_import(&x, DT_VEC_PTR(c->m->imports, dt_import, i),
			     missing);
	imports_free(&x);
}

void dt_rule_export_region_mismatch(dt_check *c)
{
	check_imports(c, 0);
}

void dt_rule_missing_export(dt_check *c)
{
	check_imports(c, 1);
}

/* ---- DRT205 duplicate-export --------------------------------------- */

/* One finding per (name, account, region) group of two or more stacks,
 * naming the first two and counting the rest. Unknown parts group with
 * unknown ones (env-agnostic stacks share one environment); a known and
 * an unknown account are not known to collide and are not reported. */
static void report_dup_export(dt_check *c, const dt_dup *g)
{
	const dt_export *a = DT_VEC_PTR(c->m->exports, dt_export, g->first);
	const dt_export *b = DT_VEC_PTR(c->m->exports, dt_export, g->second);
	char more[64] = "";
	if (g->nstacks > 2)
		snprintf(more, sizeof(more), " and %u more stack%s",
			 g->nstacks - 2, g->nstacks > 3 ? "s" : "");
	drtopo_diagnostic *d = dt_emit(
		c, b->stack, b->res, NULL, dt_at(&b->loc),
		"export '%s' is produced by stacks %s and %s%s in account %s, "
		"region %s: export names are unique per account and region",
		b->name, a->stack->id, b->stack->id, more,
		dt_or(b->stack->account, "unknown"),
		dt_or(b->stack->region, "unknown"));
	dt_hint(c, d,
		"give each export its own name (CDK derives export names from "
		"the stack name: look for two stacks with one stack name)");
	dt_relate(c, d, a->stack, a->res, NULL);
}

void dt_rule_duplicate_export(dt_check *c)
{
	const drtopo_model *m = c->m;
	dt_dups dups;
	dt_dups_init(&dups, &c->r->arena);
	for (size_t i = 0; i < m->exports.len && !c->err; i++) {
		const dt_export *e = DT_VEC_PTR(m->exports, dt_export, i);
		if (dt_dups_add(&dups, e->name, e->stack->account,
				e->stack->region, e->stack, (uint32_t)i))
			c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < dups.list.len && !c->err; i++) {
		const dt_dup *g = DT_VEC_PTR(dups.list, dt_dup, i);
		if (g->nstacks > 1)
			report_dup_export(c, g);
	}
	dt_dups_free(&dups);
}

/* ---- DRT206 stack-output-without-dependency ------------------------ */

/* Every (reader, producer) pair is asked once, all in one batch; the
 * finding is per pair (one missing dependency), naming the first output
 * read and counting the others. */
typedef struct out_query {
	const dt_import *first;
	const drtopo_stack *producer;
	uint32_t count;
} out_query;

static void report_output(dt_check *c, const out_query *q)
{
	const dt_import *o = q->first;
	char more[64] = "";
	if (q->count > 1)
		snprintf(more, sizeof(more), " (and %u more output%s)",
			 q->count - 1, q->count > 2 ? "s" : "");
	drtopo_diagnostic *d = dt_emit(
		c, o->stack, o->res, NULL, dt_at(&o->loc),
		"stack %s reads output '%s' of stack %s%s with "
		"Fn::GetStackOutput but has no dependency path to %s: a first "
		"deploy can run before the output exists",
		o->stack->id, o->name, q->producer->id, more, q->producer->id);
	dt_hint(c, d,
		"add a dependency %s -> %s (CDK: %s.addDependency(%s)); a weak "
		"reference does not add one by itself",
		o->stack->id, q->producer->id, o->stack->id, q->producer->id);
	dt_relate(c, d, q->producer, NULL, NULL);
}

static int collect_outputs(dt_check *c, dt_vec *qs)
{
	const drtopo_model *m = c->m;
	dt_map pairs;
	dt_map_init(&pairs);
	int rc = 0;
	for (size_t i = 0; i < m->outputs.len && !rc; i++) {
		const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, i);
		const drtopo_stack *p = dt_output_read_producer(c->r, i);
		if (!p || p == o->stack)
			continue; /* unknown producer: DRT102 */
		void **slot = dt_map_slot_for(&pairs, o->stack, p);
		out_query *q = !slot   ? NULL
			       : *slot ? DT_VEC_PTR(*qs, out_query,
						    (uintptr_t)*slot - 1)
				       : dt_vec_push(qs, sizeof(*q));
		if (!q) {
			rc = DRTOPO_ENOMEM;
			break;
		}
		if (!*slot) {
			q->first = o;
			q->producer = p;
			*slot = (void *)(uintptr_t)qs->len;
		}
		q->count++;
	}
	dt_map_free(&pairs);
	return rc;
}

void dt_rule_stack_output_without_dependency(dt_check *c)
{
	dt_vec qs = DT_VEC_INIT;
	uint32_t *from = NULL, *to = NULL;
	uint8_t *ans = NULL;
	if (collect_outputs(c, &qs)) {
		c->err = DRTOPO_ENOMEM;
		goto done;
	}
	size_t n = qs.len;
	if (!n)
		goto done;
	from = dt_malloc(n * sizeof(*from));
	to = dt_malloc(n * sizeof(*to));
	ans = dt_malloc(n);
	if (!from || !to || !ans) {
		c->err = DRTOPO_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const out_query *q = DT_VEC_PTR(qs, out_query, i);
		from[i] = q->first->stack->index;
		to[i] = q->producer->index;
	}
	if ((c->err = dt_reach_batch(c->r, from, to, n, ans)) != 0)
		goto done;
	for (size_t i = 0; i < n && !c->err; i++)
		if (!ans[i])
			report_output(c, DT_VEC_PTR(qs, out_query, i));
done:
	dt_vec_free(&qs);
	dt_free(from);
	dt_free(to);
	dt_free(ans);
}
