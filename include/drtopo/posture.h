/*
 * libdrtopo - DR posture: recovery objectives, Route 53 routing records,
 * and the region-loss simulation (drtopo-posture(7)).
 *
 * Objectives and routes are model data, like replication settings: they
 * live in the model and are freed with it. A simulation is computed from
 * a resolved model (drtopo_result) and owned by the caller
 * (drtopo_simulation_free()); it borrows the result, which must outlive
 * it. Everything here is @since 0.2.
 */
#ifndef DRTOPO_POSTURE_H
#define DRTOPO_POSTURE_H

#include <stddef.h>

#include "common.h"
#include "model.h"
#include "result.h"

DRTOPO_BEGIN_DECLS

/* ---- recovery objectives ------------------------------------------ */

/** A figure (RPO or RTO, seconds) that is not declared or not known. */
#define DRTOPO_FIGURE_UNKNOWN (-1L)

/** Recovery strategies, in AWS's vocabulary. */
enum drtopo_strategy {
	DRTOPO_STRATEGY_NONE = 0, /**< not declared */
	DRTOPO_STRATEGY_BACKUP_AND_RESTORE = 1,
	DRTOPO_STRATEGY_PILOT_LIGHT = 2,
	DRTOPO_STRATEGY_WARM_STANDBY = 3,
	DRTOPO_STRATEGY_HOT_STANDBY = 4,
	DRTOPO_STRATEGY_ACTIVE_ACTIVE = 5
};

/** "BACKUP_AND_RESTORE", ...; NULL for NONE or an unknown value. */
DRTOPO_EXPORT const char *drtopo_strategy_name(int strategy);
/** The strategy named (case-insensitive), or DRTOPO_EINVAL. */
DRTOPO_EXPORT int drtopo_strategy_from_name(const char *name);

/**
 * Declare recovery objectives for the whole model, a stack or a resource:
 * RPO and RTO in seconds (DRTOPO_FIGURE_UNKNOWN: not declared at this level)
 * and a strategy (DRTOPO_STRATEGY_NONE: not declared). A call replaces what the
 * level declared before. Each figure of a resource's effective objectives comes
 * from the most specific level that declares it.
 * @return DRTOPO_OK or DRTOPO_EINVAL (a figure below -1, an unknown
 * strategy).
 */
DRTOPO_EXPORT int drtopo_model_set_objectives(drtopo_model *model, long rpo,
					      long rto, int strategy);
DRTOPO_EXPORT int drtopo_stack_set_objectives(drtopo_stack *stack, long rpo,
					      long rto, int strategy);
DRTOPO_EXPORT int drtopo_resource_set_objectives(drtopo_resource *resource,
						 long rpo, long rto,
						 int strategy);

/**
 * What one level declares (not inherited). Any out-parameter may be NULL.
 * @return DRTOPO_OK, or DRTOPO_EINVAL for a NULL object.
 */
DRTOPO_EXPORT int drtopo_model_objectives(const drtopo_model *model, long *rpo,
					  long *rto, int *strategy);
DRTOPO_EXPORT int drtopo_stack_objectives(const drtopo_stack *stack, long *rpo,
					  long *rto, int *strategy);
DRTOPO_EXPORT int drtopo_resource_objectives(const drtopo_resource *resource,
					     long *rpo, long *rto,
					     int *strategy);
/** The objectives that apply to a resource (resource, else its stack,
 * else the model; per figure). */
DRTOPO_EXPORT int
drtopo_resource_effective_objectives(const drtopo_resource *resource, long *rpo,
				     long *rto, int *strategy);

/* ---- stateful resources and copy mechanisms ----------------------- */

/** Non-zero when the resource's type holds data (drtopo-posture(7)). */
DRTOPO_EXPORT int drtopo_resource_is_stateful(const drtopo_resource *resource);

/**
 * Non-zero when the resource's type does a failover's work: a Route 53
 * health check, a CloudWatch alarm, a Lambda function, a Step Functions
 * state machine, an EventBridge rule or schedule, a Route 53 Application
 * Recovery Controller part. Lost with its region, it takes that automation
 * with it (the "automation" of a lost stack in drtopo-posture(7)).
 * @since 0.2
 */
