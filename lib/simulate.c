/*
 * The region-loss simulation (posture.md): for each scenario (a lost
 * region and/or account), what becomes of every stateful resource, of the
 * stacks and of the routed names, and the findings DRT610 and DRT611.
 *
 * Who has a dependency path into a lost zone is found for 64 scenarios at
 * once: a bit mask per stack, one pass over the components of the stack
 * graph, dependencies first (each reaches what its dependencies reach).
 * The rest of a scenario is a pass over the stateful resources and their
 * copies, one over the edges into its lost stacks (values read from the
 * zone) and one over the routing records, grouped by name once by the
 * facts pass. So Z scenarios cost O((V + E) * ceil(Z / 64) + Z * (V + S))
 * for V stacks, E edges and S stateful resources, sequential passes all
 * but the first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posture.h"

typedef struct sim_ctx {
	dt_check *c;
	const drtopo_result *r;
	const dt_posture *p;
	const dt_sim_opts *o;
	drtopo_simulation *sim; /* NULL when !detail */
	uint32_t n;		/* stacks */
	/* Per stack, bit b for scenario z0 + b of the current batch: the
	 * stack is in the lost zone (lost), reads a parameter kept there
	 * while not in it (reads), has a dependency path into it or is in
	 * it (reach). */
	uint64_t *lostm, *readm, *reachm;
	/* The reads of a parameter in a named region (model order), and
	 * the scenarios of the batch that each is lost in. */
	const drtopo_param **xreads;
	uint64_t *xreadm;
	size_t nxreads;
	uint32_t *edge0;	/* first edge of stack s in r->edges, or
				 * UINT32_MAX (edges are sorted by the
				 * consumer's id: contiguous per stack) */
	uint32_t *ioff, *iedge; /* r->edges into stack t: iedge[ioff[t]..] */
	const char **sregion, **saccount; /* of each stack, by index */
	uint8_t *lost, *direct;
	uint32_t *nreads, *pos; /* per stack: reads in the zone; list slot */
	dt_vec reads;		/* read_hit: this scenario's */
	uint32_t *frozen;
	dt_vec acc611; /* hit611: survivors with a path, all scenarios */
	dt_outcome *worst;
	int err;
} sim_ctx;

typedef struct read_hit {
	uint32_t stack;
	const drtopo_param *p;
} read_hit;

typedef struct hit611 {
	uint32_t stack, scenario, hop;
} hit611;

/* The index of the lowest set bit of v (not 0). */
static uint32_t ctz64(uint64_t v)
{
#if defined(__GNUC__)
	return (uint32_t)__builtin_ctzll(v);
#else
	uint32_t i = 0;
	for (; !(v & 1); v >>= 1)
		i++;
	return i;
#endif
}

static void *scratch(sim_ctx *x, size_t n, size_t size)
{
	void *p = x->err ? NULL : dt_calloc(n ? n : 1, size);
	if (!p)
		x->err = DRTOPO_ENOMEM;
	return p;
}

