/*
 * libdrtopo - model.h: the topology model and its handles.
 *
 * A drtopo_model owns everything added to it. Stacks, resources and
 * parameter accesses are borrowed handles: valid until drtopo_model_free().
 * Every string argument is copied (interned) by the library; the caller may
 * free or reuse its buffers as soon as the call returns. Strings must be
 * UTF-8 (they end up in JSON reports): other bytes are DRTOPO_EINVAL.
 *
 * Threads: a model and everything it owns may be used by one thread at a
 * time. Distinct models share no state and may be used from distinct
 * threads concurrently. The library keeps no global mutable state.
 */
#ifndef DRTOPO_MODEL_H
#define DRTOPO_MODEL_H

#include "common.h"

DRTOPO_BEGIN_DECLS

/** The object store: stacks, resources, parameters, exports, tables. */
typedef struct drtopo_model drtopo_model;
/** A CloudFormation stack deployed to one account and one region. */
typedef struct drtopo_stack drtopo_stack;
/** A resource of a stack (logical id, type, optional physical name). */
typedef struct drtopo_resource drtopo_resource;
/** One parameter access: a write of a name into a region, or a read. */
typedef struct drtopo_param drtopo_param;

/** Kinds of a parameter access (drtopo_param_kind()). */
enum drtopo_param_kind { DRTOPO_PARAM_WRITE = 1, DRTOPO_PARAM_READ = 2 };

/** Limits that bound the work a hostile input can cause. */
enum drtopo_limit {
	/** JSON nesting depth (default 512) */
	DRTOPO_LIMIT_DEPTH = 1,
	/** bytes per input file (default 256 MiB) */
	DRTOPO_LIMIT_FILE_SIZE = 2,
	/** bytes per string value (default 1 MiB) */
	DRTOPO_LIMIT_STRING = 3,
	/** levels of nested cloud assemblies (default 16) */
	DRTOPO_LIMIT_ASSEMBLY_DEPTH = 4
};

/* ---- the model ---------------------------------------------------- */

/**
 * Create an empty model.
 * @param[out] out the new model, owned by the caller (drtopo_model_free());
 *             written only on success.
 * @return DRTOPO_OK, DRTOPO_EINVAL (out is NULL) or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_new(drtopo_model **out);

/**
 * Free a model and every handle, result and string borrowed from it.
 * NULL is a no-op.
 * @since 0.1
 */
DRTOPO_EXPORT void drtopo_model_free(drtopo_model *model);

/**
 * One-line description of the last error on this model ("" if none).
 * @return borrowed text, valid until the next call on the model.
 * @since 0.1
 */
DRTOPO_EXPORT const char *drtopo_model_errmsg(const drtopo_model *model);

/**
 * Where the last load error happened: the file (NULL if none), the 1-based
 * line and column (0 if unknown) and the JSON pointer of the offending
 * member (NULL if none). Borrowed, valid until the next call on the model.
 * @since 0.1
 */
DRTOPO_EXPORT const char *drtopo_model_error_file(const drtopo_model *model);
DRTOPO_EXPORT int drtopo_model_error_line(const drtopo_model *model);
DRTOPO_EXPORT int drtopo_model_error_column(const drtopo_model *model);
DRTOPO_EXPORT const char *drtopo_model_error_pointer(const drtopo_model *model);

/**
 * Set a limit (enum drtopo_limit) for the loaders of this model.
 * @return DRTOPO_OK or DRTOPO_EINVAL (unknown limit, value 0).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_set_limit(drtopo_model *model, int limit,
					 size_t value);

/**
 * Declare a parameter or export name as written outside the model, so that
 * reading or importing it is never DRT204/DRT301. region NULL: any region.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_add_external(drtopo_model *model,
					    const char *name,
					    const char *region);

/**
 * Override the severity of a rule for resolutions of this model, or turn
 * it off with DRTOPO_SEVERITY_OFF.
 * @param code a rule code such as "DRT302".
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOTFOUND (no such rule).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_set_rule_severity(drtopo_model *model,
						 const char *code,
						 int severity);

/**
 * The severity a rule has on this model (its default unless overridden).
 * @return a drtopo_severity, or DRTOPO_EINVAL / DRTOPO_ENOTFOUND.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_rule_severity(const drtopo_model *model,
					     const char *code);

/* ---- stacks ------------------------------------------------------- */

