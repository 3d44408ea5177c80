/*
 * CloudFormation template helpers shared by the template and the cloud
 * assembly importers (lib/load/template.c, lib/load/assembly.c):
 *
 *  - ONE value evaluator (cfn_eval): the literal text of a template value
 *    in the stack's environment, when it can be known at synth time:
 *    strings, Fn::Join, Fn::Sub, Fn::Select (of a literal list or of
 *    Fn::Split), and Ref to AWS::Partition, AWS::Region, AWS::AccountId,
 *    AWS::URLSuffix and AWS::StackName. Anything else (an unknown
 *    account or region included) is a hole: never guessed.
 *  - ONE origin follower (cfn_origin): where a value comes from, as a
 *    dt_value: literal text, a resource of the same template (Ref,
 *    Fn::GetAtt, or an ARN spelled around one such reference in a
 *    Fn::Join), an export (Fn::ImportValue), a parameter read (an export
 *    reader's attribute, an explicit cross-region reader, an SSM-typed
 *    template parameter, a whole `{{resolve:ssm:NAME}}`), or unknown with
 *    the reason.
 *  - the small parsers they share: ARNs, SSM parameter references, SDK
 *    calls of Custom::AWS, dynamic references.
 *
 * Nothing here recurses without a bound: the evaluator stops at
 * CFN_EVAL_DEPTH nested intrinsics (deeper values are holes), and the
 * template walker (template.c) at CFN_SCAN_NEST nested opaque parts.
 */
#ifndef DT_CFN_H
#define DT_CFN_H

#include <jansson.h>

#include "load/jsonutil.h"

/* Marks an unknown stretch in evaluated text. A template string holding
 * this byte itself only makes its text less known, never wrong. */
#define CFN_HOLE '\x01'

/* Nested intrinsics the evaluator follows before giving up (a hole), and
 * nested opaque parts (a Fn::If inside a Fn::Join inside ...) that the
 * template walker scans: together they bound the C stack to a few
 * hundred small frames whatever the input. */
#define CFN_EVAL_DEPTH 32
#define CFN_SCAN_NEST 8

/* One template being mapped onto one stack. */
typedef struct cfn_tpl {
	drtopo_model *m;
	drtopo_stack *s;
	dt_src *src;	       /* the template text (error locations) */
	const char *file;      /* interned: relative to the input root */
	json_t *root;	       /* the template object */
	json_t *resources;     /* "Resources" object, or NULL */
	json_t *parameters;    /* "Parameters" object, or NULL */
	json_t *overrides;     /* manifest properties.parameters, or NULL */
	const char *partition; /* from the stack's region; NULL: unknown */
	const char *url_suffix;
	dt_map readers; /* resource JSON -> cfn_read (the origin cache) */
	int err;	/* sticky: first error (DRTOPO_ENOMEM) */
} cfn_tpl;

/* What a reader resource reads (cached by the origin follower). */
typedef struct cfn_read {
	const char *name, *region; /* name NULL: not known */
} cfn_read;

/* Fill the environment-derived members of t (partition, URL suffix). */
void cfn_tpl_env(cfn_tpl *t);

/* The intrinsic function of a one-member object ("Ref", "Fn::Join",
 * "Fn::GetAtt", ...) with its argument, or NULL for any other value. */
const char *cfn_intrinsic(json_t *v, json_t **arg);

/* JSON pointer building on a dt_buf: push a reference token (escaped),
 * returning the length to restore with cfn_ptr_pop(). NULL p: no-op. */
size_t cfn_ptr_push(dt_buf *p, const char *tok);
size_t cfn_ptr_pushn(dt_buf *p, const char *tok, size_t n);
size_t cfn_ptr_pushi(dt_buf *p, size_t i);
void cfn_ptr_pop(dt_buf *p, size_t len);

/* ---- the value evaluator --------------------------------------------
 * Appends the text of v to out, with a CFN_HOLE for each part that cannot
 * be known. Returns 1 when the whole text is known, else 0.
 * CFN_EVAL_VALUE: a string holding a dynamic reference ({{resolve:...}})
 * is a hole (its value is read at deploy time). CFN_EVAL_RAW keeps the
 * text of such strings, for finding the references.
 * When `opaque` is set, it is called for each part that became a hole
 * because of its shape (an intrinsic the evaluator does not follow, an
 * object, an array), with the JSON pointer of that part: ptr is the
 * pointer of v on entry (it is restored on return). */
enum { CFN_EVAL_VALUE = 0, CFN_EVAL_RAW = 1 };
typedef void (*cfn_opaque_fn)(void *ctx, json_t *part, const char *pointer);
int cfn_eval(cfn_tpl *t, json_t *v, int mode, dt_buf *out, dt_buf *ptr,
	     cfn_opaque_fn opaque, void *ctx);