static int prepare(sim_ctx *x)
{
	const drtopo_result *r = x->r;
	uint32_t n = x->n;
	x->lostm = scratch(x, n, sizeof(uint64_t));
	x->readm = scratch(x, n, sizeof(uint64_t));
	x->reachm = scratch(x, n, sizeof(uint64_t));
	x->edge0 = scratch(x, (size_t)n + 1, sizeof(uint32_t));
	x->ioff = scratch(x, (size_t)n + 1, sizeof(uint32_t));
	x->iedge = scratch(x, r->nedges, sizeof(uint32_t));
	x->sregion = scratch(x, n, sizeof(const char *));
	x->saccount = scratch(x, n, sizeof(const char *));
	x->lost = scratch(x, n, 1);
	x->direct = scratch(x, n, 1);
	x->nreads = scratch(x, n, sizeof(uint32_t));
	x->pos = scratch(x, n, sizeof(uint32_t));
	x->frozen = scratch(x, n, sizeof(uint32_t));
	const drtopo_model *m = r->model;
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		x->nxreads +=
			p->kind == DRTOPO_PARAM_READ && p->explicit_region;
	}
	x->xreads = scratch(x, x->nxreads, sizeof(*x->xreads));
	x->xreadm = scratch(x, x->nxreads, sizeof(*x->xreadm));
	for (size_t i = 0, w = 0; x->xreads && i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == DRTOPO_PARAM_READ && p->explicit_region)
			x->xreads[w++] = p;
	}
	uint32_t *fill = scratch(x, n, sizeof(uint32_t));
	if (x->err) {
		dt_free(fill);
		return x->err;
	}
	for (uint32_t s = 0; s < n; s++)
		x->edge0[s] = UINT32_MAX;
	for (size_t e = r->nedges; e-- > 0;)
		x->edge0[r->edges[e].from] = (uint32_t)e;
	/* Edges indexed by their producer, so that a scenario visits only
	 * the edges into the stacks it loses. */
	for (size_t e = 0; e < r->nedges; e++)
		x->ioff[r->edges[e].to + 1]++;
	for (uint32_t s = 0; s < n; s++)
		x->ioff[s + 1] += x->ioff[s];
	memcpy(fill, x->ioff, n * sizeof(uint32_t));
	for (size_t e = 0; e < r->nedges; e++)
		x->iedge[fill[r->edges[e].to]++] = (uint32_t)e;
	dt_free(fill);
	/* Every scenario asks each stack where it is: flat, not through
	 * the stack objects. */
	for (uint32_t s = 0; s < n; s++) {
		const drtopo_stack *st =
			DT_VEC_AT(r->model->stacks, drtopo_stack *, s);
		x->sregion[s] = st->region;
		x->saccount[s] = st->account;
	}
	return 0;
}

static void release(sim_ctx *x)
{
	dt_free(x->lostm);
	dt_free(x->readm);
	dt_free(x->reachm);
	dt_free(x->xreads);
	dt_free(x->xreadm);
	dt_free(x->edge0);
	dt_free(x->ioff);
	dt_free(x->iedge);
	dt_free(x->sregion);
	dt_free(x->saccount);
	dt_free(x->lost);
	dt_free(x->direct);
	dt_free(x->nreads);
	dt_free(x->pos);
	dt_vec_free(&x->reads);
	dt_free(x->frozen);
	dt_vec_free(&x->acc611);
	dt_free(x->worst);
}

/* ---- text for messages ------------------------------------------------- */

static void zone_text(const dt_zone *z, char *buf, size_t n)
{
	if (z->region && z->account)
		snprintf(buf, n, "the loss of %s in account %s", z->region,
			 z->account);
	else if (z->region)
		snprintf(buf, n, "the loss of %s", z->region);
	else
		snprintf(buf, n, "the loss of account %s",
			 z->account ? z->account : "(any)");
}

/* ---- resources --------------------------------------------------------- */

/* Is copy a worse than copy b (for picking the best survivor)? */
static int copy_better(const dt_copy *a, const dt_copy *b)
{
	unsigned long ra = (unsigned long)a->rpo, rb = (unsigned long)b->rpo;
	unsigned long ta = (unsigned long)a->rto, tb = (unsigned long)b->rto;
	/* (unsigned)-1 is the largest: unknown sorts last. */
	if (ra != rb)
		return ra < rb;
	if (ta != tb)
		return ta < tb;
	if (a->mech != b->mech)
		return a->mech < b->mech;
	return strcmp(a->region, b->region) < 0;
}

static void outcome_of(const sim_ctx *x, const dt_zone *z,
		       const drtopo_resource *res, dt_outcome *o)
{
	const dt_copy *best = NULL, *maybe = NULL;
	memset(o, 0, sizeof(*o));
	o->res = res;
	o->rpo = o->rto = DRTOPO_FIGURE_UNKNOWN;
	for (const dt_copy *c = x->p->copies[res->index]; c; c = c->next) {
		if (!c->region) {
			if (!maybe || c->mech < maybe->mech)
				maybe = c;
			continue;
		}
		if (dt_zone_has(z, c->region, c->account))
			continue;
		if (!best || copy_better(c, best))
			best = c;
	}
	if (best) {
		o->outcome = DRTOPO_OUTCOME_SURVIVES;
		o->mech = best->mech;
		o->region = best->region;
		o->rpo = best->rpo;
		o->rto = best->rto;
	} else if (maybe) {
		o->outcome = DRTOPO_OUTCOME_UNKNOWN;
		o->mech = maybe->mech;
	} else {
		o->outcome = DRTOPO_OUTCOME_LOST;
	}
}

