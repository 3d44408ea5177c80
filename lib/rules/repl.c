/*
 * Replication and ARN rules (DRT207, DRT408, DRT409, DRT410).
 *
 * Two tables drive them, one row per kind, as the specification gives
 * them (spec/rules.md, "ARN kinds" and "replication settings"): adding a
 * kind is adding a row. Names are matched through one hash index,
 * (resource type, name) -> the places that create that name (a resource
 * of the model, a table replica, a parameter write), built once per check
 * in one pass over the model; nothing is compared pairwise.
 *
 * Dependency questions go through dt_reach_batch() (between stacks) and,
 * inside a stack, through the same-stack references (Ref, Fn::GetAtt,
 * Fn::Sub, DependsOn: dt_ref with both ends in one stack): the reference
 * graph of all stacks is laid out once (CSR) with a level per resource
 * (longest reference chain below it, one Kahn pass); a query whose source
 * is not above its target is answered at once, the others by a search
 * that only visits resources above the target's level.
 */
#include <ctype.h>
#include <stdio.h>

#include "rules/rules.h"

/* ---- the ARN kinds of DRT207 ---------------------------------------- */

typedef struct arn_kind {
	const char *service; /* ARN service */
	const char *prefix;  /* resource part before NAME */
	const char *stop;    /* characters that end NAME */
	const char *types[2];
	uint8_t keep_prefix; /* the name property holds the prefix too */
	uint8_t ssm;	     /* "parameter/a/b" names "/a/b" (or "a/b") */
} arn_kind;

static const arn_kind arn_kinds[] = {
	{"dynamodb",
	 "table/",
	 "/",
	 {"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"},
	 0,
	 0},
	{"ssm", "parameter/", "", {"AWS::SSM::Parameter", NULL}, 0, 1},
	{"sns", "", ":", {"AWS::SNS::Topic", NULL}, 0, 0},
	{"sqs", "", "", {"AWS::SQS::Queue", NULL}, 0, 0},
	{"lambda", "function:", ":", {"AWS::Lambda::Function", NULL}, 0, 0},
	{"rds", "db:", ":", {"AWS::RDS::DBInstance", NULL}, 0, 0},
	{"rds", "cluster:", ":", {"AWS::RDS::DBCluster", NULL}, 0, 0},
	{"kms", "alias/", "", {"AWS::KMS::Alias", NULL}, 1, 0},
	{"logs", "log-group:", ":", {"AWS::Logs::LogGroup", NULL}, 0, 0},
	{"events", "event-bus/", "", {"AWS::Events::EventBus", NULL}, 0, 0},
	{"states",
	 "stateMachine:",
	 ":",
	 {"AWS::StepFunctions::StateMachine", NULL},
	 0,
	 0},
	{"kinesis", "stream/", "/", {"AWS::Kinesis::Stream", NULL}, 0, 0},
	{"backup",
	 "backup-vault:",
	 "",
	 {"AWS::Backup::BackupVault", NULL},
	 0,
	 0},
	{"ecr", "repository/", "", {"AWS::ECR::Repository", NULL}, 0, 0},
};

/* ---- the replication settings of DRT408 and DRT410 ------------------ */

enum { SCOPE_REGION, SCOPE_ACCOUNT, SCOPE_GLOBAL };
enum { SHAPE_NONE, SHAPE_S3, SHAPE_BACKUP };

typedef struct repl_kind {
	int kind;	       /* DRTOPO_REPLICATION_* */
	const char *setting;   /* "TYPE Property" for messages */
	const char *types[2];  /* target types */
	const char *service;   /* ARN service of a target */
	const char *prefix[2]; /* ARN resource prefix, per target type */
	uint8_t scope;	       /* where the target's name is unique */
	uint8_t ordered;       /* DRT408: the target must exist first */
	uint8_t shape;	       /* DRT410: the ARN shape a text must have */
	uint8_t bare; /* 1 + i: a bare name or identifier names types[i] */
	uint8_t keep; /* bit i: the name of types[i] holds prefix[i] */
} repl_kind;

/* Not a setting of the model but the same kind of target: a literal
 * replica key of a global table (DRT407 follows it, lib/rules/tables.c,
 * through dt_repl_key_targets()). */
#define DT_REPL_TABLE_KEY 0x40