DRTOPO_EXPORT int
drtopo_resource_is_automation(const drtopo_resource *resource);

/** How a resource's data exists in another place (drtopo-posture(7)). */
enum drtopo_mechanism {
	DRTOPO_MECHANISM_IN_PLACE = 0, /**< not affected by the loss */
	DRTOPO_MECHANISM_GLOBAL_TABLE_REPLICA = 1,
	DRTOPO_MECHANISM_S3_REPLICATION_RTC = 2,
	DRTOPO_MECHANISM_S3_REPLICATION = 3,
	DRTOPO_MECHANISM_AURORA_GLOBAL = 4,
	DRTOPO_MECHANISM_READ_REPLICA = 5,
	DRTOPO_MECHANISM_BACKUP_COPY = 6,
	DRTOPO_MECHANISM_SECRET_REPLICA = 7,
	DRTOPO_MECHANISM_KMS_REPLICA_KEY = 8,
	DRTOPO_MECHANISM_EFS_REPLICATION = 9
};

/** "global-table-replica", ...; NULL for an unknown value. */
DRTOPO_EXPORT const char *drtopo_mechanism_name(int mechanism);

/* ---- Route 53 routing records ------------------------------------- */

/** A routing record of a resource (drtopo_resource_add_route()). */
typedef struct drtopo_route drtopo_route;

/** Routing policies (SIMPLE: no SetIdentifier). */
enum drtopo_routing_policy {
	DRTOPO_ROUTING_SIMPLE = 0,
	DRTOPO_ROUTING_FAILOVER = 1,
	DRTOPO_ROUTING_LATENCY = 2,
	DRTOPO_ROUTING_GEOLOCATION = 3,
	DRTOPO_ROUTING_GEOPROXIMITY = 4,
	DRTOPO_ROUTING_WEIGHTED = 5,
	DRTOPO_ROUTING_MULTIVALUE = 6,
	DRTOPO_ROUTING_CIDR = 7
};

/** Flags of a routing record (drtopo_route_set_flags()). */
enum drtopo_route_flag {
	/** Failover: SECONDARY (the fallback of a pair) */
	DRTOPO_ROUTE_SECONDARY = 1,
	/** Geolocation: the default record (CountryCode "*") */
	DRTOPO_ROUTE_DEFAULT = 2,
	/** AliasTarget.EvaluateTargetHealth true */
	DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH = 4,
	/** HealthCheckId is set (to a check of the model or not) */
	DRTOPO_ROUTE_HEALTH_CHECK = 8
};

/** "simple", "failover", ...; NULL for an unknown value. */
DRTOPO_EXPORT const char *drtopo_routing_policy_name(int policy);

/**
 * Add a routing record to `resource` (an AWS::Route53::RecordSet, or one
 * record of an AWS::Route53::RecordSetGroup): the record's DNS name, its
 * SetIdentifier (NULL for a simple record) and its policy.
 * @param[out] out borrowed handle; may be NULL.
 * @return DRTOPO_OK, DRTOPO_EINVAL, DRTOPO_ENOMEM.
 */
DRTOPO_EXPORT int drtopo_resource_add_route(drtopo_resource *resource,
					    const char *name,
					    const char *set_identifier,
					    int policy, drtopo_route **out);
/** Number of routing records of a resource and the i-th (borrowed). */
DRTOPO_EXPORT size_t drtopo_resource_route_count(const drtopo_resource *r);
DRTOPO_EXPORT drtopo_route *drtopo_resource_route_at(const drtopo_resource *r,
						     size_t i);

/** Set (replace) the DRTOPO_ROUTE_* flags. */
DRTOPO_EXPORT int drtopo_route_set_flags(drtopo_route *route,
					 unsigned int flags);
/** The record's health check, a resource of the model (sets the
 * DRTOPO_ROUTE_HEALTH_CHECK flag too). */
