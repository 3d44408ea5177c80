/*
 * Serializers of a region-loss simulation: JSON (drtopo-simulation/1,
 * data/drtopo-simulation.schema.json), text for people, SARIF of its
 * findings and DOT with the lost region greyed out. Findings and the
 * graph are written by the same code as a result's (report.h).
 */
#include <stdio.h>
#include <string.h>

#include "posture.h"
#include "report.h"

static void put_fig_json(dt_buf *b, long v)
{
	if (v < 0)
		dt_buf_puts(b, "null");
	else
		dt_buf_printf(b, "%ld", v);
}

static void put_fig_text(dt_buf *b, long v, int lost)
{
	if (lost)
		dt_buf_puts(b, "-");
	else if (v < 0)
		dt_buf_puts(b, "unknown");
	else
		dt_buf_printf(b, "%ld s", v);
}

/* The scenario that loses most stateful resources (the first on a tie). */
static size_t worst_scenario(const drtopo_simulation *sim)
{
	size_t best = 0;
	for (size_t i = 1; i < sim->nsc; i++)
		if (sim->sc[i].lost_res > sim->sc[best].lost_res)
			best = i;
	return best;
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_zone(dt_buf *b, const dt_zone *z)
{
	dt_buf_puts(b, "{\"region\": ");
	dt_buf_json_str(b, z->region);
	dt_buf_puts(b, ", \"account\": ");
	dt_buf_json_str(b, z->account);
	dt_buf_putc(b, '}');
}

static void json_outcome(dt_buf *b, const dt_outcome *o)
{
	const drtopo_resource *r = o->res;
	int lost = o->outcome == DRTOPO_OUTCOME_LOST;
	int copy = o->outcome == DRTOPO_OUTCOME_SURVIVES ||
		   o->outcome == DRTOPO_OUTCOME_UNKNOWN;
	dt_buf_puts(b, "{\"stack\": ");
	dt_buf_json_str(b, r->stack->id);
	dt_buf_puts(b, ", \"resource\": ");
	dt_buf_json_str(b, r->id);
	dt_buf_puts(b, ", \"type\": ");
	dt_buf_json_str(b, r->type);
	dt_buf_puts(b, ", \"region\": ");
	dt_buf_json_str(b, r->stack->region);
	dt_buf_printf(b, ", \"outcome\": \"%s\", \"mechanism\": ",
		      drtopo_outcome_name(o->outcome));
	dt_buf_json_str(b, copy ? drtopo_mechanism_name(o->mech)
				: (lost ? NULL : "in-place"));
	dt_buf_puts(b, ", \"copy_region\": ");
	dt_buf_json_str(b, copy ? o->region : NULL);
	dt_buf_puts(b, ", \"rpo\": ");
	put_fig_json(b, lost ? -1 : o->rpo);
	dt_buf_puts(b, ", \"rto\": ");
	put_fig_json(b, lost ? -1 : o->rto);
}

static void json_frozen(dt_buf *b, const drtopo_simulation *sim,
			const dt_scenario *sc, const dt_sstack *e)
{
	const drtopo_result *r = sim->r;
	size_t n = 0, k;
	const drtopo_param *p;
	dt_frozen_it it;
	dt_buf_puts(b, ", \"frozen\": [");
	dt_frozen_begin(e, &it);
	while (dt_frozen_next(r, sc, e, &it, &k, &p)) {
		dt_buf_puts(b, n++ ? ", {\"from\": " : "{\"from\": ");
		if (p) { /* read in the lost zone, written there from elsewhere
			  */
			dt_buf_puts(b, "null, \"kind\": \"parameter\", "
				       "\"via\": ");
			dt_buf_json_str(b, p->name);
		} else {
			const dt_edge *ed = &r->edges[k];
			dt_buf_json_str(b, DT_VEC_AT(r->model->stacks,
						     drtopo_stack *, ed->to)
						   ->id);
			dt_buf_puts(b, ", \"kind\": ");
			dt_buf_json_str(b, drtopo_edge_kind_name(ed->kind));
			dt_buf_puts(b, ", \"via\": ");
			int oom = 0;
			dt_buf_json_str(b, dt_edge_via(r, k, &oom));
			if (oom)
				b->oom = 1;
		}
		dt_buf_putc(b, '}');
	}
	dt_buf_putc(b, ']');
}

static void json_stack(dt_buf *b, const drtopo_simulation *sim,
		       const dt_scenario *sc, const dt_sstack *e)
{
	dt_buf_puts(b, "{\"id\": ");
	dt_buf_json_str(b, e->s->id);
	dt_buf_puts(b, ", \"region\": ");
	dt_buf_json_str(b, e->s->region);
	dt_buf_printf(b, ", \"state\": \"%s\"",
		      drtopo_stack_state_name(e->state));
	if (e->state == DRTOPO_STACK_STATE_LOST) {
		size_t n = 0;
		dt_buf_puts(b, ", \"automation\": [");
		for (size_t i = 0; i < e->s->resources.len; i++) {
			const drtopo_resource *r = DT_VEC_AT(
				e->s->resources, drtopo_resource *, i);
			if (!drtopo_resource_is_automation(r))
				continue;
			if (n++)
				dt_buf_puts(b, ", ");
			dt_buf_json_str(b, r->id);
		}
		dt_buf_putc(b, ']');
	} else {
		json_frozen(b, sim, sc, e);
	}
	dt_buf_putc(b, '}');
}

static void json_route(dt_buf *b, const dt_posture *p, const dt_sroute *e)
{
	dt_buf_puts(b, "{\"name\": ");
	dt_buf_json_str(b, e->name);
	dt_buf_printf(b, ", \"state\": \"%s\", \"records\": [",
		      drtopo_route_state_name(e->state));
	for (uint32_t k = 0; k < e->n; k++) {
		const drtopo_route *rt = p->routes[e->first + k];
		dt_buf_puts(b, k ? ", {\"stack\": " : "{\"stack\": ");
		dt_buf_json_str(b, rt->res->stack->id);
		dt_buf_puts(b, ", \"resource\": ");
		dt_buf_json_str(b, rt->res->id);
		dt_buf_puts(b, ", \"set_identifier\": ");
		dt_buf_json_str(b, rt->set_id);
		dt_buf_printf(b, ", \"policy\": \"%s\", \"region\": ",
			      drtopo_routing_policy_name(rt->policy));
		dt_buf_json_str(b, dt_route_region(rt));
		dt_buf_printf(
			b, ", \"health_checked\": %s}",
			(rt->flags & (DRTOPO_ROUTE_HEALTH_CHECK |
				      DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH))
				? "true"
				: "false");
	}
	dt_buf_puts(b, "]}");
}

/* The whole document into b, held (drtopo_simulation_to_json) or
 * streaming (drtopo_simulation_write_json): one writer, so both give the
 * same bytes. Out of memory and a failed sink are b's to tell. */
static int simulation_json(const void *obj, dt_buf *b)
{
	const drtopo_simulation *sim = obj;
	const dt_posture *p = sim->r->posture;
	dt_buf_puts(b, "{\n  \"schema\": \"" DRTOPO_SIMULATION_SCHEMA "\",\n"
		       "  \"generator\": \"drtopo " DRTOPO_VERSION_STRING
		       "\",\n  \"scenarios\": [");
	size_t lost_worst = 0;
	for (size_t i = 0; i < sim->nsc; i++) {
		const dt_scenario *sc = &sim->sc[i];
		dt_buf_puts(b, i ? ",\n    {\"lost\": " : "\n    {\"lost\": ");
		json_zone(b, &sc->zone);
		dt_buf_puts(b, ",\n     \"resources\": [");
		for (size_t j = 0; j < sc->nout; j++) {
			dt_buf_puts(b, j ? ",\n       " : "\n       ");
			json_outcome(b, &sc->out[j]);
			dt_buf_putc(b, '}');
		}
		dt_buf_puts(b, "],\n     \"stacks\": [");
		for (size_t j = 0; j < sc->nstacks; j++) {
			dt_buf_puts(b, j ? ",\n       " : "\n       ");
			json_stack(b, sim, sc, &sc->stacks[j]);
		}
		dt_buf_puts(b, "],\n     \"routes\": [");
		for (size_t j = 0; j < sc->nroutes; j++) {
			dt_buf_puts(b, j ? ",\n       " : "\n       ");
			json_route(b, p, &sc->routes[j]);
		}
		dt_buf_printf(
			b,
			"],\n     \"summary\": {\"lost_stacks\": %zu, "
			"\"stacks_with_path\": %zu, \"affected_resources\": "
			"%zu, \"lost_resources\": %zu, \"stuck_routes\": "
			"%zu}}",
			sc->lost_stacks, sc->path_stacks, sc->nout,
			sc->lost_res, sc->stuck_routes);
	}
	dt_buf_puts(b,
		    sim->nsc ? "\n  ],\n  \"worst\": [" : "],\n  \"worst\": [");
	for (size_t j = 0; j < sim->nworst; j++) {
		const dt_outcome *o = &sim->worst[j];
		dt_buf_puts(b, j ? ",\n    " : "\n    ");
		json_outcome(b, o);
		dt_buf_puts(b, ", \"scenario\": ");
		if (o->scenario == UINT32_MAX)
			dt_buf_puts(b, "null");
		else
			json_zone(b, &sim->sc[o->scenario].zone);
		dt_buf_putc(b, '}');
		lost_worst += o->outcome == DRTOPO_OUTCOME_LOST;
	}
	dt_buf_puts(b, sim->nworst ? "\n  ],\n  \"diagnostics\": ["
				   : "],\n  \"diagnostics\": [");
	for (size_t i = 0; i < sim->diags.len; i++) {
		dt_buf_puts(b, i ? ",\n    " : "\n    ");
		dt_report_json_diag(
			b, DT_VEC_PTR(sim->diags, drtopo_diagnostic, i));
	}
	dt_buf_puts(b, sim->diags.len ? "\n  ],\n" : "],\n");
	dt_buf_printf(b,
		      "  \"summary\": {\"scenarios\": %zu, \"stateful\": %zu, "
		      "\"lost_in_worst_case\": %zu, \"errors\": %zu, "
		      "\"warnings\": %zu, \"infos\": %zu}\n}\n",
		      sim->nsc, sim->nworst, lost_worst,
		      sim->counts[DRTOPO_SEVERITY_ERROR],
		      sim->counts[DRTOPO_SEVERITY_WARNING],
		      sim->counts[DRTOPO_SEVERITY_INFO]);
	return 0;
}

int drtopo_simulation_to_json(const drtopo_simulation *sim, char **out,
			      size_t *len_out)
{
	if (!sim || !out)
		return DRTOPO_EINVAL;
	dt_buf b = DT_BUF_INIT;
	simulation_json(sim, &b);
	return dt_buf_finish(&b, out, len_out);
}

int drtopo_simulation_write_json(const drtopo_simulation *sim,
				 drtopo_write_fn write, void *ctx)
{
	if (!sim || !write)
		return DRTOPO_EINVAL;
	return dt_report_write(simulation_json, sim, write, ctx);
}

/* ---- text ---------------------------------------------------------------- */

static void pad(dt_buf *b, size_t used, size_t width)
{
	while (used++ < width)
		dt_buf_putc(b, ' ');
}

static size_t where_len(const drtopo_resource *r)
{
	return strlen(r->stack->id) + 1 + strlen(r->id);
}

static void put_copy_text(dt_buf *b, const dt_outcome *o)
{
	if (o->outcome == DRTOPO_OUTCOME_LOST) {
		dt_buf_puts(b, "no copy outside the lost region");
		return;
	}
	if (o->outcome == DRTOPO_OUTCOME_UNAFFECTED) {
		dt_buf_puts(b, "in place");
		return;
	}
	dt_buf_puts(b, dt_mechanism_of(o->mech)->label);
	dt_buf_puts(b, o->region ? " in " : " (region unknown)");
	if (o->region)
		dt_report_text_safe(b, o->region);
}

/* One table: outcome, resource, copy, RPO, RTO. */
static void text_outcomes(dt_buf *b, const dt_outcome *o, size_t n,
			  const drtopo_simulation *sim, int with_scenario)
{
	size_t w = strlen("RESOURCE");
	for (size_t j = 0; j < n; j++)
		if (where_len(o[j].res) > w)
			w = where_len(o[j].res);
	dt_buf_puts(b, "  OUTCOME     RESOURCE");
	pad(b, strlen("RESOURCE"), w + 2);
	dt_buf_puts(b, "RPO        RTO        COPY");
	dt_buf_puts(b, with_scenario ? " / WORST WHEN LOST\n" : "\n");
	for (size_t j = 0; j < n; j++) {
		const dt_outcome *x = &o[j];
		const char *name = drtopo_outcome_name(x->outcome);
		int lost = x->outcome == DRTOPO_OUTCOME_LOST;
		dt_buf_puts(b, "  ");
		dt_buf_puts(b, name);
		pad(b, strlen(name), 12);
		dt_report_text_safe(b, x->res->stack->id);
		dt_buf_putc(b, '/');
		dt_report_text_safe(b, x->res->id);
		pad(b, where_len(x->res), w + 2);
		size_t at = b->len;
		put_fig_text(b, x->rpo, lost);
		pad(b, b->len - at, 11);
		at = b->len;
		put_fig_text(b, x->rto, lost);
		pad(b, b->len - at, 11);
		put_copy_text(b, x);
		if (with_scenario && x->scenario != UINT32_MAX) {
			const dt_zone *z = &sim->sc[x->scenario].zone;
			dt_buf_puts(b, " / ");
			dt_report_text_safe(b,
					    z->region ? z->region : z->account);
		}
		dt_buf_putc(b, '\n');
	}
}

static void text_zone(dt_buf *b, const dt_zone *z)
{
	if (z->region) {
		dt_report_text_safe(b, z->region);
		if (z->account) {
			dt_buf_puts(b, " in account ");
			dt_report_text_safe(b, z->account);
		}
	} else {
		dt_buf_puts(b, "account ");
		dt_report_text_safe(b, z->account ? z->account : "?");
	}
}

static void text_stacks(dt_buf *b, const drtopo_simulation *sim,
			const dt_scenario *sc)
{
	for (size_t j = 0; j < sc->nstacks; j++) {
		const dt_sstack *e = &sc->stacks[j];
		if (e->state != DRTOPO_STACK_STATE_LOST)
			continue;
		dt_buf_puts(b, "  lost stack ");
		dt_report_text_safe(b, e->s->id);
		size_t n = 0;
		for (size_t i = 0; i < e->s->resources.len; i++) {
			const drtopo_resource *r = DT_VEC_AT(
				e->s->resources, drtopo_resource *, i);
			if (!drtopo_resource_is_automation(r))
				continue;
			dt_buf_puts(b, n++ ? ", "
					   : ": automation lost with "
					     "its region: ");
			dt_report_text_safe(b, r->id);
		}
		dt_buf_putc(b, '\n');
	}
	for (size_t j = 0; j < sc->nstacks; j++) {
		const dt_sstack *e = &sc->stacks[j];
		if (e->state == DRTOPO_STACK_STATE_LOST)
			continue;
		dt_buf_puts(b, "  deploys alone ");
		dt_report_text_safe(b, e->s->id);
		if (e->frozen)
			dt_buf_printf(b,
				      ": reads %u value%s from the lost "
				      "region, frozen as last deployed\n",
				      e->frozen, e->frozen == 1 ? "" : "s");
		else
			dt_buf_puts(b, ": depends on a lost stack (reads no "
				       "value from it)\n");
	}
	size_t indirect = sc->path_stacks;
	for (size_t j = 0; j < sc->nstacks; j++)
		indirect -= sc->stacks[j].state != DRTOPO_STACK_STATE_LOST;
	if (indirect)
		dt_buf_printf(b,
			      "  %zu more stack%s with a longer dependency "
			      "path into it (DRT611)\n",
			      indirect, indirect == 1 ? "" : "s");
	(void)sim;
}

static void text_routes(dt_buf *b, const dt_scenario *sc)
{
	for (size_t j = 0; j < sc->nroutes; j++) {
		const dt_sroute *e = &sc->routes[j];
		dt_buf_puts(b, "  routed name ");
		dt_report_text_safe(b, e->name);
		dt_buf_puts(b,
			    e->state == DRTOPO_ROUTE_STATE_CAN_LEAVE
				    ? ": traffic can leave (every record "
				      "there is health-checked or a "
				      "failover secondary, and a record "
				      "elsewhere takes it)\n"
			    : e->state == DRTOPO_ROUTE_STATE_STUCK
				    ? ": traffic stays (a record there has no "
				      "health check, or no record is "
				      "elsewhere)\n"
				    : ": unknown (a record's region is "
				      "unknown)\n");
	}
}

int drtopo_simulation_to_text(const drtopo_simulation *sim, unsigned int flags,
			      char **out, size_t *len_out)
{
	if (!sim || !out)
		return DRTOPO_EINVAL;
	dt_buf b = DT_BUF_INIT;
	int quiet = (flags & DRTOPO_TEXT_QUIET) != 0;
	for (size_t i = 0; i < sim->nsc && !quiet; i++) {
		const dt_scenario *sc = &sim->sc[i];
		dt_buf_puts(&b, i ? "\nloss of " : "loss of ");
		text_zone(&b, &sc->zone);
		dt_buf_printf(&b,
			      ": %zu stateful resource%s affected, %zu lost; "
			      "%zu stack%s lost\n",
			      sc->nout, sc->nout == 1 ? "" : "s", sc->lost_res,
			      sc->lost_stacks, sc->lost_stacks == 1 ? "" : "s");
		if (sc->nout)
			text_outcomes(&b, sc->out, sc->nout, sim, 0);
		text_stacks(&b, sim, sc);
		text_routes(&b, sc);
	}
	if (sim->nsc > 1 && !quiet) {
		dt_buf_printf(&b, "\nworst case over %zu regions:\n", sim->nsc);
		text_outcomes(&b, sim->worst, sim->nworst, sim, 1);
	}
	if (!quiet && sim->diags.len)
		dt_buf_putc(&b, '\n');
	for (size_t i = 0; i < sim->diags.len && !quiet; i++)
		dt_report_text_finding(
			&b, DT_VEC_PTR(sim->diags, drtopo_diagnostic, i),
			(flags & DRTOPO_TEXT_COLOR) != 0);
	size_t lost = 0;
	for (size_t j = 0; j < sim->nworst; j++)
		lost += sim->worst[j].outcome == DRTOPO_OUTCOME_LOST;
	dt_buf_printf(&b,
		      "%zu scenario%s, %zu stateful resource%s, %zu lost in "
		      "the worst case: %zu error%s, %zu warning%s, %zu "
		      "info%s\n",
		      sim->nsc, sim->nsc == 1 ? "" : "s", sim->nworst,
		      sim->nworst == 1 ? "" : "s", lost,
		      sim->counts[DRTOPO_SEVERITY_ERROR],
		      sim->counts[DRTOPO_SEVERITY_ERROR] == 1 ? "" : "s",
		      sim->counts[DRTOPO_SEVERITY_WARNING],
		      sim->counts[DRTOPO_SEVERITY_WARNING] == 1 ? "" : "s",
		      sim->counts[DRTOPO_SEVERITY_INFO],
		      sim->counts[DRTOPO_SEVERITY_INFO] == 1 ? "" : "s");
	return dt_buf_finish(&b, out, len_out);
}

/* ---- SARIF and DOT ---------------------------------------------------------
 */

int drtopo_simulation_to_sarif(const drtopo_simulation *sim, char **out,
			       size_t *len_out)
{
	if (!sim || !out)
		return DRTOPO_EINVAL;
	return dt_report_sarif(sim->r, &sim->diags, out, len_out);
}

int drtopo_simulation_to_dot(const drtopo_simulation *sim, char **out,
			     size_t *len_out)
{
	if (!sim || !out)
		return DRTOPO_EINVAL;
	const dt_zone *z = sim->nsc ? &sim->sc[worst_scenario(sim)].zone : NULL;
	return dt_report_dot(sim->r, z, out, len_out);
}
