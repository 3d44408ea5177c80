/*
 * CloudFormation templates: drtopo_model_load_template() for a bare
 * template, and the template -> model mapping that the cloud assembly
 * importer shares (dt_template_load()).
 *
 * What a template maps to (every object carries its file and the JSON
 * pointer of the property that made it):
 *  - each resource: logical id, type, and the physical name given by the
 *    type's name property (name_props below) when it is literal text;
 *    its location is that property ("/Resources/X/Properties/TableName"),
 *    or "/Resources/X" for a resource without a literal name;
 *  - Parameters of type AWS::SSM::Parameter::Value<...>: a read of the
 *    name (the manifest's value for the parameter, else its Default) in
 *    the stack's region; a Default that is a parameter ARN (RAM-shared)
 *    is read in the ARN's region when the ARN's account is the stack's,
 *    and not followed otherwise (the model holds reads by region only);
 *  - Outputs.X.Export.Name: an export (of the resource behind the value
 *    when it is one of the template's);
 *  - anywhere in resource properties: Fn::ImportValue (an import by that
 *    resource), Fn::GetStackOutput (a stack-output read, its account from
 *    RoleArn), and `{{resolve:ssm:NAME}}` / `{{resolve:ssm-secure:NAME}}`
 *    (a read in the stack's region), also inside Fn::Join and Fn::Sub
 *    parts. Outputs are walked for imports and stack-output reads only;
 *  - the resource types of `handlers` below: parameter writes and reads,
 *    export writers and readers, explicit cross-region readers, global
 *    tables and their replica keys, legacy DynamoDB replicas.
 * A value the evaluator cannot know is never guessed: a name that is not
 * literal gives no physical name, no write and no read.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "load/cfn.h"

/* ---- physical names: (type, name property) ------------------------- */

static const struct {
	const char *type, *prop;
} name_props[] = {
	{"AWS::Backup::BackupVault", "BackupVaultName"},
	{"AWS::CloudWatch::Alarm", "AlarmName"},
	{"AWS::CloudWatch::Dashboard", "DashboardName"},
	{"AWS::DocDB::DBCluster", "DBClusterIdentifier"},
	{"AWS::DynamoDB::GlobalTable", "TableName"},
	{"AWS::DynamoDB::Table", "TableName"},
	{"AWS::ECR::Repository", "RepositoryName"},
	{"AWS::ECS::Cluster", "ClusterName"},
	{"AWS::ElastiCache::ReplicationGroup", "ReplicationGroupId"},
	{"AWS::ElasticLoadBalancingV2::LoadBalancer", "Name"},
	{"AWS::ElasticLoadBalancingV2::TargetGroup", "Name"},
	{"AWS::Events::EventBus", "Name"},
	{"AWS::IAM::Group", "GroupName"},
	{"AWS::IAM::InstanceProfile", "InstanceProfileName"},
	{"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
	{"AWS::IAM::Role", "RoleName"},
	{"AWS::IAM::User", "UserName"},
	{"AWS::KMS::Alias", "AliasName"},
	{"AWS::Kinesis::Stream", "Name"},
	{"AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"},
	{"AWS::Lambda::Function", "FunctionName"},
	{"AWS::Logs::LogGroup", "LogGroupName"},
	{"AWS::Neptune::DBCluster", "DBClusterIdentifier"},
	{"AWS::RDS::DBCluster", "DBClusterIdentifier"},
	{"AWS::RDS::DBInstance", "DBInstanceIdentifier"},
	{"AWS::RDS::GlobalCluster", "GlobalClusterIdentifier"},
	{"AWS::S3::Bucket", "BucketName"},
	{"AWS::SNS::Topic", "TopicName"},
	{"AWS::SQS::Queue", "QueueName"},
	{"AWS::SSM::Parameter", "Name"},
	{"AWS::SecretsManager::Secret", "Name"},
	{"AWS::StepFunctions::Activity", "Name"},
	{"AWS::StepFunctions::StateMachine", "StateMachineName"},
};

static const char *name_prop(const char *type)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(name_props); i++) {
		if (strcmp(name_props[i].type, type) == 0)
			return name_props[i].prop;
	}
	return NULL;
}

/* ---- the mapping context ------------------------------------------- */

typedef struct frame {
	json_t *v;
	void *iter;	/* objects: next member */
	size_t idx;	/* arrays: next element */
	size_t plen;	/* length of v's pointer */
	size_t restore; /* pointer length to restore when done */
} frame;

/* What the walker looks for. */
enum { WALK_IMPORTS = 1, WALK_DYNREFS = 2 };

typedef struct mapper {
	cfn_tpl t;
	dt_buf path;   /* JSON pointer of the current value */
	dt_vec frames; /* frame: the walker's explicit stack */
	unsigned nest; /* nested walks (opaque parts of Fn::Join, ...) */
	unsigned walk; /* WALK_* */
	drtopo_resource *consumer; /* resource being walked, or NULL */
	/* One read, write, import or output read per (resource or stack,
	 * name): a name used twice by one resource is one access. */
	dt_map reads, writes, imports, outputs;
	/* AWS::DynamoDB::Table resources by physical name, built on first
	 * use (legacy replicas name their table). */
	dt_map tables;
	int tables_indexed;
	dt_map links;	/* (resource, resource): one dependency per pair */
	dt_vec lframes; /* lframe: scan_links()'s explicit stack */
} mapper;

static int nomem(mapper *mp)
{
	if (!mp->t.err)
		mp->t.err = DRTOPO_ENOMEM;
	return DRTOPO_ENOMEM;
}

static const char *here(const mapper *mp)
{
	return mp->path.p ? mp->path.p : "";
}

/* The location of the current value. */
static int loc_here(mapper *mp, dt_loc *loc)
{
	if (mp->path.oom)
		return nomem(mp);
	loc->file = mp->t.file;
	loc->pointer = dt_loc_pointer(mp->t.m, here(mp));
	return loc->pointer ? 0 : nomem(mp);
}

/* First time (owner, name, region) is seen in `seen`? Regions differing
 * from the first one seen for (owner, name) are always new. */
static int first_time(mapper *mp, dt_map *seen, const void *owner,
		      const char *name, const char *region)
{
	const void *tag = region ? (const void *)region : (const void *)seen;
	void **slot = dt_map_slot_for(seen, owner, name);
	if (!slot) {
		nomem(mp);
		return 0;
	}
	if (*slot == tag)
		return 0;
	if (!*slot)
		*slot = (void *)tag;
	return 1;
}

static const void *owner(const mapper *mp, const drtopo_resource *r)
{
	return r ? (const void *)r : (const void *)mp->t.s;
}

/* A read of `name` in `region` (NULL: the stack's), at the current
 * pointer. */
static int add_read(mapper *mp, drtopo_resource *r, const char *name,
		    const char *region)
{
	dt_loc loc;
	if (!first_time(mp, &mp->reads, owner(mp, r), name, region))
		return mp->t.err;
	if (loc_here(mp, &loc))
		return mp->t.err;
	int rc = dt_add_param(mp->t.s, DRTOPO_PARAM_READ, name, region, r, &loc,
			      NULL);
	return rc ? nomem(mp) : 0;
}

/* A write of `name` in `region`, its value following `value`. */
static int add_write(mapper *mp, drtopo_resource *r, const char *name,
		     const char *region, json_t *value)
{
	dt_loc loc;
	drtopo_param *p;
	dt_value v;
	if (!first_time(mp, &mp->writes, owner(mp, r), name, region))
		return mp->t.err;
	if (loc_here(mp, &loc))
		return mp->t.err;
	if (dt_add_param(mp->t.s, DRTOPO_PARAM_WRITE, name, region, r, &loc,
			 &p) ||
	    cfn_origin(&mp->t, value, &v) ||
	    dt_value_copy(mp->t.m, &p->value, &v))
		return nomem(mp);
	return 0;
}

/* A parameter named by text (a name or an ARN), read in `region` unless
 * an ARN names its own. */
static int add_read_ref(mapper *mp, drtopo_resource *r, const char *text,
			size_t len, const char *region)
{
	const char *name, *reg;
	int rc = cfn_param_ref(&mp->t, text, len, &name, &reg);
	if (rc < 0)
		return nomem(mp);
	return rc ? add_read(mp, r, name, reg ? reg : region) : 0;
}

/* ---- the walker: imports, stack-output reads, dynamic references ---- */

static int walk(mapper *mp, json_t *root);

static void on_dynref(void *ctx, const char *name, size_t len)
{
	mapper *mp = ctx;
	if (!mp->t.err)
		add_read_ref(mp, mp->consumer, name, len, NULL);
}