DRTOPO_EXPORT int drtopo_route_set_health_check(drtopo_route *route,
						drtopo_resource *check);
/**
 * Where the record sends traffic: a resource of the model (its stack's
 * region is the record's region), or a region given directly (a latency
 * record's Region). A region given wins over the target's.
 */
DRTOPO_EXPORT int drtopo_route_set_target(drtopo_route *route,
					  drtopo_resource *target);
DRTOPO_EXPORT int drtopo_route_set_region(drtopo_route *route,
					  const char *region);
/** The JSON pointer of the record in its template (NULL: none). */
DRTOPO_EXPORT int drtopo_route_set_pointer(drtopo_route *route,
					   const char *pointer);

/** Accessors (strings borrowed from the model). The region is the one
 * given, else the target's stack's, else NULL (unknown). */
DRTOPO_EXPORT drtopo_resource *drtopo_route_resource(const drtopo_route *r);
DRTOPO_EXPORT const char *drtopo_route_name(const drtopo_route *route);
DRTOPO_EXPORT const char *drtopo_route_identifier(const drtopo_route *route);
DRTOPO_EXPORT int drtopo_route_policy(const drtopo_route *route);
DRTOPO_EXPORT unsigned int drtopo_route_flags(const drtopo_route *route);
DRTOPO_EXPORT drtopo_resource *
drtopo_route_health_check(const drtopo_route *route);
DRTOPO_EXPORT drtopo_resource *drtopo_route_target(const drtopo_route *route);
DRTOPO_EXPORT const char *drtopo_route_region(const drtopo_route *route);
DRTOPO_EXPORT const char *drtopo_route_pointer(const drtopo_route *route);

/* ---- region-loss simulation --------------------------------------- */

/** A region-loss simulation (drtopo_result_simulate()). */
typedef struct drtopo_simulation drtopo_simulation;

/** What becomes of a stateful resource in a scenario. */
enum drtopo_outcome {
	DRTOPO_OUTCOME_UNAFFECTED = 0, /**< outside the lost region */
	DRTOPO_OUTCOME_SURVIVES = 1,   /**< a copy outside it remains */
	DRTOPO_OUTCOME_LOST = 2,       /**< no copy outside it */
	/** its only copies are in regions the model cannot tell (in a
	 * scenario), or its own region is unknown (in the worst case) */
	DRTOPO_OUTCOME_UNKNOWN = 3
};

/** What becomes of a stack in a scenario. */
enum drtopo_stack_state {
	DRTOPO_STACK_STATE_UNAFFECTED =
		0,		     /**< nothing of it is in the lost region */
	DRTOPO_STACK_STATE_LOST = 1, /**< the stack is in the lost region */
	/** it deploys alone; with its dependencies it does not, because a
	 * dependency path leads into the lost region (DRT611) */
	DRTOPO_STACK_STATE_DEPLOYS_ALONE = 2
};

/** Whether traffic for a routed name can leave the lost region. */
enum drtopo_route_state {
	DRTOPO_ROUTE_STATE_UNAFFECTED = 0, /**< no record sends traffic there */
	DRTOPO_ROUTE_STATE_CAN_LEAVE = 1, /**< health-checked, with a way out */
	DRTOPO_ROUTE_STATE_STUCK = 2,	  /**< traffic keeps going there */
	DRTOPO_ROUTE_STATE_UNKNOWN = 3	  /**< a record's region is unknown */
};

/** Names of the three enums above ("survives", "deploys-alone", ...). */
DRTOPO_EXPORT const char *drtopo_outcome_name(int outcome);
DRTOPO_EXPORT const char *drtopo_stack_state_name(int state);
DRTOPO_EXPORT const char *drtopo_route_state_name(int state);

