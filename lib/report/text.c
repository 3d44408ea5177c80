/*
 * Text for people: the findings of `drtopo check` and the plan of
 * `drtopo plan`.
 *
 * Findings, one a line, then what helps to act on it, indented:
 *
 *   error DRT302 StoragePrimary/Table: parameter ... is written only in ...
 *     hint: write it in us-east-1 as well, or read it with a ...
 *     source: StoragePrimary.template.json (at /Resources/Table)
 *     related: KmsSecondary/KeyArnParam (us-east-2)
 *   3 stacks, 7 resources: 1 error, 0 warnings, 0 infos
 *
 * The plan, one wave a header and one stack a line with its environment:
 *
 *   wave 1
 *     KmsSecondary      111111111111 us-east-2
 *   wave 2
 *     StoragePrimary    111111111111 us-east-1
 *
 * Control characters of the input are shown as '?', so that a hostile id
 * cannot drive the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define ANSI_RESET "\033[0m"

static const char *const severity_color[] = {
	"",
	"\033[1;36m",
	"\033[1;33m",
	"\033[1;31m",
};

/* Is p the start of a control character: C0, DEL or a UTF-8 encoded C1
 * (U+0080..U+009F, which some terminals take as escape sequences)? */
static size_t control_len(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f)
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	return 0;
}

/* Input text with control characters replaced by '?'. */
static void put_safe(dt_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	while (*p) {
		size_t n = control_len(p);
		if (!n) {
			p++;
			continue;
		}
		dt_buf_put(b, (const char *)run, (size_t)(p - run));
		dt_buf_putc(b, '?');
		p += n;
		run = p;
	}
	dt_buf_put(b, (const char *)run, (size_t)(p - run));
}

/* Display width of s in code points (UTF-8 continuation bytes skipped). */
void dt_report_text_safe(dt_buf *b, const char *s)
{
	put_safe(b, s);
}

static size_t text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xc0) != 0x80;
	return w;
}

static void put_spaces(dt_buf *b, size_t n)
{
	while (n--)
		dt_buf_putc(b, ' ');
}

/* "stack/resource", "stack", or nothing. Returns whether it wrote. */
static int put_where(dt_buf *b, const char *stack, const char *resource)
{
	if (!stack && !resource)
		return 0;
	put_safe(b, stack ? stack : "-");
	if (resource) {
		dt_buf_putc(b, '/');
		put_safe(b, resource);
	}
	return 1;
}

/* ---- findings ------------------------------------------------------- */

static void put_severity(dt_buf *b, int severity, int color)
{
	const char *name = drtopo_severity_name(severity);
	if (color && severity >= DRTOPO_SEVERITY_INFO &&
	    severity <= DRTOPO_SEVERITY_ERROR) {
		dt_buf_puts(b, severity_color[severity]);
		dt_buf_puts(b, name);
		dt_buf_puts(b, ANSI_RESET);
		return;
	}
	dt_buf_puts(b, name ? name : "?");
}

static void put_related(dt_buf *b, const drtopo_diagnostic *d)
{
	for (uint32_t i = 0; i < d->nrelated; i++) {
		const dt_related *rel = &d->related[i];
		dt_buf_puts(b, "  related: ");
		if (!put_where(b, rel->stack, rel->resource))
			dt_buf_putc(b, '-');
		if (rel->region) {
			dt_buf_puts(b, " (");
			put_safe(b, rel->region);
			dt_buf_putc(b, ')');
		}
		dt_buf_putc(b, '\n');
	}
}

void dt_report_text_finding(dt_buf *b, const drtopo_diagnostic *d, int color)
{
	put_severity(b, d->severity, color);
	dt_buf_putc(b, ' ');
	dt_buf_puts(b, dt_rules[d->rule].code);
	if (d->stack || d->resource)
		dt_buf_putc(b, ' ');
	put_where(b, d->stack, d->resource);
	dt_buf_puts(b, ": ");
	put_safe(b, d->message ? d->message : "");
	dt_buf_putc(b, '\n');
	if (d->hint && *d->hint) {
		dt_buf_puts(b, "  hint: ");
		put_safe(b, d->hint);
		dt_buf_putc(b, '\n');
	}
	if (d->file) {
		dt_buf_puts(b, "  source: ");
		put_safe(b, d->file);
		if (d->pointer) {
			dt_buf_puts(b, " (at ");
			put_safe(b, *d->pointer ? d->pointer : "/");
			dt_buf_putc(b, ')');
		}
		dt_buf_putc(b, '\n');
	}
	put_related(b, d);
}

