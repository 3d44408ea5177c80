/*
 * Shared indexes and helpers of the rule families (lib/rules/<family>.c).
 *
 * Every rule must stay linear or near-linear in the size of the model:
 * questions like "who else writes this name in this account and region"
 * are answered by hash lookups on interned pointers, never by scanning
 * pairs. The helpers here build those indexes. All of them report out of
 * memory by returning non-zero (or NULL); the caller records it in c->err.
 */
#ifndef DT_RULES_H
#define DT_RULES_H

#include <string.h>

#include "resolve.h"

#define DT_NONE UINT32_MAX

/* Text for a possibly unknown value in a message. */
static inline const char *dt_or(const char *s, const char *unknown)
{
	return s ? s : unknown;
}

/* The location of a link, or NULL when it has none (API-built links), so
 * that dt_emit() falls back to the resource's or the stack's own. */
static inline const dt_loc *dt_at(const dt_loc *l)
{
	return l && l->file ? l : NULL;
}

/* The interned copy of a constant (a resource type), or NULL when no
 * object of the model uses that text: then no pointer can be equal. */
static inline const char *dt_known(const drtopo_model *m, const char *s)
{
	return dt_intern_lookup(&m->strs, s, strlen(s));
}

/* ---- pair tokens ---------------------------------------------------
 * One address per pair of possibly NULL pointers, so that a three-part
 * key (name, account, region) fits a dt_map as (name, token). NULL parts
 * map to a tag of their own (a dt_map key may not be (NULL, NULL)), and
 * DT_ANY(p) is a third tag that callers use as a wildcard pattern. */
typedef struct dt_pairs {
	dt_map map;
	dt_arena *arena;
	char null_tag, any_tag;
} dt_pairs;

#define DT_ANY(p) ((const void *)&(p)->any_tag)

static inline void dt_pairs_init(dt_pairs *p, dt_arena *arena)
{
	dt_map_init(&p->map);
	p->arena = arena;
}

static inline void dt_pairs_free(dt_pairs *p)
{
	dt_map_free(&p->map);
}

static inline const void *dt_pair_tag(const dt_pairs *p, const void *x)
{
	return x ? x : (const void *)&p->null_tag;
}

/* The token of (a, b): created on first use; NULL on out of memory. */
static inline const void *dt_pair(dt_pairs *p, const void *a, const void *b)
{
	void **slot =
		dt_map_slot_for(&p->map, dt_pair_tag(p, a), dt_pair_tag(p, b));
	if (slot && !*slot)
		*slot = dt_arena_alloc(p->arena, 1);
	return slot ? *slot : NULL;
}

/* The token of (a, b) if it exists: never allocates. */
static inline const void *dt_pair_find(const dt_pairs *p, const void *a,
				       const void *b)
{
	return dt_map_get(&p->map, dt_pair_tag(p, a), dt_pair_tag(p, b));
}

/* ---- first-index maps ---------------------------------------------
 * key -> index of the first item (in model order) with that key. */
static inline uint32_t dt_first_get(const dt_map *m, const void *a,
				    const void *b)
{
	uintptr_t v = (uintptr_t)dt_map_get(m, a, b);
	return v ? (uint32_t)(v - 1) : DT_NONE;
}

/* Record i under the key unless an earlier item holds it. Returns the
 * first index (i itself when new), or DT_NONE on out of memory. */
static inline uint32_t dt_first_put(dt_map *m, const void *a, const void *b,
				    uint32_t i)
{
	void **slot = dt_map_slot_for(m, a, b);
	if (!slot)
		return DT_NONE;
	if (!*slot)
		*slot = (void *)(uintptr_t)((uintptr_t)i + 1);
	return (uint32_t)((uintptr_t)*slot - 1);
}

/* ---- named items by environment -----------------------------------
 * Items (exports, parameter writes) by name and environment, answering
 * "the first item of this name whose environment may be X's" with at most
 * four lookups. An unknown (NULL) account or region is a value of its
 * own, and a loose match lets unknown match anything: each item is
 * filed under its exact (account, region) and, per loose dimension,
 * under the wildcard too. */
enum { DT_LOOSE_ACCOUNT = 1, DT_LOOSE_REGION = 2 };

typedef struct dt_envidx {
	dt_pairs envs;
	dt_map first; /* (name, env pattern token) -> first index */
	int loose;    /* which loose queries the index supports */
} dt_envidx;

static inline void dt_envidx_init(dt_envidx *x, dt_arena *arena, int loose)
{
	dt_pairs_init(&x->envs, arena);
	dt_map_init(&x->first);
	x->loose = loose;
}

static inline void dt_envidx_free(dt_envidx *x)
{
	dt_pairs_free(&x->envs);
	dt_map_free(&x->first);
}

static inline int dt_envidx_file(dt_envidx *x, const char *name,
				 const void *acc, const void *reg, uint32_t i)
{
	const void *env = dt_pair(&x->envs, acc, reg);
	return !env || dt_first_put(&x->first, name, env, i) == DT_NONE;
}

/* File item i (call in model order). 0 or non-zero on out of memory. */
static inline int dt_envidx_add(dt_envidx *x, const char *name,
				const char *account, const char *region,
				uint32_t i)
{
	const void *any = DT_ANY(&x->envs);
	int err = dt_envidx_file(x, name, account, region, i) ||
		  dt_envidx_file(x, name, any, any, i);
	if (x->loose & DT_LOOSE_ACCOUNT)
		err = err || dt_envidx_file(x, name, any, region, i);
	if (x->loose & DT_LOOSE_REGION)
		err = err || dt_envidx_file(x, name, account, any, i);
	return err;
}