/**
 * Simulate the loss of `region` (in every account, or only in `account`),
 * or of `account` (every region); with both NULL, the loss of every region
 * of the model in turn (sorted by name). Linear in the model per scenario.
 * The facts (copies, routes) are those of the resolve; objectives are read
 * from the model when the simulation runs. A region or account that no
 * stack has loses nothing.
 * @param[out] out caller-owned: drtopo_simulation_free(). Untouched on
 * failure.
 * @return DRTOPO_OK, DRTOPO_EINVAL, DRTOPO_ENOMEM.
 */
DRTOPO_EXPORT int drtopo_result_simulate(const drtopo_result *result,
					 const char *region,
					 const char *account,
					 drtopo_simulation **out);
DRTOPO_EXPORT void drtopo_simulation_free(drtopo_simulation *sim);

/** Scenarios: how many, and what each loses (NULL: any). */
DRTOPO_EXPORT size_t
drtopo_simulation_scenario_count(const drtopo_simulation *sim);
DRTOPO_EXPORT const char *
drtopo_simulation_scenario_region(const drtopo_simulation *sim, size_t i);
DRTOPO_EXPORT const char *
drtopo_simulation_scenario_account(const drtopo_simulation *sim, size_t i);

/**
 * The stateful resources a scenario affects (those in the lost region:
 * the others are DRTOPO_OUTCOME_UNAFFECTED), sorted by stack and
 * resource id. RDS instances that are members of a cluster of their stack
 * are not listed: their data is the cluster's. For the j-th: the
 * resource, its outcome, the mechanism and region of the copy that
 * survives (meaningful for SURVIVES and UNKNOWN only), and the expected
 * RPO and RTO in seconds (DRTOPO_FIGURE_UNKNOWN when not known; a lost resource
 * reports DRTOPO_FIGURE_UNKNOWN for both). Out-parameters may be NULL.
 * @return DRTOPO_OK or DRTOPO_EINVAL (index out of range).
 */
DRTOPO_EXPORT size_t
drtopo_simulation_outcome_count(const drtopo_simulation *sim, size_t scenario);
DRTOPO_EXPORT int drtopo_simulation_outcome(const drtopo_simulation *sim,
					    size_t scenario, size_t j,
					    drtopo_resource **resource,
					    int *outcome, int *mechanism,
					    const char **region, long *rpo,
					    long *rto);

/**
 * The worst case over all scenarios: every stateful resource of the
 * model, sorted, with the worst outcome any scenario gives it (lost, then
 * unknown, then survives with the largest RPO, then unaffected) and that
 * scenario's index (the first, when several tie; (size_t)-1 when no
 * scenario affects it).
 */
DRTOPO_EXPORT size_t drtopo_simulation_worst_count(const drtopo_simulation *s);
DRTOPO_EXPORT int drtopo_simulation_worst(const drtopo_simulation *sim,
					  size_t j, drtopo_resource **resource,
					  int *outcome, int *mechanism,
					  const char **region, long *rpo,
					  long *rto, size_t *scenario);

/**
 * The stacks a scenario affects, sorted by id: the lost stacks, and the
 * surviving stacks that depend directly on a lost one, with the number of
 * values each reads from the lost region (exports, parameters, stack
 * outputs, carried values: they stay as last deployed, frozen; explicit
 * dependencies carry none). Stacks whose path into the lost region is
 * longer are not listed: DRT611 names them.
 */
DRTOPO_EXPORT size_t drtopo_simulation_stack_count(const drtopo_simulation *s,
						   size_t scenario);
DRTOPO_EXPORT int drtopo_simulation_stack(const drtopo_simulation *sim,
					  size_t scenario, size_t j,
					  drtopo_stack **stack, int *state,
					  size_t *frozen);

