/*
 * The resolver: stack graph, strongly connected components, cycles,
 * waves and declared-dependency reachability.
 *
 * Complexity: collecting edges is linear in links (imports and parameter
 * reads go through hash indexes, never pairwise scans); sorting the edges
 * is O(E log E); Tarjan, waves and cycle paths are O(V + E). The only
 * super-linear part is reachability, O((V + E) * ceil(T / 64)) for T
 * distinct query targets that neither the wave filter nor a direct
 * dependency answers (in CDK apps, none: every carrier comes with one).
 */
#include <stdlib.h>
#include <string.h>

#include "posture.h"

#define NONE UINT32_MAX

/* ---- edge collection ----------------------------------------------- */

typedef struct collect {
	drtopo_result *r;
	drtopo_model *m;
	dt_vec edges; /* dt_edge */
	int err;
} collect;

static void add_edge2(collect *c, const drtopo_stack *from,
		      const drtopo_stack *to, int kind, const char *via,
		      const char *via2)
{
	if (c->err)
		return;
	dt_edge *e = dt_vec_push(&c->edges, sizeof(*e));
	if (!e) {
		c->err = DRTOPO_ENOMEM;
		return;
	}
	e->from = from->index;
	e->to = to->index;
	e->kind = (uint8_t)kind;
	e->via = via;
	e->via2 = via2;
}

static void add_edge(collect *c, const drtopo_stack *from,
		     const drtopo_stack *to, int kind, const char *via)
{
	add_edge2(c, from, to, kind, via, NULL);
}

static int accounts_compatible(const drtopo_stack *a, const drtopo_stack *b)
{
	return !a->account || !b->account || a->account == b->account;
}

int dt_same_env(const drtopo_stack *a, const drtopo_stack *b)
{
	return a->account == b->account && a->region == b->region;
}

int dt_env_agnostic(const drtopo_stack *s)
{
	return !s->account || !s->region;
}

/* Chains of same-keyed items: head index per key in a map, next[] links. */
typedef struct chains {
	dt_map heads; /* key -> (uintptr_t)(index + 1) */
	uint32_t *next;
} chains;

static int chains_build(chains *ch, size_t n,
			const void *(*key_a)(size_t, void *),
			const void *(*key_b)(size_t, void *), void *ctx)
{
	dt_map_init(&ch->heads);
	ch->next = dt_malloc((n ? n : 1) * sizeof(uint32_t));
	if (!ch->next || dt_map_reserve(&ch->heads, n))
		return DRTOPO_ENOMEM;
	/* Walk backwards so that each chain lists items in insertion order. */
	for (size_t i = n; i-- > 0;) {
		void **slot = dt_map_slot_for(&ch->heads, key_a(i, ctx),
					      key_b ? key_b(i, ctx) : NULL);
		if (!slot)
			return DRTOPO_ENOMEM;
		uintptr_t head = (uintptr_t)*slot;
		ch->next[i] = head ? (uint32_t)(head - 1) : NONE;
		*slot = (void *)(uintptr_t)(i + 1);
	}
	return 0;
}

static uint32_t chains_first(const chains *ch, const void *a, const void *b)
{
	uintptr_t head = (uintptr_t)dt_map_get(&ch->heads, a, b);
	return head ? (uint32_t)(head - 1) : NONE;
}

static void chains_free(chains *ch)
{
	dt_map_free(&ch->heads);
	dt_free(ch->next);
	ch->next = NULL;
}

static const void *export_name(size_t i, void *ctx)
{
	return DT_VEC_PTR(((drtopo_model *)ctx)->exports, dt_export, i)->name;
}

static const void *param_name(size_t i, void *ctx)
{
	return DT_VEC_AT(((drtopo_model *)ctx)->params, drtopo_param *, i)
		->name;
}

static const void *param_region(size_t i, void *ctx)
{
	const drtopo_param *p =
		DT_VEC_AT(((drtopo_model *)ctx)->params, drtopo_param *, i);
	/* Env-agnostic stacks share one unknown place (see DRT103): key
	 * their accesses by the model itself. */
	return p->region ? (const void *)p->region : ctx;
}

static const void *export_region(size_t i, void *ctx)
{
	return DT_VEC_PTR(((drtopo_model *)ctx)->exports, dt_export, i)
		->stack->region;
}

/* The first export of a (name, region) chain from the account `acct`:
 * memoized per (chain, account), so that the exports of other accounts
 * ahead of it are walked once, not once per import. */
static uint32_t first_exporter(const chains *ch, dt_map *memo,
			       const drtopo_model *m, uint32_t j,
			       const char *acct)
{
	if (j == NONE)
		return j;
	void **slot = dt_map_slot_for(
		memo, DT_VEC_PTR(m->exports, dt_export, j), acct);
	if (slot && *slot)
		return (uint32_t)((uintptr_t)*slot - 1);
	for (; j != NONE; j = ch->next[j])
		if (DT_VEC_PTR(m->exports, dt_export, j)->stack->account ==
		    acct)
			break;
	if (slot)
		*slot = (void *)((uintptr_t)j + 1);
	return j;
}

/* An import of NAME depends on the first stack (in model order) that
 * exports NAME in the importer's account and region. Several exporters
 * there are DRT205, and CloudFormation keeps only one export of a name:
 * depending on the first keeps the work linear when a hostile model has
 * thousands of each (an edge to every one would be their product). */
