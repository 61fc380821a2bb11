"""Safe YAML loading that remembers where every key and value stood in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 64

Path = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class FileProblems(Exception):
    """Raised with every problem found in one file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """The plain data of a YAML file plus the position of every key and value."""

    file: str
    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, path: Path, message: str, *, at_key: bool = False) -> Problem:
        """A problem at the value (or key) found at `path`, or its nearest parent."""
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            spot = (self.keys.get(prefix) if at_key else None) or self.values.get(prefix)
            if spot is not None:
                return Problem(self.file, spot[0], spot[1], message)
        return Problem(self.file, 1, 1, message)


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML 1.2 booleans: only true/false, so that `no` (Norway) stays a string."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    pass


def read_text(raw: bytes, file: str) -> str:
    """Decode a file's bytes as UTF-8 text, or explain what to change."""
    if len(raw) > MAX_BYTES:
        raise FileProblems(
            [Problem(file, 1, 1, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} bytes")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblems(
            [Problem(file, line, column, "file is not UTF-8 text; save it with UTF-8 encoding")]
        ) from None


def load_yaml(text: str, file: str) -> Document:
    """Parse one YAML document safely; refuse alias bombs and absurd nesting."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise FileProblems([Problem(file, 1, 1, f"file is larger than {MAX_BYTES:,} bytes")])
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileProblems([Problem(file, line, 1, "file contains a NUL byte; remove it")])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = Document(file, None)
        if node is None:
            return doc
        # Without aliases a file cannot hold more nodes than it has characters.
        builder = _Builder(loader, doc, budget=len(text) + 64)
        doc.data = builder.build(node, ())
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = exc.problem or exc.context or "cannot be read"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise FileProblems([Problem(file, *where, f"YAML syntax error: {what}{context}")]) from None
    except yaml.YAMLError as exc:
        raise FileProblems([Problem(file, 1, 1, f"YAML syntax error: {exc}")]) from None
    except _TooLarge:
        raise FileProblems(
            [Problem(file, 1, 1, "anchors and aliases expand beyond the file's size; remove them")]
        ) from None
    except (_TooDeep, RecursionError):
        raise FileProblems(
            [Problem(file, 1, 1, f"nesting is deeper than {MAX_DEPTH} levels; flatten the file")]
        ) from None
    finally:
        loader.dispose()


class _Builder:
    """Turns composed YAML nodes into plain Python data, recording positions."""

    def __init__(self, loader: Any, doc: Document, budget: int) -> None:
        self.loader = loader
        self.doc = doc
        self.budget = budget

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge
        if len(path) > MAX_DEPTH:
            raise _TooDeep
        self.doc.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            return self.loader.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        raise yaml.constructor.ConstructorError(
            None, None, f"unsupported node {node.tag}", node.start_mark
        )

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        self.loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._complain(key_node, "a key must be a plain value, not a list or mapping")
                continue
            key = self.loader.construct_object(key_node, deep=True)
            if key in result:
                first = self.doc.keys.get((*path, key), (0, 0))
                self._complain(key_node, f"duplicate key '{key}' (first at line {first[0]})")
                continue
            self.doc.keys[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _complain(self, node: yaml.Node, message: str) -> None:
        self.doc.problems.append(Problem(self.doc.file, *_mark(node), message))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
