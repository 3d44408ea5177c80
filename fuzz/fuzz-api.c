/* fuzz-api: a sequence of C API calls decoded from the input. Each step
 * is one opcode byte and its operand bytes; handles are kept in small
 * tables and picked by index (a missing handle is NULL, which the API
 * must refuse with DRTOPO_EINVAL, never crash). Names come from a small
 * pool (so that they collide) or, with a marker, from the input itself
 * (any bytes, invalid UTF-8 included). At the end, and on opcode 0, the
 * model is resolved and serialized, and the canonical form must round
 * trip. */
#include "fuzz-common.h"

#define NS 8
#define NR 32
#define NP 16

typedef struct rd {
	const uint8_t *p, *end;
	char str[4][80]; /* rotating buffers for decoded names */
	int k;
} rd;

static unsigned u8(rd *r)
{
	return r->p < r->end ? *r->p++ : 0;
}

static const char *const pool[] = {"A",
				   "B",
				   "C",
				   "us-east-1",
				   "us-west-2",
				   "eu-west-1",
				   "/p/a",
				   "/p/b",
				   "Arn",
				   "Ref",
				   "X:Y",
				   "123456789012",
				   "AWS::DynamoDB::GlobalTable",
				   "AWS::S3::Bucket",
				   "AWS::KMS::Key",
				   "AWS::Lambda::Function",
				   "AWS::SSM::Parameter",
				   "AWS::RDS::GlobalCluster",
				   "",
				   "DRT101",
				   "DRT201",
				   "DRT406"};
#define NPOOL (sizeof(pool) / sizeof(pool[0]))

