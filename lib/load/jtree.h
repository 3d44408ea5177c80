/*
 * A compact, read-only JSON tree for the topology document loader.
 *
 * jansson builds a tree of separately allocated, reference-counted,
 * hashed nodes: for a 37 MB document that is about 5 million mallocs,
 * 600 MB, and as long again to free. This tree lives in one arena: a
 * value is 16 bytes, the members of an object and the elements of an
 * array are contiguous and in document order, strings are decoded and
 * NUL-terminated, and the whole tree is freed at once.
 *
 * dt_jparse() accepts exactly what jansson's json_loadb() accepts with
 * JSON_DECODE_ANY | JSON_REJECT_DUPLICATES (RFC 8259, no "\u0000", no
 * unpaired surrogates, integers that fit a long long, reals that do not
 * overflow a double, values nested at most 2048 deep, no duplicate keys)
 * and gives the same values. It does not explain a rejection: the caller
 * asks jansson for its message (dt_json_parse_tree() in jsonutil.c), so
 * syntax errors read exactly as they did.
 *
 * Member lookup is a linear scan: the objects of a document have a
 * dozen keys at most, and only the loader's fixed keys are looked up.
 */
#ifndef DT_JTREE_H
#define DT_JTREE_H

#include <stdint.h>
#include <string.h>

#include "util/util.h"

enum dt_jtype {
	DT_JNULL,
	DT_JFALSE,
	DT_JTRUE,
	DT_JINT,
	DT_JREAL,
	DT_JSTR,
	DT_JARR,
	DT_JOBJ
};

typedef struct dt_jmember dt_jmember;

typedef struct dt_jval {
	uint32_t type; /* enum dt_jtype */
	uint32_t n;    /* STR: bytes; ARR: elements; OBJ: members */
	union {
		const char *s;		 /* STR */
		long long i;		 /* INT */
		double d;		 /* REAL */
		const struct dt_jval *a; /* ARR */
		const dt_jmember *o;	 /* OBJ, in document order */
	} u;
} dt_jval;

struct dt_jmember {
	const char *key;
	dt_jval v;
};

typedef struct dt_jtree {
	dt_arena arena;
	dt_jval root;
} dt_jtree;

/* dt_jparse() results besides 0 and DRTOPO_ENOMEM. */
#define DT_JSYNTAX 1

/* Parse text[0..len) into t (dt_jtree_free() it in every case). Returns
 * 0, DT_JSYNTAX (invalid JSON; *at is the offset where it was noticed)
 * or DRTOPO_ENOMEM (also for more than 4G members or bytes in one
 * value). */
int dt_jparse(dt_jtree *t, const char *text, size_t len, size_t *at);
void dt_jtree_free(dt_jtree *t);

/* Accessors in the manner of jansson's: every one accepts NULL and a
 * value of the wrong type, and answers NULL (or 0). */
static inline int dt_jis(const dt_jval *v, enum dt_jtype type)
{
	return v && v->type == (uint32_t)type;
}

static inline int dt_jis_obj(const dt_jval *v)
{
	return dt_jis(v, DT_JOBJ);
}

static inline int dt_jis_arr(const dt_jval *v)
{
	return dt_jis(v, DT_JARR);
}

static inline int dt_jis_str(const dt_jval *v)
{
	return dt_jis(v, DT_JSTR);
}

static inline int dt_jis_int(const dt_jval *v)
{
	return dt_jis(v, DT_JINT);
}

static inline int dt_jis_null(const dt_jval *v)
{
	return dt_jis(v, DT_JNULL);
}

static inline int dt_jis_true(const dt_jval *v)
{
	return dt_jis(v, DT_JTRUE);
}

static inline int dt_jis_bool(const dt_jval *v)
{
	return dt_jis(v, DT_JTRUE) || dt_jis(v, DT_JFALSE);
}

/* The member `key` of object o. */
static inline const dt_jval *dt_jget(const dt_jval *o, const char *key)
{
	if (!dt_jis(o, DT_JOBJ))
		return NULL;
	for (uint32_t i = 0; i < o->n; i++)
		if (o->u.o[i].key[0] == key[0] &&
		    strcmp(o->u.o[i].key, key) == 0)
			return &o->u.o[i].v;
	return NULL;
}

/* Element i of array a. */
static inline const dt_jval *dt_jat(const dt_jval *a, size_t i)
{
	return dt_jis(a, DT_JARR) && i < a->n ? &a->u.a[i] : NULL;
}

/* Elements of an array, members of an object, 0 otherwise. */
static inline size_t dt_jlen(const dt_jval *v)
{
	return dt_jis(v, DT_JARR) || dt_jis(v, DT_JOBJ) ? v->n : 0;
}

static inline const char *dt_jstr(const dt_jval *v)
{
	return dt_jis(v, DT_JSTR) ? v->u.s : NULL;
}

static inline long long dt_jint(const dt_jval *v)
{
	return dt_jis(v, DT_JINT) ? v->u.i : 0;
}

#endif