/* DRT610 for one affected resource. */
/* One figure against its objective, for a DRT610 message: "" when it
 * holds. */
static void fig_breach(char *buf, size_t n, const char *what, long expected,
		       long objective, int lost)
{
	buf[0] = '\0';
	if (objective < 0)
		return;
	if (lost)
		snprintf(buf, n, "%s unbounded against the objective %ld s",
			 what, objective);
	else if (expected < 0)
		snprintf(buf, n,
			 "%s unknown, so the objective %ld s cannot be shown "
			 "to hold",
			 what, objective);
	else if (expected > objective)
		snprintf(buf, n, "%s %ld s exceeds the objective %ld s", what,
			 expected, objective);
}

static void emit_breach(sim_ctx *x, const drtopo_resource *res,
			const char *region, const char *what, const char *rpo,
			const char *rto)
{
	dt_check *c = x->c;
	drtopo_diagnostic *d =
		dt_emit(c, res->stack, res, region, NULL,
			"%s/%s (%s) %s: %s%s%s", res->stack->id, res->id,
			res->type, what, rpo, *rpo && *rto ? "; " : "", rto);
	dt_hint(c, d,
		"give it a copy in another region that meets the objective "
		"(a global table replica, an Aurora global database member, "
		"S3 replication with RTC, a backup copy on a shorter "
		"schedule), or declare the objective it can meet "
		"(drtopo-posture(7))");
}

/* DRT610 for one affected resource. */
static void breach(sim_ctx *x, const dt_zone *z, const dt_outcome *o)
{
	dt_objectives obj;
	dt_effective_objectives(o->res, &obj);
	int lost = o->outcome == DRTOPO_OUTCOME_LOST;
	char rpo[160], rto[160], zt[256], what[512];
	fig_breach(rpo, sizeof(rpo), "expected RPO", o->rpo, obj.rpo, lost);
	fig_breach(rto, sizeof(rto), "expected RTO", o->rto, obj.rto, lost);
	if (!*rpo && !*rto)
		return;
	zone_text(z, zt, sizeof(zt));
	const dt_mechanism *k = dt_mechanism_of(o->mech);
	if (lost)
		snprintf(what, sizeof(what),
			 "is lost under %s (no copy of its data outside %s)",
			 zt, z->region ? z->region : "the lost account");
	else if (o->outcome == DRTOPO_OUTCOME_UNKNOWN)
		snprintf(what, sizeof(what),
			 "may survive %s through its %s, whose region is "
			 "unknown",
			 zt, k->label);
	else
		snprintf(what, sizeof(what), "survives %s through its %s in %s",
			 zt, k->label, o->region);
	emit_breach(x, o->res, z->region, what, rpo, rto);
}

/* DRT610 for a resource whose own region is unknown (an env-agnostic
 * stack): whether it survives any loss is unknown. */
static void breach_unplaced(sim_ctx *x, const drtopo_resource *res)
{
	dt_objectives obj;
	dt_effective_objectives(res, &obj);
	char rpo[160], rto[160];
	fig_breach(rpo, sizeof(rpo), "expected RPO", -1, obj.rpo, 0);
	fig_breach(rto, sizeof(rto), "expected RTO", -1, obj.rto, 0);
	if (*rpo || *rto)
		emit_breach(x, res, NULL,
			    "is in a stack of unknown region, so what the "
			    "loss of a region does to it is unknown",
			    rpo, rto);
}

/* How bad an outcome is: lost, then unknown, then survives. */
static int rank(int outcome)
{
	static const int r[] = {0, 1, 3, 2};
	return r[outcome];
}

