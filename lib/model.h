/*
 * Internal view of the model: the structs behind the public handles.
 *
 * Memory: every object and string lives in the model's arena (strings are
 * interned: equal text means equal pointer). Growable arrays (dt_vec) and
 * hash maps are the only separately allocated blocks. Nothing is freed
 * before drtopo_model_free().
 *
 * Links between objects are stored once, in model-wide vectors, in the
 * order they were added. A link to a stack or resource that the model does
 * not (yet) contain keeps the target's name and a NULL pointer: only a
 * document can say that, and the rules report it as DRT102.
 */
#ifndef DT_MODEL_H
#define DT_MODEL_H

#include <stdint.h>

#include "drtopo/drtopo.h"
#include "util/util.h"

/* Where an object came from: file (interned, relative to the input root)
 * and JSON pointer (arena). Both NULL for API-built objects. */
typedef struct dt_loc {
	const char *file;
	const char *pointer;
} dt_loc;

/* A value that the model may or may not know. */
enum dt_value_kind {
	DT_VAL_NONE = 0,
	DT_VAL_TEXT,	 /* literal text (an ARN, a name) */
	DT_VAL_RESOURCE, /* attribute of a resource of the model */
	DT_VAL_PARAM,	 /* the value of a parameter read (name, region) */
	DT_VAL_IMPORT,	 /* the value of an export (name) */
	DT_VAL_UNKNOWN	 /* something the loader could not follow */
};

typedef struct dt_value {
	uint8_t kind;
	const char *text;     /* TEXT, PARAM name, IMPORT name, UNKNOWN why */
	const char *region;   /* PARAM: region read in (NULL: stack's) */
	const char *attr;     /* RESOURCE: attribute (NULL: Ref) */
	drtopo_resource *res; /* RESOURCE, when the model has it */
	const char *stack_id; /* RESOURCE by name (documents) */
	const char *res_id;
} dt_value;

typedef struct dt_replica {
	const char *region;
	drtopo_resource *via; /* the Custom::DynamoDBReplica, if legacy */
	dt_loc loc;
} dt_replica;

typedef struct dt_replica_key {
	const char *region;
	dt_value key;
	dt_loc loc;
} dt_replica_key;

typedef struct dt_table {
	dt_vec replicas; /* dt_replica */
	dt_vec keys;	 /* dt_replica_key */
	dt_value cmk;	 /* kind NONE: AWS-owned/managed key */
	dt_loc cmk_loc;
	/* Replicas given in CloudFormation form, where the table's own
	 * region must be listed once (raw templates). */
	uint8_t cfn_replicas;
} dt_table;

/* Recovery objectives declared at one level (-1 / 0: not declared). */
typedef struct dt_objectives {
	long rpo, rto;
	int strategy;
} dt_objectives;

#define DT_OBJECTIVES_NONE \
	{                  \
		-1, -1, 0  \
	}
/* The largest objective (seconds): ten years of 366 days, the bound of
 * documents, tags, the API and --objective alike. */
#define DT_MAX_OBJECTIVE 316224000L

struct drtopo_stack {
	drtopo_model *model;
	dt_objectives obj;
	uint32_t index;
	const char *id;
	const char *account;	/* NULL: unknown */
	const char *region;	/* NULL: unknown */
	const char *name;	/* display name or NULL */
	const char *stack_name; /* CloudFormation stack name or NULL */
	dt_loc loc;
	dt_vec resources; /* drtopo_resource * */
};

/* A stack's resources are found by a scan of its list while it has at
 * most this many (most stacks: a few pointer compares beat a probe into
 * a table of every resource of the model, a cache miss on a large one),
 * through the model's res_ids once it has more. */
#define DT_FEW_RESOURCES 8

struct drtopo_resource {
	drtopo_stack *stack;
	const char *id;
	const char *type;
	const char *physical_name; /* NULL: generated */
	dt_loc loc;
	dt_table *table; /* replicas and keys, NULL if none were set */
	struct dt_res_extra *extra; /* ARNs, replication; NULL if none */
	uint32_t index;		    /* model-wide, insertion order */
	uint32_t flags;		    /* DRTOPO_RESOURCE_* */
};

/* Internal resource flag: the bucket's versioning status is not literal
 * (never DRT409). Not part of drtopo_resource_flags(). */
#define DT_RES_VERSIONING_UNKNOWN 0x100u

/* An ARN that a resource spells out (literal text). */
typedef struct dt_arn {
	const char *text; /* interned */
	dt_loc loc;
} dt_arn;