/**
 * Add a stack. account and region may be NULL: unknown (an env-agnostic
 * stack, see DRT103).
 * @param id unique stack id (for a cloud assembly: the artifact id).
 * @param[out] out the stack, borrowed from the model; may be NULL.
 * @return DRTOPO_OK, DRTOPO_EINVAL, DRTOPO_EEXIST (id taken) or
 *         DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_add_stack(drtopo_model *model, const char *id,
					 const char *account,
					 const char *region,
					 drtopo_stack **out);

/**
 * Find a stack by id.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOTFOUND.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_find_stack(const drtopo_model *model,
					  const char *id, drtopo_stack **out);

/** Number of stacks, and the i-th in insertion order (NULL if out of
 *  range). Borrowed. @since 0.1 */
DRTOPO_EXPORT size_t drtopo_model_stack_count(const drtopo_model *model);
DRTOPO_EXPORT drtopo_stack *drtopo_model_stack_at(const drtopo_model *model,
						  size_t i);

/** Total number of resources in the model. @since 0.1 */
DRTOPO_EXPORT size_t drtopo_model_resource_count(const drtopo_model *model);

/** Accessors. Borrowed strings; account and region NULL when unknown;
 *  name NULL when not set. @since 0.1 */
DRTOPO_EXPORT const char *drtopo_stack_id(const drtopo_stack *stack);
DRTOPO_EXPORT const char *drtopo_stack_account(const drtopo_stack *stack);
DRTOPO_EXPORT const char *drtopo_stack_region(const drtopo_stack *stack);
DRTOPO_EXPORT const char *drtopo_stack_name(const drtopo_stack *stack);
DRTOPO_EXPORT drtopo_model *drtopo_stack_model(const drtopo_stack *stack);

/**
 * Set the stack's display name (a cloud assembly's construct path) and its
 * CloudFormation stack name (what Fn::GetStackOutput names). Either may be
 * NULL to leave it unchanged.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_set_name(drtopo_stack *stack,
					const char *display_name,
					const char *stack_name);

/**
 * Declare that `stack` depends on `on` (deploys after it). Both must
 * belong to the same model. A stack may depend on itself (a self-loop,
 * reported as DRT101). Repeating a dependency is not an error.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_add_dependency(drtopo_stack *stack,
					      drtopo_stack *on);

/* ---- resources ---------------------------------------------------- */

/**
 * Add a resource to a stack.
 * @param logical_id unique within the stack.
 * @param type CloudFormation type, e.g. "AWS::DynamoDB::GlobalTable".
 * @param physical_name explicit physical name (TableName, BucketName,
 *        Name of a parameter, AliasName, ...), or NULL if generated.
 * @param[out] out borrowed handle; may be NULL.
 * @return DRTOPO_OK, DRTOPO_EINVAL, DRTOPO_EEXIST or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_add_resource(drtopo_stack *stack,
					    const char *logical_id,
					    const char *type,
					    const char *physical_name,
					    drtopo_resource **out);

/** Find a resource of a stack by logical id.
 *  @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOTFOUND. @since 0.1 */
DRTOPO_EXPORT int drtopo_stack_find_resource(const drtopo_stack *stack,
					     const char *logical_id,
					     drtopo_resource **out);

/** Number of resources of a stack and the i-th (insertion order). */
DRTOPO_EXPORT size_t drtopo_stack_resource_count(const drtopo_stack *stack);
DRTOPO_EXPORT drtopo_resource *
drtopo_stack_resource_at(const drtopo_stack *stack, size_t i);

/** Accessors; borrowed strings, physical name NULL when generated. */
DRTOPO_EXPORT const char *drtopo_resource_id(const drtopo_resource *res);
DRTOPO_EXPORT const char *drtopo_resource_type(const drtopo_resource *res);
DRTOPO_EXPORT const char *
drtopo_resource_physical_name(const drtopo_resource *res);
DRTOPO_EXPORT drtopo_stack *drtopo_resource_stack(const drtopo_resource *res);