static int on_import(mapper *mp, json_t *arg)
{
	const char *name = cfn_text(&mp->t, arg);
	dt_loc loc;
	if (!name ||
	    !first_time(mp, &mp->imports, owner(mp, mp->consumer), name, NULL))
		return mp->t.err;
	if (loc_here(mp, &loc))
		return mp->t.err;
	return dt_add_import(mp->t.s, name, mp->consumer, &loc) ? nomem(mp) : 0;
}

/* The account of a role ARN (literal digits), or NULL: ${AWS::AccountId}
 * is the reader's own account, which NULL means. */
static const char *role_account(mapper *mp, json_t *role)
{
	dt_buf b = DT_BUF_INIT;
	const char *acct = NULL;
	if (json_is_string(role))
		dt_buf_puts(&b, json_string_value(role));
	else
		cfn_eval(&mp->t, role, CFN_EVAL_VALUE, &b, NULL, NULL, NULL);
	cfn_arn a;
	if (!b.oom && b.p && cfn_arn_split(b.p, &a) == 0 &&
	    a.n[CFN_ARN_ACCOUNT] > 0 && a.n[CFN_ARN_ACCOUNT] <= 12 &&
	    strspn(a.f[CFN_ARN_ACCOUNT], "0123456789") ==
		    a.n[CFN_ARN_ACCOUNT]) {
		acct = dt_strn(mp->t.m, a.f[CFN_ARN_ACCOUNT],
			       a.n[CFN_ARN_ACCOUNT]);
		if (!acct)
			nomem(mp);
	}
	if (b.oom)
		nomem(mp);
	dt_buf_free(&b);
	return acct;
}

static int on_stack_output(mapper *mp, json_t *arg)
{
	cfn_tpl *t = &mp->t;
	if (!json_is_object(arg))
		return 0;
	const char *stack = cfn_text(t, json_object_get(arg, "StackName"));
	const char *out = cfn_text(t, json_object_get(arg, "OutputName"));
	json_t *rj = json_object_get(arg, "Region");
	const char *region = rj ? cfn_text(t, rj) : NULL;
	json_t *role = json_object_get(arg, "RoleArn");
	const char *account = role ? role_account(mp, role) : NULL;
	/* A region that is given but not known could be any: no read. */
	if (t->err || !stack || !out || (rj && !region))
		return t->err;
	dt_buf key = DT_BUF_INIT;
	dt_buf_printf(&key, "%s\x1f%s\x1f%s\x1f%s", stack, out,
		      region ? region : "", account ? account : "");
	const char *k = key.oom ? NULL : dt_strn(t->m, key.p, key.len);
	dt_buf_free(&key);
	dt_loc loc;
	if (!k)
		return nomem(mp);
	if (!first_time(mp, &mp->outputs, owner(mp, mp->consumer), k, NULL))
		return t->err;
	if (loc_here(mp, &loc))
		return t->err;
	return dt_add_output_read(t->s, stack, out, region, account,
				  mp->consumer, &loc)
		       ? nomem(mp)
		       : 0;
}

/* Parts of a Fn::Join or Fn::Sub that the evaluator does not follow
 * (Fn::If, Fn::ImportValue, ...) are walked on their own. */
static void on_opaque(void *ctx, json_t *part, const char *pointer)
{
	mapper *mp = ctx;
	(void)pointer; /* == the walker's path: the evaluator extends it */
	if (mp->t.err || mp->nest >= CFN_SCAN_NEST)
		return;
	mp->nest++;
	walk(mp, part);
	mp->nest--;
}

static int on_text(mapper *mp, json_t *v)
{
	dt_buf text = DT_BUF_INIT;
	cfn_eval(&mp->t, v, CFN_EVAL_RAW, &text, &mp->path, on_opaque, mp);
	if (text.oom)
		nomem(mp);
	else if (mp->walk & WALK_DYNREFS)
		cfn_dynrefs(text.p, text.len, on_dynref, mp);
	dt_buf_free(&text);
	return mp->t.err;
}

/* Look at one value; push a frame when its members need a walk. */
static int visit(mapper *mp, json_t *v, size_t restore)
{
	json_t *arg;
	if (json_is_string(v)) {
		if (mp->walk & WALK_DYNREFS)
			cfn_dynrefs(json_string_value(v), json_string_length(v),
				    on_dynref, mp);
		return mp->t.err;
	}
	const char *fn = cfn_intrinsic(v, &arg);
	if (fn) {
		if (strcmp(fn, "Fn::ImportValue") == 0)
			return on_import(mp, arg);
		if (strcmp(fn, "Fn::GetStackOutput") == 0)
			return on_stack_output(mp, arg);
		if (strcmp(fn, "Ref") == 0 || strcmp(fn, "Fn::GetAtt") == 0)
			return 0;
		if (strcmp(fn, "Fn::Join") == 0 || strcmp(fn, "Fn::Sub") == 0)
			return on_text(mp, v);
	}
	if (!json_is_object(v) && !json_is_array(v))
		return 0;
	frame *f = dt_vec_push(&mp->frames, sizeof(*f));
	if (!f)
		return nomem(mp);
	f->v = v;
	f->iter = json_is_object(v) ? json_object_iter(v) : NULL;
	f->plen = mp->path.len;
	f->restore = restore;
	return 0;
}

/* Walk root (the path holds its pointer) with an explicit stack; the
 * path is as it was on return. */
static int walk(mapper *mp, json_t *root)
{
	size_t base = mp->frames.len, start = mp->path.len;
	if (visit(mp, root, start))
		return mp->t.err;
	while (mp->frames.len > base && !mp->t.err) {
		frame *f = DT_VEC_PTR(mp->frames, frame, mp->frames.len - 1);
		json_t *child = NULL;
		cfn_ptr_pop(&mp->path, f->plen);
		if (json_is_object(f->v)) {
			if (f->iter) {
				cfn_ptr_push(&mp->path,
					     json_object_iter_key(f->iter));
				child = json_object_iter_value(f->iter);
				f->iter = json_object_iter_next(f->v, f->iter);
			}
		} else if (f->idx < json_array_size(f->v)) {
			cfn_ptr_pushi(&mp->path, f->idx);
			child = json_array_get(f->v, f->idx++);
		}
		if (!child) {
			cfn_ptr_pop(&mp->path, f->restore);
			mp->frames.len--;
			continue;
		}
		/* f may move: visit() pushes, nested walks push and pop. */
		visit(mp, child, f->plen);
	}
	mp->frames.len = base;
	cfn_ptr_pop(&mp->path, start);
	return mp->t.err;
}

/* ---- resource handlers ------------------------------------------------ */

/* Each runs with the path at /Resources/<Id>/Properties (props is never
 * NULL: an empty object stands in for absent properties). */
typedef int (*handler_fn)(mapper *mp, drtopo_resource *r, json_t *props);

static int truthy(json_t *v)
{
	return json_is_true(v) ||
	       (json_is_string(v) && strcmp(json_string_value(v), "true") == 0);
}

/* AWS::SSM::Parameter: a write of its Name (when literal: a generated
 * name is not one that anyone reads by name), value = its Value. */
