/*
 * The compact JSON tree of jtree.h: an iterative parser (no recursion on
 * input structure) that keeps the values of the containers still open
 * on one work stack and moves them into the arena, contiguous, when
 * their container closes.
 *
 * What it accepts is jansson's language, rule for rule (src/load.c of
 * jansson 2.14: lex_scan_string, lex_scan_number, parse_value): see
 * jtree.h. tests/test-document.c checks the two agree on every document
 * fixture and fuzz seed.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "drtopo/common.h"
#include "load/jtree.h"

/* jansson's JSON_PARSER_MAX_DEPTH: a value may have 2047 containers
 * around it. */
#define MAX_DEPTH 2048

/* Short strings are shared through a direct-mapped cache of the last
 * copy made for each hash bucket. */
#define SHORT_STRING 24
#define NSHORTS 1024

typedef struct frame {
	size_t base; /* first work slot of this container */
	int obj;
} frame;

typedef struct parser {
	const unsigned char *p, *end;
	dt_arena *arena;
	dt_jmember *work; /* values of the open containers (key NULL in
			   * arrays) */
	size_t nwork, capwork;
	frame *frames;
	size_t nframes, capframes;
	uint32_t *seen; /* duplicate-key check of large objects */
	size_t capseen;
	const char *shorts[NSHORTS]; /* last short string of each hash */
} parser;

static void skip_ws(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' ||
				   *ps->p == '\t' || *ps->p == '\r'))
		ps->p++;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int grow(void **data, size_t *cap, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 256;
	int ok = 1;
	size_t bytes = dt_mul(n, elem, &ok);
	void *p = ok ? dt_realloc(*data, bytes) : NULL;
	if (!p)
		return DRTOPO_ENOMEM;
	*data = p;
	*cap = n;
	return 0;
}

static int push_work(parser *ps, const char *key, const dt_jval *v)
{
	if (ps->nwork == ps->capwork &&
	    grow((void **)&ps->work, &ps->capwork, sizeof(*ps->work)))
		return DRTOPO_ENOMEM;
	dt_jmember *m = &ps->work[ps->nwork++];
	m->key = key;
	m->v = *v;
	return 0;
}

/* ---- strings ------------------------------------------------------- */

static int hex4(const unsigned char *p, const unsigned char *end, long *out)
{
	long v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];
		v <<= 4;
		if (is_digit(c))
			v += c - '0';
		else if (c >= 'a' && c <= 'f')
			v += c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v += c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *put_utf8(char *d, unsigned long cp)
{
	if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xC0 | (cp >> 6));
		*d++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*d++ = (char)(0xE0 | (cp >> 12));
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*d++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*d++ = (char)(0xF0 | (cp >> 18));
		*d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*d++ = (char)(0x80 | (cp & 0x3F));
	}
	return d;
}

/* Decode the escapes of the body [p, end) (whose escapes are lexically
 * complete) into d; NULL when one is invalid. */
static char *decode(const unsigned char *p, const unsigned char *end, char *d)
{
	while (p < end) {
		if (*p != '\\') {
			*d++ = (char)*p++;
			continue;
		}
		p++;
		switch (*p++) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '/': *d++ = '/'; break;
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u': {
			long u, lo;
			if (hex4(p, end, &u))
				return NULL;
			p += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (end - p < 2 || p[0] != '\\' ||
				    p[1] != 'u' || hex4(p + 2, end, &lo) ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				p += 6;
				u = 0x10000 + ((u - 0xD800) << 10) +
				    (lo - 0xDC00);
			} else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0) {
				return NULL; /* a lone low surrogate, NUL */
			}
			d = put_utf8(d, (unsigned long)u);
			break;
		}
		default: return NULL;
		}
	}
	return d;
}

/* At '"': the decoded string, NUL-terminated in the arena. */
static int parse_string(parser *ps, const char **out, uint32_t *len)
{
	const unsigned char *b = ps->p + 1, *q = b;
	int escaped = 0;
	for (;;) {
		while (q < ps->end && *q != '"' && *q != '\\' && *q >= 0x20)
			q++;
		if (q >= ps->end || *q < 0x20) {
			ps->p = q;
			return DT_JSYNTAX;
		}
		if (*q == '"')
			break;
		escaped = 1;
		if (++q >= ps->end) { /* the escaped character */
			ps->p = q;
			return DT_JSYNTAX;
		}
		if (*q >= 0x20)
			q++;
	}
	size_t n = (size_t)(q - b);
	if (n > UINT32_MAX)
		return DRTOPO_ENOMEM;
	const char **seen = NULL;
	if (!escaped && n <= SHORT_STRING) {
		/* keys, regions, accounts, types: the same few texts over and
		 * over; one copy each (a tree of half the size) */
		seen = &ps->shorts[dt_hash_bytes(b, n) & (NSHORTS - 1)];
		if (*seen && memcmp(*seen, b, n) == 0 && (*seen)[n] == '\0') {
			*out = *seen;
			*len = (uint32_t)n;
			ps->p = q + 1;
			return 0;
		}
	}
	char *d = dt_arena_alloc(ps->arena, n + 1);
	if (!d)
		return DRTOPO_ENOMEM;
	char *e = d + n;
	if (!escaped) {
		memcpy(d, b, n);
	} else if (!(e = decode(b, q, d))) {
		ps->p = b;
		return DT_JSYNTAX;
	}
	*e = '\0';
	*out = d;
	*len = (uint32_t)(e - d);
	ps->p = q + 1;
	if (seen)
		*seen = d;
	return 0;
}