/* A replication setting (kinds: DRTOPO_REPLICATION_*). The target is a
 * dt_value: a resource of the model, literal text, an export's value or
 * a parameter's value (followed by the rules, see lib/rules/repl.c). */
struct drtopo_replication {
	drtopo_resource *res;
	uint8_t kind;
	uint32_t flags;	    /* DRTOPO_REPLICATION_* flags */
	const char *region; /* region copied into when named, else NULL */
	long period;	    /* backup copy: schedule period (s); -1 unknown */
	dt_value target;
	dt_loc loc; /* the setting's property */
};

/* A Route 53 routing record (one per RecordSet, one per record of a
 * RecordSetGroup). */
struct drtopo_route {
	drtopo_resource *res;
	const char *name;	 /* the record's DNS name */
	const char *set_id;	 /* SetIdentifier, NULL for simple records */
	uint8_t policy;		 /* DRTOPO_ROUTING_* */
	uint32_t flags;		 /* DRTOPO_ROUTE_* */
	drtopo_resource *check;	 /* its health check, when the model's */
	drtopo_resource *target; /* where it sends traffic, when known */
	const char *region;	 /* where it sends traffic, when given */
	uint32_t seq;		 /* model-wide, insertion order */
	dt_loc loc;
};

/* What a resource carries beyond its identity (allocated on first use;
 * the model lists these resources in m->extras, insertion order). */
typedef struct dt_res_extra {
	dt_vec arns;	 /* dt_arn */
	dt_vec repls;	 /* drtopo_replication * */
	dt_vec routes;	 /* drtopo_route * */
	dt_map arn_seen; /* (text) -> 1: one mention per text */
	dt_objectives obj;
} dt_res_extra;

struct drtopo_param {
	drtopo_stack *stack;
	uint8_t kind;		 /* DRTOPO_PARAM_WRITE / _READ */
	uint8_t explicit_region; /* region given (writer/reader names it) */
	const char *name;
	const char *region; /* where it lands / is read; NULL: unknown */
	drtopo_resource *res;
	dt_value value; /* writes: what is written */
	dt_loc loc;
};

typedef struct dt_dep {
	drtopo_stack *from;
	drtopo_stack *to; /* NULL: unknown target */
	const char *to_id;
	dt_loc loc;
} dt_dep;

typedef struct dt_ref {
	drtopo_resource *consumer;
	drtopo_resource *producer; /* NULL: unknown target */
	uint8_t order_only;	   /* DependsOn: orders, does not use */
	const char *attr;
	const char *stack_id; /* target by name when producer is NULL */
	const char *res_id;
	dt_loc loc;
} dt_ref;

typedef struct dt_export {
	drtopo_stack *stack;
	const char *name;
	drtopo_resource *res;
	dt_loc loc;
} dt_export;

/* Imports and stack-output reads share this shape. */
typedef struct dt_import {
	drtopo_stack *stack;
	const char *name;     /* export name / output name */
	const char *producer; /* output reads: producer stack name or id */
	const char *region;   /* output reads: NULL = reader's region */
	const char *account;  /* output reads: NULL = reader's account */
	drtopo_resource *res;
	dt_loc loc;
} dt_import;

typedef struct dt_external {
	const char *name;
	const char *region; /* NULL: any */
} dt_external;

#define DT_MAX_RULES 64

struct drtopo_model {
	dt_arena arena;
	dt_strtab strs;
	dt_vec stacks;	  /* drtopo_stack * */
	dt_map stack_ids; /* (id) -> stack */
	dt_map res_ids;	  /* (stack, logical id) -> resource, for stacks
			   * of more than DT_FEW_RESOURCES */
	dt_vec deps;	  /* dt_dep */
	dt_vec refs;	  /* dt_ref */
	dt_vec exports;	  /* dt_export */
	dt_vec imports;	  /* dt_import */
	dt_vec outputs;	  /* dt_import (stack-output reads) */
	dt_vec params;	  /* drtopo_param * */
	dt_vec tables;	  /* drtopo_resource * with a table */
	dt_vec externals; /* dt_external */
	dt_vec extras;	  /* drtopo_resource * with an extra (0.2) */
	dt_vec routes;	  /* drtopo_route *, all resources (0.2) */
	size_t nrepls;	  /* replication settings, all resources */
	dt_objectives obj;
	uint32_t nobjectives; /* levels that declare something */
	size_t nresources;
	int8_t severity[DT_MAX_RULES]; /* -1: rule default */

	size_t limits[8];

	/* last error */
	char errmsg[512];
	const char *errfile;
	const char *errpointer;
	int errline, errcol;
};

