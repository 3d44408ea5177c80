/*
 * Internal view of DR posture (drtopo-posture(7)): which resources hold
 * data, where copies of that data live, and what the loss of a region
 * does to them, to the stacks and to routed names.
 *
 * The facts (dt_posture) are derived once per resolve from the model and
 * kept in the result's arena, so that the rules and any number of
 * simulations read them without changing the result. Every pass is
 * linear in the model: copies are found by walking each resource's own
 * settings once, and the questions "is this place lost" are pointer
 * comparisons of interned region and account names.
 */
#ifndef DT_POSTURE_H
#define DT_POSTURE_H

#include "resolve.h"

/* Model-level helpers (lib/objectives.c). */
void dt_effective_objectives(const drtopo_resource *r, dt_objectives *out);
const char *dt_route_region(const drtopo_route *rt);

/* One row of the mechanism table (posture.md): its expected figures in
 * seconds, DRTOPO_FIGURE_UNKNOWN when not known; DT_FIG_PERIOD: the backup
 * schedule's period; DT_FIG_ROUTED: 0 when the model steers traffic with
 * health-checked records, else unknown. */
#define DT_FIG_PERIOD (-2L)
#define DT_FIG_ROUTED (-3L)

typedef struct dt_mechanism {
	int id;		    /* DRTOPO_MECHANISM_* */
	const char *name;   /* "global-table-replica" */
	const char *label;  /* for people */
	long rpo, rto;	    /* expected figures */
	const char *source; /* what the figures rest on */
} dt_mechanism;

const dt_mechanism *dt_mechanism_of(int id);

/* A copy of a resource's data in another place. */
typedef struct dt_copy {
	struct dt_copy *next;
	const char *region;  /* NULL: unknown */
	const char *account; /* NULL: unknown (the source's is assumed) */
	const drtopo_resource *target; /* the copy, when the model's */
	const drtopo_replication *via; /* the setting, when one */
	long rpo, rto;		       /* resolved expected figures */
	uint8_t mech;
} dt_copy;

/* Per-resource posture flags. */
enum {
	DT_P_STATEFUL = 1, /* holds data (the stateful-type table) */
	DT_P_TARGET = 2,   /* is itself the copy of another's data */
	DT_P_USED = 4,	   /* something of the model refers to it */
	DT_P_MEMBER = 8	   /* an RDS instance of a cluster (data: cluster's) */
};

/* A finding that the facts pass saw (rules report them). */
typedef struct dt_same_place {
	const drtopo_replication *p;
	const drtopo_resource *target;
} dt_same_place;

typedef struct dt_global_cluster {
	const drtopo_resource *g;
	const drtopo_resource *first, *other; /* members in two regions */
	uint32_t members;
	uint8_t unknown; /* a member's region is unknown */
} dt_global_cluster;

typedef struct dt_posture {
	uint32_t nres;
	drtopo_resource **res;	    /* by model index */
	uint8_t *flags;		    /* DT_P_*, by model index */
	dt_copy **copies;	    /* by model index */
	drtopo_resource **stateful; /* by (stack id, resource id) */
	size_t nstateful;
	const char **regions; /* distinct known regions of stacks, sorted */
	size_t nregions;
	const drtopo_route **routes; /* by (name, model order) */
	size_t nroutes;
	dt_same_place *same;
	size_t nsame;
	dt_global_cluster *globals;
	size_t nglobals;
} dt_posture;

/* Build r->posture (in r's arena). 0 or DRTOPO_ENOMEM. */
int dt_posture_build(drtopo_result *r);

/* The lost zone of a scenario: region and/or account (NULL: any). */
typedef struct dt_zone {
	const char *region, *account;
} dt_zone;

static inline int dt_zone_has(const dt_zone *z, const char *region,
			      const char *account)
{
	if (z->region && (!region || region != z->region))
		return 0;
	if (z->account && (!account || account != z->account))
		return 0;
	return 1;
}

/* ---- the simulation ---------------------------------------------------- */

typedef struct dt_outcome {
	const drtopo_resource *res;
	uint8_t outcome, mech;
	const char *region; /* of the surviving copy */
	long rpo, rto;
	uint32_t scenario;
} dt_outcome;

typedef struct dt_sstack {
	const drtopo_stack *s;
	uint8_t state;
	uint32_t frozen; /* direct reads from the lost zone */
	uint32_t edge0;	 /* its first edge in r->edges (frozen reads) */
	/* parameters it reads in the lost zone that a stack elsewhere
	 * wrote there (a cross-region reader): frozen reads no edge shows */
	const drtopo_param **reads;
	uint32_t nreads;
} dt_sstack;

typedef struct dt_sroute {
	const char *name;
	uint8_t state;
	uint32_t first, n; /* its records in posture->routes */
} dt_sroute;

typedef struct dt_scenario {
	dt_zone zone;
	dt_outcome *out;
	size_t nout;
	dt_sstack *stacks;
	size_t nstacks;
	dt_sroute *routes;
	size_t nroutes;
	size_t lost_stacks, path_stacks, lost_res, stuck_routes;
} dt_scenario;

/* The frozen values of a listed stack, in order (drtopo_simulation_frozen()
 * and the JSON report): its edges into the lost zone that carry a value,
 * then the parameters it reads there. */
typedef struct dt_frozen_it {
	size_t edge;   /* next edge of r->edges to look at */
	uint32_t read; /* next of its reads */
} dt_frozen_it;

void dt_frozen_begin(const dt_sstack *e, dt_frozen_it *it);
/* The next value: 1 with *edge its edge index (*param NULL) or *param the
 * parameter read (*edge SIZE_MAX); 0 at the end. */
int dt_frozen_next(const drtopo_result *r, const dt_scenario *sc,
		   const dt_sstack *e, dt_frozen_it *it, size_t *edge,
		   const drtopo_param **param);

/* Where drtopo_simulation_frozen() stopped, so that reading a stack's
 * values in order is one pass (written through a pointer of a const
 * simulation: one thread at a time, as for what a model owns). */
typedef struct dt_frozen_at {
	const dt_sstack *e; /* NULL: nothing read yet */
	size_t next;	    /* index of the value `it` gives next */
	dt_frozen_it it;
} dt_frozen_at;

struct drtopo_simulation {
	const drtopo_result *r;
	dt_arena arena;
	dt_frozen_at *at;
	dt_scenario *sc;
	size_t nsc;
	dt_outcome *worst; /* one per stateful resource */
	size_t nworst;
	dt_vec diags; /* drtopo_diagnostic */
	size_t counts[4];
};

/* Run the scenarios of zones[0..n); findings go where c sends them (a
 * result's or a simulation's). detail: fill sim's per-scenario lists
 * (else sim may be NULL: only findings, for drtopo check). rule610 and
 * rule611: rule indexes of the findings to emit, with their severities,
 * or -1. */
typedef struct dt_sim_opts {
	int detail;
	int rule610, rule611;
	uint8_t sev610, sev611;
} dt_sim_opts;

int dt_simulate(dt_check *c, const dt_zone *zones, size_t n,
		const dt_sim_opts *o, drtopo_simulation *sim);

/* Sort and de-duplicate findings of result r, count them by severity. */
void dt_diags_finish(const drtopo_result *r, dt_vec *diags, size_t counts[4]);

#endif /* DT_POSTURE_H */
