/*
 * Topology documents ("schema": "drtopo-topology/1"): the loader.
 * drtopo-topology(5) describes the format; data/drtopo-topology.schema.json
 * is its JSON Schema.
 *
 * Three passes over the document's tree (load/jtree.h):
 *   0. validate: every key, type and required member, duplicate stack and
 *      resource ids, and the same-stack resource names that attributions
 *      ("resource" of a parameter access, export, import or output read,
 *      "via" of a replica) use. Nothing is added to the model, so a
 *      document that fails here leaves the model as it was.
 *   1. create every stack and resource,
 *   2. add the links (dependencies, references, parameters, exports,
 *      tables), which may therefore point forward. A link whose target
 *      stack or resource does not exist is recorded by name: the rules
 *      report it as DRT102. After validation only out-of-memory can fail.
 */
#include <stdio.h>
#include <string.h>

#include "load/jsonutil.h"

/* ---- the shape of the format ------------------------------------- */

enum ftype {
	F_NAME = 1,  /* non-empty string */
	F_TEXT,	     /* any string */
	F_TEXT_NULL, /* string or null, also when required */
	F_ARRAY,
	F_OBJECT,
	F_BOOL,
	F_VALUE, /* a value object (see validate_value) */
	F_INT,	 /* an integer */
	F_LINK	 /* F_NAME or an object {stack, resource} (see check_routes) */
};

typedef struct field {
	const char *key;
	unsigned char type;
	unsigned char required;
} field;

/* Optional members may be null, which means absent. Keys starting with
 * "x-" are extensions: accepted anywhere and ignored. */
static const field root_fields[] = {
	{"schema", F_NAME, 1},	     {"$schema", F_TEXT, 0},
	{"externals", F_ARRAY, 0},   {"stacks", F_ARRAY, 0},
	{"objectives", F_OBJECT, 0},
};

static const field external_fields[] = {
	{"name", F_NAME, 1},
	{"region", F_NAME, 0},
};

static const field stack_fields[] = {
	{"id", F_NAME, 1},
	{"name", F_NAME, 0},
	{"stack_name", F_NAME, 0},
	{"account", F_NAME, 0},
	{"region", F_NAME, 0},
	{"depends_on", F_ARRAY, 0},
	{"resources", F_ARRAY, 0},
	{"parameters", F_OBJECT, 0},
	{"exports", F_ARRAY, 0},
	{"imports", F_ARRAY, 0},
	{"output_reads", F_ARRAY, 0},
	{"objectives", F_OBJECT, 0},
};

static const field resource_fields[] = {
	{"id", F_NAME, 1},	     {"type", F_NAME, 1},
	{"name", F_NAME, 0},	     {"references", F_ARRAY, 0},
	{"replicas", F_ARRAY, 0},    {"replicas_include_own_region", F_BOOL, 0},
	{"key", F_VALUE, 0},	     {"replica_keys", F_OBJECT, 0},
	{"flags", F_ARRAY, 0},	     {"arns", F_ARRAY, 0},
	{"replication", F_ARRAY, 0}, {"unknown_flags", F_ARRAY, 0},
	{"objectives", F_OBJECT, 0}, {"routes", F_ARRAY, 0},
};

static const field objectives_fields[] = {
	{"rpo", F_INT, 0},
	{"rto", F_INT, 0},
	{"strategy", F_NAME, 0},
};

static const field route_fields[] = {
	{"name", F_NAME, 1},	     {"set_identifier", F_NAME, 0},
	{"policy", F_NAME, 0},	     {"flags", F_ARRAY, 0},
	{"health_check", F_LINK, 0}, {"target", F_OBJECT, 0},
	{"region", F_NAME, 0},
};

/* A route's "target", and its "health_check" when that is an object. */
static const field route_target_fields[] = {
	{"stack", F_NAME, 0},
	{"resource", F_NAME, 1},
};

static const field replication_fields[] = {
	{"kind", F_NAME, 1},   {"region", F_NAME, 0}, {"target", F_VALUE, 0},
	{"flags", F_ARRAY, 0}, {"period", F_INT, 0},
};

/* Flag names in documents, by bit. */
typedef struct flag_name {
	const char *name;
	unsigned int bit;
} flag_name;

static const flag_name resource_flags[] = {
	{"versioned", DRTOPO_RESOURCE_VERSIONED},
	{"sse-kms", DRTOPO_RESOURCE_SSE_KMS},
	{"strong-consistency", DRTOPO_RESOURCE_STRONG_CONSISTENCY},
	{NULL, 0},
};

static const flag_name replication_flags[] = {
	{"rtc", DRTOPO_REPLICATION_RTC},
	{"sse-kms-objects", DRTOPO_REPLICATION_SSE_KMS_OBJECTS},
	{"disabled", DRTOPO_REPLICATION_DISABLED},
	{NULL, 0},
};

static const flag_name route_flags[] = {
	{"secondary", DRTOPO_ROUTE_SECONDARY},
	{"default", DRTOPO_ROUTE_DEFAULT},
	{"evaluate-target-health", DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH},
	{"health-check", DRTOPO_ROUTE_HEALTH_CHECK},
	{NULL, 0},
};

static const flag_name *const flag_tables[] = {resource_flags,
					       replication_flags, route_flags};
static const char *const flag_known[] = {
	"versioned, sse-kms, strong-consistency",
	"rtc, sse-kms-objects, disabled",
	"secondary, default, evaluate-target-health, health-check"};

static const field reference_fields[] = {
	{"stack", F_NAME, 0},
	{"resource", F_NAME, 1},
	{"attribute", F_NAME, 0},
};

static const field replica_fields[] = {
	{"region", F_NAME, 1},
	{"via", F_NAME, 0},
};

static const field parameters_fields[] = {
	{"writes", F_ARRAY, 0},
	{"reads", F_ARRAY, 0},
};

static const field access_fields[] = {
	{"name", F_NAME, 1},
	{"region", F_NAME, 0},
	{"resource", F_NAME, 0},
	{"value", F_VALUE, 0},
};

static const field export_fields[] = {
	{"name", F_NAME, 1},
	{"resource", F_NAME, 0},
};

static const field output_read_fields[] = {
	{"stack", F_NAME, 1},	{"output", F_NAME, 1},	 {"region", F_NAME, 0},
	{"account", F_NAME, 0}, {"resource", F_NAME, 0},
};

/* Values: exactly one of the kind keys. */
static const field text_fields[] = {{"text", F_TEXT, 1}};
static const field arn_fields[] = {{"arn", F_TEXT, 1}};
static const field resource_value_fields[] = {
	{"stack", F_NAME, 0},
	{"resource", F_NAME, 1},
	{"attribute", F_NAME, 0},
};
static const field parameter_value_fields[] = {
	{"parameter", F_NAME, 1},
	{"region", F_NAME, 0},
};
static const field import_fields[] = {{"import", F_NAME, 1}};
static const field unknown_fields[] = {{"unknown", F_TEXT_NULL, 1}};
static const field any_value_fields[] = {
	{"text", F_TEXT, 0},	     {"arn", F_TEXT, 0},
	{"resource", F_NAME, 0},     {"stack", F_NAME, 0},
	{"attribute", F_NAME, 0},    {"parameter", F_NAME, 0},
	{"region", F_NAME, 0},	     {"import", F_NAME, 0},
	{"unknown", F_TEXT_NULL, 0},
};

#define FIELDS(a) a, DT_ARRAY_LEN(a)

/* ---- loading context ---------------------------------------------- */