static void put_count(dt_buf *b, size_t n, const char *one, const char *many)
{
	dt_buf_printf(b, "%zu %s", n, n == 1 ? one : many);
}

static void put_summary(dt_buf *b, const drtopo_result *r)
{
	put_count(b, r->nstacks, "stack", "stacks");
	dt_buf_puts(b, ", ");
	put_count(b, r->model->nresources, "resource", "resources");
	dt_buf_puts(b, ": ");
	put_count(b, r->counts[DRTOPO_SEVERITY_ERROR], "error", "errors");
	dt_buf_puts(b, ", ");
	put_count(b, r->counts[DRTOPO_SEVERITY_WARNING], "warning", "warnings");
	dt_buf_puts(b, ", ");
	put_count(b, r->counts[DRTOPO_SEVERITY_INFO], "info", "infos");
	dt_buf_putc(b, '\n');
}

int drtopo_result_to_text(const drtopo_result *r, unsigned int flags,
			  char **out, size_t *len_out)
{
	if (!r || !out)
		return DRTOPO_EINVAL;
	dt_buf b = DT_BUF_INIT;
	if (!(flags & DRTOPO_TEXT_QUIET)) {
		for (size_t i = 0; i < r->diags.len; i++)
			dt_report_text_finding(
				&b, DT_VEC_PTR(r->diags, drtopo_diagnostic, i),
				(flags & DRTOPO_TEXT_COLOR) != 0);
	}
	put_summary(&b, r);
	return dt_buf_finish(&b, out, len_out);
}

/* ---- the plan ------------------------------------------------------- */

/* One cycle a block: the loop, then the reason for each step. */
static void put_cycle(dt_buf *b, const drtopo_result *r, const dt_cycle *cy)
{
	dt_buf_puts(b, "error DRT101: dependency cycle, no deployment order: ");
	for (uint32_t i = 0; i < cy->len; i++) {
		put_safe(b, dt_stack_at(r, cy->path[i])->id);
		dt_buf_puts(b, " -> ");
	}
	put_safe(b, dt_stack_at(r, cy->path[0])->id);
	dt_buf_putc(b, '\n');
	for (uint32_t i = 0; i < cy->len; i++) {
		const dt_edge *e = cy->edge[i];
		dt_buf_puts(b, "  ");
		put_safe(b, dt_stack_at(r, e->from)->id);
		dt_buf_puts(b, " -> ");
		put_safe(b, dt_stack_at(r, e->to)->id);
		dt_buf_puts(b, ": ");
		dt_buf_puts(b, drtopo_edge_kind_name(e->kind));
		if (e->via) {
			dt_buf_putc(b, ' ');
			put_safe(b, e->via);
		}
		if (e->via2) {
			dt_buf_putc(b, '.');
			put_safe(b, e->via2);
		}
		dt_buf_putc(b, '\n');
	}
}

static size_t plan_id_width(const drtopo_result *r)
{
	size_t w = 0;
	for (uint32_t i = 0; i < r->nstacks; i++) {
		size_t n = text_width(r->by_id[i]->id);
		if (n > w)
			w = n;
	}
	return w;
}

static void put_plan_stack(dt_buf *b, const drtopo_stack *s, size_t width)
{
	dt_buf_puts(b, "  ");
	put_safe(b, s->id);
	put_spaces(b, width - text_width(s->id) + 2);
	put_safe(b, s->account ? s->account : "unknown");
	dt_buf_putc(b, ' ');
	put_safe(b, s->region ? s->region : "unknown");
	dt_buf_putc(b, '\n');
}

static void put_waves(dt_buf *b, const drtopo_result *r, int destroy)
{
	size_t width = plan_id_width(r);
	for (uint32_t k = 1; k <= r->nwaves; k++) {
		uint32_t w = destroy ? r->nwaves + 1 - k : k;
		dt_buf_printf(b, "wave %u\n", k);
		for (uint32_t i = r->wave_off[w]; i < r->wave_off[w + 1]; i++)
			put_plan_stack(b, dt_stack_at(r, r->wave_stacks[i]),
				       width);
	}
}

int drtopo_result_plan_to_text(const drtopo_result *r, int destroy, char **out,
			       size_t *len_out)
{
	if (!r || !out)
		return DRTOPO_EINVAL;
	dt_buf b = DT_BUF_INIT;
	if (r->has_cycle) {
		for (size_t i = 0; i < r->ncycles; i++)
			put_cycle(&b, r, &r->cycles[i]);
	} else {
		put_waves(&b, r, destroy);
	}
	return dt_buf_finish(&b, out, len_out);
}
