/*
 * Rules DRT301-DRT304: SSM parameters across stacks and regions.
 *
 * A parameter is regional: a read in region R finds only writes into R.
 * Accounts match loosely (an unknown account is the deploy's default one
 * and may be any), regions exactly; a read or write of unknown region
 * (an env-agnostic stack without an explicit region) shares one unknown
 * place with the others, as the resolver keys them. A read that only a
 * write of unknown region might answer is DRT103's, never DRT302's: a
 * value the model cannot know must not cause an error.
 */
#include <stdio.h>

#include "rules.h"

typedef struct params {
	dt_check *c;
	dt_envidx writes; /* parameter writes by name and environment */
	dt_pairs keys;	  /* (name, region) tokens */
	dt_map seen;	  /* (stack, (name, region)): one finding each */
	dt_externals ext;
} params;

static int params_init(params *x, dt_check *c)
{
	const drtopo_model *m = c->m;
	x->c = c;
	dt_envidx_init(&x->writes, &c->r->arena, DT_LOOSE_ACCOUNT);
	dt_pairs_init(&x->keys, &c->r->arena);
	dt_map_init(&x->seen);
	if (dt_externals_build(&x->ext, m))
		return DRTOPO_ENOMEM;
	/* each write is filed under three patterns (dt_envidx_add) */
	size_t nw = 0;
	for (size_t i = 0; i < m->params.len; i++)
		nw += DT_VEC_AT(m->params, drtopo_param *, i)->kind ==
		      DRTOPO_PARAM_WRITE;
	if (dt_map_reserve(&x->writes.first, 3 * nw))
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == DRTOPO_PARAM_WRITE &&
		    dt_envidx_add(&x->writes, p->name, p->stack->account,
				  p->region, (uint32_t)i))
			return DRTOPO_ENOMEM;
	}
	return 0;
}

static void params_free(params *x)
{
	dt_envidx_free(&x->writes);
	dt_pairs_free(&x->keys);
	dt_map_free(&x->seen);
	dt_map_free(&x->ext.map);
}

static const drtopo_param *param_at(const params *x, uint32_t i)
{
	return i == DT_NONE ? NULL
			    : DT_VEC_AT(x->c->m->params, drtopo_param *, i);
}

/* The write that a read finds: the first in model order of that name in
 * the read's region and a compatible account (the resolver's choice). */
static const drtopo_param *writer_of(const params *x, const drtopo_param *rd)
{
	return param_at(x,
			dt_envidx_find(&x->writes, rd->name, rd->stack->account,
				       rd->region, DT_LOOSE_ACCOUNT));
}

/* First finding for (reading stack, name, region)? A stack that reads a
 * name from several resources has one problem, not several. */
static int first_report(params *x, const drtopo_param *rd)
{
	const void *key = dt_pair(&x->keys, rd->name, rd->region);
	void **slot = key ? dt_map_slot_for(&x->seen, rd->stack, key) : NULL;
	if (!slot) {
		x->c->err = DRTOPO_ENOMEM;
		return 0;
	}
	if (*slot)
		return 0;
	*slot = (void *)rd;
	return 1;
}

typedef void (*read_check)(params *x, const drtopo_param *rd);

static void each_read(dt_check *c, read_check fn)
{
	const drtopo_model *m = c->m;
	if (!m->params.len)
		return;
	params x;
	if (params_init(&x, c))
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->params.len && !c->err; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == DRTOPO_PARAM_READ)
			fn(&x, p);
	}
	params_free(&x);
}

/* ---- DRT301 parameter-not-found ------------------------------------ */

static int public_name(const char *name)
{
	return strncmp(name, "/aws/", 5) == 0 ||
	       strncmp(name, "/cdk-bootstrap/", 15) == 0;
}

static void check_not_found(params *x, const drtopo_param *rd)
{
	dt_check *c = x->c;
	if (dt_envidx_anywhere(&x->writes, rd->name) != DT_NONE ||
	    public_name(rd->name) ||
	    dt_externals_has(&x->ext, rd->name, rd->region) ||
	    !first_report(x, rd))
		return;
	drtopo_diagnostic *d = dt_emit(
		c, rd->stack, rd->res, rd->region, dt_at(&rd->loc),
		"stack %s reads parameter '%s' in %s, but no stack of the "
		"model writes it anywhere",
		rd->stack->id, rd->name, dt_or(rd->region, "its region"));
	dt_hint(c, d,
		"write '%s' in %s, fix the name, or declare it external "
		"(--external %s) when it is written outside the input",
		rd->name, dt_or(rd->region, "the reader's region"), rd->name);
}

