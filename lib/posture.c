/*
 * DR posture facts: stateful resources, the copies of their data in other
 * places, routing records by name. Built once per resolve (before the
 * rules run) from the model and the replication targets as the rules
 * follow them (dt_repl_each_target), so that posture and the replication
 * rules agree about every target.
 *
 * Two tables drive it, one row per entry, as posture.md gives them: the
 * stateful types and the copy mechanisms with their expected RPO and RTO.
 */
#include <stdlib.h>
#include <string.h>

#include "posture.h"
#include "rules/rules.h"

/* ---- the tables ------------------------------------------------------- */

static const char *const stateful_types[] = {
	"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable",
	"AWS::S3::Bucket",	"AWS::RDS::DBCluster",
	"AWS::RDS::DBInstance", "AWS::RDS::GlobalCluster",
	"AWS::EFS::FileSystem", "AWS::SecretsManager::Secret",
	"AWS::KMS::Key",	"AWS::KMS::ReplicaKey",
};

static const dt_mechanism mechanisms[] = {
	{DRTOPO_MECHANISM_IN_PLACE, "in-place", "outside the lost region", 0, 0,
	 NULL},
	{DRTOPO_MECHANISM_GLOBAL_TABLE_REPLICA, "global-table-replica",
	 "DynamoDB global table replica", 1, DT_FIG_ROUTED,
	 "DynamoDB global tables: replication \"typically within one "
	 "second\" (MREC); 0 with MultiRegionConsistency STRONG"},
	{DRTOPO_MECHANISM_S3_REPLICATION_RTC, "s3-replication-rtc",
	 "S3 replication with Replication Time Control", 900, DT_FIG_ROUTED,
	 "S3 RTC: 99.99% of objects replicated within 15 minutes"},
	{DRTOPO_MECHANISM_S3_REPLICATION, "s3-replication", "S3 replication",
	 DRTOPO_FIGURE_UNKNOWN, DT_FIG_ROUTED,
	 "S3 replication without RTC has no time objective"},
	{DRTOPO_MECHANISM_AURORA_GLOBAL, "aurora-global",
	 "Aurora global database member", 1, 60,
	 "Aurora global database: lag \"typically under a second\", "
	 "promotion \"under a minute\""},
	{DRTOPO_MECHANISM_READ_REPLICA, "read-replica",
	 "cross-region read replica", DRTOPO_FIGURE_UNKNOWN,
	 DRTOPO_FIGURE_UNKNOWN, "asynchronous replication, manual promotion"},
	{DRTOPO_MECHANISM_BACKUP_COPY, "backup-copy",
	 "AWS Backup copy to another region", DT_FIG_PERIOD,
	 DRTOPO_FIGURE_UNKNOWN,
	 "a recovery point per schedule period; restore time not known"},
	{DRTOPO_MECHANISM_SECRET_REPLICA, "secret-replica",
	 "Secrets Manager replica", 1, 0,
	 "Secrets Manager replicates a secret's versions to its replicas"},
	{DRTOPO_MECHANISM_KMS_REPLICA_KEY, "kms-replica-key",
	 "KMS multi-Region replica key", 1, 0,
	 "a replica key shares the primary's key material"},
	{DRTOPO_MECHANISM_EFS_REPLICATION, "efs-replication", "EFS replication",
	 DRTOPO_FIGURE_UNKNOWN, DRTOPO_FIGURE_UNKNOWN,
	 "EFS replication: changes transferred as of \"Last synced\", not "
	 "point-in-time consistent, no time objective; failover deletes the "
	 "replication configuration (manual)"},
};

const dt_mechanism *dt_mechanism_of(int id)
{
	return id >= 0 && id < (int)DT_ARRAY_LEN(mechanisms) ? &mechanisms[id]
							     : NULL;
}

const char *drtopo_mechanism_name(int mechanism)
{
	const dt_mechanism *k = dt_mechanism_of(mechanism);
	return k ? k->name : NULL;
}