/* A string operand: NULL, a pool entry, or up to 64 raw input bytes. */
static const char *str(rd *r)
{
	unsigned b = u8(r);
	if (b == 0xff)
		return NULL;
	if (b < 0xf0)
		return pool[b % NPOOL];
	size_t n = u8(r) % 64;
	char *s = r->str[r->k++ % 4];
	size_t i = 0;
	for (; i < n && r->p < r->end; i++)
		s[i] = (char)(*r->p++ ? r->p[-1] : 'z');
	s[i] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd r = {.p = data, .end = data + size};
	drtopo_model *m = NULL;
	drtopo_stack *st[NS] = {0};
	drtopo_resource *res[NR] = {0};
	drtopo_param *par[NP] = {0};
	unsigned ns = 0, nr = 0, np = 0, steps = 0;
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 0;

#define S() st[u8(&r) % NS]
#define R() res[u8(&r) % NR]
#define P() par[u8(&r) % NP]
	while (r.p < r.end && steps++ < 512) {
		unsigned op = u8(&r) % 27;
		int rc = DRTOPO_OK;
		switch (op) {
		case 0: fuzz_resolve_and_serialize(m); break;
		case 1: {
			const char *id = str(&r), *acct = str(&r),
				   *reg = str(&r);
			drtopo_stack *s = NULL;
			rc = drtopo_model_add_stack(m, id, acct, reg, &s);
			if (rc == DRTOPO_OK)
				st[ns++ % NS] = s;
			break;
		}
		case 2: {
			drtopo_stack *s = S();
			const char *id = str(&r), *type = str(&r),
				   *name = str(&r);
			drtopo_resource *x = NULL;
			rc = drtopo_stack_add_resource(s, id, type, name, &x);
			if (rc == DRTOPO_OK)
				res[nr++ % NR] = x;
			break;
		}
		case 3: {
			drtopo_stack *a = S(), *b = S();
			rc = drtopo_stack_add_dependency(a, b);
			break;
		}
		case 4: {
			drtopo_resource *a = R(), *b = R();
			rc = drtopo_resource_add_reference(a, b, str(&r));
			break;
		}
		case 5: {
			drtopo_stack *s = S();
			const char *n = str(&r), *reg = str(&r);
			drtopo_param *p = NULL;
			rc = drtopo_stack_write_parameter(s, n, reg, R(), &p);
			if (rc == DRTOPO_OK)
				par[np++ % NP] = p;
			break;
		}
		case 6: {
			drtopo_stack *s = S();
			const char *n = str(&r), *reg = str(&r);
			drtopo_param *p = NULL;
			rc = drtopo_stack_read_parameter(s, n, reg, R(), &p);
			if (rc == DRTOPO_OK)
				par[np++ % NP] = p;
			break;
		}
		case 7: {
			drtopo_param *p = P();
			drtopo_resource *x = R();
			rc = drtopo_param_set_value_resource(p, x, str(&r));
			break;
		}
		case 8: {
			drtopo_param *p = P();
			rc = drtopo_param_set_value_text(p, str(&r));
			break;
		}
		case 9: {
			drtopo_resource *x = R();
			rc = drtopo_resource_add_replica(x, str(&r));
			break;
		}
		case 10: {
			drtopo_resource *a = R(), *b = R();
			rc = drtopo_resource_set_cmk(a, b);
			break;
		}
		case 11: {
			drtopo_resource *x = R();
			rc = drtopo_resource_set_cmk_arn(x, str(&r));
			break;
		}
		case 12: {
			drtopo_resource *a = R();
			const char *reg = str(&r);
			rc = drtopo_resource_set_replica_key(a, reg, R());
			break;
		}
		case 13: {
			drtopo_resource *a = R();
			const char *reg = str(&r), *arn = str(&r);
			rc = drtopo_resource_set_replica_key_arn(a, reg, arn);
			break;
		}
		case 14: {
			drtopo_resource *a = R();
			const char *reg = str(&r), *n = str(&r),
				   *preg = str(&r);
			rc = drtopo_resource_set_replica_key_parameter(a, reg,
								       n, preg);
			break;
		}
		case 15: {
			drtopo_stack *s = S();
			const char *n = str(&r);
			rc = drtopo_stack_add_export(s, n, R());
			break;
		}
		case 16: {
			drtopo_stack *s = S();
			const char *n = str(&r);
			rc = drtopo_stack_add_import(s, n, R());
			break;
		}
		case 17: {
			drtopo_stack *s = S();
			const char *a = str(&r), *o = str(&r), *reg = str(&r);
			rc = drtopo_stack_add_output_read(s, a, o, reg, R());
			break;
		}
		case 18: {
			const char *n = str(&r), *reg = str(&r);
			rc = drtopo_model_add_external(m, n, reg);
			break;
		}
		case 19: {
			const char *c = str(&r);
			rc = drtopo_model_set_rule_severity(
				m, c, (int)u8(&r) % 6 - 1);
			break;
		}
		case 20: {
			drtopo_stack *s = S();
			const char *a = str(&r), *b = str(&r);
			rc = drtopo_stack_set_name(s, a, b);
			break;
		}
		case 21: {
			/* lookups and accessors */
			drtopo_stack *s = NULL;
			drtopo_resource *x = NULL;
			const char *id = str(&r);
			if (drtopo_model_find_stack(m, id, &s) == DRTOPO_OK)
				FUZZ_CHECK(s &&
					   strcmp(drtopo_stack_id(s), id) == 0);
			s = S();
			if (s && drtopo_stack_find_resource(s, str(&r), &x) ==
					 DRTOPO_OK)
				FUZZ_CHECK(drtopo_resource_stack(x) == s);
			for (size_t i = 0; i < drtopo_model_stack_count(m); i++)
				FUZZ_CHECK(drtopo_model_stack_at(m, i));
			break;
		}
		case 22: fuzz_round_trip(m); break;
		case 23: {
			/* objectives at one of the three levels */
			long rpo = (long)u8(&r) * 60 - 60,
			     rto = (long)u8(&r) - 2;
			int strat = (int)u8(&r) % 7 - 1, lv = (int)u8(&r) % 3;
			drtopo_stack *s = S();
			drtopo_resource *x = R();
			rc = lv == 0 ? drtopo_model_set_objectives(m, rpo, rto,
								   strat)
			     : lv == 1 ? drtopo_stack_set_objectives(s, rpo,
								     rto, strat)
				       : drtopo_resource_set_objectives(
						 x, rpo, rto, strat);
			break;
		}
		case 24: {
			/* a routing record with a check, a target, a region */
			drtopo_route *rt = NULL;
			const char *name = str(&r), *sid = str(&r);
			rc = drtopo_resource_add_route(
				R(), name, sid, (int)u8(&r) % 9 - 1, &rt);
			if (rc == DRTOPO_OK) {
				drtopo_route_set_flags(rt, u8(&r) % 32);
				drtopo_route_set_health_check(rt, R());
				drtopo_route_set_target(rt, R());
				drtopo_route_set_region(rt, str(&r));
				FUZZ_CHECK(drtopo_route_name(rt));
			}
			break;
		}
		case 25: {
			/* one region or account lost */
			drtopo_result *res_ = NULL;
			drtopo_simulation *sim = NULL;
			if (drtopo_model_resolve(m, &res_) != DRTOPO_OK)
				break;
			if (drtopo_result_simulate(res_, str(&r), str(&r),
						   &sim) == DRTOPO_OK) {
				char *t = NULL;
				if (drtopo_simulation_to_text(
					    sim, 0, &t, NULL) == DRTOPO_OK)
					drtopo_free(t);
				drtopo_simulation_free(sim);
			}
			drtopo_result_free(res_);
			break;
		}
		default: {
			/* a document merged into the model */
			size_t n = u8(&r) * 4u;
			if (n > (size_t)(r.end - r.p))
				n = (size_t)(r.end - r.p);
			rc = drtopo_model_load_document_buffer(
				m, (const char *)r.p, n, "api.json");
			r.p += n;
			break;
		}
		}
		FUZZ_CHECK(rc <= 0 && rc >= DRTOPO_ELIMIT);
		FUZZ_CHECK(drtopo_model_errmsg(m) != NULL);
	}
	fuzz_resolve_and_serialize(m);
	fuzz_round_trip(m);
	drtopo_model_free(m);
	return 0;
}
