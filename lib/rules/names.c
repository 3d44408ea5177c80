/*
 * Rules DRT501-DRT502: explicit physical names that collide.
 *
 * The first resource of a name in its scope (model order) owns it; each
 * later resource of that name is one collision, related to the owner.
 * Accounts and regions compare by pointer: an unknown one matches only
 * an unknown one (stacks of unknown account share the deploy's default
 * account; a known and an unknown account are not known to be the same).
 */
#include "rules.h"

typedef void (*res_fn)(void *ctx, const drtopo_resource *r);

static void each_named(dt_check *c, res_fn fn, void *ctx)
{
	const drtopo_model *m = c->m;
	for (size_t s = 0; s < m->stacks.len && !c->err; s++) {
		const drtopo_stack *st =
			DT_VEC_AT(m->stacks, drtopo_stack *, s);
		for (size_t i = 0; i < st->resources.len && !c->err; i++) {
			const drtopo_resource *r =
				DT_VEC_AT(st->resources, drtopo_resource *, i);
			if (r->physical_name)
				fn(ctx, r);
		}
	}
}

/* ---- DRT501 bucket-name-collision ---------------------------------- */

typedef struct buckets {
	dt_check *c;
	const char *type;
	dt_map first; /* name -> first bucket */
} buckets;

static void check_bucket(void *ctx, const drtopo_resource *r)
{
	buckets *x = ctx;
	dt_check *c = x->c;
	if (r->type != x->type)
		return;
	void **slot = dt_map_slot_for(&x->first, r->physical_name, NULL);
	if (!slot) {
		c->err = DRTOPO_ENOMEM;
		return;
	}
	if (!*slot) {
		*slot = (void *)r;
		return;
	}
	const drtopo_resource *o = *slot;
	drtopo_diagnostic *d = dt_emit(
		c, r->stack, r, NULL, NULL,
		"bucket %s/%s is named '%s' like bucket %s/%s (%s): S3 bucket "
		"names are global across all accounts and regions",
		r->stack->id, r->id, r->physical_name, o->stack->id, o->id,
		dt_or(o->stack->region, "unknown region"));
	dt_hint(c, d,
		"give each bucket its own name (include the account and "
		"region in it, e.g. name-ACCOUNT-REGION), or let "
		"CloudFormation "
		"generate the name");
	dt_relate(c, d, o->stack, o, NULL);
}

void dt_rule_bucket_name_collision(dt_check *c)
{
	buckets x = {c, dt_known(c->m, "AWS::S3::Bucket"), {0}};
	if (!x.type)
		return;
	dt_map_init(&x.first);
	each_named(c, check_bucket, &x);
	dt_map_free(&x.first);
}

/* ---- DRT502 physical-name-collision -------------------------------- */

/* Names unique per account (across regions): IAM names and dashboards.
 * The rest are unique per account and region. Types with rules of their
 * own are left to them: tables (DRT406), parameters (DRT304), buckets
 * (DRT501); exports (DRT205) are not resources. */
static const char *const account_scoped[] = {
	"AWS::IAM::Role",
	"AWS::IAM::User",
	"AWS::IAM::Group",
	"AWS::IAM::ManagedPolicy",
	"AWS::IAM::InstanceProfile",
	"AWS::CloudWatch::Dashboard",
};
static const char *const excluded[] = {
	"AWS::DynamoDB::Table",
	"AWS::DynamoDB::GlobalTable",
	"AWS::SSM::Parameter",
	"AWS::S3::Bucket",
};

typedef struct names {
	dt_check *c;
	const char *scoped[DT_ARRAY_LEN(account_scoped)];
	const char *skip[DT_ARRAY_LEN(excluded)];
	dt_pairs keys;
	dt_map first; /* (name, (type, (account, region))) -> resource */
} names;

static int one_of(const char *type, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == type)
			return 1;
	return 0;
}

static void report_name(dt_check *c, const drtopo_resource *r,
			const drtopo_resource *o, int by_account)
{
	drtopo_diagnostic *d = dt_emit(
		c, r->stack, r, NULL, NULL,
		"%s %s/%s is named '%s' like %s/%s in account %s%s%s: the name "
		"is unique per account%s",
		r->type, r->stack->id, r->id, r->physical_name, o->stack->id,
		o->id, dt_or(r->stack->account, "unknown"),
		by_account ? "" : ", region ",
		by_account ? "" : dt_or(r->stack->region, "unknown"),
		by_account ? " across all regions" : " and region");
	dt_hint(c, d,
		"give each resource its own name (include the %s in it), or "
		"let CloudFormation generate the name",
		by_account ? "region" : "stack or environment");
	dt_relate(c, d, o->stack, o, NULL);
}

static void check_name(void *ctx, const drtopo_resource *r)
{
	names *x = ctx;
	dt_check *c = x->c;
	if (one_of(r->type, x->skip, DT_ARRAY_LEN(x->skip)))
		return;
	int by_account = one_of(r->type, x->scoped, DT_ARRAY_LEN(x->scoped));
	/* Account-scoped names: every region is one place. */
	const void *region = by_account ? DT_ANY(&x->keys) : r->stack->region;
	const void *env = dt_pair(&x->keys, r->stack->account, region);
	const void *key = env ? dt_pair(&x->keys, r->type, env) : NULL;
	void **slot =
		key ? dt_map_slot_for(&x->first, r->physical_name, key) : NULL;
	if (!slot) {
		c->err = DRTOPO_ENOMEM;
		return;
	}
	if (!*slot)
		*slot = (void *)r;
	else
		report_name(c, r, *slot, by_account);
}

void dt_rule_physical_name_collision(dt_check *c)
{
	names x = {0};
	x.c = c;
	for (size_t i = 0; i < DT_ARRAY_LEN(account_scoped); i++)
		x.scoped[i] = dt_known(c->m, account_scoped[i]);
	for (size_t i = 0; i < DT_ARRAY_LEN(excluded); i++)
		x.skip[i] = dt_known(c->m, excluded[i]);
	dt_pairs_init(&x.keys, &c->r->arena);
	dt_map_init(&x.first);
	each_named(c, check_name, &x);
	dt_pairs_free(&x.keys);
	dt_map_free(&x.first);
}