static int type_in(const char *type, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(type, list[i]) == 0)
			return 1;
	return 0;
}

int drtopo_resource_is_stateful(const drtopo_resource *r)
{
	return r &&
	       type_in(r->type, stateful_types, DT_ARRAY_LEN(stateful_types));
}

/* Resources that do a failover's work: lost with their region, they take
 * the automation with them. */
static const char *const automation_types[] = {
	"AWS::Route53::HealthCheck",
	"AWS::CloudWatch::Alarm",
	"AWS::CloudWatch::CompositeAlarm",
	"AWS::Lambda::Function",
	"AWS::StepFunctions::StateMachine",
	"AWS::Events::Rule",
	"AWS::Scheduler::Schedule",
	"AWS::Route53RecoveryControl::Cluster",
	"AWS::Route53RecoveryControl::ControlPanel",
	"AWS::Route53RecoveryControl::RoutingControl",
	"AWS::Route53RecoveryControl::SafetyRule",
	"AWS::Route53RecoveryReadiness::ReadinessCheck",
};

int drtopo_resource_is_automation(const drtopo_resource *r)
{
	return r && type_in(r->type, automation_types,
			    DT_ARRAY_LEN(automation_types));
}

/* ---- building the facts ------------------------------------------------ */

typedef struct builder {
	drtopo_result *r;
	drtopo_model *m;
	dt_posture *p;
	dt_arena *arena;
	int err;
	dt_vec same;	  /* dt_same_place */
	dt_map gindex;	  /* global cluster -> index + 1 in globals */
	dt_vec globals;	  /* dt_global_cluster */
	dt_vec members;	  /* (global, member) pairs, in order, distinct */
	dt_map mseen;	  /* (global, member) */
	void *tagpairs;	  /* backup_copies: env tokens (dt_pairs) */
	dt_map routed;	  /* regions health-checked routing can send to */
	dt_vec plan_copy; /* per plan: copy actions, see add_plan_copy */
	dt_map plans;	  /* plan -> first plan_copy index + 1 */
	dt_vec selected;  /* (selection, resource) pairs */
	const char *t_table, *t_gtable, *t_bucket, *t_cluster, *t_instance,
		*t_global, *t_plan, *t_selection;
} builder;

typedef struct pair {
	const drtopo_resource *a, *b;
} pair;

typedef struct plan_copy {
	const drtopo_resource *plan;
	const drtopo_replication *p;
	const char *region, *account;
	const drtopo_resource *vault;
	int next; /* next copy of the same plan, or -1 */
} plan_copy;

static const char *region_of(const drtopo_resource *r)
{
	return r->stack->region;
}

/* A mechanism's figure for a copy in `region`. DT_FIG_ROUTED: 0 when a
 * routed name has a health-checked record and a record that sends traffic
 * to that region (traffic can be steered to the copy), else unknown. */
static long figure(const builder *b, long fig, long period, const char *region)
{
	if (fig == DT_FIG_PERIOD)
		return period >= 0 ? period : DRTOPO_FIGURE_UNKNOWN;
	if (fig == DT_FIG_ROUTED)
		return region && dt_map_get(&b->routed, region, NULL)
			       ? 0
			       : DRTOPO_FIGURE_UNKNOWN;
	return fig;
}

static void add_copy(builder *b, const drtopo_resource *src, int mech,
		     const char *region, const char *account,
		     const drtopo_resource *target,
		     const drtopo_replication *via, long period)
{
	if (b->err || !(b->p->flags[src->index] & DT_P_STATEFUL))
		return;
	if (!account)
		account = src->stack->account;
	/* A copy in the source's own place is no copy elsewhere. */
	if (region && region == region_of(src) &&
	    account == src->stack->account)
		return;
	dt_copy *c = dt_arena_calloc(b->arena, sizeof(*c));
	if (!c) {
		b->err = DRTOPO_ENOMEM;
		return;
	}
	const dt_mechanism *k = dt_mechanism_of(mech);
	c->region = region;
	c->account = account;
	c->target = target;
	c->via = via;
	c->mech = (uint8_t)mech;
	c->rpo = figure(b, k->rpo, period, region);
	c->rto = figure(b, k->rto, period, region);
	if (mech == DRTOPO_MECHANISM_GLOBAL_TABLE_REPLICA &&
	    (src->flags & DRTOPO_RESOURCE_STRONG_CONSISTENCY))
		c->rpo = 0;
	c->next = b->p->copies[src->index];
	b->p->copies[src->index] = c;
}

