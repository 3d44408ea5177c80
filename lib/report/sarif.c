/*
 * SARIF 2.1.0 (`drtopo check --format sarif`), for code-scanning services.
 *
 * One run. tool.driver lists only the rules that fired, in code order;
 * each result names its rule by id and index, maps severities to the
 * SARIF levels error/warning/note, and locates the finding:
 * - locations[0]: the consumer's file as a relative URI under the base id
 *   SRCROOT (the input root), its stack and resource as a logical
 *   location, and the JSON pointer inside the file as a property (SARIF
 *   regions need lines, which the model does not keep);
 * - relatedLocations: the producer side, with its file when the model
 *   knows it;
 * - partialFingerprints "drtopo/v1": a hash of code, stack, resource and
 *   message, stable across runs and machines.
 * Written straight into a buffer in a fixed key order: byte-identical.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SARIF_SCHEMA                                                       \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-" \
	"schema-2.1.0.json"
#define PROJECT_URI "https://example.invalid/libdrtopo"
#define RULES_PAGE_URI PROJECT_URI "/man/%s.7"

/* ---- a small pretty-printing JSON writer ----------------------------- */

#define JW_DEPTH 16

typedef struct jw {
	dt_buf *b;
	int depth;
	int items[JW_DEPTH]; /* members written in each open container */
} jw;

static void jw_indent(jw *w)
{
	dt_buf_putc(w->b, '\n');
	for (int i = 0; i < w->depth; i++)
		dt_buf_puts(w->b, "  ");
}

/* Separator, indentation and `"key": ` of the next member. */
static void jw_member(jw *w, const char *key)
{
	if (w->depth > 0) {
		if (w->items[w->depth - 1]++)
			dt_buf_putc(w->b, ',');
		jw_indent(w);
	}
	if (key) {
		dt_buf_json_str(w->b, key);
		dt_buf_puts(w->b, ": ");
	}
}

static void jw_open(jw *w, const char *key, char open)
{
	jw_member(w, key);
	dt_buf_putc(w->b, open);
	if (w->depth < JW_DEPTH)
		w->items[w->depth] = 0;
	w->depth++;
}

static void jw_close(jw *w, char close)
{
	w->depth--;
	if (w->depth < JW_DEPTH && w->items[w->depth])
		jw_indent(w);
	dt_buf_putc(w->b, close);
}

static void jw_str(jw *w, const char *key, const char *value)
{
	jw_member(w, key);
	dt_buf_json_str(w->b, value);
}

static void jw_uint(jw *w, const char *key, size_t value)
{
	jw_member(w, key);
	dt_buf_printf(w->b, "%zu", value);
}

/* {"text": value} */
static void jw_text(jw *w, const char *key, const char *value)
{
	jw_open(w, key, '{');
	jw_str(w, "text", value);
	jw_close(w, '}');
}

/* ---- pieces --------------------------------------------------------- */

static const char *level_name(int severity)
{
	switch (severity) {
	case DRTOPO_SEVERITY_ERROR: return "error";
	case DRTOPO_SEVERITY_WARNING: return "warning";
	default: return "note";
	}
}

/* RFC 3986 path: unreserved characters and '/' stay, the rest is
 * percent-encoded (':' too, so that no segment reads as a scheme). */
static void put_uri_path(dt_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			dt_buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			dt_buf_put(b, e, 3);
		}
	}
}

static void jw_uri(jw *w, const char *key, const char *file)
{
	dt_buf uri = DT_BUF_INIT;
	if (file[0] == '/')
		dt_buf_puts(&uri, "file://");
	put_uri_path(&uri, file);
	if (uri.oom) {
		w->b->oom = 1;
		dt_buf_free(&uri);
		return;
	}
	jw_str(w, key, uri.p ? uri.p : "");
	dt_buf_free(&uri);
}

static void put_physical(jw *w, const char *file)
{
	jw_open(w, "physicalLocation", '{');
	jw_open(w, "artifactLocation", '{');
	jw_uri(w, "uri", file);
	if (file[0] != '/')
		jw_str(w, "uriBaseId", "SRCROOT");
	jw_close(w, '}');
	jw_close(w, '}');
}

static void put_logical(jw *w, const char *stack, const char *resource)
{
	dt_buf fq = DT_BUF_INIT;
	dt_buf_puts(&fq, stack ? stack : "-");
	if (resource) {
		dt_buf_putc(&fq, '/');
		dt_buf_puts(&fq, resource);
	}
	if (fq.oom) {
		w->b->oom = 1;
		dt_buf_free(&fq);
		return;
	}
	jw_open(w, "logicalLocations", '[');
	jw_open(w, NULL, '{');
	jw_str(w, "name", resource ? resource : stack);
	jw_str(w, "fullyQualifiedName", fq.p);
	jw_str(w, "kind", resource ? "resource" : "module");
	jw_close(w, '}');
	jw_close(w, ']');
	dt_buf_free(&fq);
}