static void scenario_resources(sim_ctx *x, const dt_zone *z, uint32_t si,
			       dt_scenario *sc)
{
	const dt_posture *p = x->p;
	dt_vec out = DT_VEC_INIT;
	int check610 = x->o->rule610 >= 0 && x->r->model->nobjectives;
	for (size_t i = 0; i < p->nstateful && !x->err && !x->c->err; i++) {
		const drtopo_resource *res = p->stateful[i];
		const drtopo_stack *s = res->stack;
		if (!x->lost[s->index])
			continue;
		dt_outcome o;
		outcome_of(x, z, res, &o);
		o.scenario = si;
		if (o.outcome == DRTOPO_OUTCOME_LOST)
			sc->lost_res++;
		dt_outcome *w = &x->worst[i];
		if (rank(o.outcome) > rank(w->outcome) ||
		    (o.outcome == w->outcome &&
		     (unsigned long)o.rpo > (unsigned long)w->rpo))
			*w = o;
		if (check610) {
			x->c->rule = (uint16_t)x->o->rule610;
			x->c->severity = x->o->sev610;
			breach(x, z, &o);
		}
		if (x->sim) {
			dt_outcome *slot = dt_vec_push(&out, sizeof(o));
			if (!slot) {
				x->err = DRTOPO_ENOMEM;
				break;
			}
			*slot = o;
		}
	}
	if (x->sim && !x->err && out.len) {
		sc->out = dt_arena_alloc(&x->sim->arena,
					 out.len * sizeof(*sc->out));
		if (!sc->out)
			x->err = DRTOPO_ENOMEM;
		else
			memcpy(sc->out, out.data, out.len * sizeof(*sc->out));
		sc->nout = out.len;
	}
	dt_vec_free(&out);
}

/* ---- stacks ---------------------------------------------------------- */

/* What dependency t of s gives s in pass 1 to 4 of hits611(). */
static uint64_t via(const sim_ctx *x, uint32_t s, uint32_t t, int pass)
{
	switch (pass) {
	case 1: return x->lostm[t];
	case 2: return x->readm[t];
	case 3: return x->r->scc[t] != x->r->scc[s] ? x->reachm[t] : 0;
	default: return x->reachm[t];
	}
}

/* The DRT611 hits of stack s in the current batch (scenarios z0 + bit),
 * in scenario order, each with the stack it goes through: itself when it
 * reads a parameter there, else the first of its dependencies (in id
 * order) that is lost, then that reads there, then of another component
 * that reaches there (a path that does not come back through s), then
 * any. */
static void hits611(sim_ctx *x, uint32_t s, uint32_t z0)
{
	const drtopo_result *r = x->r;
	uint64_t all = x->reachm[s] & ~x->lostm[s], left = all, got;
	uint32_t hop[64];
	if (!all)
		return;
	for (got = left & x->readm[s]; got; got &= got - 1)
		hop[ctz64(got)] = s;
	left &= ~x->readm[s];
	for (int pass = 1; left && pass <= 4; pass++)
		for (uint32_t k = r->off[s]; left && k < r->off[s + 1]; k++) {
			uint32_t t = r->adj[k];
			if (t == s)
				continue;
			got = left & via(x, s, t, pass);
			left &= ~got;
			for (; got; got &= got - 1)
				hop[ctz64(got)] = t;
		}
	for (got = all; got; got &= got - 1) {
		hit611 *h = dt_vec_push(&x->acc611, sizeof(*h));
		if (!h) {
			x->err = DRTOPO_ENOMEM;
			return;
		}
		h->stack = s;
		h->scenario = z0 + ctz64(got);
		h->hop = hop[ctz64(got)];
	}
}

/* The masks of the scenarios zones[0 .. nz) (nz <= 64), and the DRT611
 * hits among them. A stack reaches a zone when it is in it, reads a
 * parameter kept there, or depends on a stack that reaches it; the
 * members of a component (a cycle) reach what any of them reaches. */
