/*
 * Internal utilities: arena, interning, dt_map, dt_vec, dt_buf and the
 * small helpers around them.
 */
#include <stdint.h>

#include <jansson.h>

#include "testutil.h"
#include "util/util.h"

/* ---- arena --------------------------------------------------------- */

START_TEST(arena_alloc_aligned_distinct)
{
	dt_arena a;
	dt_arena_init(&a, 256);
	char *prev = NULL;
	for (size_t n = 0; n < 300; n++) {
		char *p = dt_arena_alloc(&a, n % 23);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 8, 0);
		ck_assert_ptr_ne(p, prev);
		/* Writable over the whole request. */
		memset(p, 0xA5, n % 23);
		prev = p;
	}
	ck_assert_uint_gt(a.used_bytes, 0);
	dt_arena_free(&a);
	ck_assert_ptr_null(a.head);
	ck_assert_uint_eq(a.used_bytes, 0);
	/* Freeing twice (and an empty arena) is harmless. */
	dt_arena_free(&a);
}
END_TEST

START_TEST(arena_blocks_do_not_overlap)
{
	dt_arena a;
	dt_arena_init(&a, 128);
	enum { N = 500 };
	unsigned char *blk[N];
	size_t len[N];
	for (size_t i = 0; i < N; i++) {
		len[i] = 1 + (i * 7) % 97; /* some larger than chunk/4 */
		blk[i] = dt_arena_alloc(&a, len[i]);
		ck_assert_ptr_nonnull(blk[i]);
		memset(blk[i], (int)(i & 0xff), len[i]);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			ck_assert_uint_eq(blk[i][k], i & 0xff);
	dt_arena_free(&a);
}
END_TEST

START_TEST(arena_big_request_keeps_head_space)
{
	dt_arena a;
	dt_arena_init(&a, 1024);
	char *small1 = dt_arena_alloc(&a, 16);
	void *head = a.head;
	char *big = dt_arena_alloc(&a, 4096); /* > chunk/4: own chunk */
	ck_assert_ptr_nonnull(big);
	memset(big, 1, 4096);
	/* The head chunk is unchanged and keeps serving small requests. */
	ck_assert_ptr_eq(a.head, head);
	char *small2 = dt_arena_alloc(&a, 16);
	ck_assert_ptr_eq(small2, small1 + 16);
	dt_arena_free(&a);

	/* A big request as the very first allocation. */
	dt_arena_init(&a, 1024);
	big = dt_arena_alloc(&a, 100000);
	ck_assert_ptr_nonnull(big);
	memset(big, 2, 100000);
	ck_assert_ptr_nonnull(dt_arena_alloc(&a, 8));
	dt_arena_free(&a);
}
END_TEST

START_TEST(arena_zero_and_huge)
{
	dt_arena a;
	dt_arena_init(&a, 0); /* 0: the default chunk size */
	ck_assert_uint_gt(a.chunk_size, 0);
	void *z1 = dt_arena_alloc(&a, 0);
	void *z2 = dt_arena_alloc(&a, 0);
	ck_assert_ptr_nonnull(z1);
	ck_assert_ptr_ne(z1, z2);
	/* Sizes that overflow when rounded or with the chunk header must
	 * fail, never return a short block. */
	ck_assert_ptr_null(dt_arena_alloc(&a, SIZE_MAX));
	ck_assert_ptr_null(dt_arena_alloc(&a, SIZE_MAX - 3));
	ck_assert_ptr_null(dt_arena_alloc(&a, SIZE_MAX - 20));
	ck_assert_ptr_null(dt_arena_calloc(&a, SIZE_MAX - 7));
	/* The arena is still usable. */
	ck_assert_ptr_nonnull(dt_arena_alloc(&a, 32));
	dt_arena_free(&a);
}
END_TEST

START_TEST(arena_calloc_strings_printf)
{
	dt_arena a;
	dt_arena_init(&a, 64);
	/* Dirty the chunk first so calloc has something to clear. */
	memset(dt_arena_alloc(&a, 8), 0xff, 8);
	unsigned char *z = dt_arena_calloc(&a, 40);
	for (int i = 0; i < 40; i++)
		ck_assert_uint_eq(z[i], 0);

	char src[] = "hello world";
	char *d = dt_arena_strdup(&a, src);
	ck_assert_str_eq(d, "hello world");
	ck_assert_ptr_ne(d, src);
	src[0] = 'J';
	ck_assert_str_eq(d, "hello world");
	ck_assert_ptr_null(dt_arena_strdup(&a, NULL));

	char *n = dt_arena_strndup(&a, "abcdef", 3);
	ck_assert_str_eq(n, "abc");
	ck_assert_str_eq(dt_arena_strndup(&a, "", 0), "");

	ck_assert_str_eq(dt_arena_printf(&a, "%s-%d-%c", "x", 42, 'z'),
			 "x-42-z");
	/* Longer than any small buffer and than the chunk size. */
	char *long_text = dt_arena_printf(&a, "%0500d", 7);
	ck_assert_uint_eq(strlen(long_text), 500);
	ck_assert_int_eq(long_text[499], '7');
	ck_assert_int_eq(long_text[0], '0');
	dt_arena_free(&a);
}
END_TEST

/* ---- interning ----------------------------------------------------- */

START_TEST(intern_pointer_equality)
{
	dt_arena a;
	dt_strtab in;
	dt_arena_init(&a, 0);
	dt_intern_init(&in, &a);

	char buf1[] = "us-east-1", buf2[] = "us-east-1";
	const char *p1 = dt_intern(&in, buf1);
	const char *p2 = dt_intern(&in, buf2);
	ck_assert_ptr_nonnull(p1);
	ck_assert_ptr_eq(p1, p2);
	ck_assert_ptr_ne(p1, buf1); /* a copy, not the caller's buffer */
	buf1[0] = 'X';
	ck_assert_str_eq(p1, "us-east-1");

	const char *p3 = dt_intern(&in, "us-east-2");
	ck_assert_ptr_ne(p1, p3);
	ck_assert_str_eq(p3, "us-east-2");

	/* A prefix of an interned string is a different string. */
	const char *pre = dt_intern(&in, "us-east");
	ck_assert_ptr_ne(pre, p1);
	ck_assert_str_eq(pre, "us-east");
	/* Counted form: a substring equals the NUL-terminated text. */
	ck_assert_ptr_eq(dt_intern_n(&in, "us-east-1xyz", 9), p1);
	ck_assert_ptr_eq(dt_intern_n(&in, "us-eastern", 7), pre);

	/* Empty string and NULL. */
	const char *e1 = dt_intern(&in, "");
	ck_assert_ptr_nonnull(e1);
	ck_assert_str_eq(e1, "");
	ck_assert_ptr_eq(dt_intern_n(&in, "abc", 0), e1);
	ck_assert_ptr_null(dt_intern(&in, NULL));
	ck_assert_uint_eq(in.len, 4);

	dt_intern_free(&in);
	dt_arena_free(&a);
}
END_TEST

START_TEST(intern_lookup_never_allocates)
{
	dt_arena a;
	dt_strtab in;
	dt_arena_init(&a, 0);
	dt_intern_init(&in, &a);
	/* An empty table answers without crashing. */
	ck_assert_ptr_null(dt_intern_lookup(&in, "x", 1));
	const char *p = dt_intern(&in, "stack-a");
	ck_assert_ptr_eq(dt_intern_lookup(&in, "stack-a", 7), p);
	ck_assert_ptr_eq(dt_intern_lookup(&in, "stack-ab", 7), p);
	ck_assert_ptr_null(dt_intern_lookup(&in, "stack-b", 7));
	ck_assert_ptr_null(dt_intern_lookup(&in, "stack", 5));
	size_t len = in.len, used = a.used_bytes;
	ck_assert_ptr_null(dt_intern_lookup(&in, "never-added", 11));
	ck_assert_uint_eq(in.len, len);
	ck_assert_uint_eq(a.used_bytes, used);
	dt_intern_free(&in);
	dt_arena_free(&a);
}
END_TEST

START_TEST(intern_many_survive_growth)
{
	dt_arena a;
	dt_strtab in;
	dt_arena_init(&a, 0);
	dt_intern_init(&in, &a);
	enum { N = 20000 };
	const char **first = malloc(N * sizeof(*first));
	char name[32];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/dr/param/%d", i);
		first[i] = dt_intern(&in, name);
		ck_assert_ptr_nonnull(first[i]);
	}
	ck_assert_uint_eq(in.len, N);
	ck_assert_uint_ge(in.cap * 3, in.len * 4); /* load <= 3/4 */
	/* After many rehashes every string still maps to its first copy. */
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/dr/param/%d", i);
		ck_assert_ptr_eq(dt_intern(&in, name), first[i]);
		ck_assert_ptr_eq(dt_intern_lookup(&in, name, strlen(name)),
				 first[i]);
		ck_assert_str_eq(first[i], name);
	}
	ck_assert_uint_eq(in.len, N);
	free(first);
	dt_intern_free(&in);
	ck_assert_ptr_null(in.slots);
	dt_arena_free(&a);
}
END_TEST

