"""The seed DR topology (../shared/spec/seed-topology.md) built through the
Python API, in its three variants: "model-response", "ideal-response" and
"fixed"."""

from __future__ import annotations

from typing import Dict, List, Tuple

import drtopo

P = "us-east-1"
S = "us-east-2"
VARIANTS = ("model-response", "ideal-response", "fixed")

NAMES = ("Kms", "Network", "Monitoring", "Database", "Storage", "Compute",
         "Backup")

# The seed's deployment order: (stack, deploys after).
DEPENDENCIES: List[Tuple[str, str]] = [
    ("DatabasePrimary-dev", "KmsPrimary-dev"),
    ("DatabasePrimary-dev", "NetworkPrimary-dev"),
    ("DatabaseSecondary-dev", "KmsSecondary-dev"),
    ("DatabaseSecondary-dev", "NetworkSecondary-dev"),
    ("StoragePrimary-dev", "KmsPrimary-dev"),
    ("StoragePrimary-dev", "KmsSecondary-dev"),
    ("StorageSecondary-dev", "KmsSecondary-dev"),
    ("ComputePrimary-dev", "StoragePrimary-dev"),
    ("ComputePrimary-dev", "NetworkPrimary-dev"),
    ("ComputePrimary-dev", "MonitoringPrimary-dev"),
    ("ComputeSecondary-dev", "StorageSecondary-dev"),
    ("ComputeSecondary-dev", "NetworkSecondary-dev"),
    ("ComputeSecondary-dev", "MonitoringSecondary-dev"),
    ("BackupPrimary-dev", "DatabasePrimary-dev"),
    ("BackupPrimary-dev", "StoragePrimary-dev"),
    ("BackupSecondary-dev", "DatabaseSecondary-dev"),
    ("BackupSecondary-dev", "StorageSecondary-dev"),
    ("Failover-dev", "ComputePrimary-dev"),
    ("Failover-dev", "ComputeSecondary-dev"),
]

EXPECTED_WAVES = [
    ["KmsPrimary-dev", "KmsSecondary-dev", "MonitoringPrimary-dev",
     "MonitoringSecondary-dev", "NetworkPrimary-dev", "NetworkSecondary-dev"],
    ["DatabasePrimary-dev", "DatabaseSecondary-dev", "StoragePrimary-dev",
     "StorageSecondary-dev"],
    ["BackupPrimary-dev", "BackupSecondary-dev", "ComputePrimary-dev",
     "ComputeSecondary-dev"],
    ["Failover-dev"],
]

# Error findings of rules DRT1xx..DRT5xx expected per variant.
EXPECTED_ERRORS: Dict[str, List[str]] = {
    "model-response": ["DRT201", "DRT201", "DRT401", "DRT406"],
    "ideal-response": ["DRT302", "DRT302", "DRT406"],
    "fixed": [],
}


