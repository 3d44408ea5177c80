/*
 * Internal utilities: allocation (with fault injection in test builds),
 * arenas, string interning, hash maps, growable vectors, string buffers.
 * Nothing here is exported.
 */
#ifndef DT_UTIL_H
#define DT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define DT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define DT_UNUSED __attribute__((unused))
#else
#define DT_PRINTF(a, b)
#define DT_UNUSED
#endif

#define DT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation ----------------------------------------------------
 * Every allocation of the library goes through these. In builds with
 * -Dfault_injection=true, dt_fault_arm(n) makes the n-th following
 * allocation (1-based) and all later ones fail until dt_fault_disarm().
 */
void *dt_malloc(size_t n);
void *dt_calloc(size_t count, size_t size);
void *dt_realloc(void *p, size_t n);
void dt_free(void *p);
char *dt_strndup(const char *s, size_t n);
/* Multiply with overflow check: 0 and sets *ok=0 on overflow. */
size_t dt_mul(size_t a, size_t b, int *ok);

#ifdef DRTOPO_FAULT_INJECTION
void dt_fault_arm(unsigned long n);
void dt_fault_disarm(void);
unsigned long dt_fault_count(void); /* allocations since arming */
int dt_fault_fired(void);
#endif

/* ---- arena: bump allocation, freed all at once ------------------- */
typedef struct dt_arena_chunk dt_arena_chunk;
typedef struct dt_arena {
	dt_arena_chunk *head;
	size_t chunk_size;
	size_t used_bytes; /* statistics */
} dt_arena;

void dt_arena_init(dt_arena *a, size_t chunk_size);
void dt_arena_free(dt_arena *a);
/* 8-byte aligned; NULL on out of memory. */
void *dt_arena_alloc(dt_arena *a, size_t n);
void *dt_arena_calloc(dt_arena *a, size_t n);
char *dt_arena_strndup(dt_arena *a, const char *s, size_t n);
char *dt_arena_strdup(dt_arena *a, const char *s);
char *dt_arena_printf(dt_arena *a, const char *fmt, ...) DT_PRINTF(2, 3);
char *dt_arena_vprintf(dt_arena *a, const char *fmt, va_list ap);

/* ---- hashing ------------------------------------------------------- */
uint64_t dt_hash_bytes(const void *p, size_t n);
static inline uint64_t dt_hash_ptr2(const void *a, const void *b)
{
	uint64_t x = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull;
	uint64_t y = (uint64_t)(uintptr_t)b * 0xC2B2AE3D27D4EB4Full;
	x ^= (y << 31) | (y >> 33);
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 32;
	return x;
}

/* ---- interning: one copy of each string, compare by pointer ------ */
typedef struct dt_strtab_slot {
	const char *s; /* NULL: empty */
	uint32_t hash;
} dt_strtab_slot;

typedef struct dt_strtab {
	dt_arena *arena;
	dt_strtab_slot *slots; /* open addressing; a probe reads the hash
				* and the string pointer from one place */
	size_t cap, len;
} dt_strtab;

void dt_intern_init(dt_strtab *in, dt_arena *arena);
void dt_intern_free(dt_strtab *in);
/* Interned copy of s[0..n), NULL on out of memory. */
const char *dt_intern_n(dt_strtab *in, const char *s, size_t n);
const char *dt_intern(dt_strtab *in, const char *s); /* s may be NULL */
/* Room for n more strings without regrowing (0 or DRTOPO_ENOMEM). */
int dt_intern_reserve(dt_strtab *in, size_t n);
/* Existing interned copy, or NULL: never allocates. */
const char *dt_intern_lookup(const dt_strtab *in, const char *s, size_t n);

/* ---- map: (ptr, ptr) -> ptr, open addressing ---------------------- */
typedef struct dt_map_slot {
	const void *a, *b;
	void *value;
} dt_map_slot;
typedef struct dt_map {
	dt_map_slot *slots;
	size_t cap, len;
} dt_map;

