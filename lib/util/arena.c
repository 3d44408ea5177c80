/* Arena: bump allocation in chunks, freed all at once. */
#include <stdio.h>
#include <string.h>

#include "util.h"

struct dt_arena_chunk {
	dt_arena_chunk *next;
	size_t size, used;
	/* data follows, 16-byte aligned */
};

#define CHUNK_HDR ((sizeof(dt_arena_chunk) + 15) & ~(size_t)15)

void dt_arena_init(dt_arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
	a->used_bytes = 0;
}

void dt_arena_free(dt_arena *a)
{
	dt_arena_chunk *c = a->head;
	while (c) {
		dt_arena_chunk *next = c->next;
		dt_free(c);
		c = next;
	}
	a->head = NULL;
	a->used_bytes = 0;
}

void *dt_arena_alloc(dt_arena *a, size_t n)
{
	dt_arena_chunk *c = a->head;
	/* Rounding up and adding the chunk header must not wrap. */
	if (n > SIZE_MAX - CHUNK_HDR - 8)
		return NULL;
	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
	if (!c || c->size - c->used < n) {
		size_t size = a->chunk_size;
		/* Big requests get a chunk of their own behind the head, so
		 * the head's free space is not wasted. */
		if (n > size / 4) {
			dt_arena_chunk *big = dt_malloc(CHUNK_HDR + n);
			if (!big)
				return NULL;
			big->size = n;
			big->used = n;
			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				big->next = NULL;
				a->head = big;
			}
			a->used_bytes += n;
			return (char *)big + CHUNK_HDR;
		}
		c = dt_malloc(CHUNK_HDR + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		/* Grow chunks geometrically up to 1 MiB. */
		if (a->chunk_size < 1024 * 1024)
			a->chunk_size *= 2;
	}
	void *p = (char *)c + CHUNK_HDR + c->used;
	c->used += n;
	a->used_bytes += n;
	return p;
}

void *dt_arena_calloc(dt_arena *a, size_t n)
{
	void *p = dt_arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *dt_arena_strndup(dt_arena *a, const char *s, size_t n)
{
	char *d = dt_arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *dt_arena_strdup(dt_arena *a, const char *s)
{
	return s ? dt_arena_strndup(a, s, strlen(s)) : NULL;
}

char *dt_arena_vprintf(dt_arena *a, const char *fmt, va_list ap)
{
	/* One formatting pass for the usual short text (rule messages and
	 * hints), a second one only when it does not fit. */
	char small[512];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *d = dt_arena_alloc(a, (size_t)n + 1);
	if (!d)
		return NULL;
	if ((size_t)n < sizeof(small))
		memcpy(d, small, (size_t)n + 1);
	else
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

char *dt_arena_printf(dt_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *d = dt_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return d;
}
