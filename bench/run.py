#!/usr/bin/env python3
"""The benchmark harness of issue 8: one command, one table.

    bench/run.py [--runs N] [--build-dir DIR] [--quick] [--rows abcdef]

Builds a release build (meson, --buildtype=release) in DIR (default
build-bench), generates the inputs with a fixed seed into bench/out/
(gitignored; reused while the generator's arguments are unchanged), times
each command N times (default 5) and prints a Markdown table of medians:

  a. `drtopo plan --format json` on a 200,000-stack / 1,000,000-edge
     document against GNU `tsort` on the same edge list;
  b. `drtopo check --format json` at 100,000 and 1,000,000 resources,
     plain and in the shapes of the issue (one huge SCC, 100,000 readers
     of one parameter, one table with 30 replicas);
  c. memory: bench-api (an API-built model) against the budget of
     200 B/resource + 64 B/edge, peak RSS / file size of a document, and
     peak RSS of a large cloud assembly (bench/cdk16/cdk.out replicated);
  d. `drtopo check` on bench/cdk16/cdk.out against `cdk synth` of the same
     app, when node and an aws-cdk-lib node_modules are available
     ($CDK_NODE_MODULES, default /work/cdkwork/node_modules);
  e. `drtopo check` on a cloud assembly of templates full of ARNs and
     replication settings against the same model without them (issue 10);
  f. `drtopo simulate --format json` (every region lost in turn) on the
     200,000-stack document of row a, spread over 10 regions, against one
     `drtopo check --format json` of it (issue 11: within 3x).

Times are medians of wall-clock time, with the CPU time (user + sys of
the child, also a median) next to them. The verdicts use the CPU-time
ratio: on a shared machine (2 cores, other builds running) wall time
measures the neighbours as much as the program. Row b runs its two sizes
alternately and judges by the ratio of each size's minimum CPU time (the
least disturbed run; the median ratio is shown beside it). Python
standard library only.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
GEN = os.path.join(BENCH, "gen-topology.py")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run_timed(argv, stdout=subprocess.DEVNULL, cwd=None, env=None):
    """(wall seconds, cpu seconds, peak RSS KiB, exit status) of one run."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE,
                         cwd=cwd, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, err


def paired_runs(argvs, runs, ok=(0,)):
    """Run each argv of argvs in turn, runs times over (interleaved, so
    that a change in the neighbours' load falls on all of them alike).
    Returns per argv (median wall, median cpu, min cpu)."""
    got = [([], []) for _ in argvs]
    for _ in range(runs):
        for (walls, cpus), argv in zip(got, argvs):
            wall, cpu, _, rc, err = run_timed(argv)
            if rc not in ok:
                sys.exit("bench: %s exited %d\n%s" % (" ".join(argv), rc, err))
            walls.append(wall)
            cpus.append(cpu)
    return [(statistics.median(w), statistics.median(c), min(c))
            for w, c in got]


def median_run(argv, runs, ok=(0,), **kw):
    walls, cpus, rss = [], [], 0
    for _ in range(runs):
        wall, cpu, maxrss, rc, err = run_timed(argv, **kw)
        if rc not in ok:
            sys.exit("bench: %s exited %d\n%s" % (" ".join(argv), rc, err))
        walls.append(wall)
        cpus.append(cpu)
        rss = max(rss, maxrss)
    return statistics.median(walls), statistics.median(cpus), rss