static const repl_kind repl_kinds[] = {
	{DRTOPO_REPLICATION_S3_DESTINATION,
	 "AWS::S3::Bucket ReplicationConfiguration.Rules[].Destination.Bucket",
	 {"AWS::S3::Bucket", NULL},
	 "s3",
	 {"", NULL},
	 SCOPE_GLOBAL,
	 1,
	 SHAPE_S3,
	 0,
	 0},
	{DRTOPO_REPLICATION_GLOBAL_CLUSTER,
	 "AWS::RDS::DBCluster GlobalClusterIdentifier",
	 {"AWS::RDS::GlobalCluster", NULL},
	 "rds",
	 {"global-cluster:", NULL},
	 SCOPE_ACCOUNT,
	 1,
	 SHAPE_NONE,
	 1,
	 0},
	{DRTOPO_REPLICATION_GLOBAL_CLUSTER_SOURCE,
	 "AWS::RDS::GlobalCluster SourceDBClusterIdentifier",
	 {"AWS::RDS::DBCluster", NULL},
	 "rds",
	 {"cluster:", NULL},
	 SCOPE_REGION,
	 0,
	 SHAPE_NONE,
	 1,
	 0},
	{DRTOPO_REPLICATION_CLUSTER_SOURCE,
	 "AWS::RDS::DBCluster ReplicationSourceIdentifier",
	 {"AWS::RDS::DBCluster", "AWS::RDS::DBInstance"},
	 "rds",
	 {"cluster:", "db:"},
	 SCOPE_REGION,
	 1,
	 SHAPE_NONE,
	 1,
	 0},
	{DRTOPO_REPLICATION_INSTANCE_SOURCE,
	 "AWS::RDS::DBInstance SourceDBInstanceIdentifier",
	 {"AWS::RDS::DBInstance", NULL},
	 "rds",
	 {"db:", NULL},
	 SCOPE_REGION,
	 1,
	 SHAPE_NONE,
	 1,
	 0},
	{DRTOPO_REPLICATION_SECRET_REPLICA,
	 "AWS::SecretsManager::Secret ReplicaRegions[].KmsKeyId",
	 {"AWS::KMS::Alias", "AWS::KMS::Key"},
	 "kms",
	 {"alias/", "key/"},
	 SCOPE_REGION,
	 1,
	 SHAPE_NONE,
	 2,
	 1},
	{DRTOPO_REPLICATION_BACKUP_COPY,
	 "AWS::Backup::BackupPlan BackupPlan.BackupPlanRule[].CopyActions[]."
	 "DestinationBackupVaultArn",
	 {"AWS::Backup::BackupVault", NULL},
	 "backup",
	 {"backup-vault:", NULL},
	 SCOPE_REGION,
	 1,
	 SHAPE_BACKUP,
	 0,
	 0},
	{DRTOPO_REPLICATION_BACKUP_SELECTION,
	 "AWS::Backup::BackupSelection BackupSelection.Resources[]",
	 {NULL, NULL},
	 NULL,
	 {NULL, NULL},
	 SCOPE_REGION,
	 0,
	 SHAPE_NONE,
	 0,
	 0},
	{DRTOPO_REPLICATION_KMS_REPLICA_KEY,
	 "AWS::KMS::ReplicaKey PrimaryKeyArn",
	 {NULL, NULL},
	 NULL,
	 {NULL, NULL},
	 SCOPE_REGION,
	 0,
	 SHAPE_NONE,
	 0,
	 0},
	{DRTOPO_REPLICATION_EFS_DESTINATION,
	 "AWS::EFS::FileSystem ReplicationConfiguration.Destinations[]."
	 "FileSystemId",
	 {NULL, NULL},
	 NULL,
	 {NULL, NULL},
	 SCOPE_REGION,
	 0,
	 SHAPE_NONE,
	 0,
	 0},
	{DT_REPL_TABLE_KEY,
	 "AWS::DynamoDB::GlobalTable Replicas[].SSESpecification."
	 "KMSMasterKeyId",
	 {"AWS::KMS::Alias", "AWS::KMS::Key"},
	 "kms",
	 {"alias/", "key/"},
	 SCOPE_REGION,
	 0, /* DRT407's, not DRT408's */
	 SHAPE_NONE,
	 2,
	 1},
};

static const repl_kind *repl_kind_of(int kind)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(repl_kinds); i++)
		if (repl_kinds[i].kind == kind)
			return &repl_kinds[i];
	return NULL;
}

/* ---- ARNs ------------------------------------------------------------ */

typedef struct arn {
	const char *f[5];
	size_t n[5];
} arn;

/* arn:P:S:R:A:RESOURCE; 0 on success. */
static int arn_split(const char *s, arn *a)
{
	if (strncmp(s, "arn:", 4) != 0)
		return -1;
	s += 4;
	for (int i = 0; i < 4; i++) {
		const char *c = strchr(s, ':');
		if (!c)
			return -1;
		a->f[i] = s;
		a->n[i] = (size_t)(c - s);
		s = c + 1;
	}
	a->f[4] = s;
	a->n[4] = strlen(s);
	return 0;
}

static int field_is(const arn *a, int i, const char *s)
{
	return a->n[i] == strlen(s) && memcmp(a->f[i], s, a->n[i]) == 0;
}

static int has_prefix(const arn *a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a->n[4] >= n && memcmp(a->f[4], prefix, n) == 0;
}

/* ---- the name index ---------------------------------------------------- */

typedef struct place {
	const drtopo_stack *s;
	const char *region; /* where the name is held */
	const drtopo_resource *res;
	struct place *next;
} place;

typedef struct plist {
	place *head, *tail;
} plist;

typedef struct ctx {
	dt_check *c;
	dt_arena arena;
	dt_strtab names; /* index names (folded for RDS types) */
	dt_map index;	 /* (type, name) -> plist */
	dt_map types;	 /* type -> fold flag tag (types of both tables) */
	dt_envidx exports, writes;
	char fold_tag, plain_tag;
} ctx;

static int fold_type(const char *type)
{
	return strncmp(type, "AWS::RDS::", 10) == 0;
}

/* The index name of text[0..n) for a type: interned locally (lowercase
 * for RDS identifiers, which are case-insensitive); NULL when `lookup`
 * and no such name was indexed. */