static void collect_imports(collect *c)
{
	drtopo_model *m = c->m;
	if (!m->imports.len)
		return;
	chains ch;
	dt_map memo;
	dt_map_init(&memo);
	if (chains_build(&ch, m->exports.len, export_name, export_region, m)) {
		c->err = DRTOPO_ENOMEM;
		chains_free(&ch);
		return;
	}
	for (size_t i = 0; i < m->imports.len && !c->err; i++) {
		const dt_import *imp = DT_VEC_PTR(m->imports, dt_import, i);
		const drtopo_stack *s = imp->stack;
		uint32_t j = first_exporter(
			&ch, &memo, m, chains_first(&ch, imp->name, s->region),
			s->account);
		const dt_export *e =
			j != NONE ? DT_VEC_PTR(m->exports, dt_export, j) : NULL;
		if (e && e->stack != s)
			add_edge(c, s, e->stack, DRTOPO_EDGE_EXPORT, imp->name);
	}
	dt_map_free(&memo);
	chains_free(&ch);
}

/* Reads are chained under a key of their own, so that a read's walk meets
 * only writes: 100,000 readers of one name stay linear. */
static const void *param_write_region(size_t i, void *ctx)
{
	drtopo_model *m = ctx;
	const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
	return p->kind == DRTOPO_PARAM_WRITE ? param_region(i, ctx)
					     : (const void *)&m->params;
}

/* The first write of a chain that a reader of this account may read:
 * memoized per (chain, account), so that writers of other accounts ahead
 * of the match are walked once, not once per reader. */
static uint32_t first_writer(const chains *ch, dt_map *memo,
			     const drtopo_model *m, uint32_t j,
			     const drtopo_stack *rd)
{
	if (j == NONE || !rd->account)
		return j;
	void **slot = dt_map_slot_for(
		memo, DT_VEC_AT(m->params, drtopo_param *, j), rd->account);
	if (slot && *slot)
		return (uint32_t)((uintptr_t)*slot - 1);
	for (; j != NONE; j = ch->next[j])
		if (accounts_compatible(
			    DT_VEC_AT(m->params, drtopo_param *, j)->stack, rd))
			break;
	if (slot)
		*slot = (void *)((uintptr_t)j + 1);
	return j;
}

/* A read of NAME in region R depends on the first stack (in model order)
 * that writes NAME into R in a compatible account. Several writers of one
 * name in one place are DRT304; depending on the first keeps the work
 * linear when a hostile model has thousands. */
static void collect_params(collect *c)
{
	drtopo_model *m = c->m;
	size_t n = m->params.len;
	if (!n)
		return;
	chains ch;
	dt_map memo;
	dt_map_init(&memo);
	if (chains_build(&ch, n, param_name, param_write_region, m)) {
		c->err = DRTOPO_ENOMEM;
		chains_free(&ch);
		return;
	}
	for (size_t i = 0; i < n && !c->err; i++) {
		const drtopo_param *rd =
			DT_VEC_AT(m->params, drtopo_param *, i);
		if (rd->kind != DRTOPO_PARAM_READ)
			continue;
		uint32_t j = first_writer(
			&ch, &memo, m,
			chains_first(&ch, rd->name, param_region(i, m)),
			rd->stack);
		const drtopo_param *w =
			j != NONE ? DT_VEC_AT(m->params, drtopo_param *, j)
				  : NULL;
		if (w && w->stack != rd->stack)
			add_edge(c, rd->stack, w->stack, DRTOPO_EDGE_PARAMETER,
				 rd->name);
	}
	dt_map_free(&memo);
	chains_free(&ch);
}

/* A NULL (unknown) side matches anything. */
static int env_match(const char *a, const char *b)
{
	return !a || !b || a == b;
}

static const void *stack_name_key(size_t i, void *ctx)
{
	const drtopo_stack *s =
		DT_VEC_AT(((drtopo_model *)ctx)->stacks, drtopo_stack *, i);
	return s->stack_name ? s->stack_name : s->id;
}

/* A stack-output read names a CloudFormation stack name (or a stack id
 * where no name is set) in a region and an account: the reader's own
 * unless the read says otherwise. Stack names are unique per account and
 * region only, so one name is often deployed in several regions: the
 * producer is the first stack in model order with that name in the read's
 * region and account, then the stack with that id there. Recorded in
 * r->output_to for the rules. */
static void collect_outputs(collect *c)
{
	drtopo_model *m = c->m;
	drtopo_result *r = c->r;
	if (!m->outputs.len)
		return;
	chains ch;
	r->output_to =
		dt_arena_alloc(&r->arena, m->outputs.len * sizeof(uint32_t));
	if (!r->output_to ||
	    chains_build(&ch, m->stacks.len, stack_name_key, NULL, m)) {
		c->err = DRTOPO_ENOMEM;
		if (r->output_to)
			chains_free(&ch);
		return;
	}
	for (size_t i = 0; i < m->outputs.len; i++) {
		const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, i);
		const char *region = o->region ? o->region : o->stack->region;
		const char *account =
			o->account ? o->account : o->stack->account;
		drtopo_stack *p = NULL;
		for (uint32_t j = chains_first(&ch, o->producer, NULL);
		     j != NONE && !p; j = ch.next[j]) {
			drtopo_stack *s =
				DT_VEC_AT(m->stacks, drtopo_stack *, j);
			if (env_match(s->region, region) &&
			    env_match(s->account, account))
				p = s;
		}
		if (!p) {
			p = dt_map_get(&m->stack_ids, o->producer, NULL);
			if (p && !(env_match(p->region, region) &&
				   env_match(p->account, account)))
				p = NULL;
		}
		r->output_to[i] = p ? p->index : NONE;
		if (p && p != o->stack)
			add_edge(c, o->stack, p, DRTOPO_EDGE_STACK_OUTPUT,
				 o->name);
	}
	chains_free(&ch);
}

