/*
 * CloudFormation template helpers shared by the importers: the value
 * evaluator, the origin follower, and the small parsers they need (ARNs,
 * SSM parameter references, SDK calls, dynamic references). See cfn.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "load/cfn.h"

static const char *str_or_empty(const dt_buf *b)
{
	return b && b->p ? b->p : "";
}

static int oom(cfn_tpl *t)
{
	if (!t->err)
		t->err = DRTOPO_ENOMEM;
	return DRTOPO_ENOMEM;
}

/* ---- environment ------------------------------------------------------ */

/* Partitions by region prefix. Regions of a prefix not listed here are
 * in the commercial partition; an ISO partition whose URL suffix is not
 * certain has none (unknown). */
static const struct {
	const char *prefix, *partition, *url_suffix;
} partitions[] = {
	{"cn-", "aws-cn", "amazonaws.com.cn"},
	{"us-gov-", "aws-us-gov", "amazonaws.com"},
	{"us-isob-", "aws-iso-b", "sc2s.sgov.gov"},
	{"us-iso-", "aws-iso", "c2s.ic.gov"},
	{"us-isof-", "aws-iso-f", NULL},
	{"eu-isoe-", "aws-iso-e", NULL},
};

static int partition_index(const char *region)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(partitions); i++) {
		size_t n = strlen(partitions[i].prefix);
		if (strncmp(region, partitions[i].prefix, n) == 0)
			return (int)i;
	}
	return -1;
}

const char *cfn_partition(const char *region)
{
	if (!region || !*region)
		return NULL;
	int i = partition_index(region);
	return i < 0 ? "aws" : partitions[i].partition;
}

const char *cfn_url_suffix(const char *region)
{
	if (!region || !*region)
		return NULL;
	int i = partition_index(region);
	return i < 0 ? "amazonaws.com" : partitions[i].url_suffix;
}

void cfn_tpl_env(cfn_tpl *t)
{
	t->partition = cfn_partition(t->s->region);
	t->url_suffix = cfn_url_suffix(t->s->region);
}