/**
 * A strong reference: `consumer` uses attribute `attribute` (NULL: the
 * resource's Ref value) of `producer`. Across stacks of one environment it
 * implies an export and a dependency; across regions or accounts with no
 * carrier it is DRT201 / DRT202.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_resource_add_reference(drtopo_resource *consumer,
						drtopo_resource *producer,
						const char *attribute);

/* ---- exports, imports, stack outputs ------------------------------ */

/**
 * The stack exports `name` (Outputs.X.Export.Name). `value` is the
 * resource whose attribute is exported, or NULL.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_add_export(drtopo_stack *stack, const char *name,
					  drtopo_resource *value);

/**
 * The stack imports `name` (Fn::ImportValue); `consumer` is the resource
 * that uses it, or NULL.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_add_import(drtopo_stack *stack, const char *name,
					  drtopo_resource *consumer);

/**
 * A weak stack-output read (Fn::GetStackOutput) of output `output` of the
 * stack whose CloudFormation stack name or id is `producer`, in `region`
 * (NULL: the reader's region).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_add_output_read(drtopo_stack *stack,
					       const char *producer,
					       const char *output,
					       const char *region,
					       drtopo_resource *consumer);

/* ---- parameters --------------------------------------------------- */

/**
 * The stack writes SSM parameter `name`. region NULL: the writer's own
 * region; otherwise the region written into (CDK's export writer writes
 * into the consumer's region). `resource` is the writing resource, or NULL.
 * @param[out] out borrowed handle; may be NULL.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_write_parameter(drtopo_stack *stack,
					       const char *name,
					       const char *region,
					       drtopo_resource *resource,
					       drtopo_param **out);

/**
 * The stack reads SSM parameter `name`. region NULL: read in the stack's
 * own region (a template parameter of type AWS::SSM::Parameter::Value<...>,
 * a {{resolve:ssm:...}} reference); otherwise an explicit cross-region
 * reader reading in that region.
 * @param[out] out borrowed handle; may be NULL.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_stack_read_parameter(drtopo_stack *stack,
					      const char *name,
					      const char *region,
					      drtopo_resource *resource,
					      drtopo_param **out);

/**
 * What a write stores: an attribute of a resource of the model (attribute
 * NULL: its Ref value), or literal text. The last call wins.
 * @return DRTOPO_OK, DRTOPO_EINVAL (NULL, a read access, a foreign
 *         resource, text that is not UTF-8) or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_param_set_value_resource(drtopo_param *param,
						  drtopo_resource *value,
						  const char *attribute);
DRTOPO_EXPORT int drtopo_param_set_value_text(drtopo_param *param,
					      const char *text);

/** Accessors. Region NULL when it is the stack's (unknown) region. */
DRTOPO_EXPORT int drtopo_param_kind(const drtopo_param *param);
DRTOPO_EXPORT const char *drtopo_param_name(const drtopo_param *param);
DRTOPO_EXPORT const char *drtopo_param_region(const drtopo_param *param);
DRTOPO_EXPORT drtopo_stack *drtopo_param_stack(const drtopo_param *param);

/* ---- tables, replicas and keys ------------------------------------ */

/**
 * Add replica region `region` to a table resource (a global table's
 * Replicas entry, or a legacy Custom::DynamoDBReplica). Repeating a region
 * is recorded, not refused: it is DRT405.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_resource_add_replica(drtopo_resource *table,
					      const char *region);

/** Number of replica regions and the i-th (insertion order, borrowed). */
DRTOPO_EXPORT size_t drtopo_resource_replica_count(const drtopo_resource *t);
DRTOPO_EXPORT const char *drtopo_resource_replica_at(const drtopo_resource *t,
						     size_t i);