drtopo_stack *dt_output_read_producer(const drtopo_result *r, size_t i)
{
	if (!r->output_to || i >= r->model->outputs.len ||
	    r->output_to[i] == NONE)
		return NULL;
	return DT_VEC_AT(r->model->stacks, drtopo_stack *, r->output_to[i]);
}

static void collect_tables(collect *c)
{
	drtopo_model *m = c->m;
	for (size_t i = 0; i < m->tables.len; i++) {
		const drtopo_resource *t =
			DT_VEC_AT(m->tables, drtopo_resource *, i);
		const dt_table *tb = t->table;
		if (tb->cmk.kind == DT_VAL_RESOURCE && tb->cmk.res &&
		    tb->cmk.res->stack != t->stack)
			add_edge(c, t->stack, tb->cmk.res->stack,
				 DRTOPO_EDGE_REFERENCE, tb->cmk.res->id);
		for (size_t k = 0; k < tb->keys.len; k++) {
			const dt_replica_key *rk =
				DT_VEC_PTR(tb->keys, dt_replica_key, k);
			if (rk->key.kind == DT_VAL_RESOURCE && rk->key.res &&
			    rk->key.res->stack != t->stack)
				add_edge(c, t->stack, rk->key.res->stack,
					 DRTOPO_EDGE_REPLICA_KEY,
					 rk->key.res->id);
		}
	}
}

static int collect_edges(collect *c)
{
	drtopo_model *m = c->m;
	for (size_t i = 0; i < m->deps.len; i++) {
		const dt_dep *d = DT_VEC_PTR(m->deps, dt_dep, i);
		if (d->to)
			add_edge(c, d->from, d->to, DRTOPO_EDGE_EXPLICIT, NULL);
	}
	for (size_t i = 0; i < m->refs.len; i++) {
		const dt_ref *ref = DT_VEC_PTR(m->refs, dt_ref, i);
		if (!ref->producer ||
		    ref->producer->stack == ref->consumer->stack)
			continue;
		add_edge2(c, ref->consumer->stack, ref->producer->stack,
			  DRTOPO_EDGE_REFERENCE, ref->producer->id, ref->attr);
	}
	collect_imports(c);
	collect_params(c);
	collect_outputs(c);
	collect_tables(c);
	return c->err;
}

/* ---- sorting and the ordering graph -------------------------------- */

/* A stack with the head of its id (dt_str_head()): sorting these
 * compares numbers in one array and reads an id only when two share 8
 * bytes, where sorting the stacks themselves would chase a pointer to
 * each id at every comparison. */
typedef struct id_key {
	uint64_t head;
	drtopo_stack *s;
} id_key;

static int id_key_cmp(const void *pa, const void *pb)
{
	const id_key *a = pa, *b = pb;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	/* the same first 8 bytes: a NUL among them ends both ids */
	return (a->head & 0xff) ? strcmp(a->s->id + 8, b->s->id + 8) : 0;
}

/* Sort the n stacks of v by id. 0 or DRTOPO_ENOMEM. */
static int sort_by_id(drtopo_stack **v, uint32_t n)
{
	id_key *k = dt_malloc((n ? n : 1) * sizeof(*k));
	if (!k)
		return DRTOPO_ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		k[i].head = dt_str_head(v[i]->id);
		k[i].s = v[i];
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), id_key_cmp);
	for (uint32_t i = 0; i < n; i++)
		v[i] = k[i].s;
	dt_free(k);
	return 0;
}

/* The bytes of a carrier's public text "via.via2" (or "via"), one at a
 * time, without building it; 0 at the end. */
typedef struct via_text {
	const char *p, *tail;
} via_text;

static int via_next(via_text *t)
{
	if (*t->p)
		return (unsigned char)*t->p++;
	if (t->tail) {
		t->p = t->tail;
		t->tail = NULL;
		return '.';
	}
	return 0;
}

/* Order inside a run of edges between one pair of stacks: kind, then the
 * carrier as the text users see ("Key-2.Arn" < "Key.Arn"), then its parts
 * (only ids containing '.' can tie on the text). */
static int edge_carrier_cmp(const void *pa, const void *pb)
{
	const dt_edge *a = pa, *b = pb;
	int k;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (!a->via || !b->via)
		return dt_strcmp0(a->via, b->via);
	via_text x = {a->via, a->via2}, y = {b->via, b->via2};
	for (;;) {
		int cx = via_next(&x), cy = via_next(&y);
		if (cx != cy)
			return cx < cy ? -1 : 1;
		if (!cx)
			break;
	}
	if ((k = dt_strcmp0(a->via, b->via)) != 0)
		return k;
	return dt_strcmp0(a->via2, b->via2);
}