void dt_rule_parameter_not_found(dt_check *c)
{
	each_read(c, check_not_found);
}

/* ---- DRT302 parameter-region-mismatch ------------------------------ */

static void check_region(params *x, const drtopo_param *rd)
{
	dt_check *c = x->c;
	const char *acc = rd->stack->account;
	if (!rd->region || writer_of(x, rd))
		return;
	/* Written nowhere is DRT301; a write of unknown region may land in
	 * the read's region (DRT103); a name declared external there is
	 * written outside the input. */
	const drtopo_param *any =
		param_at(x, dt_envidx_anywhere(&x->writes, rd->name));
	if (!any || dt_externals_has(&x->ext, rd->name, rd->region) ||
	    dt_envidx_find(&x->writes, rd->name, acc, NULL, DT_LOOSE_ACCOUNT) !=
		    DT_NONE ||
	    !first_report(x, rd))
		return;
	/* Written in this region, but in another account? */
	const drtopo_param *here =
		param_at(x, dt_envidx_find(&x->writes, rd->name, NULL,
					   rd->region, DT_LOOSE_ACCOUNT));
	const drtopo_param *w = here ? here : any;
	drtopo_diagnostic *d;
	if (here)
		d = dt_emit(c, rd->stack, rd->res, rd->region, dt_at(&rd->loc),
			    "stack %s reads parameter '%s' in %s (account %s), "
			    "but it is written there only in another account "
			    "(by stack %s, account %s)",
			    rd->stack->id, rd->name, rd->region,
			    dt_or(acc, "unknown"), w->stack->id,
			    dt_or(w->stack->account, "unknown"));
	else
		d = dt_emit(c, rd->stack, rd->res, rd->region, dt_at(&rd->loc),
			    "stack %s reads parameter '%s' in %s, but it is "
			    "written only in other regions (first: %s, by "
			    "stack %s); a parameter is resolved in the "
			    "reader's own region",
			    rd->stack->id, rd->name, rd->region,
			    dt_or(w->region, "unknown"), w->stack->id);
	dt_hint(c, d,
		"write '%s' in %s as well (CDK crossRegionReferences does "
		"this), or read it with a cross-region reader naming %s",
		rd->name, rd->region, dt_or(w->region, "the writer's region"));
	dt_relate(c, d, w->stack, w->res, w->region);
}

void dt_rule_parameter_region_mismatch(dt_check *c)
{
	each_read(c, check_region);
}

/* ---- DRT303 parameter-read-before-write ---------------------------- */

/* One question per (reader, writer) pair, all in one dt_reach_batch();
 * the finding names the first parameter and counts the others. */
typedef struct rw_query {
	const drtopo_param *read, *write;
	uint32_t count;
} rw_query;

static int collect_reads(params *x, dt_vec *qs)
{
	const drtopo_model *m = x->c->m;
	dt_map pairs;
	dt_map_init(&pairs);
	int rc = 0;
	for (size_t i = 0; i < m->params.len && !rc; i++) {
		const drtopo_param *rd =
			DT_VEC_AT(m->params, drtopo_param *, i);
		if (rd->kind != DRTOPO_PARAM_READ)
			continue;
		const drtopo_param *w = writer_of(x, rd);
		if (!w || w->stack == rd->stack)
			continue;
		void **slot = dt_map_slot_for(&pairs, rd->stack, w->stack);
		rw_query *q = !slot   ? NULL
			      : *slot ? DT_VEC_PTR(*qs, rw_query,
						   (uintptr_t)*slot - 1)
				      : dt_vec_push(qs, sizeof(*q));
		if (!q) {
			rc = DRTOPO_ENOMEM;
			break;
		}
		if (!*slot) {
			q->read = rd;
			q->write = w;
			*slot = (void *)(uintptr_t)qs->len;
		}
		q->count++;
	}
	dt_map_free(&pairs);
	return rc;
}