const char *cfn_intrinsic(json_t *v, json_t **arg)
{
	if (!json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	void *it = json_object_iter(v);
	const char *k = json_object_iter_key(it);
	if (strcmp(k, "Ref") != 0 && strncmp(k, "Fn::", 4) != 0)
		return NULL;
	if (arg)
		*arg = json_object_iter_value(it);
	return k;
}

/* ---- JSON pointer scratch ------------------------------------------- */

size_t cfn_ptr_pushn(dt_buf *p, const char *tok, size_t n)
{
	if (!p)
		return 0;
	size_t len = p->len;
	dt_buf_putc(p, '/');
	for (size_t i = 0; i < n; i++) {
		if (tok[i] == '~')
			dt_buf_put(p, "~0", 2);
		else if (tok[i] == '/')
			dt_buf_put(p, "~1", 2);
		else
			dt_buf_putc(p, tok[i]);
	}
	return len;
}

size_t cfn_ptr_push(dt_buf *p, const char *tok)
{
	return cfn_ptr_pushn(p, tok, strlen(tok));
}

size_t cfn_ptr_pushi(dt_buf *p, size_t i)
{
	char num[32];
	snprintf(num, sizeof(num), "%zu", i);
	return cfn_ptr_push(p, num);
}

void cfn_ptr_pop(dt_buf *p, size_t len)
{
	if (!p || p->oom || !p->p)
		return;
	p->len = len;
	p->p[len] = '\0';
}

/* ---- the value evaluator -------------------------------------------- */

typedef struct ev {
	cfn_tpl *t;
	int mode;
	dt_buf *out;
	dt_buf *ptr;
	cfn_opaque_fn opaque;
	void *ctx;
	unsigned depth;
} ev;

static int eval_value(ev *e, json_t *v);

static void hole(ev *e)
{
	dt_buf_putc(e->out, CFN_HOLE);
}

/* A part the evaluator does not follow: a hole, and tell the caller. */
static int opaque_part(ev *e, json_t *v)
{
	hole(e);
	if (e->opaque)
		e->opaque(e->ctx, v, str_or_empty(e->ptr));
	return 0;
}

/* Pseudo parameters (and NULL for any other name). *known is 0 when the
 * name is a pseudo parameter whose value is not known. */
static const char *pseudo(cfn_tpl *t, const char *name, size_t n, int *is)
{
	static const char *const names[] = {
		"AWS::Partition", "AWS::URLSuffix", "AWS::Region",
		"AWS::AccountId", "AWS::StackName",
	};
	const drtopo_stack *s = t->s;
	*is = 0;
	for (size_t i = 0; i < DT_ARRAY_LEN(names); i++) {
		if (strlen(names[i]) != n || memcmp(names[i], name, n) != 0)
			continue;
		*is = 1;
		switch (i) {
		case 0: return t->partition;
		case 1: return t->url_suffix;
		case 2: return s->region;
		case 3: return s->account;
		default: return s->stack_name ? s->stack_name : s->id;
		}
	}
	return NULL;
}

static int put_known(ev *e, const char *s)
{
	if (!s) {
		hole(e);
		return 0;
	}
	dt_buf_puts(e->out, s);
	return 1;
}

static int eval_ref(ev *e, json_t *arg)
{
	if (!json_is_string(arg)) {
		hole(e);
		return 0;
	}
	int is;
	const char *v = pseudo(e->t, json_string_value(arg),
			       json_string_length(arg), &is);
	/* A resource, a template parameter or another pseudo parameter:
	 * known at deploy time only. */
	return put_known(e, v);
}

static int eval_join(ev *e, json_t *arg)
{
	if (!json_is_array(arg) || json_array_size(arg) != 2 ||
	    !json_is_string(json_array_get(arg, 0)))
		return opaque_part(e, arg);
	const char *sep = json_string_value(json_array_get(arg, 0));
	size_t seplen = json_string_length(json_array_get(arg, 0));
	json_t *list = json_array_get(arg, 1);
	size_t at = cfn_ptr_pushi(e->ptr, 1);
	int known;
	if (!json_is_array(list)) {
		known = opaque_part(e, list);
	} else {
		known = 1;
		for (size_t i = 0; i < json_array_size(list); i++) {
			if (i)
				dt_buf_put(e->out, sep, seplen);
			size_t at2 = cfn_ptr_pushi(e->ptr, i);
			known &= eval_value(e, json_array_get(list, i));
			cfn_ptr_pop(e->ptr, at2);
		}
	}
	cfn_ptr_pop(e->ptr, at);
	return known;
}

/* The text of a Fn::Sub template string with its variables (map: the
 * variable map or NULL; ptr is at the Fn::Sub argument). */
static int sub_string(ev *e, const char *s, json_t *map)
{
	int known = 1;
	const char *run = s;
	while (*s) {
		if (s[0] != '$' || s[1] != '{') {
			s++;
			continue;
		}
		dt_buf_put(e->out, run, (size_t)(s - run));
		if (s[2] == '!') { /* "${!Literal}" is the text "${Literal}" */
			dt_buf_put(e->out, "${", 2);
			s += 3;
			run = s;
			continue;
		}
		const char *name = s + 2, *end = strchr(name, '}');
		if (!end) { /* not a variable: plain text */
			run = s;
			s += 2;
			continue;
		}
		size_t n = (size_t)(end - name);
		json_t *mv = NULL;
		if (map) {
			char small[128];
			char *key =
				n < sizeof(small) ? small : dt_malloc(n + 1);
			if (!key) {
				e->out->oom = 1;
				return 0;
			}
			memcpy(key, name, n);
			key[n] = '\0';
			mv = json_object_get(map, key);
			if (key != small)
				dt_free(key);
		}
		if (mv) {
			size_t at = cfn_ptr_pushi(e->ptr, 1);
			size_t at2 = cfn_ptr_pushn(e->ptr, name, n);
			known &= eval_value(e, mv);
			cfn_ptr_pop(e->ptr, at2);
			cfn_ptr_pop(e->ptr, at);
		} else {
			int is;
			const char *pv = pseudo(e->t, name, n, &is);
			/* "${Res.Attr}", "${Param}": deploy-time values. */
			known &= put_known(e, pv);
		}
		s = end + 1;
		run = s;
	}
	dt_buf_put(e->out, run, (size_t)(s - run));
	return known;
}

static int has_dynref(const char *s)
{
	return strstr(s, "{{resolve:") != NULL;
}

static int eval_sub(ev *e, json_t *arg)
{
	json_t *tmpl = arg, *map = NULL;
	if (json_is_array(arg)) {
		if (json_array_size(arg) != 2 ||
		    !json_is_object(json_array_get(arg, 1)))
			return opaque_part(e, arg);
		tmpl = json_array_get(arg, 0);
		map = json_array_get(arg, 1);
	}
	if (!json_is_string(tmpl))
		return opaque_part(e, arg);
	const char *s = json_string_value(tmpl);
	if (e->mode == CFN_EVAL_VALUE && has_dynref(s)) {
		hole(e);
		return 0;
	}
	return sub_string(e, s, map) && !strchr(s, CFN_HOLE);
}

/* Fn::Select [index, list]: a literal list, or Fn::Split of known text. */
static int eval_select(ev *e, json_t *arg)
{
	if (e->mode == CFN_EVAL_RAW || !json_is_array(arg) ||
	    json_array_size(arg) != 2)
		return opaque_part(e, arg);
	json_t *ix = json_array_get(arg, 0), *list = json_array_get(arg, 1);
	long long idx = -1;
	if (json_is_integer(ix)) {
		idx = json_integer_value(ix);
	} else if (json_is_string(ix)) {
		const char *p = json_string_value(ix);
		idx = *p ? 0 : -1;
		for (; *p && idx >= 0; p++)
			idx = isdigit((unsigned char)*p) && idx < 100000000
				      ? idx * 10 + (*p - '0')
				      : -1;
	}
	if (idx < 0)
		return opaque_part(e, arg);
	if (json_is_array(list)) {
		if ((size_t)idx >= json_array_size(list))
			return opaque_part(e, arg);
		size_t at = cfn_ptr_pushi(e->ptr, 1);
		size_t at2 = cfn_ptr_pushi(e->ptr, (size_t)idx);
		int known = eval_value(e, json_array_get(list, (size_t)idx));
		cfn_ptr_pop(e->ptr, at2);
		cfn_ptr_pop(e->ptr, at);
		return known;
	}
	json_t *sarg;
	const char *fn = cfn_intrinsic(list, &sarg);
	if (!fn || strcmp(fn, "Fn::Split") != 0 || !json_is_array(sarg) ||
	    json_array_size(sarg) != 2 ||
	    !json_is_string(json_array_get(sarg, 0)) ||
	    json_string_length(json_array_get(sarg, 0)) == 0)
		return opaque_part(e, arg);
	const char *delim = json_string_value(json_array_get(sarg, 0));
	size_t dlen = strlen(delim);
	dt_buf src = DT_BUF_INIT;
	ev sub = *e;
	sub.out = &src;
	sub.ptr = NULL;
	sub.opaque = NULL;
	int known = eval_value(&sub, json_array_get(sarg, 1));
	if (src.oom) {
		e->out->oom = 1;
		dt_buf_free(&src);
		return 0;
	}
	if (!known) {
		dt_buf_free(&src);
		hole(e);
		return 0;
	}
	const char *p = src.p ? src.p : "";
	for (long long i = 0; i < idx && p; i++) {
		p = strstr(p, delim);
		if (p)
			p += dlen;
	}
	if (!p) {
		dt_buf_free(&src);
		return opaque_part(e, arg);
	}
	const char *end = strstr(p, delim);
	dt_buf_put(e->out, p, end ? (size_t)(end - p) : strlen(p));
	dt_buf_free(&src);
	return 1;
}

static int eval_value(ev *e, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (e->mode == CFN_EVAL_VALUE && has_dynref(s)) {
			hole(e);
			return 0;
		}
		dt_buf_put(e->out, s, n);
		return memchr(s, CFN_HOLE, n) == NULL;
	}
	case JSON_INTEGER:
		dt_buf_printf(e->out, "%" JSON_INTEGER_FORMAT,
			      json_integer_value(v));
		return 1;
	case JSON_TRUE: dt_buf_puts(e->out, "true"); return 1;
	case JSON_FALSE: dt_buf_puts(e->out, "false"); return 1;
	case JSON_OBJECT: break;
	default: /* arrays, reals, null */ return opaque_part(e, v);
	}
	json_t *arg;
	const char *fn = cfn_intrinsic(v, &arg);
	if (!fn || e->depth >= CFN_EVAL_DEPTH)
		return opaque_part(e, v);
	int known;
	size_t at = cfn_ptr_push(e->ptr, fn);
	e->depth++;
	if (strcmp(fn, "Ref") == 0)
		known = eval_ref(e, arg);
	else if (strcmp(fn, "Fn::Join") == 0)
		known = eval_join(e, arg);
	else if (strcmp(fn, "Fn::Sub") == 0)
		known = eval_sub(e, arg);
	else if (strcmp(fn, "Fn::Select") == 0)
		known = eval_select(e, arg);
	else {
		cfn_ptr_pop(e->ptr, at);
		e->depth--;
		return opaque_part(e, v);
	}
	e->depth--;
	cfn_ptr_pop(e->ptr, at);
	return known;
}