static const char *index_name(ctx *x, const char *type, const char *text,
			      size_t n, int lookup)
{
	char small[256];
	char *buf = small;
	if (fold_type(type)) {
		if (n >= sizeof(small))
			return NULL;
		for (size_t i = 0; i < n; i++)
			small[i] = (char)tolower((unsigned char)text[i]);
	} else {
		buf = (char *)text;
	}
	return lookup ? dt_intern_lookup(&x->names, buf, n)
		      : dt_intern_n(&x->names, buf, n);
}

static int add_place(ctx *x, const char *type, const char *name,
		     const drtopo_stack *s, const char *region,
		     const drtopo_resource *res)
{
	const char *k = index_name(x, type, name, strlen(name), 0);
	void **slot = k ? dt_map_slot_for(&x->index, type, k) : NULL;
	place *p = dt_arena_calloc(&x->arena, sizeof(*p));
	if (!slot || !p)
		return DRTOPO_ENOMEM;
	plist *l = *slot;
	if (!l) {
		l = dt_arena_calloc(&x->arena, sizeof(*l));
		if (!l)
			return DRTOPO_ENOMEM;
		*slot = l;
	}
	p->s = s;
	p->region = region;
	p->res = res;
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
	return 0;
}

static const place *places(ctx *x, const char *type, const char *name, size_t n)
{
	const char *t = type ? dt_known(x->c->m, type) : NULL;
	const char *k = t ? index_name(x, t, name, n, 1) : NULL;
	const plist *l = k ? dt_map_get(&x->index, t, k) : NULL;
	return l ? l->head : NULL;
}

static int note_type(ctx *x, const char *type)
{
	const char *t = type ? dt_known(x->c->m, type) : NULL;
	return t ? dt_map_put(&x->types, t, NULL, &x->plain_tag) : 0;
}

static int ctx_init(ctx *x, dt_check *c)
{
	drtopo_model *m = c->m;
	memset(x, 0, sizeof(*x));
	x->c = c;
	dt_arena_init(&x->arena, 16 * 1024);
	dt_intern_init(&x->names, &x->arena);
	dt_map_init(&x->index);
	dt_map_init(&x->types);
	dt_envidx_init(&x->exports, &x->arena,
		       DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
	dt_envidx_init(&x->writes, &x->arena,
		       DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
	for (size_t i = 0; i < DT_ARRAY_LEN(arn_kinds); i++)
		for (int k = 0; k < 2; k++)
			if (note_type(x, arn_kinds[i].types[k]))
				return DRTOPO_ENOMEM;
	for (size_t i = 0; i < DT_ARRAY_LEN(repl_kinds); i++)
		for (int k = 0; k < 2; k++)
			if (note_type(x, repl_kinds[i].types[k]))
				return DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->stacks.len; i++) {
		const drtopo_stack *s = DT_VEC_AT(m->stacks, drtopo_stack *, i);
		for (size_t j = 0; j < s->resources.len; j++) {
			const drtopo_resource *r =
				DT_VEC_AT(s->resources, drtopo_resource *, j);
			if (!r->physical_name ||
			    !dt_map_get(&x->types, r->type, NULL))
				continue;
			if (add_place(x, r->type, r->physical_name, s,
				      s->region, r))
				return DRTOPO_ENOMEM;
			if (!r->table)
				continue;
			for (size_t k = 0; k < r->table->replicas.len; k++) {
				const dt_replica *rep = DT_VEC_PTR(
					r->table->replicas, dt_replica, k);
				if (rep->region != s->region &&
				    add_place(x, r->type, r->physical_name, s,
					      rep->region, r))
					return DRTOPO_ENOMEM;
			}
		}
	}
	const char *ssm = dt_known(m, "AWS::SSM::Parameter");
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind != DRTOPO_PARAM_WRITE)
			continue;
		const char *reg = p->region ? p->region : p->stack->region;
		if (dt_envidx_add(&x->writes, p->name, p->stack->account, reg,
				  (uint32_t)i))
			return DRTOPO_ENOMEM;
		if (ssm && add_place(x, ssm, p->name, p->stack, reg, p->res))
			return DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < m->exports.len; i++) {
		const dt_export *e = DT_VEC_PTR(m->exports, dt_export, i);
		if (dt_envidx_add(&x->exports, e->name, e->stack->account,
				  e->stack->region, (uint32_t)i))
			return DRTOPO_ENOMEM;
	}
	return 0;
}

static void ctx_free(ctx *x)
{
	dt_envidx_free(&x->exports);
	dt_envidx_free(&x->writes);
	dt_map_free(&x->index);
	dt_map_free(&x->types);
	dt_intern_free(&x->names);
	dt_arena_free(&x->arena);
}

/* ---- following a replication target ------------------------------------ */

typedef struct target {
	const drtopo_resource *res; /* the target resource, if the model's */
	const char *text;	    /* literal text reached, if any */
	const char *name;	    /* its name (for messages) */
} target;

static int same_or_unknown(const char *a, const char *b)
{
	return !a || !b || a == b;
}

/* Interned copy of a[0..n) in the model's table, or NULL (no object
 * holds that text). */
static const char *known_n(const ctx *x, const char *s, size_t n)
{
	return dt_intern_lookup(&x->c->m->strs, s, n);
}