def build(build_dir):
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        subprocess.run(["meson", "setup", build_dir, "--buildtype=release"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", build_dir], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def generate(name, args):
    """bench/out/NAME.json and .edges from gen-topology.py ARGS, reused
    when made with the same arguments."""
    base = os.path.join(OUT, name)
    stamp = base + ".args"
    want = " ".join(args)
    if (os.path.exists(base + ".json") and os.path.exists(stamp)
            and open(stamp).read() == want):
        return base
    log("generating %s: %s" % (name, want))
    subprocess.run([sys.executable, GEN, "--out", base] + args, check=True)
    with open(stamp, "w") as f:
        f.write(want)
    return base


def big_assembly(copies):
    """A cloud assembly of COPIES copies of bench/cdk16/cdk.out, stacks
    and every name derived from them renamed per copy (exports, carrier
    parameters, the table name, published parameters), so copies do not
    collide."""
    src = os.path.join(BENCH, "cdk16", "cdk.out")
    dst = os.path.join(OUT, "assembly%d" % copies)
    if os.path.exists(os.path.join(dst, "manifest.json")):
        return dst
    log("generating assembly of %d copies of cdk16" % copies)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    m = json.load(open(os.path.join(src, "manifest.json")))
    stacks = {k: a for k, a in m["artifacts"].items()
              if a["type"] == "aws:cloudformation:stack"}
    names = sorted(stacks, key=len, reverse=True)
    pat = re.compile(r"(?<![A-Za-z0-9])(%s)(?![A-Za-z0-9])" %
                     "|".join(map(re.escape, names)))
    texts = {k: open(os.path.join(src, a["properties"]["templateFile"])).read()
             for k, a in stacks.items()}
    arts = {}
    for c in range(copies):
        sfx = "C%d" % c
        for k, a in stacks.items():
            t = pat.sub(lambda mo: mo.group(1) + sfx, texts[k])
            t = t.replace('"/dr/', '"/dr/%s/' % sfx)
            t = t.replace('"orders"', '"orders-%s"' % sfx)
            tf = "%s%s.template.json" % (k, sfx)
            with open(os.path.join(dst, tf), "w") as f:
                f.write(t)
            arts[k + sfx] = {
                "type": "aws:cloudformation:stack",
                "environment": a["environment"],
                "properties": {"templateFile": tf},
                "dependencies": [d + sfx for d in a.get("dependencies", [])
                                 if d in stacks],
            }
    with open(os.path.join(dst, "manifest.json"), "w") as f:
        json.dump({"version": m["version"], "artifacts": arts}, f, indent=1)
    return dst


ARN_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2",
               "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1",
               "ap-southeast-2", "ap-northeast-1"]
# What "without" renames so that the importer does not read it as a
# replication setting (same length: the files keep their size).
REPL_KEYS = {"ReplicationConfiguration": "XeplicationConfiguration",
             "GlobalClusterIdentifier": "XlobalClusterIdentifier",
             "ReplicaRegions": "XeplicaRegions",
             "CopyActions": "XopyActions"}


def arn_assembly(nstacks, narns, plain):
    """A cloud assembly of NSTACKS synthetic stacks (bands of 16 per
    region, each depending on the one before it) whose templates are full
    of ARNs and replication settings: an IAM policy spelling out NARNS
    ARNs of tables, queues, topics, functions, parameters, log groups and
    aliases of the stacks of its region (literals, Fn::Join and Fn::Sub
    with pseudo parameters), and per stack three S3 replication rules
    (another stack's bucket, one by Fn::GetAtt and one by name with
    DependsOn in the same stack), a secret replica key alias, a global
    cluster member and a cross-region backup copy. PLAIN writes the same
    model without them, byte for byte the same size: every "arn:" is
    "urn:" and the replication properties are renamed, so the importer
    sees the same resources, references and texts but no ARN and no
    setting."""
    dst = os.path.join(OUT, "arns%d-%d%s" % (nstacks, narns,
                                            "-plain" if plain else ""))
    if os.path.exists(os.path.join(dst, "manifest.json")):
        return dst
    log("generating %s" % os.path.basename(dst))
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    acct = "111111111111"
    nreg = len(ARN_REGIONS)

    def region(s):
        return ARN_REGIONS[(s // 16) % nreg]

    def sub(text):
        return {"Fn::Sub": text}

    def join(*parts):
        return {"Fn::Join": ["", list(parts)]}

    kinds = [
        lambda t: sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:"
                      "${AWS::AccountId}:table/t-%d" % t),
        lambda t: sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:"
                      "${AWS::AccountId}:table/t-%d/index/*" % t),
        lambda t: join("arn:", {"Ref": "AWS::Partition"}, ":sqs:",
                       {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"},
                       ":q-%d" % t),
        lambda t: "arn:aws:sns:%s:%s:n-%d" % (region(t), acct, t),
        lambda t: sub("arn:${AWS::Partition}:lambda:${AWS::Region}:"
                      "${AWS::AccountId}:function:f-%d" % t),
        lambda t: "arn:aws:ssm:%s:%s:parameter/bench/%d/p" % (region(t), acct,
                                                            t),
        lambda t: sub("arn:${AWS::Partition}:logs:${AWS::Region}:"
                      "${AWS::AccountId}:log-group:l-%d:*" % t),
        lambda t: "arn:aws:kms:%s:%s:alias/k-%d" % (region(t), acct, t),
    ]
    rnd = __import__("random").Random(1)
    arts = {}
    for s in range(nstacks):
        sid = "Arns%05d" % s
        reg = region(s)
        band = s - s % 16
        res = {
            "Table": {"Type": "AWS::DynamoDB::GlobalTable", "Properties": {
                "TableName": "t-%d" % s,
                "Replicas": [{"Region": reg}, {"Region": region(s + 16)}]}},
            "Queue": {"Type": "AWS::SQS::Queue",
                      "Properties": {"QueueName": "q-%d" % s}},
            "Topic": {"Type": "AWS::SNS::Topic",
                      "Properties": {"TopicName": "n-%d" % s}},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
                "FunctionName": "f-%d" % s,
                "Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
            "Param": {"Type": "AWS::SSM::Parameter", "Properties": {
                "Name": "/bench/%d/p" % s, "Value": {"Ref": "Queue"}}},
            "Logs": {"Type": "AWS::Logs::LogGroup",
                     "Properties": {"LogGroupName": "l-%d" % s}},
            "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
            "Alias": {"Type": "AWS::KMS::Alias", "Properties": {
                "AliasName": "alias/k-%d" % s,
                "TargetKeyId": {"Ref": "Key"}}},
            "Replica": {"Type": "AWS::S3::Bucket", "Properties": {
                "BucketName": "r-%d" % s,
                "VersioningConfiguration": {"Status": "Enabled"}}},
            "Replica2": {"Type": "AWS::S3::Bucket", "Properties": {
                "BucketName": "r2-%d" % s,
                "VersioningConfiguration": {"Status": "Enabled"}}},
            "Vault": {"Type": "AWS::Backup::BackupVault",
                      "Properties": {"BackupVaultName": "v-%d" % s}},
        }
        rules = [{"Status": "Enabled", "Destination": {
            "Bucket": {"Fn::GetAtt": ["Replica", "Arn"]}}},
            {"Status": "Enabled", "Destination": {
                "Bucket": "arn:aws:s3:::r2-%d" % s}}]
        if s:
            rules.insert(0, {"Status": "Enabled", "Destination": {
                "Bucket": join("arn:", {"Ref": "AWS::Partition"},
                               ":s3:::r-%d" % (s - 1))}})
        res["Data"] = {"Type": "AWS::S3::Bucket", "DependsOn": ["Replica2"],
                       "Properties": {
                           "BucketName": "b-%d" % s,
                           "VersioningConfiguration": {"Status": "Enabled"},
                           "ReplicationConfiguration": {
                               "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                               "Rules": rules}}}
        if s == band:
            res["Global"] = {"Type": "AWS::RDS::GlobalCluster", "Properties": {
                "GlobalClusterIdentifier": "g-%d" % band}}
        res["Db"] = {"Type": "AWS::RDS::DBCluster",
                     "Properties": {"GlobalClusterIdentifier": "g-%d" % band}}
        if s == band:
            res["Db"]["DependsOn"] = ["Global"]
        if s >= 16:
            res["Secret"] = {"Type": "AWS::SecretsManager::Secret",
                             "Properties": {"ReplicaRegions": [{
                                 "Region": region(s - 16),
                                 "KmsKeyId": "arn:aws:kms:%s:%s:alias/k-%d" % (
                                     region(s - 16), acct, s - 16)}]}}
            res["Plan"] = {"Type": "AWS::Backup::BackupPlan", "Properties": {
                "BackupPlan": {"BackupPlanName": "p", "BackupPlanRule": [{
                    "RuleName": "daily", "TargetBackupVault": {"Ref": "Vault"},
                    "ScheduleExpression": "cron(0 5 * * ? *)",
                    "CopyActions": [{"DestinationBackupVaultArn": sub(
                        "arn:${AWS::Partition}:backup:%s:${AWS::AccountId}:"
                        "backup-vault:v-%d" % (region(s - 16), s - 16))}]}]}}}
        hi = min(band + 16, nstacks)
        res["Policy"] = {"Type": "AWS::IAM::Policy", "Properties": {
            "PolicyName": "p", "Roles": [{"Ref": "Role"}],
            "PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "*",
                "Resource": kinds[i % len(kinds)](rnd.randrange(band, hi))}
                for i in range(narns)]}}}
        text = json.dumps({"Resources": res}, separators=(",", ":"))
        if plain:
            text = text.replace('"arn:', '"urn:')
            for k, v in REPL_KEYS.items():
                text = text.replace('"%s"' % k, '"%s"' % v)
        tf = sid + ".template.json"
        with open(os.path.join(dst, tf), "w") as f:
            f.write(text)
        arts[sid] = {"type": "aws:cloudformation:stack",
                     "environment": "aws://%s/%s" % (acct, reg),
                     "properties": {"templateFile": tf},
                     "dependencies": ["Arns%05d" % (s - 1)] if s else []}
    with open(os.path.join(dst, "manifest.json"), "w") as f:
        json.dump({"version": "55.0.0", "artifacts": arts}, f, indent=1)
    return dst


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, fs in os.walk(path) for f in fs)


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1048576)
    except OSError:
        pass
    return "%s, nproc %d, %s RAM, %s" % (cpu, os.cpu_count(), mem,
                                        platform.platform())