int cfn_eval(cfn_tpl *t, json_t *v, int mode, dt_buf *out, dt_buf *ptr,
	     cfn_opaque_fn opaque, void *ctx)
{
	ev e = {0};
	e.t = t;
	e.mode = mode;
	e.out = out;
	e.ptr = ptr;
	e.opaque = opaque;
	e.ctx = ctx;
	/* An empty buffer still needs its terminator. */
	dt_buf_put(out, "", 0);
	return v ? eval_value(&e, v) : (hole(&e), 0);
}

const char *cfn_text(cfn_tpl *t, json_t *v)
{
	if (!v)
		return NULL;
	if (json_is_string(v)) { /* the common case: no copy */
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (!n || has_dynref(s) || memchr(s, CFN_HOLE, n))
			return NULL;
		const char *r = dt_strn(t->m, s, n);
		if (!r)
			oom(t);
		return r;
	}
	dt_buf b = DT_BUF_INIT;
	int known = cfn_eval(t, v, CFN_EVAL_VALUE, &b, NULL, NULL, NULL);
	const char *r = NULL;
	if (b.oom)
		oom(t);
	else if (known && b.len)
		r = dt_strn(t->m, b.p, b.len);
	if (known && b.len && !r)
		oom(t);
	dt_buf_free(&b);
	return r;
}