/**
 * Encrypt the table with a customer-managed key: a key resource of the
 * model, or a key ARN / id / alias (text).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_resource_set_cmk(drtopo_resource *table,
					  drtopo_resource *key);
DRTOPO_EXPORT int drtopo_resource_set_cmk_arn(drtopo_resource *table,
					      const char *arn);

/**
 * Set the replica key for replica region `region`: a key resource of the
 * model, a key ARN (text), or the value of parameter `name` read in
 * `param_region` (NULL: the table stack's region). The last call for a
 * region wins.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_resource_set_replica_key(drtopo_resource *table,
						  const char *region,
						  drtopo_resource *key);
DRTOPO_EXPORT int drtopo_resource_set_replica_key_arn(drtopo_resource *table,
						      const char *region,
						      const char *arn);
DRTOPO_EXPORT int
drtopo_resource_set_replica_key_parameter(drtopo_resource *table,
					  const char *region, const char *name,
					  const char *param_region);

/* ---- replication facts (0.2) -------------------------------------- */

/** A replication setting of a resource (drtopo_resource_add_replication()). */
typedef struct drtopo_replication drtopo_replication;

/** Facts about a resource (drtopo_resource_set_flags()). */
enum drtopo_resource_flag {
	/** an S3 bucket with VersioningConfiguration.Status Enabled */
	DRTOPO_RESOURCE_VERSIONED = 1,
	/** an S3 bucket whose default encryption is SSE-KMS */
	DRTOPO_RESOURCE_SSE_KMS = 2,
	/** a global table with MultiRegionConsistency STRONG (@since 0.2:
	 * posture) */
	DRTOPO_RESOURCE_STRONG_CONSISTENCY = 4
};

/** Kinds of a replication setting: what names its target. */
enum drtopo_replication_kind {
	/** AWS::S3::Bucket ReplicationConfiguration.Rules[].Destination.Bucket
	 */
	DRTOPO_REPLICATION_S3_DESTINATION = 1,
	/** AWS::RDS::DBCluster GlobalClusterIdentifier */
	DRTOPO_REPLICATION_GLOBAL_CLUSTER = 2,
	/** AWS::RDS::GlobalCluster SourceDBClusterIdentifier */
	DRTOPO_REPLICATION_GLOBAL_CLUSTER_SOURCE = 3,
	/** AWS::RDS::DBCluster ReplicationSourceIdentifier */
	DRTOPO_REPLICATION_CLUSTER_SOURCE = 4,
	/** AWS::RDS::DBInstance SourceDBInstanceIdentifier */
	DRTOPO_REPLICATION_INSTANCE_SOURCE = 5,
	/** AWS::SecretsManager::Secret ReplicaRegions[] (region, KmsKeyId) */
	DRTOPO_REPLICATION_SECRET_REPLICA = 6,
	/** AWS::Backup::BackupPlan rule CopyActions[].DestinationBackupVaultArn
	 */
	DRTOPO_REPLICATION_BACKUP_COPY = 7,
	/** AWS::Backup::BackupSelection naming a resource */
	DRTOPO_REPLICATION_BACKUP_SELECTION = 8,
	/** AWS::KMS::ReplicaKey PrimaryKeyArn (its region: the replica's) */
	DRTOPO_REPLICATION_KMS_REPLICA_KEY = 9,
	/** AWS::EFS::FileSystem ReplicationConfiguration.Destinations[]
	 * (region: Region, or the source's own with AvailabilityZoneName
	 * only; target: FileSystemId) (@since 0.2) */
	DRTOPO_REPLICATION_EFS_DESTINATION = 10
};

/** Flags of a replication setting (drtopo_replication_set_flags()). */
enum drtopo_replication_flag {
	/** S3 Replication Time Control (Destination.ReplicationTime) */
	DRTOPO_REPLICATION_RTC = 1,
	/** S3 SourceSelectionCriteria.SseKmsEncryptedObjects Enabled */
	DRTOPO_REPLICATION_SSE_KMS_OBJECTS = 2,
	/** an S3 replication rule with Status Disabled: it copies nothing
	 * (@since 0.2: posture) */
	DRTOPO_REPLICATION_DISABLED = 4
};