/* The literal text of v, interned in the model; NULL when it is not
 * fully known (or on out of memory: then t->err is set). */
const char *cfn_text(cfn_tpl *t, json_t *v);

/* Substitute the pseudo parameters of a Fn::Sub-like string ("${AWS::
 * Partition}", "${!Literal}") into out; other variables are holes.
 * Returns 1 when fully known. */
int cfn_sub_text(cfn_tpl *t, const char *s, dt_buf *out);

/* ---- ARNs ------------------------------------------------------------ */

/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, as fields
 * CFN_ARN_PARTITION .. CFN_ARN_RESOURCE pointing into the text (not
 * terminated). A "${...}" token counts as part of its field, so
 * "arn:${AWS::Partition}:iam::1:role/x" splits right. RESOURCE is the
 * rest of the text (it may hold ':'). 0 on success, -1 if not an ARN. */
enum {
	CFN_ARN_PARTITION,
	CFN_ARN_SERVICE,
	CFN_ARN_REGION,
	CFN_ARN_ACCOUNT,
	CFN_ARN_RESOURCE
};
typedef struct cfn_arn {
	const char *f[5];
	size_t n[5];
} cfn_arn;
int cfn_arn_split(const char *s, cfn_arn *out);

/* Region and URL suffix conventions of a region's partition. NULL when
 * the region is NULL or of a partition the importer does not know. */
const char *cfn_partition(const char *region);
const char *cfn_url_suffix(const char *region);

/* ---- parameters -------------------------------------------------------
 * A parameter named by text (a name, or the ARN of a parameter), read by
 * this stack: the name and the region to read in (NULL: the stack's own).
 * Returns 1 when it can be followed; 0 when not (a parameter ARN of
 * another or an unknown account: a read the model cannot hold); -1 on
 * out of memory. An ARN resource "parameter/a/b" names "/a/b",
 * "parameter/a" names "a". */
#define CFN_PARAM_NAME_MAX 2048
int cfn_param_ref(cfn_tpl *t, const char *text, size_t len, const char **name,
		  const char **region);

/* The SSM parameter behind template parameter `id` when its Type is
 * AWS::SSM::Parameter::Value<...>: its name (the manifest's value for it,
 * else its Default) and region as cfn_param_ref(). Returns 1 found, 0 not
 * an SSM parameter (or not followable), -1 out of memory. *pointer gets
 * the JSON pointer of the name's source when found (arena). */
int cfn_ssm_template_param(cfn_tpl *t, const char *id, const char **name,
			   const char **region, const char **pointer);

/* An SDK call of a Custom::AWS resource (Create/Update JSON text) that
 * touches one SSM parameter: kind DRTOPO_PARAM_READ for GetParameter(s),
 * DRTOPO_PARAM_WRITE for PutParameter; names (GetParameters may name
 * several: one at a time, index i) and region (NULL when the call names
 * none). Filled by cfn_sdk_call(); valid until cfn_sdk_free(). */
typedef struct cfn_sdk {
	int kind;	    /* 0: not an SSM parameter call */
	json_t *call;	    /* the parsed call */
	json_t *names;	    /* array of name strings */
	const char *region; /* interned; NULL: the stack's */
	json_t *value;	    /* PutParameter: parameters.Value, or NULL */
} cfn_sdk;
/* Parse the SDK call text of property `prop` of resource properties
 * `props`. Returns 1 when it is a followable SSM call, 0 when not, -1 on
 * out of memory. */
int cfn_sdk_call(cfn_tpl *t, json_t *props, const char *prop, cfn_sdk *out);
void cfn_sdk_free(cfn_sdk *c);

/* ---- dynamic references -------------------------------------------------
 * Calls fn for each `{{resolve:ssm:NAME[:VERSION]}}` and
 * `{{resolve:ssm-secure:NAME[:VERSION]}}` of text whose NAME is fully
 * known (not for secretsmanager and the like). NAME may be an ARN. */
typedef void (*cfn_dynref_fn)(void *ctx, const char *name, size_t len);
void cfn_dynrefs(const char *text, size_t len, cfn_dynref_fn fn, void *ctx);

/* ---- the origin follower ------------------------------------------------
 * Where the value v comes from. Strings of *out are interned in the model
 * (or static); resources are of t's stack. Returns 0, or DRTOPO_ENOMEM. */
int cfn_origin(cfn_tpl *t, json_t *v, dt_value *out);

/* ---- the template mapping (lib/load/template.c) -------------------------
 * Read, parse and map the template at `path` onto stack s, then free it.
 * `file` is the name for messages and source locations (relative to the
 * input root); `overrides` the manifest's parameter values (or NULL).
 * Returns as drtopo_model_load_template(). */
int dt_template_load(drtopo_model *m, drtopo_stack *s, const char *path,
		     const char *file, json_t *overrides);

#endif /* DT_CFN_H */
