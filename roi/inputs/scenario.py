"""Reading scenario files: safe YAML, ``extends:`` inheritance, validation by the one schema, and
errors that name the file and field and say what is allowed.

A scenario may ``extends: other.yaml`` (a path relative to the file) and override a few fields.
``incidents_from:``, ``traces_from:`` and ``latency_from:`` pull in exports (see
:mod:`roi.inputs.ingest.fragments`).
Mappings merge key by key; an assumption (a number or a ``{value, ...}`` mapping) and a list are
replaced whole; ``null`` removes an optional section.

Security
--------
A scenario file is input from someone else, so reading one never discloses another file and
never takes unbounded time or memory:

- ``extends:`` resolves only YAML files (``.yaml``, ``.yml``) inside the folder of the scenario
  being loaded and its subfolders, or inside a folder allowed explicitly (``allow_extends``; on
  the command line ``--allow-extends DIR``, in the environment :data:`ALLOW_EXTENDS_ENV`, which
  report kernels inherit). Symbolic links are followed before the check, so a link cannot lead
  out. A refused, missing or unreadable parent is reported by its path and the reason, never by
  its contents, and a parent whose top-level keys are not scenario fields is refused whole.
- YAML aliases (``*name``) are refused, so nothing is ever expanded (no billion laughs); nesting
  deeper than :data:`MAX_NESTING` levels and files larger than :data:`MAX_FILE_BYTES` are refused.
- Messages quote input text only as a short, escaped excerpt (:mod:`roi.inputs.errors`), and
  every string of a scenario loses its control characters on reading
  (:func:`roi.inputs.errors.plain`): a name cannot clear a terminal or reorder a line.
"""

from __future__ import annotations

import difflib
import os
import stat
import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from roi.inputs.brand import logo_kind
from roi.inputs.errors import ScenarioError, escaped, plain
from roi.inputs.ingest.fragments import anchor_exports, anchored, apply_exports
from roi.inputs.schema import Quantity, Scenario, currency_problem

MAX_EXTENDS_DEPTH = 8
MAX_NESTING = 32
"""Deepest nesting of mappings and lists in a scenario file (a scenario needs about 6)."""
MAX_FILE_BYTES = 1_000_000
"""Largest scenario file [bytes] (a scenario is a few kB)."""
YAML_SUFFIXES = (".yaml", ".yml")
ALLOW_EXTENDS_ENV = "ROI_ALLOW_EXTENDS"
"""Environment variable: further folders (separated by ``os.pathsep``) ``extends:`` may read."""
_QUANTITY_KEYS = {"value", "low", "high", "dist"}


