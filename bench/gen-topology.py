#!/usr/bin/env python3
"""Generate a synthetic topology for the benchmarks, with a fixed seed.

Writes a drtopo-topology/1 document and the same stack graph as a plain
edge list ("producer consumer" lines, what GNU tsort reads).

    gen-topology.py --stacks 200000 --edges 1000000 --out bench/out/big

makes bench/out/big.json (about 30 MB) and bench/out/big.edges. Every
dependency of the document is one line of the edge list. The mix is what
CDK apps have: mostly explicit dependencies (88%), then same-region
references (6%), exports and imports (3%) and SSM parameters written by
a producer into the reader's region and read there, with the dependency
CDK adds (3%); a reference or an export that would cross regions or
accounts becomes an explicit dependency. Stacks live in regional bands of 64 and depend mostly on
near neighbours of lower number, so the graph is acyclic unless --cycle
asks for one huge strongly connected component (a chain through all
stacks, closed). Ids are short (base 36) to keep the document small; the
output is the same bytes for the same arguments.

Shapes for the scaling runs: --readers-of-one N adds N readers of one
parameter (written by stack 0 into every region); --replicas N gives one
global table N replica regions, a customer-managed key and a key map.
"""
import argparse
import json
import os
import random

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def b36(n, width):
    s = []
    for _ in range(width):
        n, r = divmod(n, 36)
        s.append(DIGITS[r])
    return "".join(reversed(s))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stacks", type=int, default=200000)
    ap.add_argument("--edges", type=int, default=1000000,
                    help="stack dependencies (all kinds together)")
    ap.add_argument("--resources", type=int, default=0,
                    help="resources in all (default: 1 per stack)")
    ap.add_argument("--regions", type=int, default=10)
    ap.add_argument("--accounts", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cycle", action="store_true",
                    help="close a chain of all stacks into one cycle")
    ap.add_argument("--readers-of-one", type=int, default=0)
    ap.add_argument("--replicas", type=int, default=0)
    ap.add_argument("--out", required=True, help="path without extension")
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    n = a.stacks
    nres = max(a.resources, n)
    width = 1
    while 36 ** width < n:
        width += 1
    ids = ["s" + b36(s, width) for s in range(n)]
    regions = ["r%d" % i for i in range(a.regions)]
    accounts = ["%012d" % (111111111111 * (i + 1)) for i in range(a.accounts)]
    band_region = [(s // 64) % len(regions) for s in range(n)]

    def account_of(s):
        return (s // (64 * len(regions))) % len(accounts)

    # resources per stack: nres spread evenly
    per = [nres // n + (1 if s < nres % n else 0) for s in range(n)]
    deps = [[] for _ in range(n)]
    refs = [[] for _ in range(n)]      # (producer stack, resource index)
    exports = [0] * n                  # exports of each stack: "<id>:<k>"
    imports = [[] for _ in range(n)]
    writes = [[] for _ in range(n)]    # (name, region or None)
    reads = [[] for _ in range(n)]
    edges = []
    seen = set()

    if a.cycle and n > 1:
        for s in range(1, n):
            deps[s].append(s - 1)
            seen.add((s, s - 1))
            edges.append((s - 1, s))
        deps[0].append(n - 1)
        seen.add((0, n - 1))
        edges.append((n - 1, 0))

    want = a.edges - len(edges)
    tries = 0
    while want > 0 and n > 1 and tries < 20 * a.edges:
        tries += 1
        c = rnd.randrange(1, n)
        back = 1 + (rnd.randrange(c) if rnd.random() < 0.02
                    else rnd.randrange(min(c, 64)))
        p = c - back
        if (c, p) in seen:
            continue
        seen.add((c, p))
        same_env = (band_region[c] == band_region[p]
                    and account_of(c) == account_of(p))
        kind = rnd.random()
        if kind < 0.88:
            deps[c].append(p)
        elif kind < 0.94 and same_env:
            refs[c].append((p, rnd.randrange(per[p])))
        elif kind < 0.97 and same_env:
            imports[c].append("%s:%d" % (ids[p], exports[p]))
            exports[p] += 1
        elif kind >= 0.97:
            # a CDK-style carrier: the producer writes into the reader's
            # region, the reader reads there and depends on the producer
            name = "/%s/%d" % (ids[p], len(writes[p]))
            writes[p].append(
                (name, regions[band_region[c]]
                 if band_region[c] != band_region[p] else None))
            reads[c].append(name)
            deps[c].append(p)
        else:
            deps[c].append(p)
        edges.append((p, c))
        want -= 1

    if a.readers_of_one and n > 1:
        for r in regions:
            writes[0].append(("/bench/shared", r if r != regions[band_region[0]]
                              else None))
        for i in range(a.readers_of_one):
            s = 1 + i % (n - 1)
            reads[s].append("/bench/shared")
            if (s, 0) not in seen:
                seen.add((s, 0))
                deps[s].append(0)
                edges.append((0, s))

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    dump = json.JSONEncoder(separators=(",", ":")).encode
    with open(a.out + ".json", "w") as f:
        f.write('{"schema":"drtopo-topology/1","stacks":[\n')
        for s in range(n):
            st = {"id": ids[s], "account": accounts[account_of(s)],
                  "region": regions[band_region[s]]}
            res = [{"id": "R%d" % k if k else "R", "type": "AWS::SNS::Topic"}
                   for k in range(per[s])]
            if refs[s]:
                res[0]["references"] = [
                    {"stack": ids[p], "resource": "R%d" % k if k else "R"}
                    for p, k in refs[s]]
            if s == 0 and a.replicas:
                rep = ["x%d" % i for i in range(a.replicas)]
                res.append({
                    "id": "GT", "type": "AWS::DynamoDB::GlobalTable",
                    "name": "bench-global", "replicas": rep,
                    "key": {"arn": "arn:aws:kms:%s:%s:key/k" % (
                        st["region"], st["account"])},
                    "replica_keys": {
                        r: {"arn": "arn:aws:kms:%s:%s:key/k" % (
                            r, st["account"])} for r in rep}})
            st["resources"] = res
            if deps[s]:
                st["depends_on"] = [ids[p] for p in deps[s]]
            if writes[s] or reads[s]:
                pa = {}
                if writes[s]:
                    pa["writes"] = [{"name": w, "region": r} if r
                                    else {"name": w} for w, r in writes[s]]
                if reads[s]:
                    pa["reads"] = [{"name": r} for r in reads[s]]
                st["parameters"] = pa
            if exports[s]:
                st["exports"] = [{"name": "%s:%d" % (ids[s], k)}
                                 for k in range(exports[s])]
            if imports[s]:
                st["imports"] = [{"name": x} for x in imports[s]]
            f.write(dump(st))
            f.write(",\n" if s + 1 < n else "\n")
        f.write("]}\n")
    with open(a.out + ".edges", "w") as f:
        f.writelines("%s %s\n" % (ids[p], ids[c]) for p, c in edges)
        # stacks with no edge still belong to the order
        f.writelines("%s %s\n" % (i, i) for i in ids)


if __name__ == "__main__":
    main()
