/*
 * The public face of the region-loss simulation: drtopo_result_simulate()
 * and the accessors of drtopo_simulation. The work is lib/simulate.c.
 */
#include <string.h>

#include "posture.h"

static const char *const outcome_names[] = {"unaffected", "survives", "lost",
					    "unknown"};
static const char *const stack_state_names[] = {"unaffected", "lost",
						"deploys-alone"};
static const char *const route_state_names[] = {"unaffected", "can-leave",
						"stuck", "unknown"};

const char *drtopo_outcome_name(int v)
{
	return v >= 0 && v < (int)DT_ARRAY_LEN(outcome_names) ? outcome_names[v]
							      : NULL;
}

const char *drtopo_stack_state_name(int v)
{
	return v >= 0 && v < (int)DT_ARRAY_LEN(stack_state_names)
		       ? stack_state_names[v]
		       : NULL;
}

const char *drtopo_route_state_name(int v)
{
	return v >= 0 && v < (int)DT_ARRAY_LEN(route_state_names)
		       ? route_state_names[v]
		       : NULL;
}

void drtopo_simulation_free(drtopo_simulation *sim)
{
	if (!sim)
		return;
	dt_vec_free(&sim->diags);
	dt_arena_free(&sim->arena);
	dt_free(sim);
}

/* The interned copy of a name, or a private copy when the model has none
 * (then nothing of the model is there: nothing is lost). */
static const char *zone_name(drtopo_simulation *sim, const drtopo_model *m,
			     const char *s, int *oom)
{
	if (!s)
		return NULL;
	const char *k = dt_intern_lookup(&m->strs, s, strlen(s));
	if (k)
		return k;
	char *copy = dt_arena_strdup(&sim->arena, s);
	if (!copy)
		*oom = 1;
	return copy;
}

int drtopo_result_simulate(const drtopo_result *result, const char *region,
			   const char *account, drtopo_simulation **out)
{
	if (!result || !out || !result->posture ||
	    (region && (!*region || !dt_utf8_valid(region, strlen(region)))) ||
	    (account &&
	     (!*account || !dt_utf8_valid(account, strlen(account)))))
		return DRTOPO_EINVAL;
	drtopo_simulation *sim = dt_calloc(1, sizeof(*sim));
	if (!sim)
		return DRTOPO_ENOMEM;
	sim->r = result;
	dt_arena_init(&sim->arena, 16 * 1024);
	sim->at = dt_arena_calloc(&sim->arena, sizeof(*sim->at));
	if (!sim->at) {
		drtopo_simulation_free(sim);
		return DRTOPO_ENOMEM;
	}
	const dt_posture *p = result->posture;
	const drtopo_model *m = result->model;
	int oom = 0;
	dt_zone one, *zones = &one;
	size_t nz = 1;
	if (region || account) {
		one.region = zone_name(sim, m, region, &oom);
		one.account = zone_name(sim, m, account, &oom);
	} else {
		nz = p->nregions;
		zones = dt_arena_calloc(&sim->arena,
					(nz ? nz : 1) * sizeof(*zones));
		if (!zones)
			oom = 1;
		for (size_t i = 0; zones && i < nz; i++)
			zones[i].region = p->regions[i];
	}
	int rc = oom ? DRTOPO_ENOMEM : 0;
	if (!rc) {
		dt_check c;
		memset(&c, 0, sizeof(c));
		c.r = (drtopo_result *)result;
		c.m = result->model;
		c.diags = &sim->diags;
		c.arena = &sim->arena;
		dt_sim_opts o;
		memset(&o, 0, sizeof(o));
		o.detail = 1;
		o.rule610 = dt_rule_index("DRT610");
		o.rule611 = dt_rule_index("DRT611");
		int s610 = dt_rule_severity(m, (size_t)o.rule610);
		int s611 = dt_rule_severity(m, (size_t)o.rule611);
		o.sev610 = (uint8_t)s610;
		o.sev611 = (uint8_t)s611;
		if (s610 == DRTOPO_SEVERITY_OFF)
			o.rule610 = -1;
		if (s611 == DRTOPO_SEVERITY_OFF)
			o.rule611 = -1;
		rc = dt_simulate(&c, zones, nz, &o, sim);
	}
	if (!rc)
		dt_diags_finish(result, &sim->diags, sim->counts);
	if (rc) {
		drtopo_simulation_free(sim);
		return rc;
	}
	*out = sim;
	return DRTOPO_OK;
}

