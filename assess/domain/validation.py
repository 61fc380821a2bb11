"""Validate a questionnaire file and report every problem as `file:line:column: message`:
the model's own checks, explained in words, and the rules of `cross_checks` and
`advice_checks`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError

from assess.domain.advice_checks import advice_checks
from assess.domain.cross_checks import cross_checks, value_at
from assess.domain.questionnaire import MAX_VERSION, Questionnaire
from assess.domain.yamlfile import Document, FileProblems, Path, Problem, load_yaml, read_text

_SCALE_ONLY = {"reverse", "min", "max", "labels"}
# How a mapping is written where a plain value was given instead.
_EXAMPLES = {
    "Band": " such as {below: 50} or {at_least: 25, below: 75}",
    "AtLeast": " such as {at_least: 20}",
    "Importance": " with min, max and text",
    "Scale": " with min and max",
}


def _known_keys() -> set[str]:
    seen: set[str] = set()
    pending: list[type[BaseModel]] = [Questionnaire]
    while pending:
        model = pending.pop()
        for name, info in model.model_fields.items():
            seen.add(name)
            pending.extend(_models_in(info.annotation))
    return seen


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)
    for meta in getattr(annotation, "__metadata__", ()) or ():
        yield from _models_in(meta)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _models_in(origin)


KNOWN_KEYS = _known_keys()


def load_questionnaire(path: str | FilePath) -> Questionnaire:
    """Read and validate a questionnaire file; raise FileProblems listing everything wrong."""
    file = str(path)
    try:
        raw = FilePath(path).read_bytes()
    except OSError as exc:
        raise FileProblems([Problem(file, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    return parse_questionnaire(raw, file)


def parse_questionnaire(raw: bytes | str, file: str = "<questionnaire>") -> Questionnaire:
    """Validate questionnaire YAML given as bytes or text."""
    text = read_text(raw, file) if isinstance(raw, bytes) else raw
    doc = load_yaml(text, file)
    if not isinstance(doc.data, dict):
        raise FileProblems(
            [
                *doc.problems,
                doc.problem(
                    (), "expected a mapping of keys such as id, version, languages, dimensions"
                ),
            ]
        )
    problems = list(doc.problems)
    languages = doc.data.get("languages")
    context = {"languages": languages if _is_str_list(languages) else None}
    questionnaire = None
    try:
        questionnaire = Questionnaire.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems.extend(_explain(doc, error) for error in _errors(doc, exc))
    problems.extend(cross_checks(doc))
    problems.extend(advice_checks(doc))
    if problems or questionnaire is None:
        raise FileProblems(sorted(set(problems)))
    return questionnaire


def _errors(doc: Document, exc: ValidationError) -> list[Any]:
    """Pydantic's errors, with the two tries of a `source` (article number or quote) told
    as one: the quote's own errors where it is a mapping, else one that names both forms."""
    errors: list[Any] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        at = next(
            (
                k
                for k in range(len(loc) - 1)
                if loc[k] == "source" and loc[k + 1] in {"str", "Quote"}
            ),
            None,
        )
        if at is None:
            errors.append(error)
            continue
        value = value_at(doc.data, _data_path(doc.data, loc[: at + 1]))
        if isinstance(value, dict):
            if loc[at + 1] == "Quote":
                errors.append(error)
        elif loc[at + 1] == "str":
            errors.append({"type": "source_type", "loc": loc[: at + 1], "input": value})
    return errors


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _data_path(data: Any, loc: tuple[str | int, ...]) -> Path:
    """Map pydantic's error location onto keys that exist in the file (skipping union tags)."""
    path: list[str | int] = []
    for part in loc:
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        elif isinstance(data, dict) and isinstance(part, str) and part.isdigit():
            # dict[int, ...] keys come back as strings in error locations
            if int(part) in data:
                path.append(int(part))
                data = data[int(part)]
            continue
        else:
            if not isinstance(data, dict | list):
                break
            continue
        path.append(part)
    return tuple(path)


def _explain(doc: Document, error: Any) -> Problem:
    """Turn one pydantic error into a message that says what to change."""
    kind = error["type"]
    loc = tuple(error["loc"])
    path = _data_path(doc.data, loc)
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = value_at(doc.data, path[:-1])
        item_type = parent.get("type") if isinstance(parent, dict) else None
        if key in _SCALE_ONLY and item_type in {"choice", "boolean", "text"}:
            message = f"'{key}' applies only to scale items, not to {item_type} items"
        elif key == "options" and item_type in {"scale", "boolean", "text"}:
            message = f"'options' applies only to choice items, not to {item_type} items"
        else:
            close = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1, cutoff=0.7)
            if key in KNOWN_KEYS:
                message = f"'{key}' does not belong here; it is a key of another part of the file"
            else:
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"unknown key '{key}'{hint}"
        return doc.problem(path, message, at_key=True)
    if kind == "missing":
        return doc.problem(path, f"missing required key '{loc[-1]}'")
    if kind == "union_tag_invalid":
        message = (
            f"unknown type '{ctx.get('tag')}'; use one of: "
            f"{ctx.get('expected_tags', '').replace(chr(39), '')}"
        )
        return doc.problem((*path, "type"), message)
    if kind == "union_tag_not_found":
        return doc.problem(path, "missing required key 'type'")
    if loc == ("version",) and kind in {"greater_than_equal", "less_than_equal"}:
        return doc.problem(path, f"version must be between 1 and {MAX_VERSION}, got {value!r}")
    if kind == "string_pattern_mismatch":
        return doc.problem(
            path,
            f"'{field}' must be a lowercase id of letters, digits and dashes "
            f"(like 'strategy-kpis'), got {value!r}",
        )
    if kind == "source_type":
        return doc.problem(
            path,
            "'source' should be an article number like \"004\" or "
            f'{{article: "004", quote: "…"}}, got {value!r}',
        )
    if kind == "string_too_short" and field == "quote":
        return doc.problem(
            path,
            "'quote' is empty: give the article's own words, verbatim, "
            'or name only the article (source: "004")',
        )
    if kind == "string_too_short" and field == "article":
        return doc.problem(path, "'article' is empty: give the article's number, like \"004\"")
    if kind == "literal_error":
        allowed = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return doc.problem(path, f"'{field}' should be one of {allowed}, got {value!r}")
    if kind in {"float_type", "float_parsing"}:
        return doc.problem(path, f"'{field}' should be a number, got {value!r}")
    if kind in {"int_type", "int_parsing"}:
        return doc.problem(path, f"'{field}' should be a whole number, got {value!r}")
    if kind in {"bool_type", "bool_parsing"}:
        return doc.problem(path, f"'{field}' should be true or false, got {value!r}")
    if kind == "list_type" and isinstance(value, str | int | float):
        return doc.problem(path, f"'{field}' should be a list, like [{value}], got {value!r}")
    if kind == "model_type":
        example = _EXAMPLES.get(str(ctx.get("class_name")), "")
        return doc.problem(path, f"'{field}' should be a mapping{example}, got {value!r}")
    message = str(error["msg"])
    if message.startswith("Value error, "):
        return doc.problem(path, f"{field}: {message.removeprefix('Value error, ')}")
    message = message.replace("Input should be", f"'{field}' should be", 1)
    if not isinstance(value, dict | list):
        message += f", got {value!r}"
    return doc.problem(path, message)
