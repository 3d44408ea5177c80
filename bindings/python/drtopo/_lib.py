"""Low-level ctypes layer of the drtopo bindings.

This module finds and loads libdrtopo, applies ONE signature table
(argument types, return type and error check of every exported function) to
it, and maps the library's negative status codes to Python exceptions.

Nothing here is public API: use the classes of :mod:`drtopo`.

Loading order (see R12 in the project's research notes):

1. the path in the ``DRTOPO_LIBRARY`` environment variable (when set, it is
   the only candidate: a typo must not silently pick up another library);
2. ``ctypes.util.find_library("drtopo")``;
3. ``libdrtopo.so.<SOVERSION>`` through the dynamic loader's search path.

Memory rules:

* strings the library lends (``const char *`` results) are declared
  ``c_char_p`` and decoded to ``str`` at once;
* strings the library hands over (``char **out`` of the serializers) are
  declared ``POINTER(c_void_p)``, copied with :func:`ctypes.string_at` and
  released with ``drtopo_free`` -- never ``c_char_p``, which would lose the
  pointer and leak it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (
    POINTER,
    Structure,
    byref,
    c_char_p,
    c_int,
    c_long,
    c_size_t,
    c_uint,
    c_void_p,
)
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union

#: Shared-object major version the bindings are written for.
SOVERSION = "0"
#: Environment variable naming the library file to load.
ENV_LIBRARY = "DRTOPO_LIBRARY"

# ---- status codes (include/drtopo/common.h) --------------------------------

OK = 0
ERROR = -1
ENOMEM = -2
EINVAL = -3
ENOTFOUND = -4
EEXIST = -5
EPARSE = -6
ESCHEMA = -7
EIO = -8
ELIMIT = -9

# ---- exceptions --------------------------------------------------------------


class DrtopoError(Exception):
    """A libdrtopo call failed.

    Attributes:
        status: the library's negative status code (``DRTOPO_E*``).
        message: the library's one-line description (``drtopo_model_errmsg``
            when the call had a model, else ``drtopo_strerror``).
        file, line, column, pointer: where a load error happened (file name,
            1-based line and column, JSON pointer of the offending member);
            ``None`` when unknown or not a load error.
    """

    def __init__(
        self,
        message: str,
        status: int = ERROR,
        *,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        pointer: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.status: int = status
        self.file: Optional[str] = file
        self.line: Optional[int] = line
        self.column: Optional[int] = column
        self.pointer: Optional[str] = pointer

    def __str__(self) -> str:
        return self.message


class InternalError(DrtopoError):
    """DRTOPO_ERROR: an internal error of the library (a bug: please report)."""


class OutOfMemoryError(DrtopoError, MemoryError):
    """DRTOPO_ENOMEM: the library ran out of memory; nothing was changed."""


class InvalidArgumentError(DrtopoError, ValueError):
    """DRTOPO_EINVAL: an invalid argument (empty, foreign handle, bad value)."""


class NotFoundError(DrtopoError, LookupError):
    """DRTOPO_ENOTFOUND: no such stack, resource, rule or file."""


class AlreadyExistsError(DrtopoError, ValueError):
    """DRTOPO_EEXIST: an object with that id already exists."""


class ParseError(DrtopoError, ValueError):
    """DRTOPO_EPARSE: the input is not well-formed JSON.

    ``file``, ``line``, ``column`` and ``pointer`` say where.
    """


class SchemaError(ParseError):
    """DRTOPO_ESCHEMA: the input is JSON but not of the expected shape."""


class DrtopoIOError(DrtopoError, OSError):
    """DRTOPO_EIO: a file could not be read."""


class LimitError(DrtopoError, ValueError):
    """DRTOPO_ELIMIT: the input exceeds a configured limit."""


class ClosedError(DrtopoError, ValueError):
    """The model (or result) was closed; its handles are gone.

    Raised by the bindings themselves (``status`` is DRTOPO_EINVAL).
    """


EXCEPTIONS: Dict[int, Type[DrtopoError]] = {
    ERROR: InternalError,
    ENOMEM: OutOfMemoryError,
    EINVAL: InvalidArgumentError,
    ENOTFOUND: NotFoundError,
    EEXIST: AlreadyExistsError,
    EPARSE: ParseError,
    ESCHEMA: SchemaError,
    EIO: DrtopoIOError,
    ELIMIT: LimitError,
}

# Statuses after which the model's error location is meaningful.
_LOCATED = (EPARSE, ESCHEMA, EIO, ELIMIT)

# ---- opaque handle types -----------------------------------------------------


class _Model(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Stack(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Resource(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Param(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Replication(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Result(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Diagnostic(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Rule(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Route(Structure):
    _fields_: List[Tuple[str, Any]] = []


class _Simulation(Structure):
    _fields_: List[Tuple[str, Any]] = []


# Typed pointers: passing a stack where a model is expected is a TypeError
# (ctypes.ArgumentError) instead of a crash.
ModelP = POINTER(_Model)
StackP = POINTER(_Stack)
ResourceP = POINTER(_Resource)
ParamP = POINTER(_Param)
ReplicationP = POINTER(_Replication)
ResultP = POINTER(_Result)
DiagnosticP = POINTER(_Diagnostic)
RuleP = POINTER(_Rule)
RouteP = POINTER(_Route)
SimulationP = POINTER(_Simulation)

_OutStr = POINTER(c_void_p)  # char **out: owned, released with drtopo_free
_OutLen = POINTER(c_size_t)

# ---- loading -----------------------------------------------------------------


def _candidates() -> List[str]:
    env = os.environ.get(ENV_LIBRARY)
    if env:
        return [env]
    names: List[str] = []
    found = ctypes.util.find_library("drtopo")
    if found:
        names.append(found)
    names.append("libdrtopo.so." + SOVERSION)
    return names


def _open() -> Tuple[ctypes.CDLL, str]:
    errors: List[str] = []
    for name in _candidates():
        try:
            return ctypes.CDLL(name), name
        except OSError as exc:
            errors.append("%s: %s" % (name, exc))
    env = os.environ.get(ENV_LIBRARY)
    hint = (
        "check the path in %s" % ENV_LIBRARY
        if env
        else "install libdrtopo (e.g. `meson install -C build`), add its "
        "directory to LD_LIBRARY_PATH, or set %s to the full path of "
        "libdrtopo.so.%s" % (ENV_LIBRARY, SOVERSION)
    )
    raise ImportError(
        "drtopo: cannot load libdrtopo (tried %s); %s"
        % ("; ".join(errors), hint)
    )


# ---- error checks ------------------------------------------------------------
# An errcheck receives (result, func, args) where args are the Python
# arguments as passed; what it returns becomes the call's value.


def _decode(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8", "replace")


def _text(result: Optional[bytes], func: Any, args: Tuple[Any, ...]) -> Optional[str]:
    """Borrowed ``const char *``: decode now, the library keeps the memory."""
    return _decode(result)


def error_for(status: int, model: Any = None, message: Optional[str] = None) -> DrtopoError:
    """The exception for a negative status.

    With a model handle, the message and the load location come from the
    model's last error (``drtopo_model_errmsg`` and friends).
    """
    cls = EXCEPTIONS.get(status, DrtopoError)
    reason = _L.drtopo_strerror(status) if _L is not None else None
    loc: Dict[str, Any] = {}
    if model:
        text = _L.drtopo_model_errmsg(model)
        if status in _LOCATED:
            loc["file"] = _L.drtopo_model_error_file(model)
            loc["line"] = _L.drtopo_model_error_line(model) or None
            loc["column"] = _L.drtopo_model_error_column(model) or None
            loc["pointer"] = _L.drtopo_model_error_pointer(model)
        if text and not message:
            message = text
    if not message:
        message = reason or "libdrtopo status %d" % status
    return cls(message, status, **loc)


def _status(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    """A status (or a non-negative value); no model message to read."""
    if result < 0:
        raise error_for(result)
    return result


def _model_of(getter: Callable[[Any], Any]) -> Callable[[int, Any, Tuple[Any, ...]], int]:
    def check(result: int, func: Any, args: Tuple[Any, ...]) -> int:
        if result < 0:
            model = getter(args[0]) if args and args[0] else None
            raise error_for(result, model)
        return result

    check.__name__ = "_status_with_model"
    return check


_status_model = _model_of(lambda m: m)
_status_stack = _model_of(lambda s: _L.drtopo_stack_model(s))
_status_resource = _model_of(
    lambda r: _L.drtopo_stack_model(_L.drtopo_resource_stack(r))
)
_status_param = _model_of(
    lambda p: _L.drtopo_stack_model(_L.drtopo_param_stack(p))
)
_status_repl = _model_of(
    lambda x: _L.drtopo_stack_model(
        _L.drtopo_resource_stack(_L.drtopo_replication_resource(x)))
)
_status_result = _model_of(lambda r: _L.drtopo_result_model(r))
_status_route = _model_of(
    lambda rt: _L.drtopo_stack_model(
        _L.drtopo_resource_stack(_L.drtopo_route_resource(rt)))
)

#: drtopo_write_fn (result.h): int (*)(void *ctx, const char *data, size_t len)
WriteFn = ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(ctypes.c_char), c_size_t)

# ---- the signature table -----------------------------------------------------
# name: (argtypes, restype, errcheck). Every symbol of lib/libdrtopo.sym is
# here; tests/test_signatures.py checks both directions.

_Sig = Tuple[List[Any], Any, Optional[Callable[..., Any]]]

_cp = c_char_p
_SIGNATURES: Dict[str, _Sig] = {
    # common.h
    "drtopo_version": ([], _cp, _text),
    "drtopo_strerror": ([c_int], _cp, _text),
    "drtopo_severity_name": ([c_int], _cp, _text),
    "drtopo_severity_from_name": ([_cp], c_int, _status),
    "drtopo_free": ([c_void_p], None, None),
    # model.h: the model
    "drtopo_model_new": ([POINTER(ModelP)], c_int, _status),
    "drtopo_model_free": ([ModelP], None, None),
    "drtopo_model_errmsg": ([ModelP], _cp, _text),
    "drtopo_model_error_file": ([ModelP], _cp, _text),
    "drtopo_model_error_line": ([ModelP], c_int, None),
    "drtopo_model_error_column": ([ModelP], c_int, None),
    "drtopo_model_error_pointer": ([ModelP], _cp, _text),
    "drtopo_model_set_limit": ([ModelP, c_int, c_size_t], c_int, _status_model),
    "drtopo_model_add_external": ([ModelP, _cp, _cp], c_int, _status_model),
    "drtopo_model_set_rule_severity": ([ModelP, _cp, c_int], c_int, _status_model),
    # const model: records no message, the wrapper words it
    "drtopo_model_rule_severity": ([ModelP, _cp], c_int, _status),
    # model.h: stacks
    "drtopo_model_add_stack": (
        [ModelP, _cp, _cp, _cp, POINTER(StackP)], c_int, _status_model),
    "drtopo_model_find_stack": ([ModelP, _cp, POINTER(StackP)], c_int, _status),
    "drtopo_model_stack_count": ([ModelP], c_size_t, None),
    "drtopo_model_stack_at": ([ModelP, c_size_t], StackP, None),
    "drtopo_model_resource_count": ([ModelP], c_size_t, None),
    "drtopo_stack_id": ([StackP], _cp, _text),
    "drtopo_stack_account": ([StackP], _cp, _text),
    "drtopo_stack_region": ([StackP], _cp, _text),
    "drtopo_stack_name": ([StackP], _cp, _text),
    "drtopo_stack_model": ([StackP], ModelP, None),
    "drtopo_stack_set_name": ([StackP, _cp, _cp], c_int, _status_stack),
    "drtopo_stack_add_dependency": ([StackP, StackP], c_int, _status_stack),
    # model.h: resources
    "drtopo_stack_add_resource": (
        [StackP, _cp, _cp, _cp, POINTER(ResourceP)], c_int, _status_stack),
    "drtopo_stack_find_resource": (
        [StackP, _cp, POINTER(ResourceP)], c_int, _status),
    "drtopo_stack_resource_count": ([StackP], c_size_t, None),
    "drtopo_stack_resource_at": ([StackP, c_size_t], ResourceP, None),
    "drtopo_resource_id": ([ResourceP], _cp, _text),
    "drtopo_resource_type": ([ResourceP], _cp, _text),
    "drtopo_resource_physical_name": ([ResourceP], _cp, _text),
    "drtopo_resource_stack": ([ResourceP], StackP, None),
    "drtopo_resource_add_reference": (
        [ResourceP, ResourceP, _cp], c_int, _status_resource),
    # model.h: exports, imports, stack outputs
    "drtopo_stack_add_export": ([StackP, _cp, ResourceP], c_int, _status_stack),
    "drtopo_stack_add_import": ([StackP, _cp, ResourceP], c_int, _status_stack),
    "drtopo_stack_add_output_read": (
        [StackP, _cp, _cp, _cp, ResourceP], c_int, _status_stack),
    # model.h: parameters
    "drtopo_stack_write_parameter": (
        [StackP, _cp, _cp, ResourceP, POINTER(ParamP)], c_int, _status_stack),
    "drtopo_stack_read_parameter": (
        [StackP, _cp, _cp, ResourceP, POINTER(ParamP)], c_int, _status_stack),
    "drtopo_param_set_value_resource": (
        [ParamP, ResourceP, _cp], c_int, _status_param),
    "drtopo_param_set_value_text": ([ParamP, _cp], c_int, _status_param),
    "drtopo_param_kind": ([ParamP], c_int, _status),
    "drtopo_param_name": ([ParamP], _cp, _text),
    "drtopo_param_region": ([ParamP], _cp, _text),
    "drtopo_param_stack": ([ParamP], StackP, None),
    # model.h: tables, replicas and keys
    "drtopo_resource_add_replica": ([ResourceP, _cp], c_int, _status_resource),
    "drtopo_resource_replica_count": ([ResourceP], c_size_t, None),
    "drtopo_resource_replica_at": ([ResourceP, c_size_t], _cp, _text),
    "drtopo_resource_set_cmk": ([ResourceP, ResourceP], c_int, _status_resource),
    "drtopo_resource_set_cmk_arn": ([ResourceP, _cp], c_int, _status_resource),
    "drtopo_resource_set_replica_key": (
        [ResourceP, _cp, ResourceP], c_int, _status_resource),
    "drtopo_resource_set_replica_key_arn": (
        [ResourceP, _cp, _cp], c_int, _status_resource),
    "drtopo_resource_set_replica_key_parameter": (
        [ResourceP, _cp, _cp, _cp], c_int, _status_resource),
    # model.h: replication facts (0.2)
    "drtopo_resource_set_flags": ([ResourceP, c_uint], c_int, _status_resource),
    "drtopo_resource_flags": ([ResourceP], c_uint, None),
    "drtopo_resource_add_arn": ([ResourceP, _cp, _cp], c_int, _status_resource),
    "drtopo_resource_arn_count": ([ResourceP], c_size_t, None),
    "drtopo_resource_arn_at": ([ResourceP, c_size_t], _cp, _text),
    "drtopo_resource_arn_pointer": ([ResourceP, c_size_t], _cp, _text),
    "drtopo_resource_add_replication": (
        [ResourceP, c_int, _cp, POINTER(ReplicationP)], c_int,
        _status_resource),
    "drtopo_resource_replication_count": ([ResourceP], c_size_t, None),
    "drtopo_resource_replication_at": (
        [ResourceP, c_size_t], ReplicationP, None),
    "drtopo_replication_set_target": (
        [ReplicationP, ResourceP, _cp], c_int, _status_repl),
    "drtopo_replication_set_target_text": (
        [ReplicationP, _cp], c_int, _status_repl),
    "drtopo_replication_set_target_import": (
        [ReplicationP, _cp], c_int, _status_repl),
    "drtopo_replication_set_target_parameter": (
        [ReplicationP, _cp, _cp], c_int, _status_repl),
    "drtopo_replication_set_flags": ([ReplicationP, c_uint], c_int, _status_repl),
    "drtopo_replication_set_period": ([ReplicationP, c_long], c_int, _status_repl),
    "drtopo_replication_set_pointer": ([ReplicationP, _cp], c_int, _status_repl),
    "drtopo_replication_kind": ([ReplicationP], c_int, _status),
    "drtopo_replication_kind_name": ([c_int], _cp, _text),
    "drtopo_replication_resource": ([ReplicationP], ResourceP, None),
    "drtopo_replication_region": ([ReplicationP], _cp, _text),
    "drtopo_replication_flags": ([ReplicationP], c_uint, None),
    "drtopo_replication_period": ([ReplicationP], c_long, None),
    "drtopo_replication_pointer": ([ReplicationP], _cp, _text),
    "drtopo_replication_target_resource": ([ReplicationP], ResourceP, None),
    "drtopo_replication_target_text": ([ReplicationP], _cp, _text),
    # result.h: resolving and the plan
    "drtopo_model_resolve": ([ModelP, POINTER(ResultP)], c_int, _status_model),
    "drtopo_result_free": ([ResultP], None, None),
    "drtopo_result_model": ([ResultP], ModelP, None),
    "drtopo_result_has_cycle": ([ResultP], c_int, None),
    "drtopo_result_wave_count": ([ResultP], c_size_t, None),
    "drtopo_result_wave_size": ([ResultP, c_size_t], c_size_t, None),
    "drtopo_result_wave_stack": ([ResultP, c_size_t, c_size_t], StackP, None),
    "drtopo_result_stack_wave": ([ResultP, StackP], c_int, None),
    "drtopo_result_edge_count": ([ResultP], c_size_t, None),
    "drtopo_result_edge": (
        [ResultP, c_size_t, POINTER(StackP), POINTER(StackP), POINTER(c_int),
         POINTER(c_char_p)], c_int, _status),
    "drtopo_edge_kind_name": ([c_int], _cp, _text),
    # result.h: findings
    "drtopo_result_diagnostic_count": ([ResultP], c_size_t, None),
    "drtopo_result_diagnostic": ([ResultP, c_size_t], DiagnosticP, None),
    "drtopo_result_count": ([ResultP, c_int], c_size_t, None),
    "drtopo_result_max_severity": ([ResultP], c_int, None),
    "drtopo_diagnostic_code": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_rule": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_severity": ([DiagnosticP], c_int, _status),
    "drtopo_diagnostic_message": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_hint": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_stack": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_resource": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_region": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_source_file": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_source_pointer": ([DiagnosticP], _cp, _text),
    "drtopo_diagnostic_related_count": ([DiagnosticP], c_size_t, None),
    "drtopo_diagnostic_related": (
        [DiagnosticP, c_size_t, POINTER(c_char_p), POINTER(c_char_p),
         POINTER(c_char_p)], c_int, _status),
    # result.h: serializers (owned output: POINTER(c_void_p), drtopo_free)
    "drtopo_result_to_json": ([ResultP, _OutStr, _OutLen], c_int, _status_result),
    "drtopo_result_write_json": ([ResultP, WriteFn, c_void_p], c_int, _status_result),
    "drtopo_result_to_sarif": ([ResultP, _OutStr, _OutLen], c_int, _status_result),
    "drtopo_result_to_dot": ([ResultP, _OutStr, _OutLen], c_int, _status_result),
    "drtopo_result_to_text": (
        [ResultP, c_uint, _OutStr, _OutLen], c_int, _status_result),
    "drtopo_result_plan_to_text": (
        [ResultP, c_int, _OutStr, _OutLen], c_int, _status_result),
    # result.h: the rule catalogue (static)
    "drtopo_rule_count": ([], c_size_t, None),
    "drtopo_rule_at": ([c_size_t], RuleP, None),
    "drtopo_rule_find": ([_cp], RuleP, None),
    "drtopo_rule_code": ([RuleP], _cp, _text),
    "drtopo_rule_name": ([RuleP], _cp, _text),
    "drtopo_rule_default_severity": ([RuleP], c_int, None),
    "drtopo_rule_summary": ([RuleP], _cp, _text),
    "drtopo_rule_explanation": ([RuleP], _cp, _text),
    # load.h
    "drtopo_input_kind": ([_cp], c_int, _status),
    "drtopo_model_load_document": ([ModelP, _cp], c_int, _status_model),
    "drtopo_model_load_document_buffer": (
        [ModelP, _cp, c_size_t, _cp], c_int, _status_model),
    "drtopo_model_load_assembly": ([ModelP, _cp], c_int, _status_model),
    "drtopo_model_load_template": (
        [ModelP, _cp, _cp, _cp, _cp], c_int, _status_model),
    "drtopo_model_load": ([ModelP, _cp, _cp, _cp], c_int, _status_model),
    "drtopo_model_to_json": ([ModelP, _OutStr, _OutLen], c_int, _status_model),
    # posture.h (0.2): recovery objectives
    "drtopo_strategy_name": ([c_int], _cp, _text),
    "drtopo_strategy_from_name": ([_cp], c_int, _status),
    "drtopo_model_set_objectives": (
        [ModelP, c_long, c_long, c_int], c_int, _status_model),
    "drtopo_stack_set_objectives": (
        [StackP, c_long, c_long, c_int], c_int, _status_stack),
    "drtopo_resource_set_objectives": (
        [ResourceP, c_long, c_long, c_int], c_int, _status_resource),
    # const getters: record no message
    "drtopo_model_objectives": (
        [ModelP, POINTER(c_long), POINTER(c_long), POINTER(c_int)], c_int,
        _status),
    "drtopo_stack_objectives": (
        [StackP, POINTER(c_long), POINTER(c_long), POINTER(c_int)], c_int,
        _status),
    "drtopo_resource_objectives": (
        [ResourceP, POINTER(c_long), POINTER(c_long), POINTER(c_int)], c_int,
        _status),
    "drtopo_resource_effective_objectives": (
        [ResourceP, POINTER(c_long), POINTER(c_long), POINTER(c_int)], c_int,
        _status),
    # posture.h: stateful resources and copy mechanisms
    "drtopo_resource_is_stateful": ([ResourceP], c_int, _status),
    "drtopo_resource_is_automation": ([ResourceP], c_int, _status),
    "drtopo_mechanism_name": ([c_int], _cp, _text),
    # posture.h: Route 53 routing records
    "drtopo_routing_policy_name": ([c_int], _cp, _text),
    "drtopo_resource_add_route": (
        [ResourceP, _cp, _cp, c_int, POINTER(RouteP)], c_int,
        _status_resource),
    "drtopo_resource_route_count": ([ResourceP], c_size_t, None),
    "drtopo_resource_route_at": ([ResourceP, c_size_t], RouteP, None),
    "drtopo_route_set_flags": ([RouteP, c_uint], c_int, _status_route),
    "drtopo_route_set_health_check": (
        [RouteP, ResourceP], c_int, _status_route),
    "drtopo_route_set_target": ([RouteP, ResourceP], c_int, _status_route),
    "drtopo_route_set_region": ([RouteP, _cp], c_int, _status_route),
    "drtopo_route_set_pointer": ([RouteP, _cp], c_int, _status_route),
    "drtopo_route_resource": ([RouteP], ResourceP, None),
    "drtopo_route_name": ([RouteP], _cp, _text),
    "drtopo_route_identifier": ([RouteP], _cp, _text),
    "drtopo_route_policy": ([RouteP], c_int, _status),
    "drtopo_route_flags": ([RouteP], c_uint, None),
    "drtopo_route_health_check": ([RouteP], ResourceP, None),
    "drtopo_route_target": ([RouteP], ResourceP, None),
    "drtopo_route_region": ([RouteP], _cp, _text),
    "drtopo_route_pointer": ([RouteP], _cp, _text),
    # posture.h: the region-loss simulation (caller-owned handle,
    # drtopo_simulation_free; it borrows its result)
    "drtopo_outcome_name": ([c_int], _cp, _text),
    "drtopo_stack_state_name": ([c_int], _cp, _text),
    "drtopo_route_state_name": ([c_int], _cp, _text),
    # const result: records no message, the wrapper words it
    "drtopo_result_simulate": (
        [ResultP, _cp, _cp, POINTER(SimulationP)], c_int, _status),
    "drtopo_simulation_free": ([SimulationP], None, None),
    "drtopo_simulation_scenario_count": ([SimulationP], c_size_t, None),
    "drtopo_simulation_scenario_region": (
        [SimulationP, c_size_t], _cp, _text),
    "drtopo_simulation_scenario_account": (
        [SimulationP, c_size_t], _cp, _text),
    "drtopo_simulation_outcome_count": (
        [SimulationP, c_size_t], c_size_t, None),
    "drtopo_simulation_outcome": (
        [SimulationP, c_size_t, c_size_t, POINTER(ResourceP), POINTER(c_int),
         POINTER(c_int), POINTER(c_char_p), POINTER(c_long), POINTER(c_long)],
        c_int, _status),
    "drtopo_simulation_worst_count": ([SimulationP], c_size_t, None),
    "drtopo_simulation_worst": (
        [SimulationP, c_size_t, POINTER(ResourceP), POINTER(c_int),
         POINTER(c_int), POINTER(c_char_p), POINTER(c_long), POINTER(c_long),
         POINTER(c_size_t)], c_int, _status),
    "drtopo_simulation_stack_count": (
        [SimulationP, c_size_t], c_size_t, None),
    "drtopo_simulation_stack": (
        [SimulationP, c_size_t, c_size_t, POINTER(StackP), POINTER(c_int),
         POINTER(c_size_t)], c_int, _status),
    "drtopo_simulation_frozen": (
        [SimulationP, c_size_t, c_size_t, c_size_t, POINTER(StackP),
         POINTER(c_int), POINTER(c_char_p)], c_int, _status),
    "drtopo_simulation_route_count": (
        [SimulationP, c_size_t], c_size_t, None),
    "drtopo_simulation_route": (
        [SimulationP, c_size_t, c_size_t, POINTER(c_char_p), POINTER(c_int)],
        c_int, _status),
    "drtopo_simulation_diagnostic_count": ([SimulationP], c_size_t, None),
    "drtopo_simulation_max_severity": ([SimulationP], c_int, None),
    "drtopo_simulation_scenario_summary": (
        [SimulationP, c_size_t, POINTER(c_size_t), POINTER(c_size_t),
         POINTER(c_size_t), POINTER(c_size_t), POINTER(c_size_t)],
        c_int, _status),
    "drtopo_simulation_diagnostic": (
        [SimulationP, c_size_t], DiagnosticP, None),
    # posture.h: serializers (owned output: POINTER(c_void_p), drtopo_free)
    "drtopo_simulation_to_json": (
        [SimulationP, _OutStr, _OutLen], c_int, _status),
    "drtopo_simulation_write_json": (
        [SimulationP, WriteFn, c_void_p], c_int, _status),
    "drtopo_simulation_to_sarif": (
        [SimulationP, _OutStr, _OutLen], c_int, _status),
    "drtopo_simulation_to_dot": (
        [SimulationP, _OutStr, _OutLen], c_int, _status),
    "drtopo_simulation_to_text": (
        [SimulationP, c_uint, _OutStr, _OutLen], c_int, _status),
}


def bind(cdll: ctypes.CDLL, where: str = "libdrtopo") -> ctypes.CDLL:
    """Apply the signature table to a loaded library and return it.

    Raises ImportError naming the first missing symbol: the bindings and the
    library are out of sync.
    """
    for name, (argtypes, restype, errcheck) in _SIGNATURES.items():
        try:
            func = getattr(cdll, name)
        except AttributeError:
            raise ImportError(
                "drtopo: %s has no symbol %s: the Python bindings and the "
                "library are out of sync (rebuild or reinstall one of them)"
                % (where, name)
            ) from None
        func.argtypes = argtypes
        func.restype = restype
        if errcheck is not None:
            func.errcheck = errcheck
    return cdll


_L: Any = None
_cdll, PATH = _open()
_L = bind(_cdll, PATH)
#: The configured library: call ``lib.drtopo_*``.
lib: Any = _L

# ---- helpers for the classes -------------------------------------------------

StrIn = Union[str, bytes, None]


def encode(value: Any, what: str = "argument", *, optional: bool = True) -> Optional[bytes]:
    """A Python string as a NUL-terminated UTF-8 argument.

    ``None`` passes through (NULL) when ``optional``. Embedded NULs would
    silently truncate the value in C, so they are refused.
    """
    if value is None:
        if optional:
            return None
        raise InvalidArgumentError("invalid argument: %s is None" % what, EINVAL)
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise TypeError("%s must be str, not %s" % (what, type(value).__name__))
    if b"\0" in data:
        raise InvalidArgumentError(
            "invalid argument: %s contains a NUL character" % what, EINVAL)
    return data


def encode_path(path: Any) -> bytes:
    """A file system path (str, bytes or os.PathLike) as bytes."""
    data = os.fsencode(path)
    if b"\0" in data:
        raise InvalidArgumentError(
            "invalid argument: path contains a NUL character", EINVAL)
    return data


def take_string(func: Any, *args: Any) -> str:
    """Call a ``(..., char **out, size_t *len_out)`` function and return the
    text it hands over, released with ``drtopo_free``."""
    ptr = c_void_p()
    size = c_size_t()
    func(*args, byref(ptr), byref(size))
    if not ptr.value:
        return ""
    try:
        data = ctypes.string_at(ptr.value, size.value)
    finally:
        _L.drtopo_free(ptr)
    return data.decode("utf-8", "replace")