size_t drtopo_simulation_scenario_count(const drtopo_simulation *sim)
{
	return sim ? sim->nsc : 0;
}

static const dt_scenario *scenario(const drtopo_simulation *sim, size_t i)
{
	return sim && i < sim->nsc ? &sim->sc[i] : NULL;
}

const char *drtopo_simulation_scenario_region(const drtopo_simulation *sim,
					      size_t i)
{
	const dt_scenario *sc = scenario(sim, i);
	return sc ? sc->zone.region : NULL;
}

const char *drtopo_simulation_scenario_account(const drtopo_simulation *sim,
					       size_t i)
{
	const dt_scenario *sc = scenario(sim, i);
	return sc ? sc->zone.account : NULL;
}

size_t drtopo_simulation_outcome_count(const drtopo_simulation *sim, size_t i)
{
	const dt_scenario *sc = scenario(sim, i);
	return sc ? sc->nout : 0;
}

static int put_outcome(const dt_outcome *o, drtopo_resource **resource,
		       int *outcome, int *mechanism, const char **region,
		       long *rpo, long *rto)
{
	if (resource)
		*resource = (drtopo_resource *)o->res;
	if (outcome)
		*outcome = o->outcome;
	if (mechanism)
		*mechanism = o->mech;
	if (region)
		*region = o->region;
	if (rpo)
		*rpo = o->rpo;
	if (rto)
		*rto = o->rto;
	return DRTOPO_OK;
}

int drtopo_simulation_outcome(const drtopo_simulation *sim, size_t i, size_t j,
			      drtopo_resource **resource, int *outcome,
			      int *mechanism, const char **region, long *rpo,
			      long *rto)
{
	const dt_scenario *sc = scenario(sim, i);
	if (!sc || j >= sc->nout)
		return DRTOPO_EINVAL;
	return put_outcome(&sc->out[j], resource, outcome, mechanism, region,
			   rpo, rto);
}

size_t drtopo_simulation_worst_count(const drtopo_simulation *sim)
{
	return sim ? sim->nworst : 0;
}

int drtopo_simulation_worst(const drtopo_simulation *sim, size_t j,
			    drtopo_resource **resource, int *outcome,
			    int *mechanism, const char **region, long *rpo,
			    long *rto, size_t *scenario_out)
{
	if (!sim || j >= sim->nworst)
		return DRTOPO_EINVAL;
	const dt_outcome *o = &sim->worst[j];
	if (scenario_out)
		*scenario_out =
			o->scenario == UINT32_MAX ? (size_t)-1 : o->scenario;
	return put_outcome(o, resource, outcome, mechanism, region, rpo, rto);
}

size_t drtopo_simulation_stack_count(const drtopo_simulation *sim, size_t i)
{
	const dt_scenario *sc = scenario(sim, i);
	return sc ? sc->nstacks : 0;
}

int drtopo_simulation_stack(const drtopo_simulation *sim, size_t i, size_t j,
			    drtopo_stack **stack, int *state, size_t *frozen)
{
	const dt_scenario *sc = scenario(sim, i);
	if (!sc || j >= sc->nstacks)
		return DRTOPO_EINVAL;
	if (stack)
		*stack = (drtopo_stack *)sc->stacks[j].s;
	if (state)
		*state = sc->stacks[j].state;
	if (frozen)
		*frozen = sc->stacks[j].frozen;
	return DRTOPO_OK;
}

void dt_frozen_begin(const dt_sstack *e, dt_frozen_it *it)
{
	it->edge = e->edge0;
	it->read = 0;
}