/* ---- map ----------------------------------------------------------- */

START_TEST(map_put_get_replace)
{
	dt_map m;
	dt_map_init(&m);
	int k1, k2, k3, v1, v2, v3;
	/* Empty map. */
	ck_assert_ptr_null(dt_map_get(&m, &k1, NULL));
	ck_assert_int_eq(dt_map_put(&m, &k1, NULL, &v1), 0);
	ck_assert_int_eq(dt_map_put(&m, &k1, &k2, &v2), 0);
	ck_assert_int_eq(dt_map_put(&m, NULL, &k3, &v3), 0);
	ck_assert_uint_eq(m.len, 3);
	ck_assert_ptr_eq(dt_map_get(&m, &k1, NULL), &v1);
	ck_assert_ptr_eq(dt_map_get(&m, &k1, &k2), &v2);
	ck_assert_ptr_eq(dt_map_get(&m, NULL, &k3), &v3);
	/* Key pairs are ordered: (a, b) is not (b, a). */
	ck_assert_ptr_null(dt_map_get(&m, &k2, &k1));
	ck_assert_ptr_null(dt_map_get(&m, &k3, NULL));
	ck_assert_ptr_null(dt_map_get(&m, &k2, NULL));
	/* Replace keeps the count. */
	ck_assert_int_eq(dt_map_put(&m, &k1, NULL, &v3), 0);
	ck_assert_ptr_eq(dt_map_get(&m, &k1, NULL), &v3);
	ck_assert_uint_eq(m.len, 3);
	dt_map_free(&m);
	ck_assert_uint_eq(m.len, 0);
	ck_assert_ptr_null(dt_map_get(&m, &k1, NULL));
}
END_TEST

