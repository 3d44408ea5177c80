/*
 * Internal view of a resolved model: the stack graph, its strongly
 * connected components, waves, reachability, and the findings.
 *
 * Stacks are numbered by their model index (insertion order); every array
 * below is indexed that way. Everything lives in the result's arena.
 */
#ifndef DT_RESOLVE_H
#define DT_RESOLVE_H

#include "model.h"

/* What carries an edge is `via` (export, parameter or output name; for a
 * reference, the producer's logical id) and, for references only, `via2`
 * (the attribute, NULL for a Ref). Both interned; the public text is
 * "via.via2" (see dt_edge_via()). */
typedef struct dt_edge {
	uint32_t from, to; /* stack indexes: from depends on to */
	uint8_t kind;	   /* enum drtopo_edge_kind */
	const char *via;   /* NULL for explicit */
	const char *via2;
} dt_edge;

/* One cycle: stack indexes path[0] -> path[1] -> ... -> path[0]; edge[i]
 * is the edge that carries path[i] -> path[i+1]. */
typedef struct dt_cycle {
	uint32_t len;
	uint32_t *path;
	const dt_edge **edge;
} dt_cycle;

typedef struct dt_related {
	const char *stack, *resource, *region;
} dt_related;

struct drtopo_diagnostic {
	uint16_t rule; /* index into dt_rules */
	uint8_t severity;
	/* The stack's place in the sort: its index + 1 while rules emit,
	 * its rank by id + 1 once sorted; 0 for no stack. */
	uint32_t order;
	const char *message;
	const char *hint;
	const char *stack;
	const char *resource;
	const char *region;
	const char *file;
	const char *pointer;
	dt_related *related;
	uint32_t nrelated, caprelated;
};

struct drtopo_result {
	drtopo_model *model;
	dt_arena arena;
	uint32_t nstacks;
	drtopo_stack **by_id; /* stacks sorted by id */
	uint32_t *rank;	      /* of each stack (by index) in by_id */

	dt_edge *edges; /* distinct, sorted by (from id, to id, kind, via) */
	size_t nedges;
	const char **via_text; /* dt_edge_via() cache, made on demand */

	/* Ordering graph: distinct (from, to) pairs over all edge kinds, as
	 * CSR. adj[off[s] .. off[s+1]) are the stacks s depends on. */
	uint32_t *off, *adj;
	uint32_t *scc; /* component of each stack */
	uint32_t nscc;
	/* Stacks grouped by component, components dependencies first:
	 * scc_order[scc_off[c] .. scc_off[c + 1]) are component c's. */
	uint32_t *scc_order, *scc_off;
	int has_cycle;
	dt_cycle *cycles; /* one per cyclic component, by smallest stack id */
	size_t ncycles;
	/* Waves: 1-based wave of each stack (of its component when there
	 * are cycles); the public waves exist only without cycles. */
	uint32_t *wave;
	uint32_t nwaves;
	uint32_t *wave_off, *wave_stacks; /* CSR, stacks sorted by id */

	/* Producer of each stack-output read (model->outputs order): a stack
	 * index, or UINT32_MAX when the model has no such stack in the
	 * read's region and account. NULL when there are no reads. */
	uint32_t *output_to;

	/* Declared-dependency reachability (explicit, reference and export
	 * edges only: what the deploy tool itself enforces), built lazily by
	 * dt_reach_batch(). */
	struct dt_reach *reach;

	/* Posture facts (lib/posture.c), built before the rules run. */
	struct dt_posture *posture;

	dt_vec diags; /* drtopo_diagnostic */
	size_t counts[4];
};

/* Answer n reachability queries at once over declared dependencies:
 * answers[i] = 1 when stack from[i] has a dependency path to stack to[i]
 * (a stack reaches itself). O((V + E) * ceil(T / 64)) where T is the number
 * of distinct targets that are not answered by the wave filter.
 * Returns 0 or DRTOPO_ENOMEM. */
int dt_reach_batch(drtopo_result *r, const uint32_t *from, const uint32_t *to,
		   size_t n, uint8_t *answers);

/* The producer of stack-output read i (model->outputs order) as the
 * resolver resolved it, or NULL: rules must use this, not a lookup of
 * their own, so that findings and edges agree. */
drtopo_stack *dt_output_read_producer(const drtopo_result *r, size_t i);

/* The carrier of an edge as one string ("Key.Arn", an export name, ...),
 * NULL for an explicit dependency; built once per edge on demand, in the
 * result's arena. NULL also on out of memory (then *oom is set). */
const char *dt_edge_via(const drtopo_result *r, size_t edge, int *oom);

/* ---- rules ----------------------------------------------------------- */

typedef struct dt_check {
	drtopo_result *r;
	drtopo_model *m;
	uint16_t rule;
	uint8_t severity;
	int err; /* sticky: first error (DRTOPO_ENOMEM) */
	/* Where findings go: the result's (NULL) or a simulation's. */
	dt_vec *diags;
	dt_arena *arena;
	int simulated; /* DRT610/DRT611 done (one simulation for both) */
} dt_check;

typedef void (*dt_rule_fn)(dt_check *c);

struct drtopo_rule {
	const char *code;
	const char *name;
	int severity;
	const char *summary;
	const char *explanation;
	dt_rule_fn fn;
};

extern const struct drtopo_rule dt_rules[];
extern const size_t dt_nrules;

