#!/usr/bin/env python3
"""Tests of the drtopo command (drtopo(1), spec/cli.md).

    python3 tests/cli/test_cli.py DRTOPO DATA_DIR [unittest options]

DRTOPO is the built command, DATA_DIR is tests/data. The inputs and the
golden outputs live in DATA_DIR/cli (golden files in DATA_DIR/cli/golden).
With DRTOPO_UPDATE_GOLDEN=1 in the environment the golden files are
rewritten from the current output instead of compared. Python 3 standard
library only.

Tests that need a loader that is not written yet (the command then fails
with "internal error", exit status 3) are skipped with a message naming it.
"""
import difflib
import json
import os
import pty
import re
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import unittest

DRTOPO = None  # path of the command under test
DATA = None  # tests/data
CLI = None  # tests/data/cli: inputs, run from here
GOLDEN = None  # tests/data/cli/golden
UPDATE = os.environ.get("DRTOPO_UPDATE_GOLDEN") == "1"

VERBS = ("check", "plan", "graph", "explain", "simulate")
ANSI = re.compile(rb"\x1b\[[0-9;]*m")


def run(*args, cwd=None, env=None, stdout=subprocess.PIPE, preexec_fn=None,
        timeout=120):
    """Run drtopo with args from CLI; bytes out, bytes err."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env["TERM"] = "xterm"
    if env:
        full_env.update(env)
    return subprocess.run([DRTOPO, *args], cwd=cwd or CLI, env=full_env,
                          stdin=subprocess.DEVNULL, stdout=stdout,
                          stderr=subprocess.PIPE, preexec_fn=preexec_fn,
                          timeout=timeout, check=False)


def text(p):
    return p.stdout.decode("utf-8")


def err(p):
    return p.stderr.decode("utf-8")


_loader_state = {}


def require_loader(case, path, what):
    """Skip the test when loading `path` hits an unwritten loader."""
    if path not in _loader_state:
        p = run("check", "--fail-on", "never", path)
        _loader_state[path] = (p.returncode == 3 and
                               b"internal error" in p.stderr)
    if _loader_state[path]:
        case.skipTest(f"{what} loader not implemented yet "
                      f"(drtopo check {path}: internal error)")


def require_documents(case):
    require_loader(case, "clean.json", "topology document "
                   "(lib/load/document.c, lib/load/detect.c)")


def require_templates(case):
    require_loader(case, "template.json", "CloudFormation template "
                   "(lib/load/template.c)")


# ---- golden outputs ------------------------------------------------------

# (golden file, arguments, expected exit status)
GOLDEN_CASES = [
    ("clean.check.txt", ["check", "clean.json"], 0),
    ("clean.check.json", ["check", "--format", "json", "clean.json"], 0),
    ("clean.plan.txt", ["plan", "clean.json"], 0),
    ("clean.destroy.txt", ["plan", "--destroy", "clean.json"], 0),
    ("clean.dot", ["graph", "clean.json"], 0),
    ("seed.check.txt", ["check", "seed.json"], 1),
    ("seed.check.json", ["check", "--format=json", "seed.json"], 1),
    ("seed.sarif", ["check", "--format", "sarif", "seed.json"], 1),
    ("seed.dot", ["graph", "seed.json"], 0),
    ("seed.plan.txt", ["plan", "seed.json"], 0),
    ("cycle.check.txt", ["check", "cycle.json"], 1),
    ("cycle.plan.txt", ["plan", "cycle.json"], 1),
    ("cycle.dot", ["graph", "-f", "dot", "cycle.json"], 0),
    ("cycle.graph.json", ["graph", "--format", "json", "cycle.json"], 0),
    ("cycle.sarif", ["check", "-fsarif", "cycle.json"], 1),
    ("warning.check.txt", ["check", "warning.json"], 0),
    ("warning.quiet.txt", ["check", "-q", "warning.json"], 0),
    ("seed.simulate.txt", ["simulate", "seed.json"], 0),
    ("seed.simulate.json", ["simulate", "-f", "json", "seed.json"], 0),
    ("seed.simulate.sarif", ["simulate", "--format=sarif",
                             "--objective", "rpo=60", "seed.json"], 1),
    ("seed.simulate.dot", ["simulate", "-f", "dot", "--lose-region",
                           "us-east-2", "seed.json"], 0),
    ("seed.objective.txt", ["check", "--objective", "rpo=60,rto=900",
                            "seed.json"], 1),
]


class Golden(unittest.TestCase):
    """Output of small documents, byte for byte, and exit status."""

    def setUp(self):
        require_documents(self)

    def check_case(self, name, args, status):
        p = run(*args)
        self.assertEqual(p.returncode, status,
                         f"drtopo {' '.join(args)}: {err(p)}")
        self.assertEqual(p.stderr, b"")
        path = os.path.join(GOLDEN, name)
        if UPDATE:
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "wb") as f:
                f.write(p.stdout)
            return
        if not os.path.exists(path):
            self.fail(f"no golden file {path}: run with "
                      "DRTOPO_UPDATE_GOLDEN=1")
        with open(path, "rb") as f:
            want = f.read()
        if p.stdout != want:
            diff = difflib.unified_diff(
                want.decode().splitlines(True), text(p).splitlines(True),
                f"golden/{name}", f"drtopo {' '.join(args)}")
            self.fail("output differs from the golden file (update with "
                      "DRTOPO_UPDATE_GOLDEN=1):\n" + "".join(diff))

    def test_golden(self):
        for name, args, status in GOLDEN_CASES:
            with self.subTest(golden=name):
                self.check_case(name, args, status)

    def test_byte_identical_across_runs(self):
        for name, args, status in GOLDEN_CASES:
            with self.subTest(golden=name):
                a, b = run(*args), run(*args)
                self.assertEqual(a.stdout, b.stdout)
                self.assertEqual(a.returncode, b.returncode)


# ---- the command line ----------------------------------------------------

class CommandLine(unittest.TestCase):
    """Help, version, usage errors: nothing here needs a loader."""

    def assert_usage_error(self, p, *needles):
        self.assertEqual(p.returncode, 2, err(p))
        self.assertEqual(p.stdout, b"")
        self.assertTrue(err(p).startswith("drtopo: "), err(p))
        self.assertRegex(err(p), r"Try 'drtopo( [a-z]+)? --help'")
        for n in needles:
            self.assertIn(n, err(p))

    def test_version(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(text(p), r"^drtopo \d+\.\d+\.\d+\n\Z")
        self.assertEqual(p.stderr, b"")

    def test_main_help(self):
        for flag in ("--help", "-h"):
            with self.subTest(flag=flag):
                p = run(flag)
                self.assertEqual(p.returncode, 0)
                self.assertTrue(text(p).startswith("Usage: drtopo "))
                for verb in VERBS:
                    self.assertIn(f"  {verb} ", text(p))
                self.assertEqual(p.stderr, b"")

    def test_verb_help(self):
        for verb in VERBS:
            for flag in ("--help", "-h"):
                with self.subTest(verb=verb, flag=flag):
                    p = run(verb, flag)
                    self.assertEqual(p.returncode, 0, err(p))
                    self.assertTrue(
                        text(p).startswith(f"Usage: drtopo {verb}"))
                    self.assertEqual(p.stderr, b"")

    def test_help_wins_after_other_options(self):
        p = run("check", "--format", "json", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(text(p).startswith("Usage: drtopo check"))

    def test_help_lists_every_option(self):
        options = {
            "check": ["--format", "--fail-on", "--external", "--env",
                      "--objective", "--quiet", "--output", "--color",
                      "--help"],
            "plan": ["--destroy", "--format", "--external", "--env",
                     "--output", "--help"],
            "graph": ["--format", "--external", "--env", "--output",
                      "--help"],
            "explain": ["--list", "--help"],
        }
        for verb, opts in options.items():
            out = text(run(verb, "--help"))
            for o in opts:
                with self.subTest(verb=verb, option=o):
                    self.assertIn(o, out)

    def test_no_command(self):
        self.assert_usage_error(run(), "no command")

    def test_unknown_command(self):
        self.assert_usage_error(run("frobnicate"), "unknown command",
                                "'frobnicate'", "drtopo --help")

    def test_unknown_global_option(self):
        self.assert_usage_error(run("--frob"), "unknown option '--frob'")

    def test_unknown_option(self):
        self.assert_usage_error(run("check", "--frob", "x.json"),
                                "unknown option '--frob'",
                                "drtopo check --help")
        self.assert_usage_error(run("check", "-Z", "x.json"), "'-Z'")

    def test_option_of_another_verb(self):
        self.assert_usage_error(run("check", "--destroy", "x.json"),
                                "does not apply to 'check'")
        self.assert_usage_error(run("graph", "--fail-on", "error", "x"),
                                "does not apply to 'graph'")
        self.assert_usage_error(run("explain", "--format", "json", "X"),
                                "does not apply to 'explain'")

    def test_missing_value(self):
        self.assert_usage_error(run("check", "x.json", "--format"),
                                "'--format' needs a value")
        self.assert_usage_error(run("check", "x.json", "-o"),
                                "'-o' needs a value")

    def test_value_for_a_flag(self):
        self.assert_usage_error(run("check", "--quiet=yes", "x.json"),
                                "'--quiet' takes no value")

    def test_invalid_formats(self):
        for verb, fmt in (("check", "dot"), ("check", "xml"),
                          ("plan", "sarif"), ("plan", "dot"),
                          ("graph", "text"), ("graph", "sarif")):
            with self.subTest(verb=verb, format=fmt):
                self.assert_usage_error(run(verb, "--format", fmt, "x"),
                                        f"invalid format '{fmt}'")

    def test_invalid_choices(self):
        self.assert_usage_error(run("check", "--fail-on", "fatal", "x"),
                                "'fatal'", "--fail-on")
        self.assert_usage_error(run("check", "--color", "sometimes", "x"),
                                "'sometimes'", "--color")

    def test_no_input(self):
        for verb in ("check", "plan", "graph"):
            with self.subTest(verb=verb):
                self.assert_usage_error(run(verb), "no INPUT")

    def test_empty_input(self):
        self.assert_usage_error(run("check", "clean.json", ""),
                                "an empty INPUT")

    def test_quiet_and_destroy_need_text(self):
        self.assert_usage_error(run("check", "-q", "-f", "json", "x"),
                                "--quiet")
        self.assert_usage_error(
            run("plan", "--destroy", "--format", "json", "x"), "--destroy")

    def test_bad_env(self):
        for value in ("us-east-1", "a/b/c", "us-east-1/111111111111"):
            with self.subTest(env=value):
                self.assert_usage_error(run("check", "--env", value, "x"),
                                        "--env", value)

    def test_bad_external(self):
        for value in ("", "@us-east-1", "/x@"):
            with self.subTest(external=value):
                self.assert_usage_error(
                    run("check", "--external", value, "x"), "--external")

    def test_objective_errors(self):
        cases = [("rpo=", "rpo must be a number of seconds"),
                 ("rpo=-1", "rpo must be a number of seconds"),
                 ("rto=1h", "rto must be a number of seconds"),
                 ("rpo=9999999999", "rpo must be a number of seconds"),
                 ("strategy=FAST", "strategy must be one of"),
                 ("rpo=60,", "a trailing comma"),
                 ("", "--objective: empty"),
                 ("rpu=60", "'rpu=60' is not rpo=SECONDS")]
        for arg, msg in cases:
            with self.subTest(objective=arg):
                p = run("check", "--objective", arg, "clean.json")
                self.assertEqual(p.returncode, 2)
                self.assertEqual(p.stdout, b"")
                self.assertIn(msg, err(p))
        p = run("plan", "--objective", "rpo=60", "clean.json")
        self.assertEqual(p.returncode, 2)
        self.assertIn("does not apply to 'plan'", err(p))

    def test_simulate_errors(self):
        p = run("simulate")
        self.assertEqual(p.returncode, 2)
        self.assertIn("simulate: no INPUT given", err(p))
        p = run("simulate", "--lose-account", "abc", "clean.json")
        self.assertEqual(p.returncode, 2)
        self.assertIn("is not an account number", err(p))
        p = run("check", "--lose-region", "us-east-1", "clean.json")
        self.assertEqual(p.returncode, 2)
        self.assertIn("does not apply to 'check'", err(p))
        p = run("simulate", "--lose-region", "mars-1", "clean.json")
        self.assertEqual(p.returncode, 0, err(p))
        self.assertIn("warning: no stack of the input is in mars-1", err(p))
        self.assertIn("0 stateful resources affected", text(p))

    def test_double_dash_ends_options(self):
        p = run("check", "--", "--format")
        self.assertIn(p.returncode, (2, 3))
        self.assertIn("--format", err(p))
        self.assertNotIn("Try", err(p))


class Explain(unittest.TestCase):
    def test_explain_code(self):
        p = run("explain", "DRT302")
        self.assertEqual(p.returncode, 0, err(p))
        self.assertTrue(text(p).startswith(
            "DRT302 parameter-region-mismatch (error)\n"))
        self.assertIn("drtopo-rules(7)", text(p))

    def test_explain_any_case_and_name(self):
        want = text(run("explain", "DRT302"))
        self.assertEqual(text(run("explain", "drt302")), want)
        self.assertEqual(text(run("explain", "parameter-region-mismatch")),
                         want)

    def test_explain_unknown(self):
        p = run("explain", "DRT999")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no rule 'DRT999'", err(p))

    def test_explain_needs_one_code(self):
        for args in ([], ["DRT101", "DRT102"], ["--list", "DRT101"]):
            with self.subTest(args=args):
                p = run("explain", *args)
                self.assertEqual(p.returncode, 2)
                self.assertIn("one CODE", err(p))

    def test_list(self):
        p = run("explain", "--list")
        self.assertEqual(p.returncode, 0)
        lines = text(p).splitlines()
        self.assertGreaterEqual(len(lines), 20)
        codes = [line.split()[0] for line in lines]
        self.assertEqual(codes, sorted(codes))
        for line in lines:
            self.assertRegex(line, r"^DRT\d{3}  (error|warning|info) +"
                             r"[a-z0-9-]+ +\S")
        for code in codes:
            with self.subTest(code=code):
                self.assertEqual(run("explain", code).returncode, 0)


# ---- exit status -----------------------------------------------------------

class ExitStatus(unittest.TestCase):
    def setUp(self):
        require_documents(self)

    def test_clean_is_0(self):
        self.assertEqual(run("check", "clean.json").returncode, 0)

    def test_error_is_1(self):
        self.assertEqual(run("check", "seed.json").returncode, 1)

    def test_fail_on(self):
        # seed.json: 1 error, 1 warning; warning.json: 1 warning.
        cases = [("seed.json", "error", 1), ("seed.json", "warning", 1),
                 ("seed.json", "info", 1), ("seed.json", "never", 0),
                 ("warning.json", "error", 0),
                 ("warning.json", "warning", 1),
                 ("warning.json", "info", 1), ("warning.json", "never", 0),
                 # clean.json is clean but for posture infos (DRT601,
                 # DRT611): its stacks span two regions
                 ("clean.json", "warning", 0), ("clean.json", "info", 1)]
        for path, level, status in cases:
            with self.subTest(input=path, fail_on=level):
                p = run("check", "--fail-on", level, path)
                self.assertEqual(p.returncode, status, err(p))
                p = run("check", f"--fail-on={level}", "-f", "json", path)
                self.assertEqual(p.returncode, status, err(p))

    def test_plan_cycle_is_1(self):
        p = run("plan", "cycle.json")
        self.assertEqual(p.returncode, 1)
        self.assertIn("DRT101", text(p))
        self.assertEqual(run("plan", "-f", "json", "cycle.json").returncode,
                         1)
        self.assertEqual(run("plan", "clean.json").returncode, 0)

    def test_graph_of_a_cycle_is_0(self):
        self.assertEqual(run("graph", "cycle.json").returncode, 0)

    def test_missing_input_is_2(self):
        p = run("check", "no-such-file.json")
        self.assertEqual(p.returncode, 2)
        self.assertTrue(err(p).startswith("drtopo: "))
        self.assertIn("no-such-file.json", err(p))
        self.assertEqual(p.stdout, b"")

    def test_malformed_json_is_2_with_line_and_column(self):
        p = run("check", "invalid.json")
        self.assertEqual(p.returncode, 2)
        self.assertRegex(err(p), r"^drtopo: invalid\.json:4:\d+: ")

    def test_invalid_document_is_2_with_pointer(self):
        p = run("check", "bad-schema.json")
        self.assertEqual(p.returncode, 2)
        self.assertRegex(err(p), r"^drtopo: bad-schema\.json:4:\d+: ")
        self.assertIn("/stacks/0/depends", err(p))

    def test_directory_without_manifest_is_2(self):
        with tempfile.TemporaryDirectory() as d:
            p = run("check", d)
            self.assertEqual(p.returncode, 2, err(p))
            self.assertIn(d, err(p))

    def test_same_stack_twice_is_2(self):
        p = run("check", "clean.json", "clean.json")
        self.assertEqual(p.returncode, 2, err(p))
        self.assertIn("KmsSecondary", err(p))

    def test_out_of_memory_is_3(self):
        """Under an address-space limit drtopo fails cleanly: never a
        crash, never a partial output file, and exit status 3 with "out of
        memory" where an allocation fails after the input was read.

        Finds the smallest limit under which a big document passes (by
        bisection), then lowers it a MiB at a time: the first failures are
        after loading, in the resolver or in writing the report (whichever
        needs the most memory on top of the model)."""
        if os.environ.get("DRTOPO_TEST_NO_RLIMIT"):
            self.skipTest("DRTOPO_TEST_NO_RLIMIT is set")
        with tempfile.TemporaryDirectory() as d:
            big = os.path.join(d, "big.json")
            stacks = [{"id": f"S{i}", "account": "111111111111",
                       "region": "us-east-1",
                       "depends_on": [f"S{i - 1}"] if i else []}
                      for i in range(20000)]
            with open(big, "w") as f:
                json.dump({"schema": "drtopo-topology/1", "stacks": stacks},
                          f)
            out = os.path.join(d, "report.json")

            def attempt(mib):
                limit = mib << 20

                def cap():
                    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                p = run("check", "-f", "json", "-o", out, big,
                        preexec_fn=cap)
                self.assertIn(p.returncode, (0, 2, 3),
                              f"{mib} MiB: status {p.returncode} {err(p)}")
                if p.returncode == 0:
                    os.unlink(out)
                else:
                    self.assertFalse(os.path.exists(out),
                                     f"{mib} MiB: output written")
                return p

            lo, hi = 4, 1024
            if attempt(hi).returncode != 0:
                self.skipTest("the big document does not pass in 1 GiB")
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if attempt(mid).returncode == 0:
                    hi = mid
                else:
                    lo = mid
            seen = []
            for mib in range(hi - 1, max(hi - 17, 3), -1):
                p = attempt(mib)
                seen.append((mib, p.returncode, err(p)))
                if p.returncode == 3:
                    self.assertRegex(err(p), r"\Adrtopo: (cannot write the "
                                     r"report: )?out of memory\n\Z")
                    return
            self.fail(f"no exit status 3 below {hi} MiB: {seen}")


# ---- formats --------------------------------------------------------------

class Posture(unittest.TestCase):
    """The seed DR app (examples/seed-dr) as posture.md describes it."""

    SEED = None

    def setUp(self):
        require_documents(self)
        root = os.path.dirname(os.path.dirname(DATA))
        Posture.SEED = os.path.join(root, "examples", "seed-dr")

    def seed(self, variant):
        return os.path.join(self.SEED, variant + ".json")

    def codes(self, p):
        return [d["code"] for d in json.loads(text(p))["diagnostics"]]

    def test_each_variant_drt605_once(self):
        for v in ("model-response", "ideal-response", "fixed"):
            with self.subTest(variant=v):
                p = run("check", "-f", "json", self.seed(v))
                self.assertEqual(self.codes(p).count("DRT605"), 1)
                self.assertNotIn("DRT604", self.codes(p))

    def test_objective_breaches_the_aurora_clusters(self):
        p = run("check", "-f", "json", "--objective", "rpo=60",
                self.seed("fixed"))
        self.assertEqual(p.returncode, 1)
        d = json.loads(text(p))["diagnostics"]
        hit = sorted((x["stack"], x["resource"]) for x in d
                     if x["code"] == "DRT610" and
                     x["resource"] == "DbCluster")
        self.assertEqual(hit, [("DatabasePrimary-dev", "DbCluster"),
                               ("DatabaseSecondary-dev", "DbCluster")])
        self.assertFalse([x for x in d if x["code"] == "DRT610" and
                          x["resource"] == "SessionsTable"])
        p = run("check", "-f", "json", self.seed("fixed"))
        self.assertNotIn("DRT610", self.codes(p))

    def test_losing_us_east_1_loses_the_failover_automation(self):
        p = run("simulate", "--lose-region", "us-east-1", self.seed("fixed"))
        self.assertEqual(p.returncode, 0, err(p))
        out = text(p)
        self.assertTrue(out.startswith("loss of us-east-1:"))
        self.assertIn("lost stack Failover-dev: automation lost with its "
                      "region: PrimaryHealthCheck, SecondaryHealthCheck, "
                      "HealthCheckFunction, FailoverFunction, "
                      "PrimaryHealthAlarm\n", out)
        self.assertRegex(out, r"survives +StoragePrimary-dev/SessionsTable"
                         r" +1 s +unknown +DynamoDB global table replica "
                         r"in us-east-2")
        p = run("simulate", "-f", "json", "--lose-region", "us-east-1",
                self.seed("fixed"))
        sc = json.loads(text(p))["scenarios"][0]
        failover = [s for s in sc["stacks"] if s["id"] == "Failover-dev"]
        self.assertEqual(failover[0]["state"], "lost")
        self.assertEqual(failover[0]["region"], "us-east-1")

    def test_efs_replication_survives(self):
        """tests/data/cdk/efs-replication: the us-east-1 file system
        replicated to us-west-2 has a copy there (no DRT601) and survives
        the loss of us-east-1 by efs-replication, figures unknown; its
        twin without replication is DRT601 once and lost."""
        app = os.path.join(DATA, "cdk", "efs-replication", "cdk.out")
        twin = os.path.join(DATA, "cdk", "efs-no-replication", "cdk.out")
        p = run("check", "-f", "json", app)
        self.assertEqual(p.returncode, 0, err(p))
        self.assertNotIn("DRT601", self.codes(p))
        p = run("simulate", "-f", "json", "--lose-region", "us-east-1", app)
        self.assertEqual(p.returncode, 0, err(p))
        res = json.loads(text(p))["scenarios"][0]["resources"]
        self.assertEqual([(r["resource"], r["outcome"], r["mechanism"],
                           r["copy_region"], r["rpo"], r["rto"])
                          for r in res],
                         [("SharedDACC02AA", "survives", "efs-replication",
                           "us-west-2", None, None)])
        p = run("simulate", "--lose-region", "us-east-1", app)
        self.assertRegex(text(p), r"survives +Files/SharedDACC02AA +unknown"
                         r" +unknown +EFS replication in us-west-2")
        p = run("check", "-f", "json", twin)
        self.assertEqual(self.codes(p), ["DRT601"])
        p = run("simulate", "-f", "json", "--lose-region", "us-east-1", twin)
        res = json.loads(text(p))["scenarios"][0]["resources"]
        self.assertEqual([(r["resource"], r["outcome"]) for r in res],
                         [("SharedDACC02AA", "lost")])

    def test_every_region_and_worst_case(self):
        p = run("simulate", "-f", "json", self.seed("fixed"))
        d = json.loads(text(p))
        self.assertEqual([s["lost"]["region"] for s in d["scenarios"]],
                         ["us-east-1", "us-east-2"])
        worst = {(w["stack"], w["resource"]): w for w in d["worst"]}
        t = worst[("StoragePrimary-dev", "SessionsTable")]
        self.assertEqual((t["outcome"], t["rpo"]), ("survives", 1))
        self.assertEqual(worst[("DatabasePrimary-dev", "DbCluster")]
                         ["outcome"], "lost")
        p = run("simulate", self.seed("fixed"))
        self.assertIn("worst case over 2 regions:", text(p))

    def test_fail_on(self):
        args = ["simulate", "--objective", "rpo=60", self.seed("fixed")]
        self.assertEqual(run(*args).returncode, 1)
        self.assertEqual(run(*args, "--fail-on", "never").returncode, 0)
        self.assertEqual(run("simulate", "--fail-on", "info",
                             self.seed("fixed")).returncode, 1)

    def test_explain_points_at_posture_page(self):
        for code in ("DRT601", "DRT602", "DRT603", "DRT604", "DRT605",
                     "DRT606", "DRT610", "DRT611"):
            with self.subTest(code=code):
                p = run("explain", code)
                self.assertEqual(p.returncode, 0)
                self.assertIn("Why it defeats recovery:", text(p))
                self.assertIn("See drtopo-posture(7).", text(p))


class Formats(unittest.TestCase):
    def setUp(self):
        require_documents(self)

    def report(self, *args):
        p = run(*args)
        self.assertIn(p.returncode, (0, 1), err(p))
        return json.loads(text(p))

    def test_json_report(self):
        r = self.report("check", "--format", "json", "seed.json")
        self.assertEqual(list(r), ["schema", "generator", "stacks", "waves",
                                   "edges", "parameters", "diagnostics",
                                   "summary"])
        self.assertEqual(r["schema"], "drtopo-report/1")
        version = text(run("--version")).split()[1]
        self.assertEqual(r["generator"], f"drtopo {version}")
        self.assertEqual(r["summary"]["stacks"], 3)
        codes = [d["code"] for d in r["diagnostics"]]
        self.assertIn("DRT302", codes)
        for d in r["diagnostics"]:
            self.assertEqual(d["source"]["file"], "seed.json")

    def test_plan_and_graph_json_are_the_report(self):
        want = text(run("check", "-f", "json", "clean.json"))
        self.assertEqual(text(run("plan", "-f", "json", "clean.json")), want)
        self.assertEqual(text(run("graph", "-f", "json", "clean.json")),
                         want)

    def test_plan_text_matches_json_waves(self):
        r = self.report("plan", "--format", "json", "clean.json")
        waves, current = [], None
        for line in text(run("plan", "clean.json")).splitlines():
            if line.startswith("wave "):
                current = []
                waves.append(current)
                self.assertEqual(line, f"wave {len(waves)}")
            else:
                self.assertTrue(line.startswith("  "), line)
                current.append(line.split()[0])
        self.assertEqual(waves, r["waves"])

    def test_destroy_reverses_the_waves(self):
        def waves(args):
            out, cur = [], None
            for line in text(run(*args)).splitlines():
                if line.startswith("wave "):
                    cur = []
                    out.append(cur)
                else:
                    cur.append(line.split()[0])
            return out
        deploy = waves(["plan", "clean.json"])
        destroy = waves(["plan", "--destroy", "clean.json"])
        self.assertGreater(len(deploy), 1)
        self.assertEqual(destroy, deploy[::-1])

    def test_quiet_prints_the_summary_only(self):
        p = run("check", "--quiet", "seed.json")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(text(p),
                         "3 stacks, 4 resources: 1 error, 1 warning, "
                         "4 infos\n")
        full = text(run("check", "seed.json"))
        self.assertTrue(full.endswith(text(p)))

    def test_text_lines(self):
        out = text(run("check", "seed.json"))
        lines = out.splitlines()
        self.assertRegex(lines[-1], r"^\d+ stacks?, \d+ resources?: \d+ "
                         r"errors?, \d+ warnings?, \d+ infos?$")
        heads = [ln for ln in lines[:-1] if not ln.startswith("  ")]
        self.assertEqual(len([h for h in heads
                              if not h.startswith("info")]), 2)
        for ln in heads:
            self.assertRegex(ln, r"^(error|warning|info) DRT\d{3} "
                             r"[^ ]+(/[^ ]+)?: .")
        self.assertIn("  hint: ", out)

    def test_sarif_structure(self):
        for path in ("seed.json", "cycle.json", "clean.json"):
            with self.subTest(input=path):
                p = run("check", "--format", "sarif", path)
                self.validate_sarif(json.loads(text(p)), path)

    def validate_sarif(self, s, path):
        self.assertEqual(s["version"], "2.1.0")
        self.assertIn("sarif-schema-2.1.0.json", s["$schema"])
        self.assertEqual(len(s["runs"]), 1)
        run0 = s["runs"][0]
        driver = run0["tool"]["driver"]
        self.assertEqual(driver["name"], "drtopo")
        self.assertEqual(driver["version"],
                         text(run("--version")).split()[1])
        self.assertTrue(driver["informationUri"].startswith("https://"))
        rules = driver["rules"]
        ids = [r["id"] for r in rules]
        self.assertEqual(ids, sorted(set(ids)), "rules: sorted, distinct")
        for r in rules:
            self.assertRegex(r["id"], r"^DRT\d{3}$")
            self.assertRegex(r["name"], r"^[a-z0-9-]+$")
            self.assertTrue(r["shortDescription"]["text"])
            self.assertRegex(r["helpUri"], r"^[a-z]+:[^\s]+#DRT\d{3}$")
            self.assertIn(r["defaultConfiguration"]["level"],
                          ("error", "warning", "note"))
        fired = set()
        for res in run0["results"]:
            fired.add(res["ruleId"])
            self.assertEqual(rules[res["ruleIndex"]]["id"], res["ruleId"])
            self.assertIn(res["level"], ("error", "warning", "note"))
            self.assertTrue(res["message"]["text"])
            self.assertIsInstance(res["locations"], list)
            loc = res["locations"][0]
            art = loc["physicalLocation"]["artifactLocation"]
            self.assertEqual(art["uri"], path)
            self.assertEqual(art["uriBaseId"], "SRCROOT")
            self.assertTrue(loc["properties"]["jsonPointer"].startswith("/"))
            self.assertIn("fullyQualifiedName", loc["logicalLocations"][0])
            for i, rel in enumerate(res.get("relatedLocations", [])):
                self.assertEqual(rel["id"], i + 1)
                self.assertTrue(rel["message"]["text"])
            self.assertRegex(res["partialFingerprints"]["drtopo/v1"],
                             r"^[0-9a-f]{16}$")
        self.assertEqual(fired, set(ids), "rules = the rules that fired")
        self.assertIn("SRCROOT", run0["originalUriBaseIds"])

    def test_sarif_fingerprints_stable_and_distinct(self):
        def prints():
            s = json.loads(text(run("check", "-f", "sarif", "seed.json")))
            return [r["partialFingerprints"]["drtopo/v1"]
                    for r in s["runs"][0]["results"]]
        a, b = prints(), prints()
        self.assertEqual(a, b)
        self.assertGreater(len(a), 1)
        self.assertEqual(len(set(a)), len(a))

    def test_sarif_fingerprint_ignores_the_file_name(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(os.path.join(CLI, "seed.json"),
                        os.path.join(d, "renamed.json"))
            a = json.loads(text(run("check", "-f", "sarif", "seed.json")))
            b = json.loads(text(run("check", "-f", "sarif", "renamed.json",
                                    cwd=d)))
            fa = [r["partialFingerprints"] for r in a["runs"][0]["results"]]
            fb = [r["partialFingerprints"] for r in b["runs"][0]["results"]]
            self.assertEqual(fa, fb)

    def test_dot_structure(self):
        out = text(run("graph", "cycle.json"))
        self.assertTrue(out.startswith("digraph drtopo {\n"))
        self.assertTrue(out.endswith("}\n"))
        self.assertIn('label="111111111111 / us-east-1"', out)
        self.assertIn('label="111111111111 / us-west-2"', out)
        self.assertEqual(len(re.findall(r"subgraph cluster_\d+", out)), 2)
        cyclic = [ln for ln in out.splitlines() if "->" in ln and
                  "color=red" in ln]
        self.assertEqual(len(cyclic), 2, out)
        plain = [ln for ln in out.splitlines() if '"Gamma" -> "Alpha"' in ln]
        self.assertEqual(len(plain), 1)
        self.assertNotIn("color=red", plain[0])

    def test_dot_renders(self):
        dot = shutil.which("dot")
        if not dot:
            self.skipTest("graphviz (dot) not installed")
        for path in ("clean.json", "seed.json", "cycle.json"):
            with self.subTest(input=path):
                src = run("graph", path).stdout
                p = subprocess.run([dot, "-Tsvg"], input=src,
                                   capture_output=True, check=False)
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                self.assertEqual(p.stderr, b"")
                self.assertIn(b"<svg", p.stdout)

    def test_multiple_inputs_load_into_one_model(self):
        r = self.report("check", "-f", "json", "clean.json", "warning.json")
        ids = [s["id"] for s in r["stacks"]]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(ids), 4)
        self.assertIn("Network", ids)


# ---- options that change the model ------------------------------------------

class ModelOptions(unittest.TestCase):
    def setUp(self):
        require_documents(self)

    def codes(self, *args):
        p = run("check", "-f", "json", *args)
        self.assertIn(p.returncode, (0, 1), err(p))
        return [d["code"] for d in json.loads(text(p))["diagnostics"]]

    def test_external_silences_a_missing_parameter(self):
        self.assertEqual(self.codes("warning.json"), ["DRT301"])
        self.assertEqual(self.codes("--external", "/shared/vpc-id",
                                    "warning.json"), [])
        self.assertEqual(self.codes("--external=/shared/vpc-id@eu-west-1",
                                    "warning.json"), [])
        p = run("check", "--fail-on", "info", "--external", "/shared/vpc-id",
                "warning.json")
        self.assertEqual(p.returncode, 0)

    def test_external_in_another_region_does_not(self):
        self.assertEqual(self.codes("--external", "/shared/vpc-id@us-west-2",
                                    "warning.json"), ["DRT301"])

    def test_external_is_repeatable(self):
        self.assertEqual(self.codes("--external", "/other",
                                    "--external", "/shared/vpc-id",
                                    "warning.json"), [])

    def test_env_values_accepted(self):
        for value in ("111111111111/us-east-1", "/us-east-1",
                      "111111111111/", "unknown/unknown", "/",
                      "unknown-account/unknown-region"):
            with self.subTest(env=value):
                p = run("check", "--env", value, "clean.json")
                self.assertEqual(p.returncode, 0, err(p))

    def test_env_sets_the_environment_of_templates(self):
        require_templates(self)
        with tempfile.TemporaryDirectory() as d:
            for name in ("a", "b"):
                shutil.copy(os.path.join(CLI, "template.json"),
                            os.path.join(d, f"{name}.json"))
            p = run("graph", "-f", "json", "a.json",
                    "--env", "123456789012/eu-west-1",
                    "--env", "/eu-central-1", "b.json", cwd=d)
            self.assertEqual(p.returncode, 0, err(p))
            env = {s["id"]: (s["account"], s["region"])
                   for s in json.loads(text(p))["stacks"]}
            self.assertEqual(env, {"a": ("123456789012", "eu-west-1"),
                                   "b": (None, "eu-central-1")})


# ---- --output ---------------------------------------------------------------

class Output(unittest.TestCase):
    def setUp(self):
        require_documents(self)
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_output_file(self):
        out = os.path.join(self.dir, "report.sarif")
        p = run("check", "-f", "sarif", "--output", out, "seed.json")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, b"")
        with open(out, "rb") as f:
            self.assertEqual(f.read(),
                             run("check", "-f", "sarif", "seed.json").stdout)
        self.assertEqual(os.listdir(self.dir), ["report.sarif"])

    def test_output_mode_follows_umask(self):
        out = os.path.join(self.dir, "plan.txt")
        old = os.umask(0o027)
        try:
            p = run("plan", "-o", out, "clean.json")
        finally:
            os.umask(old)
        self.assertEqual(p.returncode, 0, err(p))
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o640)

    def test_output_replaces_and_failure_keeps(self):
        out = os.path.join(self.dir, "graph.dot")
        with open(out, "w") as f:
            f.write("old\n")
        p = run("graph", "-o", out, "no-such-file.json")
        self.assertEqual(p.returncode, 2)
        with open(out) as f:
            self.assertEqual(f.read(), "old\n")
        p = run("graph", f"--output={out}", "clean.json")
        self.assertEqual(p.returncode, 0)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), run("graph", "clean.json").stdout)
        self.assertEqual(os.listdir(self.dir), ["graph.dot"])

    def test_output_unwritable_is_2(self):
        out = os.path.join(self.dir, "missing", "report.json")
        p = run("check", "-f", "json", "-o", out, "clean.json")
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"cannot write {out}", err(p))
        self.assertEqual(os.listdir(self.dir), [])

    def test_output_keeps_mode_and_follows_links(self):
        real = os.path.join(self.dir, "real.json")
        link = os.path.join(self.dir, "link.json")
        with open(real, "w") as f:
            f.write("old\n")
        os.chmod(real, 0o600)
        os.symlink("real.json", link)
        p = run("check", "-f", "json", "-o", link, "clean.json")
        self.assertEqual(p.returncode, 0, err(p))
        self.assertTrue(os.path.islink(link))
        self.assertEqual(stat.S_IMODE(os.stat(real).st_mode), 0o600)
        with open(real, "rb") as f:
            self.assertEqual(f.read(),
                             run("check", "-f", "json", "clean.json").stdout)
        self.assertEqual(sorted(os.listdir(self.dir)),
                         ["link.json", "real.json"])

    def test_output_to_a_pipe_is_written_in_place(self):
        """Devices and pipes (/dev/null, /dev/stdout) are not replaced by
        a file: shown with a named pipe in a private directory."""
        fifo = os.path.join(self.dir, "fifo")
        os.mkfifo(fifo)
        proc = subprocess.Popen([DRTOPO, "plan", "-o", fifo, "clean.json"],
                                cwd=CLI, stderr=subprocess.PIPE)
        with open(fifo, "rb") as f:
            got = f.read()
        self.assertEqual(proc.wait(timeout=60), 0)
        proc.stderr.close()
        self.assertEqual(got, run("plan", "clean.json").stdout)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))

    def test_simulate_json_to_a_file_is_whole(self):
        """simulate --format json is streamed like check's report: to
        --output through a temporary file that replaces the target whole,
        or (when a write fails on the way) is removed."""
        want = run("simulate", "-f", "json", "seed.json").stdout
        self.assertEqual(json.loads(want)["schema"], "drtopo-simulation/1")
        out = os.path.join(self.dir, "sim.json")
        p = run("simulate", "-f", "json", "-o", out, "seed.json")
        self.assertEqual(p.returncode, 0, err(p))
        self.assertEqual(p.stdout, b"")
        with open(out, "rb") as f:
            self.assertEqual(f.read(), want)
        with open(out, "w") as f:
            f.write("old\n")

        def small_files():  # a write past 1000 bytes fails with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
        self.assertGreater(len(want), 1000)
        p = run("simulate", "-f", "json", "-o", out, "seed.json",
                preexec_fn=small_files)
        self.assertEqual(p.returncode, 2, err(p))
        self.assertIn(f"cannot write {out}: File too large", err(p))
        with open(out) as f:
            self.assertEqual(f.read(), "old\n")
        self.assertEqual(os.listdir(self.dir), ["sim.json"])
        # standard output has received the start of it
        with open(os.path.join(self.dir, "stdout"), "w+b") as f:
            p = run("simulate", "-f", "json", "seed.json", stdout=f,
                    preexec_fn=small_files)
            f.seek(0)
            got = f.read()
        self.assertEqual(p.returncode, 2, err(p))
        self.assertIn("cannot write standard output", err(p))
        self.assertLess(len(got), len(want))
        self.assertEqual(got, want[:len(got)])

    def test_simulate_json_to_a_full_device_is_2(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        p = run("simulate", "-f", "json", "-o", "/dev/full", "seed.json")
        self.assertEqual(p.returncode, 2, err(p))
        self.assertEqual(err(p), "drtopo: cannot write /dev/full: "
                         "No space left on device\n")

    def test_output_dash_is_stdout(self):
        p = run("check", "-o", "-", "clean.json")
        self.assertEqual(p.stdout, run("check", "clean.json").stdout)


# ---- colour ---------------------------------------------------------------

def run_on_terminal(*args, env=None):
    """Run drtopo with stdout on a pseudo-terminal; its bytes."""
    master, slave = pty.openpty()
    try:
        full_env = dict(os.environ)
        full_env.pop("NO_COLOR", None)
        full_env["TERM"] = "xterm"
        full_env.update(env or {})
        proc = subprocess.Popen([DRTOPO, *args], cwd=CLI, env=full_env,
                                stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=subprocess.PIPE)
        os.close(slave)
        slave = None
        data = b""
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                proc.kill()
                raise AssertionError("drtopo hangs on a terminal")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            data += chunk
        proc.wait(timeout=30)
        proc.stderr.close()
        return data.replace(b"\r\n", b"\n")
    finally:
        os.close(master)
        if slave is not None:
            os.close(slave)


class Color(unittest.TestCase):
    def setUp(self):
        require_documents(self)

    def test_always_and_never(self):
        colored = run("check", "--color", "always", "seed.json").stdout
        self.assertRegex(colored, rb"\x1b\[1;31merror\x1b\[0m DRT302")
        self.assertRegex(colored, rb"\x1b\[1;33mwarning\x1b\[0m DRT301")
        plain = run("check", "--color=never", "seed.json").stdout
        self.assertNotIn(b"\x1b", plain)
        self.assertEqual(ANSI.sub(b"", colored), plain)

    def test_auto_off_on_a_pipe(self):
        self.assertNotIn(b"\x1b", run("check", "seed.json").stdout)

    def test_auto_on_a_terminal(self):
        self.assertIn(b"\x1b[1;31m", run_on_terminal("check", "seed.json"))

    def test_no_color(self):
        out = run_on_terminal("check", "seed.json", env={"NO_COLOR": "1"})
        self.assertIn(b"DRT302", out)
        self.assertNotIn(b"\x1b", out)
        out = run_on_terminal("check", "seed.json", env={"NO_COLOR": ""})
        self.assertIn(b"\x1b[1;31m", out)
        out = run("check", "--color", "always", "seed.json",
                  env={"NO_COLOR": "1"}).stdout
        self.assertIn(b"\x1b[1;31m", out, "--color always wins")

    def test_dumb_terminal(self):
        out = run_on_terminal("check", "seed.json", env={"TERM": "dumb"})
        self.assertNotIn(b"\x1b", out)

    def test_no_color_for_machine_formats(self):
        for fmt in ("json", "sarif"):
            out = run("check", "--color", "always", "-f", fmt,
                      "seed.json").stdout
            self.assertNotIn(b"\x1b", out)


# ---- memory: valgrind ------------------------------------------------------

class Valgrind(unittest.TestCase):
    """No leak and no invalid access on the main paths."""

    CASES = [
        ["check", "seed.json"],
        ["check", "-f", "sarif", "--external", "/app/config", "seed.json"],
        ["check", "-f", "json", "clean.json", "warning.json"],
        ["plan", "--destroy", "clean.json"],
        ["plan", "cycle.json"],
        ["graph", "cycle.json"],
        ["check", "invalid.json"],
        ["check", "--env", "111111111111/us-east-1", "clean.json"],
        ["explain", "DRT302"],
        ["explain", "--list"],
        ["check", "--frob"],
        ["simulate", "x"],
        ["simulate", "-f", "json", "seed.json"],
    ]

    def test_valgrind_clean(self):
        vg = shutil.which("valgrind")
        if not vg or os.environ.get("DRTOPO_TEST_NO_VALGRIND"):
            self.skipTest("valgrind not installed (or "
                          "DRTOPO_TEST_NO_VALGRIND set)")
        require_documents(self)
        for args in self.CASES:
            with self.subTest(args=args):
                p = subprocess.run(
                    [vg, "-q", "--leak-check=full", "--error-exitcode=99",
                     "--errors-for-leak-kinds=definite,indirect,possible",
                     DRTOPO, *args], cwd=CLI, stdin=subprocess.DEVNULL,
                    capture_output=True, timeout=300, check=False)
                self.assertNotEqual(p.returncode, 99, p.stderr.decode())
                self.assertNotIn(b"==", p.stderr, p.stderr.decode())


# ---- the manual -----------------------------------------------------------

class Manual(unittest.TestCase):
    def page(self):
        return os.path.join(DATA, "..", "..", "man", "drtopo.1")

    def test_mandoc_lint(self):
        mandoc = shutil.which("mandoc")
        if not mandoc:
            self.skipTest("mandoc not installed")
        p = subprocess.run([mandoc, "-T", "lint", "-W", "warning",
                            self.page()], capture_output=True, check=False)
        self.assertEqual(p.returncode, 0, p.stdout.decode() +
                         p.stderr.decode())

    def test_documents_every_verb_and_option(self):
        with open(self.page()) as f:
            page = f.read()
        for verb in VERBS:
            self.assertIn(f".Cm {verb}", page)
        opts = set()
        for verb in VERBS:
            opts |= set(re.findall(r"--[a-z-]+", text(run(verb, "--help"))))
        opts |= {"--version", "--help"}
        for o in sorted(opts):
            with self.subTest(option=o):
                self.assertTrue(
                    re.search(rf"Fl -{re.escape(o[2:])}\b", page),
                    f"{o} is not in man/drtopo.1")
        for section in ("EXIT STATUS", "ENVIRONMENT", "EXAMPLES"):
            self.assertIn(f".Sh {section}", page)
        self.assertIn("NO_COLOR", page)


def main():
    global DRTOPO, DATA, CLI, GOLDEN
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} DRTOPO DATA_DIR [unittest options]")
    DRTOPO = os.path.abspath(sys.argv[1])
    DATA = os.path.abspath(sys.argv[2])
    CLI = os.path.join(DATA, "cli")
    GOLDEN = os.path.join(CLI, "golden")
    unittest.main(argv=[sys.argv[0], *sys.argv[3:]], verbosity=2)


if __name__ == "__main__":
    main()