static int h_ssm_parameter(mapper *mp, drtopo_resource *r, json_t *props)
{
	const char *name = cfn_text(&mp->t, json_object_get(props, "Name"));
	if (!name)
		return mp->t.err;
	size_t at = cfn_ptr_push(&mp->path, "Name");
	add_write(mp, r, name, NULL, json_object_get(props, "Value"));
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* Custom::CrossRegionExportWriter: WriterProps.exports written in
 * WriterProps.region (the consumer's). */
static int h_export_writer(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *wp = json_object_get(props, "WriterProps");
	json_t *exports = json_object_get(wp, "exports");
	const char *region = cfn_text(&mp->t, json_object_get(wp, "region"));
	if (!region || !json_is_object(exports))
		return mp->t.err;
	size_t at = cfn_ptr_push(&mp->path, "WriterProps");
	cfn_ptr_push(&mp->path, "exports");
	const char *key;
	json_t *value;
	json_object_foreach(exports, key, value)
	{
		const char *name = *key ? dt_str(mp->t.m, key) : NULL;
		if (*key && !name)
			return nomem(mp);
		if (!name)
			continue;
		size_t at2 = cfn_ptr_push(&mp->path, key);
		add_write(mp, r, name, region, value);
		cfn_ptr_pop(&mp->path, at2);
		if (mp->t.err)
			break;
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* Custom::CrossRegionExportReader: one read per imported name, in the
 * stack's region (the `{{resolve:ssm:...}}` beside each name is that
 * same read: ReaderProps is not walked again). */
static int h_export_reader(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *imports = json_object_get(json_object_get(props, "ReaderProps"),
					  "imports");
	if (!json_is_object(imports))
		return 0;
	size_t at = cfn_ptr_push(&mp->path, "ReaderProps");
	cfn_ptr_push(&mp->path, "imports");
	const char *key;
	json_t *value;
	json_object_foreach(imports, key, value)
	{
		(void)value;
		size_t at2 = cfn_ptr_push(&mp->path, key);
		add_read_ref(mp, r, key, strlen(key), NULL);
		cfn_ptr_pop(&mp->path, at2);
		if (mp->t.err)
			break;
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* Custom::CrossRegionStringParameterReader {Region, ParameterName}. */
static int h_param_reader(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *nv = json_object_get(props, "ParameterName");
	const char *region = cfn_text(&mp->t, json_object_get(props, "Region"));
	const char *name = cfn_text(&mp->t, nv);
	if (!region || !name)
		return mp->t.err;
	size_t at = cfn_ptr_push(&mp->path, "ParameterName");
	add_read_ref(mp, r, name, strlen(name), region);
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* Custom::AWS: an SSM GetParameter(s) / PutParameter call in Create or
 * Update, in the region the call names (else the stack's). */
static int h_sdk_call(mapper *mp, drtopo_resource *r, json_t *props)
{
	static const char *const phases[] = {"Create", "Update"};
	for (size_t i = 0; i < DT_ARRAY_LEN(phases) && !mp->t.err; i++) {
		cfn_sdk c;
		int rc = cfn_sdk_call(&mp->t, props, phases[i], &c);
		if (rc < 0)
			return nomem(mp);
		if (rc == 0)
			continue;
		size_t at = cfn_ptr_push(&mp->path, phases[i]);
		for (size_t k = 0; k < json_array_size(c.names); k++) {
			json_t *nv = json_array_get(c.names, k);
			const char *name, *reg;
			if (!json_is_string(nv))
				continue;
			rc = cfn_param_ref(&mp->t, json_string_value(nv),
					   json_string_length(nv), &name, &reg);
			if (rc < 0)
				nomem(mp);
			if (rc != 1)
				continue;
			if (!reg)
				reg = c.region;
			if (c.kind == DRTOPO_PARAM_READ)
				add_read(mp, r, name, reg);
			else
				add_write(mp, r, name, reg, c.value);
		}
		cfn_ptr_pop(&mp->path, at);
		cfn_sdk_free(&c);
	}
	return mp->t.err;
}

static int set_key(mapper *mp, drtopo_resource *r, json_t *key,
		   const char *region)
{
	dt_value v;
	dt_loc loc;
	if (cfn_origin(&mp->t, key, &v) || loc_here(mp, &loc))
		return nomem(mp);
	int rc = region ? dt_table_set_key(r, region, &v, &loc)
			: dt_table_set_cmk(r, &v, &loc);
	return rc ? nomem(mp) : 0;
}

/* AWS::DynamoDB::GlobalTable: every Replicas[].Region is a replica (the
 * table's own region is listed too: cfn_replicas). With SSE enabled and
 * a KMSMasterKeyId on any replica, the table has a customer-managed key:
 * the own region's entry gives the table key, the others the replica
 * key map. SSE with no KMSMasterKeyId anywhere is the AWS managed key. */
static int h_global_table(mapper *mp, drtopo_resource *r, json_t *props)
{
	drtopo_stack *s = mp->t.s;
	json_t *reps = json_object_get(props, "Replicas");
	json_t *sse = json_object_get(props, "SSESpecification");
	json_t *own_key = NULL;
	size_t own_at = 0;
	int any_key = 0;
	if (!json_is_array(reps))
		return 0;
	size_t at = cfn_ptr_push(&mp->path, "Replicas");
	for (size_t i = 0; i < json_array_size(reps) && !mp->t.err; i++) {
		json_t *rep = json_array_get(reps, i);
		const char *region =
			cfn_text(&mp->t, json_object_get(rep, "Region"));
		if (!region)
			continue;
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		size_t at3 = cfn_ptr_push(&mp->path, "Region");
		dt_loc loc;
		if (loc_here(mp, &loc) ||
		    dt_table_add_replica(r, region, NULL, &loc)) {
			nomem(mp);
			break;
		}
		cfn_ptr_pop(&mp->path, at3);
		json_t *key = json_object_get(
			json_object_get(rep, "SSESpecification"),
			"KMSMasterKeyId");
		if (key) {
			any_key = 1;
			if (region == s->region) {
				own_key = key;
				own_at = i;
			} else {
				cfn_ptr_push(&mp->path, "SSESpecification");
				cfn_ptr_push(&mp->path, "KMSMasterKeyId");
				set_key(mp, r, key, region);
			}
		}
		cfn_ptr_pop(&mp->path, at2);
	}
	if (r->table)
		r->table->cfn_replicas = 1;
	const char *mrc = cfn_text(
		&mp->t, json_object_get(props, "MultiRegionConsistency"));
	if (mrc && strcmp(mrc, "STRONG") == 0)
		r->flags |= DRTOPO_RESOURCE_STRONG_CONSISTENCY;
	if (!mp->t.err && any_key &&
	    truthy(json_object_get(sse, "SSEEnabled"))) {
		if (own_key) {
			cfn_ptr_pushi(&mp->path, own_at);
			cfn_ptr_push(&mp->path, "SSESpecification");
			cfn_ptr_push(&mp->path, "KMSMasterKeyId");
			set_key(mp, r, own_key, NULL);
		} else {
			/* Replica keys but none for the own region. */
			dt_value v = {0};
			dt_loc loc;
			v.kind = DT_VAL_UNKNOWN;
			v.text = "no KMSMasterKeyId for the table's own region";
			cfn_ptr_pop(&mp->path, at);
			cfn_ptr_push(&mp->path, "SSESpecification");
			if (loc_here(mp, &loc) || dt_table_set_cmk(r, &v, &loc))
				nomem(mp);
		}
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* AWS::DynamoDB::Table: its customer-managed key, if any (replicas come
 * from Custom::DynamoDBReplica). */
static int h_table(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *sse = json_object_get(props, "SSESpecification");
	json_t *key = json_object_get(sse, "KMSMasterKeyId");
	if (!key || !truthy(json_object_get(sse, "SSEEnabled")))
		return 0;
	size_t at = cfn_ptr_push(&mp->path, "SSESpecification");
	cfn_ptr_push(&mp->path, "KMSMasterKeyId");
	set_key(mp, r, key, NULL);
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* Custom::DynamoDBReplica {TableName: literal or Ref of a table of this
 * template, Region}: a replica of that table, via this resource. */
static int h_legacy_replica(mapper *mp, drtopo_resource *r, json_t *props)
{
	cfn_tpl *t = &mp->t;
	drtopo_stack *s = t->s;
	json_t *tn = json_object_get(props, "TableName"), *arg;
	const char *region = cfn_text(t, json_object_get(props, "Region"));
	drtopo_resource *table = NULL;
	const char *fn = cfn_intrinsic(tn, &arg), *name;
	if (!region)
		return t->err;
	if (fn && strcmp(fn, "Ref") == 0 && json_is_string(arg)) {
		table = dt_resource_find(s, json_string_value(arg));
	} else if ((name = cfn_text(t, tn)) != NULL) {
		if (!mp->tables_indexed) {
			/* The last of one name wins, as a scan would. */
			for (size_t i = 0; i < s->resources.len; i++) {
				drtopo_resource *x = DT_VEC_AT(
					s->resources, drtopo_resource *, i);
				if (x->physical_name &&
				    strcmp(x->type, "AWS::DynamoDB::Table") ==
					    0 &&
				    dt_map_put(&mp->tables, x->physical_name,
					       NULL, x))
					return nomem(mp);
			}
			mp->tables_indexed = 1;
		}
		table = dt_map_get(&mp->tables, name, NULL);
	}
	if (!table || strcmp(table->type, "AWS::DynamoDB::Table") != 0)
		return t->err;
	size_t at = cfn_ptr_push(&mp->path, "Region");
	dt_loc loc;
	if (loc_here(mp, &loc) || dt_table_add_replica(table, region, r, &loc))
		nomem(mp);
	cfn_ptr_pop(&mp->path, at);
	return t->err;
}

/* ---- replication settings and bucket facts (0.2) -------------------- */

static int enabled(mapper *mp, json_t *status)
{
	const char *s = cfn_text(&mp->t, status);
	return s && strcmp(s, "Enabled") == 0;
}

/* A replication setting of kind `kind` at the current pointer, its
 * target following `target` (NULL: unknown). */
static drtopo_replication *add_repl(mapper *mp, drtopo_resource *r, int kind,
				    const char *region, json_t *target)
{
	dt_loc loc;
	dt_value v;
	drtopo_replication *p = NULL;
	if (loc_here(mp, &loc))
		return NULL;
	if (dt_add_replication(r, kind, region, &loc, &p)) {
		nomem(mp);
		return NULL;
	}
	if (!target)
		return p;
	if (cfn_origin(&mp->t, target, &v) ||
	    dt_value_copy(mp->t.m, &p->target, &v)) {
		nomem(mp);
		return NULL;
	}
	return p;
}

/* One setting read from property `prop` of obj (path at obj). */
static drtopo_replication *repl_prop(mapper *mp, drtopo_resource *r, int kind,
				     json_t *obj, const char *prop)
{
	json_t *v = json_object_get(obj, prop);
	if (!v)
		return NULL;
	size_t at = cfn_ptr_push(&mp->path, prop);
	drtopo_replication *p = add_repl(mp, r, kind, NULL, v);
	cfn_ptr_pop(&mp->path, at);
	return p;
}

/* AWS::S3::Bucket: versioning and default SSE-KMS flags; each rule of
 * ReplicationConfiguration (its Destination.Bucket, RTC, KMS objects). */
static int h_bucket(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *ver = json_object_get(props, "VersioningConfiguration");
	json_t *sse =
		json_object_get(json_object_get(props, "BucketEncryption"),
				"ServerSideEncryptionConfiguration");
	if (enabled(mp, json_object_get(ver, "Status")))
		r->flags |= DRTOPO_RESOURCE_VERSIONED;
	else if (ver && !cfn_text(&mp->t, json_object_get(ver, "Status")))
		r->flags |= DT_RES_VERSIONING_UNKNOWN;
	for (size_t i = 0; i < json_array_size(sse); i++) {
		const char *alg = cfn_text(
			&mp->t,
			json_object_get(json_object_get(json_array_get(sse, i),
							"ServerSideEncryption"
							"ByDefault"),
					"SSEAlgorithm"));
		if (alg && strncmp(alg, "aws:kms", 7) == 0)
			r->flags |= DRTOPO_RESOURCE_SSE_KMS;
	}
	json_t *rules = json_object_get(
		json_object_get(props, "ReplicationConfiguration"), "Rules");
	if (!json_is_array(rules))
		return mp->t.err;
	size_t at = cfn_ptr_push(&mp->path, "ReplicationConfiguration");
	cfn_ptr_push(&mp->path, "Rules");
	for (size_t i = 0; i < json_array_size(rules) && !mp->t.err; i++) {
		json_t *rule = json_array_get(rules, i);
		json_t *dest = json_object_get(rule, "Destination");
		if (!json_is_object(dest))
			continue;
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		cfn_ptr_push(&mp->path, "Destination");
		drtopo_replication *p =
			repl_prop(mp, r, DRTOPO_REPLICATION_S3_DESTINATION,
				  dest, "Bucket");
		if (p) {
			if (enabled(mp,
				    json_object_get(
					    json_object_get(dest,
							    "ReplicationTime"),
					    "Status")))
				p->flags |= DRTOPO_REPLICATION_RTC;
			if (enabled(mp,
				    json_object_get(
					    json_object_get(
						    json_object_get(
							    rule,
							    "SourceSelection"
							    "Criteria"),
						    "SseKmsEncryptedObjects"),
					    "Status")))
				p->flags |= DRTOPO_REPLICATION_SSE_KMS_OBJECTS;
			const char *st = cfn_text(
				&mp->t, json_object_get(rule, "Status"));
			if (st && strcmp(st, "Disabled") == 0)
				p->flags |= DRTOPO_REPLICATION_DISABLED;
		}
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

static int h_db_cluster(mapper *mp, drtopo_resource *r, json_t *props)
{
	repl_prop(mp, r, DRTOPO_REPLICATION_GLOBAL_CLUSTER, props,
		  "GlobalClusterIdentifier");
	repl_prop(mp, r, DRTOPO_REPLICATION_CLUSTER_SOURCE, props,
		  "ReplicationSourceIdentifier");
	return mp->t.err;
}

static int h_global_cluster(mapper *mp, drtopo_resource *r, json_t *props)
{
	repl_prop(mp, r, DRTOPO_REPLICATION_GLOBAL_CLUSTER_SOURCE, props,
		  "SourceDBClusterIdentifier");
	return mp->t.err;
}

static int h_db_instance(mapper *mp, drtopo_resource *r, json_t *props)
{
	repl_prop(mp, r, DRTOPO_REPLICATION_INSTANCE_SOURCE, props,
		  "SourceDBInstanceIdentifier");
	return mp->t.err;
}

static int h_kms_replica(mapper *mp, drtopo_resource *r, json_t *props)
{
	repl_prop(mp, r, DRTOPO_REPLICATION_KMS_REPLICA_KEY, props,
		  "PrimaryKeyArn");
	return mp->t.err;
}

/* AWS::SecretsManager::Secret ReplicaRegions[] {Region, KmsKeyId}: a
 * replica of a known region; its target is the key (unknown: none). */
static int h_secret(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *reps = json_object_get(props, "ReplicaRegions");
	size_t at = cfn_ptr_push(&mp->path, "ReplicaRegions");
	for (size_t i = 0; i < json_array_size(reps) && !mp->t.err; i++) {
		json_t *rep = json_array_get(reps, i);
		json_t *reg = json_object_get(rep, "Region");
		const char *region = cfn_text(&mp->t, reg);
		json_t *key = json_object_get(rep, "KmsKeyId");
		if (!reg)
			continue; /* not computed: absent (NULL: unknown) */
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		if (key)
			cfn_ptr_push(&mp->path, "KmsKeyId");
		add_repl(mp, r, DRTOPO_REPLICATION_SECRET_REPLICA, region, key);
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* AWS::EFS::FileSystem ReplicationConfiguration.Destinations[] {Region,
 * AvailabilityZoneName, FileSystemId, ...}: a destination in Region (not
 * known: NULL), else, with only an AvailabilityZoneName, in the source's
 * own region; its target is FileSystemId (absent: none). Location: the
 * destination. */
static int h_efs(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *dests = json_object_get(
		json_object_get(props, "ReplicationConfiguration"),
		"Destinations");
	if (!json_is_array(dests))
		return mp->t.err;
	size_t at = cfn_ptr_push(&mp->path, "ReplicationConfiguration");
	cfn_ptr_push(&mp->path, "Destinations");
	for (size_t i = 0; i < json_array_size(dests) && !mp->t.err; i++) {
		json_t *d = json_array_get(dests, i);
		json_t *reg = json_object_get(d, "Region");
		const char *region = NULL;
		if (!json_is_object(d))
			continue;
		if (reg) {
			region = cfn_text(&mp->t, reg);
		} else if (json_object_get(d, "AvailabilityZoneName")) {
			/* One Zone in the source's own region: a copy in the
			 * same place. Of unknown region, it is no setting at
			 * all: recorded with a NULL region it would read as a
			 * copy that may be elsewhere. */
			region = r->stack->region;
			if (!region)
				continue;
		}
		if (mp->t.err)
			break;
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		add_repl(mp, r, DRTOPO_REPLICATION_EFS_DESTINATION, region,
			 json_object_get(d, "FileSystemId"));
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* The time between runs of a schedule expression, in seconds; -1 when it
 * cannot be read: rate(N unit), and cron() that runs every hour, day or
 * week at fixed minutes. */
static long schedule_period(const char *s)
{
	long n;
	char unit[16];
	if (!s)
		return -1;
	if (sscanf(s, "rate(%ld %15[a-z])", &n, unit) == 2 && n > 0 &&
	    n <= 100000) { /* beyond that: not a period worth guessing */
		static const struct {
			const char *u;
			long secs;
		} units[] = {{"minute", 60},  {"minutes", 60}, {"hour", 3600},
			     {"hours", 3600}, {"day", 86400},  {"days", 86400}};
		for (size_t i = 0; i < DT_ARRAY_LEN(units); i++)
			if (strcmp(unit, units[i].u) == 0)
				return n * units[i].secs;
		return -1;
	}
	char f[6][32];
	if (sscanf(s, "cron(%31s %31s %31s %31s %31s %31[^)])", f[0], f[1],
		   f[2], f[3], f[4], f[5]) != 6 ||
	    strspn(f[0], "0123456789") != strlen(f[0]) ||
	    strcmp(f[3], "*") != 0 || strcmp(f[5], "*") != 0)
		return -1;
	int fixed_hour = strspn(f[1], "0123456789") == strlen(f[1]);
	int any_dom = strcmp(f[2], "*") == 0 || strcmp(f[2], "?") == 0;
	int any_dow = strcmp(f[4], "*") == 0 || strcmp(f[4], "?") == 0;
	if (strcmp(f[1], "*") == 0 && any_dom && any_dow)
		return 3600;
	if (!fixed_hour)
		return -1;
	if (any_dom && any_dow)
		return 86400;
	if (strcmp(f[2], "?") == 0 && strlen(f[4]) <= 3 &&
	    !strpbrk(f[4], ",-/#L*"))
		return 7 * 86400;
	return -1;
}

/* AWS::Backup::BackupPlan: each rule's copy actions, with the rule's
 * schedule period. */
static int h_backup_plan(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *rules = json_object_get(json_object_get(props, "BackupPlan"),
					"BackupPlanRule");
	size_t at = cfn_ptr_push(&mp->path, "BackupPlan");
	cfn_ptr_push(&mp->path, "BackupPlanRule");
	for (size_t i = 0; i < json_array_size(rules) && !mp->t.err; i++) {
		json_t *rule = json_array_get(rules, i);
		json_t *copies = json_object_get(rule, "CopyActions");
		long period = schedule_period(cfn_text(
			&mp->t, json_object_get(rule, "ScheduleExpression")));
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		cfn_ptr_push(&mp->path, "CopyActions");
		for (size_t j = 0; j < json_array_size(copies); j++) {
			size_t at3 = cfn_ptr_pushi(&mp->path, j);
			drtopo_replication *p =
				repl_prop(mp, r, DRTOPO_REPLICATION_BACKUP_COPY,
					  json_array_get(copies, j),
					  "DestinationBackupVaultArn");
			if (p)
				p->period = period;
			cfn_ptr_pop(&mp->path, at3);
		}
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* AWS::Backup::BackupSelection: each resource it names (by ARN); a
 * selection by tags or conditions is one setting without a target (the
 * model cannot tell which resources it picks). */
static int h_backup_selection(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *sel = json_object_get(props, "BackupSelection");
	json_t *list = json_object_get(sel, "Resources");
	size_t at = cfn_ptr_push(&mp->path, "BackupSelection");
	if (json_array_size(json_object_get(sel, "ListOfTags")) ||
	    json_object_size(json_object_get(sel, "Conditions"))) {
		size_t at2 = cfn_ptr_push(&mp->path,
					  json_object_get(sel, "ListOfTags")
						  ? "ListOfTags"
						  : "Conditions");
		add_repl(mp, r, DRTOPO_REPLICATION_BACKUP_SELECTION, NULL,
			 NULL);
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_push(&mp->path, "Resources");
	for (size_t i = 0; i < json_array_size(list) && !mp->t.err; i++) {
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		/* a wildcard ("*", or an ARN that ends in a star) picks what
		 * the model cannot enumerate: a selection of unknown reach */
		json_t *e = json_array_get(list, i);
		const char *txt = cfn_text(&mp->t, e);
		add_repl(mp, r, DRTOPO_REPLICATION_BACKUP_SELECTION, NULL,
			 txt && strchr(txt, '*') ? NULL : e);
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* ---- posture facts (0.2): routing records, objectives ---------------- */

static int truthy_text(mapper *mp, json_t *v)
{
	const char *s = json_is_true(v) ? "true" : cfn_text(&mp->t, v);
	return s && strcmp(s, "true") == 0;
}

/* The resource a value comes from in this template, or NULL. */
static drtopo_resource *origin_resource(mapper *mp, json_t *v)
{
	dt_value o;
	if (!v)
		return NULL;
	if (cfn_origin(&mp->t, v, &o)) {
		nomem(mp);
		return NULL;
	}
	return o.kind == DT_VAL_RESOURCE ? o.res : NULL;
}

/* A record name written so that records with the same expression get
 * the same name, known or not (the records of a failover pair share one,
 * often built from a hosted zone's parameter): known parts as their
 * text, a Ref or Fn::GetAtt as ${Name} or ${Name.Attr} (as Fn::Sub spells
 * them), a Fn::Sub string without a variable map as written, anything
 * else (a map gives its variables their own values) as compact JSON with
 * sorted keys. */
static void name_text(cfn_tpl *t, json_t *v, dt_buf *b, int depth)
{
	json_t *arg = NULL, *list;
	const char *fn = cfn_intrinsic(v, &arg);
	size_t mark = b->len;
	/* the known text of v, appended in place (not interned: only the
	 * whole name is) */
	if (cfn_eval(t, v, CFN_EVAL_VALUE, b, NULL, NULL, NULL) &&
	    b->len > mark)
		return;
	b->len = mark;
	if (json_is_string(v)) { /* a dynamic reference */
		dt_buf_put(b, json_string_value(v), json_string_length(v));
	} else if (fn && strcmp(fn, "Ref") == 0 && json_is_string(arg)) {
		dt_buf_puts(b, "${");
		dt_buf_puts(b, json_string_value(arg));
		dt_buf_putc(b, '}');
	} else if (fn && strcmp(fn, "Fn::GetAtt") == 0 &&
		   json_is_string(json_array_get(arg, 0)) &&
		   json_is_string(json_array_get(arg, 1))) {
		dt_buf_puts(b, "${");
		dt_buf_puts(b, json_string_value(json_array_get(arg, 0)));
		dt_buf_putc(b, '.');
		dt_buf_puts(b, json_string_value(json_array_get(arg, 1)));
		dt_buf_putc(b, '}');
	} else if (fn && strcmp(fn, "Fn::Sub") == 0 && json_is_string(arg)) {
		dt_buf_put(b, json_string_value(arg), json_string_length(arg));
	} else if (fn && strcmp(fn, "Fn::Join") == 0 &&
		   depth < CFN_EVAL_DEPTH &&
		   json_is_string(json_array_get(arg, 0)) &&
		   json_is_array(list = json_array_get(arg, 1))) {
		for (size_t i = 0; i < json_array_size(list); i++) {
			if (i)
				dt_buf_puts(b, json_string_value(
						       json_array_get(arg, 0)));
			name_text(t, json_array_get(list, i), b, depth + 1);
		}
	} else {
		char *j = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
						JSON_ENCODE_ANY);
		if (j)
			dt_buf_puts(b, j);
		else
			b->oom = 1;
		free(j);
	}
}

/* The name of record set rec (interned), or NULL when it has none. */
static const char *record_name(mapper *mp, json_t *rec)
{
	json_t *v = json_object_get(rec, "Name");
	const char *s = NULL;
	if (!v || mp->t.err)
		return NULL;
	dt_buf b = DT_BUF_INIT;
	name_text(&mp->t, v, &b, 0);
	if (!b.oom && b.len && !(s = dt_strn(mp->t.m, b.p, b.len)))
		b.oom = 1;
	if (b.oom)
		nomem(mp);
	dt_buf_free(&b);
	return s;
}

/* One record of a RecordSet or RecordSetGroup (path at the record). */
static void add_record(mapper *mp, drtopo_resource *r, json_t *rec)
{
	cfn_tpl *t = &mp->t;
	const char *name = record_name(mp, rec);
	json_t *sid = json_object_get(rec, "SetIdentifier");
	const char *set_id = sid ? cfn_text(t, sid) : NULL;
	json_t *alias = json_object_get(rec, "AliasTarget");
	json_t *geo = json_object_get(rec, "GeoLocation");
	const char *failover = cfn_text(t, json_object_get(rec, "Failover"));
	const char *region = cfn_text(t, json_object_get(rec, "Region"));
	int policy = DRTOPO_ROUTING_SIMPLE;
	unsigned flags = 0;
	if (json_object_get(rec, "Failover"))
		policy = DRTOPO_ROUTING_FAILOVER;
	else if (json_object_get(rec, "Region"))
		policy = DRTOPO_ROUTING_LATENCY;
	else if (geo)
		policy = DRTOPO_ROUTING_GEOLOCATION;
	else if (json_object_get(rec, "GeoProximityLocation"))
		policy = DRTOPO_ROUTING_GEOPROXIMITY;
	else if (json_object_get(rec, "Weight"))
		policy = DRTOPO_ROUTING_WEIGHTED;
	else if (truthy_text(mp, json_object_get(rec, "MultiValueAnswer")))
		policy = DRTOPO_ROUTING_MULTIVALUE;
	else if (json_object_get(rec, "CidrRoutingConfig"))
		policy = DRTOPO_ROUTING_CIDR;
	else if (sid)
		policy = DRTOPO_ROUTING_WEIGHTED; /* a set without a policy */
	if (failover && strcmp(failover, "SECONDARY") == 0)
		flags |= DRTOPO_ROUTE_SECONDARY;
	const char *cc = cfn_text(t, json_object_get(geo, "CountryCode"));
	if (cc && strcmp(cc, "*") == 0)
		flags |= DRTOPO_ROUTE_DEFAULT;
	if (truthy_text(mp, json_object_get(alias, "EvaluateTargetHealth")))
		flags |= DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH;
	json_t *hc = json_object_get(rec, "HealthCheckId");
	if (hc)
		flags |= DRTOPO_ROUTE_HEALTH_CHECK;
	dt_loc loc;
	drtopo_route *rt;
	if (loc_here(mp, &loc) ||
	    dt_add_route(r, name ? name : r->id,
			 sid ? (set_id ? set_id : "?") : NULL, policy, &loc,
			 &rt)) {
		nomem(mp);
		return;
	}
	rt->flags = flags;
	rt->check = origin_resource(mp, hc);
	rt->target = origin_resource(mp, json_object_get(alias, "DNSName"));
	if (region && !(rt->region = dt_str(t->m, region)))
		nomem(mp);
}

static int h_record_set(mapper *mp, drtopo_resource *r, json_t *props)
{
	add_record(mp, r, props);
	return mp->t.err;
}

static int h_record_set_group(mapper *mp, drtopo_resource *r, json_t *props)
{
	json_t *list = json_object_get(props, "RecordSets");
	size_t at = cfn_ptr_push(&mp->path, "RecordSets");
	for (size_t i = 0; i < json_array_size(list) && !mp->t.err; i++) {
		json_t *rec = json_array_get(list, i);
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		if (json_is_object(rec))
			add_record(mp, r, rec);
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

/* Tags drtopo:rpo, drtopo:rto and drtopo:strategy: a list of {Key, Value}
 * or a map. */
static void objective_tags(mapper *mp, dt_objectives *o, json_t *tags)
{
	const char *key;
	json_t *v;
	size_t n = json_is_array(tags) ? json_array_size(tags) : 0;
	for (size_t i = 0; i < n; i++) {
		json_t *tag = json_array_get(tags, i);
		const char *k = cfn_text(&mp->t, json_object_get(tag, "Key"));
		const char *val =
			cfn_text(&mp->t, json_object_get(tag, "Value"));
		dt_objective_tag(o, k, val);
	}
	if (json_is_object(tags))
		json_object_foreach(tags, key, v)
			dt_objective_tag(o, key, cfn_text(&mp->t, v));
}

static void resource_objectives(mapper *mp, drtopo_resource *r, json_t *props)
{
	dt_objectives o = DT_OBJECTIVES_NONE;
	objective_tags(mp, &o, json_object_get(props, "Tags"));
	/* A global table: any replica's Tags. */
	json_t *reps = json_object_get(props, "Replicas");
	if (strcmp(r->type, "AWS::DynamoDB::GlobalTable") == 0)
		for (size_t i = 0; i < json_array_size(reps); i++)
			objective_tags(mp, &o,
				       json_object_get(json_array_get(reps, i),
						       "Tags"));
	if (o.rpo < 0 && o.rto < 0 && !o.strategy)
		return;
	dt_res_extra *x = dt_res_extra_get(r);
	if (!x) {
		nomem(mp);
		return;
	}
	dt_objectives_set(mp->t.m, &x->obj, o.rpo, o.rto, o.strategy);
}

/* ---- links inside the template: ordering and ARN mentions ----------- */

/* A same-template resource named by a Ref, Fn::GetAtt or Fn::Sub
 * variable, or NULL. */
static drtopo_resource *tpl_resource(mapper *mp, const char *id, size_t n)
{
	char small[256];
	if (n >= sizeof(small))
		return NULL;
	memcpy(small, id, n);
	small[n] = '\0';
	if (!mp->t.resources || !json_object_get(mp->t.resources, small))
		return NULL;
	return dt_resource_find(mp->t.s, small);
}

/* r depends on x (one link per pair: the first one's attribute). A
 * DependsOn link is order_only until a Ref, Fn::GetAtt or Fn::Sub of the
 * same pair shows that r uses x. */
static int add_link_as(mapper *mp, drtopo_resource *r, drtopo_resource *x,
		       const char *attr, size_t an, int order_only)
{
	if (!x || x == r)
		return 0;
	drtopo_model *m = mp->t.m;
	void **slot = dt_map_slot_for(&mp->links, r, x);
	if (!slot)
		return nomem(mp);
	if (*slot) {
		if (!order_only)
			DT_VEC_PTR(m->refs, dt_ref, (uintptr_t)*slot - 1)
				->order_only = 0;
		return 0;
	}
	*slot = (void *)(uintptr_t)(m->refs.len + 1);
	const char *a = NULL;
	dt_loc loc;
	if (attr && !(a = dt_strn(mp->t.m, attr, an)))
		return nomem(mp);
	if (loc_here(mp, &loc) || dt_add_ref(r, x, NULL, NULL, a, &loc))
		return nomem(mp);
	DT_VEC_PTR(m->refs, dt_ref, m->refs.len - 1)->order_only =
		(uint8_t)order_only;
	return 0;
}

static int add_link(mapper *mp, drtopo_resource *r, drtopo_resource *x,
		    const char *attr, size_t an)
{
	return add_link_as(mp, r, x, attr, an, 0);
}

/* The variables of a Fn::Sub string that name resources. */
static int sub_links(mapper *mp, drtopo_resource *r, const char *s)
{
	while ((s = strstr(s, "${")) != NULL && !mp->t.err) {
		s += 2;
		if (*s == '!')
			continue;
		const char *end = strchr(s, '}');
		if (!end)
			break;
		const char *dot = memchr(s, '.', (size_t)(end - s));
		size_t n = (size_t)((dot ? dot : end) - s);
		drtopo_resource *x = tpl_resource(mp, s, n);
		if (x)
			add_link(mp, r, x, dot ? dot + 1 : NULL,
				 dot ? (size_t)(end - dot - 1) : 0);
		s = end + 1;
	}
	return mp->t.err;
}

/* A literal ARN with a region: a mention by r at the current pointer. */
static int arn_mention(mapper *mp, drtopo_resource *r, json_t *v)
{
	dt_buf b = DT_BUF_INIT;
	cfn_eval(&mp->t, v, CFN_EVAL_VALUE, &b, NULL, NULL, NULL);
	int literal = !b.oom && b.p && !memchr(b.p, CFN_HOLE, b.len);
	cfn_arn a;
	if (b.oom)
		nomem(mp);
	else if (literal && cfn_arn_split(b.p, &a) == 0 &&
		 a.n[CFN_ARN_REGION] > 0) {
		dt_loc loc;
		if (loc_here(mp, &loc) || dt_add_arn(r, b.p, &loc))
			nomem(mp);
	}
	dt_buf_free(&b);
	return literal;
}

typedef struct lframe {
	json_t *v;
	size_t plen; /* the parent's pointer length */
	const char *key;
	size_t idx;
	int in_text; /* inside a Fn::Join or Fn::Sub already evaluated */
} lframe;

/* Walk the properties of r (path at /Resources/Id/Properties) for Ref,
 * Fn::GetAtt and Fn::Sub variables of the template's resources (links)
 * and literal ARNs (mentions). Linear: each value is looked at once, and
 * a literal Fn::Join or Fn::Sub is not entered. */
static int scan_links(mapper *mp, drtopo_resource *r, json_t *props)
{
	size_t base = mp->lframes.len, start = mp->path.len;
	lframe *f = dt_vec_push(&mp->lframes, sizeof(*f));
	if (!f)
		return nomem(mp);
	f->v = props;
	f->plen = start;
	f->key = NULL;
	f->idx = SIZE_MAX;
	f->in_text = 0;
	while (mp->lframes.len > base && !mp->t.err) {
		lframe cur =
			DT_VEC_AT(mp->lframes, lframe, mp->lframes.len - 1);
		mp->lframes.len--;
		cfn_ptr_pop(&mp->path, cur.plen);
		if (cur.key)
			cfn_ptr_push(&mp->path, cur.key);
		else if (cur.idx != SIZE_MAX)
			cfn_ptr_pushi(&mp->path, cur.idx);
		json_t *v = cur.v, *arg;
		const char *fn = cfn_intrinsic(v, &arg);
		int in_text = cur.in_text;
		if (json_is_string(v)) {
			/* A part of a text is not an ARN of its own. */
			if (!in_text &&
			    strncmp(json_string_value(v), "arn:", 4) == 0)
				arn_mention(mp, r, v);
			continue;
		}
		if (fn && strcmp(fn, "Ref") == 0) {
			if (json_is_string(arg))
				add_link(mp, r,
					 tpl_resource(mp,
						      json_string_value(arg),
						      json_string_length(arg)),
					 NULL, 0);
			continue;
		}
		if (fn && strcmp(fn, "Fn::GetAtt") == 0) {
			json_t *id = json_array_get(arg, 0);
			json_t *at = json_array_get(arg, 1);
			if (json_is_string(id))
				add_link(mp, r,
					 tpl_resource(mp, json_string_value(id),
						      json_string_length(id)),
					 json_string_value(at),
					 json_string_length(at));
			else if (json_is_string(arg)) {
				const char *s = json_string_value(arg);
				const char *dot = strchr(s, '.');
				if (dot)
					add_link(
						mp, r,
						tpl_resource(mp, s,
							     (size_t)(dot - s)),
						dot + 1, strlen(dot + 1));
			}
			continue;
		}
		if (fn && (strcmp(fn, "Fn::Join") == 0 ||
			   strcmp(fn, "Fn::Sub") == 0)) {
			/* Evaluated once, at the outermost text: linear. */
			if (!in_text && arn_mention(mp, r, v))
				continue;
			in_text = 1;
			if (strcmp(fn, "Fn::Sub") == 0) {
				json_t *s = json_is_array(arg)
						    ? json_array_get(arg, 0)
						    : arg;
				if (json_is_string(s))
					sub_links(mp, r, json_string_value(s));
			}
		}
		size_t plen = mp->path.len;
		if (json_is_object(v)) {
			const char *key;
			json_t *child;
			json_object_foreach(v, key, child)
			{
				if (!json_is_object(child) &&
				    !json_is_array(child) &&
				    !json_is_string(child))
					continue;
				lframe *n =
					dt_vec_push(&mp->lframes, sizeof(*n));
				if (!n)
					return nomem(mp);
				n->v = child;
				n->plen = plen;
				n->key = key;
				n->idx = SIZE_MAX;
				n->in_text = in_text;
			}
		} else if (json_is_array(v)) {
			for (size_t i = json_array_size(v); i-- > 0;) {
				lframe *n =
					dt_vec_push(&mp->lframes, sizeof(*n));
				if (!n)
					return nomem(mp);
				n->v = json_array_get(v, i);
				n->plen = plen;
				n->key = NULL;
				n->idx = i;
				n->in_text = in_text;
			}
		}
	}
	mp->lframes.len = base;
	cfn_ptr_pop(&mp->path, start);
	return mp->t.err;
}

/* DependsOn (a logical id or a list of them): r depends on each. */
static int depends_on(mapper *mp, drtopo_resource *r, json_t *res)
{
	json_t *d = json_object_get(res, "DependsOn");
	size_t at = cfn_ptr_push(&mp->path, "DependsOn");
	if (json_is_string(d))
		add_link_as(mp, r,
			    tpl_resource(mp, json_string_value(d),
					 json_string_length(d)),
			    NULL, 0, 1);
	for (size_t i = 0; i < json_array_size(d) && !mp->t.err; i++) {
		json_t *x = json_array_get(d, i);
		size_t at2 = cfn_ptr_pushi(&mp->path, i);
		if (json_is_string(x))
			add_link_as(mp, r,
				    tpl_resource(mp, json_string_value(x),
						 json_string_length(x)),
				    NULL, 0, 1);
		cfn_ptr_pop(&mp->path, at2);
	}
	cfn_ptr_pop(&mp->path, at);
	return mp->t.err;
}

static const struct handler {
	const char *type;
	handler_fn fn;
	const char *own; /* a property the handler reads whole: not walked */
} handlers[] = {
	{"AWS::Backup::BackupPlan", h_backup_plan, NULL},
	{"AWS::Backup::BackupSelection", h_backup_selection, NULL},
	{"AWS::DynamoDB::GlobalTable", h_global_table, NULL},
	{"AWS::DynamoDB::Table", h_table, NULL},
	{"AWS::EFS::FileSystem", h_efs, NULL},
	{"AWS::KMS::ReplicaKey", h_kms_replica, NULL},
	{"AWS::RDS::DBCluster", h_db_cluster, NULL},
	{"AWS::RDS::DBInstance", h_db_instance, NULL},
	{"AWS::RDS::GlobalCluster", h_global_cluster, NULL},
	{"AWS::Route53::RecordSet", h_record_set, NULL},
	{"AWS::Route53::RecordSetGroup", h_record_set_group, NULL},
	{"AWS::S3::Bucket", h_bucket, NULL},
	{"AWS::SSM::Parameter", h_ssm_parameter, NULL},
	{"AWS::SecretsManager::Secret", h_secret, NULL},
	{"Custom::AWS", h_sdk_call, NULL},
	{"Custom::CrossRegionExportReader", h_export_reader, "ReaderProps"},
	{"Custom::CrossRegionExportWriter", h_export_writer, NULL},
	{"Custom::CrossRegionStringParameterReader", h_param_reader, NULL},
	{"Custom::DynamoDBReplica", h_legacy_replica, NULL},
};

static const struct handler *handler_for(const char *type)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(handlers); i++) {
		if (strcmp(handlers[i].type, type) == 0)
			return &handlers[i];
	}
	return NULL;
}

/* ---- the passes ----------------------------------------------------- */

static int schema(mapper *mp, const char *fmt, const char *arg)
{
	return dt_src_error(mp->t.src, DRTOPO_ESCHEMA, here(mp), fmt, arg);
}

/* Check the shape of what the mapping reads, before adding anything. */
static int validate(mapper *mp)
{
	cfn_tpl *t = &mp->t;
	static const char *const sections[] = {"Resources", "Parameters",
					       "Outputs"};
	for (size_t i = 0; i < DT_ARRAY_LEN(sections); i++) {
		json_t *sec = json_object_get(t->root, sections[i]);
		size_t at = cfn_ptr_push(&mp->path, sections[i]);
		if (sec && !json_is_object(sec))
			return schema(mp, "\"%s\" must be an object",
				      sections[i]);
		const char *key;
		json_t *v;
		json_object_foreach(sec, key, v)
		{
			size_t at2 = cfn_ptr_push(&mp->path, key);
			if (!*key)
				return schema(mp, "an empty %s id",
					      sections[i]);
			if (!json_is_object(v))
				return schema(mp, "'%s' must be an object",
					      key);
			json_t *type = json_object_get(v, "Type");
			json_t *props = json_object_get(v, "Properties");
			json_t *exp = json_object_get(v, "Export");
			if (i == 0 && (!json_is_string(type) ||
				       !json_string_length(type))) {
				cfn_ptr_push(&mp->path, "Type");
				return schema(mp, "resource '%s' has no Type",
					      key);
			}
			if (i == 0 && props && !json_is_object(props)) {
				cfn_ptr_push(&mp->path, "Properties");
				return schema(mp,
					      "the Properties of '%s' must be "
					      "an object",
					      key);
			}
			if (i == 1 && type && !json_is_string(type)) {
				cfn_ptr_push(&mp->path, "Type");
				return schema(mp,
					      "the Type of parameter '%s' must "
					      "be a string",
					      key);
			}
			if (i == 2 && exp && !json_is_object(exp)) {
				cfn_ptr_push(&mp->path, "Export");
				return schema(mp,
					      "the Export of output '%s' must "
					      "be an object",
					      key);
			}
			cfn_ptr_pop(&mp->path, at2);
		}
		cfn_ptr_pop(&mp->path, at);
	}
	return 0;
}

static int create_resources(mapper *mp)
{
	cfn_tpl *t = &mp->t;
	const char *id;
	json_t *res;
	json_object_foreach(t->resources, id, res)
	{
		const char *type =
			json_string_value(json_object_get(res, "Type"));
		const char *prop = name_prop(type);
		json_t *props = json_object_get(res, "Properties");
		const char *name =
			prop ? cfn_text(t, json_object_get(props, prop)) : NULL;
		dt_loc loc;
		size_t at = cfn_ptr_push(&mp->path, "Resources");
		cfn_ptr_push(&mp->path, id);
		/* A named resource points at its name: what the findings
		 * about it (name collisions) are about. */
		if (name) {
			cfn_ptr_push(&mp->path, "Properties");
			cfn_ptr_push(&mp->path, prop);
		}
		if (t->err || loc_here(mp, &loc))
			return nomem(mp);
		int rc = dt_add_resource(t->s, id, type, name, &loc, NULL);
		cfn_ptr_pop(&mp->path, at);
		if (rc)
			return nomem(mp);
	}
	return 0;
}

/* SSM-typed template parameters: reads in the stack's region. */
static int map_parameters(mapper *mp)
{
	cfn_tpl *t = &mp->t;
	const char *id;
	json_t *p;
	json_object_foreach(t->parameters, id, p)
	{
		const char *name, *region, *pointer;
		int rc =
			cfn_ssm_template_param(t, id, &name, &region, &pointer);
		if (rc < 0)
			return nomem(mp);
		if (rc == 0)
			continue;
		dt_loc loc = {t->file, pointer};
		if (!first_time(mp, &mp->reads, t->s, name, region))
			continue;
		if (dt_add_param(t->s, DRTOPO_PARAM_READ, name, region, NULL,
				 &loc, NULL))
			return nomem(mp);
	}
	return t->err;
}

static int map_resources(mapper *mp)
{
	cfn_tpl *t = &mp->t;
	json_t *empty = json_object();
	const char *id;
	json_t *res;
	if (!empty)
		return nomem(mp);
	json_object_foreach(t->resources, id, res)
	{
		const char *type =
			json_string_value(json_object_get(res, "Type"));
		json_t *props = json_object_get(res, "Properties");
		const struct handler *h = handler_for(type);
		drtopo_resource *r = dt_resource_find(t->s, id);
		size_t at = cfn_ptr_push(&mp->path, "Resources");
		cfn_ptr_push(&mp->path, id);
		depends_on(mp, r, res);
		cfn_ptr_push(&mp->path, "Properties");
		if (h)
			h->fn(mp, r, props ? props : empty);
		if (props) {
			resource_objectives(mp, r, props);
			scan_links(mp, r, props);
		}
		mp->consumer = r;
		mp->walk = WALK_IMPORTS | WALK_DYNREFS;
		const char *key;
		json_t *v;
		json_object_foreach(props, key, v)
		{
			if (h && h->own && strcmp(key, h->own) == 0)
				continue;
			size_t at2 = cfn_ptr_push(&mp->path, key);
			walk(mp, v);
			cfn_ptr_pop(&mp->path, at2);
		}
		mp->consumer = NULL;
		cfn_ptr_pop(&mp->path, at);
		if (t->err)
			break;
	}
	json_decref(empty);
	return t->err;
}

static int map_outputs(mapper *mp)
{
	cfn_tpl *t = &mp->t;
	json_t *outputs = json_object_get(t->root, "Outputs");
	const char *id;
	json_t *o;
	json_object_foreach(outputs, id, o)
	{
		json_t *value = json_object_get(o, "Value");
		json_t *ename =
			json_object_get(json_object_get(o, "Export"), "Name");
		size_t at = cfn_ptr_push(&mp->path, "Outputs");
		cfn_ptr_push(&mp->path, id);
		const char *name = ename ? cfn_text(t, ename) : NULL;
		if (name) {
			dt_value v;
			dt_loc loc;
			size_t at2 = cfn_ptr_push(&mp->path, "Export");
			cfn_ptr_push(&mp->path, "Name");
			if (cfn_origin(t, value, &v) || loc_here(mp, &loc) ||
			    dt_add_export(t->s, name,
					  v.kind == DT_VAL_RESOURCE ? v.res
								    : NULL,
					  &loc))
				return nomem(mp);
			cfn_ptr_pop(&mp->path, at2);
		}
		if (value) {
			mp->consumer = NULL;
			mp->walk = WALK_IMPORTS;
			cfn_ptr_push(&mp->path, "Value");
			walk(mp, value);
		}
		cfn_ptr_pop(&mp->path, at);
		if (t->err)
			break;
	}
	return t->err;
}

static int map_template(mapper *mp)
{
	cfn_tpl *t = &mp->t;
	int rc = validate(mp);
	if (rc)
		return rc;
	t->resources = json_object_get(t->root, "Resources");
	t->parameters = json_object_get(t->root, "Parameters");
	cfn_tpl_env(t);
	if (create_resources(mp) || map_parameters(mp) || map_resources(mp) ||
	    map_outputs(mp))
		return dt_model_error(t->m, DRTOPO_ENOMEM, "out of memory");
	return 0;
}

/* ---- entry points --------------------------------------------------- */

/* Read and parse a template: a JSON object. */
static int open_template(dt_src *src, json_t **root, drtopo_model *m,
			 const char *path, const char *file)
{
	*root = NULL;
	int rc = dt_src_read(src, m, path, file);
	if (rc == 0)
		rc = dt_json_parse(src, root);
	if (rc == 0 && !json_is_object(*root))
		rc = dt_src_error(src, DRTOPO_ESCHEMA, "",
				  "a CloudFormation template must be a JSON "
				  "object");
	if (rc) {
		json_decref(*root);
		*root = NULL;
		dt_src_free(src);
	}
	return rc;
}

static int map_and_close(drtopo_model *m, drtopo_stack *s, dt_src *src,
			 json_t *root, json_t *overrides)
{
	mapper mp;
	memset(&mp, 0, sizeof(mp));
	mp.t.m = m;
	mp.t.s = s;
	mp.t.src = src;
	mp.t.file = src->name;
	mp.t.root = root;
	mp.t.overrides = json_is_object(overrides) ? overrides : NULL;
	dt_map_init(&mp.reads);
	dt_map_init(&mp.writes);
	dt_map_init(&mp.imports);
	dt_map_init(&mp.outputs);
	dt_map_init(&mp.tables);
	dt_map_init(&mp.links);
	dt_map_init(&mp.t.readers);
	dt_buf_put(&mp.path, "", 0);
	int rc = mp.path.oom ? dt_model_error(m, DRTOPO_ENOMEM, "out of memory")
			     : map_template(&mp);
	dt_map_free(&mp.reads);
	dt_map_free(&mp.writes);
	dt_map_free(&mp.imports);
	dt_map_free(&mp.outputs);
	dt_map_free(&mp.tables);
	dt_map_free(&mp.links);
	dt_map_free(&mp.t.readers);
	dt_vec_free(&mp.frames);
	dt_vec_free(&mp.lframes);
	dt_buf_free(&mp.path);
	json_decref(root);
	dt_src_free(src);
	return rc;
}

int dt_template_load(drtopo_model *m, drtopo_stack *s, const char *path,
		     const char *file, json_t *overrides)
{
	dt_src src;
	json_t *root;
	int rc = open_template(&src, &root, m, path, file);
	return rc ? rc : map_and_close(m, s, &src, root, overrides);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static int strip_suffix(const char *s, size_t *n, const char *suffix)
{
	size_t k = strlen(suffix);
	if (*n > k && memcmp(s + *n - k, suffix, k) == 0) {
		*n -= k;
		return 1;
	}
	return 0;
}

int drtopo_model_load_template(drtopo_model *m, const char *path,
			       const char *stack_id, const char *account,
			       const char *region)
{
	if (!m)
		return DRTOPO_EINVAL;
	if (!path || !*path)
		return dt_model_error(m, DRTOPO_EINVAL,
				      "invalid argument: 'path'");
	const char *file = base_name(path);
	const char *id = stack_id && *stack_id ? dt_str(m, stack_id) : NULL;
	if (!id) {
		/* "X.template.json" -> "X" */
		size_t n = strlen(file);
		strip_suffix(file, &n, ".json");
		strip_suffix(file, &n, ".template");
		id = dt_strn(m, file, n ? n : strlen(file));
	}
	if (!id)
		return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
	if (dt_stack_find(m, id))
		return dt_model_error_at(m, DRTOPO_ESCHEMA, file, 0, 0, NULL,
					 "a stack with id '%s' already exists",
					 id);
	dt_src src;
	json_t *root;
	int rc = open_template(&src, &root, m, path, file);
	if (rc)
		return rc;
	drtopo_stack *s;
	dt_loc loc = {src.name, dt_loc_pointer(m, "")};
	if (!loc.pointer ||
	    dt_add_stack(m, id, account, region, &loc, &s) != DRTOPO_OK) {
		json_decref(root);
		dt_src_free(&src);
		return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
	}
	s->stack_name = id;
	return map_and_close(m, s, &src, root, NULL);
}
