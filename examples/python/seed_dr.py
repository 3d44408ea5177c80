#!/usr/bin/env python3
"""seed_dr: the seed disaster-recovery app (15 CDK stacks over us-east-1 and
us-east-2) built through the Python bindings, then checked: prints the
findings and the deployment plan.

    DRTOPO_LIBRARY=build/lib/libdrtopo.so PYTHONPATH=bindings/python \\
        python3 examples/python/seed_dr.py [model-response|ideal-response|fixed]

Variants (see the seed topology notes):

* model-response: strong references from us-east-1 into us-east-2 stacks
  (DRT201 twice), a CMK-encrypted global table with no replica key for
  us-east-2 (DRT401), and a second "dr-sessions-dev" table in us-east-2
  where the global table already has its replica (DRT406);
* ideal-response: the values read from SSM in us-east-1, where nobody
  writes them (DRT302 twice), and the same second table (DRT406);
* fixed (default): the values travel with a carrier that writes into the
  consumer's region, the replica key map holds the us-east-2 key, and the
  secondary region uses the replica: no errors.

Exit status: 1 when there is an error finding, else 0.
"""

from __future__ import annotations

import sys
from typing import Dict, List

import drtopo

PRIMARY, SECONDARY = "us-east-1", "us-east-2"
REGIONS = {"Primary": PRIMARY, "Secondary": SECONDARY}