static void batch_masks(sim_ctx *x, const dt_zone *zones, size_t nz,
			uint32_t z0)
{
	const drtopo_result *r = x->r;
	uint32_t n = x->n;
	for (uint32_t s = 0; s < n; s++) {
		uint64_t bits = 0;
		for (size_t b = 0; b < nz; b++)
			if (dt_zone_has(&zones[b], x->sregion[s],
					x->saccount[s]))
				bits |= (uint64_t)1 << b;
		x->lostm[s] = bits;
		x->readm[s] = 0;
		x->reachm[s] = 0;
	}
	/* A parameter read in a zone by a stack outside it (CDK's
	 * cross-region readers) is lost with the zone even when the stack
	 * that wrote it is not. */
	for (size_t i = 0; i < x->nxreads; i++) {
		const drtopo_param *p = x->xreads[i];
		uint32_t s = p->stack->index;
		uint64_t bits = 0;
		for (size_t b = 0; b < nz; b++)
			if (dt_zone_has(&zones[b], p->region,
					p->stack->account))
				bits |= (uint64_t)1 << b;
		x->xreadm[i] = bits & ~x->lostm[s];
		x->readm[s] |= x->xreadm[i];
	}
	for (uint32_t c = 0; c < r->nscc; c++) {
		uint64_t bits = 0;
		for (uint32_t i = r->scc_off[c]; i < r->scc_off[c + 1]; i++) {
			uint32_t s = r->scc_order[i];
			bits |= x->lostm[s] | x->readm[s];
			/* members' own entries are still 0 here: components
			 * come dependencies first */
			for (uint32_t k = r->off[s]; k < r->off[s + 1]; k++)
				bits |= x->reachm[r->adj[k]];
		}
		for (uint32_t i = r->scc_off[c]; i < r->scc_off[c + 1]; i++)
			x->reachm[r->scc_order[i]] = bits;
	}
	if (x->o->rule611 >= 0)
		for (uint32_t s = 0; s < n && !x->err; s++)
			hits611(x, s, z0);
}

static void scenario_stacks(sim_ctx *x, uint64_t bit, dt_scenario *sc)
{
	const drtopo_result *r = x->r;
	uint32_t n = x->n;
	memset(x->direct, 0, n);
	memset(x->frozen, 0, n * sizeof(uint32_t));
	memset(x->nreads, 0, n * sizeof(uint32_t));
	x->reads.len = 0;
	for (size_t i = 0; i < x->nxreads; i++) {
		const drtopo_param *p = x->xreads[i];
		uint32_t s = p->stack->index;
		if (!(x->xreadm[i] & bit))
			continue;
		read_hit *h = dt_vec_push(&x->reads, sizeof(*h));
		if (!h) {
			x->err = DRTOPO_ENOMEM;
			return;
		}
		h->stack = s;
		h->p = p;
		x->direct[s] = 1;
		x->frozen[s]++;
		x->nreads[s]++;
	}
	/* the edges into the lost stacks from survivors */
	for (uint32_t t = 0; t < n; t++) {
		if (!x->lost[t])
			continue;
		sc->lost_stacks++;
		for (uint32_t k = x->ioff[t]; k < x->ioff[t + 1]; k++) {
			const dt_edge *ed = &r->edges[x->iedge[k]];
			if (x->lost[ed->from])
				continue;
			x->direct[ed->from] = 1;
			/* an explicit dependency carries no value */
			if (ed->kind != DRTOPO_EDGE_EXPLICIT)
				x->frozen[ed->from]++;
		}
	}
	if (!sc->lost_stacks && !x->reads.len)
		return;
	size_t listed = 0;
	for (uint32_t s = 0; s < n; s++) {
		if (!(x->reachm[s] & bit) || x->lost[s])
			continue;
		sc->path_stacks++;
		if (x->direct[s])
			listed++;
	}
	if (!x->sim)
		return;
	listed += sc->lost_stacks;
	sc->stacks = dt_arena_alloc(&x->sim->arena,
				    (listed ? listed : 1) * sizeof(dt_sstack));
	if (!sc->stacks) {
		x->err = DRTOPO_ENOMEM;
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		const drtopo_stack *st = r->by_id[i];
		uint32_t s = st->index;
		if (!x->lost[s] && !x->direct[s])
			continue;
		dt_sstack *e = &sc->stacks[sc->nstacks++];
		e->s = st;
		e->state = x->lost[s] ? DRTOPO_STACK_STATE_LOST
				      : DRTOPO_STACK_STATE_DEPLOYS_ALONE;
		e->frozen = x->frozen[s];
		e->reads = NULL;
		e->nreads = 0;
		x->pos[s] = (uint32_t)(sc->nstacks - 1);
		if (x->nreads[s]) {
			e->reads = dt_arena_alloc(&x->sim->arena,
						  x->nreads[s] *
							  sizeof(*e->reads));
			if (!e->reads) {
				x->err = DRTOPO_ENOMEM;
				return;
			}
		}
		e->edge0 = x->edge0[s];
	}
	for (size_t i = 0; i < x->reads.len; i++) {
		const read_hit *h = DT_VEC_PTR(x->reads, read_hit, i);
		dt_sstack *e = &sc->stacks[x->pos[h->stack]];
		e->reads[e->nreads++] = h->p;
	}
}

