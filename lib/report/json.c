/*
 * The JSON report (schema drtopo-report/1, spec/cli.md). Written straight
 * into a buffer in a fixed key order, so the output is byte-identical
 * across runs and costs one pass; one array element a line keeps golden
 * files readable in a diff.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

int dt_report_param_group_cmp(const drtopo_param *a, const drtopo_param *b)
{
	int k;
	if (a->name != b->name && (k = strcmp(a->name, b->name)) != 0)
		return k;
	if ((k = dt_strcmp0(a->region, b->region)) != 0)
		return k;
	return dt_strcmp0(a->stack->account, b->stack->account);
}

/* A parameter access with what the sort compares, copied into one
 * array: the first 8 bytes of its name as a number, its (interned)
 * strings, its kind and its stack's rank by id. Comparing these reads a
 * string only when two names share 8 bytes or two places differ, where
 * comparing the accesses themselves would chase pointers into the whole
 * model at every step (100,000 readers of one name are two million
 * comparisons). */
typedef struct ranked_param {
	uint64_t head;
	const char *name, *region, *account;
	uint32_t kind, rank;
	const drtopo_param *p;
} ranked_param;

static int str_cmp(const char *a, const char *b)
{
	return a == b ? 0 : dt_strcmp0(a, b);
}

static int param_cmp(const void *pa, const void *pb)
{
	const ranked_param *a = pa, *b = pb;
	int k;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	/* the same first 8 bytes: a NUL among them ends both names */
	if ((a->head & 0xff) && (k = str_cmp(a->name, b->name)) != 0)
		return k;
	if ((k = str_cmp(a->region, b->region)) != 0 ||
	    (k = str_cmp(a->account, b->account)) != 0)
		return k;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

const drtopo_param **dt_report_sorted_params(const drtopo_result *r)
{
	const drtopo_model *m = r->model;
	size_t n = m->params.len;
	const drtopo_param **p = dt_malloc((n ? n : 1) * sizeof(*p));
	ranked_param *rp = dt_malloc((n ? n : 1) * sizeof(*rp));
	if (!p || !rp) {
		dt_free(p);
		dt_free(rp);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const drtopo_param *q = DT_VEC_AT(m->params, drtopo_param *, i);
		rp[i].head = dt_str_head(q->name);
		rp[i].name = q->name;
		rp[i].region = q->region;
		rp[i].account = q->stack->account;
		rp[i].kind = (uint32_t)q->kind;
		rp[i].rank = r->rank[q->stack->index];
		rp[i].p = q;
	}
	if (n > 1)
		qsort(rp, n, sizeof(*rp), param_cmp);
	for (size_t i = 0; i < n; i++)
		p[i] = rp[i].p;
	dt_free(rp);
	return p;
}

/* Every stack id as a quoted JSON string, escaped once: the report
 * names each stack once per edge, wave and dependency (millions of times
 * in a large model). off[i] .. off[i + 1] is stack i's text in p. */
typedef struct quoted_ids {
	dt_buf text;
	size_t *off;
} quoted_ids;

static int quote_ids(quoted_ids *q, const drtopo_result *r)
{
	dt_buf empty = DT_BUF_INIT;
	q->text = empty;
	q->off = dt_malloc(((size_t)r->nstacks + 1) * sizeof(size_t));
	if (!q->off)
		return DRTOPO_ENOMEM;
	dt_buf_grow(&q->text, (size_t)r->nstacks * 16);
	for (uint32_t i = 0; i < r->nstacks; i++) {
		q->off[i] = q->text.len;
		dt_buf_json_str(&q->text, dt_stack_at(r, i)->id);
	}
	q->off[r->nstacks] = q->text.len;
	if (q->text.oom) {
		dt_buf_free(&q->text);
		dt_free(q->off);
		q->off = NULL;
		return DRTOPO_ENOMEM;
	}
	return 0;
}

static void quoted_ids_free(quoted_ids *q)
{
	dt_buf_free(&q->text);
	dt_free(q->off);
}

static void put_id(dt_buf *b, const quoted_ids *q, uint32_t i)
{
	dt_buf_put(b, q->text.p + q->off[i], q->off[i + 1] - q->off[i]);
}

/* Decimal text of v, without printf. */
static void put_uint(dt_buf *b, size_t v)
{
	char d[24];
	size_t n = sizeof(d);
	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	dt_buf_put(b, d + n, sizeof(d) - n);
}

static void emit_stacks(dt_buf *b, const drtopo_result *r, const quoted_ids *q)
{
	dt_buf_puts(b, "  \"stacks\": [");
	for (uint32_t i = 0; i < r->nstacks; i++) {
		const drtopo_stack *s = r->by_id[i];
		dt_buf_puts(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
		put_id(b, q, s->index);
		if (s->name) {
			dt_buf_puts(b, ", \"name\": ");
			dt_buf_json_str(b, s->name);
		}
		dt_buf_puts(b, ", \"account\": ");
		dt_buf_json_str(b, s->account);
		dt_buf_puts(b, ", \"region\": ");
		dt_buf_json_str(b, s->region);
		if (!r->has_cycle) {
			dt_buf_puts(b, ", \"wave\": ");
			put_uint(b, r->wave[s->index]);
		}
		dt_buf_puts(b, ", \"resources\": ");
		put_uint(b, s->resources.len);
		dt_buf_puts(b, ", \"depends_on\": [");
		for (uint32_t a = r->off[s->index]; a < r->off[s->index + 1];
		     a++) {
			if (a > r->off[s->index])
				dt_buf_puts(b, ", ");
			put_id(b, q, r->adj[a]);
		}
		dt_buf_puts(b, "]}");
	}
	dt_buf_puts(b, r->nstacks ? "\n  ],\n" : "],\n");
}

static void emit_waves(dt_buf *b, const drtopo_result *r, const quoted_ids *q)
{
	if (r->has_cycle)
		return;
	dt_buf_puts(b, "  \"waves\": [");
	for (uint32_t w = 1; w <= r->nwaves; w++) {
		dt_buf_puts(b, w > 1 ? ",\n    [" : "\n    [");
		for (uint32_t i = r->wave_off[w]; i < r->wave_off[w + 1]; i++) {
			if (i > r->wave_off[w])
				dt_buf_puts(b, ", ");
			put_id(b, q, r->wave_stacks[i]);
		}
		dt_buf_putc(b, ']');
	}
	dt_buf_puts(b, r->nwaves ? "\n  ],\n" : "],\n");
}

static void emit_edges(dt_buf *b, const drtopo_result *r, const quoted_ids *q)
{
	dt_buf_puts(b, "  \"edges\": [");
	for (size_t i = 0; i < r->nedges; i++) {
		const dt_edge *e = &r->edges[i];
		dt_buf_puts(b, i ? ",\n    {\"from\": " : "\n    {\"from\": ");
		put_id(b, q, e->from);
		dt_buf_puts(b, ", \"to\": ");
		put_id(b, q, e->to);
		dt_buf_puts(b, ", \"kind\": \"");
		dt_buf_puts(b, drtopo_edge_kind_name(e->kind));
		dt_buf_puts(b, "\", \"via\": ");
		if (e->via2) {
			/* "Res.Attr", without building the string first */
			dt_buf_putc(b, '"');
			dt_buf_json_body(b, e->via);
			dt_buf_putc(b, '.');
			dt_buf_json_body(b, e->via2);
			dt_buf_putc(b, '"');
		} else {
			dt_buf_json_str(b, e->via);
		}
		dt_buf_putc(b, '}');
	}
	dt_buf_puts(b, r->nedges ? "\n  ],\n" : "],\n");
}

static int emit_params(dt_buf *b, const drtopo_result *r)
{
	const drtopo_model *m = r->model;
	size_t n = m->params.len;
	const drtopo_param **p = dt_report_sorted_params(r);
	if (!p)
		return DRTOPO_ENOMEM;
	dt_buf_puts(b, "  \"parameters\": [");
	int first_group = 1;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && dt_report_param_group_cmp(p[i], p[j]) == 0)
			j++;
		dt_buf_puts(b, first_group ? "\n    {\"name\": "
					   : ",\n    {\"name\": ");
		first_group = 0;
		dt_buf_json_str(b, p[i]->name);
		dt_buf_puts(b, ", \"region\": ");
		dt_buf_json_str(b, p[i]->region);
		dt_buf_puts(b, ", \"account\": ");
		dt_buf_json_str(b, p[i]->stack->account);
		for (int kind = DRTOPO_PARAM_WRITE; kind <= DRTOPO_PARAM_READ;
		     kind++) {
			dt_buf_puts(b, kind == DRTOPO_PARAM_WRITE
					       ? ", \"writers\": ["
					       : ", \"readers\": [");
			const char *last = NULL;
			for (size_t k = i; k < j; k++) {
				if (p[k]->kind != kind ||
				    p[k]->stack->id == last)
					continue;
				if (last)
					dt_buf_puts(b, ", ");
				last = p[k]->stack->id;
				dt_buf_json_str(b, last);
			}
			dt_buf_putc(b, ']');
		}
		dt_buf_putc(b, '}');
		i = j;
	}
	dt_buf_puts(b, n ? "\n  ],\n" : "],\n");
	dt_free(p);
	return 0;
}