static void mark(builder *b, const drtopo_resource *r, uint8_t flag)
{
	if (r)
		b->p->flags[r->index] |= flag;
}

static int same_place(const drtopo_resource *a, const drtopo_resource *b)
{
	return a->stack->region && a->stack->region == b->stack->region &&
	       a->stack->account == b->stack->account;
}

static void note_same(builder *b, const drtopo_replication *p,
		      const drtopo_resource *t)
{
	dt_same_place *s = dt_vec_push(&b->same, sizeof(*s));
	if (!s) {
		b->err = DRTOPO_ENOMEM;
		return;
	}
	s->p = p;
	s->target = t;
}

static void push_pair(builder *b, dt_vec *v, const drtopo_resource *x,
		      const drtopo_resource *y)
{
	pair *q = dt_vec_push(v, sizeof(*q));
	if (!q) {
		b->err = DRTOPO_ENOMEM;
		return;
	}
	q->a = x;
	q->b = y;
}

static void add_member(builder *b, const drtopo_resource *g,
		       const drtopo_resource *member)
{
	void **slot = dt_map_slot_for(&b->mseen, g, member);
	if (!slot) {
		b->err = DRTOPO_ENOMEM;
		return;
	}
	if (*slot)
		return;
	*slot = (void *)member;
	push_pair(b, &b->members, g, member);
}

/* The region and account that an ARN names (interned in the model;
 * NULL when it names none). */
static void arn_place(builder *b, const char *text, const char **region,
		      const char **account)
{
	*account = NULL;
	*region = dt_arn_region(b->m, text);
	if (!*region)
		return;
	const char *p = text; /* arn:P:S:R:A:... -> A */
	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, ':');
		p = p ? p + 1 : NULL;
	}
	const char *end = p ? strchr(p, ':') : NULL;
	if (p && end && end > p &&
	    !(*account = dt_strn(b->m, p, (size_t)(end - p))))
		b->err = DRTOPO_ENOMEM;
}

