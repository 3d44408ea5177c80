/*
 * Posture rules (DRT601-DRT606): what deploys fine and defeats recovery.
 * They read the facts of lib/posture.c; DRT610 and DRT611 come from the
 * simulation (lib/simulate.c, dt_rule_simulated).
 */
#include <stdio.h>
#include <string.h>

#include "posture.h"
#include "rules/rules.h"

static const char *type_is(const drtopo_model *m, const char *type)
{
	return dt_known(m, type);
}

/* ---- DRT601 ------------------------------------------------------------ */

/* The way to copy each stateful type elsewhere, for DRT601's hint. */
static const struct {
	const char *type, *hint;
} copy_hints[] = {
	{"AWS::DynamoDB::Table",
	 "make it a global table with a replica in another region of the "
	 "model, or copy its backups there (AWS Backup copy action), or "
	 "accept the loss and say so"},
	{"AWS::DynamoDB::GlobalTable",
	 "add a replica in another region of the model, or accept the loss "
	 "and say so"},
	{"AWS::S3::Bucket",
	 "replicate it into a bucket in another region of the model (with "
	 "Replication Time Control for a bounded RPO), or accept the loss and "
	 "say so"},
	{"AWS::RDS::DBCluster",
	 "make it a member of an Aurora global database with a member in "
	 "another region of the model, or copy its backups there (AWS Backup "
	 "copy action), or accept the loss and say so"},
	{"AWS::RDS::DBInstance",
	 "add a read replica in another region of the model, or copy its "
	 "backups there (AWS Backup copy action), or accept the loss and say "
	 "so"},
	{"AWS::EFS::FileSystem",
	 "replicate it to another region of the model (EFS replication), or "
	 "copy its backups there (AWS Backup copy action), or accept the loss "
	 "and say so"},
	{"AWS::SecretsManager::Secret",
	 "add a replica region of the model to the secret (ReplicaRegions), "
	 "or accept the loss and say so"},
	{"AWS::KMS::Key",
	 "make it a multi-Region key with a replica key in another region of "
	 "the model, or accept that what it encrypts is lost with it"},
	{"AWS::KMS::ReplicaKey",
	 "add a replica key in another region of the model, or accept that "
	 "what it encrypts is lost with it"},
};

static const char *copy_hint(const drtopo_resource *r)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(copy_hints); i++)
		if (strcmp(r->type, copy_hints[i].type) == 0)
			return copy_hints[i].hint;
	return "add a copy in another region of the model, or accept the "
	       "loss and say so";
}

void dt_rule_state_without_regional_copy(dt_check *c)
{
	const dt_posture *p = c->r->posture;
	if (!p || p->nregions < 2)
		return;
	for (size_t i = 0; i < p->nstateful && !c->err; i++) {
		const drtopo_resource *r = p->stateful[i];
		const char *reg = r->stack->region;
		int maybe = 0, copied = 0;
		if (!reg || (p->flags[r->index] & DT_P_TARGET))
			continue;
		for (const dt_copy *k = p->copies[r->index]; k; k = k->next) {
			if (!k->region)
				maybe = 1;
			else if (k->region != reg)
				copied = 1;
		}
		if (copied || maybe)
			continue;
		drtopo_diagnostic *d = dt_emit(
			c, r->stack, r, NULL, NULL,
			"%s/%s (%s) has no copy outside %s: what it holds is "
			"lost with the region",
			r->stack->id, r->id, r->type, reg);
		dt_hint_static(c, d, copy_hint(r));
	}
}

/* ---- DRT602 ------------------------------------------------------------ */