void dt_report_json_diag(dt_buf *b, const drtopo_diagnostic *d)
{
	dt_buf_puts(b, "{\"code\": ");
	dt_buf_json_str(b, dt_rules[d->rule].code);
	dt_buf_puts(b, ", \"rule\": ");
	dt_buf_json_str(b, dt_rules[d->rule].name);
	dt_buf_puts(b, ", \"severity\": \"");
	dt_buf_puts(b, drtopo_severity_name(d->severity));
	dt_buf_puts(b, "\", \"message\": ");
	dt_buf_json_str(b, d->message);
	dt_buf_puts(b, ", \"hint\": ");
	dt_buf_json_str(b, d->hint);
	dt_buf_puts(b, ", \"stack\": ");
	dt_buf_json_str(b, d->stack);
	dt_buf_puts(b, ", \"resource\": ");
	dt_buf_json_str(b, d->resource);
	dt_buf_puts(b, ", \"region\": ");
	dt_buf_json_str(b, d->region);
	dt_buf_puts(b, ", \"related\": [");
	for (uint32_t i = 0; i < d->nrelated; i++) {
		dt_buf_puts(b, i ? ", {\"stack\": " : "{\"stack\": ");
		dt_buf_json_str(b, d->related[i].stack);
		dt_buf_puts(b, ", \"resource\": ");
		dt_buf_json_str(b, d->related[i].resource);
		dt_buf_puts(b, ", \"region\": ");
		dt_buf_json_str(b, d->related[i].region);
		dt_buf_putc(b, '}');
	}
	dt_buf_putc(b, ']');
	if (d->file) {
		dt_buf_puts(b, ", \"source\": {\"file\": ");
		dt_buf_json_str(b, d->file);
		dt_buf_puts(b, ", \"pointer\": ");
		dt_buf_json_str(b, d->pointer);
		dt_buf_putc(b, '}');
	}
	dt_buf_putc(b, '}');
}