START_TEST(map_slot_for_and_reserve)
{
	dt_map m;
	dt_map_init(&m);
	int k, v;
	void **slot = dt_map_slot_for(&m, &k, NULL);
	ck_assert_ptr_nonnull(slot);
	ck_assert_ptr_null(*slot); /* inserted as NULL */
	ck_assert_uint_eq(m.len, 1);
	*slot = &v;
	ck_assert_ptr_eq(dt_map_get(&m, &k, NULL), &v);
	/* Asking again gives the same entry, not a new one. */
	ck_assert_ptr_eq(*dt_map_slot_for(&m, &k, NULL), &v);
	ck_assert_uint_eq(m.len, 1);

	ck_assert_int_eq(dt_map_reserve(&m, 1000), 0);
	ck_assert_uint_ge(m.cap * 3, (m.len + 1000) * 4);
	size_t cap = m.cap;
	ck_assert_int_eq(dt_map_reserve(&m, 10), 0);
	ck_assert_uint_eq(m.cap, cap); /* already enough room */
	ck_assert_ptr_eq(dt_map_get(&m, &k, NULL), &v);
	dt_map_free(&m);
}
END_TEST

START_TEST(map_many_entries)
{
	enum { N = 50000 };
	char *keys = malloc(N);
	dt_map m;
	dt_map_init(&m);
	for (size_t i = 0; i < N; i++) {
		ck_assert_int_eq(dt_map_put(&m, keys + i, keys + (N - 1 - i),
					    (void *)(uintptr_t)(i + 1)),
				 0);
		/* Also a second family of keys with b == NULL. */
		if (i % 3 == 0)
			ck_assert_int_eq(dt_map_put(&m, keys + i, NULL,
						    (void *)(uintptr_t)(i + 7)),
					 0);
	}
	ck_assert_uint_eq(m.len, N + (N + 2) / 3);
	for (size_t i = 0; i < N; i++) {
		ck_assert_ptr_eq(dt_map_get(&m, keys + i, keys + (N - 1 - i)),
				 (void *)(uintptr_t)(i + 1));
		ck_assert_ptr_eq(dt_map_get(&m, keys + i, NULL),
				 i % 3 == 0 ? (void *)(uintptr_t)(i + 7)
					    : NULL);
	}
	dt_map_free(&m);
	free(keys);
}
END_TEST