void dt_rule_dr_copy_same_region(dt_check *c)
{
	const dt_posture *p = c->r->posture;
	for (size_t i = 0; p && i < p->nsame && !c->err; i++) {
		const dt_same_place *sp = &p->same[i];
		const drtopo_replication *q = sp->p;
		const drtopo_resource *r = q->res, *t = sp->target;
		const char *what =
			q->kind == DRTOPO_REPLICATION_S3_DESTINATION
				? "replicates into bucket"
			: q->kind == DRTOPO_REPLICATION_BACKUP_COPY
				? "copies its recovery points into vault"
				: "replicates from cluster";
		drtopo_diagnostic *d = dt_emit(
			c, r->stack, r, NULL, dt_at(&q->loc),
			"%s/%s %s %s/%s, in its own account and region (%s): "
			"the copy is lost with the original",
			r->stack->id, r->id, what, t->stack->id, t->id,
			dt_or(r->stack->region, "unknown"));
		dt_hint(c, d,
			"put the %s in another region (or account) of the "
			"model",
			q->kind == DRTOPO_REPLICATION_S3_DESTINATION
				? "destination bucket"
			: q->kind == DRTOPO_REPLICATION_BACKUP_COPY
				? "copy's vault"
				: "replica cluster");
		dt_relate(c, d, t->stack, t, NULL);
	}
}

/* ---- DRT603 ------------------------------------------------------------ */

static void one_region(dt_check *c, const drtopo_resource *g,
		       const dt_global_cluster *gc)
{
	drtopo_diagnostic *d;
	if (!gc || !gc->first)
		d = dt_emit(c, g->stack, g, NULL, NULL,
			    "global database %s/%s has no member cluster: it "
			    "copies nothing anywhere",
			    g->stack->id, g->id);
	else
		d = gc->members == 1
			    ? dt_emit(c, g->stack, g, NULL, NULL,
				      "global database %s/%s has no member "
				      "but %s/%s, in %s: it copies nothing to "
				      "another region",
				      g->stack->id, g->id, gc->first->stack->id,
				      gc->first->id, gc->first->stack->region)
			    : dt_emit(c, g->stack, g, NULL, NULL,
				      "global database %s/%s has %u members, "
				      "all in %s: the loss of %s loses every "
				      "copy",
				      g->stack->id, g->id, gc->members,
				      gc->first->stack->region,
				      gc->first->stack->region);
	dt_hint(c, d,
		"add a secondary cluster in another region that names the "
		"global cluster (GlobalClusterIdentifier), in a stack of that "
		"region that depends on this one");
	if (gc && gc->first)
		dt_relate(c, d, gc->first->stack, gc->first, NULL);
}

void dt_rule_global_database_one_region(dt_check *c)
{
	const dt_posture *p = c->r->posture;
	const char *gtype = type_is(c->m, "AWS::RDS::GlobalCluster");
	if (!p || !gtype)
		return;
	uint8_t *seen = dt_calloc(p->nres ? p->nres : 1, 1);
	if (!seen) {
		c->err = DRTOPO_ENOMEM;
		return;
	}
	/* Global clusters with members are in p->globals; the others (no
	 * member at all) are found by type. */
	for (size_t k = 0; k < p->nglobals && !c->err; k++) {
		const dt_global_cluster *gc = &p->globals[k];
		seen[gc->g->index] = 1;
		if (!gc->other && !gc->unknown)
			one_region(c, gc->g, gc);
	}
	for (uint32_t i = 0; i < p->nres && !c->err; i++)
		if (p->res[i]->type == gtype && !seen[i])
			one_region(c, p->res[i], NULL);
	dt_free(seen);
}

/* ---- DRT604 ------------------------------------------------------------ */