def fmt_t(wall, cpu):
    return "%.2f s (cpu %.2f s)" % (wall, cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--quick", action="store_true",
                    help="a tenth of every size (a smoke test of the harness)")
    ap.add_argument("--no-cdk", action="store_true", help="skip row d")
    ap.add_argument("--rows", default="abcdef",
                    help="the rows to run (default: abcdef)")
    a = ap.parse_args()
    bd = os.path.abspath(a.build_dir)
    k = 10 if a.quick else 1
    os.makedirs(OUT, exist_ok=True)

    log("building %s (release)" % bd)
    build(bd)
    drtopo = os.path.join(bd, "tools", "drtopo")
    bench_api = os.path.join(bd, "bench", "bench-api")
    bench_load = os.path.join(bd, "bench", "bench-load")
    rows = []  # (row, measure, value, target, verdict)

    if "a" in a.rows:
        # a. plan vs tsort
        big = generate("big%s" % ("-q" if a.quick else ""),
                       ["--stacks", str(200000 // k), "--edges", str(1000000 // k)])
        log("a: drtopo plan vs tsort (%d runs each)" % a.runs)
        pw, pc, prss = median_run([drtopo, "plan", "--format", "json",
                                   big + ".json"], a.runs)
        tw, tc, _ = median_run(["tsort", big + ".edges"], a.runs)
        doc_size = os.path.getsize(big + ".json")
        rows.append(("a", "plan --format json, %dk stacks / %dk edges (%.1f MB)"
                     % (200 // k, 1000 // k, doc_size / 1e6),
                     fmt_t(pw, pc), "", ""))
        rows.append(("a", "tsort on the same edge list", fmt_t(tw, tc), "", ""))
        rows.append(("a", "ratio plan / tsort", "%.2fx (cpu %.2fx)" %
                     (pw / tw, pc / tc), "<= 1.0x",
                     "met" if pc / tc <= 1.0 else "NOT met"))
        # where the time of (a) goes
        out = subprocess.run([bench_load, big + ".json", "3"], check=True,
                             capture_output=True, text=True).stdout
        ph = dict(line.split() for line in out.splitlines())
        rows.append(("a", "phases (bench-load, best of 3): load %s s "
                     "(load_document alone %s; for comparison, jansson's tree "
                     "of the same text: parse %s + free %s), resolve+rules "
                     "%s s, JSON report %s s" % (
                         ph["load"], ph["load_document"], ph["jansson_parse"],
                         ph["jansson_free"], ph["resolve"], ph["json"]),
                     "", "", ""))

    if "b" in a.rows:
        # b. scaling
        log("b: scaling 100k -> 1M resources")
        shapes = [("plain", []), ("one huge SCC", ["--cycle"]),
                  ("readers of one parameter", ["--readers-of-one", None]),
                  ("table with 30 replicas", ["--replicas", "30"])]
        for label, extra in shapes:
            argvs = []
            for nres in (100000 // k, 1000000 // k):
                args = ["--stacks", str(nres // 5), "--edges", str(nres),
                        "--resources", str(nres)]
                args += [str(nres // 10) if x is None else x for x in extra]
                base = generate("scale-%s-%d" % (
                    label.split()[0] if label != "one huge SCC" else "scc",
                    nres), args)
                argvs.append([drtopo, "check", "--format", "json",
                              base + ".json"])
            # The two sizes alternate, and the verdict takes each size's
            # least disturbed run (the minimum CPU time): on a shared
            # machine the neighbours only ever add time, and a 0.2 s run
            # is moved by a unit of ratio by 20 ms of interference.
            times = paired_runs(argvs, a.runs, ok=(0, 1))
            ratio = times[1][2] / times[0][2]
            name = label
            if extra and extra[0] == "--readers-of-one":
                name = "%s (%dk readers at %dk resources)" % (label, 100 // k, 1000 // k)
            rows.append(("b", "check, %s: %s -> %s; min cpu %.3f -> %.3f s" % (
                name, fmt_t(*times[0][:2]), fmt_t(*times[1][:2]),
                times[0][2], times[1][2]),
                "%.1fx (median cpu %.1fx)" % (ratio,
                                              times[1][1] / times[0][1]),
                "<= 11", "met" if ratio <= 11 else "NOT met"))

    if "c" in a.rows:
        # c. memory
        log("c: memory")
        out = subprocess.run([bench_api, str(200000 // k), str(1000000 // k),
                              str(3000000 // k)], check=True,
                             capture_output=True, text=True).stdout
        mm = re.search(r"model memory: ([\d.]+) MiB", out)
        pk = re.search(r"peak RSS: ([\d.]+) MiB", out)
        ed = re.search(r"edges: (\d+) distinct", out)
        nres, nrefs = 1000000 // k, 3000000 // k
        budget = (200 * nres + 64 * nrefs) / 1048576
        model_mib = float(mm.group(1))
        rows.append(("c", "bench-api: %dk resources, %dk references (%s distinct "
                     "stack edges): model RSS %.0f MiB = %.0f B/resource + "
                     "references; process peak %.0f MiB" % (
                         nres // 1000, nrefs // 1000, ed.group(1), model_mib,
                         model_mib * 1048576 / nres, float(pk.group(1))),
                     "%.0f MiB of %.0f MiB budget (%.2fx)" % (
                         model_mib, budget, model_mib / budget),
                     "<= 1.0x", "met" if model_mib <= budget else "NOT met"))
        if "a" in a.rows:
            rows.append(("c", "document: peak RSS of plan on %.1f MB" %
                         (doc_size / 1e6), "%.0f MiB = %.1fx the file" % (
                             prss / 1024, prss * 1024 / doc_size), "report", ""))
        asm = big_assembly(128 // k)
        asz = dir_size(asm)
        biggest = max(os.path.getsize(os.path.join(asm, f))
                      for f in os.listdir(asm))
        w, c, arss = median_run([drtopo, "check", "--format", "json", asm],
                                max(1, a.runs // 2), ok=(0, 1))
        out = subprocess.run([bench_load, asm], check=True, capture_output=True,
                             text=True).stdout
        ph = dict(line.split() for line in out.splitlines())
        rows.append(("c", "cloud assembly: %s stacks, %s resources, %.1f MB of "
                     "templates (largest %.0f KB); check %s" % (
                         ph["stacks"], ph["resources"], asz / 1e6, biggest / 1e3,
                         fmt_t(w, c)),
                     "peak %.0f MiB = %.2fx the templates; model %.0f MiB" % (
                         arss / 1024, arss * 1024 / asz,
                         int(ph["rss_model_kib"]) / 1024), "follows the model",
                     ""))

    if "d" in a.rows:
        # d. cdk synth vs drtopo check
        app = os.path.join(BENCH, "cdk16")
        nm = os.environ.get("CDK_NODE_MODULES", "/work/cdkwork/node_modules")
        cdk = os.path.join(nm, ".bin", "cdk")
        if a.no_cdk:
            rows.append(("d", "cdk synth vs drtopo check: skipped (--no-cdk)",
                         "", ">= 200x", "skipped"))
        elif not shutil.which("node") or not os.path.exists(cdk) or \
                not os.path.isdir(os.path.join(nm, "aws-cdk-lib")):
            rows.append(("d", "cdk synth vs drtopo check: skipped (no node, or "
                         "no aws-cdk-lib/aws-cdk in %s; set CDK_NODE_MODULES)"
                         % nm, "", ">= 200x", "skipped"))
        else:
            log("d: cdk synth of bench/cdk16 vs drtopo check")
            env = dict(os.environ)
            env.update({
                "NODE_PATH": nm, "PATH": os.path.join(nm, ".bin") + os.pathsep +
                env.get("PATH", ""), "CDK_DISABLE_CLI_TELEMETRY": "true",
                "TS_NODE_TRANSPILE_ONLY": "true", "TS_NODE_SKIP_PROJECT": "true",
                "TS_NODE_COMPILER_OPTIONS": '{"module":"commonjs","moduleResolution":'
                '"node","target":"es2022","esModuleInterop":true}'})
            ctx = os.path.join(app, "cdk.context.json")
            had_ctx = os.path.exists(ctx)
            with tempfile.TemporaryDirectory() as tmp:
                sw, sc, _ = median_run([cdk, "synth", "--quiet", "--no-notices",
                                        "--app", "ts-node app.ts", "-o",
                                        os.path.join(tmp, "cdk.out")],
                                       max(1, min(a.runs, 3)), cwd=app, env=env)
            if not had_ctx and os.path.exists(ctx):
                os.remove(ctx)  # the CLI's cache: not part of the app
            cw, cc, _ = median_run([drtopo, "check", os.path.join(app, "cdk.out")],
                                   max(a.runs, 21))
            rows.append(("d", "cdk synth (16 stacks): %s; drtopo check of its "
                         "cdk.out: %s" % (fmt_t(sw, sc), "%.1f ms (cpu %.1f ms)"
                                           % (cw * 1e3, cc * 1e3)),
                         "%.0fx faster (cpu %.0fx)" % (sw / cw, sc / max(cc, 1e-4)),
                         ">= 200x", "met" if sc / max(cc, 1e-4) >= 200
                         else "NOT met"))

    # e. ARN-heavy templates against the same model without them
    if "e" in a.rows:
        log("e: ARN-heavy assembly vs the same without ARNs and settings")
        n, narns = 2048 // k, 40
        times, size = [], 0
        for plain in (False, True):
            asm = arn_assembly(n, narns, plain)
            size = size or dir_size(asm)
            times.append(median_run([drtopo, "check", "--format", "json",
                                     asm], a.runs, ok=(0, 1)))
        (w1, c1, r1), (w0, c0, r0) = times
        rows.append(("e", "check, %d stacks of templates with %d ARNs per "
                     "IAM policy and 6 replication settings per stack "
                     "(%.1f MB): %s, peak %.0f MiB; the same with every "
                     "\"arn:\" made \"urn:\" and the settings renamed: "
                     "%s, peak %.0f MiB" % (
                         n, narns, size / 1e6, fmt_t(w1, c1),
                         r1 / 1024, fmt_t(w0, c0), r0 / 1024),
                     "%.2fx (cpu %.2fx)" % (w1 / w0, c1 / c0), "<= 1.3x",
                     "met" if c1 / c0 <= 1.3 else "NOT met"))

    # f. every region lost in turn against one check
    if "f" in a.rows:
        big = generate("big%s" % ("-q" if a.quick else ""),
                       ["--stacks", str(200000 // k), "--edges", str(1000000 // k)])
        log("f: drtopo simulate (every region) vs drtopo check")
        cw, cc, crss = median_run([drtopo, "check", "--format", "json",
                                   big + ".json"], a.runs, ok=(0, 1))
        sw, sc, srss = median_run([drtopo, "simulate", "--format", "json",
                                   big + ".json"], a.runs, ok=(0, 1))
        nreg = 10  # gen-topology.py --regions (default)
        rows.append(("f", "simulate --format json, every region in turn "
                     "(%d), %dk stacks: %s, peak %.0f MiB; check --format "
                     "json: %s, peak %.0f MiB" % (
                         nreg, 200 // k, fmt_t(sw, sc), srss / 1024,
                         fmt_t(cw, cc), crss / 1024),
                     "%.2fx (cpu %.2fx)" % (sw / cw, sc / cc), "<= 3x",
                     "met" if sc / cc <= 3 else "NOT met"))

    print("Machine: %s" % machine())
    print("Date: %s" % time.strftime("%Y-%m-%d %H:%M %Z"))
    print("Command: bench/run.py --runs %d%s%s (medians of %d runs; "
          "verdicts on CPU time)\n" % (
              a.runs, " --quick" if a.quick else "",
              " --rows " + a.rows if a.rows != "abcdef" else "", a.runs))
    print("| | measure | value | target | |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s |" % " | ".join(r))


if __name__ == "__main__":
    main()