static int shape_ok(int shape, const char *text)
{
	arn a;
	if (arn_split(text, &a) != 0 || !a.n[0])
		return 0;
	if (shape == SHAPE_S3)
		return field_is(&a, 1, "s3") && !a.n[2] && !a.n[3] && a.n[4] &&
		       !memchr(a.f[4], '/', a.n[4]);
	return field_is(&a, 1, "backup") && a.n[2] && a.n[3] &&
	       has_prefix(&a, "backup-vault:") &&
	       a.n[4] > strlen("backup-vault:");
}

/* The resource of the model that literal text names as a target of row
 * k: a name or identifier, an ARN, or (rows with a kept prefix) a bare
 * "alias/NAME". s: the stack the text was read in; region: where the
 * target must be when the text does not say (the setting's region). */
static const drtopo_resource *by_text(ctx *x, const repl_kind *k,
				      const drtopo_stack *s, const char *region,
				      const char *text)
{
	const char *type = NULL, *name = text;
	size_t n = strlen(text);
	const char *account = s->account;
	arn a;
	if (!k->service || (k->shape && !shape_ok(k->shape, text)))
		return NULL; /* not of its kind's shape: DRT410 */
	if (arn_split(text, &a) == 0) {
		if (!field_is(&a, 1, k->service))
			return NULL;
		for (int i = 0; i < 2 && !type; i++) {
			if (!k->prefix[i] || !k->types[i] ||
			    !has_prefix(&a, k->prefix[i]))
				continue;
			type = k->types[i];
			name = a.f[4];
			n = a.n[4];
			if (!(k->keep & (1u << i))) {
				name += strlen(k->prefix[i]);
				n -= strlen(k->prefix[i]);
			}
		}
		if (a.n[2])
			region = known_n(x, a.f[2], a.n[2]);
		if (a.n[3])
			account = known_n(x, a.f[3], a.n[3]);
		if ((a.n[2] && !region) || (a.n[3] && !account))
			return NULL; /* no stack of the model is there */
	} else {
		for (int i = 0; i < 2 && !type; i++)
			if ((k->keep & (1u << i)) && k->prefix[i] &&
			    strncmp(text, k->prefix[i], strlen(k->prefix[i])) ==
				    0)
				type = k->types[i];
		if (!type && k->bare)
			type = k->types[k->bare - 1];
	}
	if (!type || !n)
		return NULL;
	for (const place *pl = places(x, type, name, n); pl; pl = pl->next) {
		if (k->scope != SCOPE_GLOBAL &&
		    !same_or_unknown(pl->s->account, account))
			continue;
		if (k->scope == SCOPE_REGION &&
		    !same_or_unknown(pl->region, region))
			continue;
		return pl->res;
	}
	return NULL;
}

static void follow(ctx *x, const repl_kind *k, const drtopo_replication *p,
		   const drtopo_stack *s, const dt_value *v, int depth,
		   target *out)
{
	uint32_t i;
	if (depth > 4)
		return;
	switch (v->kind) {
	case DT_VAL_RESOURCE: out->res = v->res; return;
	case DT_VAL_TEXT:
		out->text = v->text;
		out->res = by_text(x, k, s, p->region ? p->region : s->region,
				   v->text);
		return;
	case DT_VAL_IMPORT:
		i = dt_envidx_find(&x->exports, v->text, s->account, s->region,
				   DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
		if (i != DT_NONE)
			out->res =
				DT_VEC_PTR(x->c->m->exports, dt_export, i)->res;
		return;
	case DT_VAL_PARAM:
		i = dt_envidx_find(&x->writes, v->text, s->account,
				   v->region ? v->region : s->region,
				   DT_LOOSE_ACCOUNT | DT_LOOSE_REGION);
		if (i != DT_NONE) {
			const drtopo_param *w =
				DT_VEC_AT(x->c->m->params, drtopo_param *, i);
			follow(x, k, p, w->stack, &w->value, depth + 1, out);
		}
		return;
	default: return;
	}
}

static void resolve_target(ctx *x, const drtopo_replication *p, target *out)
{
	memset(out, 0, sizeof(*out));
	const repl_kind *k = repl_kind_of(p->kind);
	if (k)
		follow(x, k, p, p->res->stack, &p->target, 0, out);
}

/* Call fn for every replication setting of the model with its target
 * as the replication rules follow it (resource and/or literal text), so
 * that posture and the rules agree. 0 or DRTOPO_ENOMEM. */
int dt_repl_each_target(drtopo_result *r, dt_repl_target_fn fn, void *arg)
{
	dt_check c = {0};
	ctx x;
	c.r = r;
	c.m = r->model;
	if (!c.m->nrepls)
		return 0;
	if (ctx_init(&x, &c))
		c.err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < c.m->extras.len && !c.err; i++) {
		const drtopo_resource *res =
			DT_VEC_AT(c.m->extras, drtopo_resource *, i);
		for (size_t j = 0; j < res->extra->repls.len; j++) {
			const drtopo_replication *p = DT_VEC_AT(
				res->extra->repls, drtopo_replication *, j);
			target t;
			resolve_target(&x, p, &t);
			fn(arg, p, t.res, t.text);
		}
	}
	ctx_free(&x);
	return c.err;
}