/* ---- vec ----------------------------------------------------------- */

typedef struct triple {
	int a;
	double b;
	const char *c;
} triple;

START_TEST(vec_push_zeroed_and_grow)
{
	dt_vec v = DT_VEC_INIT;
	for (int i = 0; i < 1000; i++) {
		triple *t = dt_vec_push(&v, sizeof(triple));
		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->a, 0);
		ck_assert_ptr_null(t->c);
		t->a = i;
		t->b = i * 0.5;
	}
	ck_assert_uint_eq(v.len, 1000);
	ck_assert_uint_ge(v.cap, v.len);
	for (int i = 0; i < 1000; i++) {
		ck_assert_int_eq(DT_VEC_PTR(v, triple, i)->a, i);
		ck_assert(DT_VEC_AT(v, triple, i).b == i * 0.5);
	}
	/* A popped element comes back zeroed on the next push. */
	v.len--;
	triple *t = dt_vec_push(&v, sizeof(triple));
	ck_assert_int_eq(t->a, 0);
	dt_vec_free(&v);
	ck_assert_ptr_null(v.data);
	ck_assert_uint_eq(v.len, 0);
	ck_assert_uint_eq(v.cap, 0);
}
END_TEST

START_TEST(vec_reserve)
{
	dt_vec v = DT_VEC_INIT;
	ck_assert_int_eq(dt_vec_reserve(&v, sizeof(int), 100), 0);
	ck_assert_uint_ge(v.cap, 100);
	ck_assert_uint_eq(v.len, 0);
	void *data = v.data;
	for (int i = 0; i < 100; i++)
		*(int *)dt_vec_push(&v, sizeof(int)) = i;
	ck_assert_ptr_eq(v.data, data); /* no regrowth inside a reservation */
	ck_assert_int_eq(DT_VEC_AT(v, int, 99), 99);
	/* Sizes that cannot be represented fail instead of wrapping. */
	ck_assert_int_eq(dt_vec_reserve(&v, sizeof(int), SIZE_MAX / 2),
			 DRTOPO_ENOMEM);
	ck_assert_uint_eq(v.len, 100);
	ck_assert_int_eq(DT_VEC_AT(v, int, 42), 42);
	dt_vec_free(&v);
}
END_TEST

/* ---- buf ----------------------------------------------------------- */

/* Render s with dt_buf_json_str into a malloc'ed string. */
static char *json_str(const char *s)
{
	dt_buf b = DT_BUF_INIT;
	char *out = NULL;
	dt_buf_json_str(&b, s);
	ck_assert_int_eq(dt_buf_finish(&b, &out, NULL), 0);
	return out;
}

START_TEST(buf_put_printf_finish)
{
	dt_buf b = DT_BUF_INIT;
	dt_buf_puts(&b, "ab");
	dt_buf_putc(&b, 'c');
	dt_buf_put(&b, "defXYZ", 3);
	dt_buf_printf(&b, "-%d-%s", 12, "x");
	ck_assert_uint_eq(b.len, 11);
	ck_assert_str_eq(b.p, "abcdef-12-x");
	/* printf output longer than the internal small buffer. */
	dt_buf_printf(&b, "%0300d|", 5);
	ck_assert_uint_eq(b.len, 11 + 301);
	ck_assert_int_eq(b.p[11 + 299], '5');
	ck_assert_int_eq(b.p[11 + 300], '|');
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(dt_buf_finish(&b, &out, &len), 0);
	ck_assert_uint_eq(len, 312);
	ck_assert_uint_eq(strlen(out), 312);
	ck_assert_ptr_null(b.p); /* ownership moved to the caller */
	ck_assert_uint_eq(b.len, 0);
	dt_free(out);
}
END_TEST

START_TEST(buf_empty_finish)
{
	dt_buf b = DT_BUF_INIT;
	char *out = NULL;
	size_t len = 99;
	ck_assert_int_eq(dt_buf_finish(&b, &out, &len), 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(len, 0);
	dt_free(out);
	/* len_out may be NULL. */
	dt_buf_puts(&b, "x");
	ck_assert_int_eq(dt_buf_finish(&b, &out, NULL), 0);
	ck_assert_str_eq(out, "x");
	dt_free(out);
}
END_TEST

START_TEST(buf_growth_large)
{
	dt_buf b = DT_BUF_INIT;
	for (int i = 0; i < 100000; i++)
		dt_buf_putc(&b, (char)('a' + i % 26));
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.oom, 0);
	ck_assert_int_eq(b.p[100000], '\0');
	ck_assert_int_eq(b.p[26 * 1000 + 3], 'd');
	dt_buf_free(&b);
	ck_assert_ptr_null(b.p);
}
END_TEST

