/*
 * libdrtopo - result.h: resolving a model, the plan, findings, reports.
 *
 * drtopo_model_resolve() builds the stack graph (explicit and implied
 * edges), finds cycles, computes deployment waves and runs every enabled
 * rule. The result is owned by the caller (drtopo_result_free()) and
 * borrows from its model: free it before the model, and do not change the
 * model while it is in use. Handles and strings returned by the accessors
 * below are borrowed from the result or its model.
 */
#ifndef DRTOPO_RESULT_H
#define DRTOPO_RESULT_H

#include "common.h"
#include "model.h"

DRTOPO_BEGIN_DECLS

typedef struct drtopo_result drtopo_result;
/** One finding of a rule. Borrowed from its result. */
typedef struct drtopo_diagnostic drtopo_diagnostic;
/** One rule of the catalogue. Static: valid for the life of the process. */
typedef struct drtopo_rule drtopo_rule;

/** What carries a stack-graph edge (drtopo_result_edge()). */
enum drtopo_edge_kind {
	DRTOPO_EDGE_EXPLICIT = 1,     /**< addDependency / manifest */
	DRTOPO_EDGE_REFERENCE = 2,    /**< a strong attribute reference */
	DRTOPO_EDGE_EXPORT = 3,	      /**< Fn::ImportValue of an export */
	DRTOPO_EDGE_PARAMETER = 4,    /**< an SSM parameter read */
	DRTOPO_EDGE_STACK_OUTPUT = 5, /**< Fn::GetStackOutput (weak) */
	DRTOPO_EDGE_REPLICA_KEY = 6   /**< a replica key of another stack */
};

/** Output flags for drtopo_result_to_text(). */
#define DRTOPO_TEXT_COLOR 1u /**< ANSI colours */
#define DRTOPO_TEXT_QUIET 2u /**< summary line only */

/**
 * Resolve the model: graph, cycles, waves and every enabled rule.
 * @param[out] out the result, owned by the caller; written on success.
 * @return DRTOPO_OK (also when findings exist), DRTOPO_EINVAL or
 *         DRTOPO_ELIMIT (more than 2^32 - 1 stacks or resources) or
 *         DRTOPO_ENOMEM (the model is unchanged and usable).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_resolve(drtopo_model *model,
				       drtopo_result **out);

/** Free a result. NULL is a no-op. @since 0.1 */
DRTOPO_EXPORT void drtopo_result_free(drtopo_result *result);

/** The model the result was computed from (borrowed). @since 0.1 */
DRTOPO_EXPORT drtopo_model *drtopo_result_model(const drtopo_result *result);

/* ---- the plan ----------------------------------------------------- */

/** 1 if the stack graph has a cycle (then there are no waves), else 0. */
DRTOPO_EXPORT int drtopo_result_has_cycle(const drtopo_result *result);

/** Number of deployment waves (0 when there is a cycle). */
DRTOPO_EXPORT size_t drtopo_result_wave_count(const drtopo_result *result);

/** Number of stacks in wave `wave` (0-based). */
DRTOPO_EXPORT size_t drtopo_result_wave_size(const drtopo_result *result,
					     size_t wave);

/** The i-th stack of a wave (sorted by id), or NULL when out of range. */
DRTOPO_EXPORT drtopo_stack *
drtopo_result_wave_stack(const drtopo_result *result, size_t wave, size_t i);

/** The 1-based wave of a stack; 0 when there is a cycle or the stack is
 *  foreign. */
DRTOPO_EXPORT int drtopo_result_stack_wave(const drtopo_result *result,
					   const drtopo_stack *stack);

/** Number of distinct edges (from, to, kind, via) of the stack graph. */
DRTOPO_EXPORT size_t drtopo_result_edge_count(const drtopo_result *result);

/**
 * The i-th edge, sorted by (from id, to id, kind, via). `from` depends on
 * `to`. `via` names what carries it (attribute "Res.Attr", export,
 * parameter or output name), NULL for an explicit dependency. Any
 * out-parameter may be NULL.
 * @return DRTOPO_OK or DRTOPO_EINVAL (out of range).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_result_edge(const drtopo_result *result, size_t i,
				     drtopo_stack **from_out,
				     drtopo_stack **to_out, int *kind_out,
				     const char **via_out);

/** Name of an edge kind ("explicit", "reference", ...), NULL if unknown. */
DRTOPO_EXPORT const char *drtopo_edge_kind_name(int kind);

/* ---- findings ----------------------------------------------------- */

/** Number of findings, in their deterministic report order. */
DRTOPO_EXPORT size_t
drtopo_result_diagnostic_count(const drtopo_result *result);

/** The i-th finding, or NULL when out of range. Borrowed. */
DRTOPO_EXPORT const drtopo_diagnostic *
drtopo_result_diagnostic(const drtopo_result *result, size_t i);

