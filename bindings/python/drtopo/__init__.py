"""Python bindings for libdrtopo, the multi-region AWS disaster-recovery
topology model and checker.

Build a model of stacks, resources and the links between them (or load a
topology document, a CDK cloud assembly or CloudFormation templates),
resolve it, and read the deployment plan and the findings::

    import drtopo

    with drtopo.Model() as model:
        kms = model.add_stack("KmsSecondary-dev", region="us-east-2")
        storage = model.add_stack("StoragePrimary-dev", region="us-east-1")
        key = kms.add_resource("Key", "AWS::KMS::Key")
        table = storage.add_resource("Sessions", "AWS::DynamoDB::GlobalTable",
                                     "dr-sessions-dev")
        table.add_reference(key, "Arn")          # DRT201: crosses regions
        with model.resolve() as result:
            print(result.waves)
            for finding in result:
                print(finding.severity, finding.code, finding.message)

The bindings use ctypes only (no compiled extension). The library is found
through the ``DRTOPO_LIBRARY`` environment variable, then
``ctypes.util.find_library("drtopo")``, then ``libdrtopo.so.0``.

Ownership: a :class:`Model` owns everything added to it. :class:`Stack`,
:class:`Resource` and :class:`Parameter` objects are borrowed views that keep
their model alive; a :class:`Result` keeps its model alive too, and the model
frees its live results when it is closed. A :class:`Simulation`
(:meth:`Result.simulate`) keeps its result alive and is freed before it:
closing the result or the model closes its simulations. After
:meth:`Model.close`, every view, result and simulation of the model raises
:class:`ClosedError`.

DR posture (0.2): recovery objectives (:meth:`Model.set_objectives`, the
same on stacks and resources), Route 53 routing records
(:meth:`Resource.add_route`) and the region-loss simulation::

    model.set_objectives(rpo=60, strategy="WARM_STANDBY")
    with model.resolve() as result, result.simulate("us-east-1") as sim:
        for o in sim.scenarios[0].outcomes:
            print(o.resource.id, o.outcome, o.mechanism, o.rpo)

Threads: a model and everything it owns may be used by one thread at a time;
distinct models may be used from distinct threads concurrently (the library
keeps no global mutable state, and ctypes releases the GIL during calls).
"""

from __future__ import annotations

import ctypes
import enum
import os
import threading
from ctypes import byref, c_char_p, c_int, c_long, c_size_t, c_void_p, cast
from dataclasses import dataclass
from typing import (Any, Dict, Iterator, List, NamedTuple, Optional, Tuple,
                    Union)

from . import _lib
from ._lib import (
    AlreadyExistsError,
    ClosedError,
    DrtopoError,
    DrtopoIOError,
    InternalError,
    InvalidArgumentError,
    LimitError,
    NotFoundError,
    OutOfMemoryError,
    ParseError,
    SchemaError,
)

__all__ = [
    "__version__",
    "version",
    "strerror",
    "input_kind",
    "rules",
    "rule",
    "explain",
    "Severity",
    "Limit",
    "InputKind",
    "EdgeKind",
    "ParamKind",
    "Model",
    "Stack",
    "Resource",
    "Parameter",
    "ReplicationKind",
    "Replication",
    "RESOURCE_VERSIONED",
    "RESOURCE_SSE_KMS",
    "RESOURCE_STRONG_CONSISTENCY",
    "ResourceFlag",
    "REPLICATION_RTC",
    "REPLICATION_SSE_KMS_OBJECTS",
    "UNKNOWN",
    "Strategy",
    "Objectives",
    "Mechanism",
    "RoutingPolicy",
    "RouteFlag",
    "Route",
    "Outcome",
    "StackState",
    "RouteState",
    "Simulation",
    "Scenario",
    "ResourceOutcome",
    "WorstOutcome",
    "StackOutcome",
    "FrozenValue",
    "RouteOutcome",
    "Result",
    "Edge",
    "Diagnostic",
    "Related",
    "Rule",
    "DrtopoError",
    "InternalError",
    "OutOfMemoryError",
    "InvalidArgumentError",
    "NotFoundError",
    "AlreadyExistsError",
    "ParseError",
    "SchemaError",
    "DrtopoIOError",
    "LimitError",
    "ClosedError",
]

#: Version of these bindings (follows the library's).
__version__ = "0.2.0"

_L = _lib.lib
_enc = _lib.encode

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def _addr(ptr: Any) -> int:
    return cast(ptr, c_void_p).value or 0


def _write_pieces(func: Any, ptr: Any, stream: Any) -> None:
    """func(ptr, drtopo_write_fn, ctx) (the *_write_json functions): each
    piece to the binary ``stream``. An exception of ``stream.write`` stops
    the writing and is raised in place of the library's DRTOPO_EIO."""
    failed: List[BaseException] = []

    def piece(_ctx: Any, data: Any, n: int) -> int:
        try:
            stream.write(ctypes.string_at(data, n))
            return 0
        except BaseException as e:  # raised below, outside C
            failed.append(e)
            return 1

    try:
        func(ptr, _lib.WriteFn(piece), None)
    except DrtopoError:
        if failed:
            raise failed[0] from None
        raise


# ---- enumerations ------------------------------------------------------------


class Severity(enum.IntEnum):
    """Severity of a finding; ``OFF`` disables a rule.

    ``str(Severity.ERROR)`` is ``"error"``; :meth:`parse` accepts a member,
    an int or a name (``"warning"``, ``"note"`` for info, ...).
    """

    OFF = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The library's name: "off", "info", "warning" or "error"."""
        return str(_L.drtopo_severity_name(int(self)))

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, value: "SeverityLike") -> "Severity":
        """A severity from a member, an int or a name."""
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            try:
                return cls(_L.drtopo_severity_from_name(_enc(value, "severity")))
            except InvalidArgumentError:
                raise InvalidArgumentError(
                    "unknown severity %r (expected off, info, warning or error)"
                    % value, _lib.EINVAL) from None
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                raise InvalidArgumentError(
                    "severity %d out of range 0..3" % value, _lib.EINVAL) from None
        raise TypeError("severity must be Severity, int or str, not %s"
                        % type(value).__name__)


SeverityLike = Union[Severity, int, str]


class Limit(enum.IntEnum):
    """Loader limits of a model (:meth:`Model.set_limit`)."""

    DEPTH = 1           #: JSON nesting depth (default 512)
    FILE_SIZE = 2       #: bytes per input file (default 256 MiB)
    STRING = 3          #: bytes per string value (default 1 MiB)
    ASSEMBLY_DEPTH = 4  #: nested cloud assemblies (default 16)


class InputKind(enum.IntEnum):
    """What a file holds (:func:`input_kind`)."""

    DOCUMENT = 1  #: a topology document, schema drtopo-topology/1
    ASSEMBLY = 2  #: a CDK cloud assembly (cdk.out) or its manifest
    TEMPLATE = 3  #: a CloudFormation template (JSON)


class EdgeKind(enum.IntEnum):
    """What carries a stack-graph edge. ``str(kind)`` is the report's name."""

    EXPLICIT = 1
    REFERENCE = 2
    EXPORT = 3
    PARAMETER = 4
    STACK_OUTPUT = 5
    REPLICA_KEY = 6

    @property
    def label(self) -> str:
        """The report's name: "explicit", "reference", ..., "replica-key"."""
        return str(_L.drtopo_edge_kind_name(int(self)))

    def __str__(self) -> str:
        return self.label


class ParamKind(enum.IntEnum):
    """Whether a :class:`Parameter` access writes or reads."""

    WRITE = 1
    READ = 2


# ---- module functions --------------------------------------------------------


class ReplicationKind(enum.IntEnum):
    """Kinds of a replication setting (``drtopo_replication_kind``)."""

    S3_DESTINATION = 1
    GLOBAL_CLUSTER = 2
    GLOBAL_CLUSTER_SOURCE = 3
    CLUSTER_SOURCE = 4
    INSTANCE_SOURCE = 5
    SECRET_REPLICA = 6
    BACKUP_COPY = 7
    BACKUP_SELECTION = 8
    KMS_REPLICA_KEY = 9
    EFS_DESTINATION = 10

    def label(self) -> str:
        """The document's name: "s3-destination", ..."""
        return str(_L.drtopo_replication_kind_name(int(self)))


class ResourceFlag(enum.IntFlag):
    """Flags of a resource (:attr:`Resource.flags`)."""

    VERSIONED = 1  #: an S3 bucket with versioning enabled
    SSE_KMS = 2    #: an S3 bucket whose default encryption is SSE-KMS
    #: a global table with MultiRegionConsistency STRONG (0.2: posture)
    STRONG_CONSISTENCY = 4


#: Resource flags (:attr:`Resource.flags`), as plain ints.
RESOURCE_VERSIONED = 1
RESOURCE_SSE_KMS = 2
RESOURCE_STRONG_CONSISTENCY = 4
#: Replication flags (:attr:`Replication.flags`).
REPLICATION_RTC = 1
REPLICATION_SSE_KMS_OBJECTS = 2


# ---- DR posture (0.2): enumerations ------------------------------------------