START_TEST(buf_oom_is_sticky)
{
	dt_buf b = DT_BUF_INIT;
	dt_buf_puts(&b, "abc");
	b.oom = 1; /* as after a failed growth */
	dt_buf_puts(&b, "def");
	ck_assert_uint_eq(b.len, 3);
	char *out = (char *)0x1;
	ck_assert_int_eq(dt_buf_finish(&b, &out, NULL), DRTOPO_ENOMEM);
	ck_assert_ptr_eq(out, (char *)0x1); /* untouched */
	ck_assert_ptr_null(b.p);	    /* and the buffer is freed */
	/* A size that cannot be represented sets the flag. */
	dt_buf c = DT_BUF_INIT;
	dt_buf_grow(&c, SIZE_MAX - 1);
	ck_assert_int_eq(c.oom, 1);
	dt_buf_free(&c);
}
END_TEST

START_TEST(json_str_escapes)
{
	char *s;
	ck_assert_str_eq(s = json_str(NULL), "null");
	dt_free(s);
	ck_assert_str_eq(s = json_str(""), "\"\"");
	dt_free(s);
	ck_assert_str_eq(s = json_str("plain"), "\"plain\"");
	dt_free(s);
	ck_assert_str_eq(s = json_str("a\"b\\c"), "\"a\\\"b\\\\c\"");
	dt_free(s);
	ck_assert_str_eq(s = json_str("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
	dt_free(s);
	ck_assert_str_eq(s = json_str("\x01x\x1f\x10"),
			 "\"\\u0001x\\u001f\\u0010\"");
	dt_free(s);
	/* '/' and DEL need no escape. */
	ck_assert_str_eq(s = json_str("a/b\x7f"), "\"a/b\x7f\"");
	dt_free(s);
	/* Escapes at both ends and back to back. */
	ck_assert_str_eq(s = json_str("\"\"\x02\\"), "\"\\\"\\\"\\u0002\\\\\"");
	dt_free(s);
}
END_TEST

START_TEST(json_str_utf8_passthrough)
{
	/* é, €, U+1F600 and U+2028 go through byte for byte. */
	const char *in =
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8";
	char *s = json_str(in);
	size_t n = strlen(in);
	ck_assert_uint_eq(strlen(s), n + 2);
	ck_assert_int_eq(memcmp(s + 1, in, n), 0);
	/* And jansson reads it back to the same bytes. */
	json_error_t err;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &err);
	ck_assert_msg(j != NULL, "%s", err.text);
	ck_assert_str_eq(json_string_value(j), in);
	json_decref(j);
	dt_free(s);
}
END_TEST

START_TEST(json_str_roundtrip_all_ascii)
{
	/* Every byte 1..127 in one string survives a parse by jansson. */
	char in[128];
	for (int i = 1; i < 128; i++)
		in[i - 1] = (char)i;
	in[127] = '\0';
	char *s = json_str(in);
	json_error_t err;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &err);
	ck_assert_msg(j != NULL, "%s: %s", err.text, s);
	ck_assert_uint_eq(json_string_length(j), 127);
	ck_assert_int_eq(memcmp(json_string_value(j), in, 127), 0);
	json_decref(j);
	/* No raw control character is left in the output. */
	for (const char *p = s; *p; p++)
		ck_assert_uint_ge((unsigned char)*p, 0x20);
	dt_free(s);
}
END_TEST

/* The escaping of one byte, as JSON says it (the reference for the
 * word-at-a-time scan). */
static void escape_ref(dt_buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[7] = "\\u00";
	switch (c) {
	case '"': dt_buf_puts(b, "\\\""); return;
	case '\\': dt_buf_puts(b, "\\\\"); return;
	case '\n': dt_buf_puts(b, "\\n"); return;
	case '\r': dt_buf_puts(b, "\\r"); return;
	case '\t': dt_buf_puts(b, "\\t"); return;
	case '\b': dt_buf_puts(b, "\\b"); return;
	case '\f': dt_buf_puts(b, "\\f"); return;
	default: break;
	}
	if (c >= 0x20) {
		dt_buf_putc(b, (char)c);
		return;
	}
	u[4] = hex[c >> 4];
	u[5] = hex[c & 15];
	dt_buf_put(b, u, 6);
}

