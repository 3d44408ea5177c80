/*
 * Shared helpers of the loaders: reading files under the model's limits,
 * parsing with jansson after an iterative pre-scan (depth, string size,
 * NUL bytes, UTF-8), locating a JSON pointer in the text, and building
 * JSON pointers.
 *
 * Nothing here recurses on input structure: the pre-scan and the locator
 * are flat loops, and jansson only sees text whose nesting is within the
 * depth limit (jansson itself stops at JSON_PARSER_MAX_DEPTH).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "load/jsonutil.h"

/* ---- reading ------------------------------------------------------- */

static int read_error(dt_src *src, int status, const char *fmt, ...)
	DT_PRINTF(3, 4);

static int read_error(dt_src *src, int status, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dt_model_error_at(src->m, status, src->name, 0, 0, NULL, "%s",
				 msg);
}

int dt_src_read(dt_src *src, drtopo_model *m, const char *path,
		const char *display)
{
	memset(src, 0, sizeof(*src));
	src->m = m;
	if (!path || !*path)
		return dt_model_error(m, DRTOPO_EINVAL,
				      "invalid argument: 'path'");
	src->name = dt_str(m, display ? display : path);
	if (!src->name)
		return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");

	size_t limit = dt_model_limit(m, DRTOPO_LIMIT_FILE_SIZE);
	struct stat st;
	if (stat(path, &st) != 0)
		return read_error(src, DRTOPO_EIO, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return read_error(src, DRTOPO_EIO, "is a directory");
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > limit)
		return read_error(src, DRTOPO_ELIMIT,
				  "file is larger than %zu bytes (limit "
				  "DRTOPO_LIMIT_FILE_SIZE)",
				  limit);

	FILE *f = fopen(path, "rb");
	if (!f)
		return read_error(src, DRTOPO_EIO, "%s", strerror(errno));
	dt_buf b = DT_BUF_INIT;
	int status = DRTOPO_OK;
	/* Room for the whole file at once when stat() knows its size, so a
	 * large document is read without regrowing; then read in chunks:
	 * the size may be absent (pipes) or stale (a file still being
	 * written). */
	if (S_ISREG(st.st_mode))
		dt_buf_grow(&b, (size_t)st.st_size + 1);
	for (;;) {
		dt_buf_grow(&b, 64 * 1024);
		if (b.oom) {
			status = dt_model_error(m, DRTOPO_ENOMEM,
						"out of memory");
			break;
		}
		size_t room = b.cap - b.len - 1;
		size_t n = fread(b.p + b.len, 1, room, f);
		b.len += n;
		b.p[b.len] = '\0';
		if (b.len > limit) {
			status = read_error(src, DRTOPO_ELIMIT,
					    "file is larger than %zu bytes "
					    "(limit DRTOPO_LIMIT_FILE_SIZE)",
					    limit);
			break;
		}
		if (n < room) {
			if (ferror(f))
				status = read_error(src, DRTOPO_EIO,
						    "read error: %s",
						    strerror(errno));
			break;
		}
	}
	fclose(f);
	if (status) {
		dt_buf_free(&b);
		return status;
	}
	if (!b.p) { /* cannot happen (grow ran), but stay safe */
		b.p = dt_strndup("", 0);
		if (!b.p)
			return dt_model_error(m, DRTOPO_ENOMEM,
					      "out of memory");
	}
	src->text = b.p;
	src->len = b.len;
	return DRTOPO_OK;
}

void dt_src_free(dt_src *src)
{
	if (!src)
		return;
	dt_free(src->text);
	src->text = NULL;
	src->len = 0;
}

/* ---- positions ----------------------------------------------------- */

/* Lines and columns are 1-based; columns count characters (a UTF-8
 * sequence is one column), as jansson's do. */
typedef struct dt_cursor {
	const unsigned char *p, *end;
	int line, col;
} dt_cursor;

