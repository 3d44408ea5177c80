/*
 * Posture facts of the model (0.2): recovery objectives and Route 53
 * routing records. What the simulation makes of them is lib/posture.c.
 */
#include <string.h>
#include <strings.h>

#include "apicheck.h"
#include "posture.h"

/* ---- objectives ----------------------------------------------------- */

static const char *const strategy_names[] = {
	NULL,		"BACKUP_AND_RESTORE", "PILOT_LIGHT",
	"WARM_STANDBY", "HOT_STANDBY",	      "ACTIVE_ACTIVE",
};

const char *drtopo_strategy_name(int strategy)
{
	return strategy > 0 && strategy < (int)DT_ARRAY_LEN(strategy_names)
		       ? strategy_names[strategy]
		       : NULL;
}

int drtopo_strategy_from_name(const char *name)
{
	for (int i = 1; name && i < (int)DT_ARRAY_LEN(strategy_names); i++)
		if (strcasecmp(name, strategy_names[i]) == 0)
			return i;
	return DRTOPO_EINVAL;
}

static int declares(const dt_objectives *o)
{
	return o->rpo >= 0 || o->rto >= 0 || o->strategy > 0;
}

void dt_objectives_set(drtopo_model *m, dt_objectives *o, long rpo, long rto,
		       int strategy)
{
	int before = declares(o);
	o->rpo = rpo;
	o->rto = rto;
	o->strategy = strategy;
	if (declares(o) && !before)
		m->nobjectives++;
	else if (!declares(o) && before)
		m->nobjectives--;
}

static int objectives_ok(long rpo, long rto, int strategy)
{
	return rpo >= -1 && rto >= -1 && rpo <= DT_MAX_OBJECTIVE &&
	       rto <= DT_MAX_OBJECTIVE &&
	       (strategy == 0 || drtopo_strategy_name(strategy));
}

static int get(const dt_objectives *o, long *rpo, long *rto, int *strategy)
{
	if (rpo)
		*rpo = o->rpo;
	if (rto)
		*rto = o->rto;
	if (strategy)
		*strategy = o->strategy;
	return DRTOPO_OK;
}

int drtopo_model_set_objectives(drtopo_model *m, long rpo, long rto,
				int strategy)
{
	return_if_fail(NULL, m);
	return_if_fail(m, objectives_ok(rpo, rto, strategy));
	dt_objectives_set(m, &m->obj, rpo, rto, strategy);
	return DRTOPO_OK;
}

int drtopo_stack_set_objectives(drtopo_stack *s, long rpo, long rto,
				int strategy)
{
	return_if_fail(NULL, s);
	return_if_fail(s->model, objectives_ok(rpo, rto, strategy));
	dt_objectives_set(s->model, &s->obj, rpo, rto, strategy);
	return DRTOPO_OK;
}

int drtopo_resource_set_objectives(drtopo_resource *r, long rpo, long rto,
				   int strategy)
{
	return_if_fail(NULL, r);
	drtopo_model *m = r->stack->model;
	return_if_fail(m, objectives_ok(rpo, rto, strategy));
	dt_res_extra *x = dt_res_extra_get(r);
	if (!x)
		return oom(m);
	dt_objectives_set(m, &x->obj, rpo, rto, strategy);
	return DRTOPO_OK;
}

int drtopo_model_objectives(const drtopo_model *m, long *rpo, long *rto,
			    int *strategy)
{
	return m ? get(&m->obj, rpo, rto, strategy) : DRTOPO_EINVAL;
}

int drtopo_stack_objectives(const drtopo_stack *s, long *rpo, long *rto,
			    int *strategy)
{
	return s ? get(&s->obj, rpo, rto, strategy) : DRTOPO_EINVAL;
}

static const dt_objectives none = DT_OBJECTIVES_NONE;

/* A duration (tag value): seconds, with an optional unit
 * (s, m, h, d); -1 when it is not that. */
long dt_parse_duration(const char *s)
{
	long long v = 0, unit = 1;
	size_t i = 0;
	if (!s)
		return -1;
	for (; s[i] >= '0' && s[i] <= '9' && i < 10; i++)
		v = v * 10 + (s[i] - '0');
	if (i == 0)
		return -1;
	switch (s[i]) {
	case '\0': break;
	case 's': i++; break;
	case 'm': unit = 60, i++; break;
	case 'h': unit = 3600, i++; break;
	case 'd': unit = 86400, i++; break;
	default: return -1;
	}
	if (s[i] != '\0' || v * unit > DT_MAX_OBJECTIVE)
		return -1;
	return (long)(v * unit);
}

