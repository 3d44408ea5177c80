/*
 * Rules DRT401-DRT407: global tables, their replicas and replica keys.
 *
 * A global table lives in its stack's region and replicates to each
 * replica region. With a customer-managed key every replica region needs
 * a key of its own, created in that region; the table's own region uses
 * the table key. Replica regions and keys are looked up through hash
 * maps keyed by (table, region), so a table with thousands of replicas
 * costs linear time. A table of unknown region (env-agnostic stack) is
 * DRT103's: these rules never guess which region it will have.
 */
#include <stdio.h>

#include "rules.h"

typedef struct tabidx {
	dt_map keys;   /* (table, region) -> dt_replica_key * */
	dt_map first;  /* (table, region) -> first dt_replica * */
	dt_map second; /* (table, region) -> second entry, if repeated */
	dt_map count;  /* (table, region) -> number of replica entries */
} tabidx;

static int tabidx_add_table(tabidx *x, const drtopo_resource *t)
{
	const dt_table *tb = t->table;
	for (size_t k = 0; k < tb->keys.len; k++) {
		dt_replica_key *rk = DT_VEC_PTR(tb->keys, dt_replica_key, k);
		if (dt_map_put(&x->keys, t, rk->region, rk))
			return DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < tb->replicas.len; i++) {
		dt_replica *rep = DT_VEC_PTR(tb->replicas, dt_replica, i);
		void **f = dt_map_slot_for(&x->first, t, rep->region);
		if (!f)
			return DRTOPO_ENOMEM;
		if (*f && !dt_map_get(&x->second, t, rep->region) &&
		    dt_map_put(&x->second, t, rep->region, rep))
			return DRTOPO_ENOMEM;
		if (!*f)
			*f = rep;
		void **n = dt_map_slot_for(&x->count, t, rep->region);
		if (!n)
			return DRTOPO_ENOMEM;
		*n = (void *)((uintptr_t)*n + 1);
	}
	return 0;
}

static void tabidx_free(tabidx *x)
{
	dt_map_free(&x->keys);
	dt_map_free(&x->first);
	dt_map_free(&x->second);
	dt_map_free(&x->count);
}

typedef void (*table_check)(dt_check *c, const tabidx *x,
			    const drtopo_resource *t);

static void each_table(dt_check *c, table_check fn)
{
	const drtopo_model *m = c->m;
	tabidx x;
	dt_map_init(&x.keys);
	dt_map_init(&x.first);
	dt_map_init(&x.second);
	dt_map_init(&x.count);
	for (size_t i = 0; i < m->tables.len && !c->err; i++)
		if (tabidx_add_table(
			    &x, DT_VEC_AT(m->tables, drtopo_resource *, i)))
			c->err = DRTOPO_ENOMEM;
	for (size_t i = 0; i < m->tables.len && !c->err; i++)
		fn(c, &x, DT_VEC_AT(m->tables, drtopo_resource *, i));
	tabidx_free(&x);
}

static const dt_replica_key *key_for(const tabidx *x, const drtopo_resource *t,
				     const char *region)
{
	return dt_map_get(&x->keys, t, region);
}

/* Where a replica was given: its entry, else its Custom::DynamoDBReplica. */
static const dt_loc *replica_loc(const dt_replica *rep)
{
	if (rep->loc.file || !rep->via)
		return dt_at(&rep->loc);
	return dt_at(&rep->via->loc);
}

/* Is this entry the first of its region (repeats are DRT405's)? */
static int first_of_region(const tabidx *x, const drtopo_resource *t,
			   const dt_replica *rep)
{
	return dt_map_get(&x->first, t, rep->region) == rep;
}

/* ---- DRT401 replica-key-missing ------------------------------------ */