/* ---- internal model API (loaders use these; public calls wrap them) */

int dt_model_error(drtopo_model *m, int status, const char *fmt, ...)
	DT_PRINTF(3, 4);
void dt_model_clear_error(drtopo_model *m);
int dt_model_error_at(drtopo_model *m, int status, const char *file, int line,
		      int col, const char *pointer, const char *fmt, ...)
	DT_PRINTF(7, 8);

const char *dt_str(drtopo_model *m, const char *s); /* intern, NULL ok */
const char *dt_strn(drtopo_model *m, const char *s, size_t n);
char *dt_loc_pointer(drtopo_model *m, const char *pointer);
size_t dt_model_limit(const drtopo_model *m, int limit);

/* Room for this many more stacks and their ids: loaders that know the
 * count size the indexes once. */
int dt_model_reserve(drtopo_model *m, size_t stacks);
drtopo_stack *dt_stack_find(const drtopo_model *m, const char *id);
drtopo_resource *dt_resource_find(const drtopo_stack *s, const char *id);

/* The public functions check their arguments and call these. */
int dt_add_stack(drtopo_model *m, const char *id, const char *account,
		 const char *region, const dt_loc *loc, drtopo_stack **out);
int dt_add_resource(drtopo_stack *s, const char *id, const char *type,
		    const char *physical_name, const dt_loc *loc,
		    drtopo_resource **out);
/* to may be NULL with to_id naming a missing stack. */
int dt_add_dep(drtopo_stack *from, drtopo_stack *to, const char *to_id,
	       const dt_loc *loc);
/* producer may be NULL with stack_id/res_id naming a missing target. */
int dt_add_ref(drtopo_resource *consumer, drtopo_resource *producer,
	       const char *stack_id, const char *res_id, const char *attr,
	       const dt_loc *loc);
int dt_add_export(drtopo_stack *s, const char *name, drtopo_resource *res,
		  const dt_loc *loc);
int dt_add_import(drtopo_stack *s, const char *name, drtopo_resource *res,
		  const dt_loc *loc);
int dt_add_output_read(drtopo_stack *s, const char *producer,
		       const char *output, const char *region,
		       const char *account, drtopo_resource *res,
		       const dt_loc *loc);
int dt_add_param(drtopo_stack *s, int kind, const char *name,
		 const char *region, drtopo_resource *res, const dt_loc *loc,
		 drtopo_param **out);
int dt_add_external(drtopo_model *m, const char *name, const char *region);

dt_table *dt_table_get(drtopo_resource *r); /* creates; NULL on ENOMEM */
int dt_table_add_replica(drtopo_resource *t, const char *region,
			 drtopo_resource *via, const dt_loc *loc);
int dt_table_set_cmk(drtopo_resource *t, const dt_value *v, const dt_loc *loc);
int dt_table_set_key(drtopo_resource *t, const char *region, const dt_value *v,
		     const dt_loc *loc);
/* Copy a value's strings into the model (interning them). */
int dt_value_copy(drtopo_model *m, dt_value *dst, const dt_value *src);

/* ARN mentions and replication settings (lib/repl.c). */
dt_res_extra *dt_res_extra_get(drtopo_resource *r); /* NULL on ENOMEM */
int dt_add_arn(drtopo_resource *r, const char *text, const dt_loc *loc);
int dt_add_replication(drtopo_resource *r, int kind, const char *region,
		       const dt_loc *loc, drtopo_replication **out);
void dt_extras_free(drtopo_model *m);
int dt_add_route(drtopo_resource *r, const char *name, const char *set_id,
		 int policy, const dt_loc *loc, drtopo_route **out);
/* Flags that fit a routing policy (SECONDARY: failover; DEFAULT:
 * geolocation). */
int dt_route_flags_ok(int policy, unsigned int flags);
/* A tag drtopo:rpo / drtopo:rto / drtopo:strategy into o (others and
 * values that do not read are ignored). Durations: seconds, or with a
 * unit s, m, h, d ("15m"); -1 when not that. */
void dt_objective_tag(dt_objectives *o, const char *key, const char *value);
long dt_parse_duration(const char *s);
/* Declare objectives at one level (o: the level's); counts levels. */
void dt_objectives_set(drtopo_model *m, dt_objectives *o, long rpo, long rto,
		       int strategy);
const char *dt_replication_kind_name(int kind);

/* Is name declared external (for region; NULL region matches any)? */
int dt_is_external(const drtopo_model *m, const char *name, const char *region);

#endif /* DT_MODEL_H */