void dt_objective_tag(dt_objectives *o, const char *key, const char *value)
{
	long v;
	int st;
	if (!key || !value || strncmp(key, "drtopo:", 7) != 0)
		return;
	key += 7;
	if (strcmp(key, "rpo") == 0 && (v = dt_parse_duration(value)) >= 0)
		o->rpo = v;
	else if (strcmp(key, "rto") == 0 && (v = dt_parse_duration(value)) >= 0)
		o->rto = v;
	else if (strcmp(key, "strategy") == 0 &&
		 (st = drtopo_strategy_from_name(value)) > 0)
		o->strategy = st;
}

int drtopo_resource_objectives(const drtopo_resource *r, long *rpo, long *rto,
			       int *strategy)
{
	if (!r)
		return DRTOPO_EINVAL;
	return get(r->extra ? &r->extra->obj : &none, rpo, rto, strategy);
}

void dt_effective_objectives(const drtopo_resource *r, dt_objectives *out)
{
	const dt_objectives *lv[3] = {r->extra ? &r->extra->obj : &none,
				      &r->stack->obj, &r->stack->model->obj};
	*out = none;
	for (int i = 2; i >= 0; i--) {
		if (lv[i]->rpo >= 0)
			out->rpo = lv[i]->rpo;
		if (lv[i]->rto >= 0)
			out->rto = lv[i]->rto;
		if (lv[i]->strategy > 0)
			out->strategy = lv[i]->strategy;
	}
}

int drtopo_resource_effective_objectives(const drtopo_resource *r, long *rpo,
					 long *rto, int *strategy)
{
	dt_objectives o;
	if (!r)
		return DRTOPO_EINVAL;
	dt_effective_objectives(r, &o);
	return get(&o, rpo, rto, strategy);
}

/* ---- routing records ------------------------------------------------ */

static const char *const policy_names[] = {
	"simple",	"failover", "latency",	  "geolocation",
	"geoproximity", "weighted", "multivalue", "cidr",
};

const char *drtopo_routing_policy_name(int policy)
{
	return policy >= 0 && policy < (int)DT_ARRAY_LEN(policy_names)
		       ? policy_names[policy]
		       : NULL;
}

/* A DNS name as Route 53 compares it: ASCII case folded, without the
 * trailing dot. Interned; NULL on ENOMEM. */
static const char *dns_name(drtopo_model *m, const char *name)
{
	char small[256];
	size_t n = strlen(name);
	char *buf = n < sizeof(small) ? small : dt_malloc(n + 1);
	if (!buf)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(name[i] >= 'A' && name[i] <= 'Z'
					? name[i] - 'A' + 'a'
					: name[i]);
	if (n > 1 && buf[n - 1] == '.')
		n--;
	const char *s = dt_strn(m, buf, n);
	if (buf != small)
		dt_free(buf);
	return s;
}

int dt_add_route(drtopo_resource *r, const char *name, const char *set_id,
		 int policy, const dt_loc *loc, drtopo_route **out)
{
	drtopo_model *m = r->stack->model;
	dt_res_extra *x = dt_res_extra_get(r);
	drtopo_route *rt = dt_arena_calloc(&m->arena, sizeof(*rt));
	if (!x || !rt || !(rt->name = dns_name(m, name)) ||
	    (set_id && !(rt->set_id = dt_str(m, set_id))) ||
	    dt_vec_reserve(&x->routes, sizeof(rt), 1) ||
	    dt_vec_reserve(&m->routes, sizeof(rt), 1))
		return oom(m);
	rt->res = r;
	rt->policy = (uint8_t)policy;
	rt->seq = (uint32_t)m->routes.len;
	if (loc)
		rt->loc = *loc;
	*(drtopo_route **)dt_vec_push(&x->routes, sizeof(rt)) = rt;
	*(drtopo_route **)dt_vec_push(&m->routes, sizeof(rt)) = rt;
	if (out)
		*out = rt;
	return DRTOPO_OK;
}

int drtopo_resource_add_route(drtopo_resource *r, const char *name,
			      const char *set_identifier, int policy,
			      drtopo_route **out)
{
	return_if_fail(NULL, r);
	drtopo_model *m = r->stack->model;
	return_if_fail(m, nonempty(name));
	return_if_fail(m, !set_identifier || nonempty(set_identifier));
	return_if_fail(m, drtopo_routing_policy_name(policy) != NULL);
	return dt_add_route(r, name, set_identifier, policy, NULL, out);
}