static void cur_init(dt_cursor *c, const dt_src *src)
{
	c->p = (const unsigned char *)src->text;
	c->end = c->p + src->len;
	c->line = 1;
	c->col = 1;
}

static void cur_next(dt_cursor *c)
{
	if (c->p >= c->end)
		return;
	unsigned char ch = *c->p++;
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if (ch < 0x80 || c->p >= c->end || (*c->p & 0xC0) != 0x80) {
		/* the last byte of a character: a UTF-8 sequence is one
		 * column */
		c->col++;
	}
}

/* ---- pre-scan ------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	int n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F; /* no UTF-16 surrogates */
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F; /* nothing above U+10FFFF */
	if (end - p < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (int i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	}
	return n;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Code unit of \uXXXX whose 'u' is at p, or -1. */
static long hex4(const unsigned char *p, const unsigned char *end)
{
	if (end - p < 5)
		return -1;
	long v = 0;
	for (int i = 1; i <= 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Line and column of the byte at `at`, counted as cur_next() does: the
 * pre-scan works on bare pointers and counts only when it reports. */
static void position(const dt_src *src, const unsigned char *at, int *line,
		     int *col)
{
	dt_cursor c;
	cur_init(&c, src);
	while (c.p < at)
		cur_next(&c);
	*line = c.line;
	*col = c.col;
}

static int prescan(dt_src *src)
{
	drtopo_model *m = src->m;
	size_t max_depth = dt_model_limit(m, DRTOPO_LIMIT_DEPTH);
	size_t max_string = dt_model_limit(m, DRTOPO_LIMIT_STRING);
	const unsigned char *p = (const unsigned char *)src->text;
	const unsigned char *end = p + src->len;
	const unsigned char *sstart = p;
	size_t depth = 0;
	int in_string = 0, escaped = 0, hexskip = 0;
	size_t slen = 0;
	int line, col;

	while (p < end) {
		unsigned char ch = *p;
		if (in_string && !escaped && !hexskip) {
			/* the bulk of a document: plain ASCII in strings */
			const unsigned char *q = p;
			while (q < end && *q >= 0x20 && *q < 0x80 &&
			       *q != '"' && *q != '\\')
				q++;
			slen += (size_t)(q - p);
			if (slen > max_string)
				goto too_long;
			p = q;
			if (p == end)
				break;
			ch = *p;
		}
		if (ch == 0) {
			position(src, p, &line, &col);
			return dt_model_error_at(m, DRTOPO_EPARSE, src->name,
						 line, col, NULL,
						 "NUL byte in the input");
		}
		if (ch >= 0x80) {
			int n = utf8_len(p, end);
			if (n == 0) {
				position(src, p, &line, &col);
				return dt_model_error_at(
					m, DRTOPO_EPARSE, src->name, line, col,
					NULL,
					"invalid UTF-8 (byte 0x%02X); the "
					"input must be UTF-8",
					ch);
			}
			if (in_string) {
				escaped = 0;
				hexskip = 0;
				slen += (size_t)n;
				if (slen > max_string)
					goto too_long;
			}
			p += n;
			continue;
		}
		if (in_string) {
			if (hexskip > 0) {
				hexskip--;
			} else if (escaped) {
				escaped = 0;
				if (ch == 'u') {
					long u = hex4(p, end);
					if (u >= 0) {
						hexskip = 4;
						/* a surrogate pair is two
						 * escapes: 2 + 2 bytes */
						slen += u < 0x80    ? 1
							: u < 0x800 ? 2
							: (u >= 0xD800 &&
							   u <= 0xDFFF)
								? 2
								: 3;
					}
				} else {
					slen++;
				}
			} else if (ch == '\\') {
				escaped = 1;
			} else if (ch == '"') {
				in_string = 0;
			} else {
				slen++;
			}
			if (in_string && slen > max_string)
				goto too_long;
		} else if (ch == '"') {
			in_string = 1;
			slen = 0;
			sstart = p;
		} else if (ch == '{' || ch == '[') {
			if (++depth > max_depth) {
				position(src, p, &line, &col);
				return dt_model_error_at(
					m, DRTOPO_ELIMIT, src->name, line, col,
					NULL,
					"nesting deeper than %zu levels "
					"(limit DRTOPO_LIMIT_DEPTH)",
					max_depth);
			}
		} else if (ch == '}' || ch == ']') {
			if (depth > 0)
				depth--;
		}
		p++;
	}
	return DRTOPO_OK;

too_long:
	position(src, sstart, &line, &col);
	return dt_model_error_at(m, DRTOPO_ELIMIT, src->name, line, col, NULL,
				 "string longer than %zu bytes (limit "
				 "DRTOPO_LIMIT_STRING)",
				 max_string);
}

/* The checks before any parser runs: a UTF-8 byte order mark is allowed
 * and ignored, then the pre-scan. */
static int prepare(dt_src *src)
{
	if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0)
		memset(src->text, ' ', 3);
	return prescan(src);
}

/* jansson's parse of a prepared text, its errors on the model. */
static int jansson_parse(dt_src *src, json_t **out)
{
	/* json_loadb() returns before initializing err when it cannot
	 * allocate its lexer: start from an empty text. */
	json_error_t err;
	memset(&err, 0, sizeof(err));
	json_t *root =
		json_loadb(src->text, src->len,
			   JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		int status = DRTOPO_EPARSE;
		/* jansson leaves the error text empty when an allocation
		 * fails in most of its paths (json_object(), a string or a
		 * number value); only some say json_error_out_of_memory. */
		if (json_error_code(&err) == json_error_out_of_memory ||
		    err.text[0] == '\0')
			return dt_model_error(src->m, DRTOPO_ENOMEM,
					      "out of memory");
		if (json_error_code(&err) == json_error_stack_overflow)
			status = DRTOPO_ELIMIT;
		/* jansson says column 0 before the first character */
		int line = err.line > 0 ? err.line : 0;
		int col = line ? (err.column > 0 ? err.column : 1) : 0;
		return dt_model_error_at(src->m, status, src->name, line, col,
					 NULL, "%s", err.text);
	}
	*out = root;
	return DRTOPO_OK;
}

int dt_json_parse(dt_src *src, json_t **out)
{
	*out = NULL;
	int rc = prepare(src);
	return rc ? rc : jansson_parse(src, out);
}

int dt_json_parse_tree(dt_src *src, dt_jtree *out)
{
	size_t at = 0;
	dt_arena_init(&out->arena, 0);
	memset(&out->root, 0, sizeof(out->root));
	int rc = prepare(src);
	if (rc)
		return rc;
	rc = dt_jparse(out, src->text, src->len, &at);
	if (rc == 0)
		return DRTOPO_OK;
	if (rc == DRTOPO_ENOMEM)
		return dt_model_error(src->m, DRTOPO_ENOMEM, "out of memory");
	/* Invalid JSON: jansson says why (the messages users and tests
	 * know), parsing the text once more on this path only. */
	json_t *root = NULL;
	rc = jansson_parse(src, &root);
	if (rc)
		return rc;
	/* Not reached while both accept the same language (jtree.h). */
	json_decref(root);
	int line, col;
	position(src, (const unsigned char *)src->text + at, &line, &col);
	return dt_model_error_at(src->m, DRTOPO_EPARSE, src->name, line, col,
				 NULL, "invalid JSON");
}

/* ---- locating a pointer -------------------------------------------- */

static void skip_ws(dt_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		cur_next(c);
}

static void put_utf8(dt_buf *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		u[0] = (char)cp;
		dt_buf_put(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		dt_buf_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		dt_buf_put(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		dt_buf_put(b, u, 4);
	}
}

/* At '"': read the string, decoding escapes into out (if not NULL), and
 * stop after the closing quote. 0 on success. */
static int read_string(dt_cursor *c, dt_buf *out)
{
	if (c->p >= c->end || *c->p != '"')
		return -1;
	cur_next(c);
	while (c->p < c->end) {
		unsigned char ch = *c->p;
		if (ch == '"') {
			cur_next(c);
			return 0;
		}
		if (ch != '\\') {
			if (out)
				dt_buf_put(out, (const char *)c->p, 1);
			cur_next(c);
			continue;
		}
		cur_next(c);
		if (c->p >= c->end)
			return -1;
		ch = *c->p;
		if (ch == 'u') {
			long u = hex4(c->p, c->end);
			if (u < 0)
				return -1;
			for (int i = 0; i < 5; i++)
				cur_next(c);
			unsigned long cp = (unsigned long)u;
			if (u >= 0xD800 && u <= 0xDBFF && c->end - c->p >= 6 &&
			    c->p[0] == '\\' && c->p[1] == 'u') {
				long lo = hex4(c->p + 1, c->end);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 +
					     (((unsigned long)u - 0xD800)
					      << 10) +
					     ((unsigned long)lo - 0xDC00);
					for (int i = 0; i < 6; i++)
						cur_next(c);
				}
			}
			if (out)
				put_utf8(out, cp);
			continue;
		}
		if (out) {
			char d = (char)ch;
			switch (ch) {
			case 'n': d = '\n'; break;
			case 't': d = '\t'; break;
			case 'r': d = '\r'; break;
			case 'b': d = '\b'; break;
			case 'f': d = '\f'; break;
			default: break;
			}
			dt_buf_put(out, &d, 1);
		}
		cur_next(c);
	}
	return -1;
}

/* Skip one value (iteratively for containers). 0 on success. */
static int skip_value(dt_cursor *c)
{
	size_t depth = 0;
	do {
		skip_ws(c);
		if (c->p >= c->end)
			return -1;
		unsigned char ch = *c->p;
		if (ch == '"') {
			if (read_string(c, NULL))
				return -1;
		} else if (ch == '{' || ch == '[') {
			depth++;
			cur_next(c);
		} else if (ch == '}' || ch == ']') {
			if (depth == 0)
				return -1;
			depth--;
			cur_next(c);
		} else if (ch == ',' || ch == ':') {
			if (depth == 0)
				return -1;
			cur_next(c);
		} else {
			/* a scalar: up to the next delimiter */
			while (c->p < c->end && !strchr(",:]}\" \t\r\n", *c->p))
				cur_next(c);
		}
	} while (depth > 0);
	return 0;
}

/* Next reference token of a pointer, unescaped into tok. */
static const char *next_token(const char *p, dt_buf *tok)
{
	tok->len = 0;
	dt_buf_put(tok, "", 0);
	p++; /* the '/' */
	while (*p && *p != '/') {
		if (p[0] == '~' && p[1] == '0') {
			dt_buf_putc(tok, '~');
			p += 2;
		} else if (p[0] == '~' && p[1] == '1') {
			dt_buf_putc(tok, '/');
			p += 2;
		} else {
			dt_buf_putc(tok, *p++);
		}
	}
	return p;
}

static int parse_index(const char *s, size_t len, size_t *out)
{
	if (len == 0 || len > 18 || (len > 1 && s[0] == '0'))
		return -1;
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int locate(dt_cursor *c, const char *pointer, dt_buf *tok, dt_buf *key)
{
	const char *p = pointer;
	skip_ws(c);
	while (*p == '/') {
		p = next_token(p, tok);
		if (tok->oom)
			return -1;
		if (c->p >= c->end)
			return -1;
		if (*c->p == '{') {
			cur_next(c);
			for (;;) {
				skip_ws(c);
				key->len = 0;
				dt_buf_put(key, "", 0);
				if (read_string(c, key) || key->oom)
					return -1;
				skip_ws(c);
				if (c->p >= c->end || *c->p != ':')
					return -1;
				cur_next(c);
				skip_ws(c);
				if (key->len == tok->len &&
				    memcmp(key->p, tok->p, key->len) == 0)
					break;
				if (skip_value(c))
					return -1;
				skip_ws(c);
				if (c->p >= c->end || *c->p != ',')
					return -1;
				cur_next(c);
			}
		} else if (*c->p == '[') {
			size_t want;
			if (parse_index(tok->p, tok->len, &want))
				return -1;
			cur_next(c);
			for (size_t i = 0;; i++) {
				skip_ws(c);
				if (c->p >= c->end || *c->p == ']')
					return -1;
				if (i == want)
					break;
				if (skip_value(c))
					return -1;
				skip_ws(c);
				if (c->p >= c->end || *c->p != ',')
					return -1;
				cur_next(c);
			}
		} else {
			return -1;
		}
	}
	return *p ? -1 : 0;
}

void dt_json_locate(const dt_src *src, const char *pointer, int *line, int *col)
{
	*line = *col = 0;
	if (!src || !src->text || !pointer)
		return;
	dt_cursor c;
	cur_init(&c, src);
	dt_buf tok = DT_BUF_INIT, key = DT_BUF_INIT;
	if (locate(&c, pointer, &tok, &key) == 0 && c.p < c.end) {
		*line = c.line;
		*col = c.col;
	}
	dt_buf_free(&tok);
	dt_buf_free(&key);
}

int dt_src_error(dt_src *src, int status, const char *pointer, const char *fmt,
		 ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line = 0, col = 0;
	dt_json_locate(src, pointer, &line, &col);
	return dt_model_error_at(src->m, status, src->name, line, col, pointer,
				 "%s", msg);
}

/* ---- pointer builder ----------------------------------------------- */

void dt_ptr_init(dt_ptr *p)
{
	memset(p, 0, sizeof(*p));
}

void dt_ptr_free(dt_ptr *p)
{
	dt_buf_free(&p->buf);
	p->depth = p->valid = 0;
}

void dt_ptr_push(dt_ptr *p, const char *token)
{
	if (p->depth < DT_PTR_DEPTH)
		p->tok[p->depth].key = token ? token : "";
	p->depth++;
}

void dt_ptr_push_index(dt_ptr *p, size_t i)
{
	if (p->depth < DT_PTR_DEPTH) {
		p->tok[p->depth].key = NULL;
		p->tok[p->depth].index = i;
	}
	p->depth++;
}

void dt_ptr_pop(dt_ptr *p)
{
	if (p->depth == 0)
		return;
	p->depth--;
	if (p->valid > p->depth)
		p->valid = p->depth;
}

const char *dt_ptr_str(dt_ptr *p)
{
	size_t n = p->depth < DT_PTR_DEPTH ? p->depth : DT_PTR_DEPTH;
	dt_buf *b = &p->buf;
	b->len = p->len[p->valid];
	dt_buf_grow(b, 32);
	for (size_t k = p->valid; k < n; k++) {
		dt_buf_putc(b, '/');
		if (p->tok[k].key) {
			/* runs without '~' or '/' go in whole */
			for (const char *s = p->tok[k].key; *s;) {
				size_t run = strcspn(s, "~/");
				dt_buf_put(b, s, run);
				s += run;
				if (*s) {
					dt_buf_put(b, *s == '~' ? "~0" : "~1",
						   2);
					s++;
				}
			}
		} else {
			char num[24];
			size_t i = p->tok[k].index, d = sizeof(num);
			do {
				num[--d] = (char)('0' + i % 10);
				i /= 10;
			} while (i);
			dt_buf_put(b, num + d, sizeof(num) - d);
		}
		p->len[k + 1] = b->len;
	}
	if (b->oom) {
		p->valid = 0;
		return NULL;
	}
	p->valid = n;
	b->p[b->len] = '\0';
	return b->p;
}