static void check_key_missing(dt_check *c, const tabidx *x,
			      const drtopo_resource *t)
{
	const dt_table *tb = t->table;
	const char *own = t->stack->region;
	if (tb->cmk.kind == DT_VAL_NONE || !own)
		return;
	for (size_t i = 0; i < tb->replicas.len && !c->err; i++) {
		const dt_replica *rep = DT_VEC_PTR(tb->replicas, dt_replica, i);
		if (rep->region == own || !first_of_region(x, t, rep) ||
		    key_for(x, t, rep->region))
			continue;
		drtopo_diagnostic *d = dt_emit(
			c, t->stack, t, rep->region, replica_loc(rep),
			"table %s/%s is encrypted with a customer-managed key, "
			"but its replica in %s has no key in the replica key "
			"map: every replica region needs a key of its own, "
			"created in that region",
			t->stack->id, t->id, rep->region);
		dt_hint(c, d,
			"add a key created in %s to the replica key map (CDK "
			"TableV2: "
			"TableEncryptionV2.customerManagedKey(tableKey, "
			"{ '%s': keyArn }); CloudFormation: "
			"Replicas[].SSESpecification.KMSMasterKeyId)",
			rep->region, rep->region);
	}
}

void dt_rule_replica_key_missing(dt_check *c)
{
	each_table(c, check_key_missing);
}

/* ---- DRT402 replica-key-for-table-region --------------------------- */

/* In CloudFormation form (cfn_replicas) the table's own region is one of
 * the Replicas and carries the table key legitimately: not reported. */
static void check_key_own_region(dt_check *c, const tabidx *x,
				 const drtopo_resource *t)
{
	const char *own = t->stack->region;
	const dt_replica_key *rk = own ? key_for(x, t, own) : NULL;
	if (!rk || t->table->cfn_replicas)
		return;
	drtopo_diagnostic *d = dt_emit(
		c, t->stack, t, own, dt_at(&rk->loc),
		"the replica key map of table %s/%s names %s, the table's own "
		"region: that region uses the table key",
		t->stack->id, t->id, own);
	dt_hint(c, d,
		"remove the %s entry from the replica key map; the table key "
		"encrypts the table in its own region",
		own);
}

void dt_rule_replica_key_for_table_region(dt_check *c)
{
	each_table(c, check_key_own_region);
}

/* ---- DRT403 replica-key-region-mismatch ---------------------------- */

/* Where a key lives, when the model can tell: the region of a key ARN
 * (any partition), or the region of the stack of a key resource. Bare
 * key ids, aliases, parameter values, imports and unknown values have
 * no region the model knows: never an error. */
static const char *key_region(dt_check *c, const dt_value *v)
{
	if (v->kind == DT_VAL_TEXT)
		return dt_arn_region(c->m, v->text);
	if (v->kind == DT_VAL_RESOURCE && v->res)
		return v->res->stack->region;
	return NULL;
}

static void report_key_region(dt_check *c, const drtopo_resource *t,
			      const dt_replica_key *rk, const char *kr)
{
	const dt_value *v = &rk->key;
	drtopo_diagnostic *d;
	if (v->kind == DT_VAL_TEXT)
		d = dt_emit(
			c, t->stack, t, rk->region, dt_at(&rk->loc),
			"the replica key for %s of table %s/%s is %s, a key "
			"in %s: a replica needs a key of its own region",
			rk->region, t->stack->id, t->id, v->text, kr);
	else
		d = dt_emit(c, t->stack, t, rk->region, dt_at(&rk->loc),
			    "the replica key for %s of table %s/%s is key "
			    "%s/%s of stack %s in %s: a replica needs a key of "
			    "its own region",
			    rk->region, t->stack->id, t->id, v->res->stack->id,
			    v->res->id, v->res->stack->id, kr);
	dt_hint(c, d,
		"use a key created in %s (a multi-Region replica key in %s "
		"has an ARN that names %s)",
		rk->region, rk->region, rk->region);
	if (v->kind == DT_VAL_RESOURCE)
		dt_relate(c, d, v->res->stack, v->res, NULL);
}

static void check_key_region(dt_check *c, const tabidx *x,
			     const drtopo_resource *t)
{
	const dt_table *tb = t->table;
	(void)x;
	for (size_t k = 0; k < tb->keys.len && !c->err; k++) {
		const dt_replica_key *rk =
			DT_VEC_PTR(tb->keys, dt_replica_key, k);
		/* The own region's entry is DRT402 (outside CloudFormation
		 * form, where it must hold a key of the own region too). */
		if (rk->region == t->stack->region && !tb->cfn_replicas)
			continue;
		const char *kr = key_region(c, &rk->key);
		if (kr && kr != rk->region)
			report_key_region(c, t, rk, kr);
	}
}