static inline uint32_t dt_envidx_probe(const dt_envidx *x, const char *name,
				       const void *acc, const void *reg)
{
	const void *env = dt_pair_find(&x->envs, acc, reg);
	return env ? dt_first_get(&x->first, name, env) : DT_NONE;
}

/* The patterns that a value may match: itself and unknown, or (when it
 * is unknown) anything. Returns how many were written to out[]. */
static inline int dt_envidx_pats(const dt_envidx *x, const char *v, int loose,
				 const void *out[2])
{
	if (!loose) {
		out[0] = v;
		return 1;
	}
	if (!v) {
		out[0] = DT_ANY(&x->envs);
		return 1;
	}
	out[0] = v;
	out[1] = NULL;
	return 2;
}

/* The first item named `name` in (account, region), matching unknown
 * parts loosely as `loose` asks; DT_NONE if none. */
static inline uint32_t dt_envidx_find(const dt_envidx *x, const char *name,
				      const char *account, const char *region,
				      int loose)
{
	const void *accs[2], *regs[2];
	int na = dt_envidx_pats(x, account, loose & DT_LOOSE_ACCOUNT, accs);
	int nr = dt_envidx_pats(x, region, loose & DT_LOOSE_REGION, regs);
	uint32_t best = DT_NONE;
	for (int a = 0; a < na; a++) {
		for (int r = 0; r < nr; r++) {
			uint32_t i = dt_envidx_probe(x, name, accs[a], regs[r]);
			if (i < best)
				best = i;
		}
	}
	return best;
}

/* The first item of that name anywhere. */
static inline uint32_t dt_envidx_anywhere(const dt_envidx *x, const char *name)
{
	const void *any = DT_ANY(&x->envs);
	return dt_envidx_probe(x, name, any, any);
}

/* ---- groups of same-named items ------------------------------------
 * Items by (name, account, region) with exact matching (an unknown part
 * groups with unknown ones only), counting the distinct stacks of each
 * group: "two stacks write NAME in one place" is answered once per group
 * with the first two items and a count, in time linear in the items. */
typedef struct dt_dup {
	uint32_t first,
		second; /* item indexes; second: first of another stack */
	uint32_t nstacks;
} dt_dup;

typedef struct dt_dups {
	dt_pairs keys;
	dt_map seen; /* (group token, stack) */
	dt_vec list; /* dt_dup, in order of their first item */
} dt_dups;

static inline void dt_dups_init(dt_dups *d, dt_arena *arena)
{
	dt_pairs_init(&d->keys, arena);
	dt_map_init(&d->seen);
	d->list = (dt_vec)DT_VEC_INIT;
}

static inline void dt_dups_free(dt_dups *d)
{
	dt_pairs_free(&d->keys);
	dt_map_free(&d->seen);
	dt_vec_free(&d->list);
}

/* Add item i (call in model order). 0 or non-zero on out of memory. */
static inline int dt_dups_add(dt_dups *d, const char *name, const char *account,
			      const char *region, const drtopo_stack *s,
			      uint32_t i)
{
	const void *env = dt_pair(&d->keys, account, region);
	const void *group = env ? dt_pair(&d->keys, name, env) : NULL;
	void **slot = group ? dt_map_slot_for(&d->seen, group, NULL) : NULL;
	if (!slot)
		return DRTOPO_ENOMEM;
	if (!*slot) {
		dt_dup *g = dt_vec_push(&d->list, sizeof(*g));
		if (!g)
			return DRTOPO_ENOMEM;
		g->first = i;
		g->second = DT_NONE;
		*slot = (void *)(uintptr_t)d->list.len;
	}
	dt_dup *g = DT_VEC_PTR(d->list, dt_dup, (uintptr_t)*slot - 1);
	void **st = dt_map_slot_for(&d->seen, group, s);
	if (!st)
		return DRTOPO_ENOMEM;
	if (*st)
		return 0;
	*st = (void *)s;
	if (g->nstacks++ == 1)
		g->second = i;
	return 0;
}

/* ---- names declared external ---------------------------------------
 * The same answers as dt_is_external(), in O(1) per question: a
 * declaration without a region covers every region, and a question
 * without a region (unknown) is covered by any declaration of the name. */
typedef struct dt_externals {
	dt_map map;
	char any, all;
} dt_externals;

static inline int dt_externals_build(dt_externals *x, const drtopo_model *m)
{
	dt_map_init(&x->map);
	for (size_t i = 0; i < m->externals.len; i++) {
		const dt_external *e = DT_VEC_PTR(m->externals, dt_external, i);
		const void *reg = e->region ? (const void *)e->region : &x->any;
		if (dt_map_put(&x->map, e->name, reg, &x->any) ||
		    dt_map_put(&x->map, e->name, &x->all, &x->all))
			return DRTOPO_ENOMEM;
	}
	return 0;
}

static inline int dt_externals_has(const dt_externals *x, const char *name,
				   const char *region)
{
	if (!region)
		return dt_map_get(&x->map, name, &x->all) != NULL;
	return dt_map_get(&x->map, name, region) ||
	       dt_map_get(&x->map, name, &x->any);
}

/* ---- replication targets (lib/rules/repl.c) ------------------------ */
typedef void (*dt_repl_target_fn)(void *arg, const drtopo_replication *p,
				  const drtopo_resource *target,
				  const char *text);
int dt_repl_each_target(drtopo_result *r, dt_repl_target_fn fn, void *arg);
int dt_repl_key_targets(dt_check *c, dt_map *out);

#endif /* DT_RULES_H */