/* ---- numbers and literals ------------------------------------------ */

/* strtod() of the token [b, e) as jansson does it: the decimal point
 * replaced by the locale's. 0, or DT_JSYNTAX on overflow. */
static int real_value(const unsigned char *b, const unsigned char *e,
		      double *out)
{
	char small[64];
	size_t n = (size_t)(e - b);
	char *s = n < sizeof(small) ? small : dt_malloc(n + 1);
	if (!s)
		return DRTOPO_ENOMEM;
	memcpy(s, b, n);
	s[n] = '\0';
	const char *point = localeconv()->decimal_point;
	char *dot = strchr(s, '.');
	if (dot && *point != '.')
		*dot = *point;
	errno = 0;
	double v = strtod(s, NULL);
	int overflow = (v == HUGE_VAL || v == -HUGE_VAL) && errno == ERANGE;
	if (s != small)
		dt_free(s);
	*out = v;
	return overflow ? DT_JSYNTAX : 0;
}

static int parse_number(parser *ps, dt_jval *v)
{
	const unsigned char *b = ps->p, *p = b, *end = ps->end;
	int neg = 0, real = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p < end && *p == '0') {
		p++;
		if (p < end && is_digit(*p))
			goto bad;
	} else if (p < end && is_digit(*p)) {
		while (p < end && is_digit(*p))
			p++;
	} else {
		goto bad;
	}
	if (p < end && *p == '.') {
		real = 1;
		if (++p >= end || !is_digit(*p))
			goto bad;
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p))
			goto bad;
		while (p < end && is_digit(*p))
			p++;
	}
	if (real) {
		int rc = real_value(b, p, &v->u.d);
		if (rc) {
			ps->p = b;
			return rc;
		}
		v->type = DT_JREAL;
	} else {
		/* strtoll's range: LLONG_MIN .. LLONG_MAX */
		unsigned long long mag = 0;
		unsigned long long lim = neg ? (unsigned long long)LLONG_MAX + 1
					     : (unsigned long long)LLONG_MAX;
		for (const unsigned char *d = b + neg; d < p; d++) {
			unsigned digit = (unsigned)(*d - '0');
			if (mag > (lim - digit) / 10)
				goto bad;
			mag = mag * 10 + digit;
		}
		v->type = DT_JINT;
		v->u.i = neg ? (mag == (unsigned long long)LLONG_MAX + 1
					? LLONG_MIN
					: -(long long)mag)
			     : (long long)mag;
	}
	ps->p = p;
	return 0;
bad:
	ps->p = p;
	return DT_JSYNTAX;
}

static int parse_literal(parser *ps, dt_jval *v)
{
	static const struct {
		const char *text;
		size_t len;
		uint32_t type;
	} lits[] = {{"true", 4, DT_JTRUE},
		    {"false", 5, DT_JFALSE},
		    {"null", 4, DT_JNULL}};
	for (size_t i = 0; i < DT_ARRAY_LEN(lits); i++) {
		if ((size_t)(ps->end - ps->p) >= lits[i].len &&
		    memcmp(ps->p, lits[i].text, lits[i].len) == 0) {
			ps->p += lits[i].len;
			v->type = lits[i].type;
			return 0;
		}
	}
	return DT_JSYNTAX;
}

/* ---- containers ---------------------------------------------------- */

/* Does the object of m[0..n) repeat a key? 0, 1 or DRTOPO_ENOMEM. */
static int has_duplicate(parser *ps, const dt_jmember *m, size_t n)
{
	if (n <= 16) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(m[i].key, m[j].key) == 0)
					return 1;
		return 0;
	}
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	if (cap > ps->capseen) {
		int ok = 1;
		size_t bytes = dt_mul(cap, sizeof(*ps->seen), &ok);
		uint32_t *seen = ok ? dt_realloc(ps->seen, bytes) : NULL;
		if (!seen)
			return DRTOPO_ENOMEM;
		ps->seen = seen;
		ps->capseen = cap;
	}
	memset(ps->seen, 0, cap * sizeof(*ps->seen));
	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)dt_hash_bytes(m[i].key, strlen(m[i].key)) &
			   (cap - 1);
		for (; ps->seen[j]; j = (j + 1) & (cap - 1))
			if (strcmp(m[ps->seen[j] - 1].key, m[i].key) == 0)
				return 1;
		ps->seen[j] = (uint32_t)i + 1;
	}
	return 0;
}