/* Stable counting sort of src into dst by rank[to] or rank[from]. */
static void counting_pass(const dt_edge *src, dt_edge *dst, size_t n,
			  const uint32_t *rank, uint32_t *count, uint32_t nv,
			  int by_from)
{
	memset(count, 0, ((size_t)nv + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		count[rank[by_from ? src[i].from : src[i].to] + 1]++;
	for (uint32_t v = 0; v < nv; v++)
		count[v + 1] += count[v];
	for (size_t i = 0; i < n; i++)
		dst[count[rank[by_from ? src[i].from : src[i].to]]++] = src[i];
}

/* Sort by (rank[from], rank[to], kind, via, via2): two stable counting
 * passes, O(E + V), then each run of edges between the same two stacks is
 * ordered by carrier (short runs by insertion, long ones by qsort). A
 * comparison sort of millions of edges would cost more than the rest of
 * the resolution together. */
static int sort_edges(dt_edge *e, size_t n, const uint32_t *rank, uint32_t nv)
{
	if (n < 2)
		return 0;
	dt_edge *tmp = dt_malloc(n * sizeof(*tmp));
	uint32_t *count = dt_malloc(((size_t)nv + 1) * sizeof(uint32_t));
	if (!tmp || !count) {
		dt_free(tmp);
		dt_free(count);
		return DRTOPO_ENOMEM;
	}
	counting_pass(e, tmp, n, rank, count, nv, 0);
	counting_pass(tmp, e, n, rank, count, nv, 1);
	dt_free(tmp);
	dt_free(count);
	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		while (hi < n && e[hi].from == e[lo].from &&
		       e[hi].to == e[lo].to)
			hi++;
		if (hi - lo > 24) {
			qsort(e + lo, hi - lo, sizeof(*e), edge_carrier_cmp);
		} else {
			for (size_t i = lo + 1; i < hi; i++) {
				dt_edge x = e[i];
				size_t j = i;
				while (j > lo &&
				       edge_carrier_cmp(&x, &e[j - 1]) < 0) {
					e[j] = e[j - 1];
					j--;
				}
				e[j] = x;
			}
		}
		lo = hi;
	}
	return 0;
}

/* CSR over distinct (from, to) pairs of edges that pass `keep`. */
typedef struct csr {
	uint32_t *off, *adj, *first_edge;
} csr;

static int build_csr(drtopo_result *r, int enforced_only, csr *g)
{
	uint32_t n = r->nstacks;
	size_t cnt = 0;
	g->off = dt_arena_calloc(&r->arena, ((size_t)n + 1) * sizeof(uint32_t));
	if (!g->off)
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < r->nedges; i++) {
		const dt_edge *e = &r->edges[i];
		if (enforced_only && e->kind != DRTOPO_EDGE_EXPLICIT &&
		    e->kind != DRTOPO_EDGE_REFERENCE &&
		    e->kind != DRTOPO_EDGE_EXPORT)
			continue;
		g->off[e->from + 1]++;
		cnt++;
	}
	for (uint32_t s = 0; s < n; s++)
		g->off[s + 1] += g->off[s];
	g->adj = dt_arena_alloc(&r->arena, (cnt ? cnt : 1) * sizeof(uint32_t));
	g->first_edge =
		dt_arena_alloc(&r->arena, (cnt ? cnt : 1) * sizeof(uint32_t));
	uint32_t *fill = dt_malloc(((size_t)n + 1) * sizeof(uint32_t));
	if (!g->adj || !g->first_edge || !fill) {
		dt_free(fill);
		return DRTOPO_ENOMEM;
	}
	memcpy(fill, g->off, ((size_t)n + 1) * sizeof(uint32_t));
	/* Edges are sorted by (from, to): drop repeated pairs. */
	for (size_t i = 0; i < r->nedges; i++) {
		const dt_edge *e = &r->edges[i];
		if (enforced_only && e->kind != DRTOPO_EDGE_EXPLICIT &&
		    e->kind != DRTOPO_EDGE_REFERENCE &&
		    e->kind != DRTOPO_EDGE_EXPORT)
			continue;
		uint32_t at = fill[e->from];
		if (at > g->off[e->from] && g->adj[at - 1] == e->to)
			continue;
		g->adj[at] = e->to;
		g->first_edge[at] = (uint32_t)i;
		fill[e->from]++;
	}
	/* Compact: rewrite off[] to the filled extents. */
	uint32_t w = 0;
	for (uint32_t s = 0; s < n; s++) {
		uint32_t b = g->off[s], e = fill[s];
		g->off[s] = w;
		for (uint32_t k = b; k < e; k++, w++) {
			g->adj[w] = g->adj[k];
			g->first_edge[w] = g->first_edge[k];
		}
	}
	g->off[n] = w;
	dt_free(fill);
	return 0;
}

/* ---- Tarjan (iterative), components in reverse topological order --- */

typedef struct sccs {
	uint32_t *comp; /* per node */
	uint32_t ncomp;
	uint32_t *order; /* nodes grouped by component, components in
			  * emission order (dependencies first) */
	uint32_t *comp_off;
} sccs;