#: A figure (RPO or RTO, seconds) that is not declared or not known, as the
#: library spells it (``DRTOPO_FIGURE_UNKNOWN``); the bindings show it as None.
UNKNOWN = -1


class Strategy(enum.IntEnum):
    """Recovery strategies, in AWS's vocabulary (``drtopo_strategy``).

    ``str(Strategy.PILOT_LIGHT)`` is ``"PILOT_LIGHT"``; :meth:`parse`
    accepts a member, an int or a name (case-insensitive).
    """

    NONE = 0  #: not declared
    BACKUP_AND_RESTORE = 1
    PILOT_LIGHT = 2
    WARM_STANDBY = 3
    HOT_STANDBY = 4
    ACTIVE_ACTIVE = 5

    @property
    def label(self) -> Optional[str]:
        """The library's name ("BACKUP_AND_RESTORE", ...); None for NONE."""
        return _L.drtopo_strategy_name(int(self))  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return self.label or "NONE"

    @classmethod
    def parse(cls, value: "StrategyLike") -> "Strategy":
        """A strategy from a member, an int or a name."""
        if isinstance(value, Strategy):
            return value
        if isinstance(value, str):
            try:
                return cls(_L.drtopo_strategy_from_name(
                    _enc(value, "strategy")))
            except InvalidArgumentError:
                raise InvalidArgumentError(
                    "unknown strategy %r (expected one of %s)"
                    % (value, ", ".join(m.name for m in cls if m)),
                    _lib.EINVAL) from None
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                raise InvalidArgumentError(
                    "strategy %d out of range 0..5" % value,
                    _lib.EINVAL) from None
        raise TypeError("strategy must be Strategy, int or str, not %s"
                        % type(value).__name__)


StrategyLike = Union[Strategy, int, str]


class Mechanism(enum.IntEnum):
    """How a resource's data exists in another place (``drtopo_mechanism``).
    ``str(m)`` is the library's name ("global-table-replica", ...)."""

    IN_PLACE = 0  #: not affected by the loss
    GLOBAL_TABLE_REPLICA = 1
    S3_REPLICATION_RTC = 2
    S3_REPLICATION = 3
    AURORA_GLOBAL = 4
    READ_REPLICA = 5
    BACKUP_COPY = 6
    SECRET_REPLICA = 7
    KMS_REPLICA_KEY = 8
    EFS_REPLICATION = 9

    @property
    def label(self) -> str:
        """The library's name: "in-place", "global-table-replica", ..."""
        return str(_L.drtopo_mechanism_name(int(self)))

    def __str__(self) -> str:
        return self.label


class RoutingPolicy(enum.IntEnum):
    """Route 53 routing policies (SIMPLE: no SetIdentifier).
    ``str(p)`` is the library's name ("failover", ...); :meth:`parse`
    accepts a member, an int or a name (case-insensitive)."""

    SIMPLE = 0
    FAILOVER = 1
    LATENCY = 2
    GEOLOCATION = 3
    GEOPROXIMITY = 4
    WEIGHTED = 5
    MULTIVALUE = 6
    CIDR = 7

    @property
    def label(self) -> str:
        """The library's name: "simple", "failover", ..."""
        return str(_L.drtopo_routing_policy_name(int(self)))

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, value: "RoutingPolicyLike") -> "RoutingPolicy":
        """A policy from a member, an int or a name ("failover")."""
        if isinstance(value, RoutingPolicy):
            return value
        if isinstance(value, str):
            for m in cls:
                if m.label == value.lower() or m.name == value.upper():
                    return m
            raise InvalidArgumentError(
                "unknown routing policy %r (expected one of %s)"
                % (value, ", ".join(m.label for m in cls)), _lib.EINVAL)
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                raise InvalidArgumentError(
                    "routing policy %d out of range 0..7" % value,
                    _lib.EINVAL) from None
        raise TypeError("policy must be RoutingPolicy, int or str, not %s"
                        % type(value).__name__)


RoutingPolicyLike = Union[RoutingPolicy, int, str]


class RouteFlag(enum.IntFlag):
    """Flags of a routing record (:attr:`Route.flags`)."""

    #: failover: the SECONDARY (the fallback of a pair)
    SECONDARY = 1
    #: geolocation: the default record (CountryCode "*")
    DEFAULT = 2
    #: AliasTarget.EvaluateTargetHealth true
    EVALUATE_TARGET_HEALTH = 4
    #: HealthCheckId is set (to a check of the model or not)
    HEALTH_CHECK = 8


class Outcome(enum.IntEnum):
    """What becomes of a stateful resource in a scenario.
    ``str(o)`` is the library's name ("survives", ...)."""

    UNAFFECTED = 0  #: outside the lost region
    SURVIVES = 1    #: a copy outside it remains
    LOST = 2        #: no copy outside it
    UNKNOWN = 3     #: its own region is unknown

    @property
    def label(self) -> str:
        return str(_L.drtopo_outcome_name(int(self)))

    def __str__(self) -> str:
        return self.label


class StackState(enum.IntEnum):
    """What becomes of a stack in a scenario.
    ``str(s)`` is the library's name ("deploys-alone", ...)."""

    UNAFFECTED = 0  #: nothing of it is in the lost region
    LOST = 1        #: the stack is in the lost region
    #: it deploys alone, not with its dependencies (a dependency path
    #: leads into the lost region: DRT611)
    DEPLOYS_ALONE = 2

    @property
    def label(self) -> str:
        return str(_L.drtopo_stack_state_name(int(self)))

    def __str__(self) -> str:
        return self.label


class RouteState(enum.IntEnum):
    """Whether traffic for a routed name can leave the lost region.
    ``str(s)`` is the library's name ("can-leave", ...)."""

    UNAFFECTED = 0  #: no record sends traffic there
    CAN_LEAVE = 1   #: health-checked, with a way out
    STUCK = 2       #: traffic keeps going there
    UNKNOWN = 3     #: a record's region is unknown

    @property
    def label(self) -> str:
        return str(_L.drtopo_route_state_name(int(self)))

    def __str__(self) -> str:
        return self.label


def _opt_enum(cls: Any, value: int) -> Any:
    """An enum member, or the raw int for a value these bindings do not
    know yet (a newer library)."""
    try:
        return cls(value)
    except ValueError:
        return value


def version() -> str:
    """The runtime version of the loaded libdrtopo ("MAJOR.MINOR.PATCH")."""
    return str(_L.drtopo_version())


def strerror(status: int) -> str:
    """The library's English text for a status code."""
    return str(_L.drtopo_strerror(int(status)))


def input_kind(path: PathLike) -> InputKind:
    """Tell what a file or directory holds, from its content.

    Raises DrtopoIOError, ParseError or SchemaError when it is none of the
    known inputs.
    """
    try:
        return InputKind(_L.drtopo_input_kind(_lib.encode_path(path)))
    except DrtopoError as exc:
        exc.message = "%s: %s" % (os.fsdecode(path), exc.message)
        exc.args = (exc.message,)
        exc.file = os.fsdecode(path)
        raise


# ---- value types -------------------------------------------------------------


@dataclass(frozen=True)
class Related:
    """The other side of a finding (producer, writer, colliding table)."""

    stack: Optional[str]
    resource: Optional[str]
    region: Optional[str]


@dataclass(frozen=True)
class Diagnostic:
    """One finding of a rule, as plain data (copied out of the result)."""

    code: str
    rule: str
    severity: Severity
    message: str
    hint: Optional[str]
    stack: Optional[str]
    resource: Optional[str]
    region: Optional[str]
    source_file: Optional[str]
    source_pointer: Optional[str]
    related: Tuple[Related, ...]

    def __str__(self) -> str:
        where = "/".join(x for x in (self.stack, self.resource) if x)
        return "%s %s %s: %s" % (self.severity, self.code, where or "-",
                                 self.message)


@dataclass(frozen=True)
class Edge:
    """A stack-graph edge: ``from_stack`` depends on ``to_stack``."""

    from_stack: str
    to_stack: str
    kind: EdgeKind
    via: Optional[str]


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue."""

    code: str
    name: str
    default_severity: Severity
    summary: str
    explanation: str


@dataclass(frozen=True)
class Objectives:
    """Recovery objectives: RPO and RTO in seconds and a strategy; None
    where not declared (or, for effective objectives, declared at no
    level)."""

    rpo: Optional[int] = None
    rto: Optional[int] = None
    strategy: Optional[Strategy] = None


class ResourceOutcome(NamedTuple):
    """What a scenario does to a stateful resource in the lost region: its
    outcome, and the mechanism and region of the copy that survives with
    the expected RPO and RTO in seconds (None: not known). A lost resource
    (or one whose region is unknown) has None for mechanism, region, RPO
    and RTO."""

    resource: "Resource"
    outcome: Union[Outcome, int]
    mechanism: Union[Mechanism, int, None]
    region: Optional[str]
    rpo: Optional[int]
    rto: Optional[int]


class WorstOutcome(NamedTuple):
    """The worst outcome any scenario gives a stateful resource, and the
    index of that scenario (None: no scenario affects it)."""

    resource: "Resource"
    outcome: Union[Outcome, int]
    mechanism: Union[Mechanism, int, None]
    region: Optional[str]
    rpo: Optional[int]
    rto: Optional[int]
    scenario: Optional[int]


class FrozenValue(NamedTuple):
    """A value a surviving stack reads from the lost region: the stack it
    comes from (None for a parameter read there that a stack elsewhere
    wrote), the kind of edge that carries it and what carries it."""

    from_stack: Optional[str]
    kind: EdgeKind
    via: Optional[str]


class StackOutcome(NamedTuple):
    """A stack a scenario affects, and how many values it reads directly
    from the lost region (they stay as last deployed: frozen): ``reads``
    lists them. For a lost stack, ``automation`` names its resources that
    do a failover's work (health checks, alarms, functions, ...)."""

    stack: "Stack"
    state: Union[StackState, int]
    frozen: int
    reads: Tuple[FrozenValue, ...] = ()
    automation: Tuple[str, ...] = ()