/* Close the innermost container into v. */
static int close_container(parser *ps, dt_jval *v)
{
	frame f = ps->frames[--ps->nframes];
	/* no member pushed yet: work is NULL, and NULL + 0 is undefined */
	dt_jmember *m = ps->work ? ps->work + f.base : NULL;
	size_t n = ps->nwork - f.base;
	if (n > UINT32_MAX)
		return DRTOPO_ENOMEM;
	v->n = (uint32_t)n;
	if (f.obj) {
		int dup = has_duplicate(ps, m, n);
		if (dup)
			return dup < 0 ? dup : DT_JSYNTAX;
		dt_jmember *o =
			n ? dt_arena_alloc(ps->arena, n * sizeof(*o)) : NULL;
		if (n && !o)
			return DRTOPO_ENOMEM;
		if (n)
			memcpy(o, m, n * sizeof(*o));
		v->type = DT_JOBJ;
		v->u.o = o;
	} else {
		dt_jval *a =
			n ? dt_arena_alloc(ps->arena, n * sizeof(*a)) : NULL;
		if (n && !a)
			return DRTOPO_ENOMEM;
		for (size_t i = 0; i < n; i++)
			a[i] = m[i].v;
		v->type = DT_JARR;
		v->u.a = a;
	}
	ps->nwork = f.base;
	return 0;
}

/* At what should be a key: "key" ':' pushes the member's slot. */
static int parse_key(parser *ps)
{
	const char *key;
	uint32_t len;
	dt_jval none;
	int rc;
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != '"')
		return DT_JSYNTAX;
	if ((rc = parse_string(ps, &key, &len)))
		return rc;
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != ':')
		return DT_JSYNTAX;
	ps->p++;
	memset(&none, 0, sizeof(none));
	return push_work(ps, key, &none);
}

static int run(parser *ps, dt_jval *root)
{
	int rc;
	for (;;) {
		/* a value starts here */
		dt_jval v;
		memset(&v, 0, sizeof(v));
		skip_ws(ps);
		if (ps->p >= ps->end || ps->nframes >= MAX_DEPTH)
			return DT_JSYNTAX;
		unsigned char c = *ps->p;
		if (c == '{' || c == '[') {
			if (ps->nframes == ps->capframes &&
			    grow((void **)&ps->frames, &ps->capframes,
				 sizeof(*ps->frames)))
				return DRTOPO_ENOMEM;
			frame *f = &ps->frames[ps->nframes++];
			f->base = ps->nwork;
			f->obj = c == '{';
			ps->p++;
			skip_ws(ps);
			if (ps->p < ps->end &&
			    *ps->p == (c == '{' ? '}' : ']')) {
				ps->p++;
				if ((rc = close_container(ps, &v)))
					return rc;
			} else {
				if (c == '{' && (rc = parse_key(ps)))
					return rc;
				continue; /* its first value */
			}
		} else if (c == '"') {
			v.type = DT_JSTR;
			if ((rc = parse_string(ps, &v.u.s, &v.n)))
				return rc;
		} else if (c == '-' || is_digit(c)) {
			if ((rc = parse_number(ps, &v)))
				return rc;
		} else if ((rc = parse_literal(ps, &v))) {
			return rc;
		}
		/* v is complete: hand it to its container, and close every
		 * container that ends after it */
		for (;;) {
			if (!ps->nframes) {
				*root = v;
				skip_ws(ps);
				return ps->p == ps->end ? 0 : DT_JSYNTAX;
			}
			int obj = ps->frames[ps->nframes - 1].obj;
			if (obj)
				ps->work[ps->nwork - 1].v = v;
			else if (push_work(ps, NULL, &v))
				return DRTOPO_ENOMEM;
			skip_ws(ps);
			if (ps->p >= ps->end)
				return DT_JSYNTAX;
			if (*ps->p == ',') {
				ps->p++;
				if (obj && (rc = parse_key(ps)))
					return rc;
				break; /* the next value */
			}
			if (*ps->p != (obj ? '}' : ']'))
				return DT_JSYNTAX;
			ps->p++;
			if ((rc = close_container(ps, &v)))
				return rc;
		}
	}
}

int dt_jparse(dt_jtree *t, const char *text, size_t len, size_t *at)
{
	parser ps;
	memset(&ps, 0, sizeof(ps));
	dt_arena_init(&t->arena, 0);
	memset(&t->root, 0, sizeof(t->root));
	ps.p = (const unsigned char *)text;
	ps.end = ps.p + len;
	ps.arena = &t->arena;
	int rc = run(&ps, &t->root);
	*at = (size_t)(ps.p - (const unsigned char *)text);
	dt_free(ps.work);
	dt_free(ps.frames);
	dt_free(ps.seen);
	return rc;
}

void dt_jtree_free(dt_jtree *t)
{
	dt_arena_free(&t->arena);
	memset(&t->root, 0, sizeof(t->root));
}