int cfn_sub_text(cfn_tpl *t, const char *s, dt_buf *out)
{
	ev e = {0};
	e.t = t;
	e.mode = CFN_EVAL_VALUE;
	e.out = out;
	dt_buf_put(out, "", 0);
	if (has_dynref(s)) {
		hole(&e);
		return 0;
	}
	return sub_string(&e, s, NULL) && !strchr(s, CFN_HOLE);
}

/* ---- ARNs -------------------------------------------------------------- */

int cfn_arn_split(const char *s, cfn_arn *a)
{
	if (!s || strncmp(s, "arn:", 4) != 0)
		return -1;
	const char *p = s + 4;
	for (int i = 0; i < CFN_ARN_RESOURCE; i++) {
		const char *start = p;
		while (*p && *p != ':') {
			if (p[0] == '$' && p[1] == '{') {
				const char *end = strchr(p, '}');
				if (!end)
					return -1;
				p = end + 1;
			} else {
				p++;
			}
		}
		if (*p != ':')
			return -1;
		a->f[i] = start;
		a->n[i] = (size_t)(p - start);
		p++;
	}
	a->f[CFN_ARN_RESOURCE] = p;
	a->n[CFN_ARN_RESOURCE] = strlen(p);
	return 0;
}

static int field_is(const cfn_arn *a, int i, const char *s)
{
	return a->n[i] == strlen(s) && memcmp(a->f[i], s, a->n[i]) == 0;
}

static int field_literal(const cfn_arn *a, int i)
{
	return a->n[i] && !memchr(a->f[i], '$', a->n[i]) &&
	       !memchr(a->f[i], CFN_HOLE, a->n[i]);
}

/* ---- parameters ------------------------------------------------------ */

int cfn_param_ref(cfn_tpl *t, const char *text, size_t len, const char **name,
		  const char **region)
{
	drtopo_model *m = t->m;
	const drtopo_stack *s = t->s;
	*name = *region = NULL;
	/* SSM names are at most 2048 bytes with their ARN: longer text
	 * names no parameter (and would only cost hashing). */
	if (!len || len > CFN_PARAM_NAME_MAX || memchr(text, CFN_HOLE, len) ||
	    memchr(text, '\0', len))
		return 0;
	if (len < 4 || memcmp(text, "arn:", 4) != 0) {
		if (!(*name = dt_strn(m, text, len)))
			return oom(t), -1;
		return 1;
	}
	/* The ARN of a parameter: its account must be the stack's. */
	char *copy = dt_strndup(text, len);
	if (!copy)
		return oom(t), -1;
	cfn_arn a;
	int rc = 0;
	if (cfn_arn_split(copy, &a) != 0 ||
	    !field_is(&a, CFN_ARN_SERVICE, "ssm"))
		goto out;
	const char *res = a.f[CFN_ARN_RESOURCE];
	size_t rn = a.n[CFN_ARN_RESOURCE];
	if (rn <= 10 || memcmp(res, "parameter/", 10) != 0 ||
	    memchr(res, ':', rn) || memchr(res, '$', rn))
		goto out;
	if (field_is(&a, CFN_ARN_ACCOUNT, "${AWS::AccountId}")) {
		/* the stack's own account */
	} else if (!field_literal(&a, CFN_ARN_ACCOUNT) || !s->account ||
		   strlen(s->account) != a.n[CFN_ARN_ACCOUNT] ||
		   memcmp(s->account, a.f[CFN_ARN_ACCOUNT],
			  a.n[CFN_ARN_ACCOUNT]) != 0) {
		goto out; /* another (or an unknown) account: RAM-shared */
	}
	const char *reg = NULL;
	if (field_literal(&a, CFN_ARN_REGION)) {
		if (!(reg = dt_strn(m, a.f[CFN_ARN_REGION],
				    a.n[CFN_ARN_REGION])))
			goto nomem;
		if (reg == s->region)
			reg = NULL;
	} else if (a.n[CFN_ARN_REGION] &&
		   !field_is(&a, CFN_ARN_REGION, "${AWS::Region}")) {
		goto out;
	}
	/* "parameter/a/b" is "/a/b"; "parameter/a" is "a". */
	const char *pn = res + 10;
	size_t pl = rn - 10;
	if (memchr(pn, '/', pl)) {
		pn--;
		pl++;
	}
	if (!(*name = dt_strn(m, pn, pl)))
		goto nomem;
	*region = reg;
	rc = 1;
out:
	dt_free(copy);
	return rc;
nomem:
	dt_free(copy);
	oom(t);
	return -1;
}