/* Emit a finding of the running rule. Any of stack, res, region and loc
 * may be NULL (region defaults to the stack's). Returns NULL on ENOMEM
 * (recorded in c->err); the helpers below accept NULL. */
drtopo_diagnostic *dt_emit(dt_check *c, const drtopo_stack *s,
			   const drtopo_resource *res, const char *region,
			   const dt_loc *loc, const char *fmt, ...)
	DT_PRINTF(6, 7);
/* The same with a message already written (msg[0..len), copied): for
 * rules that build long messages piece by piece. */
drtopo_diagnostic *dt_emit_text(dt_check *c, const drtopo_stack *s,
				const drtopo_resource *res, const char *region,
				const dt_loc *loc, const char *msg, size_t len);
/* fmt must be a string literal: a hint without conversions is kept as
 * the literal itself, not copied. */
void dt_hint(dt_check *c, drtopo_diagnostic *d, const char *fmt, ...)
	DT_PRINTF(3, 4);
/* A hint chosen from static text (a table of the rule's), shared as is. */
void dt_hint_static(dt_check *c, drtopo_diagnostic *d, const char *text);
void dt_relate(dt_check *c, drtopo_diagnostic *d, const drtopo_stack *s,
	       const drtopo_resource *res, const char *region);
/* Make room for n more dt_relate() calls on d at once. */
void dt_relate_reserve(dt_check *c, drtopo_diagnostic *d, size_t n);

/* The highest severity with a finding in counts (a result's or a
 * simulation's), or DRTOPO_SEVERITY_OFF. */
int dt_max_severity(const size_t counts[4]);
/* Run every enabled rule, then sort the findings. */
int dt_run_rules(drtopo_result *r);

/* Rule families (lib/rules/<family>.c). */
void dt_rule_dependency_cycle(dt_check *c);		   /* DRT101 */
void dt_rule_unknown_target(dt_check *c);		   /* DRT102 */
void dt_rule_unresolved_environment(dt_check *c);	   /* DRT103 */
void dt_rule_cross_region_reference(dt_check *c);	   /* DRT201 */
void dt_rule_cross_account_reference(dt_check *c);	   /* DRT202 */
void dt_rule_export_region_mismatch(dt_check *c);	   /* DRT203 */
void dt_rule_missing_export(dt_check *c);		   /* DRT204 */
void dt_rule_duplicate_export(dt_check *c);		   /* DRT205 */
void dt_rule_stack_output_without_dependency(dt_check *c); /* DRT206 */
void dt_rule_dangling_regional_arn(dt_check *c);	   /* DRT207 */
void dt_rule_parameter_not_found(dt_check *c);		   /* DRT301 */
void dt_rule_parameter_region_mismatch(dt_check *c);	   /* DRT302 */
void dt_rule_parameter_read_before_write(dt_check *c);	   /* DRT303 */
void dt_rule_duplicate_parameter_writer(dt_check *c);	   /* DRT304 */
void dt_rule_replica_key_missing(dt_check *c);		   /* DRT401 */
void dt_rule_replica_key_for_table_region(dt_check *c);	   /* DRT402 */
void dt_rule_replica_key_region_mismatch(dt_check *c);	   /* DRT403 */
void dt_rule_replica_key_without_replica(dt_check *c);	   /* DRT404 */
void dt_rule_invalid_replica_region(dt_check *c);	   /* DRT405 */
void dt_rule_table_name_collision(dt_check *c);		   /* DRT406 */
void dt_rule_replica_key_not_ordered(dt_check *c);	   /* DRT407 */
void dt_rule_replication_target_not_ordered(dt_check *c);  /* DRT408 */
void dt_rule_replication_versioning_disabled(dt_check *c); /* DRT409 */
void dt_rule_replication_target_invalid(dt_check *c);	   /* DRT410 */
void dt_rule_bucket_name_collision(dt_check *c);	   /* DRT501 */
void dt_rule_physical_name_collision(dt_check *c);	   /* DRT502 */
void dt_rule_state_without_regional_copy(dt_check *c);	   /* DRT601 */
void dt_rule_dr_copy_same_region(dt_check *c);		   /* DRT602 */
void dt_rule_global_database_one_region(dt_check *c);	   /* DRT603 */
void dt_rule_routing_without_health_check(dt_check *c);	   /* DRT604 */
void dt_rule_health_check_unused(dt_check *c);		   /* DRT605 */
void dt_rule_kms_objects_not_replicated(dt_check *c);	   /* DRT606 */
void dt_rule_simulated(dt_check *c);			   /* DRT610, 611 */
/* The severity rule i runs with (the model's override or its default). */
int dt_rule_severity(const drtopo_model *m, size_t i);
/* Index of a rule by code, or -1. */
int dt_rule_index(const char *code);

/* Shared helpers for rules. */
/* Region of a KMS key ARN (arn:P:kms:R:A:key/..., alias ARN); NULL for a
 * bare key id, alias name or text that is not a KMS ARN. Interned. */
const char *dt_arn_region(drtopo_model *m, const char *arn);
/* Same account and region, where a NULL (unknown) side compares equal
 * only to NULL. */
int dt_same_env(const drtopo_stack *a, const drtopo_stack *b);
/* Either side env-agnostic (unknown account or region). */
int dt_env_agnostic(const drtopo_stack *s);

#endif /* DT_RESOLVE_H */