static void one_setting(void *arg, const drtopo_replication *p,
			const drtopo_resource *t, const char *text)
{
	builder *b = arg;
	const drtopo_resource *src = p->res;
	if (b->err)
		return;
	switch (p->kind) {
	case DRTOPO_REPLICATION_S3_DESTINATION: {
		int mech = (p->flags & DRTOPO_REPLICATION_RTC)
				   ? DRTOPO_MECHANISM_S3_REPLICATION_RTC
				   : DRTOPO_MECHANISM_S3_REPLICATION;
		if (p->flags & DRTOPO_REPLICATION_DISABLED)
			return; /* a rule that copies nothing */
		if (t && t != src && same_place(src, t)) {
			note_same(b, p, t);
			return;
		}
		if (t == src)
			return;
		mark(b, t, DT_P_TARGET);
		add_copy(b, src, mech, t ? region_of(t) : NULL,
			 t ? t->stack->account : NULL, t, p, -1);
		/* the destination's data also lives in the source */
		if (t)
			add_copy(b, t, mech, region_of(src),
				 src->stack->account, src, p, -1);
		return;
	}
	case DRTOPO_REPLICATION_GLOBAL_CLUSTER:
		mark(b, src, DT_P_TARGET);
		if (t && t->type == b->t_global)
			add_member(b, t, src);
		else
			add_copy(b, src, DRTOPO_MECHANISM_AURORA_GLOBAL, NULL,
				 NULL, NULL, p, -1);
		return;
	case DRTOPO_REPLICATION_GLOBAL_CLUSTER_SOURCE:
		/* a source outside the model: a member of unknown place */
		if (t || p->target.kind != DT_VAL_UNKNOWN)
			add_member(b, src, t);
		return;
	case DRTOPO_REPLICATION_CLUSTER_SOURCE:
	case DRTOPO_REPLICATION_INSTANCE_SOURCE:
		mark(b, src, DT_P_TARGET);
		if (!t || t == src)
			return;
		if (same_place(src, t)) {
			if (p->kind == DRTOPO_REPLICATION_CLUSTER_SOURCE)
				note_same(b, p, t);
			return;
		}
		add_copy(b, t, DRTOPO_MECHANISM_READ_REPLICA, region_of(src),
			 src->stack->account, src, p, -1);
		add_copy(b, src, DRTOPO_MECHANISM_READ_REPLICA, region_of(t),
			 t->stack->account, t, p, -1);
		return;
	case DRTOPO_REPLICATION_SECRET_REPLICA:
		/* NULL region: a replica region the model cannot read */
		add_copy(b, src, DRTOPO_MECHANISM_SECRET_REPLICA, p->region,
			 NULL, NULL, p, -1);
		return;
	case DRTOPO_REPLICATION_KMS_REPLICA_KEY:
		mark(b, src, DT_P_TARGET);
		if (t && t != src) {
			add_copy(b, t, DRTOPO_MECHANISM_KMS_REPLICA_KEY,
				 region_of(src), src->stack->account, src, p,
				 -1);
			add_copy(b, src, DRTOPO_MECHANISM_KMS_REPLICA_KEY,
				 region_of(t), t->stack->account, t, p, -1);
		}
		return;
	case DRTOPO_REPLICATION_EFS_DESTINATION:
		/* a destination file system of the model: its place, and its
		 * data also lives in the source (as for S3); else the region
		 * named (NULL: unknown). A copy in the source's own region
		 * is none (add_copy), and no DRT602: posture.md does not
		 * list EFS among its mechanisms. */
		if (t == src || (t && same_place(src, t)))
			return;
		mark(b, t, DT_P_TARGET);
		/* a destination CloudFormation creates is in the source's
		 * account (another account's needs its FileSystemId) */
		add_copy(b, src, DRTOPO_MECHANISM_EFS_REPLICATION,
			 t ? region_of(t) : p->region,
			 t ? t->stack->account : src->stack->account, t, p, -1);
		if (t)
			add_copy(b, t, DRTOPO_MECHANISM_EFS_REPLICATION,
				 region_of(src), src->stack->account, src, p,
				 -1);
		return;
	case DRTOPO_REPLICATION_BACKUP_COPY: {
		plan_copy *pc = dt_vec_push(&b->plan_copy, sizeof(*pc));
		if (!pc) {
			b->err = DRTOPO_ENOMEM;
			return;
		}
		pc->plan = src;
		pc->p = p;
		pc->vault = t;
		if (t) {
			pc->region = region_of(t);
			pc->account = t->stack->account;
		} else if (text) {
			arn_place(b, text, &pc->region, &pc->account);
		} else {
			pc->region = pc->account = NULL;
		}
		if (t && same_place(src, t))
			note_same(b, p, t);
		void **slot = dt_map_slot_for(&b->plans, src, NULL);
		if (!slot) {
			b->err = DRTOPO_ENOMEM;
			return;
		}
		pc->next = *slot ? (int)((uintptr_t)*slot - 1) : -1;
		*slot = (void *)(uintptr_t)b->plan_copy.len;
		return;
	}
	case DRTOPO_REPLICATION_BACKUP_SELECTION:
		/* NULL target: resources picked by tags or conditions */
		if (t || p->target.kind == DT_VAL_UNKNOWN)
			push_pair(b, &b->selected, src, t);
		return;
	default: return;
	}
}

