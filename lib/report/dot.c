/*
 * The stack graph as Graphviz DOT (`drtopo graph --format dot`):
 *
 *   digraph drtopo {
 *           subgraph cluster_0 {
 *                   label="111111111111 / us-east-1";
 *                   "StoragePrimary" [label="StoragePrimary"];
 *           }
 *           "StoragePrimary" -> "KmsSecondary" [label="parameter /dr/kms"];
 *   }
 *
 * One cluster per (account, region), sorted with unknown parts first and
 * labelled "unknown"; one node per stack; one edge per (consumer,
 * producer) pair, pointing at the producer, labelled with each kind and
 * what carries it (at most EDGE_LINES lines, long names shortened in the
 * middle). Edges inside a cyclic strongly connected component, and the
 * stacks on them, are red and bold; a weak stack-output read alone is
 * dashed. rankdir=BT puts the first wave on top.
 */
#include <stdlib.h>
#include <string.h>

#include "posture.h"
#include "report.h"

#define VIA_MAX 32   /* longest carrier name shown in full (bytes) */
#define EDGE_LINES 3 /* label lines per edge before "+N more" */

/* DOT string body: quotes and backslashes escaped, line breaks as \n,
 * other control characters dropped. */
static void put_dot_n(dt_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			dt_buf_putc(b, '\\');
			dt_buf_putc(b, (char)c);
		} else if (c == '\n') {
			dt_buf_puts(b, "\\n");
		} else if (c >= 0x20 && c != 0x7f) {
			dt_buf_putc(b, (char)c);
		}
	}
}

static void put_dot(dt_buf *b, const char *s)
{
	put_dot_n(b, s, strlen(s));
}

static void put_quoted(dt_buf *b, const char *s)
{
	dt_buf_putc(b, '"');
	put_dot(b, s);
	dt_buf_putc(b, '"');
}

/* Back up to the start of a UTF-8 sequence. */
static size_t utf8_floor(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* A carrier name, shortened in the middle when longer than VIA_MAX. */
static void put_via_text(dt_buf *b, const char *via, size_t n)
{
	if (n <= VIA_MAX) {
		put_dot_n(b, via, n);
		return;
	}
	size_t keep = (VIA_MAX - 3) / 2;
	put_dot_n(b, via, utf8_floor(via, keep));
	dt_buf_puts(b, "...");
	size_t tail = utf8_floor(via, n - keep);
	put_dot_n(b, via + tail, n - tail);
}

/* What carries an edge: "Res.Attr" for a reference, else the name. */
static void put_via(dt_buf *b, const dt_edge *e)
{
	if (!e->via2) {
		put_via_text(b, e->via, strlen(e->via));
		return;
	}
	dt_buf full = DT_BUF_INIT;
	dt_buf_puts(&full, e->via);
	dt_buf_putc(&full, '.');
	dt_buf_puts(&full, e->via2);
	if (full.oom)
		b->oom = 1;
	else
		put_via_text(b, full.p, full.len);
	dt_buf_free(&full);
}

static const char *or_unknown(const char *s)
{
	return s ? s : "unknown";
}

/* ---- clusters ------------------------------------------------------- */

static int env_cmp(const drtopo_stack *a, const drtopo_stack *b)
{
	int k = dt_strcmp0(a->account, b->account);
	return k ? k : dt_strcmp0(a->region, b->region);
}

static int stack_env_cmp(const void *pa, const void *pb)
{
	const drtopo_stack *a = *(const drtopo_stack *const *)pa;
	const drtopo_stack *b = *(const drtopo_stack *const *)pb;
	int k = env_cmp(a, b);
	return k ? k : strcmp(a->id, b->id);
}

/* A stack on a cycle: its component has another member or a self-loop. */
static int on_cycle(const drtopo_result *r, uint32_t v)
{
	for (uint32_t a = r->off[v]; a < r->off[v + 1]; a++)
		if (r->scc[r->adj[a]] == r->scc[v])
			return 1;
	return 0;
}

static int in_zone(const dt_zone *z, const drtopo_stack *s)
{
	return z && dt_zone_has(z, s->region, s->account);
}

static void put_node(dt_buf *b, const drtopo_result *r, const drtopo_stack *s,
		     const dt_zone *lost)
{
	dt_buf_puts(b, "\t\t");
	put_quoted(b, s->id);
	dt_buf_puts(b, " [label=");
	put_quoted(b, s->id);
	if (in_zone(lost, s))
		dt_buf_puts(b, ", color=gray60, fontcolor=gray45, "
			       "style=\"rounded,filled,dashed\", "
			       "fillcolor=gray90");
	else if (r->has_cycle && on_cycle(r, s->index))
		dt_buf_puts(b, ", color=red, fontcolor=red, penwidth=2");
	dt_buf_puts(b, "];\n");
}

static void put_cluster_head(dt_buf *b, size_t n, const drtopo_stack *s,
			     const dt_zone *lost)
{
	dt_buf_printf(b, "\tsubgraph cluster_%zu {\n\t\tlabel=\"", n);
	put_dot(b, or_unknown(s->account));
	dt_buf_puts(b, " / ");
	put_dot(b, or_unknown(s->region));
	if (in_zone(lost, s))
		dt_buf_puts(b, " (lost)\";\n\t\tstyle=\"rounded,filled\";\n"
			       "\t\tfillcolor=gray80;\n\t\tcolor=gray50;\n"
			       "\t\tfontcolor=gray35;\n");
	else
		dt_buf_puts(b, "\";\n\t\tstyle=rounded;\n\t\tcolor=gray50;\n");
}

static int put_clusters(dt_buf *b, const drtopo_result *r, const dt_zone *lost)
{
	uint32_t n = r->nstacks;
	drtopo_stack **by_env = dt_malloc((n ? n : 1) * sizeof(*by_env));
	if (!by_env)
		return DRTOPO_ENOMEM;
	if (n)
		memcpy(by_env, r->by_id, n * sizeof(*by_env));
	qsort(by_env, n, sizeof(*by_env), stack_env_cmp);
	size_t cluster = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (i == 0 || env_cmp(by_env[i - 1], by_env[i]) != 0) {
			if (i)
				dt_buf_puts(b, "\t}\n");
			put_cluster_head(b, cluster++, by_env[i], lost);
		}
		put_node(b, r, by_env[i], lost);
	}
	if (n)
		dt_buf_puts(b, "\t}\n");
	dt_free(by_env);
	return 0;
}