/* The whole report into b (held or streaming). */
static int report(const drtopo_result *r, dt_buf *b)
{
	dt_buf_puts(b,
		    "{\n  \"schema\": \"" DRTOPO_REPORT_SCHEMA "\",\n"
		    "  \"generator\": \"drtopo " DRTOPO_VERSION_STRING "\",\n");
	quoted_ids q;
	if (quote_ids(&q, r))
		return DRTOPO_ENOMEM;
	emit_stacks(b, r, &q);
	emit_waves(b, r, &q);
	emit_edges(b, r, &q);
	quoted_ids_free(&q);
	if (emit_params(b, r))
		return DRTOPO_ENOMEM;
	dt_buf_puts(b, "  \"diagnostics\": [");
	for (size_t i = 0; i < r->diags.len; i++) {
		dt_buf_puts(b, i ? ",\n    " : "\n    ");
		dt_report_json_diag(b,
				    DT_VEC_PTR(r->diags, drtopo_diagnostic, i));
	}
	dt_buf_puts(b, r->diags.len ? "\n  ],\n" : "],\n");
	dt_buf_printf(
		b,
		"  \"summary\": {\"stacks\": %u, \"resources\": %zu, "
		"\"errors\": %zu, \"warnings\": %zu, \"infos\": %zu}\n}\n",
		r->nstacks, r->model->nresources,
		r->counts[DRTOPO_SEVERITY_ERROR],
		r->counts[DRTOPO_SEVERITY_WARNING],
		r->counts[DRTOPO_SEVERITY_INFO]);
	return 0;
}

int drtopo_result_to_json(const drtopo_result *r, char **out, size_t *len_out)
{
	if (!r || !out)
		return DRTOPO_EINVAL;
	dt_buf b = DT_BUF_INIT;
	/* A first guess that avoids most regrowth on large models. */
	dt_buf_grow(&b, 256 + (size_t)r->nstacks * 160 + r->nedges * 96);
	if (report(r, &b)) {
		dt_buf_free(&b);
		return DRTOPO_ENOMEM;
	}
	return dt_buf_finish(&b, out, len_out);
}

typedef struct sink_ctx {
	drtopo_write_fn write;
	void *ctx;
} sink_ctx;

static int to_writer(void *ctx, const char *data, size_t len)
{
	const sink_ctx *s = ctx;
	return s->write(s->ctx, data, len);
}

int dt_report_write(dt_report_body body, const void *obj, drtopo_write_fn write,
		    void *ctx)
{
	sink_ctx s = {write, ctx};
	dt_buf b;
	if (dt_buf_stream(&b, 64 * 1024, to_writer, &s))
		return DRTOPO_ENOMEM;
	int rc = body(obj, &b);
	int end = dt_buf_stream_end(&b);
	return rc ? rc : end;
}

static int report_body(const void *r, dt_buf *b)
{
	return report(r, b);
}

int drtopo_result_write_json(const drtopo_result *r, drtopo_write_fn write,
			     void *ctx)
{
	if (!r || !write)
		return DRTOPO_EINVAL;
	return dt_report_write(report_body, r, write, ctx);
}