/**
 * Set (replace) the DRTOPO_RESOURCE_* flags of a resource; read them back.
 * @return DRTOPO_OK or DRTOPO_EINVAL (unknown bits).
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_resource_set_flags(drtopo_resource *resource,
					    unsigned int flags);
DRTOPO_EXPORT unsigned int
drtopo_resource_flags(const drtopo_resource *resource);

/**
 * The resource spells out ARN `arn` (literal text, for example in an IAM
 * policy) at JSON pointer `pointer` of its template (NULL: none). A text
 * mentioned twice by one resource is one mention (the first is kept).
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_resource_add_arn(drtopo_resource *resource,
					  const char *arn, const char *pointer);
/** Number of ARN mentions and the i-th text and pointer (borrowed). */
DRTOPO_EXPORT size_t drtopo_resource_arn_count(const drtopo_resource *resource);
DRTOPO_EXPORT const char *
drtopo_resource_arn_at(const drtopo_resource *resource, size_t i);
DRTOPO_EXPORT const char *
drtopo_resource_arn_pointer(const drtopo_resource *resource, size_t i);

/**
 * Add a replication setting of kind `kind` (drtopo_replication_kind) to
 * `resource`. region: the region the setting copies into when the setting
 * names it (a secret's replica region), else NULL. The target is set with
 * one of the drtopo_replication_set_target*() calls (unset: unknown).
 * @param[out] out borrowed handle; may be NULL.
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_resource_add_replication(drtopo_resource *resource,
						  int kind, const char *region,
						  drtopo_replication **out);
/** Number of replication settings and the i-th (insertion order). */
DRTOPO_EXPORT size_t
drtopo_resource_replication_count(const drtopo_resource *resource);
DRTOPO_EXPORT drtopo_replication *
drtopo_resource_replication_at(const drtopo_resource *resource, size_t i);

/**
 * The target of a setting: a resource of the model (attribute NULL: its
 * Ref value), literal text (an ARN, a name or an identifier), the value
 * of export `name`, or the value of parameter `name` read in `region`
 * (NULL: the stack's). The last call wins.
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_replication_set_target(drtopo_replication *repl,
						drtopo_resource *target,
						const char *attribute);
DRTOPO_EXPORT int drtopo_replication_set_target_text(drtopo_replication *repl,
						     const char *text);
DRTOPO_EXPORT int drtopo_replication_set_target_import(drtopo_replication *repl,
						       const char *name);
DRTOPO_EXPORT int
drtopo_replication_set_target_parameter(drtopo_replication *repl,
					const char *name, const char *region);

/**
 * Set the DRTOPO_REPLICATION_* flags; the schedule period of a backup
 * copy in seconds (-1: unknown); the JSON pointer of the setting in its
 * template (NULL: none), which findings name.
 * @since 0.2
 */
DRTOPO_EXPORT int drtopo_replication_set_flags(drtopo_replication *repl,
					       unsigned int flags);
DRTOPO_EXPORT int drtopo_replication_set_period(drtopo_replication *repl,
						long seconds);
DRTOPO_EXPORT int drtopo_replication_set_pointer(drtopo_replication *repl,
						 const char *pointer);

/** Accessors. Target: the resource (or NULL) and the text (literal text,
 * export or parameter name; NULL when none). */
DRTOPO_EXPORT int drtopo_replication_kind(const drtopo_replication *repl);
DRTOPO_EXPORT const char *drtopo_replication_kind_name(int kind);
DRTOPO_EXPORT drtopo_resource *
drtopo_replication_resource(const drtopo_replication *repl);
DRTOPO_EXPORT const char *
drtopo_replication_region(const drtopo_replication *repl);
DRTOPO_EXPORT unsigned int
drtopo_replication_flags(const drtopo_replication *repl);
DRTOPO_EXPORT long drtopo_replication_period(const drtopo_replication *repl);
DRTOPO_EXPORT const char *
drtopo_replication_pointer(const drtopo_replication *repl);
DRTOPO_EXPORT drtopo_resource *
drtopo_replication_target_resource(const drtopo_replication *repl);
DRTOPO_EXPORT const char *
drtopo_replication_target_text(const drtopo_replication *repl);

DRTOPO_END_DECLS

#endif /* DRTOPO_MODEL_H */
