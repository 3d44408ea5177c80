/* Growable vectors and string buffers. */
#include <stdio.h>
#include <string.h>

#include "drtopo/common.h"
#include "util.h"

int dt_vec_reserve(dt_vec *v, size_t elem, size_t n)
{
	if (v->cap - v->len >= n)
		return 0;
	size_t cap = v->cap ? v->cap : 8;
	while (cap - v->len < n) {
		if (cap > ((size_t)-1) / 2 / elem)
			return DRTOPO_ENOMEM;
		cap *= 2;
	}
	void *p = dt_realloc(v->data, cap * elem);
	if (!p)
		return DRTOPO_ENOMEM;
	v->data = p;
	v->cap = cap;
	return 0;
}

void *dt_vec_push(dt_vec *v, size_t elem)
{
	if (dt_vec_reserve(v, elem, 1))
		return NULL;
	void *p = (char *)v->data + v->len * elem;
	memset(p, 0, elem);
	v->len++;
	return p;
}

void dt_vec_free(dt_vec *v)
{
	dt_free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

void dt_buf_free(dt_buf *b)
{
	dt_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* A streaming buffer's text goes to its sink; 0 or -1 (and b->oom). */
static int hand_over(dt_buf *b)
{
	if (b->len && b->sink(b->ctx, b->p, b->len)) {
		b->oom = 1;
		b->sink_failed = 1;
		return -1;
	}
	b->len = 0;
	b->p[0] = '\0';
	return 0;
}

void dt_buf_grow(dt_buf *b, size_t extra)
{
	if (b->oom)
		return;
	if (b->cap - b->len > extra)
		return;
	/* A streaming buffer empties itself first; it grows only for a
	 * piece larger than itself. */
	if (b->sink && (hand_over(b) || b->cap > extra))
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= extra) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return;
		}
		cap *= 2;
	}
	char *p = dt_realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return;
	}
	b->p = p;
	b->cap = cap;
}

void dt_buf_put_slow(dt_buf *b, const char *s, size_t n)
{
	dt_buf_grow(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void dt_buf_vprintf(dt_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		dt_buf_put(b, small, (size_t)n);
		return;
	}
	dt_buf_grow(b, (size_t)n);
	if (b->oom)
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void dt_buf_printf(dt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dt_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Does the word hold a byte that a JSON string must escape: a control
 * character (below 0x20), '"' or '\\'? The bit tricks of "Bit Twiddling
 * Hacks" (haszero, hasless): exact as a yes or no. */
static int word_needs_escape(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;
	const uint64_t high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
	uint64_t ctl = (w - ones * 0x20) & ~w;
	return (((q - ones) & ~q) | ((bs - ones) & ~bs) | ctl) & high ? 1 : 0;
}

void dt_buf_json_body(dt_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(s);
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	dt_buf_grow(b, len);
	for (;;) {
		/* a run that needs no escape: eight bytes at a time, then
		 * byte by byte up to the one that does */
		const unsigned char *run = p;
		for (uint64_t w; end - p >= 8; p += 8) {
			memcpy(&w, p, 8);
			if (word_needs_escape(w))
				break;
		}
		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		dt_buf_put(b, (const char *)run, (size_t)(p - run));
		if (p == end)
			return;
		char u[6] = {'\\', 0};
		size_t n = 2;
		switch (*p) {
		case '"': u[1] = '"'; break;
		case '\\': u[1] = '\\'; break;
		case '\n': u[1] = 'n'; break;
		case '\r': u[1] = 'r'; break;
		case '\t': u[1] = 't'; break;
		case '\b': u[1] = 'b'; break;
		case '\f': u[1] = 'f'; break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 15];
			n = 6;
			break;
		}
		dt_buf_put(b, u, n);
		p++;
	}
}

void dt_buf_json_str(dt_buf *b, const char *s)
{
	if (!s) {
		dt_buf_put(b, "null", 4);
		return;
	}
	dt_buf_putc(b, '"');
	dt_buf_json_body(b, s);
	dt_buf_putc(b, '"');
}

int dt_buf_finish(dt_buf *b, char **out, size_t *len_out)
{
	dt_buf_grow(b, 1);
	if (b->oom) {
		dt_buf_free(b);
		return DRTOPO_ENOMEM;
	}
	b->p[b->len] = '\0';
	*out = b->p;
	if (len_out)
		*len_out = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return 0;
}

int dt_buf_stream(dt_buf *b, size_t size, dt_buf_sink sink, void *ctx)
{
	memset(b, 0, sizeof(*b));
	dt_buf_grow(b, size);
	if (b->oom)
		return DRTOPO_ENOMEM;
	b->p[0] = '\0';
	b->sink = sink;
	b->ctx = ctx;
	return 0;
}

int dt_buf_stream_end(dt_buf *b)
{
	int rc = b->oom ? DRTOPO_ENOMEM : 0;
	if (!rc && hand_over(b))
		rc = DRTOPO_EIO;
	if (b->sink_failed)
		rc = DRTOPO_EIO;
	dt_buf_free(b);
	return rc;
}

int dt_utf8_valid(const char *str, size_t n)
{
	const unsigned char *p = (const unsigned char *)str, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!len || c > 0xF4 || (size_t)(end - p) < len)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((p[k] & 0xC0) != 0x80)
				return 0;
		/* overlong 3/4-byte forms, surrogates, > U+10FFFF */
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
		    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
			return 0;
		p += len;
	}
	return 1;
}

uint64_t dt_str_head(const char *s)
{
	uint64_t h = 0;
	int i = 0;
	for (; i < 8 && s[i]; i++)
		h = h << 8 | (unsigned char)s[i];
	return i ? h << (8 * (8 - i)) : 0;
}

int dt_strcmp0(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}
