#!/usr/bin/env python3
"""Hostile inputs through the real drtopo command (issue 7, item 4).

    python3 tests/cli/test_hostile.py DRTOPO DATA_DIR [unittest options]

Each case writes its input files into a fresh temporary directory (the big
ones are generated here, never committed), runs `drtopo check` (or another
verb) on them and asserts the exit status, a pattern of the message on
standard error, and that it finished within a time bound: no crash
(a signal, status 3 or above), no hang, no unbounded work. Python 3
standard library only.

Exit status (drtopo(1)): 0 clean, 1 findings, 2 usage error or bad input,
3 internal error or out of memory. A crash shows up as a negative
status (the signal) and fails every case.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

DRTOPO = None
DATA = None

SCHEMA = "drtopo-topology/1"
MIB = 1 << 20
DEFAULT_TIMEOUT = 60  # seconds for any one case; generous for valgrind


def doc(stacks=None, **extra):
    d = {"schema": SCHEMA, "stacks": stacks if stacks is not None else []}
    d.update(extra)
    return json.dumps(d).encode()


def stack(sid="S", region="us-east-1", **extra):
    s = {"id": sid, "region": region}
    s.update(extra)
    return s


def nested(depth, open_="[", close="]", inner=""):
    return open_ * depth + inner + close * depth


def template(resources=None, **extra):
    t = {"Resources": resources if resources is not None else
         {"Q": {"Type": "AWS::SQS::Queue"}}}
    t.update(extra)
    return json.dumps(t).encode()


def manifest(artifacts, version="36.0.0"):
    return json.dumps({"version": version, "artifacts": artifacts}).encode()


def stack_artifact(template_file, env="aws://unknown-account/us-east-1"):
    return {"type": "aws:cloudformation:stack", "environment": env,
            "properties": {"templateFile": template_file}}


def nested_artifact(directory):
    return {"type": "cdk:cloud-assembly",
            "properties": {"directoryName": directory,
                           "displayName": directory}}


EVERYTHING = None  # bytes of tests/data/documents/valid/everything.json


# One case: name -> (files, args, status, stderr pattern[, stdout pattern]).
# files maps a relative path to bytes (or None for a directory); args are
# the command-line arguments after `drtopo`, run from the temporary
# directory. A status of None accepts 0 or 1 (loaded and checked).
def cases():
    c = {}

    # ---- truncated and malformed JSON ----
    half = EVERYTHING[: len(EVERYTHING) // 2]
    c["truncated_half"] = ({"d.json": half}, ["check", "d.json"], 2,
                           r"d\.json:\d+:\d+: .*")
    c["truncated_in_string"] = ({"d.json": b'{"schema": "drtopo-top'},
                                ["check", "d.json"], 2,
                                r"d\.json:1:\d+: ")
    c["truncated_after_key"] = ({"d.json": b'{"schema"'},
                                ["check", "d.json"], 2, r"d\.json:1:\d+: ")
    c["truncated_after_colon"] = ({"d.json": b'{"schema":'},
                                  ["check", "d.json"], 2, r"d\.json:1:\d+: ")
    c["truncated_one_byte"] = ({"d.json": b"{"}, ["check", "d.json"], 2,
                               r"d\.json:")
    c["empty_file"] = ({"d.json": b""}, ["check", "d.json"], 2,
                       r"d\.json:1:1: ")
    c["whitespace_only"] = ({"d.json": b" \n\t\r\n "}, ["check", "d.json"],
                            2, r"d\.json")
    c["trailing_garbage"] = ({"d.json": doc() + b" x"}, ["check", "d.json"],
                             2, r"d\.json:1:\d+: ")
    c["two_documents"] = ({"d.json": doc() + doc()}, ["check", "d.json"], 2,
                          r"d\.json:1:\d+: ")
    c["trailing_comma"] = ({"d.json": b'{"schema": "%s", "stacks": [],}'
                            % SCHEMA.encode()}, ["check", "d.json"], 2,
                           r"d\.json:1:\d+: ")
    c["single_quotes"] = ({"d.json": b"{'schema': 'x'}"},
                          ["check", "d.json"], 2, r"d\.json:1:\d+: ")
    c["comment"] = ({"d.json": b'/* hi */ {"schema": "%s", "stacks": []}'
                     % SCHEMA.encode()}, ["check", "d.json"], 2,
                    r"d\.json:1:\d+: ")
    c["random_binary"] = ({"d.json": bytes((i * 167 + 13) % 251 + 1
                                           for i in range(4096))},
                          ["check", "d.json"], 2, r"d\.json")

    # ---- wrong types ----
    c["root_number"] = ({"d.json": b"42"}, ["check", "d.json"], 2,
                        r"d\.json")
    c["root_string"] = ({"d.json": b'"drtopo-topology/1"'},
                        ["check", "d.json"], 2, r"d\.json")
    c["root_null"] = ({"d.json": b"null"}, ["check", "d.json"], 2,
                      r"d\.json")
    c["root_array"] = ({"d.json": b"[]"}, ["check", "d.json"], 2,
                       r"d\.json")
    c["stacks_object"] = ({"d.json": json.dumps(
        {"schema": SCHEMA, "stacks": {}}).encode()}, ["check", "d.json"], 2,
        r"d\.json:1:\d+: .*/stacks")
    c["stacks_string"] = ({"d.json": json.dumps(
        {"schema": SCHEMA, "stacks": "S"}).encode()}, ["check", "d.json"], 2,
        r"/stacks")
    c["stack_id_number"] = ({"d.json": doc([{"id": 7, "region": "r"}])},
                            ["check", "d.json"], 2, r"/stacks/0/id")
    c["region_array"] = ({"d.json": doc([stack(region=["us-east-1"])])},
                         ["check", "d.json"], 2, r"/stacks/0/region")
    c["resources_object"] = ({"d.json": doc([stack(resources={})])},
                             ["check", "d.json"], 2, r"/stacks/0/resources")
    c["depends_on_string"] = ({"d.json": doc([stack(depends_on="S")])},
                              ["check", "d.json"], 2,
                              r"/stacks/0/depends_on")
    c["resource_type_bool"] = ({"d.json": doc([stack(resources=[
        {"id": "R", "type": True}])])}, ["check", "d.json"], 2,
        r"/stacks/0/resources/0/type")
    c["schema_number"] = ({"d.json": b'{"schema": 1, "stacks": []}'},
                          ["check", "d.json"], 2, r"d\.json")
    c["huge_number"] = ({"d.json": doc([stack(**{"x-n": 1})]).replace(
        b'"x-n": 1', b'"x-n": 1e999999')}, ["check", "d.json"], 2,
        r"d\.json:1:\d+: ")
    c["huge_integer_in_x_key"] = ({"d.json": doc([stack(**{"x-n": 1})]).replace(
        b'"x-n": 1', b'"x-n": ' + b"9" * 5000)}, ["check", "d.json"], 2,
        r"d\.json:1:\d+: ")

    # ---- nesting ----
    c["deep_arrays_100000"] = ({"d.json": b'{"schema": "%s", "stacks": %s}'
                                % (SCHEMA.encode(), nested(100000).encode())},
                               ["check", "d.json"], 2,
                               r"nesting deeper than 512 levels")
    c["deep_objects_100000"] = ({"d.json": b'{"x-a": ' + nested(
        100000, '{"a":', "}", "1").encode() + b"}"}, ["check", "d.json"], 2,
        r"nesting deeper than 512 levels")
    c["deep_unclosed_100000"] = ({"d.json": b"[" * 100000},
                                 ["check", "d.json"], 2,
                                 r"nesting deeper than 512 levels")
    c["deep_513"] = ({"d.json": b'{"x-a": %s, "schema": "%s", "stacks": []}'
                      % (nested(512).encode(), SCHEMA.encode())},
                     ["check", "d.json"], 2,
                     r"nesting deeper than 512 levels")
    c["deep_511_ignored_x_key"] = ({"d.json": b'{"x-a": %s, "schema": "%s", '
                                    b'"stacks": []}' % (nested(511).encode(),
                                                        SCHEMA.encode())},
                                   ["check", "d.json"], 0,
                                   r"^$", r"0 stacks")
    c["deep_template_100000"] = ({"t.json": b'{"Resources": {"Q": {"Type": '
                                  b'"AWS::SQS::Queue", "Properties": {"A": '
                                  + nested(100000, '{"Fn::Join":["",[',
                                           "]]}", '"x"').encode() + b"}}}}"},
                                 ["check", "t.json"], 2,
                                 r"nesting deeper than 512 levels")

    # ---- big strings ----
    big = "a" * MIB
    c["string_1mib_plus_1"] = ({"d.json": doc([stack(sid=big + "b")])},
                               ["check", "d.json"], 2,
                               r"string longer than 1048576 bytes")
    c["key_1mib_plus_1"] = ({"d.json": doc(**{"x-" + big: 1})},
                            ["check", "d.json"], 2,
                            r"string longer than 1048576 bytes")
    c["string_1mib_escaped"] = ({"d.json": doc([stack(**{"x-s": "\u00e9" * (
        MIB // 2 + 1)})]).replace(b"\\u00e9", b"\\u00e9")},
        ["check", "d.json"], 2, r"string longer than 1048576 bytes")
    c["string_just_under_limit"] = ({"d.json": doc([stack(**{
        "x-s": "a" * (MIB - 16)})])}, ["check", "d.json"], 0, r"^$",
        r"1 stack")
    c["stack_id_100k"] = ({"d.json": doc([stack(sid="S" * 100000)])},
                          ["check", "d.json"], 0, r"^$", r"1 stack")

    # ---- encodings and bytes ----
    c["invalid_utf8_ff"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"\xff"')}, ["check", "d.json"], 2, r"invalid UTF-8")
    c["invalid_utf8_overlong"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"\xc0\xaf"')}, ["check", "d.json"], 2, r"invalid UTF-8")
    c["invalid_utf8_surrogate"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"\xed\xa0\x80"')}, ["check", "d.json"], 2,
        r"invalid UTF-8")
    c["invalid_utf8_truncated_seq"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"\xe2\x82"')}, ["check", "d.json"], 2, r"invalid UTF-8")
    c["utf16_bom"] = ({"d.json": "\ufeff".encode("utf-16-le") + doc().decode()
                       .encode("utf-16-le")}, ["check", "d.json"], 2,
                      r"d\.json")
    c["utf8_bom_ok"] = ({"d.json": b"\xef\xbb\xbf" + doc()},
                        ["check", "d.json"], 0, r"^$", r"0 stacks")
    c["lone_surrogate_escape"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"\\ud800"')}, ["check", "d.json"], 2, r"d\.json:1:\d+: ")
    c["escaped_nul"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"a\\u0000b"')}, ["check", "d.json"], 2, r"d\.json:1:\d+: ")
    c["nul_byte_raw"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"a\x00b"')}, ["check", "d.json"], 2, r"NUL byte")
    c["nul_byte_first"] = ({"d.json": b"\x00" + doc()}, ["check", "d.json"],
                           2, r"d\.json")
    c["control_char_in_string"] = ({"d.json": doc([stack(sid="A")]).replace(
        b'"A"', b'"a\x1bb"')}, ["check", "d.json"], 2, r"d\.json:1:\d+: ")

    # ---- duplicates ----
    c["duplicate_root_key"] = ({"d.json": b'{"schema": "%s", "schema": "%s", '
                                b'"stacks": []}' % (SCHEMA.encode(),
                                                    SCHEMA.encode())},
                               ["check", "d.json"], 2,
                               r"duplicate object key")
    c["duplicate_nested_key"] = ({"d.json": doc([stack()]).replace(
        b'"region"', b'"region": "x", "region"')}, ["check", "d.json"], 2,
        r"duplicate object key")
    c["duplicate_stack_id"] = ({"d.json": doc([stack(), stack()])},
                               ["check", "d.json"], 2, r"duplicate|already")
    c["same_file_twice"] = ({"d.json": doc([stack()])},
                            ["check", "d.json", "d.json"], 2,
                            r"already|duplicate")

    # ---- scale: cycles and collisions ----
    n = 10000
    c["cycle_10000_stacks"] = ({"d.json": doc([stack(
        "S%d" % i, depends_on=["S%d" % ((i + 1) % n)]) for i in range(n)])},
        ["check", "-q", "d.json"], 1, r"^$", r"10000 stacks.* [1-9]\d* error")
    c["plan_cycle_10000_stacks"] = ({"d.json": doc([stack(
        "S%d" % i, depends_on=["S%d" % ((i + 1) % n)]) for i in range(n)])},
        ["plan", "d.json"], 1, r"^$", r"DRT101: dependency cycle")
    n = 100000
    c["parameter_100000_writers_one_name"] = ({"d.json": doc([stack(
        resources=[{"id": "R%d" % i, "type": "AWS::SSM::Parameter"}
                   for i in range(n)],
        parameters={"writes": [{"name": "/same", "resource": "R%d" % i}
                               for i in range(n)]})])},
        ["check", "-q", "d.json"], None, r"^$", r"1 stack, 100000 resources")
    c["template_100000_parameters_one_name"] = ({"t.json": template(
        {"P%d" % i: {"Type": "AWS::SSM::Parameter",
                     "Properties": {"Name": "/same", "Type": "String",
                                    "Value": "v"}} for i in range(n)})},
        ["check", "-q", "t.json"], None, r"^$", r"100000 resources")
    c["template_100000_ssm_reads_one_name"] = ({"t.json": template(
        Parameters={"P%d" % i: {"Type": "AWS::SSM::Parameter::Value<String>",
                                "Default": "/same"} for i in range(n)})},
        ["check", "-q", "t.json"], None, r"^$", r"1 stack")

    # ---- assemblies ----
    c["manifest_outside_directory"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "../outside.template.json")}),
         "outside.template.json": template()},
        ["check", "asm"], 2, r"outside")
    c["manifest_absolute_template"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "/etc/passwd")})}, ["check", "asm"], 2, r"outside|absolute")
    c["manifest_template_is_itself"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "manifest.json")})}, ["check", "asm"], 2,
        r"manifest\.json:\d+:\d+: template 'manifest\.json' of stack 'S' is "
        r"the cloud assembly manifest itself")
    c["manifest_nested_is_itself"] = (
        {"asm/manifest.json": manifest({"Me": nested_artifact(".")})},
        ["check", "asm"], 2, r"nest|itself|deeper|limit")
    c["manifest_nested_parent"] = (
        {"asm/sub/manifest.json": manifest({"Up": nested_artifact("..")}),
         "asm/manifest.json": manifest({"Sub": nested_artifact("sub")})},
        ["check", "asm"], 2, r"outside|nest|deeper|limit")
    c["manifest_symlink_outside"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "link.template.json")}),
         "secret.template.json": template(),
         "@asm/link.template.json": "../secret.template.json"},
        ["check", "asm"], 2, r"outside|link")
    c["manifest_missing_template"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "nope.template.json")})}, ["check", "asm"], 2, r"nope")
    c["manifest_artifacts_array"] = (
        {"asm/manifest.json": json.dumps({"version": "36.0.0",
                                          "artifacts": []}).encode()},
        ["check", "asm"], 2, r"artifacts")
    c["manifest_template_file_number"] = (
        {"asm/manifest.json": manifest({"S": {
            "type": "aws:cloudformation:stack",
            "properties": {"templateFile": 5}}})}, ["check", "asm"], 2,
        r"templateFile")
    c["manifest_truncated"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "S.template.json")})[:30], "asm/S.template.json": template()},
        ["check", "asm"], 2, r"manifest\.json:1:\d+: ")
    c["assembly_template_not_json"] = (
        {"asm/manifest.json": manifest({"S": stack_artifact(
            "S.template.json")}), "asm/S.template.json": b"not json"},
        ["check", "asm"], 2, r"S\.template\.json:1:\d+: ")
    c["template_resources_array"] = ({"t.json": json.dumps(
        {"Resources": []}).encode()}, ["check", "t.json"], 2,
        r"not a topology document, a cloud assembly manifest or a "
        r"CloudFormation template")
    c["template_resource_type_number"] = ({"t.json": template(
        {"Q": {"Type": 5}})}, ["check", "t.json"], 2, r"Type")

    # ---- paths and arguments ----
    c["missing_file"] = ({}, ["check", "nope.json"], 2, r"nope\.json")
    c["directory_without_manifest"] = ({"empty/": None}, ["check", "empty"],
                                       2, r"empty")
    c["dev_null"] = ({}, ["check", "/dev/null"], 2, r"/dev/null")
    c["path_too_long"] = ({}, ["check", "x/" * 3000 + "d.json"], 2,
                          r"drtopo: ")
    c["unknown_option"] = ({}, ["check", "--frobnicate", "d.json"], 2,
                           r"frobnicate")
    c["bad_format"] = ({"d.json": doc()}, ["check", "-f", "xml", "d.json"],
                       2, r"xml")
    c["no_input"] = ({}, ["check"], 2, r"drtopo")
    c["bad_env"] = ({"t.json": template()}, ["check", "--env", "a/b/c/d",
                                             "t.json"], 2, r"env")
    return c


def write_files(root, files):
    for rel, data in files.items():
        path = os.path.join(root, rel)
        if rel.endswith("/"):
            os.makedirs(path, exist_ok=True)
            continue
        if rel.startswith("@"):  # a symbolic link: "@path": target
            path = os.path.join(root, rel[1:])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink(data, path)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


class Hostile(unittest.TestCase):
    maxDiff = 2000

    def run_case(self, files, args, status, err_pattern, out_pattern=None):
        with tempfile.TemporaryDirectory(prefix="drtopo-hostile-") as tmp:
            write_files(tmp, files)
            env = dict(os.environ)
            env["NO_COLOR"] = "1"
            t0 = time.monotonic()
            p = subprocess.run([DRTOPO, *args], cwd=tmp, env=env,
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=DEFAULT_TIMEOUT, check=False)
            elapsed = time.monotonic() - t0
        err = p.stderr.decode("utf-8", "replace")
        out = p.stdout.decode("utf-8", "replace")
        self.assertGreaterEqual(p.returncode, 0,
                                "killed by signal %d: %s" % (-p.returncode,
                                                             err[-2000:]))
        if status is None:
            self.assertIn(p.returncode, (0, 1), err[-2000:])
        else:
            self.assertEqual(p.returncode, status,
                             "stderr: %s\nstdout: %s" % (err[-2000:],
                                                         out[-500:]))
        self.assertRegex(err, err_pattern)
        if out_pattern:
            self.assertRegex(out, out_pattern)
        # A message is one line per problem, never a megabyte of echo.
        self.assertLess(len(err), 64 * 1024, "stderr of %d bytes" % len(err))
        return elapsed


def load_cases():
    for name, spec in cases().items():
        def test(self, spec=spec):
            self.run_case(*spec)
        test.__name__ = "test_" + name
        setattr(Hostile, test.__name__, test)


def main():
    global DRTOPO, DATA, EVERYTHING
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    DRTOPO = os.path.abspath(sys.argv[1])
    DATA = os.path.abspath(sys.argv[2])
    with open(os.path.join(DATA, "documents/valid/everything.json"),
              "rb") as f:
        EVERYTHING = f.read()
    load_cases()
    unittest.main(argv=[sys.argv[0], *sys.argv[3:]], verbosity=1)


if __name__ == "__main__":
    main()