/* Table replicas (global tables and legacy Custom::DynamoDBReplica). */
static void table_copies(builder *b)
{
	for (size_t i = 0; i < b->m->tables.len && !b->err; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(b->m->tables, drtopo_resource *, i);
		for (size_t k = 0; k < t->table->replicas.len; k++) {
			const dt_replica *rep =
				DT_VEC_PTR(t->table->replicas, dt_replica, k);
			add_copy(b, t, DRTOPO_MECHANISM_GLOBAL_TABLE_REPLICA,
				 rep->region, NULL, NULL, NULL, -1);
		}
	}
}

/* Global clusters: each member is copied into the region of a member
 * elsewhere (the first two members in distinct regions are enough to
 * name one for every member). */
static void cluster_copies(builder *b)
{
	for (size_t i = 0; i < b->members.len && !b->err; i++) {
		const pair *q = DT_VEC_PTR(b->members, pair, i);
		void **slot = dt_map_slot_for(&b->gindex, q->a, NULL);
		if (!slot) {
			b->err = DRTOPO_ENOMEM;
			return;
		}
		if (!*slot) {
			dt_global_cluster *g =
				dt_vec_push(&b->globals, sizeof(*g));
			if (!g) {
				b->err = DRTOPO_ENOMEM;
				return;
			}
			memset(g, 0, sizeof(*g));
			g->g = q->a;
			*slot = (void *)(uintptr_t)b->globals.len;
		}
		dt_global_cluster *g = DT_VEC_PTR(b->globals, dt_global_cluster,
						  (uintptr_t)*slot - 1);
		const char *reg = q->b ? region_of(q->b) : NULL;
		g->members++;
		if (!reg)
			g->unknown = 1;
		else if (!g->first)
			g->first = q->b;
		else if (!g->other && reg != region_of(g->first))
			g->other = q->b;
	}
	for (size_t i = 0; i < b->members.len && !b->err; i++) {
		const pair *q = DT_VEC_PTR(b->members, pair, i);
		if (!q->b)
			continue;
		const dt_global_cluster *g = DT_VEC_PTR(
			b->globals, dt_global_cluster,
			(uintptr_t)dt_map_get(&b->gindex, q->a, NULL) - 1);
		const drtopo_resource *o = g->first;
		if (o && region_of(o) == region_of(q->b))
			o = g->other;
		if (o)
			add_copy(b, q->b, DRTOPO_MECHANISM_AURORA_GLOBAL,
				 region_of(o), o->stack->account, o, NULL, -1);
	}
	/* The global cluster itself lives where its members are. */
	for (size_t i = 0; i < b->globals.len && !b->err; i++) {
		const dt_global_cluster *g =
			DT_VEC_PTR(b->globals, dt_global_cluster, i);
		const drtopo_resource *ms[2] = {g->first, g->other};
		if (g->unknown)
			add_copy(b, g->g, DRTOPO_MECHANISM_AURORA_GLOBAL, NULL,
				 NULL, NULL, NULL, -1);
		for (int k = 0; k < 2; k++)
			if (ms[k])
				add_copy(
					b, g->g, DRTOPO_MECHANISM_AURORA_GLOBAL,
					region_of(ms[k]), ms[k]->stack->account,
					ms[k], NULL, -1);
	}
}

/* Resources a tag selection may pick (those of its account and region):
 * a copy whose region the model cannot vouch for ("unknown"). */
static void maybe_copied(builder *b, const dt_map *envs)
{
	dt_pairs *pairs = (dt_pairs *)b->tagpairs;
	for (size_t i = 0; i < b->p->nstateful && !b->err; i++) {
		const drtopo_resource *r = b->p->stateful[i];
		const void *env = dt_pair_find(pairs, r->stack->account,
					       r->stack->region);
		if (env && dt_map_get(envs, env, NULL))
			add_copy(b, r, DRTOPO_MECHANISM_BACKUP_COPY, NULL, NULL,
				 NULL, NULL, -1);
	}
}

/* Backup: a selection names resources and (by reference) its plans; each
 * copy action of a plan copies each selected resource. */