class _Refused(yaml.MarkedYAMLError):
    """A construct the scenario loader does not accept (not a syntax error)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of silently keeping the last one,
    refuses aliases (nothing is ever expanded) and nesting deeper than :data:`MAX_NESTING`, and
    strips control characters from every string."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(
                None, None, "YAML aliases (*name) are not allowed: write the value out", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise _Refused(
                    None,
                    None,
                    f"nested deeper than {MAX_NESTING} levels; allowed: {MAX_NESTING} at most",
                    mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            raise _Refused(
                None, None, "a key must be a name, not a list or mapping", key_node.start_mark
            ) from None
        if duplicate:
            raise _Refused(
                None,
                None,
                f"duplicate key '{escaped(str(key))}' (each key may appear once)",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _construct_str(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> str:
    return plain(loader.construct_scalar(node))


def _construct_int(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> int:
    try:
        return int(loader.construct_yaml_int(node))
    except ValueError:  # more digits than sys.get_int_max_str_digits() (4,300)
        raise _Refused(
            None,
            None,
            "a number of thousands of digits; allowed: numbers up to 1e18, e.g. 1.5e9",
            node.start_mark,
        ) from None


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(str(path), ["file not found"]) from None
    except OSError as exc:
        raise ScenarioError(
            str(path), [f"cannot read: {exc.strerror or type(exc).__name__}"]
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            str(path),
            [f"larger than {MAX_FILE_BYTES:,} bytes; allowed: up to that (a scenario is a few kB)"],
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            str(path), [f"cannot read: not UTF-8 text (byte {exc.start + 1} is not UTF-8)"]
        ) from None


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file, or a ScenarioError naming the file and line.

    Aliases, nesting deeper than :data:`MAX_NESTING` and files over :data:`MAX_FILE_BYTES` are
    refused; strings lose their control characters.
    """
    text = _read_text(path)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except _Refused as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise ScenarioError(str(path), [f"{where}{exc.problem}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = escaped(str(exc.problem), 100)
        raise ScenarioError(str(path), [f"{where}YAML syntax error: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), [f"YAML syntax error: {escaped(str(exc), 100)}"]) from None
    except (ValueError, OverflowError, RecursionError, MemoryError) as exc:
        # e.g. an integer of thousands of digits
        raise ScenarioError(str(path), [f"cannot read a value: {type(exc).__name__}"]) from None
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


def allowed_folders(allow_extends: Iterable[str | Path] | None = None) -> list[Path]:
    """The folders ``extends:`` may read besides the scenario's own: ``allow_extends``, or when
    it is None those in :data:`ALLOW_EXTENDS_ENV`; resolved (symbolic links followed)."""
    if allow_extends is None:
        allow_extends = [p for p in os.environ.get(ALLOW_EXTENDS_ENV, "").split(os.pathsep) if p]
    return [Path(p).expanduser().resolve() for p in allow_extends]


def inside(path: Path, folders: Sequence[Path]) -> bool:
    """Whether ``path`` (resolved, symbolic links followed) lies in one of ``folders`` (resolved)
    or their subfolders.

    >>> inside(Path("/srv/cases/a/b.yaml"), [Path("/srv/cases")]), inside(Path("/etc/x"), [])
    (True, False)
    """
    return any(path == f or path.is_relative_to(f) for f in folders)


def _parent_file(child: Path, parent: str, folders: Sequence[Path]) -> Path:
    """The file ``extends: parent`` of ``child`` names, checked by its path before it is opened:
    a YAML file inside ``folders`` (the first is the top-level scenario's own folder)."""
    shown = escaped(parent)
    root = folders[0]
    allowed = (
        f"allowed: .yaml or .yml files in {escaped(str(root), 200)} and its subfolders, or in a "
        "folder given with --allow-extends DIR"
    )
    if not parent.strip() or "\x00" in parent:
        raise ScenarioError(str(child), ["extends: must be a path to another scenario file"])
    if not parent.lower().endswith(YAML_SUFFIXES):
        raise ScenarioError(
            str(child), [f"extends: {shown}: refused: not a YAML scenario file; {allowed}"]
        )
    target = (child.parent / Path(parent).expanduser()).resolve()
    if not inside(target, folders):
        raise ScenarioError(
            str(child),
            [f"extends: {shown}: refused: outside the scenario's folder; {allowed}"],
        )
    if not target.name.lower().endswith(YAML_SUFFIXES):  # a link to a file of another kind
        raise ScenarioError(
            str(child), [f"extends: {shown}: refused: not a YAML scenario file; {allowed}"]
        )
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        raise ScenarioError(
            str(child), [f"extends: file not found: {child.parent / parent}"]
        ) from None
    except OSError as exc:
        raise ScenarioError(
            str(child), [f"extends: {shown}: cannot read: {exc.strerror or type(exc).__name__}"]
        ) from None
    if not stat.S_ISREG(mode):
        raise ScenarioError(str(child), [f"extends: {shown}: refused: not a regular file"])
    return target


def resolve(
    path: Path,
    _chain: tuple[Path, ...] = (),
    *,
    allow_extends: Iterable[str | Path] | None = None,
    _folders: Sequence[Path] = (),
) -> dict[str, Any]:
    """The raw mapping of a scenario file with its ``extends:`` chain merged in.

    ``extends:`` may name YAML files in ``path``'s folder and its subfolders, or in the folders
    of ``allow_extends`` (default: those of :data:`ALLOW_EXTENDS_ENV`); see the module's
    Security section.
    """
    path = path.resolve()
    folders = _folders or [path.parent, *allowed_folders(allow_extends)]
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(str(_chain[0]), [f"extends: cycle {cycle}"])
    if len(_chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            str(_chain[0]),
            [
                f"extends: a chain deeper than {MAX_EXTENDS_DEPTH} files; allowed: "
                f"{MAX_EXTENDS_DEPTH} at most"
            ],
        )
    data = anchor_logo(anchor_exports(read_yaml(path), path), path)
    if _chain:
        unknown = [k for k in data if k != "extends" and k not in Scenario.model_fields]
        if unknown:
            raise ScenarioError(
                str(_chain[-1]),
                [
                    f"extends: {path.name}: refused: not a scenario file ({len(unknown)} of "
                    f"its top-level keys are not scenario fields)"
                ],
            )
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(str(path), ["extends: must be a path to another scenario file"])
    parent_path = _parent_file(path, parent, folders)
    return merge(resolve(parent_path, (*_chain, path), _folders=folders), data)


def anchor_logo(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``data`` (one scenario file's mapping) with ``presentation.logo`` made absolute against
    ``path``'s folder, after the rule of exports (inside that folder tree, a file) and checked
    to be a PNG or JPEG image; anything else is a ScenarioError naming the field."""
    section = data.get("presentation")
    if not isinstance(section, dict) or not isinstance(section.get("logo"), str):
        return data  # absent, or of the wrong type (the schema says so)
    logo = section["logo"]
    target = anchored(path, "presentation.logo", logo)
    try:
        logo_kind(target)
    except ValueError as exc:
        raise ScenarioError(str(path), [f"presentation.logo: {exc}"]) from None
    return {**data, "presentation": {**section, "logo": str(target)}}


def load_scenario(
    path: str | Path, *, allow_extends: Iterable[str | Path] | None = None
) -> Scenario:
    """Read, merge and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The scenario file.
    allow_extends : iterable of str or Path, optional
        Folders besides ``path``'s own that ``extends:`` may read; default: those of
        :data:`ALLOW_EXTENDS_ENV` (see the module's Security section).

    Raises
    ------
    ScenarioError
        With one line per problem, each naming the field path.
    """
    path = Path(path)
    data = apply_exports(resolve(path, allow_extends=allow_extends), str(path), read_yaml)
    return validate(data, str(path))


def validate(data: dict[str, Any], label: str) -> Scenario:
    """Validate a merged scenario mapping; ``label`` names it in errors."""
    currency = data.get("currency")
    # An invalid currency is reported once, not again in every money unit.
    context = {"currency": "{cur}" if currency_problem(currency) else currency}
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
    """A field path for a message; each key an escaped excerpt (keys are input text)."""
    out = ""
    for part in loc:
        name = escaped(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
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
        close = difflib.get_close_matches(str(loc[-1])[:100], names, n=1, cutoff=0.6)
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
