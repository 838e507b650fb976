"""Safe YAML reading that remembers where things are.

Mappings come back as :class:`Node` (a dict) that knows the line it starts
on and the line of each key, so every later error can name ``file:line``.
Aliases/anchors are refused (no alias bombs), duplicate keys are errors, and
files that are too large, empty, binary or not UTF-8 are rejected with one
clear line.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from chengzhen.errors import DataError
from chengzhen.kb.messages import N_, Msg as M, os_error, yaml_problem

MAX_BYTES = 32 * 1024 * 1024


class Node(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML sequence that knows the line of each item."""

    line: int = 0
    lines: list

    def line_at(self, i: int) -> int:
        return self.lines[i] if 0 <= i < len(self.lines) else self.line


# libyaml (C) when PyYAML has it: the data files are large enough for it to matter.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    path = "?"


def _refuse_aliases(root: yaml.Node, path: str) -> None:
    """An alias makes the composed graph share a node: refuse any sharing
    (this also defuses alias bombs, before anything is expanded)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise DataError(path, node.start_mark.line + 1, "E103",
                            M(N_("YAML anchors and aliases (&name, *name) are not allowed in data files")))
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise DataError(loader.path, key_node.start_mark.line + 1, "E111", M(N_("mapping key must be text")))
        key = str(key)
        if key in result:
            raise DataError(
                loader.path, key_node.start_mark.line + 1, "E102",
                M(N_("duplicate key {key!r} (first on line {first})"), key=key, first=result.key_lines[key]),
            )
        result.key_lines[key] = key_node.start_mark.line + 1
        result[key] = _construct(loader, value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct(loader: _Loader, node: yaml.Node):
    """One node, built directly: the nodes of a data file are a tree (aliases
    are refused first), so PyYAML's bookkeeping for shared and recursive
    nodes is not needed — and is most of the time a load takes."""
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        return _construct_mapping(loader, node)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return _construct_sequence(loader, node)
    make = _SCALARS.get(node.tag) if isinstance(node, yaml.ScalarNode) else None
    if make is None:  # any other tag: PyYAML's own way (and its error for a tag it does not know)
        return loader.construct_object(node, deep=True)
    return make(loader, node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
# the plain scalars' constructors (the safe loader's own): str, int, float, bool, null, timestamp
_SCALARS = {tag: fn for tag, fn in _Loader.yaml_constructors.items()
            if tag and tag.startswith("tag:yaml.org,2002:") and tag.rsplit(":", 1)[1] in
            ("str", "int", "float", "bool", "null", "timestamp")}


def read_text(path: Path, label: str) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError(label, None, "E150", M(N_("file not found"))) from None
    except OSError as exc:
        raise DataError(label, None, "E150", M(N_("cannot read: {why}"), why=os_error(exc))) from None
    if size > MAX_BYTES:
        raise DataError(label, None, "E104", M(N_("file too large ({size} bytes; limit {limit})"),
                                                size=size, limit=MAX_BYTES))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(label, None, "E150", M(N_("cannot read: {why}"), why=os_error(exc))) from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError(label, line, "E105", M(N_("binary file (NUL byte), expected UTF-8 text")))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(label, line, "E105", M(N_("not valid UTF-8 text"))) from None


def load_yaml(path: Path, label: str):
    """Load one YAML file safely; ``label`` is the path shown in messages."""
    return parse_yaml(read_text(path, label), label)


def parse_yaml(text: str, label: str):
    """YAML text, safely, as :func:`load_yaml` reads a file."""
    if not text.strip():
        raise DataError(label, 1, "E106", M(N_("file is empty")))
    loader = _Loader(text)
    loader.path = label
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataError(label, 1, "E106", M(N_("file holds no YAML document")))
        if "&" in text or "*" in text:  # (without either character there is no anchor and no alias)
            _refuse_aliases(node, label)
        return _construct(loader, node)
    except DataError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        raise DataError(label, line, "E101",
                        M(N_("YAML syntax error: {problem}"), problem=yaml_problem(problem))) from None
    except yaml.YAMLError as exc:
        raise DataError(label, None, "E101", M(N_("YAML error: {error}"), error=yaml_problem(str(exc)))) from None
    except RecursionError:
        raise DataError(label, None, "E101", M(N_("YAML nested too deeply"))) from None
    finally:
        loader.dispose()
