"""Reading scenario files: safe YAML, ``extends:`` inheritance, validation by the one schema, and
errors that name the file and field and say what is allowed.

A scenario may ``extends: other.yaml`` (a path relative to the file) and override a few fields.
``incidents_from:``, ``traces_from:`` and ``latency_from:`` pull in exports (see
:mod:`roi.inputs.ingest.fragments`).
Mappings merge key by key; an assumption (a number or a ``{value, ...}`` mapping) and a list are
replaced whole; ``null`` removes an optional section.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from roi.inputs.errors import ScenarioError
from roi.inputs.ingest.fragments import anchor_exports, apply_exports
from roi.inputs.schema import Quantity, Scenario

MAX_EXTENDS_DEPTH = 8
_QUANTITY_KEYS = {"value", "low", "high", "dist"}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (each key may appear once)", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file, or a ScenarioError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(str(path), ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [f"cannot read: {exc}"]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ScenarioError(str(path), [f"{where}YAML syntax error: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), [f"YAML syntax error: {exc}"]) from None
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "an empty file"
        raise ScenarioError(str(path), [f"expected a mapping of fields at the top, got {kind}"])
    return data


def _is_leaf(value: Any) -> bool:
    return not isinstance(value, dict) or bool(_QUANTITY_KEYS & value.keys())


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: mappings merge, assumptions and lists are replaced.

    >>> merge({"a": {"x": 1, "y": {"value": 2, "unit": "h"}}}, {"a": {"y": {"value": 3}}})
    {'a': {'x': 1, 'y': {'value': 3}}}
    """
    out = dict(base)
    for key, value in override.items():
        if key in out and not _is_leaf(value) and not _is_leaf(out[key]):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The raw mapping of a scenario file with its ``extends:`` chain merged in."""
    path = path.resolve()
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(str(_chain[0]), [f"extends: cycle {cycle}"])
    if len(_chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(str(_chain[0]), [f"extends: deeper than {MAX_EXTENDS_DEPTH} files"])
    data = anchor_exports(read_yaml(path), path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(str(path), ["extends: must be a path to another scenario file"])
    parent_path = path.parent / parent
    if not parent_path.is_file():
        raise ScenarioError(str(path), [f"extends: file not found: {parent_path}"])
    return merge(resolve(parent_path, (*_chain, path)), data)


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge and validate a scenario file.

    Raises
    ------
    ScenarioError
        With one line per problem, each naming the field path.
    """
    path = Path(path)
    data = apply_exports(resolve(path), str(path), read_yaml)
    return validate(data, str(path))


def validate(data: dict[str, Any], label: str) -> Scenario:
    """Validate a merged scenario mapping; ``label`` names it in errors."""
    currency = data.get("currency")
    valid = isinstance(currency, str) and len(currency) == 3 and currency.isupper()
    # An invalid currency is reported once, not again in every money unit.
    context = {"currency": currency if valid else "{cur}"}
    try:
        return Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        raise ScenarioError(label, [describe(err) for err in exc.errors()]) from None


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class whose fields are valid at ``loc`` (the parent of an error), if any."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional from a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(err: Any) -> str:
    """One line for one pydantic error: the field path, what was wrong, what is allowed."""
    loc: tuple[int | str, ...] = tuple(
        p for p in err["loc"] if not (isinstance(p, str) and "[" in p)
    )
    where = _path(loc) or "(top level)"
    kind = err["type"]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        names = list(parent.model_fields) if parent else []
        if parent is Quantity:
            names = [n for n in names if n != "given"]
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(names)}"
        return f"{where}: unknown field; {hint}"
    if kind == "missing":
        model = _model_at(loc[:-1])
        field = model.model_fields.get(str(loc[-1])) if model else None
        about = f" ({field.description})" if field and field.description else ""
        return f"{where}: required field is missing{about}"
    if loc and loc[-1] == "value":
        where = _path(loc[:-1])
    return f"{where}: {msg}" if loc else msg