void dt_rule_replica_key_region_mismatch(dt_check *c)
{
	each_table(c, check_key_region);
}

/* ---- DRT404 replica-key-without-replica ---------------------------- */

static void check_key_without_replica(dt_check *c, const tabidx *x,
				      const drtopo_resource *t)
{
	const dt_table *tb = t->table;
	const char *own = t->stack->region;
	if (!own)
		return;
	for (size_t k = 0; k < tb->keys.len && !c->err; k++) {
		const dt_replica_key *rk =
			DT_VEC_PTR(tb->keys, dt_replica_key, k);
		if (rk->region == own || dt_map_get(&x->first, t, rk->region))
			continue;
		drtopo_diagnostic *d = dt_emit(
			c, t->stack, t, rk->region, dt_at(&rk->loc),
			"the replica key map of table %s/%s has a key for %s, "
			"which is not a replica region of the table",
			t->stack->id, t->id, rk->region);
		dt_hint(c, d,
			"add a replica in %s, or remove its entry from the "
			"replica key map (a typo in a region name shows up "
			"here and as a replica without a key)",
			rk->region);
	}
}

void dt_rule_replica_key_without_replica(dt_check *c)
{
	each_table(c, check_key_without_replica);
}

/* ---- DRT405 invalid-replica-region --------------------------------- */

static void report_repeat(dt_check *c, const tabidx *x,
			  const drtopo_resource *t, const dt_replica *rep)
{
	uintptr_t n = (uintptr_t)dt_map_get(&x->count, t, rep->region);
	drtopo_diagnostic *d =
		dt_emit(c, t->stack, t, rep->region, replica_loc(rep),
			"table %s/%s lists replica region %s %u times",
			t->stack->id, t->id, rep->region, (unsigned)n);
	dt_hint(c, d, "list each replica region once");
}

static void report_own_replica(dt_check *c, const drtopo_resource *t,
			       const dt_replica *rep)
{
	char via[256] = "";
	if (rep->via)
		snprintf(via, sizeof(via), " (by %s %s/%s)", rep->via->type,
			 rep->via->stack->id, rep->via->id);
	drtopo_diagnostic *d = dt_emit(
		c, t->stack, t, rep->region, replica_loc(rep),
		"table %s/%s in %s is given its own region %s as a replica%s: "
		"the table itself is the copy in that region",
		t->stack->id, t->id, rep->region, rep->region, via);
	dt_hint(c, d, "remove the replica in %s; list only the other regions",
		rep->region);
	if (rep->via)
		dt_relate(c, d, rep->via->stack, rep->via, NULL);
}

static void check_replica_regions(dt_check *c, const tabidx *x,
				  const drtopo_resource *t)
{
	const dt_table *tb = t->table;
	const char *own = t->stack->region;
	for (size_t i = 0; i < tb->replicas.len && !c->err; i++) {
		const dt_replica *rep = DT_VEC_PTR(tb->replicas, dt_replica, i);
		/* A repeat is reported once, at its second entry. */
		if (dt_map_get(&x->second, t, rep->region) == rep)
			report_repeat(c, x, t, rep);
		if (first_of_region(x, t, rep) && !tb->cfn_replicas && own &&
		    rep->region == own)
			report_own_replica(c, t, rep);
	}
	if (tb->cfn_replicas && own && !dt_map_get(&x->first, t, own)) {
		drtopo_diagnostic *d = dt_emit(
			c, t->stack, t, own, NULL,
			"table %s/%s gives Replicas in CloudFormation form "
			"without an entry for its own region %s",
			t->stack->id, t->id, own);
		dt_hint(c, d,
			"add a Replicas entry for %s (CloudFormation: \"The "
			"Replicas section must contain an entry for the "
			"current region\")",
			own);
	}
}

void dt_rule_invalid_replica_region(dt_check *c)
{
	each_table(c, check_replica_regions);
}

/* ---- DRT406 table-name-collision ----------------------------------- */

/* Who holds a table name in an account and region: a table (its stack's
 * region) or a replica of one (its replica region). The first holder in
 * model order owns the place; each later holder of another table is one
 * collision. Accounts compare by pointer: an unknown account matches
 * only an unknown one. Two stacks of unknown account share the deploy's
 * default account (the seed's stacks all do), while a known and an
 * unknown account are not known to be the same. */