/* ---- routes ------------------------------------------------------------ */

static int health_checked(const drtopo_route *rt)
{
	return (rt->flags & (DRTOPO_ROUTE_HEALTH_CHECK |
			     DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH)) != 0;
}

/* A failover SECONDARY takes traffic only when its PRIMARY fails: in the
 * lost region it holds nothing there. (A geolocation default record does
 * hold traffic: every client that no other record matches.) */
static int fallback(const drtopo_route *rt)
{
	return (rt->flags & DRTOPO_ROUTE_SECONDARY) != 0;
}

static void scenario_routes(sim_ctx *x, const dt_zone *z, dt_scenario *sc)
{
	const dt_posture *p = x->p;
	dt_vec out = DT_VEC_INIT;
	for (size_t i = 0, j; i < p->nroutes; i = j) {
		int affected = 0, stuck = 0, escape = 0, unknown = 0;
		for (j = i;
		     j < p->nroutes && p->routes[j]->name == p->routes[i]->name;
		     j++) {
			const drtopo_route *rt = p->routes[j];
			const char *reg = dt_route_region(rt);
			/* a record's account: its target's, else its own */
			const char *acc = rt->target
						  ? rt->target->stack->account
						  : rt->res->stack->account;
			if (!reg) {
				unknown = 1;
			} else if (dt_zone_has(z, reg, acc)) {
				affected = 1;
				if (!health_checked(rt) && !fallback(rt))
					stuck = 1;
			} else {
				escape = 1;
			}
		}
		if (!affected)
			continue;
		dt_sroute e;
		e.name = p->routes[i]->name;
		e.first = (uint32_t)i;
		e.n = (uint32_t)(j - i);
		e.state = stuck	    ? DRTOPO_ROUTE_STATE_STUCK
			  : escape  ? DRTOPO_ROUTE_STATE_CAN_LEAVE
			  : unknown ? DRTOPO_ROUTE_STATE_UNKNOWN
				    : DRTOPO_ROUTE_STATE_STUCK;
		if (e.state == DRTOPO_ROUTE_STATE_STUCK)
			sc->stuck_routes++;
		if (x->sim) {
			dt_sroute *slot = dt_vec_push(&out, sizeof(e));
			if (!slot) {
				x->err = DRTOPO_ENOMEM;
				break;
			}
			*slot = e;
		}
	}
	if (x->sim && !x->err && out.len) {
		sc->routes = dt_arena_alloc(&x->sim->arena,
					    out.len * sizeof(*sc->routes));
		if (!sc->routes)
			x->err = DRTOPO_ENOMEM;
		else
			memcpy(sc->routes, out.data,
			       out.len * sizeof(*sc->routes));
		sc->nroutes = out.len;
	}
	dt_vec_free(&out);
}

/* ---- DRT611 ------------------------------------------------------------ */

/* Order the hits by stack, then scenario: a counting sort by stack that
 * keeps the order of the scenarios, in which they were found (a
 * multi-region model has a hit for nearly every stack and scenario:
 * 1.8 million on bench/out/big.json). NULL on out of memory. */
