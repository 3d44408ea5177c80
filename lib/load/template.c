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

static const struct handler {
	const char *type;
	handler_fn fn;
	const char *own; /* a property the handler reads whole: not walked */
} handlers[] = {
	{"AWS::DynamoDB::GlobalTable", h_global_table, NULL},
	{"AWS::DynamoDB::Table", h_table, NULL},
	{"AWS::SSM::Parameter", h_ssm_parameter, NULL},
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
		cfn_ptr_push(&mp->path, "Properties");
		if (h)
			h->fn(mp, r, props ? props : empty);
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
	dt_map_init(&mp.t.readers);
	dt_buf_put(&mp.path, "", 0);
	int rc = mp.path.oom ? dt_model_error(m, DRTOPO_ENOMEM, "out of memory")
			     : map_template(&mp);
	dt_map_free(&mp.reads);
	dt_map_free(&mp.writes);
	dt_map_free(&mp.imports);
	dt_map_free(&mp.outputs);
	dt_map_free(&mp.tables);
	dt_map_free(&mp.t.readers);
	dt_vec_free(&mp.frames);
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