typedef struct doc {
	dt_src *src;
	drtopo_model *m;
	dt_ptr ptr;
	const dt_jval *stacks_list; /* "stacks" */
	/* validation's index of ids: stack id -> position in "stacks",
	 * (stack position, resource id) -> position in its "resources"
	 * for stacks of more than DT_FEW_RESOURCES (see resource_pos) */
	struct ix_slot *ix;
	size_t ixcap, ixlen;
	drtopo_stack **stacks; /* pass 1: the created stacks, by index */
	size_t nstacks;
} doc;

static int oom(doc *d)
{
	return dt_model_error(d->m, DRTOPO_ENOMEM, "out of memory");
}

/* ---- the index of ids ----------------------------------------------
 * Open addressing over the tree's own strings (nothing is copied): a
 * stack id is keyed under IX_STACK, a resource id under the position of
 * its stack. */

#define IX_STACK UINT32_MAX

typedef struct ix_slot {
	const char *id; /* NULL: empty */
	uint32_t hash, owner, pos;
} ix_slot;

static uint32_t ix_hash(uint32_t owner, const char *id)
{
	return (uint32_t)dt_hash_bytes(id, strlen(id)) ^ (owner * 0x9E3779B9u);
}

/* The slot of (owner, id), or the empty slot where it would go. */
static ix_slot *ix_probe(const doc *d, uint32_t owner, const char *id,
			 uint32_t h)
{
	size_t j = h & (d->ixcap - 1);
	for (;; j = (j + 1) & (d->ixcap - 1)) {
		ix_slot *s = &d->ix[j];
		if (!s->id || (s->hash == h && s->owner == owner &&
			       strcmp(s->id, id) == 0))
			return s;
	}
}

/* Room for n more ids (0 or DRTOPO_ENOMEM). */
static int ix_reserve(doc *d, size_t n)
{
	size_t need = d->ixlen + n, cap = d->ixcap ? d->ixcap : 64;
	if (need * 4 <= d->ixcap * 3)
		return 0;
	while (need * 4 > cap * 3)
		cap *= 2;
	ix_slot *old = d->ix;
	size_t oldcap = d->ixcap;
	d->ix = dt_calloc(cap, sizeof(*d->ix));
	if (!d->ix) {
		d->ix = old;
		return DRTOPO_ENOMEM;
	}
	d->ixcap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].id)
			*ix_probe(d, old[i].owner, old[i].id, old[i].hash) =
				old[i];
	dt_free(old);
	return 0;
}

/* Position + 1 of a stack id (owner IX_STACK) or of a resource id of the
 * stack at position owner, 0 when not recorded. */
static size_t ix_get(const doc *d, uint32_t owner, const char *id)
{
	if (!d->ixcap)
		return 0;
	const ix_slot *s = ix_probe(d, owner, id, ix_hash(owner, id));
	return s->id ? (size_t)s->pos + 1 : 0;
}

static int ix_put(doc *d, uint32_t owner, const char *id, size_t pos)
{
	if (ix_reserve(d, 1))
		return oom(d);
	uint32_t h = ix_hash(owner, id);
	ix_slot *s = ix_probe(d, owner, id, h);
	if (!s->id)
		d->ixlen++;
	s->id = id;
	s->hash = h;
	s->owner = owner;
	s->pos = (uint32_t)pos;
	return 0;
}

static int fail(doc *d, const char *fmt, ...) DT_PRINTF(2, 3);

/* A schema error at the current pointer. */
static int fail(doc *d, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *pointer = dt_ptr_str(&d->ptr);
	if (!pointer)
		return oom(d);
	return dt_src_error(d->src, DRTOPO_ESCHEMA, pointer, "%s", msg);
}

static const char *type_name(const dt_jval *v)
{
	switch (v->type) {
	case DT_JOBJ: return "an object";
	case DT_JARR: return "an array";
	case DT_JSTR: return "a string";
	case DT_JINT:
	case DT_JREAL: return "a number";
	case DT_JTRUE:
	case DT_JFALSE: return "a boolean";
	default: return "null";
	}
}

/* Levenshtein distance, or a large number for long strings. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];
	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Keep the closest candidate within distance 2 (and shorter than the
 * candidate itself, so that "x" does not suggest "id"). */
static void consider(const char *word, const char *cand, const char **best,
		     size_t *best_d)
{
	size_t dist = edit_distance(word, cand);
	if (dist <= 2 && dist < strlen(cand) && dist < *best_d) {
		*best = cand;
		*best_d = dist;
	}
}

/* " (did you mean 'X'?)" or "" into buf. */
static const char *did_you_mean(char *buf, size_t size, const char *best)
{
	if (!best)
		return "";
	snprintf(buf, size, " (did you mean '%.64s'?)", best);
	return buf;
}

static int unknown_key(doc *d, const char *key, const field *f, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	char hint[100];
	for (size_t i = 0; i < n; i++)
		consider(key, f[i].key, &best, &best_d);
	return fail(d, "unknown key '%.64s'%s", key,
		    did_you_mean(hint, sizeof(hint), best));
}

static int check_type(doc *d, const char *key, const dt_jval *v, const field *f)
{
	if (dt_jis_null(v) && (!f->required || f->type == F_TEXT_NULL))
		return 0;
	switch (f->type) {
	case F_LINK:
		if (dt_jis_obj(v))
			return 0; /* its members: check_routes */
		if (!dt_jis_str(v))
			return fail(d,
				    "'%s' must be a string (a resource of the "
				    "same stack) or an object {stack, "
				    "resource}, not %s",
				    key, type_name(v));
		return v->n ? 0
			    : fail(d,
				   "'%s' must not be empty (leave it out or "
				   "use null)",
				   key);
	case F_NAME:
		if (!dt_jis_str(v))
			return fail(d, "'%s' must be a string, not %s", key,
				    type_name(v));
		if (v->n == 0)
			return fail(d, "'%s' must not be empty%s", key,
				    f->required ? ""
						: " (leave it out or "
						  "use null)");
		return 0;
	case F_TEXT:
	case F_TEXT_NULL:
		if (!dt_jis_str(v))
			return fail(d, "'%s' must be a string, not %s", key,
				    type_name(v));
		return 0;
	case F_ARRAY:
		if (!dt_jis_arr(v))
			return fail(d, "'%s' must be an array, not %s", key,
				    type_name(v));
		return 0;
	case F_OBJECT:
	case F_VALUE:
		if (!dt_jis_obj(v))
			return fail(d, "'%s' must be an object, not %s", key,
				    type_name(v));
		return 0;
	case F_INT:
		if (!dt_jis_int(v))
			return fail(d, "'%s' must be an integer, not %s", key,
				    type_name(v));
		return 0;
	case F_BOOL:
		if (!dt_jis_bool(v))
			return fail(d, "'%s' must be true or false, not %s",
				    key, type_name(v));
		return 0;
	default: return 0;
	}
}

/* Every member known and of its type, every required member present. */
static int check_members(doc *d, const dt_jval *obj, const field *f, size_t n)
{
	const char *key;
	const dt_jval *v;
	for (size_t k = 0; k < dt_jlen(obj); k++) {
		key = obj->u.o[k].key;
		v = &obj->u.o[k].v;
		if (strncmp(key, "x-", 2) == 0)
			continue;
		const field *hit = NULL;
		for (size_t i = 0; i < n && !hit; i++) {
			if (f[i].key[0] == key[0] && strcmp(f[i].key, key) == 0)
				hit = &f[i];
		}
		dt_ptr_push(&d->ptr, key);
		int rc = hit ? check_type(d, key, v, hit)
			     : unknown_key(d, key, f, n);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < n; i++) {
		if (f[i].required && !dt_jget(obj, f[i].key))
			return fail(d, "missing required member '%s'",
				    f[i].key);
	}
	return 0;
}