def build(model: drtopo.Model, variant: str) -> drtopo.Model:
    """Add the seed topology of ``variant`` to ``model`` and return it."""
    if variant not in VARIANTS:
        raise ValueError("unknown variant %r" % variant)
    st: Dict[str, drtopo.Stack] = {}
    for name in NAMES:
        for side, region in (("Primary", P), ("Secondary", S)):
            sid = "%s%s-dev" % (name, side)
            st[sid] = model.add_stack(sid, None, region)
    st["Failover-dev"] = model.add_stack("Failover-dev", None, P)
    for stack, on in DEPENDENCIES:
        st[stack].add_dependency(st[on])

    res: Dict[str, drtopo.Resource] = {}
    for side, region in (("Primary", P), ("Secondary", S)):
        # KMS: key, alias, and the key ARN published in SSM.
        kms = st["Kms%s-dev" % side]
        key = res["key" + side] = kms.add_resource("Key", "AWS::KMS::Key")
        alias = kms.add_resource("KeyAlias", "AWS::KMS::Alias",
                                 "alias/dr-dev-%s" % region)
        alias.add_reference(key)
        pname = "/dr/dev/kms-key-arn/%s" % region
        pres = kms.add_resource("KeyArnParameter", "AWS::SSM::Parameter", pname)
        kms.write_parameter(pname, None, pres, value=key, attribute="Arn")

        # Network.
        net = st["Network%s-dev" % side]
        vpc = res["vpc" + side] = net.add_resource("Vpc", "AWS::EC2::VPC")
        for sub in ("PublicSubnet1", "PrivateSubnet1"):
            net.add_resource(sub, "AWS::EC2::Subnet").add_reference(vpc)
        net.add_resource("NatGateway", "AWS::EC2::NatGateway")
        for ep in ("S3Endpoint", "DynamoDbEndpoint"):
            net.add_resource(ep, "AWS::EC2::VPCEndpoint").add_reference(vpc)

        # Monitoring.
        mon = st["Monitoring%s-dev" % side]
        res["topic" + side] = mon.add_resource(
            "AlarmTopic", "AWS::SNS::Topic", "dr-alarms-dev-%s" % region)
        mon.add_resource("OperationsLogGroup", "AWS::Logs::LogGroup",
                         "/dr/dev/operations")
        mon.add_resource("Dashboard", "AWS::CloudWatch::Dashboard")

        # Database: a standalone Aurora cluster per region.
        db = st["Database%s-dev" % side]
        cluster = res["db" + side] = db.add_resource(
            "Cluster", "AWS::RDS::DBCluster")
        cluster.add_reference(vpc)
        cluster.add_reference(key, "Arn")

    # Storage.
    sp, ss = st["StoragePrimary-dev"], st["StorageSecondary-dev"]
    sp.add_resource("Bucket", "AWS::S3::Bucket", "dr-storage-dev-%s" % P)
    ss.add_resource("Bucket", "AWS::S3::Bucket", "dr-storage-dev-%s" % S)
    table = res["tablePrimary"] = sp.add_resource(
        "SessionsTable", "AWS::DynamoDB::GlobalTable", "dr-sessions-dev")
    table.add_replica(S)
    table.set_cmk(res["keyPrimary"])
    if variant != "fixed":
        # A second table of the same name where the replica already is.
        t2 = res["tableSecondary"] = ss.add_resource(
            "SessionsTable", "AWS::DynamoDB::Table", "dr-sessions-dev")
        t2.set_cmk(res["keySecondary"])

    key_param = "/dr/dev/kms-key-arn/%s" % S
    if variant == "model-response":
        # secondaryKms.key passed directly; no replica key for us-east-2.
        table.add_reference(res["keySecondary"], "Arn")
    elif variant == "ideal-response":
        # valueForStringParameter, resolved in us-east-1 where nobody
        # writes it; the replica key map holds that value.
        sp.read_parameter(key_param, None, table)
        table.set_replica_key(S, parameter=key_param)
    else:
        # crossRegionReferences: the producer writes into the consumer's
        # region, the consumer reads there.
        carrier = "/cdk/exports/StoragePrimary-dev/KmsSecondaryKeyArn"
        st["KmsSecondary-dev"].write_parameter(
            carrier, P, value=res["keySecondary"], attribute="Arn")
        sp.read_parameter(carrier, None, table)
        table.set_replica_key(S, res["keySecondary"])

    # Compute and Backup.
    for side, region in (("Primary", P), ("Secondary", S)):
        comp = st["Compute%s-dev" % side]
        ecs = comp.add_resource("Cluster", "AWS::ECS::Cluster")
        ecs.add_reference(res["vpc" + side])
        svc = comp.add_resource("Service", "AWS::ECS::Service")
        svc.add_reference(ecs)
        if "table" + side in res:
            svc.add_reference(res["table" + side], "Arn")
        lb = res["alb" + side] = comp.add_resource(
            "LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer")
        lb.add_reference(res["vpc" + side])
        pname = "/dr/dev/alb-dns/%s" % region
        pres = comp.add_resource("AlbDnsParameter", "AWS::SSM::Parameter", pname)
        comp.write_parameter(pname, None, pres, value=lb, attribute="DNSName")
        alarm = comp.add_resource("ServiceAlarm", "AWS::CloudWatch::Alarm")
        alarm.add_reference(res["topic" + side])

        bk = st["Backup%s-dev" % side]
        vault = bk.add_resource("Vault", "AWS::Backup::BackupVault",
                                "dr-vault-dev-%s" % region)
        plan = bk.add_resource("Plan", "AWS::Backup::BackupPlan")
        plan.add_reference(vault)
        sel = bk.add_resource("Selection", "AWS::Backup::BackupSelection")
        sel.add_reference(plan, "BackupPlanId")
        sel.add_reference(res["db" + side], "DBClusterArn")
        if "table" + side in res:
            sel.add_reference(res["table" + side], "Arn")

    # Failover: health checks for both ALBs, Lambdas, an alarm.
    fo = st["Failover-dev"]
    hc1 = fo.add_resource("PrimaryHealthCheck", "AWS::Route53::HealthCheck")
    hc1.add_reference(res["albPrimary"], "DNSName")
    hc2 = fo.add_resource("SecondaryHealthCheck", "AWS::Route53::HealthCheck")
    fo.add_resource("HealthCheckFunction", "AWS::Lambda::Function")
    fo.add_resource("FailoverFunction", "AWS::Lambda::Function")
    alarm = fo.add_resource("PrimaryHealthAlarm", "AWS::CloudWatch::Alarm")
    alarm.add_reference(hc1)
    alarm.add_reference(res["topicPrimary"])

    dns_param = "/dr/dev/alb-dns/%s" % S
    if variant == "model-response":
        hc2.add_reference(res["albSecondary"], "DNSName")
    elif variant == "ideal-response":
        fo.read_parameter(dns_param, None, hc2)
    else:
        carrier = "/cdk/exports/Failover-dev/ComputeSecondaryAlbDnsName"
        st["ComputeSecondary-dev"].write_parameter(
            carrier, P, value=res["albSecondary"], attribute="DNSName")
        fo.read_parameter(carrier, None, hc2)
    return model


def error_codes(result: drtopo.Result) -> List[str]:
    """Sorted codes of the error findings of rules DRT1xx..DRT5xx."""
    return sorted(d.code for d in result
                  if d.severity == drtopo.Severity.ERROR and d.code < "DRT6")