static void backup_copies(builder *b)
{
	if (!b->selected.len || !b->plan_copy.len)
		return;
	/* selection -> its plans, from the selection's references, as
	 * lists threaded through next[]. */
	dt_vec links = DT_VEC_INIT; /* pair (selection, plan) */
	for (size_t i = 0; i < b->m->refs.len && !b->err; i++) {
		const dt_ref *ref = DT_VEC_PTR(b->m->refs, dt_ref, i);
		if (ref->producer && ref->consumer->type == b->t_selection &&
		    ref->producer->type == b->t_plan)
			push_pair(b, &links, ref->consumer, ref->producer);
	}
	dt_map head; /* selection -> last link index + 1 */
	dt_map_init(&head);
	size_t *next = dt_malloc((links.len + 1) * sizeof(*next));
	if (!next)
		b->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < links.len && !b->err; i++) {
		const pair *q = DT_VEC_PTR(links, pair, i);
		void **slot = dt_map_slot_for(&head, q->a, NULL);
		if (!slot) {
			b->err = DRTOPO_ENOMEM;
			break;
		}
		next[i] = (uintptr_t)*slot; /* 0: end of list */
		*slot = (void *)(uintptr_t)(i + 1);
	}
	dt_pairs pairs;
	dt_map envs; /* env token of tag selections with a copy action */
	dt_pairs_init(&pairs, b->arena);
	dt_map_init(&envs);
	b->tagpairs = &pairs;
	for (size_t i = 0; i < b->selected.len && !b->err; i++) {
		const pair *sel = DT_VEC_PTR(b->selected, pair, i);
		for (uintptr_t l = (uintptr_t)dt_map_get(&head, sel->a, NULL);
		     l; l = next[l - 1]) {
			const pair *q = DT_VEC_PTR(links, pair, l - 1);
			uintptr_t c =
				(uintptr_t)dt_map_get(&b->plans, q->b, NULL);
			for (int k = c ? (int)c - 1 : -1; k >= 0;) {
				const plan_copy *pc = DT_VEC_PTR(
					b->plan_copy, plan_copy, (size_t)k);
				if (sel->b) {
					add_copy(b, sel->b,
						 DRTOPO_MECHANISM_BACKUP_COPY,
						 pc->region, pc->account,
						 pc->vault, pc->p,
						 pc->p->period);
				} else {
					const drtopo_stack *s = sel->a->stack;
					const void *env = dt_pair(
						&pairs, s->account, s->region);
					if (!env || dt_map_put(&envs, env, NULL,
							       (void *)env))
						b->err = DRTOPO_ENOMEM;
				}
				k = pc->next;
			}
		}
	}
	if (envs.len && !b->err)
		maybe_copied(b, &envs);
	b->tagpairs = NULL;
	dt_map_free(&envs);
	dt_pairs_free(&pairs);
	dt_free(next);
	dt_map_free(&head);
	dt_vec_free(&links);
}

/* What refers to what: DT_P_USED (health checks, DRT605) and cluster
 * membership of RDS instances. */
