/*
 * The rule engine: runs every enabled rule of the catalogue over a
 * resolved model, collects and orders the findings, and answers the
 * public catalogue queries.
 */
#include <stdlib.h>
#include <string.h>

#include "posture.h"

static dt_arena *arena(dt_check *c)
{
	return c->arena ? c->arena : &c->r->arena;
}

static dt_vec *diags(dt_check *c)
{
	return c->diags ? c->diags : &c->r->diags;
}

/* A finding of the running rule with its message (in the arena). */
static drtopo_diagnostic *add_diag(dt_check *c, const drtopo_stack *s,
				   const drtopo_resource *res,
				   const char *region, const dt_loc *loc,
				   const char *message)
{
	drtopo_diagnostic *d =
		message ? dt_vec_push(diags(c), sizeof(*d)) : NULL;
	if (!d) {
		c->err = DRTOPO_ENOMEM;
		return NULL;
	}
	d->message = message;
	d->rule = c->rule;
	d->severity = c->severity;
	if (!s && res)
		s = res->stack;
	d->stack = s ? s->id : NULL;
	d->order = s ? s->index + 1 : 0;
	d->resource = res ? res->id : NULL;
	d->region = region ? region : (s ? s->region : NULL);
	if (!loc && res && res->loc.file)
		loc = &res->loc;
	if (!loc && s && s->loc.file)
		loc = &s->loc;
	if (loc) {
		d->file = loc->file;
		d->pointer = loc->pointer;
	}
	return d;
}

drtopo_diagnostic *dt_emit(dt_check *c, const drtopo_stack *s,
			   const drtopo_resource *res, const char *region,
			   const dt_loc *loc, const char *fmt, ...)
{
	if (c->err)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	const char *message = dt_arena_vprintf(arena(c), fmt, ap);
	va_end(ap);
	return add_diag(c, s, res, region, loc, message);
}

drtopo_diagnostic *dt_emit_text(dt_check *c, const drtopo_stack *s,
				const drtopo_resource *res, const char *region,
				const dt_loc *loc, const char *msg, size_t len)
{
	if (c->err)
		return NULL;
	return add_diag(c, s, res, region, loc,
			dt_arena_strndup(arena(c), msg, len));
}

void dt_hint(dt_check *c, drtopo_diagnostic *d, const char *fmt, ...)
{
	if (!d || c->err)
		return;
	/* fmt is a string literal: without conversions it is the hint
	 * itself, shared by every finding that gives it (a rule may fire
	 * for each of 200,000 stacks) instead of copied into the arena. */
	if (!strchr(fmt, '%')) {
		d->hint = fmt;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	d->hint = dt_arena_vprintf(arena(c), fmt, ap);
	va_end(ap);
	if (!d->hint)
		c->err = DRTOPO_ENOMEM;
}

void dt_hint_static(dt_check *c, drtopo_diagnostic *d, const char *text)
{
	if (d && !c->err)
		d->hint = text;
}

/* Room for n related places in all (0, or ENOMEM in c->err). */
static int related_room(dt_check *c, drtopo_diagnostic *d, uint32_t n)
{
	if (n <= d->caprelated)
		return 0;
	dt_related *rel = dt_arena_alloc(arena(c), (size_t)n * sizeof(*rel));
	if (!rel) {
		c->err = DRTOPO_ENOMEM;
		return c->err;
	}
	if (d->nrelated)
		memcpy(rel, d->related, d->nrelated * sizeof(*rel));
	d->related = rel;
	d->caprelated = n;
	return 0;
}

void dt_relate_reserve(dt_check *c, drtopo_diagnostic *d, size_t n)
{
	if (d && !c->err && n <= UINT32_MAX - d->nrelated)
		related_room(c, d, d->nrelated + (uint32_t)n);
}

void dt_relate(dt_check *c, drtopo_diagnostic *d, const drtopo_stack *s,
	       const drtopo_resource *res, const char *region)
{
	if (!d || c->err)
		return;
	if (!s && res)
		s = res->stack;
	/* Grow by doubling (a cycle may relate every stack of the model:
	 * growing by one would cost quadratic memory); the arena keeps the
	 * old copies, so rules that know their count reserve it. */
	if (d->nrelated == d->caprelated &&
	    related_room(c, d, d->caprelated ? 2 * d->caprelated : 1))
		return;
	dt_related *rel = &d->related[d->nrelated++];
	rel->stack = s ? s->id : NULL;
	rel->resource = res ? res->id : NULL;
	rel->region = region ? region : (s ? s->region : NULL);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const drtopo_diagnostic *a = pa, *b = pb;
	int k;
	if (a->order != b->order) /* by stack id (dt_diags_finish) */
		return a->order < b->order ? -1 : 1;
	if ((k = dt_strcmp0(a->resource, b->resource)) != 0)
		return k;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if ((k = dt_strcmp0(a->message, b->message)) != 0)
		return k;
	return dt_strcmp0(a->pointer, b->pointer);
}

int dt_rule_severity(const drtopo_model *m, size_t i)
{
	return m->severity[i] >= 0 ? m->severity[i] : dt_rules[i].severity;
}

int dt_rule_index(const char *code)
{
	for (size_t i = 0; i < dt_nrules; i++)
		if (strcmp(dt_rules[i].code, code) == 0)
			return (int)i;
	return -1;
}

int dt_max_severity(const size_t counts[4])
{
	for (int s = DRTOPO_SEVERITY_ERROR; s > DRTOPO_SEVERITY_OFF; s--)
		if (counts[s])
			return s;
	return DRTOPO_SEVERITY_OFF;
}

void dt_diags_finish(const drtopo_result *r, dt_vec *v, size_t counts[4])
{
	/* Stacks sort by the rank of their id (the result's), not by
	 * comparing their ids: hundreds of thousands of findings would
	 * compare strings spread over the whole model millions of times. */
	for (size_t i = 0; i < v->len; i++) {
		drtopo_diagnostic *d = DT_VEC_PTR(*v, drtopo_diagnostic, i);
		if (d->order)
			d->order = r->rank[d->order - 1] + 1;
	}
	if (v->len > 1) /* qsort(NULL, 0) is undefined */
		qsort(v->data, v->len, sizeof(drtopo_diagnostic), diag_cmp);
	/* Identical findings (same rule, place and text) are one problem. */
	drtopo_diagnostic *d = v->data;
	size_t w = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (w && diag_cmp(&d[w - 1], &d[i]) == 0)
			continue;
		d[w++] = d[i];
	}
	v->len = w;
	for (size_t i = 0; i < w; i++)
		counts[d[i].severity]++;
}