static int ssm_param_type(json_t *param)
{
	const char *type = json_string_value(json_object_get(param, "Type"));
	return type && strncmp(type, "AWS::SSM::Parameter::Value<", 27) == 0;
}

int cfn_ssm_template_param(cfn_tpl *t, const char *id, const char **name,
			   const char **region, const char **pointer)
{
	*name = *region = NULL;
	if (pointer)
		*pointer = NULL;
	json_t *p = t->parameters ? json_object_get(t->parameters, id) : NULL;
	if (!json_is_object(p) || !ssm_param_type(p))
		return 0;
	json_t *v = t->overrides ? json_object_get(t->overrides, id) : NULL;
	int from_default = !json_is_string(v);
	if (from_default)
		v = json_object_get(p, "Default");
	if (!json_is_string(v))
		return 0;
	int rc = cfn_param_ref(t, json_string_value(v), json_string_length(v),
			       name, region);
	if (rc == 1 && pointer) {
		dt_buf b = DT_BUF_INIT;
		cfn_ptr_push(&b, "Parameters");
		cfn_ptr_push(&b, id);
		if (from_default)
			cfn_ptr_push(&b, "Default");
		*pointer = b.oom ? NULL : dt_loc_pointer(t->m, b.p);
		dt_buf_free(&b);
		if (!*pointer)
			return oom(t), -1;
	}
	return rc;
}

/* ---- SDK calls of Custom::AWS ------------------------------------------ */

static int action_is(const char *action, const char *want)
{
	size_t n = strlen(action), w = strlen(want);
	if (n == w + 7 && strcmp(action + w, "Command") == 0)
		n = w; /* SDK v3 command names */
	if (n != w)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (tolower((unsigned char)action[i]) != want[i])
			return 0;
	}
	return 1;
}

static int service_is_ssm(const char *svc)
{
	static const char v3[] = "@aws-sdk/client-";
	if (strncmp(svc, v3, sizeof(v3) - 1) == 0)
		svc += sizeof(v3) - 1;
	return (svc[0] == 's' || svc[0] == 'S') &&
	       (svc[1] == 's' || svc[1] == 'S') &&
	       (svc[2] == 'm' || svc[2] == 'M') && !svc[3];
}

void cfn_sdk_free(cfn_sdk *c)
{
	json_decref(c->names);
	json_decref(c->call);
	memset(c, 0, sizeof(*c));
}

int cfn_sdk_call(cfn_tpl *t, json_t *props, const char *prop, cfn_sdk *out)
{
	memset(out, 0, sizeof(*out));
	json_t *v = json_object_get(props, prop);
	if (!v)
		return 0;
	dt_buf text = DT_BUF_INIT, js = DT_BUF_INIT;
	cfn_eval(t, v, CFN_EVAL_VALUE, &text, NULL, NULL, NULL);
	/* Unknown stretches become "\u0001" so that a token inside a
	 * JSON string still parses, and stays recognisably unknown. */
	for (size_t i = 0; i < text.len; i++) {
		if (text.p[i] == CFN_HOLE)
			dt_buf_put(&js, "\\u0001", 6);
		else
			dt_buf_putc(&js, text.p[i]);
	}
	int rc = 0;
	if (text.oom || js.oom) {
		rc = -1;
		oom(t);
		goto done;
	}
	if (!js.len)
		goto done;
	out->call = json_loadb(js.p, js.len, 0, NULL);
	json_t *c = out->call;
	const char *svc = json_string_value(json_object_get(c, "service"));
	const char *act = json_string_value(json_object_get(c, "action"));
	json_t *params = json_object_get(c, "parameters");
	json_t *reg = json_object_get(c, "region");
	if (!svc || !act || !json_is_object(params) || !service_is_ssm(svc))
		goto done;
	if (reg) {
		/* A region we cannot read: the call may go anywhere. */
		if (!json_is_string(reg) || !json_string_length(reg) ||
		    strchr(json_string_value(reg), CFN_HOLE))
			goto done;
		if (!(out->region = dt_str(t->m, json_string_value(reg)))) {
			rc = -1;
			oom(t);
			goto done;
		}
	}
	if (action_is(act, "getparameter") || action_is(act, "putparameter")) {
		json_t *n = json_object_get(params, "Name");
		if (!json_is_string(n))
			goto done;
		out->names = json_array();
		if (!out->names || json_array_append(out->names, n)) {
			rc = -1;
			oom(t);
			goto done;
		}
		out->kind = action_is(act, "getparameter") ? DRTOPO_PARAM_READ
							   : DRTOPO_PARAM_WRITE;
		if (out->kind == DRTOPO_PARAM_WRITE)
			out->value = json_object_get(params, "Value");
	} else if (action_is(act, "getparameters")) {
		json_t *n = json_object_get(params, "Names");
		if (!json_is_array(n))
			goto done;
		out->names = json_incref(n);
		out->kind = DRTOPO_PARAM_READ;
	} else {
		goto done;
	}
	rc = 1;
done:
	dt_buf_free(&text);
	dt_buf_free(&js);
	if (rc != 1)
		cfn_sdk_free(out);
	return rc;
}