static void report_order(dt_check *c, const rw_query *q)
{
	const drtopo_param *rd = q->read, *w = q->write;
	char more[64] = "";
	if (q->count > 1)
		snprintf(more, sizeof(more), " (and %u more parameter%s)",
			 q->count - 1, q->count > 2 ? "s" : "");
	drtopo_diagnostic *d = dt_emit(
		c, rd->stack, rd->res, rd->region, dt_at(&rd->loc),
		"stack %s reads parameter '%s'%s in %s, written there by stack "
		"%s, but has no dependency path to %s: a deploy may read it "
		"before it exists",
		rd->stack->id, rd->name, more,
		dt_or(rd->region, "an unknown region"), w->stack->id,
		w->stack->id);
	dt_hint(c, d,
		"add a dependency %s -> %s (CDK: %s.addDependency(%s)) so that "
		"the writer deploys first",
		rd->stack->id, w->stack->id, rd->stack->id, w->stack->id);
	dt_relate(c, d, w->stack, w->res, w->region);
}

static void ask_order(dt_check *c, const dt_vec *qs)
{
	size_t n = qs->len;
	uint32_t *from = dt_malloc(n * sizeof(*from));
	uint32_t *to = dt_malloc(n * sizeof(*to));
	uint8_t *ans = dt_malloc(n);
	if (!from || !to || !ans)
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < n && !c->err; i++) {
		const rw_query *q = DT_VEC_PTR(*qs, rw_query, i);
		from[i] = q->read->stack->index;
		to[i] = q->write->stack->index;
	}
	if (!c->err)
		c->err = dt_reach_batch(c->r, from, to, n, ans);
	for (size_t i = 0; i < n && !c->err; i++)
		if (!ans[i])
			report_order(c, DT_VEC_PTR(*qs, rw_query, i));
	dt_free(from);
	dt_free(to);
	dt_free(ans);
}

void dt_rule_parameter_read_before_write(dt_check *c)
{
	if (!c->m->params.len)
		return;
	params x;
	dt_vec qs = DT_VEC_INIT;
	if (params_init(&x, c) || collect_reads(&x, &qs))
		c->err = DRTOPO_ENOMEM;
	if (!c->err && qs.len)
		ask_order(c, &qs);
	dt_vec_free(&qs);
	params_free(&x);
}

/* ---- DRT304 duplicate-parameter-writer ----------------------------- */

/* One finding per (name, account, region) group written by two or more
 * stacks, naming the first two and counting the rest. An unknown
 * account groups with unknown ones only: a known and an unknown account
 * are not known to be the same. */
static void report_writers(dt_check *c, const dt_dup *g)
{
	const drtopo_param *a =
		DT_VEC_AT(c->m->params, drtopo_param *, g->first);
	const drtopo_param *b =
		DT_VEC_AT(c->m->params, drtopo_param *, g->second);
	char more[64] = "";
	if (g->nstacks > 2)
		snprintf(more, sizeof(more), " and %u more stack%s",
			 g->nstacks - 2, g->nstacks > 3 ? "s" : "");
	drtopo_diagnostic *d = dt_emit(
		c, b->stack, b->res, b->region, dt_at(&b->loc),
		"parameter '%s' is written in account %s, region %s by stacks "
		"%s and %s%s: each deploy overwrites (or fails to create) the "
		"other's value",
		b->name, dt_or(b->stack->account, "unknown"),
		dt_or(b->region, "unknown"), a->stack->id, b->stack->id, more);
	dt_hint(c, d,
		"keep one writer per name, account and region: rename one of "
		"them, or let one stack write '%s' and the others read it",
		b->name);
	dt_relate(c, d, a->stack, a->res, a->region);
}

void dt_rule_duplicate_parameter_writer(dt_check *c)
{
	const drtopo_model *m = c->m;
	dt_dups dups;
	dt_dups_init(&dups, &c->r->arena);
	for (size_t i = 0; i < m->params.len && !c->err; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == DRTOPO_PARAM_WRITE &&
		    dt_dups_add(&dups, p->name, p->stack->account, p->region,
				p->stack, (uint32_t)i))
			c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < dups.list.len && !c->err; i++) {
		const dt_dup *g = DT_VEC_PTR(dups.list, dt_dup, i);
		if (g->nstacks > 1)
			report_writers(c, g);
	}
	dt_dups_free(&dups);
}