START_TEST(json_str_every_byte_at_every_offset)
{
	/* Each byte 1..255 at each place of a 20-byte run of letters (so at
	 * every offset of the 8-byte words the scan reads), and next to
	 * another special byte. */
	dt_buf got = DT_BUF_INIT, want = DT_BUF_INIT;
	char in[24];
	for (int c = 1; c < 256; c++) {
		for (int at = 0; at < 20; at++) {
			for (int i = 0; i < 20; i++)
				in[i] = (char)('a' + i);
			in[at] = (char)c;
			if (at + 1 < 20 && (c % 3) == 0)
				in[at + 1] = '"';
			in[20] = '\0';
			got.len = want.len = 0;
			dt_buf_json_body(&got, in);
			dt_buf_put(&want, "", 0);
			for (int i = 0; i < 20; i++)
				escape_ref(&want, (unsigned char)in[i]);
			ck_assert_msg(got.len == want.len &&
					      memcmp(got.p, want.p, got.len) ==
						      0,
				      "byte 0x%02x at %d: %s", c, at, got.p);
		}
	}
	dt_buf_free(&got);
	dt_buf_free(&want);
}
END_TEST

START_TEST(json_str_appends)
{
	dt_buf b = DT_BUF_INIT;
	dt_buf_puts(&b, "[");
	dt_buf_json_str(&b, "x\ty");
	dt_buf_puts(&b, ",");
	dt_buf_json_str(&b, NULL);
	dt_buf_puts(&b, "]");
	ck_assert_str_eq(b.p, "[\"x\\ty\",null]");
	dt_buf_free(&b);
}
END_TEST

/* ---- small helpers ------------------------------------------------- */

START_TEST(strcmp0_orders_null_first)
{
	ck_assert_int_eq(dt_strcmp0(NULL, NULL), 0);
	ck_assert_int_lt(dt_strcmp0(NULL, ""), 0);
	ck_assert_int_gt(dt_strcmp0("", NULL), 0);
	ck_assert_int_lt(dt_strcmp0("a", "b"), 0);
	ck_assert_int_gt(dt_strcmp0("b", "a"), 0);
	char x[] = "same";
	ck_assert_int_eq(dt_strcmp0(x, "same"), 0);
}
END_TEST

/* Heads order as strcmp() orders their strings, and a tie with a NUL
 * among the 8 bytes means equal strings. */
START_TEST(str_head_orders_as_strcmp)
{
	static const char *const s[] = {
		"",	     "a",	 "ab",	      "abcdefg",     "abcdefgh",
		"abcdefghi", "abcdefgi", "abcdefh",   "\x7f",	     "\x80",
		"\xff\xff",  "b",	 "abcdefgh~", "abcdefgh\x01"};
	size_t n = sizeof(s) / sizeof(*s);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			uint64_t a = dt_str_head(s[i]), b = dt_str_head(s[j]);
			int want = strcmp(s[i], s[j]);
			if (a != b)
				ck_assert_int_eq(a < b ? -1 : 1,
						 want < 0 ? -1 : 1);
			else if (!(a & 0xff))
				ck_assert_int_eq(want, 0);
		}
	ck_assert(dt_str_head("") == 0);
	ck_assert(dt_str_head("A") == (uint64_t)0x41 << 56);
}
END_TEST

START_TEST(mul_and_strndup_and_hash)
{
	int ok = 1;
	ck_assert_uint_eq(dt_mul(6, 7, &ok), 42);
	ck_assert_int_eq(ok, 1);
	ck_assert_uint_eq(dt_mul(SIZE_MAX, 0, &ok), 0);
	ck_assert_int_eq(ok, 1);
	ck_assert_uint_eq(dt_mul(SIZE_MAX / 2 + 1, 2, &ok), 0);
	ck_assert_int_eq(ok, 0);

	char *d = dt_strndup("abcdef", 4);
	ck_assert_str_eq(d, "abcd");
	dt_free(d);
	dt_free(NULL); /* harmless */

	/* Hashing is a pure function of the bytes (no seed, no state). */
	ck_assert_uint_eq(dt_hash_bytes("stack", 5), dt_hash_bytes("stack", 5));
	ck_assert_uint_ne(dt_hash_bytes("stack", 5), dt_hash_bytes("stacK", 5));
	ck_assert_uint_ne(dt_hash_bytes("abcdefgh1", 9),
			  dt_hash_bytes("abcdefgh2", 9));
	ck_assert_uint_ne(dt_hash_bytes("", 0), dt_hash_bytes("\0", 1));
	int x, y;
	ck_assert_uint_eq(dt_hash_ptr2(&x, &y), dt_hash_ptr2(&x, &y));
	ck_assert_uint_ne(dt_hash_ptr2(&x, &y), dt_hash_ptr2(&y, &x));
}
END_TEST