void dt_map_init(dt_map *m);
void dt_map_free(dt_map *m);
/* Reserve room for n more entries (0 or DRTOPO_ENOMEM). */
int dt_map_reserve(dt_map *m, size_t n);
void *dt_map_get(const dt_map *m, const void *a, const void *b);
/* Insert or replace; 0 or DRTOPO_ENOMEM. */
int dt_map_put(dt_map *m, const void *a, const void *b, void *value);
/* Pointer to the value slot, inserting NULL if absent (NULL on ENOMEM). */
void **dt_map_slot_for(dt_map *m, const void *a, const void *b);

/* ---- vector of fixed-size elements -------------------------------- */
typedef struct dt_vec {
	void *data;
	size_t len, cap;
} dt_vec;

#define DT_VEC_INIT        \
	{                  \
		NULL, 0, 0 \
	}
/* Pointer to a new zeroed element at the end, NULL on out of memory. */
void *dt_vec_push(dt_vec *v, size_t elem);
int dt_vec_reserve(dt_vec *v, size_t elem, size_t n);
void dt_vec_free(dt_vec *v);
#define DT_VEC_AT(v, type, i) (((type *)(v).data)[i])
#define DT_VEC_PTR(v, type, i) (&((type *)(v).data)[i])

/* ---- string buffer with a sticky out-of-memory flag --------------
 * A buffer with a sink (dt_buf_stream) does not grow to hold everything
 * written: when full it hands what it holds to the sink and starts
 * again. A sink that fails stops the writing like out of memory does
 * (`oom`), and sets `sink_failed`. */
typedef int (*dt_buf_sink)(void *ctx, const char *data, size_t len);
typedef struct dt_buf {
	char *p;
	size_t len, cap;
	int oom;
	dt_buf_sink sink;
	void *ctx;
	int sink_failed;
} dt_buf;

#define DT_BUF_INIT                          \
	{                                    \
		NULL, 0, 0, 0, NULL, NULL, 0 \
	}
void dt_buf_free(dt_buf *b);
void dt_buf_grow(dt_buf *b, size_t extra);
void dt_buf_put_slow(dt_buf *b, const char *s, size_t n);

/* The serializers append hundreds of millions of short pieces: the
 * common case (room left) is inline, so that the length of a literal
 * folds and no call is made. */
static inline void dt_buf_put(dt_buf *b, const char *s, size_t n)
{
	if (!b->oom && b->cap - b->len > n) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else {
		dt_buf_put_slow(b, s, n);
	}
}

static inline void dt_buf_puts(dt_buf *b, const char *s)
{
	dt_buf_put(b, s, strlen(s));
}

static inline void dt_buf_putc(dt_buf *b, char c)
{
	dt_buf_put(b, &c, 1);
}
void dt_buf_printf(dt_buf *b, const char *fmt, ...) DT_PRINTF(2, 3);
void dt_buf_vprintf(dt_buf *b, const char *fmt, va_list ap);
/* JSON string literal with quotes; NULL gives `null`. */
void dt_buf_json_str(dt_buf *b, const char *s);
/* The escaped characters of a JSON string, without the quotes. */
void dt_buf_json_body(dt_buf *b, const char *s);
/* Hand the NUL-terminated text to the caller (out, len_out); returns 0 or
 * DRTOPO_ENOMEM (and frees the buffer either way). */
int dt_buf_finish(dt_buf *b, char **out, size_t *len_out);
/* Make b a streaming buffer of about `size` bytes that hands its text to
 * sink(ctx, ...) in pieces; 0 or DRTOPO_ENOMEM. */
int dt_buf_stream(dt_buf *b, size_t size, dt_buf_sink sink, void *ctx);
/* Hand the rest of a streaming buffer's text to its sink and free it:
 * 0, DRTOPO_ENOMEM, or DRTOPO_EIO when the sink failed. */
int dt_buf_stream_end(dt_buf *b);

/* Is s[0..n) well-formed UTF-8 (no overlongs, surrogates or code points
 * past U+10FFFF)? */
int dt_utf8_valid(const char *s, size_t n);

/* Compare two possibly NULL strings (NULL first). */
int dt_strcmp0(const char *a, const char *b);

/* The first 8 bytes of s as a big-endian number, zero-padded: two heads
 * order as strcmp() orders their strings, and equal heads whose lowest
 * byte is 0 are equal strings. A sort that keeps the head beside each
 * item compares numbers and reads a string only on a tie. */
uint64_t dt_str_head(const char *s);

#endif /* DT_UTIL_H */