int dt_frozen_next(const drtopo_result *r, const dt_scenario *sc,
		   const dt_sstack *e, dt_frozen_it *it, size_t *edge,
		   const drtopo_param **param)
{
	for (; it->edge < r->nedges && r->edges[it->edge].from == e->s->index;
	     it->edge++) {
		const dt_edge *ed = &r->edges[it->edge];
		const drtopo_stack *to =
			DT_VEC_AT(r->model->stacks, drtopo_stack *, ed->to);
		/* an explicit dependency carries no value */
		if (ed->kind == DRTOPO_EDGE_EXPLICIT ||
		    !dt_zone_has(&sc->zone, to->region, to->account))
			continue;
		*edge = it->edge++;
		*param = NULL;
		return 1;
	}
	if (it->read < e->nreads) {
		*edge = SIZE_MAX;
		*param = e->reads[it->read++];
		return 1;
	}
	return 0;
}

int drtopo_simulation_frozen(const drtopo_simulation *sim, size_t i, size_t j,
			     size_t k, drtopo_stack **from, int *kind,
			     const char **via)
{
	const dt_scenario *sc = scenario(sim, i);
	if (!sc || j >= sc->nstacks || k >= sc->stacks[j].frozen)
		return DRTOPO_EINVAL;
	const dt_sstack *e = &sc->stacks[j];
	dt_frozen_at *at = sim->at;
	if (at->e != e || at->next > k) {
		at->e = e;
		at->next = 0;
		dt_frozen_begin(e, &at->it);
	}
	size_t edge = SIZE_MAX;
	const drtopo_param *p = NULL;
	for (; at->next <= k; at->next++)
		if (!dt_frozen_next(sim->r, sc, e, &at->it, &edge, &p)) {
			at->e = NULL; /* cannot happen: frozen counts them */
			return DRTOPO_EINVAL;
		}
	if (p) {
		if (from)
			*from = NULL;
		if (kind)
			*kind = DRTOPO_EDGE_PARAMETER;
		if (via)
			*via = p->name;
		return DRTOPO_OK;
	}
	const dt_edge *ed = &sim->r->edges[edge];
	if (via) { /* made first: a failure writes nothing */
		int oom = 0;
		const char *text = dt_edge_via(sim->r, edge, &oom);
		if (oom)
			return DRTOPO_ENOMEM;
		*via = text;
	}
	if (from)
		*from = DT_VEC_AT(sim->r->model->stacks, drtopo_stack *,
				  ed->to);
	if (kind)
		*kind = ed->kind;
	return DRTOPO_OK;
}

int drtopo_simulation_scenario_summary(const drtopo_simulation *sim, size_t i,
				       size_t *lost_stacks,
				       size_t *stacks_with_path,
				       size_t *affected_resources,
				       size_t *lost_resources,
				       size_t *stuck_routes)
{
	const dt_scenario *sc = scenario(sim, i);
	if (!sc)
		return DRTOPO_EINVAL;
	if (lost_stacks)
		*lost_stacks = sc->lost_stacks;
	if (stacks_with_path)
		*stacks_with_path = sc->path_stacks;
	if (affected_resources)
		*affected_resources = sc->nout;
	if (lost_resources)
		*lost_resources = sc->lost_res;
	if (stuck_routes)
		*stuck_routes = sc->stuck_routes;
	return DRTOPO_OK;
}

size_t drtopo_simulation_route_count(const drtopo_simulation *sim, size_t i)
{
	const dt_scenario *sc = scenario(sim, i);
	return sc ? sc->nroutes : 0;
}

int drtopo_simulation_route(const drtopo_simulation *sim, size_t i, size_t j,
			    const char **name, int *state)
{
	const dt_scenario *sc = scenario(sim, i);
	if (!sc || j >= sc->nroutes)
		return DRTOPO_EINVAL;
	if (name)
		*name = sc->routes[j].name;
	if (state)
		*state = sc->routes[j].state;
	return DRTOPO_OK;
}

size_t drtopo_simulation_diagnostic_count(const drtopo_simulation *sim)
{
	return sim ? sim->diags.len : 0;
}

const drtopo_diagnostic *
drtopo_simulation_diagnostic(const drtopo_simulation *sim, size_t i)
{
	if (!sim || i >= sim->diags.len)
		return NULL;
	return DT_VEC_PTR(sim->diags, drtopo_diagnostic, i);
}

int drtopo_simulation_max_severity(const drtopo_simulation *sim)
{
	return sim ? dt_max_severity(sim->counts) : DRTOPO_SEVERITY_OFF;
}