/* The resources that the literal replica keys of global tables name (a
 * key ARN, an alias ARN, "alias/NAME" or a key id: an AWS::KMS::Alias by
 * its name or an AWS::KMS::Key by its physical name, in the replica's
 * account and region), through the same index as the replication
 * targets: (dt_replica_key *, NULL) -> resource in `out`, for DRT407.
 * 0 or DRTOPO_ENOMEM. */
int dt_repl_key_targets(dt_check *c, dt_map *out)
{
	const drtopo_model *m = c->m;
	const repl_kind *k = repl_kind_of(DT_REPL_TABLE_KEY);
	int any = 0, rc = 0;
	ctx x;
	for (size_t i = 0; i < m->tables.len && !any; i++) {
		const dt_table *tb =
			DT_VEC_AT(m->tables, drtopo_resource *, i)->table;
		for (size_t j = 0; j < tb->keys.len && !any; j++)
			any = DT_VEC_PTR(tb->keys, dt_replica_key, j)
				      ->key.kind == DT_VAL_TEXT;
	}
	if (!any)
		return 0;
	rc = ctx_init(&x, c);
	for (size_t i = 0; i < m->tables.len && !rc; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(m->tables, drtopo_resource *, i);
		for (size_t j = 0; j < t->table->keys.len && !rc; j++) {
			const dt_replica_key *rk =
				DT_VEC_PTR(t->table->keys, dt_replica_key, j);
			const drtopo_resource *key = NULL;
			if (rk->key.kind == DT_VAL_TEXT && rk->key.text)
				key = by_text(&x, k, t->stack, rk->region,
					      rk->key.text);
			if (key && dt_map_put(out, rk, NULL, (void *)key))
				rc = DRTOPO_ENOMEM;
		}
	}
	ctx_free(&x);
	return rc ? DRTOPO_ENOMEM : 0;
}

/* The setting's property, for messages. */
static const char *where(const drtopo_replication *p)
{
	const repl_kind *k = repl_kind_of(p->kind);
	if (p->loc.pointer)
		return p->loc.pointer;
	return k ? k->setting : "a replication setting";
}

typedef void (*repl_fn)(ctx *x, const drtopo_replication *p, void *arg);

static void each_repl(dt_check *c, repl_fn fn, void *arg)
{
	ctx x;
	if (!c->m->nrepls)
		return;
	if (ctx_init(&x, c))
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < c->m->extras.len && !c->err; i++) {
		const drtopo_resource *r =
			DT_VEC_AT(c->m->extras, drtopo_resource *, i);
		for (size_t j = 0; j < r->extra->repls.len && !c->err; j++)
			fn(&x,
			   DT_VEC_AT(r->extra->repls, drtopo_replication *, j),
			   arg);
	}
	ctx_free(&x);
}

/* ---- DRT409 ------------------------------------------------------------ */

static int versioning_off(const drtopo_resource *b)
{
	return !(b->flags &
		 (DRTOPO_RESOURCE_VERSIONED | DT_RES_VERSIONING_UNKNOWN));
}

/* First time for bucket b? (NULL on ENOMEM: recorded.) */
static int first_bucket(dt_check *c, dt_map *seen, const void *b)
{
	void **slot = dt_map_slot_for(seen, b, NULL);
	if (!slot) {
		c->err = DRTOPO_ENOMEM;
		return 0;
	}
	if (*slot)
		return 0;
	*slot = (void *)b;
	return 1;
}

static void unversioned(ctx *x, const drtopo_replication *p, void *arg)
{
	dt_check *c = x->c;
	dt_map *seen = arg;
	const drtopo_resource *src = p->res;
	target t;
	drtopo_diagnostic *d;
	if (p->kind != DRTOPO_REPLICATION_S3_DESTINATION)
		return;
	if (versioning_off(src) && first_bucket(c, seen, src)) {
		d = dt_emit(c, src->stack, src, NULL, dt_at(&p->loc),
			    "bucket %s/%s%s%s%s has a replication "
			    "configuration (%s) but versioning is not enabled",
			    src->stack->id, src->id,
			    src->physical_name ? " ('" : "",
			    dt_or(src->physical_name, ""),
			    src->physical_name ? "')" : "", where(p));
		dt_hint(c, d,
			"set VersioningConfiguration.Status to Enabled on "
			"%s/%s (CDK: versioned: true): S3 refuses a "
			"replication configuration without it",
			src->stack->id, src->id);
	}
	resolve_target(x, p, &t);
	const drtopo_resource *b = t.res;
	if (!b || b == src || !dt_known(c->m, "AWS::S3::Bucket") ||
	    b->type != dt_known(c->m, "AWS::S3::Bucket") || !versioning_off(b))
		return;
	if (!first_bucket(c, seen, b))
		return;
	d = dt_emit(c, b->stack, b, NULL, NULL,
		    "bucket %s/%s%s%s%s is the replication destination of "
		    "%s/%s (%s, region %s) but versioning is not enabled",
		    b->stack->id, b->id, b->physical_name ? " ('" : "",
		    dt_or(b->physical_name, ""), b->physical_name ? "')" : "",
		    src->stack->id, src->id, where(p),
		    dt_or(src->stack->region, "unknown"));
	dt_hint(c, d,
		"set VersioningConfiguration.Status to Enabled on %s/%s (CDK: "
		"versioned: true): S3 refuses \"Destination bucket must have "
		"versioning enabled\"",
		b->stack->id, b->id);
	dt_relate(c, d, src->stack, src, NULL);
}