/** Number of findings of one severity. */
DRTOPO_EXPORT size_t drtopo_result_count(const drtopo_result *result,
					 int severity);

/** Highest severity among the findings (DRTOPO_SEVERITY_OFF: none). */
DRTOPO_EXPORT int drtopo_result_max_severity(const drtopo_result *result);

/** Finding accessors; strings borrowed, NULL when not applicable. */
DRTOPO_EXPORT const char *drtopo_diagnostic_code(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *drtopo_diagnostic_rule(const drtopo_diagnostic *d);
DRTOPO_EXPORT int drtopo_diagnostic_severity(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *drtopo_diagnostic_message(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *drtopo_diagnostic_hint(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *drtopo_diagnostic_stack(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *
drtopo_diagnostic_resource(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *drtopo_diagnostic_region(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *
drtopo_diagnostic_source_file(const drtopo_diagnostic *d);
DRTOPO_EXPORT const char *
drtopo_diagnostic_source_pointer(const drtopo_diagnostic *d);

/** Related locations: the other side (producer, writer, colliding table). */
DRTOPO_EXPORT size_t
drtopo_diagnostic_related_count(const drtopo_diagnostic *d);
DRTOPO_EXPORT int drtopo_diagnostic_related(const drtopo_diagnostic *d,
					    size_t i, const char **stack_out,
					    const char **resource_out,
					    const char **region_out);

/* ---- serializers -------------------------------------------------- */

/**
 * Serialize to the JSON report (schema drtopo-report/1), SARIF 2.1.0,
 * Graphviz DOT or text for people. Output is byte-identical across runs.
 * @param[out] out NUL-terminated text owned by the caller: drtopo_free().
 * @param[out] len_out its length without the NUL; may be NULL.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM (out untouched).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_result_to_json(const drtopo_result *result, char **out,
					size_t *len_out);

/**
 * A sink for text written piece by piece: `len` bytes at `data`, not
 * NUL-terminated and valid only during the call. Return 0 to go on,
 * anything else to stop the writing. @since 0.2
 */
typedef int (*drtopo_write_fn)(void *ctx, const char *data, size_t len);

/**
 * The JSON report of drtopo_result_to_json(), the same bytes in order,
 * handed to `write` in pieces of about 64 KiB instead of held in memory
 * at once (a report of a large model runs to hundreds of megabytes).
 * @return DRTOPO_OK; DRTOPO_EINVAL (result or write NULL); DRTOPO_ENOMEM
 * or DRTOPO_EIO (write returned non-zero), after which `write` is not
 * called again and what it was given is the start of the report.
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_result_write_json(const drtopo_result *result,
					   drtopo_write_fn write, void *ctx);
DRTOPO_EXPORT int drtopo_result_to_sarif(const drtopo_result *result,
					 char **out, size_t *len_out);
DRTOPO_EXPORT int drtopo_result_to_dot(const drtopo_result *result, char **out,
				       size_t *len_out);
DRTOPO_EXPORT int drtopo_result_to_text(const drtopo_result *result,
					unsigned int flags, char **out,
					size_t *len_out);

/**
 * The plan as text: a "wave N" line per wave, then one stack a line
 * with its account and region; `destroy` non-zero lists the waves in
 * reverse (the destroy order). With a cycle, the cycle and its edges.
 * (The plan as JSON is the report of drtopo_result_to_json().)
 * @param[out] out caller-owned text: drtopo_free().
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_result_plan_to_text(const drtopo_result *result,
					     int destroy, char **out,
					     size_t *len_out);

/* ---- the rule catalogue ------------------------------------------- */

/** Number of rules, and the i-th in code order (NULL if out of range). */
DRTOPO_EXPORT size_t drtopo_rule_count(void);
DRTOPO_EXPORT const drtopo_rule *drtopo_rule_at(size_t i);

/** Find a rule by code ("DRT302") or name ("parameter-region-mismatch").
 *  @return the rule or NULL. */
DRTOPO_EXPORT const drtopo_rule *drtopo_rule_find(const char *code_or_name);

/** Rule accessors; static text. */
DRTOPO_EXPORT const char *drtopo_rule_code(const drtopo_rule *rule);
DRTOPO_EXPORT const char *drtopo_rule_name(const drtopo_rule *rule);
DRTOPO_EXPORT int drtopo_rule_default_severity(const drtopo_rule *rule);
/** One line: what the rule checks. */
DRTOPO_EXPORT const char *drtopo_rule_summary(const drtopo_rule *rule);
/** The long explanation: what, why it breaks, how to fix, an example. */
DRTOPO_EXPORT const char *drtopo_rule_explanation(const drtopo_rule *rule);

DRTOPO_END_DECLS

#endif /* DRTOPO_RESULT_H */