/* A member's string, NULL when absent or null. */
static const char *str(const dt_jval *obj, const char *key)
{
	return dt_jstr(dt_jget(obj, key));
}

/* A member's array or object, NULL when absent or null. */
static const dt_jval *arr(const dt_jval *obj, const char *key)
{
	const dt_jval *v = dt_jget(obj, key);
	return dt_jis_arr(v) ? v : NULL;
}

static const dt_jval *obj_member(const dt_jval *obj, const char *key)
{
	const dt_jval *v = dt_jget(obj, key);
	return dt_jis_obj(v) ? v : NULL;
}

/* ---- pass 0: validation ------------------------------------------- */

static int check_schema(doc *d, const dt_jval *root)
{
	static const char prefix[] = "drtopo-topology/";
	const dt_jval *v = dt_jget(root, "schema");
	if (!v)
		return fail(d,
			    "missing required member 'schema' (this "
			    "library reads \"schema\": \"%s\")",
			    DRTOPO_TOPOLOGY_SCHEMA);
	dt_ptr_push(&d->ptr, "schema");
	int rc = 0;
	const char *s = dt_jstr(v);
	if (!s) {
		rc = fail(d, "'schema' must be a string, not %s", type_name(v));
	} else if (strcmp(s, DRTOPO_TOPOLOGY_SCHEMA) == 0) {
		rc = 0;
	} else if (strncmp(s, prefix, sizeof(prefix) - 1) != 0) {
		rc = fail(d,
			  "not a topology document: schema '%.64s' (expected "
			  "'%s')",
			  s, DRTOPO_TOPOLOGY_SCHEMA);
	} else {
		const char *ver = s + sizeof(prefix) - 1;
		size_t digits = strspn(ver, "0123456789");
		int newer = digits > 0 && ver[digits] == '\0' &&
			    ver[0] != '0' && (digits > 1 || ver[0] > '1');
		if (newer)
			rc = fail(d,
				  "%.64s is newer than this library "
				  "supports (%s)",
				  s, DRTOPO_TOPOLOGY_SCHEMA);
		else
			rc = fail(d,
				  "unsupported schema '%.64s' (this library "
				  "reads %s)",
				  s, DRTOPO_TOPOLOGY_SCHEMA);
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* The element at the current pointer must be an object. */
static int need_object(doc *d, const dt_jval *v, const char *what)
{
	if (dt_jis_obj(v))
		return 0;
	return fail(d, "%s must be an object, not %s", what, type_name(v));
}

static int check_externals(doc *d, const dt_jval *list)
{
	size_t i;
	const dt_jval *e;
	int rc = 0;
	dt_ptr_push(&d->ptr, "externals");
	for (i = 0; (e = dt_jat(list, i)); i++) {
		dt_ptr_push_index(&d->ptr, i);
		if (dt_jis_str(e)) {
			const char *s = dt_jstr(e);
			const char *at = strrchr(s, '@');
			if (!*s)
				rc = fail(d, "an external name must not be "
					     "empty");
			else if (at && (at == s || !at[1]))
				rc = fail(d,
					  "'%.64s' is not NAME or "
					  "NAME@REGION",
					  s);
		} else if (dt_jis_obj(e)) {
			rc = check_members(d, e, FIELDS(external_fields));
		} else {
			rc = fail(d,
				  "an external must be a string "
				  "(NAME or NAME@REGION) or an object, "
				  "not %s",
				  type_name(e));
		}
		dt_ptr_pop(&d->ptr);
		if (rc)
			break;
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* Position + 1 of resource `id` among the first `n` of `list`, the
 * resources of the stack at position si; 0 if not there. Short lists
 * (most stacks; the model's own threshold) are scanned, longer ones are
 * in the index. */
static size_t resource_pos(const doc *d, size_t si, const dt_jval *list,
			   size_t n, const char *id)
{
	if (dt_jlen(list) > DT_FEW_RESOURCES)
		return ix_get(d, (uint32_t)si, id);
	for (size_t k = 0; k < n && k < dt_jlen(list); k++) {
		const char *rid = str(dt_jat(list, k), "id");
		if (rid && strcmp(rid, id) == 0)
			return k + 1;
	}
	return 0;
}

/* `name` must be a resource of stack i (an attribution or a replica's
 * "via"), checked at the current pointer. */
static int need_resource(doc *d, size_t i, const char *stack_id,
			 const char *name)
{
	/* the stack's resources, all valid by now */
	const dt_jval *list = arr(dt_jat(d->stacks_list, i), "resources");
	if (!name || resource_pos(d, i, list, dt_jlen(list), name))
		return 0;
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	char hint[100];
	for (size_t k = 0; k < dt_jlen(list); k++)
		consider(name, str(dt_jat(list, k), "id"), &best, &best_d);
	return fail(d, "stack '%.64s' has no resource '%.64s'%s", stack_id,
		    name, did_you_mean(hint, sizeof(hint), best));
}

static int validate_value(doc *d, const dt_jval *v)
{
	static const struct {
		const char *key;
		const field *f;
		size_t n;
	} kinds[] = {
		{"text", FIELDS(text_fields)},
		{"arn", FIELDS(arn_fields)},
		{"resource", FIELDS(resource_value_fields)},
		{"parameter", FIELDS(parameter_value_fields)},
		{"import", FIELDS(import_fields)},
		{"unknown", FIELDS(unknown_fields)},
	};
	if (!dt_jis_obj(v))
		return fail(d, "a value must be an object, not %s",
			    type_name(v));
	size_t found = 0, which = 0;
	for (size_t k = 0; k < DT_ARRAY_LEN(kinds); k++) {
		if (dt_jget(v, kinds[k].key)) {
			found++;
			which = k;
		}
	}
	if (found == 1)
		return check_members(d, v, kinds[which].f, kinds[which].n);
	if (found == 0) {
		/* a misspelt kind is more likely than a missing one */
		int rc = check_members(d, v, FIELDS(any_value_fields));
		if (rc)
			return rc;
	}
	return fail(d, "a value must have exactly one of 'text' (or 'arn'), "
		       "'resource', 'parameter', 'import' or 'unknown'");
}

/* Validate each element of the array member `key` of `obj` as an object
 * with fields f; `res` names the member (if any) that must be a resource
 * of stack i; `value` the member (if any) that holds a value. */
static int check_list(doc *d, const dt_jval *obj, const char *key,
		      const char *what, const field *f, size_t n, size_t si,
		      const char *sid, const char *res, const char *value)
{
	const dt_jval *list = arr(obj, key);
	size_t k;
	const dt_jval *e;
	int rc = 0;
	if (!list)
		return 0;
	dt_ptr_push(&d->ptr, key);
	for (k = 0; (e = dt_jat(list, k)); k++) {
		dt_ptr_push_index(&d->ptr, k);
		rc = need_object(d, e, what);
		if (!rc)
			rc = check_members(d, e, f, n);
		if (!rc && res) {
			dt_ptr_push(&d->ptr, res);
			rc = need_resource(d, si, sid, str(e, res));
			dt_ptr_pop(&d->ptr);
		}
		if (!rc && value && dt_jis_obj(dt_jget(e, value))) {
			dt_ptr_push(&d->ptr, value);
			rc = validate_value(d, dt_jget(e, value));
			dt_ptr_pop(&d->ptr);
		}
		dt_ptr_pop(&d->ptr);
		if (rc)
			break;
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

static int check_string_list(doc *d, const dt_jval *obj, const char *key,
			     const char *what)
{
	const dt_jval *list = arr(obj, key);
	size_t k;
	const dt_jval *e;
	int rc = 0;
	if (!list)
		return 0;
	dt_ptr_push(&d->ptr, key);
	for (k = 0; (e = dt_jat(list, k)); k++) {
		dt_ptr_push_index(&d->ptr, k);
		if (!dt_jis_str(e))
			rc = fail(d, "%s must be a string, not %s", what,
				  type_name(e));
		else if (e->n == 0)
			rc = fail(d, "%s must not be empty", what);
		dt_ptr_pop(&d->ptr);
		if (rc)
			break;
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* A list of flag names of table `which` (0: resource, 1: replication,
 * 2: route), as bits. */
static unsigned int flag_bits(const dt_jval *list, int which, const char **bad)
{
	unsigned int bits = 0;
	const dt_jval *e;
	*bad = NULL;
	for (size_t k = 0; (e = dt_jat(list, k)); k++) {
		const char *n = dt_jstr(e);
		unsigned int bit = 0;
		for (const flag_name *f = flag_tables[which]; n && f->name; f++)
			if (strcmp(f->name, n) == 0)
				bit = f->bit;
		if (!bit && !*bad)
			*bad = n ? n : "";
		bits |= bit;
	}
	return bits;
}

static int check_flags(doc *d, const dt_jval *obj, int which)
{
	const dt_jval *list = arr(obj, "flags");
	const char *bad;
	if (!list)
		return 0;
	flag_bits(list, which, &bad);
	if (!bad)
		return 0;
	dt_ptr_push(&d->ptr, "flags");
	int rc = fail(d, "unknown flag '%.64s' (known: %s)", bad,
		      flag_known[which]);
	dt_ptr_pop(&d->ptr);
	return rc;
}

static int replication_kind(const char *name)
{
	for (int k = 1; name && dt_replication_kind_name(k); k++)
		if (strcmp(dt_replication_kind_name(k), name) == 0)
			return k;
	return 0;
}

/* "unknown_flags": resource flags whose value the input did not say (a
 * template that computes VersioningConfiguration.Status). Only
 * "versioned" can be unknown, and not while "flags" sets it. */
static int check_unknown_flags(doc *d, const dt_jval *r)
{
	const dt_jval *list = arr(r, "unknown_flags"), *e;
	int rc = 0;
	if (!list)
		return 0;
	dt_ptr_push(&d->ptr, "unknown_flags");
	for (size_t k = 0; !rc && (e = dt_jat(list, k)); k++) {
		const char *n = dt_jstr(e);
		dt_ptr_push_index(&d->ptr, k);
		if (!n)
			rc = fail(d, "a flag must be a string, not %s",
				  type_name(e));
		else if (strcmp(n, "versioned") != 0)
			rc = fail(d,
				  "unknown flag '%.64s' in 'unknown_flags' "
				  "(only 'versioned' can be unknown)",
				  n);
		dt_ptr_pop(&d->ptr);
	}
	const char *bad;
	if (!rc && dt_jlen(list) &&
	    (flag_bits(arr(r, "flags"), 0, &bad) & DRTOPO_RESOURCE_VERSIONED))
		rc = fail(d, "'versioned' is in both 'flags' and "
			     "'unknown_flags'");
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* flags, arns and replication settings of a resource. */
static int check_replication(doc *d, const dt_jval *r, size_t si,
			     const char *sid)
{
	int rc = check_flags(d, r, 0);
	if (!rc)
		rc = check_unknown_flags(d, r);
	if (!rc)
		rc = check_string_list(d, r, "arns", "an ARN");
	if (!rc)
		rc = check_list(d, r, "replication", "a replication setting",
				FIELDS(replication_fields), si, sid, NULL,
				"target");
	const dt_jval *list = arr(r, "replication"), *e;
	for (size_t k = 0; !rc && (e = dt_jat(list, k)); k++) {
		dt_ptr_push(&d->ptr, "replication");
		dt_ptr_push_index(&d->ptr, k);
		rc = check_flags(d, e, 1);
		if (!rc && !replication_kind(str(e, "kind"))) {
			dt_ptr_push(&d->ptr, "kind");
			rc = fail(d,
				  "unknown replication kind '%.64s' (known: "
				  "s3-destination, global-cluster, "
				  "global-cluster-source, cluster-source, "
				  "instance-source, secret-replica, "
				  "backup-copy, backup-selection, "
				  "kms-replica-key, efs-destination)",
				  str(e, "kind"));
			dt_ptr_pop(&d->ptr);
		}
		if (!rc && dt_jis_int(dt_jget(e, "period")) &&
		    dt_jint(dt_jget(e, "period")) < -1) {
			dt_ptr_push(&d->ptr, "period");
			rc = fail(d, "'period' must be -1 (unknown) or more");
			dt_ptr_pop(&d->ptr);
		}
		dt_ptr_pop(&d->ptr);
		dt_ptr_pop(&d->ptr);
	}
	return rc;
}

/* "objectives": {rpo, rto (seconds, or null), strategy}. */
static int check_objectives(doc *d, const dt_jval *obj)
{
	const dt_jval *o = obj_member(obj, "objectives");
	int rc = 0;
	if (!o)
		return 0;
	dt_ptr_push(&d->ptr, "objectives");
	rc = check_members(d, o, FIELDS(objectives_fields));
	static const char *const figs[] = {"rpo", "rto"};
	for (size_t i = 0; !rc && i < 2; i++) {
		const dt_jval *v = dt_jget(o, figs[i]);
		if (dt_jis_int(v) &&
		    (dt_jint(v) < 0 || dt_jint(v) > 10LL * 366 * 86400)) {
			dt_ptr_push(&d->ptr, figs[i]);
			rc = fail(d,
				  "'%s' must be a number of seconds from 0 to "
				  "ten years",
				  figs[i]);
			dt_ptr_pop(&d->ptr);
		}
	}
	const char *st = str(o, "strategy");
	if (!rc && st && drtopo_strategy_from_name(st) < 0) {
		dt_ptr_push(&d->ptr, "strategy");
		rc = fail(
			d,
			"unknown strategy '%.64s' (known: BACKUP_AND_RESTORE, "
			"PILOT_LIGHT, WARM_STANDBY, HOT_STANDBY, "
			"ACTIVE_ACTIVE)",
			st);
		dt_ptr_pop(&d->ptr);
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

static int routing_policy(const char *name)
{
	for (int p = 0; name && drtopo_routing_policy_name(p); p++)
		if (strcmp(drtopo_routing_policy_name(p), name) == 0)
			return p;
	return -1;
}

/* "routes": routing records (their targets and health checks of other
 * stacks are checked once every stack is known: check_route_targets; a
 * health check named by a string is a resource of the same stack). */
static int check_routes(doc *d, const dt_jval *r, size_t si, const char *sid)
{
	int rc =
		check_list(d, r, "routes", "a routing record",
			   FIELDS(route_fields), si, sid, "health_check", NULL);
	const dt_jval *list = arr(r, "routes"), *e;
	for (size_t k = 0; !rc && (e = dt_jat(list, k)); k++) {
		dt_ptr_push(&d->ptr, "routes");
		dt_ptr_push_index(&d->ptr, k);
		rc = check_flags(d, e, 2);
		const char *pol = str(e, "policy");
		if (!rc && pol && routing_policy(pol) < 0) {
			dt_ptr_push(&d->ptr, "policy");
			rc = fail(d,
				  "unknown routing policy '%.64s' (known: "
				  "simple, failover, latency, geolocation, "
				  "geoproximity, weighted, multivalue, cidr)",
				  pol);
			dt_ptr_pop(&d->ptr);
		}
		const char *bad;
		if (!rc &&
		    !dt_route_flags_ok(pol ? routing_policy(pol)
					   : DRTOPO_ROUTING_SIMPLE,
				       flag_bits(arr(e, "flags"), 2, &bad))) {
			dt_ptr_push(&d->ptr, "flags");
			rc = fail(d, "flag 'secondary' needs policy 'failover' "
				     "and 'default' policy 'geolocation'");
			dt_ptr_pop(&d->ptr);
		}
		static const char *const links[] = {"health_check", "target"};
		for (size_t l = 0; !rc && l < DT_ARRAY_LEN(links); l++) {
			const dt_jval *t = obj_member(e, links[l]);
			if (!t)
				continue;
			dt_ptr_push(&d->ptr, links[l]);
			rc = check_members(d, t, FIELDS(route_target_fields));
			dt_ptr_pop(&d->ptr);
		}
		dt_ptr_pop(&d->ptr);
		dt_ptr_pop(&d->ptr);
	}
	return rc;
}

/* The object `key` ("target", or "health_check" as an object) of route e
 * of stack st, if any: its stack, by default st, must exist and have its
 * resource. The pointer is at the route. */
static int check_route_link(doc *d, const dt_jval *st, const dt_jval *e,
			    const char *key)
{
	const dt_jval *t = obj_member(e, key);
	if (!t)
		return 0;
	const char *tsid = str(t, "stack");
	const char *sid = tsid ? tsid : str(st, "id");
	size_t ts = ix_get(d, IX_STACK, sid);
	int rc;
	dt_ptr_push(&d->ptr, key);
	if (!ts) {
		dt_ptr_push(&d->ptr, "stack");
		rc = fail(d, "no stack '%.64s'", tsid);
	} else {
		dt_ptr_push(&d->ptr, "resource");
		rc = need_resource(d, ts - 1, sid, str(t, "resource"));
	}
	dt_ptr_pop(&d->ptr);
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* Route targets and health checks may name a resource of any stack,
 * also a later one. */
static int check_route_targets(doc *d, const dt_jval *stacks)
{
	const dt_jval *st, *r, *e;
	int rc = 0;
	dt_ptr_push(&d->ptr, "stacks");
	for (size_t i = 0; !rc && (st = dt_jat(stacks, i)); i++) {
		const dt_jval *res = arr(st, "resources");
		dt_ptr_push_index(&d->ptr, i);
		dt_ptr_push(&d->ptr, "resources");
		for (size_t k = 0; !rc && (r = dt_jat(res, k)); k++) {
			const dt_jval *routes = arr(r, "routes");
			dt_ptr_push_index(&d->ptr, k);
			dt_ptr_push(&d->ptr, "routes");
			for (size_t j = 0; !rc && (e = dt_jat(routes, j));
			     j++) {
				dt_ptr_push_index(&d->ptr, j);
				rc = check_route_link(d, st, e, "health_check");
				if (!rc)
					rc = check_route_link(d, st, e,
							      "target");
				dt_ptr_pop(&d->ptr);
			}
			dt_ptr_pop(&d->ptr);
			dt_ptr_pop(&d->ptr);
		}
		dt_ptr_pop(&d->ptr);
		dt_ptr_pop(&d->ptr);
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* The parts of a resource that may name other resources. */
static int check_resource_links(doc *d, const dt_jval *r, size_t si,
				const char *sid)
{
	int rc = check_list(d, r, "references", "a reference",
			    FIELDS(reference_fields), si, sid, NULL, NULL);
	if (!rc)
		rc = check_replication(d, r, si, sid);
	if (!rc)
		rc = check_objectives(d, r);
	if (!rc)
		rc = check_routes(d, r, si, sid);
	const dt_jval *list = arr(r, "replicas");
	size_t k;
	const dt_jval *e;
	if (!rc && list) {
		dt_ptr_push(&d->ptr, "replicas");
		for (k = 0; (e = dt_jat(list, k)); k++) {
			dt_ptr_push_index(&d->ptr, k);
			if (dt_jis_str(e)) {
				if (e->n == 0)
					rc = fail(d, "a replica region must "
						     "not be empty");
			} else if (dt_jis_obj(e)) {
				rc = check_members(d, e,
						   FIELDS(replica_fields));
				if (!rc) {
					dt_ptr_push(&d->ptr, "via");
					rc = need_resource(d, si, sid,
							   str(e, "via"));
					dt_ptr_pop(&d->ptr);
				}
			} else {
				rc = fail(d,
					  "a replica must be a region "
					  "(string) or an object, not %s",
					  type_name(e));
			}
			dt_ptr_pop(&d->ptr);
			if (rc)
				break;
		}
		dt_ptr_pop(&d->ptr);
	}
	const dt_jval *key = obj_member(r, "key");
	if (!rc && key) {
		dt_ptr_push(&d->ptr, "key");
		rc = validate_value(d, key);
		dt_ptr_pop(&d->ptr);
	}
	const dt_jval *map = obj_member(r, "replica_keys");
	const char *region;
	if (!rc && map) {
		dt_ptr_push(&d->ptr, "replica_keys");
		for (size_t j = 0; j < dt_jlen(map); j++) {
			region = map->u.o[j].key;
			e = &map->u.o[j].v;
			if (strncmp(region, "x-", 2) == 0)
				continue;
			dt_ptr_push(&d->ptr, region);
			if (!*region)
				rc = fail(d, "a replica region must not be "
					     "empty");
			else if (!dt_jis_null(e))
				rc = validate_value(d, e);
			dt_ptr_pop(&d->ptr);
			if (rc)
				break;
		}
		dt_ptr_pop(&d->ptr);
	}
	return rc;
}

static int check_resources(doc *d, const dt_jval *st, size_t si,
			   const char *sid)
{
	const dt_jval *list = arr(st, "resources");
	size_t k;
	const dt_jval *r;
	int rc = 0;
	if (!list)
		return 0;
	dt_ptr_push(&d->ptr, "resources");
	/* ids first, so that links inside the stack may point forward */
	for (k = 0; (r = dt_jat(list, k)); k++) {
		dt_ptr_push_index(&d->ptr, k);
		rc = need_object(d, r, "a resource");
		if (!rc)
			rc = check_members(d, r, FIELDS(resource_fields));
		if (!rc) {
			const char *id = str(r, "id");
			size_t first = resource_pos(d, si, list, k, id);
			dt_ptr_push(&d->ptr, "id");
			if (first)
				rc = fail(d,
					  "duplicate resource id '%.64s' "
					  "in stack '%.64s' (first at "
					  "/stacks/%zu/resources/%zu)",
					  id, sid, si, first - 1);
			else
				rc = list->n <= DT_FEW_RESOURCES
					     ? 0
					     : ix_put(d, (uint32_t)si, id, k);
			dt_ptr_pop(&d->ptr);
		}
		dt_ptr_pop(&d->ptr);
		if (rc)
			break;
	}
	for (k = 0; (r = dt_jat(list, k)); k++) {
		if (rc)
			break;
		dt_ptr_push_index(&d->ptr, k);
		rc = check_resource_links(d, r, si, sid);
		dt_ptr_pop(&d->ptr);
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

static int check_stack(doc *d, const dt_jval *st, size_t si)
{
	int rc = need_object(d, st, "a stack");
	if (!rc)
		rc = check_members(d, st, FIELDS(stack_fields));
	if (rc)
		return rc;
	const char *sid = str(st, "id");
	size_t first = ix_get(d, IX_STACK, sid);
	dt_ptr_push(&d->ptr, "id");
	if (first)
		rc = fail(d,
			  "duplicate stack id '%.64s' (first at /stacks/%zu)",
			  sid, first - 1);
	else if (dt_stack_find(d->m, sid))
		rc = fail(d, "the model already has a stack with id '%.64s'",
			  sid);
	else
		rc = ix_put(d, IX_STACK, sid, si);
	dt_ptr_pop(&d->ptr);
	if (!rc)
		rc = check_objectives(d, st);
	if (!rc)
		rc = check_resources(d, st, si, sid);
	if (!rc)
		rc = check_string_list(d, st, "depends_on",
				       "a dependency (stack id)");
	const dt_jval *params = obj_member(st, "parameters");
	if (!rc && params) {
		dt_ptr_push(&d->ptr, "parameters");
		rc = check_members(d, params, FIELDS(parameters_fields));
		if (!rc)
			rc = check_list(d, params, "writes",
					"a parameter write",
					FIELDS(access_fields), si, sid,
					"resource", "value");
		if (!rc)
			rc = check_list(d, params, "reads", "a parameter read",
					FIELDS(access_fields), si, sid,
					"resource", "value");
		dt_ptr_pop(&d->ptr);
	}
	if (!rc)
		rc = check_list(d, st, "exports", "an export",
				FIELDS(export_fields), si, sid, "resource",
				NULL);
	if (!rc)
		rc = check_list(d, st, "imports", "an import",
				FIELDS(export_fields), si, sid, "resource",
				NULL);
	if (!rc)
		rc = check_list(d, st, "output_reads", "an output read",
				FIELDS(output_read_fields), si, sid, "resource",
				NULL);
	return rc;
}

static int validate(doc *d, const dt_jval *root)
{
	int rc;
	if (!dt_jis_obj(root))
		return fail(d,
			    "a topology document must be a JSON object, "
			    "not %s",
			    type_name(root));
	if ((rc = check_schema(d, root)) ||
	    (rc = check_members(d, root, FIELDS(root_fields))))
		return rc;
	const dt_jval *ext = arr(root, "externals");
	if (ext && (rc = check_externals(d, ext)))
		return rc;
	if ((rc = check_objectives(d, root)))
		return rc;
	const dt_jval *stacks = arr(root, "stacks");
	size_t i;
	const dt_jval *st;
	if (!stacks)
		return 0;
	d->stacks_list = stacks;
	/* every id that goes into the index, so that it is sized once */
	size_t nids = stacks->n;
	for (i = 0; (st = dt_jat(stacks, i)); i++) {
		size_t n = dt_jlen(arr(st, "resources"));
		nids += n > DT_FEW_RESOURCES ? n : 0;
	}
	if (ix_reserve(d, nids))
		return oom(d);
	dt_ptr_push(&d->ptr, "stacks");
	for (i = 0; (st = dt_jat(stacks, i)); i++) {
		dt_ptr_push_index(&d->ptr, i);
		rc = check_stack(d, st, i);
		dt_ptr_pop(&d->ptr);
		if (rc)
			break;
	}
	dt_ptr_pop(&d->ptr);
	return rc ? rc : check_route_targets(d, stacks);
}

/* ---- passes 1 and 2: building ------------------------------------- */

static void build_objectives(doc *d, dt_objectives *o, const dt_jval *obj);

/* The current pointer as a location. */
static int here(doc *d, dt_loc *loc)
{
	loc->file = d->src->name;
	const char *pointer = dt_ptr_str(&d->ptr);
	loc->pointer = pointer ? dt_loc_pointer(d->m, pointer) : NULL;
	return loc->pointer ? 0 : oom(d);
}

/* A stack by id: one of this document's, through the index of ids (one
 * probe: a document names a stack for each of its dependencies), or one
 * the model already had, or NULL. */
static drtopo_stack *find_stack(const doc *d, const char *id)
{
	size_t pos = ix_get(d, IX_STACK, id);
	return pos ? d->stacks[pos - 1] : dt_stack_find(d->m, id);
}

/* A resource of `s` by id (validated to exist), or NULL for no id. */
static drtopo_resource *own_resource(drtopo_stack *s, const char *id)
{
	return id ? dt_resource_find(s, id) : NULL;
}

/* A value as the model holds it; strings are borrowed from the tree
 * (dt_value_copy interns them). */
static void build_value(doc *d, const dt_jval *v, drtopo_stack *own,
			dt_value *out)
{
	memset(out, 0, sizeof(*out));
	if (!dt_jis_obj(v))
		return; /* null: no value */
	if (dt_jget(v, "text") || dt_jget(v, "arn")) {
		out->kind = DT_VAL_TEXT;
		out->text = str(v, "text");
		if (!out->text)
			out->text = str(v, "arn");
	} else if (dt_jget(v, "resource")) {
		const char *sid = str(v, "stack");
		const char *rid = str(v, "resource");
		drtopo_stack *s = sid ? find_stack(d, sid) : own;
		out->kind = DT_VAL_RESOURCE;
		out->attr = str(v, "attribute");
		out->res = s ? dt_resource_find(s, rid) : NULL;
		if (!out->res) {
			out->stack_id = sid ? sid : own->id;
			out->res_id = rid;
		}
	} else if (dt_jget(v, "parameter")) {
		out->kind = DT_VAL_PARAM;
		out->text = str(v, "parameter");
		out->region = str(v, "region");
	} else if (dt_jget(v, "import")) {
		out->kind = DT_VAL_IMPORT;
		out->text = str(v, "import");
	} else {
		out->kind = DT_VAL_UNKNOWN;
		out->text = str(v, "unknown");
	}
}

static int build_externals(doc *d, const dt_jval *list)
{
	size_t i;
	const dt_jval *e;
	for (i = 0; (e = dt_jat(list, i)); i++) {
		int rc;
		if (dt_jis_obj(e)) {
			rc = dt_add_external(d->m, str(e, "name"),
					     str(e, "region"));
		} else {
			const char *s = dt_jstr(e);
			const char *at = strrchr(s, '@');
			if (at) {
				const char *name =
					dt_strn(d->m, s, (size_t)(at - s));
				rc = name ? dt_add_external(d->m, name, at + 1)
					  : oom(d);
			} else {
				rc = dt_add_external(d->m, s, NULL);
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int build_stacks(doc *d, const dt_jval *stacks)
{
	size_t i, k;
	const dt_jval *st, *r;
	for (i = 0; (st = dt_jat(stacks, i)); i++) {
		dt_loc loc;
		drtopo_stack *s;
		int rc;
		dt_ptr_push(&d->ptr, "stacks");
		dt_ptr_push_index(&d->ptr, i);
		if ((rc = here(d, &loc)) ||
		    (rc = dt_add_stack(d->m, str(st, "id"), str(st, "account"),
				       str(st, "region"), &loc, &s)) ||
		    (rc = drtopo_stack_set_name(s, str(st, "name"),
						str(st, "stack_name"))))
			return rc;
		d->stacks[i] = s;
		build_objectives(d, &s->obj, st);
		const dt_jval *list = arr(st, "resources");
		dt_ptr_push(&d->ptr, "resources");
		for (k = 0; (r = dt_jat(list, k)); k++) {
			dt_ptr_push_index(&d->ptr, k);
			rc = here(d, &loc);
			if (!rc)
				rc = dt_add_resource(
					s, str(r, "id"), str(r, "type"),
					str(r, "name"), &loc, NULL);
			dt_ptr_pop(&d->ptr);
			if (rc)
				return rc;
		}
		dt_ptr_pop(&d->ptr);
		dt_ptr_pop(&d->ptr);
		dt_ptr_pop(&d->ptr);
	}
	return 0;
}

static int build_table(doc *d, drtopo_resource *r, const dt_jval *jr)
{
	drtopo_stack *s = r->stack;
	const dt_jval *list = arr(jr, "replicas");
	const dt_jval *e, *key = obj_member(jr, "key"), *map;
	size_t k;
	dt_loc loc;
	dt_value v;
	int rc = 0;
	if (list && !dt_table_get(r))
		return oom(d);
	dt_ptr_push(&d->ptr, "replicas");
	for (k = 0; (e = dt_jat(list, k)); k++) {
		dt_ptr_push_index(&d->ptr, k);
		rc = here(d, &loc);
		if (!rc && dt_jis_str(e))
			rc = dt_table_add_replica(r, dt_jstr(e), NULL, &loc);
		else if (!rc)
			rc = dt_table_add_replica(
				r, str(e, "region"),
				own_resource(s, str(e, "via")), &loc);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	dt_ptr_pop(&d->ptr);
	if (dt_jis_true(dt_jget(jr, "replicas_include_own_region"))) {
		dt_table *t = dt_table_get(r);
		if (!t)
			return oom(d);
		t->cfn_replicas = 1;
	}
	if (key) {
		dt_ptr_push(&d->ptr, "key");
		build_value(d, key, s, &v);
		rc = here(d, &loc);
		if (!rc)
			rc = dt_table_set_cmk(r, &v, &loc);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	if ((map = obj_member(jr, "replica_keys"))) {
		const char *region;
		dt_ptr_push(&d->ptr, "replica_keys");
		for (size_t j = 0; j < dt_jlen(map); j++) {
			region = map->u.o[j].key;
			e = &map->u.o[j].v;
			if (strncmp(region, "x-", 2) == 0)
				continue;
			dt_ptr_push(&d->ptr, region);
			build_value(d, e, s, &v);
			rc = here(d, &loc);
			if (!rc)
				rc = dt_table_set_key(r, region, &v, &loc);
			dt_ptr_pop(&d->ptr);
			if (rc)
				return rc;
		}
		dt_ptr_pop(&d->ptr);
	}
	return 0;
}

static int build_replication(doc *d, drtopo_resource *r, const dt_jval *jr)
{
	const char *bad;
	const dt_jval *e, *list = arr(jr, "arns");
	dt_loc loc;
	int rc = 0;
	r->flags |= flag_bits(arr(jr, "flags"), 0, &bad);
	if (dt_jlen(arr(jr, "unknown_flags")))
		r->flags |= DT_RES_VERSIONING_UNKNOWN;
	dt_ptr_push(&d->ptr, "arns");
	for (size_t k = 0; !rc && (e = dt_jat(list, k)); k++) {
		dt_ptr_push_index(&d->ptr, k);
		rc = here(d, &loc);
		if (!rc)
			rc = dt_add_arn(r, dt_jstr(e), &loc);
		dt_ptr_pop(&d->ptr);
	}
	dt_ptr_pop(&d->ptr);
	list = arr(jr, "replication");
	dt_ptr_push(&d->ptr, "replication");
	for (size_t k = 0; !rc && (e = dt_jat(list, k)); k++) {
		drtopo_replication *p;
		const dt_jval *t = obj_member(e, "target");
		const dt_jval *period = dt_jget(e, "period");
		dt_ptr_push_index(&d->ptr, k);
		rc = here(d, &loc);
		if (!rc)
			rc = dt_add_replication(
				r, replication_kind(str(e, "kind")),
				str(e, "region"), &loc, &p);
		if (!rc) {
			p->flags = flag_bits(arr(e, "flags"), 1, &bad);
			if (dt_jis_int(period))
				p->period = (long)dt_jint(period);
		}
		if (!rc && t) {
			dt_value v;
			build_value(d, t, r->stack, &v);
			rc = dt_value_copy(d->m, &p->target, &v);
		}
		dt_ptr_pop(&d->ptr);
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

/* The "objectives" of obj (the root, a stack or a resource) into o. */
static void build_objectives(doc *d, dt_objectives *o, const dt_jval *obj)
{
	const dt_jval *jo = obj_member(obj, "objectives");
	if (!jo)
		return;
	const dt_jval *rpo = dt_jget(jo, "rpo");
	const dt_jval *rto = dt_jget(jo, "rto");
	const char *st = str(jo, "strategy");
	dt_objectives_set(d->m, o, dt_jis_int(rpo) ? (long)dt_jint(rpo) : -1,
			  dt_jis_int(rto) ? (long)dt_jint(rto) : -1,
			  st ? drtopo_strategy_from_name(st) : 0);
}

/* The resource that member `key` of route e of resource r names (both
 * validated): a string is a resource of r's stack, an object {stack,
 * resource} one of any stack, by default r's. NULL when absent. */
static drtopo_resource *route_link(doc *d, const drtopo_resource *r,
				   const dt_jval *e, const char *key)
{
	const dt_jval *t = obj_member(e, key);
	if (!t)
		return own_resource(r->stack, str(e, key));
	const char *sid = str(t, "stack");
	drtopo_stack *s = sid ? find_stack(d, sid) : r->stack;
	return s ? dt_resource_find(s, str(t, "resource")) : NULL;
}

static int build_routes(doc *d, drtopo_resource *r, const dt_jval *jr)
{
	const dt_jval *e, *list = arr(jr, "routes");
	const char *bad;
	dt_loc loc;
	int rc = 0;
	dt_ptr_push(&d->ptr, "routes");
	for (size_t k = 0; !rc && (e = dt_jat(list, k)); k++) {
		drtopo_route *rt;
		const char *pol = str(e, "policy");
		dt_ptr_push_index(&d->ptr, k);
		rc = here(d, &loc);
		if (!rc)
			rc = dt_add_route(r, str(e, "name"),
					  str(e, "set_identifier"),
					  pol ? routing_policy(pol)
					      : DRTOPO_ROUTING_SIMPLE,
					  &loc, &rt);
		if (!rc) {
			rt->flags = flag_bits(arr(e, "flags"), 2, &bad);
			rt->check = route_link(d, r, e, "health_check");
			if (rt->check)
				rt->flags |= DRTOPO_ROUTE_HEALTH_CHECK;
			if (str(e, "region") &&
			    !(rt->region = dt_str(d->m, str(e, "region"))))
				rc = oom(d);
		}
		if (!rc)
			rt->target = route_link(d, r, e, "target");
		dt_ptr_pop(&d->ptr);
	}
	dt_ptr_pop(&d->ptr);
	return rc;
}

static int build_resource_links(doc *d, drtopo_resource *r, const dt_jval *jr)
{
	drtopo_stack *s = r->stack;
	size_t k;
	const dt_jval *e;
	dt_loc loc;
	int rc = 0;
	dt_ptr_push(&d->ptr, "references");
	const dt_jval *list = arr(jr, "references");
	for (k = 0; (e = dt_jat(list, k)); k++) {
		const char *sid = str(e, "stack");
		const char *rid = str(e, "resource");
		drtopo_stack *ps = sid ? find_stack(d, sid) : s;
		drtopo_resource *p = ps ? dt_resource_find(ps, rid) : NULL;
		dt_ptr_push_index(&d->ptr, k);
		rc = here(d, &loc);
		if (!rc)
			rc = dt_add_ref(r, p, sid ? sid : s->id, rid,
					str(e, "attribute"), &loc);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	dt_ptr_pop(&d->ptr);
	rc = build_replication(d, r, jr);
	if (!rc)
		rc = build_table(d, r, jr);
	if (!rc && obj_member(jr, "objectives")) {
		if (!dt_res_extra_get(r))
			return oom(d);
		build_objectives(d, &r->extra->obj, jr);
	}
	return rc ? rc : build_routes(d, r, jr);
}

static int build_params(doc *d, drtopo_stack *s, const dt_jval *list, int kind)
{
	size_t k;
	const dt_jval *e;
	dt_loc loc;
	for (k = 0; (e = dt_jat(list, k)); k++) {
		drtopo_param *p;
		const dt_jval *val = obj_member(e, "value");
		dt_ptr_push_index(&d->ptr, k);
		int rc = here(d, &loc);
		if (!rc)
			rc = dt_add_param(
				s, kind, str(e, "name"), str(e, "region"),
				own_resource(s, str(e, "resource")), &loc, &p);
		if (!rc && val) {
			dt_value v;
			build_value(d, val, s, &v);
			rc = dt_value_copy(d->m, &p->value, &v);
		}
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	return 0;
}

static int build_links(doc *d, const dt_jval *st, drtopo_stack *s)
{
	size_t k;
	const dt_jval *e;
	dt_loc loc;
	int rc = 0;

	dt_ptr_push(&d->ptr, "depends_on");
	const dt_jval *list = arr(st, "depends_on");
	for (k = 0; (e = dt_jat(list, k)); k++) {
		const char *id = dt_jstr(e);
		dt_ptr_push_index(&d->ptr, k);
		rc = here(d, &loc);
		if (!rc)
			rc = dt_add_dep(s, find_stack(d, id), id, &loc);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	dt_ptr_pop(&d->ptr);

	dt_ptr_push(&d->ptr, "resources");
	list = arr(st, "resources");
	for (k = 0; (e = dt_jat(list, k)); k++) {
		drtopo_resource *r =
			DT_VEC_AT(s->resources, drtopo_resource *, k);
		dt_ptr_push_index(&d->ptr, k);
		rc = build_resource_links(d, r, e);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	dt_ptr_pop(&d->ptr);

	const dt_jval *params = obj_member(st, "parameters");
	dt_ptr_push(&d->ptr, "parameters");
	dt_ptr_push(&d->ptr, "writes");
	rc = build_params(d, s, arr(params, "writes"), DRTOPO_PARAM_WRITE);
	dt_ptr_pop(&d->ptr);
	dt_ptr_push(&d->ptr, "reads");
	if (!rc)
		rc = build_params(d, s, arr(params, "reads"),
				  DRTOPO_PARAM_READ);
	dt_ptr_pop(&d->ptr);
	dt_ptr_pop(&d->ptr);
	if (rc)
		return rc;

	static const char *const lists[] = {"exports", "imports",
					    "output_reads"};
	for (size_t l = 0; l < DT_ARRAY_LEN(lists); l++) {
		dt_ptr_push(&d->ptr, lists[l]);
		list = arr(st, lists[l]);
		for (k = 0; (e = dt_jat(list, k)); k++) {
			drtopo_resource *r =
				own_resource(s, str(e, "resource"));
			dt_ptr_push_index(&d->ptr, k);
			rc = here(d, &loc);
			if (!rc && l == 0)
				rc = dt_add_export(s, str(e, "name"), r, &loc);
			else if (!rc && l == 1)
				rc = dt_add_import(s, str(e, "name"), r, &loc);
			else if (!rc)
				rc = dt_add_output_read(
					s, str(e, "stack"), str(e, "output"),
					str(e, "region"), str(e, "account"), r,
					&loc);
			dt_ptr_pop(&d->ptr);
			if (rc)
				return rc;
		}
		dt_ptr_pop(&d->ptr);
	}
	return 0;
}

static int build(doc *d, const dt_jval *root)
{
	const dt_jval *stacks = arr(root, "stacks");
	const dt_jval *ext = arr(root, "externals");
	size_t i;
	const dt_jval *st;
	int rc;
	d->nstacks = dt_jlen(stacks);
	if (d->nstacks) {
		int ok = 1;
		size_t bytes = dt_mul(d->nstacks, sizeof(*d->stacks), &ok);
		d->stacks = ok ? dt_calloc(1, bytes) : NULL;
		if (!d->stacks)
			return oom(d);
		if ((rc = dt_model_reserve(d->m, d->nstacks)))
			return rc;
	}
	if ((ext && (rc = build_externals(d, ext))) ||
	    (stacks && (rc = build_stacks(d, stacks))))
		return rc;
	build_objectives(d, &d->m->obj, root);
	dt_ptr_push(&d->ptr, "stacks");
	for (i = 0; (st = dt_jat(stacks, i)); i++) {
		dt_ptr_push_index(&d->ptr, i);
		rc = build_links(d, st, d->stacks[i]);
		dt_ptr_pop(&d->ptr);
		if (rc)
			return rc;
	}
	dt_ptr_pop(&d->ptr);
	return 0;
}

/* ---- entry points -------------------------------------------------- */

int dt_document_load_src(drtopo_model *m, dt_src *src)
{
	dt_jtree tree;
	int rc = dt_json_parse_tree(src, &tree);
	doc d;
	memset(&d, 0, sizeof(d));
	d.src = src;
	d.m = m;
	dt_ptr_init(&d.ptr);
	if (!rc)
		rc = validate(&d, &tree.root);
	if (!rc)
		rc = build(&d, &tree.root);
	/* the tree is not needed once the model holds everything */
	dt_free(d.ix);
	dt_jtree_free(&tree);
	dt_free(d.stacks);
	dt_ptr_free(&d.ptr);
	return rc;
}

int drtopo_model_load_document(drtopo_model *m, const char *path)
{
	if (!m)
		return DRTOPO_EINVAL;
	dt_src src;
	int rc = dt_src_read(&src, m, path, NULL);
	if (rc == DRTOPO_OK)
		rc = dt_document_load_src(m, &src);
	dt_src_free(&src);
	return rc;
}

int drtopo_model_load_document_buffer(drtopo_model *m, const char *data,
				      size_t len, const char *name)
{
	if (!m)
		return DRTOPO_EINVAL;
	if (!data && len)
		return dt_model_error(m, DRTOPO_EINVAL,
				      "invalid argument: 'data'");
	dt_src src;
	memset(&src, 0, sizeof(src));
	src.m = m;
	src.name = dt_str(m, name && *name ? name : "<buffer>");
	if (!src.name)
		return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
	size_t limit = dt_model_limit(m, DRTOPO_LIMIT_FILE_SIZE);
	if (len > limit)
		return dt_model_error_at(m, DRTOPO_ELIMIT, src.name, 0, 0, NULL,
					 "input is larger than %zu bytes "
					 "(limit DRTOPO_LIMIT_FILE_SIZE)",
					 limit);
	src.text = dt_strndup(data ? data : "", len);
	if (!src.text)
		return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
	src.len = len;
	int rc = dt_document_load_src(m, &src);
	dt_src_free(&src);
	return rc;
}
