"""``python3 -m drtopo``: a small mirror of the drtopo command.

Verbs: ``check``, ``plan``, ``simulate`` and ``explain``, with the
command's exit codes:
0 no finding at or above the failure threshold; 1 findings at or above it
(or a cycle, for plan); 2 usage error or unreadable/invalid input; 3
internal error or out of memory. Everything printed comes from the
library's own serializers.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence, Union

import drtopo

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

_FAIL_ON = {
    "error": drtopo.Severity.ERROR,
    "warning": drtopo.Severity.WARNING,
    "info": drtopo.Severity.INFO,
    "never": None,
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 -m drtopo",
        description="Check multi-region AWS disaster-recovery topologies "
        "(Python mirror of the drtopo command).")
    p.add_argument("--version", action="version",
                   version="drtopo (python) %s, libdrtopo %s"
                   % (drtopo.__version__, drtopo.version()))
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    c = verbs.add_parser("check", help="print the findings")
    c.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="topology document, cloud assembly or template")
    c.add_argument("--format", choices=("text", "json", "sarif"),
                   default="text")
    c.add_argument("--fail-on", choices=tuple(_FAIL_ON), default="error",
                   help="lowest severity that makes the exit status 1")
    c.add_argument("--external", action="append", default=[],
                   metavar="NAME[@REGION]",
                   help="a parameter or export name written outside the input")
    c.add_argument("--env", metavar="ACCOUNT/REGION",
                   help="environment of bare templates")
    c.add_argument("--quiet", action="store_true", help="summary line only")
    c.add_argument("--objective", metavar="rpo=S,rto=S,strategy=NAME",
                   help="recovery objectives of the whole model")

    s = verbs.add_parser("simulate",
                         help="simulate the loss of a region or account")
    s.add_argument("inputs", nargs="+", metavar="INPUT")
    s.add_argument("--lose-region", metavar="REGION")
    s.add_argument("--lose-account", metavar="ACCOUNT")
    s.add_argument("--format", choices=("text", "json", "sarif", "dot"),
                   default="text")
    s.add_argument("--fail-on", choices=tuple(_FAIL_ON), default="error")
    s.add_argument("--objective", metavar="rpo=S,rto=S,strategy=NAME")
    s.add_argument("--env", metavar="ACCOUNT/REGION")
    s.add_argument("--quiet", action="store_true", help="summary line only")

    pl = verbs.add_parser("plan", help="print the deployment waves")
    pl.add_argument("inputs", nargs="+", metavar="INPUT")
    pl.add_argument("--destroy", action="store_true",
                    help="the reverse order")
    pl.add_argument("--env", metavar="ACCOUNT/REGION")

    e = verbs.add_parser("explain", help="explain a rule")
    e.add_argument("code", metavar="CODE")
    return p


def _env(value: Optional[str]) -> "tuple[Optional[str], Optional[str]]":
    if not value:
        return None, None
    account, sep, region = value.partition("/")
    if not sep:
        raise SystemExit("python3 -m drtopo: --env wants ACCOUNT/REGION")
    return account or None, region or None


def _load(model: drtopo.Model, inputs: Sequence[str], env: Optional[str]) -> None:
    account, region = _env(env)
    for path in inputs:
        model.load(path, account, region)


def _objective(model: drtopo.Model, value: Optional[str]) -> None:
    """--objective rpo=S,rto=S,strategy=NAME over the model's own."""
    if not value:
        return
    have = model.objectives
    fig = {"rpo": have.rpo, "rto": have.rto}
    strategy = have.strategy
    for part in value.split(","):
        key, sep, val = part.partition("=")
        if key in fig and sep and val.isdigit():
            fig[key] = int(val)
        elif key == "strategy" and sep:
            strategy = drtopo.Strategy.parse(val)
        else:
            raise SystemExit("python3 -m drtopo: --objective: '%s' is not "
                             "rpo=SECONDS, rto=SECONDS or strategy=NAME"
                             % part)
    model.set_objectives(rpo=fig["rpo"], rto=fig["rto"], strategy=strategy)


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _report(found: Union[drtopo.Result, drtopo.Simulation],
            args: argparse.Namespace) -> int:
    """Write a result or a simulation in args.format; the exit status that
    --fail-on gives its findings."""
    if args.format == "json":
        sys.stdout.write(found.to_json())
    elif args.format == "sarif":
        sys.stdout.write(found.to_sarif())
    elif args.format == "dot":
        sys.stdout.write(found.to_dot())
    else:
        sys.stdout.write(found.to_text(color=_color(), quiet=args.quiet))
    threshold = _FAIL_ON[args.fail_on]
    if threshold is None:
        return EXIT_OK
    return EXIT_FINDINGS if found.max_severity >= threshold else EXIT_OK


def _check(args: argparse.Namespace) -> int:
    with drtopo.Model() as model:
        for ext in args.external:
            name, _, region = ext.partition("@")
            model.add_external(name, region or None)
        _load(model, args.inputs, args.env)
        _objective(model, args.objective)
        with model.resolve() as result:
            return _report(result, args)


def _simulate(args: argparse.Namespace) -> int:
    with drtopo.Model() as model:
        _load(model, args.inputs, args.env)
        _objective(model, args.objective)
        with model.resolve() as result:
            with result.simulate(lose_region=args.lose_region,
                                 lose_account=args.lose_account) as sim:
                return _report(sim, args)


def _plan(args: argparse.Namespace) -> int:
    with drtopo.Model() as model:
        _load(model, args.inputs, args.env)
        with model.resolve() as result:
            sys.stdout.write(result.plan_text(destroy=args.destroy))
            return EXIT_FINDINGS if result.has_cycle else EXIT_OK


def _fold(line: str, width: int) -> str:
    """One paragraph folded at spaces, as the C command folds it."""
    out, col = [], 0
    for word in (w for w in line.split(" ") if w):
        if col and col + 1 + len(word) > width:
            out.append("\n")
            col = 0
        elif col:
            out.append(" ")
            col += 1
        out.append(word)
        col += len(word)
    return "".join(out) + "\n"


def _wrap(text: str, width: int = 78) -> str:
    """Paragraphs folded; indented lines (examples) kept as they are."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return "".join(line + "\n" if not line or line[0] in " \t"
                   else _fold(line, width) for line in lines)


def _explain(args: argparse.Namespace) -> int:
    try:
        sys.stdout.write(_wrap(drtopo.explain(args.code)))
    except drtopo.NotFoundError:
        print("python3 -m drtopo: no rule '%s'" % args.code, file=sys.stderr)
        return EXIT_USAGE
    page = "drtopo-posture" if args.code.upper().startswith("DRT6") \
        else "drtopo-rules"
    sys.stdout.write("\nSee %s(7).\n" % page)
    return EXIT_OK


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.verb == "check":
            return _check(args)
        if args.verb == "plan":
            return _plan(args)
        if args.verb == "simulate":
            return _simulate(args)
        return _explain(args)
    except (drtopo.InternalError, drtopo.OutOfMemoryError) as exc:
        print("python3 -m drtopo: %s" % exc, file=sys.stderr)
        return EXIT_INTERNAL
    except drtopo.DrtopoError as exc:
        # Invalid or unreadable input: the message names file:line:column.
        print("python3 -m drtopo: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as the C command does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