int dt_run_rules(drtopo_result *r)
{
	dt_check c = {0};
	c.r = r;
	c.m = r->model;
	for (size_t i = 0; i < dt_nrules && !c.err; i++) {
		int sev = dt_rule_severity(r->model, i);
		if (sev == DRTOPO_SEVERITY_OFF || !dt_rules[i].fn)
			continue;
		c.rule = (uint16_t)i;
		c.severity = (uint8_t)sev;
		dt_rules[i].fn(&c);
	}
	if (c.err)
		return c.err;
	dt_diags_finish(r, &r->diags, r->counts);
	return 0;
}

/* ---- helpers for rules --------------------------------------------- */

const char *dt_arn_region(drtopo_model *m, const char *arn)
{
	/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE */
	if (!arn || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	const char *p = arn + 4;
	for (int field = 0; field < 2; field++) {
		p = strchr(p, ':');
		if (!p)
			return NULL;
		p++;
	}
	const char *end = strchr(p, ':');
	if (!end || end == p)
		return NULL;
	return dt_strn(m, p, (size_t)(end - p));
}

/* ---- the public catalogue ------------------------------------------ */

size_t drtopo_rule_count(void)
{
	return dt_nrules;
}

const drtopo_rule *drtopo_rule_at(size_t i)
{
	return i < dt_nrules ? &dt_rules[i] : NULL;
}

const drtopo_rule *drtopo_rule_find(const char *code_or_name)
{
	if (!code_or_name)
		return NULL;
	for (size_t i = 0; i < dt_nrules; i++) {
		if (strcmp(dt_rules[i].code, code_or_name) == 0 ||
		    strcmp(dt_rules[i].name, code_or_name) == 0)
			return &dt_rules[i];
	}
	/* Codes are case-insensitive on input: "drt302". */
	if (strlen(code_or_name) == 6) {
		char up[7];
		for (int i = 0; i < 6; i++) {
			char ch = code_or_name[i];
			up[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
		}
		up[6] = '\0';
		for (size_t i = 0; i < dt_nrules; i++)
			if (strcmp(dt_rules[i].code, up) == 0)
				return &dt_rules[i];
	}
	return NULL;
}

const char *drtopo_rule_code(const drtopo_rule *rule)
{
	return rule ? rule->code : NULL;
}

const char *drtopo_rule_name(const drtopo_rule *rule)
{
	return rule ? rule->name : NULL;
}

int drtopo_rule_default_severity(const drtopo_rule *rule)
{
	return rule ? rule->severity : DRTOPO_EINVAL;
}

const char *drtopo_rule_summary(const drtopo_rule *rule)
{
	return rule ? rule->summary : NULL;
}

const char *drtopo_rule_explanation(const drtopo_rule *rule)
{
	return rule ? rule->explanation : NULL;
}