/* ---- dynamic references ------------------------------------------------ */

static const char *find(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);
	for (; (size_t)(end - p) >= n; p++) {
		if (*p == what[0] && memcmp(p, what, n) == 0)
			return p;
	}
	return NULL;
}

void cfn_dynrefs(const char *text, size_t len, cfn_dynref_fn fn, void *ctx)
{
	static const char pre[] = "{{resolve:";
	const char *p = text, *end = text + len;
	while ((p = find(p, end, pre)) != NULL) {
		p += sizeof(pre) - 1;
		size_t svc;
		if ((size_t)(end - p) >= 11 &&
		    memcmp(p, "ssm-secure:", 11) == 0)
			svc = 11;
		else if ((size_t)(end - p) >= 4 && memcmp(p, "ssm:", 4) == 0)
			svc = 4;
		else
			continue; /* secretsmanager and the like */
		const char *name = p + svc, *q = name;
		/* An ARN names the parameter with colons: skip its five. */
		if ((size_t)(end - q) >= 4 && memcmp(q, "arn:", 4) == 0) {
			int colons = 0;
			while (q < end && colons < 5 && *q != CFN_HOLE &&
			       !(q[0] == '}' && q + 1 < end && q[1] == '}')) {
				if (*q == ':')
					colons++;
				q++;
			}
			if (colons < 5)
				continue;
		}
		while (q < end && *q != ':' && *q != CFN_HOLE &&
		       !(q[0] == '}' && q + 1 < end && q[1] == '}'))
			q++;
		/* The name must end before any unknown stretch. */
		if (q >= end || *q == CFN_HOLE || q == name)
			continue;
		fn(ctx, name, (size_t)(q - name));
		p = q;
	}
}

/* ---- the origin follower ------------------------------------------------ */

static void unknown(dt_value *out, const char *why)
{
	memset(out, 0, sizeof(*out));
	out->kind = DT_VAL_UNKNOWN;
	out->text = why;
}

static int param_value(cfn_tpl *t, dt_value *out, const char *name,
		       const char *region)
{
	memset(out, 0, sizeof(*out));
	out->kind = DT_VAL_PARAM;
	out->text = name;
	out->region = region;
	return 0;
}

/* A whole "{{resolve:ssm:NAME[:VERSION]}}" string. */
typedef struct one_ref {
	cfn_tpl *t;
	int count;
	const char *name, *region;
	int rc;
} one_ref;

static void one_ref_cb(void *ctx, const char *name, size_t len)
{
	one_ref *o = ctx;
	if (o->count++ || o->rc < 0)
		return;
	o->rc = cfn_param_ref(o->t, name, len, &o->name, &o->region);
}

static int origin_string(cfn_tpl *t, json_t *v, dt_value *out)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!has_dynref(s)) {
		const char *txt = cfn_text(t, v);
		if (txt) {
			memset(out, 0, sizeof(*out));
			out->kind = DT_VAL_TEXT;
			out->text = txt;
		} else {
			unknown(out,
				n ? "text that is not literal" : "empty text");
		}
		return t->err;
	}
	one_ref o = {t, 0, NULL, NULL, 0};
	cfn_dynrefs(s, n, one_ref_cb, &o);
	if (o.rc < 0)
		return DRTOPO_ENOMEM;
	if (o.count == 1 && o.rc == 1 && strncmp(s, "{{resolve:ssm", 13) == 0 &&
	    strstr(s, "}}") == s + n - 2)
		return param_value(t, out, o.name, o.region);
	unknown(out, "a dynamic reference");
	return 0;
}

/* The parameter that a reader resource reads (NULL name: not known),
 * computed once per resource: a template may hold many Fn::GetAtt of one
 * reader with a long SDK call text. */