size_t drtopo_resource_route_count(const drtopo_resource *r)
{
	return r && r->extra ? r->extra->routes.len : 0;
}

drtopo_route *drtopo_resource_route_at(const drtopo_resource *r, size_t i)
{
	if (!r || !r->extra || i >= r->extra->routes.len)
		return NULL;
	return DT_VEC_AT(r->extra->routes, drtopo_route *, i);
}

#define ROUTE_FLAGS                                      \
	(DRTOPO_ROUTE_SECONDARY | DRTOPO_ROUTE_DEFAULT | \
	 DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH | DRTOPO_ROUTE_HEALTH_CHECK)

/* SECONDARY belongs to failover records, DEFAULT to geolocation ones. */
int dt_route_flags_ok(int policy, unsigned int flags)
{
	if (flags & ~(unsigned)ROUTE_FLAGS)
		return 0;
	if ((flags & DRTOPO_ROUTE_SECONDARY) &&
	    policy != DRTOPO_ROUTING_FAILOVER)
		return 0;
	if ((flags & DRTOPO_ROUTE_DEFAULT) &&
	    policy != DRTOPO_ROUTING_GEOLOCATION)
		return 0;
	return 1;
}

int drtopo_route_set_flags(drtopo_route *rt, unsigned int flags)
{
	return_if_fail(NULL, rt);
	return_if_fail(rt->res->stack->model,
		       dt_route_flags_ok(rt->policy, flags));
	rt->flags = flags;
	if (!(flags & DRTOPO_ROUTE_HEALTH_CHECK))
		rt->check = NULL; /* no health check: none of the model's */
	return DRTOPO_OK;
}

int drtopo_route_set_health_check(drtopo_route *rt, drtopo_resource *check)
{
	return_if_fail(NULL, rt);
	drtopo_model *m = rt->res->stack->model;
	return_if_fail(m, check && check->stack->model == m);
	rt->check = check;
	rt->flags |= DRTOPO_ROUTE_HEALTH_CHECK;
	return DRTOPO_OK;
}

int drtopo_route_set_target(drtopo_route *rt, drtopo_resource *target)
{
	return_if_fail(NULL, rt);
	drtopo_model *m = rt->res->stack->model;
	return_if_fail(m, target && target->stack->model == m);
	rt->target = target;
	return DRTOPO_OK;
}

int drtopo_route_set_region(drtopo_route *rt, const char *region)
{
	return_if_fail(NULL, rt);
	drtopo_model *m = rt->res->stack->model;
	return_if_fail(m, nonempty(region));
	if (!(rt->region = dt_str(m, region)))
		return oom(m);
	return DRTOPO_OK;
}

int drtopo_route_set_pointer(drtopo_route *rt, const char *pointer)
{
	return_if_fail(NULL, rt);
	drtopo_model *m = rt->res->stack->model;
	return_if_fail(m, text_ok(pointer));
	rt->loc.pointer = NULL;
	if (pointer && !(rt->loc.pointer = dt_loc_pointer(m, pointer)))
		return oom(m);
	return DRTOPO_OK;
}

drtopo_resource *drtopo_route_resource(const drtopo_route *rt)
{
	return rt ? rt->res : NULL;
}

const char *drtopo_route_name(const drtopo_route *rt)
{
	return rt ? rt->name : NULL;
}

const char *drtopo_route_identifier(const drtopo_route *rt)
{
	return rt ? rt->set_id : NULL;
}

int drtopo_route_policy(const drtopo_route *rt)
{
	return rt ? rt->policy : DRTOPO_EINVAL;
}

unsigned int drtopo_route_flags(const drtopo_route *rt)
{
	return rt ? rt->flags : 0;
}

drtopo_resource *drtopo_route_health_check(const drtopo_route *rt)
{
	return rt ? rt->check : NULL;
}

drtopo_resource *drtopo_route_target(const drtopo_route *rt)
{
	return rt ? rt->target : NULL;
}

const char *dt_route_region(const drtopo_route *rt)
{
	if (rt->region)
		return rt->region;
	return rt->target ? rt->target->stack->region : NULL;
}

const char *drtopo_route_region(const drtopo_route *rt)
{
	return rt ? dt_route_region(rt) : NULL;
}

const char *drtopo_route_pointer(const drtopo_route *rt)
{
	return rt ? rt->loc.pointer : NULL;
}