/**
 * Value k (below the `frozen` count of drtopo_simulation_stack()) that
 * listed stack j of a scenario reads from the lost zone, in the order of
 * the JSON report: the stack it comes from (NULL for a parameter read in
 * the zone that a stack elsewhere wrote there), the kind of the edge that
 * carries it (DRTOPO_EDGE_*; DRTOPO_EDGE_PARAMETER for such a read) and
 * what carries it (as drtopo_result_edge()'s `via`). Any out-parameter
 * may be NULL; `from` and `via` are borrowed from the model and the
 * result. Reading a stack's values in order costs one pass over its
 * edges in all.
 * @return DRTOPO_OK, DRTOPO_EINVAL (an index out of range; a lost stack
 * has no frozen values) or DRTOPO_ENOMEM (the carrier's text is made on
 * first use).
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_simulation_frozen(const drtopo_simulation *sim,
					   size_t scenario, size_t j, size_t k,
					   drtopo_stack **from, int *kind,
					   const char **via);

/**
 * What a scenario affects, in numbers (any out-parameter may be NULL):
 * lost stacks, surviving stacks with a dependency path into the lost
 * zone (those DRT611 names), stateful resources in the zone and those of
 * them lost, routed names whose traffic cannot leave it.
 * @return DRTOPO_OK or DRTOPO_EINVAL (index out of range).
 */
DRTOPO_EXPORT int drtopo_simulation_scenario_summary(
	const drtopo_simulation *sim, size_t scenario, size_t *lost_stacks,
	size_t *stacks_with_path, size_t *affected_resources,
	size_t *lost_resources, size_t *stuck_routes);

/** Routed names (sorted) and whether their traffic can leave. */
DRTOPO_EXPORT size_t drtopo_simulation_route_count(const drtopo_simulation *s,
						   size_t scenario);
DRTOPO_EXPORT int drtopo_simulation_route(const drtopo_simulation *sim,
					  size_t scenario, size_t j,
					  const char **name, int *state);

/** The simulation's findings (DRT610, DRT611), sorted like a result's;
 * read them with the drtopo_diagnostic_*() accessors. */
DRTOPO_EXPORT size_t
drtopo_simulation_diagnostic_count(const drtopo_simulation *sim);
DRTOPO_EXPORT const drtopo_diagnostic *
drtopo_simulation_diagnostic(const drtopo_simulation *sim, size_t i);
/** The highest severity among the findings, or DRTOPO_SEVERITY_OFF when
 * there are none (as drtopo_result_max_severity()). */
DRTOPO_EXPORT int drtopo_simulation_max_severity(const drtopo_simulation *sim);

/**
 * Serialize: JSON ("schema": "drtopo-simulation/1",
 * data/drtopo-simulation.schema.json), SARIF 2.1.0 of its findings,
 * Graphviz DOT of the stack graph with the lost region greyed out (with
 * several scenarios: the one that loses most stateful resources), or text
 * for people (flags: DRTOPO_TEXT_*, as drtopo_result_to_text()). Output
 * is byte-identical across runs.
 * @param[out] out NUL-terminated text owned by the caller: drtopo_free().
 * @param[out] len_out its length without the NUL; may be NULL.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM (out untouched).
 */
DRTOPO_EXPORT int drtopo_simulation_to_json(const drtopo_simulation *sim,
					    char **out, size_t *len_out);
DRTOPO_EXPORT int drtopo_simulation_to_sarif(const drtopo_simulation *sim,
					     char **out, size_t *len_out);
DRTOPO_EXPORT int drtopo_simulation_to_dot(const drtopo_simulation *sim,
					   char **out, size_t *len_out);
DRTOPO_EXPORT int drtopo_simulation_to_text(const drtopo_simulation *sim,
					    unsigned int flags, char **out,
					    size_t *len_out);

/**
 * The JSON of drtopo_simulation_to_json(), the same bytes in order,
 * handed to `write` in pieces of about 64 KiB instead of held in memory
 * at once (the simulation of a large model runs to hundreds of
 * megabytes). Nothing to free: the pieces are valid only during each
 * call of `write`.
 * @return DRTOPO_OK; DRTOPO_EINVAL (sim or write NULL); DRTOPO_ENOMEM
 * or DRTOPO_EIO (write returned non-zero), after which `write` is not
 * called again and what it was given is the start of the document.
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_simulation_write_json(const drtopo_simulation *sim,
					       drtopo_write_fn write,
					       void *ctx);

DRTOPO_END_DECLS

#endif /* DRTOPO_POSTURE_H */