static int reader_param(cfn_tpl *t, json_t *res, const char *type,
			const cfn_read **out)
{
	cfn_read *rd = dt_map_get(&t->readers, res, NULL);
	*out = rd;
	if (rd)
		return 0;
	rd = dt_arena_calloc(&t->m->arena, sizeof(*rd));
	if (!rd || dt_map_put(&t->readers, res, NULL, rd))
		return oom(t);
	*out = rd;
	json_t *props = json_object_get(res, "Properties");
	if (strcmp(type, "Custom::AWS") != 0) {
		const char *n =
			cfn_text(t, json_object_get(props, "ParameterName"));
		const char *r = cfn_text(t, json_object_get(props, "Region"));
		if (n && r) {
			rd->name = n;
			rd->region = r;
		}
		return t->err;
	}
	cfn_sdk c;
	int rc = cfn_sdk_call(t, props, "Create", &c);
	if (rc == 0)
		rc = cfn_sdk_call(t, props, "Update", &c);
	if (rc < 0)
		return DRTOPO_ENOMEM;
	if (rc == 1 && c.kind == DRTOPO_PARAM_READ &&
	    json_array_size(c.names) == 1) {
		json_t *nv = json_array_get(c.names, 0);
		const char *n = NULL, *r = NULL;
		if (json_is_string(nv) &&
		    cfn_param_ref(t, json_string_value(nv),
				  json_string_length(nv), &n, &r) == 1) {
			rd->name = n;
			rd->region = r ? r : c.region;
		}
	}
	if (rc == 1)
		cfn_sdk_free(&c);
	return t->err;
}

/* Fn::GetAtt of a reader resource: the parameter it reads. */
static int origin_getatt(cfn_tpl *t, const char *id, json_t *attr,
			 dt_value *out)
{
	json_t *res = t->resources ? json_object_get(t->resources, id) : NULL;
	const char *type = json_string_value(json_object_get(res, "Type"));
	if (!json_is_object(res) || !type) {
		unknown(out, "Fn::GetAtt of a resource the template lacks");
		return 0;
	}
	const char *an = json_is_string(attr) ? json_string_value(attr) : NULL;
	json_t *props = json_object_get(res, "Properties");
	if (strcmp(type, "Custom::CrossRegionExportReader") == 0) {
		json_t *imports = json_object_get(
			json_object_get(props, "ReaderProps"), "imports");
		if (!an || !json_object_get(imports, an)) {
			unknown(out, "an attribute the export reader does not "
				     "import");
			return 0;
		}
		const char *n = dt_str(t->m, an);
		return n ? param_value(t, out, n, NULL) : oom(t);
	}
	if (strcmp(type, "Custom::CrossRegionStringParameterReader") == 0 ||
	    (strcmp(type, "Custom::AWS") == 0 && an &&
	     strcmp(an, "Parameter.Value") == 0)) {
		const cfn_read *rd;
		if (reader_param(t, res, type, &rd))
			return DRTOPO_ENOMEM;
		if (rd->name)
			return param_value(t, out, rd->name, rd->region);
		unknown(out, "a parameter reader of an unknown name or region");
		return 0;
	}
	if (strcmp(type, "Custom::AWS") == 0) {
		unknown(out, "a response field of an SDK call");
		return 0;
	}
	drtopo_resource *r = dt_resource_find(t->s, id);
	if (!r) {
		unknown(out, "Fn::GetAtt of a resource the model lacks");
		return 0;
	}
	if (attr && !an) {
		unknown(out, "Fn::GetAtt with a computed attribute name");
		return 0;
	}
	memset(out, 0, sizeof(*out));
	out->kind = DT_VAL_RESOURCE;
	out->res = r;
	if (an && !(out->attr = dt_str(t->m, an)))
		return oom(t);
	return 0;
}

/* A Ref or Fn::GetAtt of a resource of the template? */
static int resource_ref(cfn_tpl *t, json_t *v)
{
	json_t *arg;
	const char *fn = cfn_intrinsic(v, &arg);
	const char *id = NULL;
	char buf[256];
	if (!fn || !t->resources)
		return 0;
	if (strcmp(fn, "Ref") == 0) {
		id = json_string_value(arg);
	} else if (strcmp(fn, "Fn::GetAtt") == 0) {
		if (json_is_array(arg)) {
			id = json_string_value(json_array_get(arg, 0));
		} else if (json_is_string(arg)) {
			const char *s = json_string_value(arg);
			const char *dot = strchr(s, '.');
			if (!dot || (size_t)(dot - s) >= sizeof(buf))
				return 0;
			memcpy(buf, s, (size_t)(dot - s));
			buf[dot - s] = '\0';
			id = buf;
		}
	}
	return id && json_object_get(t->resources, id) != NULL;
}

/* An ARN spelled around one resource reference ("arn:", Partition,
 * ":s3:::", Ref Bucket): the origin of that reference. Returns 1 when v
 * is of that shape (*out set), 0 when not, -1 on out of memory. */