void dt_rule_replication_versioning_disabled(dt_check *c)
{
	dt_map seen;
	dt_map_init(&seen);
	each_repl(c, unversioned, &seen);
	dt_map_free(&seen);
}

/* ---- DRT410 ------------------------------------------------------------ */

static void invalid_target(ctx *x, const drtopo_replication *p, void *arg)
{
	dt_check *c = x->c;
	const repl_kind *k = repl_kind_of(p->kind);
	target t;
	(void)arg;
	if (!k || k->shape == SHAPE_NONE)
		return;
	resolve_target(x, p, &t);
	if (!t.text || shape_ok(k->shape, t.text))
		return;
	const drtopo_resource *r = p->res;
	int s3 = k->shape == SHAPE_S3;
	drtopo_diagnostic *d = dt_emit(
		c, r->stack, r, NULL, dt_at(&p->loc),
		"%s/%s names the replication target '%s' (%s), which is not "
		"%s",
		r->stack->id, r->id, t.text, where(p),
		s3 ? "a bucket ARN arn:PARTITION:s3:::NAME"
		   : "a vault ARN "
		     "arn:PARTITION:backup:REGION:ACCOUNT:backup-vault:NAME");
	dt_hint(c, d, "%s",
		s3 ? "name the destination as arn:aws:s3:::BUCKET (bucket "
		     "ARNs have no region and no account; CDK: "
		     "bucket.bucketArn)"
		   : "name the vault by its full ARN (CDK: "
		     "vault.backupVaultArn)");
}

void dt_rule_replication_target_invalid(dt_check *c)
{
	each_repl(c, invalid_target, NULL);
}

/* ---- DRT408 ------------------------------------------------------------ */

typedef struct order_q {
	const drtopo_replication *p;
	const drtopo_resource *target;
} order_q;

typedef struct order_ctx {
	dt_vec qs;   /* order_q */
	dt_map seen; /* (setting resource, target) */
} order_ctx;

static void collect_order(ctx *x, const drtopo_replication *p, void *arg)
{
	order_ctx *o = arg;
	const repl_kind *k = repl_kind_of(p->kind);
	target t;
	if (!k || !k->ordered)
		return;
	resolve_target(x, p, &t);
	if (!t.res || t.res == p->res)
		return;
	void **slot = dt_map_slot_for(&o->seen, p->res, t.res);
	order_q *q = slot && !*slot ? dt_vec_push(&o->qs, sizeof(*q)) : NULL;
	if (!slot || (!*slot && !q)) {
		x->c->err = DRTOPO_ENOMEM;
		return;
	}
	if (!q)
		return;
	*slot = q;
	q->p = p;
	q->target = t.res;
}

/* Same-stack references as CSR over model-wide resource indexes, with
 * levels: level(r) > level(x) when r depends on x. */
typedef struct local_graph {
	uint32_t *off, *adj, *level, *stamp, *stack;
	size_t n;
} local_graph;

static void local_free(local_graph *g)
{
	dt_free(g->off);
	dt_free(g->adj);
	dt_free(g->level);
	dt_free(g->stamp);
	dt_free(g->stack);
}

static int local_build(local_graph *g, const drtopo_model *m)
{
	size_t n = m->nresources, e = 0;
	memset(g, 0, sizeof(*g));
	g->n = n;
	g->off = dt_calloc(n + 1, sizeof(uint32_t));
	g->level = dt_calloc(n ? n : 1, sizeof(uint32_t));
	g->stamp = dt_calloc(n ? n : 1, sizeof(uint32_t));
	g->stack = dt_malloc((n ? n : 1) * sizeof(uint32_t));
	if (!g->off || !g->level || !g->stamp || !g->stack)
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->refs.len; i++) {
		const dt_ref *f = DT_VEC_PTR(m->refs, dt_ref, i);
		if (f->producer && f->producer->stack == f->consumer->stack) {
			g->off[f->consumer->index + 1]++;
			e++;
		}
	}
	for (size_t i = 0; i < n; i++)
		g->off[i + 1] += g->off[i];
	g->adj = dt_malloc((e ? e : 1) * sizeof(uint32_t));
	uint32_t *fill = dt_malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *indeg = dt_calloc(n ? n : 1, sizeof(uint32_t));
	if (!g->adj || !fill || !indeg) {
		dt_free(fill);
		dt_free(indeg);
		return DRTOPO_ENOMEM;
	}
	memcpy(fill, g->off, n * sizeof(uint32_t));
	for (size_t i = 0; i < m->refs.len; i++) {
		const dt_ref *f = DT_VEC_PTR(m->refs, dt_ref, i);
		if (f->producer && f->producer->stack == f->consumer->stack) {
			g->adj[fill[f->consumer->index]++] = f->producer->index;
			indeg[f->producer->index]++;
		}
	}
	/* Kahn from the resources nothing depends on, downwards: a level
	 * is the longest chain of dependents above... computed as the
	 * height: level(x) = 1 + max level of what x depends on. Process in
	 * reverse topological order (dependents first), then assign. */
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < n; i++)
		if (!indeg[i])
			g->stack[tail++] = (uint32_t)i;
	while (head < tail) {
		uint32_t v = g->stack[head++];
		for (uint32_t j = g->off[v]; j < g->off[v + 1]; j++)
			if (--indeg[g->adj[j]] == 0)
				g->stack[tail++] = g->adj[j];
	}
	/* stack[0..tail): dependents before what they depend on; resources
	 * on a cycle are left out and get the top level (never pruned). */
	for (size_t i = 0; i < n; i++)
		g->level[i] = UINT32_MAX;
	for (size_t i = tail; i-- > 0;) {
		uint32_t v = g->stack[i], lv = 0;
		for (uint32_t j = g->off[v]; j < g->off[v + 1]; j++) {
			uint32_t l = g->level[g->adj[j]];
			if (l == UINT32_MAX) {
				lv = UINT32_MAX;
				break;
			}
			if (l + 1 > lv)
				lv = l + 1;
		}
		g->level[v] = lv;
	}
	dt_free(fill);
	dt_free(indeg);
	return 0;
}