void dt_rule_routing_without_health_check(dt_check *c)
{
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->routes.len && !c->err; i++) {
		const drtopo_route *rt =
			DT_VEC_AT(m->routes, drtopo_route *, i);
		if (rt->policy == DRTOPO_ROUTING_SIMPLE ||
		    (rt->flags &
		     (DRTOPO_ROUTE_HEALTH_CHECK |
		      DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH |
		      DRTOPO_ROUTE_SECONDARY | DRTOPO_ROUTE_DEFAULT)))
			continue;
		const drtopo_resource *r = rt->res;
		drtopo_diagnostic *d = dt_emit(
			c, r->stack, r, NULL, dt_at(&rt->loc),
			"%s record %s%s%s%s has no health check: Route 53 "
			"keeps sending it traffic when its region fails",
			drtopo_routing_policy_name(rt->policy), rt->name,
			rt->set_id ? " (" : "", dt_or(rt->set_id, ""),
			rt->set_id ? ")" : "");
		dt_hint(c, d,
			"set HealthCheckId (CDK: healthCheck), or for an alias "
			"record AliasTarget.EvaluateTargetHealth: true");
	}
}

/* ---- DRT605 ------------------------------------------------------------ */

void dt_rule_health_check_unused(dt_check *c)
{
	const dt_posture *p = c->r->posture;
	const char *hc = type_is(c->m, "AWS::Route53::HealthCheck");
	if (!p || !hc)
		return;
	for (uint32_t i = 0; i < p->nres && !c->err; i++) {
		const drtopo_resource *r = p->res[i];
		if (r->type != hc || (p->flags[i] & DT_P_USED))
			continue;
		drtopo_diagnostic *d = dt_emit(
			c, r->stack, r, NULL, NULL,
			"health check %s/%s is referenced by no record set, "
			"alarm or other resource: it steers nothing",
			r->stack->id, r->id);
		dt_hint(c, d,
			"attach it to the routing record it is meant to guard "
			"(HealthCheckId) or to an alarm that acts on it, or "
			"remove it");
	}
}

/* ---- DRT606 ------------------------------------------------------------ */

/* " Rules[N]" from a setting's pointer (.../Rules/N/...), or "". */
static const char *rule_name(const drtopo_replication *q, char buf[32])
{
	const char *p =
		q->loc.pointer ? strstr(q->loc.pointer, "/Rules/") : NULL;
	unsigned long n;
	buf[0] = '\0';
	if (p && sscanf(p + 7, "%lu", &n) == 1)
		snprintf(buf, 32, " Rules[%lu]", n);
	return buf;
}

void dt_rule_kms_objects_not_replicated(dt_check *c)
{
	char num[32];
	const drtopo_model *m = c->m;
	for (size_t i = 0; i < m->extras.len && !c->err; i++) {
		const drtopo_resource *r =
			DT_VEC_AT(m->extras, drtopo_resource *, i);
		if (!(r->flags & DRTOPO_RESOURCE_SSE_KMS))
			continue;
		for (size_t j = 0; j < r->extra->repls.len && !c->err; j++) {
			const drtopo_replication *q = DT_VEC_AT(
				r->extra->repls, drtopo_replication *, j);
			if (q->kind != DRTOPO_REPLICATION_S3_DESTINATION ||
			    (q->flags & (DRTOPO_REPLICATION_SSE_KMS_OBJECTS |
					 DRTOPO_REPLICATION_DISABLED)))
				continue;
			drtopo_diagnostic *d = dt_emit(
				c, r->stack, r, NULL, dt_at(&q->loc),
				"bucket %s/%s encrypts with SSE-KMS by default "
				"but its replication rule%s%s%s does not "
				"enable SourceSelectionCriteria."
				"SseKmsEncryptedObjects: S3 skips every object "
				"written under the default encryption",
				r->stack->id, r->id, rule_name(q, num),
				q->target.kind == DT_VAL_TEXT ? " into " : "",
				q->target.kind == DT_VAL_TEXT ? q->target.text
							      : "");
			dt_hint(c, d,
				"set SourceSelectionCriteria."
				"SseKmsEncryptedObjects.Status: Enabled and a "
				"replica key "
				"(Destination.EncryptionConfiguration."
				"ReplicaKmsKeyID) in the destination's region "
				"(CDK: sseKmsEncryptedObjects: true, kmsKey)");
		}
	}
}