typedef struct holder {
	const drtopo_resource *table;
	const char *region;
	const dt_replica *replica; /* NULL: the table itself */
} holder;

typedef struct holders {
	dt_check *c;
	dt_pairs keys;
	dt_map first; /* (name, (account, region)) -> holder index */
	dt_vec list;  /* holder */
} holders;

static void describe(char *buf, size_t n, const holder *h)
{
	const drtopo_resource *t = h->table;
	if (h->replica)
		snprintf(buf, n, "the %s replica of table %s/%s", h->region,
			 t->stack->id, t->id);
	else
		snprintf(buf, n, "table %s/%s", t->stack->id, t->id);
}

static void report_collision(dt_check *c, const holder *a, const holder *b)
{
	const drtopo_resource *t = b->table;
	char first[512], second[512];
	describe(first, sizeof(first), a);
	describe(second, sizeof(second), b);
	const dt_loc *loc = NULL;
	if (b->replica)
		loc = replica_loc(b->replica);
	drtopo_diagnostic *d = dt_emit(
		c, t->stack, t, b->region, loc,
		"table name '%s' is held twice in account %s, region %s: by %s "
		"and by %s",
		t->physical_name, dt_or(t->stack->account, "unknown"),
		dt_or(b->region, "unknown"), first, second);
	dt_hint(c, d,
		"give one of them another name, or use the global table's "
		"replica in %s instead of a table of its own (DynamoDB "
		"refuses a replica where a table of that name exists)",
		dt_or(b->region, "that region"));
	dt_relate(c, d, a->table->stack, a->table, a->region);
}

static void hold(holders *x, const drtopo_resource *t, const char *region,
		 const dt_replica *rep)
{
	dt_check *c = x->c;
	const void *env = dt_pair(&x->keys, t->stack->account, region);
	holder *h = env ? dt_vec_push(&x->list, sizeof(*h)) : NULL;
	uint32_t i = (uint32_t)x->list.len - 1;
	uint32_t f =
		h ? dt_first_put(&x->first, t->physical_name, env, i) : DT_NONE;
	if (f == DT_NONE) {
		c->err = DRTOPO_ENOMEM;
		return;
	}
	h->table = t;
	h->region = region;
	h->replica = rep;
	const holder *owner = DT_VEC_PTR(x->list, holder, f);
	if (owner->table != t)
		report_collision(c, owner, h);
}

static void hold_table(holders *x, const drtopo_resource *t)
{
	const char *own = t->stack->region;
	hold(x, t, own, NULL);
	if (!t->table)
		return;
	/* The own region's Replicas entry (CloudFormation form) is the
	 * table itself; a repeated replica region is DRT405's. */
	for (size_t i = 0; i < t->table->replicas.len && !x->c->err; i++) {
		const dt_replica *rep =
			DT_VEC_PTR(t->table->replicas, dt_replica, i);
		if (rep->region != own)
			hold(x, t, rep->region, rep);
	}
}

void dt_rule_table_name_collision(dt_check *c)
{
	const drtopo_model *m = c->m;
	const char *plain = dt_known(m, "AWS::DynamoDB::Table");
	const char *global = dt_known(m, "AWS::DynamoDB::GlobalTable");
	if (!plain && !global)
		return;
	holders x = {0};
	x.c = c;
	dt_pairs_init(&x.keys, &c->r->arena);
	dt_map_init(&x.first);
	for (size_t s = 0; s < m->stacks.len && !c->err; s++) {
		const drtopo_stack *st =
			DT_VEC_AT(m->stacks, drtopo_stack *, s);
		for (size_t i = 0; i < st->resources.len && !c->err; i++) {
			const drtopo_resource *r =
				DT_VEC_AT(st->resources, drtopo_resource *, i);
			if (r->physical_name &&
			    (r->type == plain || r->type == global))
				hold_table(&x, r);
		}
	}
	dt_pairs_free(&x.keys);
	dt_map_free(&x.first);
	dt_vec_free(&x.list);
}

/* ---- DRT407 replica-key-not-ordered -------------------------------- */