static void uses(builder *b)
{
	drtopo_model *m = b->m;
	for (size_t i = 0; i < m->refs.len; i++) {
		const dt_ref *ref = DT_VEC_PTR(m->refs, dt_ref, i);
		/* DependsOn orders; it does not use */
		if (!ref->producer || ref->producer == ref->consumer ||
		    ref->order_only)
			continue;
		mark(b, ref->producer, DT_P_USED);
		if (ref->consumer->type == b->t_instance &&
		    ref->producer->type == b->t_cluster &&
		    ref->consumer->stack == ref->producer->stack)
			b->p->flags[ref->consumer->index] |= DT_P_MEMBER;
	}
	for (size_t i = 0; i < m->exports.len; i++)
		mark(b, DT_VEC_PTR(m->exports, dt_export, i)->res, DT_P_USED);
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *q = DT_VEC_AT(m->params, drtopo_param *, i);
		if (q->kind == DRTOPO_PARAM_WRITE) {
			mark(b, q->res, DT_P_USED);
			if (q->value.kind == DT_VAL_RESOURCE)
				mark(b, q->value.res, DT_P_USED);
		}
	}
	for (size_t i = 0; i < m->routes.len; i++)
		mark(b, DT_VEC_AT(m->routes, drtopo_route *, i)->check,
		     DT_P_USED);
	/* Regions that health-checked routing can send traffic to: those of
	 * the records of a routed name that has a health-checked record. */
	const dt_posture *p = b->p;
	for (size_t i = 0, j; i < p->nroutes && !b->err; i = j) {
		int checked = 0;
		for (j = i;
		     j < p->nroutes && p->routes[j]->name == p->routes[i]->name;
		     j++)
			checked |=
				p->routes[j]->policy != DRTOPO_ROUTING_SIMPLE &&
				(p->routes[j]->flags &
				 (DRTOPO_ROUTE_HEALTH_CHECK |
				  DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH));
		for (size_t k = i; checked && k < j && !b->err; k++) {
			const char *reg = dt_route_region(p->routes[k]);
			if (reg &&
			    dt_map_put(&b->routed, reg, NULL, (void *)reg))
				b->err = DRTOPO_ENOMEM;
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_route(const void *pa, const void *pb)
{
	const drtopo_route *a = *(const drtopo_route *const *)pa;
	const drtopo_route *b = *(const drtopo_route *const *)pb;
	int k = strcmp(a->name, b->name);
	if (k)
		return k;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_stateful(const void *pa, const void *pb)
{
	const drtopo_resource *a = *(const drtopo_resource *const *)pa;
	const drtopo_resource *b = *(const drtopo_resource *const *)pb;
	int k = strcmp(a->stack->id, b->stack->id);
	return k ? k : strcmp(a->id, b->id);
}

static int collect(builder *b)
{
	drtopo_model *m = b->m;
	dt_posture *p = b->p;
	size_t n = m->nresources;
	p->nres = (uint32_t)n;
	p->res = dt_arena_calloc(b->arena, (n ? n : 1) * sizeof(*p->res));
	p->flags = dt_arena_calloc(b->arena, n ? n : 1);
	p->copies = dt_arena_calloc(b->arena, (n ? n : 1) * sizeof(dt_copy *));
	const char **regs =
		dt_arena_alloc(b->arena, (m->stacks.len + 1) * sizeof(*regs));
	if (!p->res || !p->flags || !p->copies || !regs)
		return DRTOPO_ENOMEM;
	dt_map seen;
	dt_map_init(&seen);
	size_t nst = 0, nreg = 0;
	/* A model has a few dozen types for its many resources: each
	 * type's answer is remembered by its (interned) pointer in a small
	 * direct-mapped cache; a collision only costs asking again. */
	struct {
		const char *type;
		int stateful;
	} memo[64];
	memset(memo, 0, sizeof(memo));
	for (size_t i = 0; i < m->stacks.len; i++) {
		const drtopo_stack *s = DT_VEC_AT(m->stacks, drtopo_stack *, i);
		if (s->region && !dt_map_get(&seen, s->region, NULL)) {
			if (dt_map_put(&seen, s->region, NULL, (void *)s)) {
				dt_map_free(&seen);
				return DRTOPO_ENOMEM;
			}
			regs[nreg++] = s->region;
		}
		for (size_t j = 0; j < s->resources.len; j++) {
			drtopo_resource *r =
				DT_VEC_AT(s->resources, drtopo_resource *, j);
			p->res[r->index] = r;
			size_t h = ((uintptr_t)r->type >> 4) % 64;
			if (memo[h].type != r->type) {
				memo[h].type = r->type;
				memo[h].stateful =
					drtopo_resource_is_stateful(r);
			}
			if (memo[h].stateful) {
				p->flags[r->index] |= DT_P_STATEFUL;
				nst++;
			}
		}
	}
	dt_map_free(&seen);
	qsort(regs, nreg, sizeof(*regs), cmp_str);
	p->regions = regs;
	p->nregions = nreg;
	p->nstateful = nst;
	p->stateful = dt_arena_alloc(b->arena,
				     (nst ? nst : 1) * sizeof(*p->stateful));
	if (!p->stateful)
		return DRTOPO_ENOMEM;
	p->nroutes = m->routes.len;
	p->routes = dt_arena_alloc(b->arena, (p->nroutes ? p->nroutes : 1) *
						     sizeof(*p->routes));
	if (!p->routes)
		return DRTOPO_ENOMEM;
	if (p->nroutes) {
		memcpy(p->routes, m->routes.data,
		       p->nroutes * sizeof(*p->routes));
		qsort(p->routes, p->nroutes, sizeof(*p->routes), cmp_route);
	}
	return 0;
}

static void sort_stateful(dt_posture *p)
{
	size_t w = 0;
	for (uint32_t i = 0; i < p->nres; i++)
		if (p->flags[i] & DT_P_STATEFUL)
			p->stateful[w++] = p->res[i];
	p->nstateful = w;
	if (w > 1)
		qsort(p->stateful, w, sizeof(*p->stateful), cmp_stateful);
}

int dt_posture_build(drtopo_result *r)
{
	builder b;
	memset(&b, 0, sizeof(b));
	b.r = r;
	b.m = r->model;
	b.arena = &r->arena;
	b.p = dt_arena_calloc(&r->arena, sizeof(*b.p));
	if (!b.p)
		return DRTOPO_ENOMEM;
	dt_map_init(&b.gindex);
	dt_map_init(&b.plans);
	dt_map_init(&b.mseen);
	dt_map_init(&b.routed);
	b.t_table = dt_known(b.m, "AWS::DynamoDB::Table");
	b.t_gtable = dt_known(b.m, "AWS::DynamoDB::GlobalTable");
	b.t_bucket = dt_known(b.m, "AWS::S3::Bucket");
	b.t_cluster = dt_known(b.m, "AWS::RDS::DBCluster");
	b.t_instance = dt_known(b.m, "AWS::RDS::DBInstance");
	b.t_global = dt_known(b.m, "AWS::RDS::GlobalCluster");
	b.t_plan = dt_known(b.m, "AWS::Backup::BackupPlan");
	b.t_selection = dt_known(b.m, "AWS::Backup::BackupSelection");
	int rc = collect(&b);
	if (!rc) {
		uses(&b);
		/* Members of a cluster hold the cluster's data. */
		for (uint32_t i = 0; i < b.p->nres; i++)
			if (b.p->flags[i] & DT_P_MEMBER)
				b.p->flags[i] &= (uint8_t)~DT_P_STATEFUL;
		sort_stateful(b.p);
		table_copies(&b);
		rc = dt_repl_each_target(r, one_setting, &b);
	}
	if (!rc && !b.err) {
		cluster_copies(&b);
		backup_copies(&b);
	}
	if (!rc)
		rc = b.err;
	if (!rc) {
		b.p->nsame = b.same.len;
		b.p->same = dt_arena_alloc(
			&r->arena, (b.same.len + 1) * sizeof(*b.p->same));
		b.p->nglobals = b.globals.len;
		b.p->globals = dt_arena_alloc(
			&r->arena, (b.globals.len + 1) * sizeof(*b.p->globals));
		if (!b.p->same || !b.p->globals)
			rc = DRTOPO_ENOMEM;
		else {
			if (b.same.len)
				memcpy(b.p->same, b.same.data,
				       b.same.len * sizeof(*b.p->same));
			if (b.globals.len)
				memcpy(b.p->globals, b.globals.data,
				       b.globals.len * sizeof(*b.p->globals));
		}
	}
	dt_vec_free(&b.same);
	dt_vec_free(&b.globals);
	dt_vec_free(&b.members);
	dt_vec_free(&b.plan_copy);
	dt_vec_free(&b.selected);
	dt_map_free(&b.gindex);
	dt_map_free(&b.plans);
	dt_map_free(&b.mseen);
	dt_map_free(&b.routed);
	if (!rc)
		r->posture = b.p;
	return rc;
}