class RouteOutcome(NamedTuple):
    """A routed name and whether its traffic can leave the lost region."""

    name: str
    state: Union[RouteState, int]


@dataclass(frozen=True)
class Scenario:
    """One scenario of a simulation: what it loses (``region`` and/or
    ``account``; None: any) and what that does."""

    region: Optional[str]
    account: Optional[str]
    outcomes: Tuple[ResourceOutcome, ...]
    stacks: Tuple[StackOutcome, ...]
    routes: Tuple[RouteOutcome, ...]
    #: lost_stacks, stacks_with_path, affected_resources, lost_resources,
    #: stuck_routes (drtopo_simulation_scenario_summary)
    summary: Dict[str, int]


def _fig_out(value: int) -> Optional[int]:
    return None if value < 0 else int(value)


_LONG_MAX = (1 << (8 * ctypes.sizeof(c_long) - 1)) - 1
_SIZE_MAX = (1 << (8 * ctypes.sizeof(c_size_t))) - 1


def _fig_in(value: Optional[int], what: str) -> int:
    """A figure argument: None (not declared) or seconds >= 0."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be int seconds or None, not %s"
                        % (what, type(value).__name__))
    if value < 0 or value > _LONG_MAX:
        raise InvalidArgumentError(
            "invalid argument: %s %d out of range 0..%d (None: not declared)"
            % (what, value, _LONG_MAX), _lib.EINVAL)
    return value


def _set_objectives(func: Any, h: Any, rpo: Optional[int], rto: Optional[int],
                    strategy: Optional[StrategyLike]) -> None:
    func(h, _fig_in(rpo, "rpo"), _fig_in(rto, "rto"),
         0 if strategy is None else int(Strategy.parse(strategy)))


def _get_objectives(func: Any, h: Any) -> Objectives:
    rpo, rto, strategy = c_long(), c_long(), c_int()
    func(h, byref(rpo), byref(rto), byref(strategy))
    return Objectives(
        rpo=_fig_out(rpo.value), rto=_fig_out(rto.value),
        strategy=_opt_enum(Strategy, strategy.value) if strategy.value > 0
        else None)


def _rule(ptr: Any) -> Rule:
    return Rule(
        code=str(_L.drtopo_rule_code(ptr)),
        name=str(_L.drtopo_rule_name(ptr)),
        default_severity=Severity(_L.drtopo_rule_default_severity(ptr)),
        summary=_L.drtopo_rule_summary(ptr) or "",
        explanation=_L.drtopo_rule_explanation(ptr) or "",
    )


def rules() -> List[Rule]:
    """The rule catalogue, in code order."""
    return [_rule(_L.drtopo_rule_at(i)) for i in range(_L.drtopo_rule_count())]


def rule(code_or_name: str) -> Rule:
    """A rule by code ("DRT302", also "drt302") or name
    ("parameter-region-mismatch").

    Raises NotFoundError when there is no such rule.
    """
    ptr = _L.drtopo_rule_find(_enc(code_or_name, "code", optional=False))
    if not ptr and code_or_name.upper() != code_or_name:
        ptr = _L.drtopo_rule_find(_enc(code_or_name.upper(), "code"))
    if not ptr:
        raise NotFoundError("no rule %r" % code_or_name, _lib.ENOTFOUND)
    return _rule(ptr)


def explain(code: str) -> str:
    """What a rule is about: its code, name and default severity, what it
    checks, then its long explanation (what, why it breaks, how to fix it,
    an example), unfolded. ``python3 -m drtopo explain`` folds it."""
    r = rule(code)
    text = "%s %s (%s)\n\n%s\n" % (r.code, r.name, r.default_severity,
                                   r.summary)
    if r.explanation:
        text += "\n" + r.explanation.rstrip("\n") + "\n"
    return text


# ---- handle plumbing ---------------------------------------------------------


class _Box:
    """A result handle shared by a Result and its model's registry, so that
    whichever of them goes first frees it, exactly once."""

    __slots__ = ("ptr", "children")

    def __init__(self, ptr: Any) -> None:
        self.ptr: Any = ptr
        # simulations of a result: freed before it (they borrow it)
        self.children: Dict[int, "_Box"] = {}


def _closed(what: str = "model") -> ClosedError:
    return ClosedError("the %s is closed" % what, _lib.EINVAL)


def _want(obj: Any, cls: "type[_View]", what: str, model: "Model",
          optional: bool = False) -> Any:
    """The raw handle of a view argument, checked: right class, open model,
    same model (a handle of another model is refused before C sees it)."""
    if obj is None:
        if optional:
            return None
        raise InvalidArgumentError("invalid argument: %s is None" % what,
                                   _lib.EINVAL)
    if not isinstance(obj, cls):
        raise TypeError("%s must be a %s, not %s"
                        % (what, cls.__name__, type(obj).__name__))
    if obj._model is not model:
        obj._model._ptr()  # a closed foreign model says so first
        raise InvalidArgumentError(
            "invalid argument: %s belongs to another model" % what,
            _lib.EINVAL)
    model._ptr()
    return obj._h


# ---- the model ---------------------------------------------------------------


class Model:
    """The object store: stacks, resources, parameters, exports, tables.

    A context manager: ``with Model() as m: ...`` closes it on exit.
    :meth:`close` (also run by ``__exit__`` and, as a fallback, by the
    garbage collector) frees the model and its live results exactly once.
    """

    def __init__(self) -> None:
        self._h: Any = None
        self._results: Dict[int, _Box] = {}
        self._lock = threading.RLock()
        h = _lib.ModelP()
        _L.drtopo_model_new(byref(h))
        self._h = h

    # -- life cycle --

    def _ptr(self) -> Any:
        h = self._h
        if h is None:
            raise _closed()
        return h

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._h is None

    def close(self) -> None:
        """Free the live results of the model, then the model. Idempotent."""
        with self._lock:
            h, self._h = self._h, None
            boxes = list(self._results.values())
            self._results.clear()
        for box in boxes:
            _free_box(self, box)
        if h is not None:
            _L.drtopo_model_free(h)

    def __enter__(self) -> "Model":
        self._ptr()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing sensible to do
            pass

    def __repr__(self) -> str:
        if self._h is None:
            return "<drtopo.Model (closed)>"
        return "<drtopo.Model %d stacks, %d resources>" % (
            self.stack_count, self.resource_count)

    # -- errors (message words what the const lookups do not record) --

    def _lookup_error(self, exc: DrtopoError, what: str) -> DrtopoError:
        if isinstance(exc, NotFoundError):
            return NotFoundError(what, exc.status)
        return exc

    # -- settings --

    def set_limit(self, limit: Union[Limit, int], value: int) -> None:
        """Set a loader limit (:class:`Limit`) of this model."""
        if value < 0:
            raise InvalidArgumentError("invalid argument: limit value %d < 0"
                                       % value, _lib.EINVAL)
        _L.drtopo_model_set_limit(self._ptr(), int(limit), value)

    def add_external(self, name: str, region: Optional[str] = None) -> None:
        """Declare a parameter or export name as written outside the model
        (in ``region``, or any region when None): reading or importing it is
        never DRT204/DRT301."""
        _L.drtopo_model_add_external(self._ptr(), _enc(name, "name"),
                                     _enc(region, "region"))

    def set_rule_severity(self, code: str, severity: SeverityLike) -> None:
        """Override a rule's severity for this model (``Severity.OFF`` or
        "off" disables it). Raises NotFoundError for an unknown rule."""
        _L.drtopo_model_set_rule_severity(
            self._ptr(), _enc(code, "code"), int(Severity.parse(severity)))

    def rule_severity(self, code: str) -> Severity:
        """The severity a rule has on this model."""
        try:
            return Severity(_L.drtopo_model_rule_severity(
                self._ptr(), _enc(code, "code")))
        except NotFoundError as exc:
            raise self._lookup_error(exc, "no rule %r" % code) from None

    # -- recovery objectives (0.2) --

    def set_objectives(self, rpo: Optional[int] = None,
                       rto: Optional[int] = None,
                       strategy: Optional[StrategyLike] = None) -> None:
        """Declare recovery objectives at this level: ``rpo`` and ``rto`` in
        seconds (None: not declared here), ``strategy`` a :class:`Strategy`,
        its name or int (None: not declared). Replaces what this level
        declared before; ``set_objectives()`` clears it. Each figure of a
        resource's effective objectives comes from the most specific level
        (resource, stack, model) that declares it."""
        _set_objectives(_L.drtopo_model_set_objectives, self._ptr(), rpo, rto,
                        strategy)

    @property
    def objectives(self) -> Objectives:
        """What the model level declares."""
        return _get_objectives(_L.drtopo_model_objectives, self._ptr())

    # -- stacks --

    def add_stack(self, id: str, account: Optional[str] = None,
                  region: Optional[str] = None, *,
                  name: Optional[str] = None,
                  stack_name: Optional[str] = None) -> "Stack":
        """Add a stack. ``account``/``region`` None: unknown. ``name`` is a
        display name (construct path), ``stack_name`` the CloudFormation
        stack name. Raises AlreadyExistsError when the id is taken."""
        out = _lib.StackP()
        _L.drtopo_model_add_stack(self._ptr(), _enc(id, "id"),
                                  _enc(account, "account"),
                                  _enc(region, "region"), byref(out))
        stack = Stack(self, out)
        if name is not None or stack_name is not None:
            stack.set_name(name, stack_name)
        return stack

    def find_stack(self, id: str) -> "Stack":
        """The stack with this id; NotFoundError if there is none."""
        out = _lib.StackP()
        try:
            _L.drtopo_model_find_stack(self._ptr(), _enc(id, "id"), byref(out))
        except NotFoundError as exc:
            raise self._lookup_error(exc, "no stack with id %r" % id) from None
        return Stack(self, out)

    def get_stack(self, id: str) -> Optional["Stack"]:
        """The stack with this id, or None."""
        try:
            return self.find_stack(id)
        except NotFoundError:
            return None

    def stacks(self) -> Iterator["Stack"]:
        """Iterate over the stacks in insertion order."""
        i = 0
        while True:
            h = _L.drtopo_model_stack_at(self._ptr(), i)
            if not h:
                return
            yield Stack(self, h)
            i += 1

    def __iter__(self) -> Iterator["Stack"]:
        return self.stacks()

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.get_stack(id) is not None

    @property
    def stack_count(self) -> int:
        """Number of stacks."""
        return int(_L.drtopo_model_stack_count(self._ptr()))

    @property
    def resource_count(self) -> int:
        """Total number of resources."""
        return int(_L.drtopo_model_resource_count(self._ptr()))

    # -- loading and writing --

    def load(self, path: PathLike, account: Optional[str] = None,
             region: Optional[str] = None) -> None:
        """Load any input (document, cloud assembly, template), detecting its
        kind from the content. ``account``/``region`` apply to bare
        templates only. Raises ParseError/SchemaError (with file, line,
        column, pointer), DrtopoIOError, LimitError, ..."""
        _L.drtopo_model_load(self._ptr(), _lib.encode_path(path),
                             _enc(account, "account"), _enc(region, "region"))

    def load_document(self, path: PathLike) -> None:
        """Load a topology document (schema drtopo-topology/1) from a file."""
        _L.drtopo_model_load_document(self._ptr(), _lib.encode_path(path))

    def load_document_text(self, text: Union[str, bytes],
                           name: Optional[str] = None) -> None:
        """Load a topology document from memory. ``name`` labels it in
        messages and source locations (None: "<buffer>")."""
        if isinstance(text, str):
            data = text.encode("utf-8")
        elif isinstance(text, (bytes, bytearray)):
            data = bytes(text)
        else:
            raise TypeError("text must be str or bytes, not %s"
                            % type(text).__name__)
        _L.drtopo_model_load_document_buffer(self._ptr(), data, len(data),
                                             _enc(name, "name"))

    def load_assembly(self, path: PathLike) -> None:
        """Load a CDK cloud assembly (a cdk.out directory or its manifest)."""
        _L.drtopo_model_load_assembly(self._ptr(), _lib.encode_path(path))

    def load_template(self, path: PathLike, stack_id: Optional[str] = None,
                      account: Optional[str] = None,
                      region: Optional[str] = None) -> None:
        """Load one CloudFormation template as a stack (``stack_id`` None:
        the file name without ".json"/".template")."""
        _L.drtopo_model_load_template(self._ptr(), _lib.encode_path(path),
                                      _enc(stack_id, "stack_id"),
                                      _enc(account, "account"),
                                      _enc(region, "region"))

    def to_json(self) -> str:
        """The model as a topology document (schema drtopo-topology/1)."""
        return _lib.take_string(_L.drtopo_model_to_json, self._ptr())

    # -- resolving --

    def resolve(self) -> "Result":
        """Resolve the model: graph, cycles, waves and every enabled rule.

        Findings are not errors: they are in the result. Do not change the
        model while the result is in use.
        """
        out = _lib.ResultP()
        _L.drtopo_model_resolve(self._ptr(), byref(out))
        return Result(self, out)


def _free_box(model: Model, box: _Box) -> None:
    with model._lock:
        ptr, box.ptr = box.ptr, None
        model._results.pop(id(box), None)
        children = list(box.children.values())
        box.children.clear()
    for child in children:  # simulations borrow the result: first
        _free_sim(model, box, child)
    if ptr is not None:
        _L.drtopo_result_free(ptr)


def _free_sim(model: Model, parent: _Box, box: _Box) -> None:
    with model._lock:
        ptr, box.ptr = box.ptr, None
        parent.children.pop(id(box), None)
    if ptr is not None:
        _L.drtopo_simulation_free(ptr)


# ---- borrowed views ----------------------------------------------------------


class _View:
    """A borrowed handle of a model; holds the model alive."""

    __slots__ = ("_model", "_h", "_a")

    def __init__(self, model: Model, h: Any) -> None:
        self._model = model
        self._h = h
        self._a = _addr(h)

    def _ptr(self) -> Any:
        self._model._ptr()
        return self._h

    @property
    def model(self) -> Model:
        """The model this object belongs to."""
        return self._model

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self)
                and other._model is self._model  # type: ignore[attr-defined]
                and other._a == self._a)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, id(self._model), self._a))


class Stack(_View):
    """A CloudFormation stack deployed to one account and one region."""

    __slots__ = ()

    @property
    def id(self) -> str:
        """The unique stack id (a cloud assembly's artifact id)."""
        return str(_L.drtopo_stack_id(self._ptr()))

    @property
    def account(self) -> Optional[str]:
        """The account, None when unknown."""
        return _L.drtopo_stack_account(self._ptr())  # type: ignore[no-any-return]

    @property
    def region(self) -> Optional[str]:
        """The region, None when unknown."""
        return _L.drtopo_stack_region(self._ptr())  # type: ignore[no-any-return]

    @property
    def name(self) -> Optional[str]:
        """The display name (construct path), None when not set."""
        return _L.drtopo_stack_name(self._ptr())  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        if self._model.closed:
            return "<drtopo.Stack (closed model)>"
        return "<drtopo.Stack %r account=%r region=%r>" % (
            self.id, self.account, self.region)

    def set_name(self, display_name: Optional[str] = None,
                 stack_name: Optional[str] = None) -> None:
        """Set the display name and/or the CloudFormation stack name (what
        Fn::GetStackOutput names); None leaves one unchanged."""
        _L.drtopo_stack_set_name(self._ptr(), _enc(display_name, "display_name"),
                                 _enc(stack_name, "stack_name"))

    def add_dependency(self, on: "Stack") -> None:
        """This stack deploys after ``on`` (a self-dependency is DRT101)."""
        h = _want(on, Stack, "on", self._model)
        _L.drtopo_stack_add_dependency(self._ptr(), h)

    # -- recovery objectives (0.2) --

    def set_objectives(self, rpo: Optional[int] = None,
                       rto: Optional[int] = None,
                       strategy: Optional[StrategyLike] = None) -> None:
        """Declare recovery objectives at this level: ``rpo`` and ``rto`` in
        seconds (None: not declared here), ``strategy`` a :class:`Strategy`,
        its name or int (None: not declared). Replaces what this level
        declared before; ``set_objectives()`` clears it. Each figure of a
        resource's effective objectives comes from the most specific level
        (resource, stack, model) that declares it."""
        _set_objectives(_L.drtopo_stack_set_objectives, self._ptr(), rpo, rto,
                        strategy)

    @property
    def objectives(self) -> Objectives:
        """What the stack level declares (not inherited)."""
        return _get_objectives(_L.drtopo_stack_objectives, self._ptr())

    # -- resources --

    def add_resource(self, logical_id: str, type: str,
                     physical_name: Optional[str] = None) -> "Resource":
        """Add a resource (logical id unique within the stack; CloudFormation
        type; explicit physical name or None if generated)."""
        out = _lib.ResourceP()
        _L.drtopo_stack_add_resource(self._ptr(), _enc(logical_id, "logical_id"),
                                     _enc(type, "type"),
                                     _enc(physical_name, "physical_name"),
                                     byref(out))
        return Resource(self._model, out)

    def find_resource(self, logical_id: str) -> "Resource":
        """The resource with this logical id; NotFoundError if none."""
        out = _lib.ResourceP()
        try:
            _L.drtopo_stack_find_resource(self._ptr(),
                                          _enc(logical_id, "logical_id"),
                                          byref(out))
        except NotFoundError as exc:
            raise NotFoundError("stack %r has no resource %r"
                                % (self.id, logical_id), exc.status) from None
        return Resource(self._model, out)

    def resources(self) -> Iterator["Resource"]:
        """Iterate over the stack's resources in insertion order."""
        i = 0
        while True:
            h = _L.drtopo_stack_resource_at(self._ptr(), i)
            if not h:
                return
            yield Resource(self._model, h)
            i += 1

    @property
    def resource_count(self) -> int:
        """Number of resources of the stack."""
        return int(_L.drtopo_stack_resource_count(self._ptr()))

    # -- exports, imports, stack outputs --

    def add_export(self, name: str, value: Optional["Resource"] = None) -> None:
        """The stack exports ``name``; ``value`` is the exported resource
        (of this stack) or None."""
        h = _want(value, Resource, "value", self._model, optional=True)
        _L.drtopo_stack_add_export(self._ptr(), _enc(name, "name"), h)

    def add_import(self, name: str, consumer: Optional["Resource"] = None) -> None:
        """The stack imports ``name`` (Fn::ImportValue); ``consumer`` is the
        resource of this stack that uses it, or None."""
        h = _want(consumer, Resource, "consumer", self._model, optional=True)
        _L.drtopo_stack_add_import(self._ptr(), _enc(name, "name"), h)

    def add_output_read(self, producer: Union[str, "Stack"], output: str,
                        region: Optional[str] = None,
                        consumer: Optional["Resource"] = None) -> None:
        """A weak stack-output read (Fn::GetStackOutput) of ``output`` of the
        stack named ``producer`` (a stack name or id, or a Stack), in
        ``region`` (None: this stack's region)."""
        if isinstance(producer, Stack):
            producer = producer.id
        h = _want(consumer, Resource, "consumer", self._model, optional=True)
        _L.drtopo_stack_add_output_read(self._ptr(), _enc(producer, "producer"),
                                        _enc(output, "output"),
                                        _enc(region, "region"), h)

    # -- parameters --

    def write_parameter(self, name: str, region: Optional[str] = None,
                        resource: Optional["Resource"] = None, *,
                        value: Union["Resource", str, None] = None,
                        attribute: Optional[str] = None) -> "Parameter":
        """The stack writes SSM parameter ``name`` into ``region`` (None: its
        own). ``resource`` is the writing resource. ``value`` (a resource and
        its ``attribute``, or literal text) is what it stores."""
        out = _lib.ParamP()
        h = _want(resource, Resource, "resource", self._model, optional=True)
        _L.drtopo_stack_write_parameter(self._ptr(), _enc(name, "name"),
                                        _enc(region, "region"), h, byref(out))
        param = Parameter(self._model, out)
        if value is not None:
            param.set_value(value, attribute)
        return param

    def read_parameter(self, name: str, region: Optional[str] = None,
                       resource: Optional["Resource"] = None) -> "Parameter":
        """The stack reads SSM parameter ``name`` in ``region`` (None: its own
        region); ``resource`` is the reading resource, or None."""
        out = _lib.ParamP()
        h = _want(resource, Resource, "resource", self._model, optional=True)
        _L.drtopo_stack_read_parameter(self._ptr(), _enc(name, "name"),
                                       _enc(region, "region"), h, byref(out))
        return Parameter(self._model, out)


class Resource(_View):
    """A resource of a stack: logical id, type, optional physical name."""

    __slots__ = ()

    @property
    def id(self) -> str:
        """The logical id."""
        return str(_L.drtopo_resource_id(self._ptr()))

    @property
    def type(self) -> str:
        """The CloudFormation type, e.g. "AWS::DynamoDB::GlobalTable"."""
        return str(_L.drtopo_resource_type(self._ptr()))

    @property
    def physical_name(self) -> Optional[str]:
        """The explicit physical name, None when generated."""
        return _L.drtopo_resource_physical_name(self._ptr())  # type: ignore[no-any-return]

    @property
    def stack(self) -> Stack:
        """The stack the resource belongs to."""
        return Stack(self._model, _L.drtopo_resource_stack(self._ptr()))

    def __repr__(self) -> str:
        if self._model.closed:
            return "<drtopo.Resource (closed model)>"
        return "<drtopo.Resource %s/%s %s>" % (self.stack.id, self.id, self.type)

    def add_reference(self, producer: "Resource",
                      attribute: Optional[str] = None) -> None:
        """A strong reference: this resource uses ``attribute`` of
        ``producer`` (None: its Ref value)."""
        h = _want(producer, Resource, "producer", self._model)
        _L.drtopo_resource_add_reference(self._ptr(), h,
                                         _enc(attribute, "attribute"))

    # -- tables --

    def add_replica(self, region: str) -> None:
        """Add a replica region to this table (repeats are kept: DRT405)."""
        _L.drtopo_resource_add_replica(self._ptr(), _enc(region, "region"))

    @property
    def replicas(self) -> List[str]:
        """The replica regions, in insertion order."""
        h = self._ptr()
        return [str(_L.drtopo_resource_replica_at(h, i))
                for i in range(_L.drtopo_resource_replica_count(h))]

    def set_cmk(self, key: Union["Resource", str]) -> None:
        """Encrypt the table with a customer-managed key: a key resource of
        the model, or a key ARN / id / alias."""
        if isinstance(key, Resource):
            h = _want(key, Resource, "key", self._model)
            _L.drtopo_resource_set_cmk(self._ptr(), h)
        else:
            _L.drtopo_resource_set_cmk_arn(self._ptr(),
                                           _enc(key, "key", optional=False))

    def set_replica_key(self, region: str,
                        key: Union["Resource", str, None] = None, *,
                        parameter: Optional[str] = None,
                        parameter_region: Optional[str] = None) -> None:
        """Set the key of replica ``region``: a key resource, a key ARN, or
        (``parameter=``) the value of an SSM parameter read in
        ``parameter_region`` (None: the table stack's region). Give exactly
        one of ``key`` and ``parameter``."""
        if (key is None) == (parameter is None):
            raise InvalidArgumentError(
                "invalid argument: give exactly one of key and parameter",
                _lib.EINVAL)
        r = _enc(region, "region")
        if parameter is not None:
            _L.drtopo_resource_set_replica_key_parameter(
                self._ptr(), r, _enc(parameter, "parameter"),
                _enc(parameter_region, "parameter_region"))
        elif isinstance(key, Resource):
            h = _want(key, Resource, "key", self._model)
            _L.drtopo_resource_set_replica_key(self._ptr(), r, h)
        else:
            _L.drtopo_resource_set_replica_key_arn(self._ptr(), r,
                                                   _enc(key, "key"))


    # -- replication facts (0.2) --

    @property
    def flags(self) -> int:
        """:class:`ResourceFlag` bits (RESOURCE_VERSIONED, RESOURCE_SSE_KMS,
        RESOURCE_STRONG_CONSISTENCY), as an int."""
        return int(_L.drtopo_resource_flags(self._ptr()))

    @flags.setter
    def flags(self, value: int) -> None:
        _L.drtopo_resource_set_flags(self._ptr(), int(value))

    def add_arn(self, arn: str, pointer: Optional[str] = None) -> None:
        """This resource spells out the literal ``arn`` (at JSON
        ``pointer`` of its template)."""
        _L.drtopo_resource_add_arn(self._ptr(), _enc(arn, "arn"),
                                   _enc(pointer, "pointer"))

    @property
    def arns(self) -> List[Tuple[str, Optional[str]]]:
        """The ARN mentions: (text, pointer), in insertion order."""
        h = self._ptr()
        return [(str(_L.drtopo_resource_arn_at(h, i)),
                 _L.drtopo_resource_arn_pointer(h, i))
                for i in range(_L.drtopo_resource_arn_count(h))]

    def add_replication(self, kind: "ReplicationKind",
                        target: Union["Resource", str, None] = None, *,
                        attribute: Optional[str] = None,
                        region: Optional[str] = None,
                        import_name: Optional[str] = None,
                        parameter: Optional[str] = None,
                        parameter_region: Optional[str] = None,
                        flags: int = 0, period: int = -1,
                        pointer: Optional[str] = None) -> "Replication":
        """Add a replication setting of ``kind``. Its target: a resource
        (with ``attribute``), literal text, an export (``import_name=``) or
        a parameter (``parameter=``, read in ``parameter_region``)."""
        out = _lib.ReplicationP()
        _L.drtopo_resource_add_replication(self._ptr(), int(kind),
                                           _enc(region, "region"), byref(out))
        x = Replication(self._model, out)
        h = x._ptr()
        if isinstance(target, Resource):
            t = _want(target, Resource, "target", self._model)
            _L.drtopo_replication_set_target(h, t,
                                             _enc(attribute, "attribute"))
        elif target is not None:
            _L.drtopo_replication_set_target_text(h, _enc(target, "target"))
        elif import_name is not None:
            _L.drtopo_replication_set_target_import(
                h, _enc(import_name, "import_name"))
        elif parameter is not None:
            _L.drtopo_replication_set_target_parameter(
                h, _enc(parameter, "parameter"),
                _enc(parameter_region, "parameter_region"))
        if flags:
            _L.drtopo_replication_set_flags(h, int(flags))
        if period != -1:
            _L.drtopo_replication_set_period(h, int(period))
        if pointer is not None:
            _L.drtopo_replication_set_pointer(h, _enc(pointer, "pointer"))
        return x

    @property
    def replications(self) -> List["Replication"]:
        """The replication settings, in insertion order."""
        h = self._ptr()
        return [Replication(self._model,
                            _L.drtopo_resource_replication_at(h, i))
                for i in range(_L.drtopo_resource_replication_count(h))]

    # -- DR posture (0.2) --

    def set_objectives(self, rpo: Optional[int] = None,
                       rto: Optional[int] = None,
                       strategy: Optional[StrategyLike] = None) -> None:
        """Declare recovery objectives at this level: ``rpo`` and ``rto`` in
        seconds (None: not declared here), ``strategy`` a :class:`Strategy`,
        its name or int (None: not declared). Replaces what this level
        declared before; ``set_objectives()`` clears it. Each figure of a
        resource's effective objectives comes from the most specific level
        (resource, stack, model) that declares it."""
        _set_objectives(_L.drtopo_resource_set_objectives, self._ptr(), rpo,
                        rto, strategy)

    @property
    def objectives(self) -> Objectives:
        """What the resource itself declares (not inherited)."""
        return _get_objectives(_L.drtopo_resource_objectives, self._ptr())

    @property
    def effective_objectives(self) -> Objectives:
        """The objectives that apply: per figure, the resource's, else its
        stack's, else the model's."""
        return _get_objectives(_L.drtopo_resource_effective_objectives,
                               self._ptr())

    @property
    def is_stateful(self) -> bool:
        """True when the resource's type holds data (tables, buckets, DB
        clusters and instances, file systems, secrets, KMS keys)."""
        return bool(_L.drtopo_resource_is_stateful(self._ptr()))

    @property
    def is_automation(self) -> bool:
        """True when the resource's type does a failover's work (health
        checks, alarms, functions, state machines, event rules and
        schedules, Route 53 ARC): lost with its region, it takes that
        automation with it."""
        return bool(_L.drtopo_resource_is_automation(self._ptr()))


    def add_route(self, name: str, set_identifier: Optional[str] = None,
                  policy: RoutingPolicyLike = RoutingPolicy.SIMPLE, *,
                  flags: int = 0,
                  health_check: Optional["Resource"] = None,
                  target: Optional["Resource"] = None,
                  region: Optional[str] = None,
                  pointer: Optional[str] = None) -> "Route":
        """Add a Route 53 routing record to this resource (a RecordSet, or a
        record of a RecordSetGroup): its DNS ``name``, ``set_identifier``
        (None for a simple record) and ``policy`` (a :class:`RoutingPolicy`,
        its name such as "failover", or int). The keywords set the rest as
        the :class:`Route` setters do."""
        pol = RoutingPolicy.parse(policy)
        out = _lib.RouteP()
        _L.drtopo_resource_add_route(
            self._ptr(), _enc(name, "name", optional=False),
            _enc(set_identifier, "set_identifier"), int(pol), byref(out))
        route = Route(self._model, out)
        if flags:
            route.set_flags(flags)
        if health_check is not None:
            route.set_health_check(health_check)
        if target is not None:
            route.set_target(target)
        if region is not None:
            route.set_region(region)
        if pointer is not None:
            route.set_pointer(pointer)
        return route

    @property
    def routes(self) -> List["Route"]:
        """The routing records, in insertion order."""
        h = self._ptr()
        return [Route(self._model, _L.drtopo_resource_route_at(h, i))
                for i in range(_L.drtopo_resource_route_count(h))]


class Route(_View):
    """A Route 53 routing record of a resource (0.2: posture)."""

    __slots__ = ()

    def set_flags(self, flags: int) -> None:
        """Set (replace) the :class:`RouteFlag` bits."""
        _L.drtopo_route_set_flags(self._ptr(), int(flags))

    @property
    def flags(self) -> RouteFlag:
        """The :class:`RouteFlag` bits (assignable: replaces them)."""
        return RouteFlag(int(_L.drtopo_route_flags(self._ptr())))

    @flags.setter
    def flags(self, value: int) -> None:
        self.set_flags(value)

    def set_health_check(self, check: "Resource") -> None:
        """The record's health check, a resource of the model (sets
        :attr:`RouteFlag.HEALTH_CHECK` too)."""
        h = _want(check, Resource, "check", self._model)
        _L.drtopo_route_set_health_check(self._ptr(), h)

    def set_target(self, target: "Resource") -> None:
        """Where the record sends traffic: a resource of the model (its
        stack's region is the record's region, unless one is set)."""
        h = _want(target, Resource, "target", self._model)
        _L.drtopo_route_set_target(self._ptr(), h)

    def set_region(self, region: str) -> None:
        """The record's region given directly (a latency record's Region);
        wins over the target's."""
        _L.drtopo_route_set_region(self._ptr(),
                                   _enc(region, "region", optional=False))

    def set_pointer(self, pointer: Optional[str]) -> None:
        """The JSON pointer of the record in its template (None: none)."""
        _L.drtopo_route_set_pointer(self._ptr(), _enc(pointer, "pointer"))

    @property
    def resource(self) -> Resource:
        """The record set resource the record belongs to."""
        return Resource(self._model, _L.drtopo_route_resource(self._ptr()))

    @property
    def name(self) -> str:
        """The record's DNS name."""
        return str(_L.drtopo_route_name(self._ptr()))

    @property
    def set_identifier(self) -> Optional[str]:
        """The SetIdentifier, None for a simple record."""
        return _L.drtopo_route_identifier(self._ptr())  # type: ignore[no-any-return]

    @property
    def policy(self) -> RoutingPolicy:
        return RoutingPolicy(_L.drtopo_route_policy(self._ptr()))

    @property
    def health_check(self) -> Optional[Resource]:
        """The health check resource, None when none of the model."""
        r = _L.drtopo_route_health_check(self._ptr())
        return Resource(self._model, r) if r else None

    @property
    def target(self) -> Optional[Resource]:
        """The target resource, None when not set."""
        r = _L.drtopo_route_target(self._ptr())
        return Resource(self._model, r) if r else None

    @property
    def region(self) -> Optional[str]:
        """The region given, else the target's stack's, else None."""
        return _L.drtopo_route_region(self._ptr())  # type: ignore[no-any-return]

    @property
    def pointer(self) -> Optional[str]:
        """The JSON pointer of the record in its template, or None."""
        return _L.drtopo_route_pointer(self._ptr())  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        if self._model.closed:
            return "<drtopo.Route (closed model)>"
        return "<drtopo.Route %s %r set_identifier=%r region=%r>" % (
            self.policy.label, self.name, self.set_identifier, self.region)


class Replication(_View):
    """A replication setting of a resource (its kind, target, flags)."""

    __slots__ = ()

    @property
    def kind(self) -> ReplicationKind:
        return ReplicationKind(_L.drtopo_replication_kind(self._ptr()))

    @property
    def resource(self) -> Resource:
        return Resource(self._model,
                        _L.drtopo_replication_resource(self._ptr()))

    @property
    def region(self) -> Optional[str]:
        return _L.drtopo_replication_region(self._ptr())  # type: ignore[no-any-return]

    @property
    def flags(self) -> int:
        return int(_L.drtopo_replication_flags(self._ptr()))

    @property
    def period(self) -> int:
        """Schedule period of a backup copy in seconds, -1: unknown."""
        return int(_L.drtopo_replication_period(self._ptr()))

    @property
    def pointer(self) -> Optional[str]:
        return _L.drtopo_replication_pointer(self._ptr())  # type: ignore[no-any-return]

    @property
    def target(self) -> Union[Resource, str, None]:
        """The target resource, or its text (literal, export or parameter
        name), or None when unknown."""
        h = self._ptr()
        r = _L.drtopo_replication_target_resource(h)
        if r:
            return Resource(self._model, r)
        return _L.drtopo_replication_target_text(h)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        if self._model.closed:
            return "<drtopo.Replication (closed model)>"
        return "<drtopo.Replication %s of %s>" % (self.kind.label(),
                                                  self.resource.id)


class Parameter(_View):
    """One SSM parameter access of a stack: a write or a read."""

    __slots__ = ()

    @property
    def kind(self) -> ParamKind:
        """WRITE or READ."""
        return ParamKind(_L.drtopo_param_kind(self._ptr()))

    @property
    def name(self) -> str:
        """The parameter name."""
        return str(_L.drtopo_param_name(self._ptr()))

    @property
    def region(self) -> Optional[str]:
        """The region written into / read in; None: the stack's own."""
        return _L.drtopo_param_region(self._ptr())  # type: ignore[no-any-return]

    @property
    def stack(self) -> Stack:
        """The stack that writes or reads."""
        return Stack(self._model, _L.drtopo_param_stack(self._ptr()))

    def __repr__(self) -> str:
        if self._model.closed:
            return "<drtopo.Parameter (closed model)>"
        return "<drtopo.Parameter %s %r region=%r by %s>" % (
            self.kind.name.lower(), self.name, self.region, self.stack.id)

    def set_value(self, value: Union[Resource, str],
                  attribute: Optional[str] = None) -> None:
        """What a write stores: ``attribute`` of a resource of the model
        (None: its Ref value), or literal text. The last call wins."""
        if isinstance(value, Resource):
            h = _want(value, Resource, "value", self._model)
            _L.drtopo_param_set_value_resource(self._ptr(), h,
                                               _enc(attribute, "attribute"))
        else:
            if attribute is not None:
                raise InvalidArgumentError(
                    "invalid argument: attribute with a text value",
                    _lib.EINVAL)
            _L.drtopo_param_set_value_text(self._ptr(),
                                           _enc(value, "value", optional=False))


# ---- results -----------------------------------------------------------------


class Result:
    """A resolved model: the plan, the stack graph and the findings.

    Iterating yields the findings (:class:`Diagnostic`). A context manager;
    :meth:`close` frees it (the model also frees its live results when it is
    closed). The result keeps its model alive.
    """

    def __init__(self, model: Model, ptr: Any) -> None:
        self._model = model
        self._box = _Box(ptr)
        self._diags: Optional[Tuple[Diagnostic, ...]] = None
        self._edges: Optional[Tuple[Edge, ...]] = None
        with model._lock:
            model._results[id(self._box)] = self._box

    def _ptr(self) -> Any:
        ptr = self._box.ptr
        if ptr is None:
            raise _closed("model" if self._model.closed else "result")
        return ptr

    @property
    def closed(self) -> bool:
        """True once the result (or its model) was closed."""
        return self._box.ptr is None

    @property
    def model(self) -> Model:
        """The model the result was computed from."""
        return self._model

    def close(self) -> None:
        """Free the result. Idempotent."""
        _free_box(self._model, self._box)

    def __enter__(self) -> "Result":
        self._ptr()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        if self.closed:
            return "<drtopo.Result (closed)>"
        return "<drtopo.Result %d waves, %d findings%s>" % (
            len(self.waves), len(self), ", cycle" if self.has_cycle else "")

    # -- the plan --

    @property
    def has_cycle(self) -> bool:
        """True if the stack graph has a cycle (then there are no waves)."""
        return bool(_L.drtopo_result_has_cycle(self._ptr()))

    @property
    def waves(self) -> List[List[str]]:
        """The deployment waves: lists of stack ids (each sorted by id)."""
        r = self._ptr()
        return [[str(_L.drtopo_stack_id(_L.drtopo_result_wave_stack(r, w, i)))
                 for i in range(_L.drtopo_result_wave_size(r, w))]
                for w in range(_L.drtopo_result_wave_count(r))]

    def wave_of(self, stack: Union[Stack, str]) -> Optional[int]:
        """The 1-based wave of a stack (or stack id); None when there is a
        cycle."""
        if isinstance(stack, str):
            stack = self._model.find_stack(stack)
        h = _want(stack, Stack, "stack", self._model)
        wave = _L.drtopo_result_stack_wave(self._ptr(), h)
        return int(wave) if wave > 0 else None

    @property
    def edges(self) -> List[Edge]:
        """The distinct edges of the stack graph, sorted by (from, to,
        kind, via)."""
        if self._edges is None:
            r = self._ptr()
            src, dst = _lib.StackP(), _lib.StackP()
            kind, via = c_int(), c_char_p()
            edges = []
            for i in range(_L.drtopo_result_edge_count(r)):
                _L.drtopo_result_edge(r, i, byref(src), byref(dst),
                                      byref(kind), byref(via))
                edges.append(Edge(
                    from_stack=str(_L.drtopo_stack_id(src)),
                    to_stack=str(_L.drtopo_stack_id(dst)),
                    kind=EdgeKind(kind.value),
                    via=_lib._decode(via.value)))
            self._edges = tuple(edges)
        self._ptr()
        return list(self._edges)

    # -- findings --

    @property
    def diagnostics(self) -> List[Diagnostic]:
        """The findings, in the report's deterministic order."""
        if self._diags is None:
            r = self._ptr()
            self._diags = tuple(
                _diagnostic(_L.drtopo_result_diagnostic(r, i))
                for i in range(_L.drtopo_result_diagnostic_count(r)))
        self._ptr()
        return list(self._diags)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __len__(self) -> int:
        """The number of findings."""
        return int(_L.drtopo_result_diagnostic_count(self._ptr()))

    def __bool__(self) -> bool:
        # A result is a result even without findings (``if result:`` must
        # not depend on ``len``); closed or not, it is an object.
        return True

    def count(self, severity: Optional[SeverityLike] = None) -> int:
        """Number of findings of one severity (None: all findings)."""
        if severity is None:
            return len(self)
        return int(_L.drtopo_result_count(self._ptr(),
                                          int(Severity.parse(severity))))

    def codes(self) -> List[str]:
        """The codes of the findings, in report order (handy in tests)."""
        return [d.code for d in self.diagnostics]

    @property
    def max_severity(self) -> Severity:
        """The highest severity among the findings (OFF: none)."""
        return Severity(_L.drtopo_result_max_severity(self._ptr()))

    # -- serializers (byte-identical across runs) --

    def to_json(self) -> str:
        """The JSON report (schema drtopo-report/1)."""
        return _lib.take_string(_L.drtopo_result_to_json, self._ptr())

    def write_json(self, stream: Any) -> None:
        """Write the JSON report (the text of :meth:`to_json`, UTF-8) to
        the binary ``stream`` piece by piece, without holding it whole:
        the report of a large model runs to hundreds of megabytes. An
        exception of ``stream.write`` stops the writing and is raised."""
        _write_pieces(_L.drtopo_result_write_json, self._ptr(), stream)

    def to_sarif(self) -> str:
        """SARIF 2.1.0."""
        return _lib.take_string(_L.drtopo_result_to_sarif, self._ptr())

    def to_dot(self) -> str:
        """The stack graph as Graphviz DOT."""
        return _lib.take_string(_L.drtopo_result_to_dot, self._ptr())

    def to_text(self, color: bool = False, quiet: bool = False) -> str:
        """The findings as text for people (``quiet``: summary line only)."""
        flags = (1 if color else 0) | (2 if quiet else 0)
        return _lib.take_string(_L.drtopo_result_to_text, self._ptr(), flags)

    def plan_text(self, destroy: bool = False) -> str:
        """The plan as text, one wave a line (``destroy``: reverse order)."""
        return _lib.take_string(_L.drtopo_result_plan_to_text, self._ptr(),
                                1 if destroy else 0)

    # -- DR posture (0.2) --

    def simulate(self, lose_region: Optional[str] = None,
                 lose_account: Optional[str] = None) -> "Simulation":
        """Simulate the loss of ``lose_region`` (in every account, or only
        in ``lose_account``), or of ``lose_account`` (every region); with
        neither, the loss of every region of the model in turn.

        The simulation keeps this result (and its model) alive; closing
        the result or the model closes it too.
        """
        for what, value in (("lose_region", lose_region),
                            ("lose_account", lose_account)):
            if value is not None and not value:
                raise InvalidArgumentError(
                    "invalid argument: %s is empty" % what, _lib.EINVAL)
        out = _lib.SimulationP()
        try:
            _L.drtopo_result_simulate(
                self._ptr(), _enc(lose_region, "lose_region"),
                _enc(lose_account, "lose_account"), byref(out))
        except DrtopoError as exc:
            exc.message = "cannot simulate: %s" % exc.message
            exc.args = (exc.message,)
            raise
        return Simulation(self, out)


def _diagnostic(d: Any) -> Diagnostic:
    related = []
    stack, res, region = c_char_p(), c_char_p(), c_char_p()
    for i in range(_L.drtopo_diagnostic_related_count(d)):
        _L.drtopo_diagnostic_related(d, i, byref(stack), byref(res),
                                     byref(region))
        related.append(Related(_lib._decode(stack.value),
                               _lib._decode(res.value),
                               _lib._decode(region.value)))
    return Diagnostic(
        code=str(_L.drtopo_diagnostic_code(d)),
        rule=str(_L.drtopo_diagnostic_rule(d)),
        severity=Severity(_L.drtopo_diagnostic_severity(d)),
        message=_L.drtopo_diagnostic_message(d) or "",
        hint=_L.drtopo_diagnostic_hint(d),
        stack=_L.drtopo_diagnostic_stack(d),
        resource=_L.drtopo_diagnostic_resource(d),
        region=_L.drtopo_diagnostic_region(d),
        source_file=_L.drtopo_diagnostic_source_file(d),
        source_pointer=_L.drtopo_diagnostic_source_pointer(d),
        related=tuple(related),
    )



# ---- the region-loss simulation (0.2) ----------------------------------------


class Simulation:
    """A region-loss simulation (:meth:`Result.simulate`): per scenario,
    what becomes of each stateful resource, stack and routed name; the
    worst case over the scenarios; and its findings (DRT610, DRT611).

    Everything is copied out of the library when first read. A context
    manager; :meth:`close` frees it. It keeps its result (and so its
    model) alive; closing the result or the model closes it too.
    """

    def __init__(self, result: Result, ptr: Any) -> None:
        self._result = result
        self._model = result._model
        self._box = _Box(ptr)
        self._scenarios: Optional[Tuple[Scenario, ...]] = None
        self._worst: Optional[Tuple[WorstOutcome, ...]] = None
        self._diags: Optional[Tuple[Diagnostic, ...]] = None
        with self._model._lock:
            parent = result._box
            if parent.ptr is None:  # closed in between: do not leak it
                self._box.ptr = None
                _L.drtopo_simulation_free(ptr)
            else:
                parent.children[id(self._box)] = self._box
        self._ptr()

    def _ptr(self) -> Any:
        ptr = self._box.ptr
        if ptr is None:
            raise _closed("model" if self._model.closed else
                          "result" if self._result.closed else "simulation")
        return ptr

    @property
    def closed(self) -> bool:
        """True once the simulation (or its result, or its model) was
        closed."""
        return self._box.ptr is None

    @property
    def result(self) -> Result:
        """The result the simulation was computed from."""
        return self._result

    @property
    def model(self) -> Model:
        return self._model

    def close(self) -> None:
        """Free the simulation. Idempotent."""
        _free_sim(self._model, self._result._box, self._box)

    def __enter__(self) -> "Simulation":
        self._ptr()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        if self.closed:
            return "<drtopo.Simulation (closed)>"
        lost = sum(1 for w in self.worst if w.outcome == Outcome.LOST)
        return "<drtopo.Simulation %d scenarios, %d lost in the worst case>" % (
            len(self.scenarios), lost)

    # -- reading --

    def _outcome_row(self, res: Any, outcome: Any, mech: Any, region: Any,
                     rpo: Any, rto: Any) -> Tuple[Any, ...]:
        # LOST and UNKNOWN name no surviving copy: the library reports
        # mechanism IN_PLACE there, the bindings None.
        nocopy = outcome.value in (Outcome.LOST, Outcome.UNKNOWN)
        return (Resource(self._model, res),
                _opt_enum(Outcome, outcome.value),
                None if nocopy else _opt_enum(Mechanism, mech.value),
                _lib._decode(region.value),
                _fig_out(rpo.value), _fig_out(rto.value))

    @property
    def scenarios(self) -> List[Scenario]:
        """The scenarios, in the library's order (regions sorted by name
        when every region is lost in turn)."""
        if self._scenarios is None:
            h = self._ptr()
            scenarios = []
            outcome, mech, state = c_int(), c_int(), c_int()
            region, name = c_char_p(), c_char_p()
            rpo, rto = c_long(), c_long()
            frozen = c_size_t()
            for i in range(_L.drtopo_simulation_scenario_count(h)):
                outcomes = []
                for j in range(_L.drtopo_simulation_outcome_count(h, i)):
                    res = _lib.ResourceP()  # a fresh handle for each view
                    _L.drtopo_simulation_outcome(
                        h, i, j, byref(res), byref(outcome), byref(mech),
                        byref(region), byref(rpo), byref(rto))
                    outcomes.append(ResourceOutcome(*self._outcome_row(
                        res, outcome, mech, region, rpo, rto)))
                stacks = []
                for j in range(_L.drtopo_simulation_stack_count(h, i)):
                    st = _lib.StackP()
                    _L.drtopo_simulation_stack(h, i, j, byref(st),
                                               byref(state), byref(frozen))
                    stack = Stack(self._model, st)
                    reads = []
                    for k in range(frozen.value):
                        src, via = _lib.StackP(), c_char_p()
                        kind = c_int()
                        _L.drtopo_simulation_frozen(
                            h, i, j, k, byref(src), byref(kind),
                            byref(via))
                        reads.append(FrozenValue(
                            Stack(self._model, src).id if src else None,
                            EdgeKind(kind.value), _lib._decode(via.value)))
                    automation = tuple(
                        r.id for r in stack.resources()
                        if r.is_automation) \
                        if state.value == StackState.LOST else ()
                    stacks.append(StackOutcome(
                        stack, _opt_enum(StackState, state.value),
                        int(frozen.value), tuple(reads), automation))
                routes = []
                for j in range(_L.drtopo_simulation_route_count(h, i)):
                    _L.drtopo_simulation_route(h, i, j, byref(name),
                                               byref(state))
                    routes.append(RouteOutcome(
                        str(_lib._decode(name.value)),
                        _opt_enum(RouteState, state.value)))
                figs = [c_size_t() for _ in range(5)]
                _L.drtopo_simulation_scenario_summary(
                    h, i, *[byref(f) for f in figs])
                summary = dict(zip(
                    ("lost_stacks", "stacks_with_path", "affected_resources",
                     "lost_resources", "stuck_routes"),
                    (int(f.value) for f in figs)))
                scenarios.append(Scenario(
                    region=_L.drtopo_simulation_scenario_region(h, i),
                    account=_L.drtopo_simulation_scenario_account(h, i),
                    outcomes=tuple(outcomes), stacks=tuple(stacks),
                    routes=tuple(routes), summary=summary))
            self._scenarios = tuple(scenarios)
        self._ptr()
        return list(self._scenarios)

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self.scenarios)

    def __len__(self) -> int:
        """The number of scenarios."""
        return int(_L.drtopo_simulation_scenario_count(self._ptr()))

    def __bool__(self) -> bool:
        return True

    @property
    def worst(self) -> List[WorstOutcome]:
        """Every stateful resource of the model (sorted by stack and
        resource id) with the worst outcome any scenario gives it."""
        if self._worst is None:
            h = self._ptr()
            worst = []
            outcome, mech = c_int(), c_int()
            region = c_char_p()
            rpo, rto = c_long(), c_long()
            scenario = c_size_t()
            for j in range(_L.drtopo_simulation_worst_count(h)):
                res = _lib.ResourceP()
                _L.drtopo_simulation_worst(
                    h, j, byref(res), byref(outcome), byref(mech),
                    byref(region), byref(rpo), byref(rto), byref(scenario))
                sc = scenario.value
                row = self._outcome_row(res, outcome, mech, region, rpo,
                                        rto)
                worst.append(WorstOutcome(
                    row[0], row[1], row[2], row[3], row[4], row[5],
                    None if sc == _SIZE_MAX else int(sc)))
            self._worst = tuple(worst)
        self._ptr()
        return list(self._worst)

    @property
    def diagnostics(self) -> List[Diagnostic]:
        """The simulation's findings (DRT610, DRT611), sorted like a
        result's."""
        if self._diags is None:
            h = self._ptr()
            self._diags = tuple(
                _diagnostic(_L.drtopo_simulation_diagnostic(h, i))
                for i in range(_L.drtopo_simulation_diagnostic_count(h)))
        self._ptr()
        return list(self._diags)

    def codes(self) -> List[str]:
        """The codes of the findings, in order."""
        return [d.code for d in self.diagnostics]

    @property
    def max_severity(self) -> Severity:
        """The highest severity among the findings (OFF: none)."""
        return Severity(_L.drtopo_simulation_max_severity(self._ptr()))

    # -- serializers --

    def _take(self, func: Any, what: str, *args: Any) -> str:
        try:
            return _lib.take_string(func, self._ptr(), *args)
        except DrtopoError as exc:
            exc.message = "cannot write the simulation as %s: %s" % (
                what, exc.message)
            exc.args = (exc.message,)
            raise

    def to_json(self) -> str:
        """JSON (schema drtopo-simulation/1)."""
        return self._take(_L.drtopo_simulation_to_json, "JSON")

    def write_json(self, stream: Any) -> None:
        """Write the JSON (the text of :meth:`to_json`, UTF-8) to the
        binary ``stream`` piece by piece, without holding it whole: the
        simulation of a large model runs to hundreds of megabytes. An
        exception of ``stream.write`` stops the writing and is raised."""
        try:
            _write_pieces(_L.drtopo_simulation_write_json, self._ptr(),
                          stream)
        except DrtopoError as exc:
            exc.message = "cannot write the simulation as JSON: %s" % (
                exc.message,)
            exc.args = (exc.message,)
            raise

    def to_sarif(self) -> str:
        """SARIF 2.1.0 of the findings."""
        return self._take(_L.drtopo_simulation_to_sarif, "SARIF")

    def to_dot(self) -> str:
        """The stack graph as Graphviz DOT, the lost region greyed out
        (with several scenarios: the one that loses most)."""
        return self._take(_L.drtopo_simulation_to_dot, "DOT")

    def to_text(self, color: bool = False, quiet: bool = False) -> str:
        """Text for people (``quiet``: the summary line only)."""
        flags = (1 if color else 0) | (2 if quiet else 0)
        return self._take(_L.drtopo_simulation_to_text, "text", flags)
