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
frees its live results when it is closed. After :meth:`Model.close`, every
view and result of the model raises :class:`ClosedError`.

Threads: a model and everything it owns may be used by one thread at a time;
distinct models may be used from distinct threads concurrently (the library
keeps no global mutable state, and ctypes releases the GIL during calls).
"""

from __future__ import annotations

import enum
import os
import threading
from ctypes import byref, c_char_p, c_int, c_void_p, cast
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

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
    "REPLICATION_RTC",
    "REPLICATION_SSE_KMS_OBJECTS",
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

    def label(self) -> str:
        """The document's name: "s3-destination", ..."""
        return str(_L.drtopo_replication_kind_name(int(self)))


#: Resource flags (:attr:`Resource.flags`).
RESOURCE_VERSIONED = 1
RESOURCE_SSE_KMS = 2
#: Replication flags (:attr:`Replication.flags`).
REPLICATION_RTC = 1
REPLICATION_SSE_KMS_OBJECTS = 2


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

    __slots__ = ("ptr",)

    def __init__(self, ptr: Any) -> None:
        self.ptr: Any = ptr


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
    if ptr is not None:
        _L.drtopo_result_free(ptr)


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
        """RESOURCE_VERSIONED | RESOURCE_SSE_KMS bits."""
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