/* Visits roots in `roots` order (stack ids) for deterministic numbering. */
static int tarjan(drtopo_result *r, const csr *g, const uint32_t *roots,
		  sccs *out)
{
	uint32_t n = r->nstacks;
	size_t nn = n ? n : 1;
	uint32_t *index = dt_malloc(nn * sizeof(uint32_t));
	uint32_t *low = dt_malloc(nn * sizeof(uint32_t));
	uint32_t *stack = dt_malloc(nn * sizeof(uint32_t));
	uint32_t *call = dt_malloc(nn * sizeof(uint32_t)); /* node */
	uint32_t *edge = dt_malloc(nn * sizeof(uint32_t)); /* next adj pos */
	uint8_t *on = dt_calloc(nn, 1);
	out->comp = dt_arena_alloc(&r->arena, nn * sizeof(uint32_t));
	out->order = dt_arena_alloc(&r->arena, nn * sizeof(uint32_t));
	out->comp_off = dt_arena_alloc(&r->arena, (nn + 1) * sizeof(uint32_t));
	int rc = 0;
	if (!index || !low || !stack || !call || !edge || !on || !out->comp ||
	    !out->order || !out->comp_off) {
		rc = DRTOPO_ENOMEM;
		goto done;
	}
	for (uint32_t i = 0; i < n; i++)
		index[i] = NONE;
	uint32_t next_index = 0, sp = 0, ncomp = 0, nout = 0;
	out->comp_off[0] = 0;
	for (uint32_t ri = 0; ri < n; ri++) {
		uint32_t root = roots[ri];
		if (index[root] != NONE)
			continue;
		uint32_t depth = 0;
		call[depth] = root;
		edge[depth] = g->off[root];
		index[root] = low[root] = next_index++;
		stack[sp++] = root;
		on[root] = 1;
		while (1) {
			uint32_t v = call[depth];
			if (edge[depth] < g->off[v + 1]) {
				uint32_t w = g->adj[edge[depth]++];
				if (index[w] == NONE) {
					depth++;
					call[depth] = w;
					edge[depth] = g->off[w];
					index[w] = low[w] = next_index++;
					stack[sp++] = w;
					on[w] = 1;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				uint32_t w;
				do {
					w = stack[--sp];
					on[w] = 0;
					out->comp[w] = ncomp;
					out->order[nout++] = w;
				} while (w != v);
				out->comp_off[++ncomp] = nout;
			}
			if (depth == 0)
				break;
			depth--;
			uint32_t u = call[depth];
			if (low[v] < low[u])
				low[u] = low[v];
		}
	}
	out->ncomp = ncomp;
done:
	dt_free(index);
	dt_free(low);
	dt_free(stack);
	dt_free(call);
	dt_free(edge);
	dt_free(on);
	return rc;
}

/* Longest-path level of each component: 1 + max level of the components
 * it depends on. Components come dependencies-first from Tarjan. */
static int levels(drtopo_result *r, const csr *g, const sccs *c,
		  uint32_t **level_out, uint32_t *max_out)
{
	uint32_t *level = dt_arena_calloc(&r->arena, (c->ncomp ? c->ncomp : 1) *
							     sizeof(uint32_t));
	if (!level)
		return DRTOPO_ENOMEM;
	uint32_t max = 0;
	for (uint32_t k = 0; k < c->ncomp; k++) {
		uint32_t lv = 1;
		for (uint32_t i = c->comp_off[k]; i < c->comp_off[k + 1]; i++) {
			uint32_t v = c->order[i];
			for (uint32_t a = g->off[v]; a < g->off[v + 1]; a++) {
				uint32_t ck = c->comp[g->adj[a]];
				if (ck != k && level[ck] + 1 > lv)
					lv = level[ck] + 1;
			}
		}
		level[k] = lv;
		if (lv > max)
			max = lv;
	}
	*level_out = level;
	*max_out = max;
	return 0;
}

/* ---- cycles -------------------------------------------------------- */

static int find_cycles(drtopo_result *r, const csr *g, const sccs *c,
		       const uint32_t *rank)
{
	uint32_t n = r->nstacks;
	size_t nn = n ? n : 1;
	/* Which components are cyclic: more than one node, or a self-loop. */
	uint32_t *first =
		dt_malloc((c->ncomp ? c->ncomp : 1) * sizeof(uint32_t));
	uint32_t *parent = dt_malloc(nn * sizeof(uint32_t));
	uint32_t *queue = dt_malloc(nn * sizeof(uint32_t));
	uint32_t *pedge = dt_malloc(nn * sizeof(uint32_t));
	dt_vec cyc = DT_VEC_INIT;
	int rc = 0;
	if (!first || !parent || !queue || !pedge) {
		rc = DRTOPO_ENOMEM;
		goto done;
	}
	for (uint32_t i = 0; i < n; i++)
		parent[i] = NONE;
	/* The start of each component's cycle: its smallest stack id. */
	for (uint32_t k = 0; k < c->ncomp; k++) {
		first[k] = NONE;
		for (uint32_t i = c->comp_off[k]; i < c->comp_off[k + 1]; i++) {
			uint32_t v = c->order[i];
			if (first[k] == NONE || rank[v] < rank[first[k]])
				first[k] = v;
		}
	}
	/* Visit components in order of their smallest id. */
	for (uint32_t ri = 0; ri < n && !rc; ri++) {
		uint32_t start = r->by_id[ri]->index;
		uint32_t k = c->comp[start];
		if (first[k] != start)
			continue;
		int multi = c->comp_off[k + 1] - c->comp_off[k] > 1;
		uint32_t self = NONE;
		for (uint32_t a = g->off[start]; a < g->off[start + 1]; a++)
			if (g->adj[a] == start)
				self = a;
		if (!multi && self == NONE)
			continue;
		/* BFS inside the component for the shortest way back. */
		uint32_t head = 0, tail = 0, found = NONE, found_edge = NONE;
		if (self != NONE) {
			found = start;
			found_edge = self;
		} else {
			queue[tail++] = start;
			parent[start] = start;
		}
		while (found == NONE && head < tail) {
			uint32_t v = queue[head++];
			for (uint32_t a = g->off[v]; a < g->off[v + 1]; a++) {
				uint32_t w = g->adj[a];
				if (c->comp[w] != k)
					continue;
				if (w == start) {
					found = v;
					found_edge = a;
					break;
				}
				if (parent[w] == NONE) {
					parent[w] = v;
					pedge[w] = a;
					queue[tail++] = w;
				}
			}
		}
		/* Path: start -> ... -> found -> start. */
		uint32_t len = 1;
		for (uint32_t v = found; v != start; v = parent[v])
			len++;
		dt_cycle *cy = dt_vec_push(&cyc, sizeof(*cy));
		uint32_t *path =
			dt_arena_alloc(&r->arena, len * sizeof(uint32_t));
		const dt_edge **edges =
			dt_arena_alloc(&r->arena, len * sizeof(*edges));
		if (!cy || !path || !edges) {
			rc = DRTOPO_ENOMEM;
			break;
		}
		cy->len = len;
		cy->path = path;
		cy->edge = edges;
		uint32_t i = len - 1;
		path[i] = found;
		edges[i] = &r->edges[g->first_edge[found_edge]];
		for (uint32_t v = found; v != start; v = parent[v]) {
			i--;
			path[i] = parent[v];
			edges[i] = &r->edges[g->first_edge[pedge[v]]];
		}
		for (uint32_t q = 0; q < tail; q++)
			parent[queue[q]] = NONE;
	}
	if (!rc) {
		r->cycles = cyc.data;
		r->ncycles = cyc.len;
		/* Keep the array in the arena's lifetime: copy it there. */
		if (cyc.len) {
			dt_cycle *keep = dt_arena_alloc(
				&r->arena, cyc.len * sizeof(dt_cycle));
			if (!keep)
				rc = DRTOPO_ENOMEM;
			else
				memcpy(keep, cyc.data,
				       cyc.len * sizeof(dt_cycle));
			r->cycles = keep;
		}
	}
done:
	dt_vec_free(&cyc);
	dt_free(first);
	dt_free(parent);
	dt_free(queue);
	dt_free(pedge);
	return rc;
}

/* ---- reachability over declared dependencies ----------------------- */

struct dt_reach {
	csr g;
	sccs c;
	uint32_t *level;
	uint32_t maxlevel;
};

static int reach_build(drtopo_result *r)
{
	struct dt_reach *rr = dt_arena_calloc(&r->arena, sizeof(*rr));
	if (!rr)
		return DRTOPO_ENOMEM;
	uint32_t *roots =
		dt_malloc((r->nstacks ? r->nstacks : 1) * sizeof(uint32_t));
	if (!roots)
		return DRTOPO_ENOMEM;
	for (uint32_t i = 0; i < r->nstacks; i++)
		roots[i] = r->by_id[i]->index;
	int rc = build_csr(r, 1, &rr->g);
	if (!rc)
		rc = tarjan(r, &rr->g, roots, &rr->c);
	if (!rc)
		rc = levels(r, &rr->g, &rr->c, &rr->level, &rr->maxlevel);
	dt_free(roots);
	if (!rc)
		r->reach = rr;
	return rc;
}

/* Answers undecided queries (answers[i] == 2) whose source depends
 * directly on a stack of the target's component: CDK adds such a
 * dependency for every carrier, so this settles nearly all of them in
 * O(n + E). Queries are grouped by source (counting sort) and each
 * source's dependencies are stamped once. */
static int reach_direct(const struct dt_reach *rr, uint32_t nstacks,
			const uint32_t *from, const uint32_t *to, size_t n,
			uint8_t *answers)
{
	const sccs *c = &rr->c;
	size_t nn = nstacks ? nstacks : 1;
	uint32_t *start = dt_calloc(nn + 1, sizeof(uint32_t));
	uint32_t *by_src = dt_malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *mark =
		dt_malloc((c->ncomp ? c->ncomp : 1) * sizeof(uint32_t));
	if (!start || !by_src || !mark) {
		dt_free(start);
		dt_free(by_src);
		dt_free(mark);
		return DRTOPO_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (answers[i] == 2)
			start[from[i] + 1]++;
	for (uint32_t v = 0; v < nstacks; v++)
		start[v + 1] += start[v];
	for (size_t i = 0; i < n; i++)
		if (answers[i] == 2)
			by_src[start[from[i]]++] = (uint32_t)i;
	/* start[v] is now the end of v's group (its start: the previous
	 * group's end). */
	for (uint32_t k = 0; k < c->ncomp; k++)
		mark[k] = NONE;
	uint32_t lo = 0;
	for (uint32_t v = 0; v < nstacks; v++) {
		uint32_t hi = start[v];
		if (hi == lo)
			continue;
		for (uint32_t a = rr->g.off[v]; a < rr->g.off[v + 1]; a++)
			mark[c->comp[rr->g.adj[a]]] = v;
		for (uint32_t q = lo; q < hi; q++)
			if (mark[c->comp[to[by_src[q]]]] == v)
				answers[by_src[q]] = 1;
		lo = hi;
	}
	dt_free(start);
	dt_free(by_src);
	dt_free(mark);
	return 0;
}

int dt_reach_batch(drtopo_result *r, const uint32_t *from, const uint32_t *to,
		   size_t n, uint8_t *answers)
{
	if (!r->reach) {
		int rc = reach_build(r);
		if (rc)
			return rc;
	}
	struct dt_reach *rr = r->reach;
	const sccs *c = &rr->c;
	/* bit position of each target component, or NONE */
	uint32_t *bit = NULL;
	uint32_t *targets = NULL;
	uint32_t *by_level = NULL;
	uint64_t *mask = NULL;
	size_t ntargets = 0, nundecided = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cf = c->comp[from[i]], ct = c->comp[to[i]];
		if (cf == ct)
			answers[i] = 1;
		else if (rr->level[cf] <= rr->level[ct])
			answers[i] =
				0; /* a path would make cf's level higher */
		else
			answers[i] = 2; /* undecided */
		nundecided += answers[i] == 2;
	}
	if (!nundecided)
		return 0;
	if ((rc = reach_direct(rr, r->nstacks, from, to, n, answers)) != 0)
		return rc;
	size_t nc = c->ncomp ? c->ncomp : 1;
	for (size_t i = 0; i < n; i++) {
		if (answers[i] != 2)
			continue;
		if (!bit) {
			bit = dt_malloc(nc * sizeof(uint32_t));
			targets = dt_malloc(nc * sizeof(uint32_t));
			by_level = dt_calloc((size_t)rr->maxlevel + 2,
					     sizeof(uint32_t));
			mask = dt_malloc(nc * sizeof(uint64_t));
			if (!bit || !targets || !by_level || !mask) {
				rc = DRTOPO_ENOMEM;
				goto done;
			}
			for (uint32_t k = 0; k < c->ncomp; k++)
				bit[k] = NONE;
		}
		uint32_t ct = c->comp[to[i]];
		if (bit[ct] == NONE) {
			bit[ct] = 0;
			by_level[rr->level[ct] + 1]++;
			ntargets++;
		}
	}
	if (!ntargets)
		goto done;
	/* Targets sorted by level (counting sort), so that each chunk of 64
	 * spans few levels: a component at or below the chunk's lowest
	 * target level reaches none of its targets (a path only goes down
	 * in level), and one above the highest source level is never
	 * asked about, so neither needs its edges walked. */
	for (uint32_t lv = 0; lv <= rr->maxlevel; lv++)
		by_level[lv + 1] += by_level[lv];
	for (uint32_t k = 0; k < c->ncomp; k++)
		if (bit[k] != NONE)
			targets[by_level[rr->level[k]]++] = k;
	for (size_t t = 0; t < ntargets; t++)
		bit[targets[t]] = (uint32_t)t;
	for (size_t base = 0; base < ntargets; base += 64) {
		size_t end = base + 64 < ntargets ? base + 64 : ntargets;
		uint32_t minlv = rr->level[targets[base]], maxlv = 0;
		for (size_t i = 0; i < n; i++) {
			if (answers[i] != 2)
				continue;
			uint32_t b = bit[c->comp[to[i]]];
			uint32_t lf = rr->level[c->comp[from[i]]];
			if (b >= base && b < end && lf > maxlv)
				maxlv = lf;
		}
		for (uint32_t k = 0; k < c->ncomp; k++) {
			uint32_t lk = rr->level[k];
			if (lk > maxlv)
				continue;
			uint64_t mk = 0;
			if (bit[k] != NONE && bit[k] >= base && bit[k] < end)
				mk |= (uint64_t)1 << (bit[k] - base);
			if (lk > minlv) {
				for (uint32_t i = c->comp_off[k];
				     i < c->comp_off[k + 1]; i++) {
					uint32_t v = c->order[i];
					for (uint32_t a = rr->g.off[v];
					     a < rr->g.off[v + 1]; a++) {
						uint32_t ck =
							c->comp[rr->g.adj[a]];
						if (ck != k)
							mk |= mask[ck];
					}
				}
			}
			mask[k] = mk;
		}
		for (size_t i = 0; i < n; i++) {
			if (answers[i] != 2)
				continue;
			uint32_t b = bit[c->comp[to[i]]];
			if (b < base || b >= end)
				continue;
			answers[i] = (uint8_t)((mask[c->comp[from[i]]] >>
						(b - base)) &
					       1);
		}
	}
done:
	dt_free(bit);
	dt_free(targets);
	dt_free(by_level);
	dt_free(mask);
	return rc;
}

const char *dt_edge_via(const drtopo_result *cr, size_t i, int *oom)
{
	/* The cache is not observable state: accessors stay const. */
	drtopo_result *r = (drtopo_result *)cr;
	const dt_edge *e = &r->edges[i];
	if (!e->via2)
		return e->via;
	if (!r->via_text) {
		r->via_text = dt_arena_calloc(&r->arena,
					      r->nedges * sizeof(const char *));
		if (!r->via_text) {
			if (oom)
				*oom = 1;
			return NULL;
		}
	}
	if (!r->via_text[i])
		r->via_text[i] =
			dt_arena_printf(&r->arena, "%s.%s", e->via, e->via2);
	if (!r->via_text[i] && oom)
		*oom = 1;
	return r->via_text[i];
}

/* ---- resolve ------------------------------------------------------- */

static int resolve(drtopo_result *r)
{
	drtopo_model *m = r->model;
	uint32_t n = r->nstacks;
	size_t nn = n ? n : 1;
	int rc;

	r->by_id = dt_arena_alloc(&r->arena, nn * sizeof(drtopo_stack *));
	uint32_t *rank = r->rank =
		dt_arena_alloc(&r->arena, nn * sizeof(uint32_t));
	uint32_t *roots = dt_arena_alloc(&r->arena, nn * sizeof(uint32_t));
	if (!r->by_id || !rank || !roots)
		return DRTOPO_ENOMEM;
	if (n)
		memcpy(r->by_id, m->stacks.data, n * sizeof(drtopo_stack *));
	if (sort_by_id(r->by_id, n))
		return DRTOPO_ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		rank[r->by_id[i]->index] = i;
		roots[i] = r->by_id[i]->index;
	}

	collect c = {r, m, DT_VEC_INIT, 0};
	if ((rc = collect_edges(&c)) != 0) {
		dt_vec_free(&c.edges);
		return rc;
	}
	rc = sort_edges(c.edges.data, c.edges.len, rank, n);
	if (rc) {
		dt_vec_free(&c.edges);
		return rc;
	}
	/* Distinct edges, moved into the arena. */
	dt_edge *e = c.edges.data;
	size_t w = 0;
	for (size_t i = 0; i < c.edges.len; i++) {
		if (w && e[w - 1].from == e[i].from && e[w - 1].to == e[i].to &&
		    e[w - 1].kind == e[i].kind && e[w - 1].via == e[i].via &&
		    e[w - 1].via2 == e[i].via2)
			continue;
		e[w++] = e[i];
	}
	r->edges = dt_arena_alloc(&r->arena, (w ? w : 1) * sizeof(dt_edge));
	if (!r->edges) {
		dt_vec_free(&c.edges);
		return DRTOPO_ENOMEM;
	}
	if (w)
		memcpy(r->edges, e, w * sizeof(dt_edge));
	r->nedges = w;
	dt_vec_free(&c.edges);

	csr g;
	sccs comps;
	uint32_t *clevel;
	if ((rc = build_csr(r, 0, &g)) || (rc = tarjan(r, &g, roots, &comps)) ||
	    (rc = levels(r, &g, &comps, &clevel, &r->nwaves)))
		return rc;
	r->off = g.off;
	r->adj = g.adj;
	r->scc = comps.comp;
	r->nscc = comps.ncomp;
	r->scc_order = comps.order;
	r->scc_off = comps.comp_off;
	r->has_cycle = comps.ncomp < n;
	for (uint32_t v = 0; v < n && !r->has_cycle; v++)
		for (uint32_t a = g.off[v]; a < g.off[v + 1]; a++)
			if (g.adj[a] == v)
				r->has_cycle = 1;

	r->wave = dt_arena_alloc(&r->arena, nn * sizeof(uint32_t));
	r->wave_off = dt_arena_calloc(&r->arena, ((size_t)r->nwaves + 2) *
							 sizeof(uint32_t));
	r->wave_stacks = dt_arena_alloc(&r->arena, nn * sizeof(uint32_t));
	if (!r->wave || !r->wave_off || !r->wave_stacks)
		return DRTOPO_ENOMEM;
	for (uint32_t v = 0; v < n; v++) {
		r->wave[v] = clevel[comps.comp[v]];
		r->wave_off[r->wave[v]]++;
	}
	/* Counting sort by wave, stacks visited in id order. */
	uint32_t sum = 0;
	for (uint32_t k = 0; k <= r->nwaves; k++) {
		uint32_t cnt = r->wave_off[k];
		r->wave_off[k] = sum;
		sum += cnt;
	}
	r->wave_off[r->nwaves + 1] = sum;
	uint32_t *fill = dt_malloc(((size_t)r->nwaves + 2) * sizeof(uint32_t));
	if (!fill)
		return DRTOPO_ENOMEM;
	memcpy(fill, r->wave_off, ((size_t)r->nwaves + 2) * sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = r->by_id[i]->index;
		r->wave_stacks[fill[r->wave[v]]++] = v;
	}
	dt_free(fill);

	if (r->has_cycle && (rc = find_cycles(r, &g, &comps, rank)))
		return rc;
	if ((rc = dt_posture_build(r)))
		return rc;
	return dt_run_rules(r);
}

int drtopo_model_resolve(drtopo_model *m, drtopo_result **out)
{
	if (!m)
		return DRTOPO_EINVAL;
	if (!out)
		return dt_model_error(m, DRTOPO_EINVAL,
				      "invalid argument: 'out'");
	if (m->stacks.len >= UINT32_MAX || m->nresources >= UINT32_MAX)
		return dt_model_error(m, DRTOPO_ELIMIT, "model too large");
	drtopo_result *r = dt_calloc(1, sizeof(*r));
	if (!r)
		return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
	r->model = m;
	r->nstacks = (uint32_t)m->stacks.len;
	dt_arena_init(&r->arena, 64 * 1024);
	int rc = resolve(r);
	if (rc) {
		drtopo_result_free(r);
		return dt_model_error(m, rc, "%s", drtopo_strerror(rc));
	}
	*out = r;
	return DRTOPO_OK;
}

void drtopo_result_free(drtopo_result *r)
{
	if (!r)
		return;
	dt_vec_free(&r->diags);
	dt_arena_free(&r->arena);
	dt_free(r);
}