/* ---- edges ---------------------------------------------------------- */

static void put_edge_label(dt_buf *b, const dt_edge *e, size_t n)
{
	dt_buf_puts(b, " [label=\"");
	for (size_t i = 0; i < n && i < EDGE_LINES; i++) {
		if (i)
			dt_buf_puts(b, "\\n");
		dt_buf_puts(b, drtopo_edge_kind_name(e[i].kind));
		if (e[i].via) {
			dt_buf_putc(b, ' ');
			put_via(b, &e[i]);
		}
	}
	if (n > EDGE_LINES)
		dt_buf_printf(b, "\\n+%zu more", n - EDGE_LINES);
	dt_buf_putc(b, '"');
}

/* The edges e[0..n) share (from, to). */
static void put_edge(dt_buf *b, const drtopo_result *r, const dt_edge *e,
		     size_t n)
{
	dt_buf_putc(b, '\t');
	put_quoted(b, dt_stack_at(r, e->from)->id);
	dt_buf_puts(b, " -> ");
	put_quoted(b, dt_stack_at(r, e->to)->id);
	put_edge_label(b, e, n);
	int weak = n == 1 && e->kind == DRTOPO_EDGE_STACK_OUTPUT;
	if (r->has_cycle && r->scc[e->from] == r->scc[e->to])
		dt_buf_printf(b,
			      ", color=red, fontcolor=red, penwidth=2, "
			      "style=\"%s\"",
			      weak ? "dashed,bold" : "bold");
	else if (weak)
		dt_buf_puts(b, ", style=dashed");
	dt_buf_puts(b, "];\n");
}

static void put_edges(dt_buf *b, const drtopo_result *r)
{
	for (size_t i = 0; i < r->nedges;) {
		size_t j = i + 1;
		while (j < r->nedges && r->edges[j].from == r->edges[i].from &&
		       r->edges[j].to == r->edges[i].to)
			j++;
		put_edge(b, r, &r->edges[i], j - i);
		i = j;
	}
}

int drtopo_result_to_dot(const drtopo_result *r, char **out, size_t *len_out)
{
	if (!r || !out)
		return DRTOPO_EINVAL;
	return dt_report_dot(r, NULL, out, len_out);
}

int dt_report_dot(const drtopo_result *r, const dt_zone *lost, char **out,
		  size_t *len_out)
{
	dt_buf b = DT_BUF_INIT;
	dt_buf_grow(&b, 256 + (size_t)r->nstacks * 64 + r->nedges * 80);
	dt_buf_puts(&b, "digraph drtopo {\n"
			"\tgraph [rankdir=BT, fontname=\"Helvetica\", "
			"fontsize=11];\n"
			"\tnode [shape=box, style=rounded, "
			"fontname=\"Helvetica\", fontsize=11];\n"
			"\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	if (put_clusters(&b, r, lost)) {
		dt_buf_free(&b);
		return DRTOPO_ENOMEM;
	}
	put_edges(&b, r);
	dt_buf_puts(&b, "}\n");
	return dt_buf_finish(&b, out, len_out);
}