/* Does resource a depend on resource b (same stack), transitively?
 * query: a stamp unique to this question (> 0). */
static int local_reach(local_graph *g, uint32_t a, uint32_t b, uint32_t query)
{
	size_t top = 0;
	uint32_t lb = g->level[b];
	if (lb != UINT32_MAX && g->level[a] <= lb)
		return 0;
	g->stack[top++] = a;
	g->stamp[a] = query;
	while (top) {
		uint32_t v = g->stack[--top];
		for (uint32_t j = g->off[v]; j < g->off[v + 1]; j++) {
			uint32_t w = g->adj[j];
			if (w == b)
				return 1;
			if (g->stamp[w] == query ||
			    (lb != UINT32_MAX && g->level[w] <= lb))
				continue;
			g->stamp[w] = query;
			g->stack[top++] = w;
		}
	}
	return 0;
}

static void report_unordered(dt_check *c, const order_q *q, int same)
{
	const drtopo_resource *r = q->p->res, *t = q->target;
	char name[300] = "";
	if (t->physical_name)
		snprintf(name, sizeof(name), " ('%s', region %s)",
			 t->physical_name, dt_or(t->stack->region, "unknown"));
	else
		snprintf(name, sizeof(name), " (region %s)",
			 dt_or(t->stack->region, "unknown"));
	drtopo_diagnostic *d;
	if (same) {
		d = dt_emit(c, r->stack, r, NULL, dt_at(&q->p->loc),
			    "%s/%s names %s %s%s at %s in the same stack, but "
			    "does not depend on it (Ref, Fn::GetAtt, Fn::Sub "
			    "or DependsOn): CloudFormation may create the "
			    "setting before its target",
			    r->stack->id, r->id, t->type, t->id, name,
			    where(q->p));
		dt_hint(c, d,
			"add DependsOn: %s to %s (CDK: "
			"setting.node.addDependency(target))",
			t->id, r->id);
	} else {
		d = dt_emit(c, r->stack, r, NULL, dt_at(&q->p->loc),
			    "%s/%s names %s %s/%s%s at %s, but stack %s "
			    "(region %s) has no dependency path to stack %s: "
			    "a first deploy can create the setting before its "
			    "target",
			    r->stack->id, r->id, t->type, t->stack->id, t->id,
			    name, where(q->p), r->stack->id,
			    dt_or(r->stack->region, "unknown"), t->stack->id);
		dt_hint(c, d,
			"add a dependency from stack %s to stack %s (CDK: "
			"%s.addDependency(%s))",
			r->stack->id, t->stack->id, r->stack->id, t->stack->id);
	}
	dt_relate(c, d, t->stack, t, NULL);
}

void dt_rule_replication_target_not_ordered(dt_check *c)
{
	order_ctx o;
	local_graph g;
	uint32_t *from = NULL, *to = NULL;
	uint8_t *ans = NULL;
	memset(&g, 0, sizeof(g));
	o.qs = (dt_vec)DT_VEC_INIT;
	dt_map_init(&o.seen);
	each_repl(c, collect_order, &o);
	size_t n = o.qs.len, nlocal = 0;
	if (!c->err && n) {
		from = dt_malloc(n * sizeof(*from));
		to = dt_malloc(n * sizeof(*to));
		ans = dt_calloc(n, 1);
		if (!from || !to || !ans)
			c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < n && !c->err; i++) {
		const order_q *q = DT_VEC_PTR(o.qs, order_q, i);
		from[i] = q->p->res->stack->index;
		to[i] = q->target->stack->index;
		nlocal += from[i] == to[i];
	}
	if (!c->err && n)
		c->err = dt_reach_batch(c->r, from, to, n, ans);
	if (!c->err && nlocal && local_build(&g, c->m))
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < n && !c->err; i++) {
		const order_q *q = DT_VEC_PTR(o.qs, order_q, i);
		int same = from[i] == to[i];
		if (same)
			ans[i] = (uint8_t)local_reach(&g, q->p->res->index,
						      q->target->index,
						      (uint32_t)i + 1);
		if (!ans[i])
			report_unordered(c, q, same);
	}
	local_free(&g);
	dt_vec_free(&o.qs);
	dt_map_free(&o.seen);
	dt_free(from);
	dt_free(to);
	dt_free(ans);
}