def build(model: drtopo.Model, variant: str) -> None:
    """Add the seed app's stacks, resources and wiring to ``model``."""
    stack: Dict[str, drtopo.Stack] = {}
    for name in ("Kms", "Network", "Monitoring", "Database", "Storage",
                 "Compute", "Backup"):
        for side, region in REGIONS.items():
            stack[name + side] = model.add_stack(
                "%s%s-dev" % (name, side), region=region)  # account unknown
    stack["Failover"] = model.add_stack("Failover-dev", region=PRIMARY)

    # The seed's deployment order.
    for side in REGIONS:
        for later, earlier in (("Database", "Kms"), ("Database", "Network"),
                               ("Compute", "Storage"), ("Compute", "Network"),
                               ("Compute", "Monitoring"), ("Backup", "Database"),
                               ("Backup", "Storage")):
            stack[later + side].add_dependency(stack[earlier + side])
    stack["StoragePrimary"].add_dependency(stack["KmsPrimary"])
    stack["StoragePrimary"].add_dependency(stack["KmsSecondary"])
    stack["StorageSecondary"].add_dependency(stack["KmsSecondary"])
    stack["Failover"].add_dependency(stack["ComputePrimary"])
    stack["Failover"].add_dependency(stack["ComputeSecondary"])

    key, vpc, topic, cluster, alb, table = {}, {}, {}, {}, {}, {}
    for side, region in REGIONS.items():
        kms = stack["Kms" + side]
        key[side] = kms.add_resource("Key", "AWS::KMS::Key")
        kms.add_resource("KeyAlias", "AWS::KMS::Alias",
                         "alias/dr-dev-" + region).add_reference(key[side])
        name = "/dr/dev/kms-key-arn/" + region
        writer = kms.add_resource("KeyArnParameter", "AWS::SSM::Parameter", name)
        kms.write_parameter(name, resource=writer, value=key[side],
                            attribute="Arn")

        net = stack["Network" + side]
        vpc[side] = net.add_resource("Vpc", "AWS::EC2::VPC")
        for sub in ("PublicSubnet1", "PrivateSubnet1"):
            net.add_resource(sub, "AWS::EC2::Subnet").add_reference(vpc[side])
        net.add_resource("NatGateway", "AWS::EC2::NatGateway")
        for ep in ("S3Endpoint", "DynamoDbEndpoint"):
            net.add_resource(ep, "AWS::EC2::VPCEndpoint").add_reference(vpc[side])

        mon = stack["Monitoring" + side]
        topic[side] = mon.add_resource("AlarmTopic", "AWS::SNS::Topic",
                                       "dr-alarms-dev-" + region)
        mon.add_resource("OperationsLogGroup", "AWS::Logs::LogGroup",
                         "/dr/dev/operations")
        mon.add_resource("Dashboard", "AWS::CloudWatch::Dashboard")

        cluster[side] = stack["Database" + side].add_resource(
            "Cluster", "AWS::RDS::DBCluster")
        cluster[side].add_reference(vpc[side])
        cluster[side].add_reference(key[side], "Arn")

    # Storage: a global table in us-east-1 with a replica in us-east-2.
    sp, ss = stack["StoragePrimary"], stack["StorageSecondary"]
    sp.add_resource("Bucket", "AWS::S3::Bucket", "dr-storage-dev-" + PRIMARY)
    ss.add_resource("Bucket", "AWS::S3::Bucket", "dr-storage-dev-" + SECONDARY)
    table["Primary"] = sp.add_resource(
        "SessionsTable", "AWS::DynamoDB::GlobalTable", "dr-sessions-dev")
    table["Primary"].add_replica(SECONDARY)
    table["Primary"].set_cmk(key["Primary"])
    if variant != "fixed":
        table["Secondary"] = ss.add_resource(
            "SessionsTable", "AWS::DynamoDB::Table", "dr-sessions-dev")
        table["Secondary"].set_cmk(key["Secondary"])

    # How the secondary key reaches StoragePrimary.
    if variant == "model-response":
        table["Primary"].add_reference(key["Secondary"], "Arn")
    elif variant == "ideal-response":
        name = "/dr/dev/kms-key-arn/" + SECONDARY
        sp.read_parameter(name, resource=table["Primary"])
        table["Primary"].set_replica_key(SECONDARY, parameter=name)
    else:
        carrier = "/cdk/exports/StoragePrimary-dev/KmsSecondaryKeyArn"
        stack["KmsSecondary"].write_parameter(
            carrier, PRIMARY, value=key["Secondary"], attribute="Arn")
        sp.read_parameter(carrier, resource=table["Primary"])
        table["Primary"].set_replica_key(SECONDARY, key["Secondary"])

    for side, region in REGIONS.items():
        comp = stack["Compute" + side]
        ecs = comp.add_resource("Cluster", "AWS::ECS::Cluster")
        ecs.add_reference(vpc[side])
        service = comp.add_resource("Service", "AWS::ECS::Service")
        service.add_reference(ecs)
        if side in table:
            service.add_reference(table[side], "Arn")
        alb[side] = comp.add_resource(
            "LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer")
        alb[side].add_reference(vpc[side])
        name = "/dr/dev/alb-dns/" + region
        writer = comp.add_resource("AlbDnsParameter", "AWS::SSM::Parameter", name)
        comp.write_parameter(name, resource=writer, value=alb[side],
                             attribute="DNSName")
        comp.add_resource("ServiceAlarm", "AWS::CloudWatch::Alarm") \
            .add_reference(topic[side])

        backup = stack["Backup" + side]
        vault = backup.add_resource("Vault", "AWS::Backup::BackupVault",
                                    "dr-vault-dev-" + region)
        plan = backup.add_resource("Plan", "AWS::Backup::BackupPlan")
        plan.add_reference(vault)
        selection = backup.add_resource("Selection", "AWS::Backup::BackupSelection")
        selection.add_reference(plan, "BackupPlanId")
        selection.add_reference(cluster[side], "DBClusterArn")
        if side in table:
            selection.add_reference(table[side], "Arn")

    # Failover: health checks for both ALBs, Lambdas, an alarm.
    fo = stack["Failover"]
    hc1 = fo.add_resource("PrimaryHealthCheck", "AWS::Route53::HealthCheck")
    hc1.add_reference(alb["Primary"], "DNSName")
    hc2 = fo.add_resource("SecondaryHealthCheck", "AWS::Route53::HealthCheck")
    fo.add_resource("HealthCheckFunction", "AWS::Lambda::Function")
    fo.add_resource("FailoverFunction", "AWS::Lambda::Function")
    alarm = fo.add_resource("PrimaryHealthAlarm", "AWS::CloudWatch::Alarm")
    alarm.add_reference(hc1)
    alarm.add_reference(topic["Primary"])

    # How the secondary ALB's DNS name reaches Failover.
    if variant == "model-response":
        hc2.add_reference(alb["Secondary"], "DNSName")
    elif variant == "ideal-response":
        fo.read_parameter("/dr/dev/alb-dns/" + SECONDARY, resource=hc2)
    else:
        carrier = "/cdk/exports/Failover-dev/ComputeSecondaryAlbDnsName"
        stack["ComputeSecondary"].write_parameter(
            carrier, PRIMARY, value=alb["Secondary"], attribute="DNSName")
        fo.read_parameter(carrier, resource=hc2)


def main(argv: List[str]) -> int:
    variant = argv[1] if len(argv) > 1 else "fixed"
    if variant not in ("model-response", "ideal-response", "fixed"):
        print("usage: seed_dr.py [model-response|ideal-response|fixed]",
              file=sys.stderr)
        return 2
    with drtopo.Model() as model:
        build(model, variant)
        with model.resolve() as result:
            print("seed DR app (%s): %d stacks, %d resources"
                  % (variant, model.stack_count, model.resource_count))
            print()
            print("findings:")
            for d in result:
                where = "/".join(x for x in (d.stack, d.resource) if x)
                print("  %s %s %s: %s" % (d.severity, d.code, where, d.message))
                if d.hint:
                    print("      hint: %s" % d.hint)
            print("  %d errors, %d warnings, %d infos"
                  % (result.count("error"), result.count("warning"),
                     result.count("info")))
            print()
            if result.has_cycle:
                print("plan: none (the stack graph has a cycle)")
            else:
                print("plan (%d waves):" % len(result.waves))
                for n, wave in enumerate(result.waves, 1):
                    print("  wave %d: %s" % (n, " ".join(wave)))
            return 1 if result.count(drtopo.Severity.ERROR) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
