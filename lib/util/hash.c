/* Hashing, string interning and the (ptr, ptr) -> ptr map. */
#include <string.h>

#include "drtopo/common.h"
#include "util.h"

/* FNV-1a over 8-byte words with a final avalanche: fast for the short
 * ids and names this library hashes. */
uint64_t dt_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xCBF29CE484222325ull ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001B3ull;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	while (n--) {
		h = (h ^ *s++) * 0x100000001B3ull;
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	return h;
}

/* ---- interning ----------------------------------------------------- */

void dt_intern_init(dt_strtab *in, dt_arena *arena)
{
	memset(in, 0, sizeof(*in));
	in->arena = arena;
}

void dt_intern_free(dt_strtab *in)
{
	dt_free(in->slots);
	in->slots = NULL;
	in->cap = in->len = 0;
}

static int intern_grow(dt_strtab *in, size_t cap)
{
	dt_strtab_slot *slots = dt_calloc(cap, sizeof(*slots));
	if (!slots)
		return DRTOPO_ENOMEM;
	for (size_t i = 0; i < in->cap; i++) {
		if (!in->slots[i].s)
			continue;
		size_t j = in->slots[i].hash & (cap - 1);
		while (slots[j].s)
			j = (j + 1) & (cap - 1);
		slots[j] = in->slots[i];
	}
	dt_free(in->slots);
	in->slots = slots;
	in->cap = cap;
	return 0;
}

int dt_intern_reserve(dt_strtab *in, size_t n)
{
	size_t need = in->len + n, cap = in->cap ? in->cap : 256;
	if (need * 4 <= in->cap * 3)
		return 0;
	while (need * 4 > cap * 3)
		cap *= 2;
	return intern_grow(in, cap);
}

static size_t intern_probe(const dt_strtab *in, const char *s, size_t n,
			   uint32_t h)
{
	size_t j = h & (in->cap - 1);
	while (in->slots[j].s) {
		if (in->slots[j].hash == h &&
		    strncmp(in->slots[j].s, s, n) == 0 &&
		    in->slots[j].s[n] == '\0')
			return j;
		j = (j + 1) & (in->cap - 1);
	}
	return j;
}

const char *dt_intern_lookup(const dt_strtab *in, const char *s, size_t n)
{
	if (!in->cap)
		return NULL;
	uint32_t h = (uint32_t)dt_hash_bytes(s, n);
	return in->slots[intern_probe(in, s, n, h)].s;
}

const char *dt_intern_n(dt_strtab *in, const char *s, size_t n)
{
	if (dt_intern_reserve(in, 1))
		return NULL;
	uint32_t h = (uint32_t)dt_hash_bytes(s, n);
	size_t j = intern_probe(in, s, n, h);
	if (in->slots[j].s)
		return in->slots[j].s;
	char *copy = dt_arena_strndup(in->arena, s, n);
	if (!copy)
		return NULL;
	in->slots[j].s = copy;
	in->slots[j].hash = h;
	in->len++;
	return copy;
}

const char *dt_intern(dt_strtab *in, const char *s)
{
	return s ? dt_intern_n(in, s, strlen(s)) : NULL;
}

/* ---- map ----------------------------------------------------------- */

void dt_map_init(dt_map *m)
{
	memset(m, 0, sizeof(*m));
}

void dt_map_free(dt_map *m)
{
	dt_free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* A slot is empty when both keys are NULL; callers never use (NULL, NULL)
 * as a key. */
static size_t map_probe(const dt_map *m, const void *a, const void *b)
{
	size_t j = dt_hash_ptr2(a, b) & (m->cap - 1);
	for (;;) {
		const dt_map_slot *s = &m->slots[j];
		if ((s->a == a && s->b == b) || (!s->a && !s->b))
			return j;
		j = (j + 1) & (m->cap - 1);
	}
}

static int map_rehash(dt_map *m, size_t cap)
{
	dt_map_slot *slots = dt_calloc(cap, sizeof(*slots));
	if (!slots)
		return DRTOPO_ENOMEM;
	dt_map old = *m;
	m->slots = slots;
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].a || old.slots[i].b)
			m->slots[map_probe(m, old.slots[i].a, old.slots[i].b)] =
				old.slots[i];
	}
	dt_free(old.slots);
	return 0;
}

int dt_map_reserve(dt_map *m, size_t n)
{
	size_t need = m->len + n;
	if (need * 4 <= m->cap * 3 && m->cap)
		return 0;
	size_t cap = m->cap ? m->cap : 64;
	while (need * 4 > cap * 3)
		cap *= 2;
	return map_rehash(m, cap);
}

void *dt_map_get(const dt_map *m, const void *a, const void *b)
{
	if (!m->cap)
		return NULL;
	const dt_map_slot *s = &m->slots[map_probe(m, a, b)];
	return (s->a || s->b) ? s->value : NULL;
}

void **dt_map_slot_for(dt_map *m, const void *a, const void *b)
{
	if (dt_map_reserve(m, 1))
		return NULL;
	dt_map_slot *s = &m->slots[map_probe(m, a, b)];
	if (!s->a && !s->b) {
		s->a = a;
		s->b = b;
		s->value = NULL;
		m->len++;
	}
	return &s->value;
}

int dt_map_put(dt_map *m, const void *a, const void *b, void *value)
{
	void **slot = dt_map_slot_for(m, a, b);
	if (!slot)
		return DRTOPO_ENOMEM;
	*slot = value;
	return 0;
}