static void put_location(jw *w, const drtopo_diagnostic *d)
{
	jw_open(w, NULL, '{');
	if (d->file)
		put_physical(w, d->file);
	if (d->stack || d->resource)
		put_logical(w, d->stack, d->resource);
	if (d->pointer) {
		jw_open(w, "properties", '{');
		jw_str(w, "jsonPointer", d->pointer);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

/* Where the model says a related stack or resource was written. */
static const char *related_file(const drtopo_result *r, const dt_related *rel)
{
	if (!rel->stack)
		return NULL;
	const drtopo_stack *s = dt_stack_find(r->model, rel->stack);
	if (!s)
		return NULL;
	const drtopo_resource *res =
		rel->resource ? dt_resource_find(s, rel->resource) : NULL;
	if (res && res->loc.file)
		return res->loc.file;
	return s->loc.file;
}

/* "stack/resource (region)": what the related location is. */
static void put_related_message(jw *w, const dt_related *rel)
{
	dt_buf text = DT_BUF_INIT;
	dt_buf_puts(&text, rel->stack ? rel->stack : "-");
	if (rel->resource) {
		dt_buf_putc(&text, '/');
		dt_buf_puts(&text, rel->resource);
	}
	if (rel->region) {
		dt_buf_puts(&text, " (");
		dt_buf_puts(&text, rel->region);
		dt_buf_putc(&text, ')');
	}
	if (text.oom)
		w->b->oom = 1;
	else
		jw_text(w, "message", text.p);
	dt_buf_free(&text);
}

static void put_related(jw *w, const drtopo_result *r,
			const drtopo_diagnostic *d)
{
	if (!d->nrelated)
		return;
	jw_open(w, "relatedLocations", '[');
	for (uint32_t i = 0; i < d->nrelated; i++) {
		const dt_related *rel = &d->related[i];
		const char *file = related_file(r, rel);
		jw_open(w, NULL, '{');
		jw_uint(w, "id", (size_t)i + 1);
		if (file)
			put_physical(w, file);
		if (rel->stack || rel->resource)
			put_logical(w, rel->stack, rel->resource);
		put_related_message(w, rel);
		if (rel->region) {
			jw_open(w, "properties", '{');
			jw_str(w, "region", rel->region);
			jw_close(w, '}');
		}
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* Hash of code, stack, resource and message, as 16 hex digits. */
static void put_fingerprint(jw *w, const drtopo_diagnostic *d)
{
	const char *part[4] = {dt_rules[d->rule].code, d->stack, d->resource,
			       d->message};
	dt_buf key = DT_BUF_INIT;
	for (size_t i = 0; i < DT_ARRAY_LEN(part); i++) {
		if (part[i])
			dt_buf_puts(&key, part[i]);
		dt_buf_putc(&key, '\037'); /* unit separator */
	}
	if (key.oom) {
		w->b->oom = 1;
		dt_buf_free(&key);
		return;
	}
	char hex[17];
	snprintf(hex, sizeof(hex), "%016" PRIx64,
		 dt_hash_bytes(key.p, key.len));
	dt_buf_free(&key);
	jw_open(w, "partialFingerprints", '{');
	jw_str(w, "drtopo/v1", hex);
	jw_close(w, '}');
}

static void put_message(jw *w, const drtopo_diagnostic *d)
{
	dt_buf text = DT_BUF_INIT;
	dt_buf_puts(&text, d->message ? d->message : "");
	if (d->hint && *d->hint) {
		dt_buf_puts(&text, "\nHint: ");
		dt_buf_puts(&text, d->hint);
	}
	if (text.oom) {
		w->b->oom = 1;
		dt_buf_free(&text);
		return;
	}
	jw_text(w, "message", text.p ? text.p : "");
	dt_buf_free(&text);
}

static void put_result(jw *w, const drtopo_result *r,
		       const drtopo_diagnostic *d, size_t rule_index)
{
	jw_open(w, NULL, '{');
	jw_str(w, "ruleId", dt_rules[d->rule].code);
	jw_uint(w, "ruleIndex", rule_index);
	jw_str(w, "level", level_name(d->severity));
	put_message(w, d);
	jw_open(w, "locations", '[');
	if (d->file || d->stack || d->resource || d->pointer)
		put_location(w, d);
	jw_close(w, ']');
	put_related(w, r, d);
	put_fingerprint(w, d);
	jw_open(w, "properties", '{');
	if (d->stack)
		jw_str(w, "stack", d->stack);
	if (d->resource)
		jw_str(w, "resource", d->resource);
	if (d->region)
		jw_str(w, "region", d->region);
	jw_str(w, "rule", dt_rules[d->rule].name);
	jw_close(w, '}');
	jw_close(w, '}');
}

static void put_rule(jw *w, const struct drtopo_rule *rule)
{
	jw_open(w, NULL, '{');
	jw_str(w, "id", rule->code);
	jw_str(w, "name", rule->name);
	jw_text(w, "shortDescription", rule->summary);
	if (rule->explanation && *rule->explanation)
		jw_text(w, "fullDescription", rule->explanation);
	dt_buf uri = DT_BUF_INIT;
	/* DRT6xx live in drtopo-posture(7), the others in drtopo-rules(7). */
	const char *page = strncmp(rule->code, "DRT6", 4) == 0
				   ? "drtopo-posture"
				   : "drtopo-rules";
	dt_buf_printf(&uri, RULES_PAGE_URI "#%s", page, rule->code);
	if (uri.oom)
		w->b->oom = 1;
	else
		jw_str(w, "helpUri", uri.p);
	dt_buf_free(&uri);
	dt_buf help = DT_BUF_INIT;
	dt_buf_printf(&help,
		      "Run 'drtopo explain %s' or see %s(7), "
		      "section %s.",
		      rule->code, page, rule->code);
	if (help.oom)
		w->b->oom = 1;
	else
		jw_text(w, "help", help.p);
	dt_buf_free(&help);
	jw_open(w, "defaultConfiguration", '{');
	jw_str(w, "level", level_name(rule->severity));
	jw_close(w, '}');
	jw_close(w, '}');
}

/* The rules that fired, in catalogue order; index[rule] is the position
 * of a fired rule in that list. */
static void put_driver(jw *w, size_t *index)
{
	jw_open(w, "tool", '{');
	jw_open(w, "driver", '{');
	jw_str(w, "name", "drtopo");
	jw_str(w, "version", drtopo_version());
	jw_str(w, "semanticVersion", drtopo_version());
	jw_str(w, "informationUri", PROJECT_URI);
	jw_open(w, "rules", '[');
	size_t n = 0;
	for (size_t k = 0; k < dt_nrules; k++) {
		if (index[k] == SIZE_MAX)
			continue;
		index[k] = n++;
		put_rule(w, &dt_rules[k]);
	}
	jw_close(w, ']');
	jw_close(w, '}');
	jw_close(w, '}');
}

static void put_run(jw *w, const drtopo_result *r, const dt_vec *diags,
		    size_t *index)
{
	jw_open(w, NULL, '{');
	put_driver(w, index);
	jw_open(w, "originalUriBaseIds", '{');
	jw_open(w, "SRCROOT", '{');
	jw_text(w, "description",
		"The directory of the input (a cloud assembly, a topology "
		"document or templates) that source paths are relative to.");
	jw_close(w, '}');
	jw_close(w, '}');
	jw_open(w, "results", '[');
	for (size_t i = 0; i < diags->len; i++) {
		const drtopo_diagnostic *d =
			DT_VEC_PTR(*diags, drtopo_diagnostic, i);
		put_result(w, r, d, index[d->rule]);
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

int drtopo_result_to_sarif(const drtopo_result *r, char **out, size_t *len_out)
{
	if (!r || !out)
		return DRTOPO_EINVAL;
	return dt_report_sarif(r, &r->diags, out, len_out);
}

int dt_report_sarif(const drtopo_result *r, const dt_vec *diags, char **out,
		    size_t *len_out)
{
	/* index[k]: SIZE_MAX for a rule that did not fire. */
	size_t *index = dt_malloc((dt_nrules ? dt_nrules : 1) * sizeof(*index));
	if (!index)
		return DRTOPO_ENOMEM;
	for (size_t k = 0; k < dt_nrules; k++)
		index[k] = SIZE_MAX;
	for (size_t i = 0; i < diags->len; i++)
		index[DT_VEC_PTR(*diags, drtopo_diagnostic, i)->rule] = 0;

	dt_buf b = DT_BUF_INIT;
	dt_buf_grow(&b, 1024 + diags->len * 1024);
	jw w = {&b, 0, {0}};
	jw_open(&w, NULL, '{');
	jw_str(&w, "$schema", SARIF_SCHEMA);
	jw_str(&w, "version", "2.1.0");
	jw_open(&w, "runs", '[');
	put_run(&w, r, diags, index);
	jw_close(&w, ']');
	jw_close(&w, '}');
	dt_buf_putc(&b, '\n');
	dt_free(index);
	return dt_buf_finish(&b, out, len_out);
}