#ifdef DRTOPO_FAULT_INJECTION
START_TEST(fault_injection_paths)
{
	/* Each structure reports the failure and stays consistent. */
	dt_vec v = DT_VEC_INIT;
	dt_fault_arm(1);
	ck_assert_ptr_null(dt_vec_push(&v, sizeof(int)));
	dt_fault_disarm();
	ck_assert_uint_eq(v.len, 0);
	ck_assert_ptr_nonnull(dt_vec_push(&v, sizeof(int)));
	dt_vec_free(&v);

	dt_buf b = DT_BUF_INIT;
	dt_fault_arm(1);
	dt_buf_puts(&b, "x");
	dt_fault_disarm();
	ck_assert_int_eq(b.oom, 1);
	char *out = NULL;
	ck_assert_int_eq(dt_buf_finish(&b, &out, NULL), DRTOPO_ENOMEM);
	ck_assert_ptr_null(out);

	dt_arena a;
	dt_strtab in;
	dt_arena_init(&a, 0);
	dt_intern_init(&in, &a);
	dt_fault_arm(1);
	ck_assert_ptr_null(dt_intern(&in, "x"));
	dt_fault_disarm();
	ck_assert_uint_eq(in.len, 0);
	ck_assert_ptr_nonnull(dt_intern(&in, "x"));
	dt_intern_free(&in);
	dt_arena_free(&a);

	dt_map m;
	dt_map_init(&m);
	dt_fault_arm(1);
	ck_assert_int_eq(dt_map_put(&m, &a, NULL, &b), DRTOPO_ENOMEM);
	dt_fault_disarm();
	ck_assert_uint_eq(m.len, 0);
	dt_map_free(&m);
}
END_TEST
#endif

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("arena");
	tcase_add_test(tc, arena_alloc_aligned_distinct);
	tcase_add_test(tc, arena_blocks_do_not_overlap);
	tcase_add_test(tc, arena_big_request_keeps_head_space);
	tcase_add_test(tc, arena_zero_and_huge);
	tcase_add_test(tc, arena_calloc_strings_printf);
	suite_add_tcase(s, tc);

	tc = tcase_create("intern");
	tcase_add_test(tc, intern_pointer_equality);
	tcase_add_test(tc, intern_lookup_never_allocates);
	tcase_add_test(tc, intern_many_survive_growth);
	suite_add_tcase(s, tc);

	tc = tcase_create("map");
	tcase_add_test(tc, map_put_get_replace);
	tcase_add_test(tc, map_slot_for_and_reserve);
	tcase_add_test(tc, map_many_entries);
	suite_add_tcase(s, tc);

	tc = tcase_create("vec");
	tcase_add_test(tc, vec_push_zeroed_and_grow);
	tcase_add_test(tc, vec_reserve);
	suite_add_tcase(s, tc);

	tc = tcase_create("buf");
	tcase_add_test(tc, buf_put_printf_finish);
	tcase_add_test(tc, buf_empty_finish);
	tcase_add_test(tc, buf_growth_large);
	tcase_add_test(tc, buf_oom_is_sticky);
	tcase_add_test(tc, json_str_escapes);
	tcase_add_test(tc, json_str_utf8_passthrough);
	tcase_add_test(tc, json_str_roundtrip_all_ascii);
	tcase_add_test(tc, json_str_appends);
	tcase_add_test(tc, json_str_every_byte_at_every_offset);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, strcmp0_orders_null_first);
	tcase_add_test(tc, str_head_orders_as_strcmp);
	tcase_add_test(tc, mul_and_strndup_and_hash);
#ifdef DRTOPO_FAULT_INJECTION
	tcase_add_test(tc, fault_injection_paths);
#endif
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(util_suite)