/* A replica key that is a resource of another stack must exist before
 * the table's replica is created: the table's stack needs a declared
 * dependency path to the key's stack (the replica-key edge itself is
 * not one that the deploy tool enforces). A key given as literal text
 * (key ARN, alias ARN, alias/NAME, key id) is followed to the alias or
 * key of the model that it names (dt_repl_key_targets(), the index of
 * the replication rules). One question per (table, key stack) pair, all
 * in one dt_reach_batch(). */
typedef struct key_query {
	const drtopo_resource *table;
	const dt_replica_key *key;
	const drtopo_resource *res; /* the key (or alias) resource */
} key_query;

static int collect_keys(dt_check *c, dt_vec *qs)
{
	const drtopo_model *m = c->m;
	dt_map pairs, named;
	dt_map_init(&pairs);
	dt_map_init(&named);
	int rc = dt_repl_key_targets(c, &named);
	for (size_t i = 0; i < m->tables.len && !rc; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(m->tables, drtopo_resource *, i);
		for (size_t k = 0; k < t->table->keys.len && !rc; k++) {
			const dt_replica_key *rk =
				DT_VEC_PTR(t->table->keys, dt_replica_key, k);
			const drtopo_resource *key =
				rk->key.kind == DT_VAL_RESOURCE ? rk->key.res
				: rk->key.kind == DT_VAL_TEXT
					? dt_map_get(&named, rk, NULL)
					: NULL;
			if (!key || key->stack == t->stack)
				continue;
			void **slot = dt_map_slot_for(&pairs, t, key->stack);
			if (!slot) {
				rc = DRTOPO_ENOMEM;
				break;
			}
			if (*slot)
				continue;
			*slot = (void *)rk;
			key_query *q = dt_vec_push(qs, sizeof(*q));
			if (!q)
				rc = DRTOPO_ENOMEM;
			else
				q->table = t, q->key = rk, q->res = key;
		}
	}
	dt_map_free(&pairs);
	dt_map_free(&named);
	return rc;
}

static void report_unordered(dt_check *c, const key_query *q)
{
	const drtopo_resource *t = q->table, *key = q->res;
	const drtopo_stack *s = t->stack, *k = key->stack;
	drtopo_diagnostic *d;
	if (q->key->key.kind == DT_VAL_TEXT)
		d = dt_emit(c, s, t, q->key->region, dt_at(&q->key->loc),
			    "the replica key for %s of table %s/%s is %s, "
			    "which names %s %s/%s of stack %s, but %s has no "
			    "dependency path to %s: the replica may be "
			    "created before its key exists",
			    q->key->region, s->id, t->id, q->key->key.text,
			    key->type, k->id, key->id, k->id, s->id, k->id);
	else
		d = dt_emit(c, s, t, q->key->region, dt_at(&q->key->loc),
			    "the replica key for %s of table %s/%s is key "
			    "%s/%s of stack %s, but %s has no dependency path "
			    "to %s: the replica may be created before its key "
			    "exists",
			    q->key->region, s->id, t->id, k->id, key->id, k->id,
			    s->id, k->id);
	dt_hint(c, d,
		"add a dependency %s -> %s (CDK: %s.addDependency(%s)); a "
		"replica key alone does not order the deploy",
		s->id, k->id, s->id, k->id);
	dt_relate(c, d, k, key, NULL);
}

void dt_rule_replica_key_not_ordered(dt_check *c)
{
	dt_vec qs = DT_VEC_INIT;
	uint32_t *from = NULL, *to = NULL;
	uint8_t *ans = NULL;
	if (collect_keys(c, &qs))
		c->err = DRTOPO_ENOMEM;
	size_t n = qs.len;
	if (!c->err && n) {
		from = dt_malloc(n * sizeof(*from));
		to = dt_malloc(n * sizeof(*to));
		ans = dt_malloc(n);
		if (!from || !to || !ans)
			c->err = DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < n && !c->err; i++) {
		const key_query *q = DT_VEC_PTR(qs, key_query, i);
		from[i] = q->table->stack->index;
		to[i] = q->res->stack->index;
	}
	if (!c->err && n)
		c->err = dt_reach_batch(c->r, from, to, n, ans);
	for (size_t i = 0; i < n && !c->err; i++)
		if (!ans[i])
			report_unordered(c, DT_VEC_PTR(qs, key_query, i));
	dt_vec_free(&qs);
	dt_free(from);
	dt_free(to);
	dt_free(ans);
}