static int around_one(cfn_tpl *t, const char *fn, json_t *v, json_t *arg,
		      dt_value *out)
{
	json_t *one = NULL;
	if (strcmp(fn, "Fn::Join") != 0)
		return 0;
	json_t *list = json_array_get(arg, 1);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *x = json_array_get(list, i);
		if (resource_ref(t, x)) {
			if (one)
				return 0;
			one = x;
		}
	}
	if (!one)
		return 0;
	dt_buf b = DT_BUF_INIT;
	cfn_eval(t, v, CFN_EVAL_VALUE, &b, NULL, NULL, NULL);
	size_t holes = 0;
	for (size_t i = 0; !b.oom && i < b.len; i++)
		holes += b.p[i] == CFN_HOLE;
	int ok = !b.oom && b.p && strncmp(b.p, "arn:", 4) == 0 && holes == 1;
	int oom_ = b.oom;
	dt_buf_free(&b);
	if (oom_)
		return -1;
	if (!ok)
		return 0;
	return cfn_origin(t, one, out) ? -1 : 1;
}

int cfn_origin(cfn_tpl *t, json_t *v, dt_value *out)
{
	json_t *arg;
	unknown(out, "no value");
	if (!v)
		return 0;
	if (json_is_string(v))
		return origin_string(t, v, out);
	const char *fn = cfn_intrinsic(v, &arg);
	if (!fn) {
		const char *txt = cfn_text(t, v);
		if (txt) {
			memset(out, 0, sizeof(*out));
			out->kind = DT_VAL_TEXT;
			out->text = txt;
		} else {
			unknown(out, json_is_object(v) || json_is_array(v)
					     ? "a structured value"
					     : "a value that is not text");
		}
		return t->err;
	}
	if (strcmp(fn, "Ref") == 0) {
		const char *id = json_string_value(arg);
		if (!id) {
			unknown(out, "Ref of a computed name");
			return 0;
		}
		drtopo_resource *r =
			t->resources && json_object_get(t->resources, id)
				? dt_resource_find(t->s, id)
				: NULL;
		if (r) {
			memset(out, 0, sizeof(*out));
			out->kind = DT_VAL_RESOURCE;
			out->res = r;
			return 0;
		}
		if (t->parameters && json_object_get(t->parameters, id)) {
			const char *n, *reg;
			int rc = cfn_ssm_template_param(t, id, &n, &reg, NULL);
			if (rc < 0)
				return DRTOPO_ENOMEM;
			if (rc == 1)
				return param_value(t, out, n, reg);
			unknown(out, "a template parameter");
			return 0;
		}
		const char *txt = cfn_text(t, v);
		if (txt) {
			memset(out, 0, sizeof(*out));
			out->kind = DT_VAL_TEXT;
			out->text = txt;
		} else {
			unknown(out, "a pseudo parameter that is not known");
		}
		return t->err;
	}
	if (strcmp(fn, "Fn::GetAtt") == 0) {
		json_t *attr = NULL;
		char id[512];
		if (json_is_array(arg) && json_array_size(arg) == 2 &&
		    json_is_string(json_array_get(arg, 0))) {
			snprintf(id, sizeof(id), "%s",
				 json_string_value(json_array_get(arg, 0)));
			attr = json_array_get(arg, 1);
			return origin_getatt(t, id, attr, out);
		}
		if (json_is_string(arg)) {
			/* "Res.Attr" */
			const char *s = json_string_value(arg);
			const char *dot = strchr(s, '.');
			if (dot && (size_t)(dot - s) < sizeof(id)) {
				snprintf(id, sizeof(id), "%.*s", (int)(dot - s),
					 s);
				json_t *a = json_string(dot + 1);
				if (!a)
					return oom(t);
				int rc = origin_getatt(t, id, a, out);
				json_decref(a);
				return rc;
			}
		}
		unknown(out, "Fn::GetAtt of an unknown shape");
		return 0;
	}
	if (strcmp(fn, "Fn::ImportValue") == 0) {
		const char *n = cfn_text(t, arg);
		if (n) {
			memset(out, 0, sizeof(*out));
			out->kind = DT_VAL_IMPORT;
			out->text = n;
		} else {
			unknown(out,
				"Fn::ImportValue of a name that is not known");
		}
		return t->err;
	}
	const char *txt = cfn_text(t, v);
	if (txt) {
		memset(out, 0, sizeof(*out));
		out->kind = DT_VAL_TEXT;
		out->text = txt;
		return 0;
	}
	if (t->err)
		return t->err;
	int rc = around_one(t, fn, v, arg, out);
	if (rc)
		return rc < 0 ? oom(t) : 0;
	if (strcmp(fn, "Fn::GetStackOutput") == 0)
		unknown(out, "a stack output (Fn::GetStackOutput)");
	else if (strcmp(fn, "Fn::Join") == 0 || strcmp(fn, "Fn::Sub") == 0 ||
		 strcmp(fn, "Fn::Select") == 0)
		unknown(out, "text that is not literal");
	else
		unknown(out, fn); /* Fn::If, Fn::FindInMap, ... */
	return 0;
}