/* ---- DRT207 ------------------------------------------------------------ */

static const arn_kind *arn_kind_of(ctx *x, dt_map *kinds, const arn *a)
{
	/* (service, prefix) -> row: the prefix is the resource part up to
	 * and with its first '/' or ':', or empty. */
	size_t n = strcspn(a->f[4], "/:");
	const char *svc = dt_intern_lookup(&x->names, a->f[1], a->n[1]);
	const char *pre = n < a->n[4]
				  ? dt_intern_lookup(&x->names, a->f[4], n + 1)
				  : NULL;
	const arn_kind *k = NULL;
	if (svc && pre)
		k = dt_map_get(kinds, svc, pre);
	if (!k && svc)
		k = dt_map_get(kinds, svc, x);
	return k;
}

static void dangling(ctx *x, dt_map *kinds, const drtopo_resource *r,
		     const dt_arn *m)
{
	dt_check *c = x->c;
	arn a;
	if (strpbrk(m->text, "*?") || arn_split(m->text, &a) || !a.n[2])
		return;
	const arn_kind *k = arn_kind_of(x, kinds, &a);
	if (!k)
		return;
	size_t pl = strlen(k->prefix);
	const char *rest = a.f[4] + pl;
	size_t rn = a.n[4] - pl;
	if (k->stop[0])
		rn = strcspn(rest, k->stop);
	const char *name = k->keep_prefix ? a.f[4] : rest;
	size_t n = k->keep_prefix ? pl + rn : rn;
	if (!rn)
		return;
	const char *region = known_n(x, a.f[2], a.n[2]);
	const char *account = a.n[3] ? known_n(x, a.f[3], a.n[3]) : NULL;
	char buf[1024];
	const place *lists[4] = {NULL, NULL, NULL, NULL};
	int nl = 0;
	for (int t = 0; t < 2; t++) {
		if (!k->types[t])
			continue;
		lists[nl++] = places(x, k->types[t], name, n);
		if (k->ssm && n + 1 < sizeof(buf)) {
			buf[0] = '/';
			memcpy(buf + 1, name, n);
			lists[nl++] = places(x, k->types[t], buf, n + 1);
		}
	}
	const place *first = NULL;
	char regions[256] = "";
	size_t rl = 0;
	for (int i = 0; i < nl; i++) {
		for (const place *p = lists[i]; p; p = p->next) {
			if (dt_env_agnostic(p->s))
				return;
			if (a.n[3] && p->s->account != account)
				continue;
			if (p->region == region)
				return;
			if (!first)
				first = p;
			if (rl < sizeof(regions) - 40 &&
			    !strstr(regions, p->region)) {
				rl += (size_t)snprintf(
					regions + rl, sizeof(regions) - rl,
					"%s%s", rl ? ", " : "", p->region);
			}
		}
	}
	if (!first)
		return;
	drtopo_diagnostic *d =
		dt_emit(c, r->stack, r, NULL, dt_at(&m->loc),
			"%s/%s spells out the ARN %s, but %s '%.*s' exists in "
			"account %s only in %s, not in %.*s",
			r->stack->id, r->id, m->text,
			first->res ? first->res->type : k->types[0], (int)n,
			name, first->s->account, regions, (int)a.n[2], a.f[2]);
	if (k->types[1]) /* tables */
		dt_hint(c, d,
			"add a replica of the table in %.*s, or spell the ARN "
			"with a region that holds the table or a replica",
			(int)a.n[2], a.f[2]);
	else
		dt_hint(c, d,
			"create '%.*s' in %.*s too, or spell the ARN with the "
			"region that holds it (CDK: import it in a stack of "
			"that region, or give the import that region)",
			(int)n, name, (int)a.n[2], a.f[2]);
	if (first->res)
		dt_relate(c, d, first->s, first->res, first->region);
}

void dt_rule_dangling_regional_arn(dt_check *c)
{
	drtopo_model *m = c->m;
	ctx x;
	dt_map kinds;
	int any = 0;
	for (size_t i = 0; i < m->extras.len && !any; i++)
		any = DT_VEC_AT(m->extras, drtopo_resource *, i)
			      ->extra->arns.len > 0;
	if (!any)
		return;
	dt_map_init(&kinds);
	if (ctx_init(&x, c))
		c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < DT_ARRAY_LEN(arn_kinds) && !c->err; i++) {
		const arn_kind *k = &arn_kinds[i];
		const char *svc = dt_intern(&x.names, k->service);
		const char *pre = k->prefix[0] ? dt_intern(&x.names, k->prefix)
					       : (const char *)&x;
		if (!svc || !pre || dt_map_put(&kinds, svc, pre, (void *)k))
			c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < m->extras.len && !c->err; i++) {
		const drtopo_resource *r =
			DT_VEC_AT(m->extras, drtopo_resource *, i);
		for (size_t j = 0; j < r->extra->arns.len && !c->err; j++)
			dangling(&x, &kinds, r,
				 DT_VEC_PTR(r->extra->arns, dt_arn, j));
	}
	dt_map_free(&kinds);
	ctx_free(&x);
}