static hit611 *sort_hits(const sim_ctx *x, const hit611 *h, size_t n)
{
	uint32_t *at = dt_calloc((size_t)x->n + 1, sizeof(*at));
	hit611 *out = dt_malloc((n ? n : 1) * sizeof(*out));
	if (!at || !out) {
		dt_free(at);
		dt_free(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		at[h[i].stack + 1]++;
	for (uint32_t s = 0; s < x->n; s++)
		at[s + 1] += at[s];
	for (size_t i = 0; i < n; i++)
		out[at[h[i].stack]++] = h[i];
	dt_free(at);
	return out;
}

static void emit611(sim_ctx *x, const dt_zone *zones)
{
	dt_check *c = x->c;
	const drtopo_model *m = x->r->model;
	size_t n = x->acc611.len;
	if (!n)
		return;
	hit611 *h = sort_hits(x, x->acc611.data, n);
	if (!h) {
		c->err = DRTOPO_ENOMEM;
		return;
	}
	c->rule = (uint16_t)x->o->rule611;
	c->severity = x->o->sev611;
	dt_buf b = DT_BUF_INIT;
	for (size_t i = 0, j; i < n && !c->err; i = j) {
		const drtopo_stack *s =
			DT_VEC_AT(m->stacks, drtopo_stack *, h[i].stack);
		/* "stack S needs R (through V), R of A (through V) or
		 * account A (it reads a parameter there): ...": one finding
		 * per stack of the model, written piece by piece (no printf) */
		b.len = 0;
		dt_buf_puts(&b, "stack ");
		dt_buf_puts(&b, s->id);
		dt_buf_puts(&b, " needs ");
		for (j = i; j < n && h[j].stack == h[i].stack; j++) {
			const dt_zone *z = &zones[h[j].scenario];
			const drtopo_stack *via =
				DT_VEC_AT(m->stacks, drtopo_stack *, h[j].hop);
			if (j > i)
				dt_buf_puts(&b,
					    j + 1 == n || h[j + 1].stack !=
								    h[i].stack
						    ? " or "
						    : ", ");
			dt_buf_puts(&b, z->region ? z->region : "account ");
			if (z->region && z->account)
				dt_buf_puts(&b, " of ");
			if (z->account)
				dt_buf_puts(&b, z->account);
			if (h[j].hop == h[j].stack) {
				dt_buf_puts(&b,
					    " (it reads a parameter there)");
			} else {
				dt_buf_puts(&b, " (through ");
				dt_buf_puts(&b, via->id);
				dt_buf_putc(&b, ')');
			}
		}
		dt_buf_puts(&b, ": under its loss, deploying ");
		dt_buf_puts(&b, s->id);
		dt_buf_puts(&b,
			    " with what it depends on fails; deployed "
			    "alone, it keeps what it read from there as last "
			    "deployed (frozen)");
		if (b.oom) {
			c->err = DRTOPO_ENOMEM;
			break;
		}
		drtopo_diagnostic *d =
			dt_emit_text(c, s, NULL, NULL, NULL, b.p, b.len);
		dt_hint(c, d,
			"keep what a stack needs to redeploy in its own region "
			"(a replica, a parameter written into its region), or "
			"plan to deploy it alone during a regional outage");
		dt_relate_reserve(c, d, j - i);
		for (size_t k = i; k < j; k++)
			if (h[k].hop != h[k].stack)
				dt_relate(c, d,
					  DT_VEC_AT(m->stacks, drtopo_stack *,
						    h[k].hop),
					  NULL, NULL);
	}
	dt_buf_free(&b);
	dt_free(h);
}

/* ---- the run ----------------------------------------------------------- */

int dt_simulate(dt_check *c, const dt_zone *zones, size_t nz,
		const dt_sim_opts *o, drtopo_simulation *sim)
{
	sim_ctx x;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.r = c->r;
	x.p = c->r->posture;
	x.o = o;
	x.sim = o->detail ? sim : NULL;
	x.n = c->r->nstacks;
	if (!x.p)
		return DRTOPO_EINVAL;
	if (prepare(&x) == 0) {
		x.worst = scratch(&x, x.p->nstateful, sizeof(dt_outcome));
		for (size_t i = 0; x.worst && i < x.p->nstateful; i++) {
			x.worst[i].res = x.p->stateful[i];
			int known = x.p->stateful[i]->stack->region != NULL;
			x.worst[i].outcome = known ? DRTOPO_OUTCOME_UNAFFECTED
						   : DRTOPO_OUTCOME_UNKNOWN;
			x.worst[i].rpo = x.worst[i].rto =
				known ? 0 : DRTOPO_FIGURE_UNKNOWN;
			x.worst[i].scenario = UINT32_MAX;
		}
	}
	if (x.sim && !x.err) {
		sim->nsc = nz;
		sim->sc = dt_arena_calloc(&sim->arena,
					  (nz ? nz : 1) * sizeof(*sim->sc));
		if (!sim->sc)
			x.err = DRTOPO_ENOMEM;
	}
	for (size_t si = 0; si < nz && !x.err && !c->err; si++) {
		dt_scenario local, *sc = x.sim ? &sim->sc[si] : &local;
		uint64_t bit = (uint64_t)1 << (si % 64);
		if (si % 64 == 0)
			batch_masks(&x, zones + si, nz - si < 64 ? nz - si : 64,
				    (uint32_t)si);
		if (x.err)
			break;
		memset(sc, 0, sizeof(*sc));
		sc->zone = zones[si];
		for (uint32_t s = 0; s < x.n; s++)
			x.lost[s] = (x.lostm[s] & bit) != 0;
		scenario_resources(&x, &zones[si], (uint32_t)si, sc);
		if (!x.err)
			scenario_stacks(&x, bit, sc);
		if (!x.err)
			scenario_routes(&x, &zones[si], sc);
	}
	if (!x.err && !c->err && o->rule610 >= 0 && c->m->nobjectives) {
		c->rule = (uint16_t)o->rule610;
		c->severity = o->sev610;
		for (size_t i = 0; i < x.p->nstateful && !c->err; i++)
			if (!x.p->stateful[i]->stack->region)
				breach_unplaced(&x, x.p->stateful[i]);
	}
	if (!x.err && !c->err && o->rule611 >= 0)
		emit611(&x, zones);
	if (x.sim && !x.err && !c->err) {
		sim->nworst = x.p->nstateful;
		sim->worst = dt_arena_alloc(&sim->arena,
					    (sim->nworst ? sim->nworst : 1) *
						    sizeof(*sim->worst));
		if (!sim->worst)
			x.err = DRTOPO_ENOMEM;
		else if (sim->nworst)
			memcpy(sim->worst, x.worst,
			       sim->nworst * sizeof(*sim->worst));
	}
	int rc = x.err ? x.err : c->err;
	release(&x);
	return rc;
}

/* ---- the rules' view (drtopo check) -------------------------------------- */

/* The zones of "every region in turn". */
static dt_zone *all_regions(const dt_posture *p)
{
	dt_zone *z = dt_calloc(p->nregions ? p->nregions : 1, sizeof(*z));
	for (size_t i = 0; z && i < p->nregions; i++)
		z[i].region = p->regions[i];
	return z;
}

void dt_rule_simulated(dt_check *c)
{
	const dt_posture *p = c->r->posture;
	if (c->simulated || !p)
		return;
	c->simulated = 1;
	int i610 = dt_rule_index("DRT610"), i611 = dt_rule_index("DRT611");
	dt_sim_opts o;
	memset(&o, 0, sizeof(o));
	o.rule610 = o.rule611 = -1;
	if (i610 >= 0 &&
	    dt_rule_severity(c->m, (size_t)i610) != DRTOPO_SEVERITY_OFF) {
		o.rule610 = i610;
		o.sev610 = (uint8_t)dt_rule_severity(c->m, (size_t)i610);
	}
	if (i611 >= 0 &&
	    dt_rule_severity(c->m, (size_t)i611) != DRTOPO_SEVERITY_OFF) {
		o.rule611 = i611;
		o.sev611 = (uint8_t)dt_rule_severity(c->m, (size_t)i611);
	}
	if (!p->nregions || (o.rule610 < 0 && o.rule611 < 0))
		return;
	dt_zone *z = all_regions(p);
	int rc = z ? dt_simulate(c, z, p->nregions, &o, NULL) : DRTOPO_ENOMEM;
	dt_free(z);
	if (rc && !c->err)
		c->err = rc;
}
