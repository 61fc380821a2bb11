"""Validate a questionnaire file and report every problem as `file:line:column: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError

from assess.domain.questionnaire import MAX_VERSION, NA_VALUE, Questionnaire
from assess.domain.yamlfile import Document, FileProblems, Path, Problem, load_yaml, read_text

_SCALE_ONLY = {"reverse", "min", "max", "labels"}


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
        problems.extend(_explain(doc, error) for error in exc.errors())
    problems.extend(_cross_checks(doc))
    if problems or questionnaire is None:
        raise FileProblems(sorted(set(problems)))
    return questionnaire


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
        parent = _at(doc.data, path[:-1])
        item_type = parent.get("type") if isinstance(parent, dict) else None
        if key in _SCALE_ONLY and item_type in {"choice", "boolean", "text"}:
            message = f"'{key}' applies only to scale items, not to {item_type} items"
        elif key == "options" and item_type in {"scale", "boolean", "text"}:
            message = f"'options' applies only to choice items, not to {item_type} items"
        else:
            close = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1, cutoff=0.7)
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
    message = str(error["msg"])
    if message.startswith("Value error, "):
        return doc.problem(path, f"{field}: {message.removeprefix('Value error, ')}")
    message = message.replace("Input should be", f"'{field}' should be", 1)
    if not isinstance(value, dict | list):
        message += f", got {value!r}"
    return doc.problem(path, message)


def _at(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """Entries of a list that are mappings, with their index; anything else is skipped."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _cross_checks(doc: Document) -> list[Problem]:
    """Rules that span several places; they read the raw data and skip what is malformed."""
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []
    problems += _unique_ids(doc)
    stage_ids = _check_stages(doc, problems)
    top_scale = data.get("scale") if isinstance(data.get("scale"), dict) else None
    _check_scale(doc, ("scale",), top_scale, problems)
    for d, dimension in _dicts(data.get("dimensions")):
        for i, item in _dicts(dimension.get("items")):
            path: Path = ("dimensions", d, "items", i)
            if item.get("type") == "scale":
                _check_item_scale(doc, path, item, top_scale, problems)
            if item.get("type") == "choice":
                _check_options(doc, (*path, "options"), item.get("options"), problems)
        for r, rec in _dicts(dimension.get("recommendations")):
            rule = rec.get("when")
            if not isinstance(rule, dict):
                continue
            rpath: Path = ("dimensions", d, "recommendations", r, "when")
            if not any(rule.get(k) is not None for k in ("stages", "below", "at_least")):
                problems.append(doc.problem(rpath, "a rule needs 'stages', 'below' or 'at_least'"))
            named = rule.get("stages")
            for s, stage in enumerate(named if isinstance(named, list) else []):
                if isinstance(stage, str) and stage_ids and stage not in stage_ids:
                    known = ", ".join(stage_ids)
                    problems.append(
                        doc.problem(
                            (*rpath, "stages", s), f"unknown stage '{stage}'; stages are: {known}"
                        )
                    )
    for p, question in _dicts(data.get("profile")):
        path = ("profile", p)
        if question.get("type") == "scale":
            _check_item_scale(doc, path, question, top_scale, problems)
        if question.get("type") == "choice":
            _check_options(doc, (*path, "options"), question.get("options"), problems)
    return problems


def _unique_ids(doc: Document) -> list[Problem]:
    """Dimension, item and profile ids share one namespace: they are CSV columns and keys."""
    problems: list[Problem] = []
    seen: dict[str, int] = {"respondent": 0}
    places: list[Path] = []
    for d, dimension in _dicts(doc.data.get("dimensions")):
        places.append(("dimensions", d))
        places += [("dimensions", d, "items", i) for i, _ in _dicts(dimension.get("items"))]
    places += [("profile", p) for p, _ in _dicts(doc.data.get("profile"))]
    for path in places:
        value = _at(doc.data, (*path, "id"))
        if not isinstance(value, str):
            continue
        line = doc.problem((*path, "id"), "").line
        if value in seen:
            where = (
                "is reserved for the respondent column"
                if seen[value] == 0
                else (f"is already used at line {seen[value]}")
            )
            problems.append(doc.problem((*path, "id"), f"duplicate id '{value}': it {where}"))
        else:
            seen[value] = line
    for group in ("stages",):
        problems += _unique_within(doc, (group,), "id", "stage id")
    rec_ids: dict[str, int] = {}
    for d, dimension in _dicts(doc.data.get("dimensions")):
        for r, rec in _dicts(dimension.get("recommendations")):
            value = rec.get("id")
            path = ("dimensions", d, "recommendations", r, "id")
            if isinstance(value, str) and value in rec_ids:
                problems.append(
                    doc.problem(
                        path,
                        f"duplicate recommendation id '{value}' (first at line {rec_ids[value]})",
                    )
                )
            elif isinstance(value, str):
                rec_ids[value] = doc.problem(path, "").line
    return problems


def _unique_within(doc: Document, path: Path, key: str, what: str) -> list[Problem]:
    problems = []
    seen: dict[Any, int] = {}
    for i, entry in _dicts(_at(doc.data, path)):
        value = entry.get(key)
        if value is None or isinstance(value, dict | list):
            continue
        spot = doc.problem((*path, i, key), "")
        if value in seen:
            problems.append(
                doc.problem(
                    (*path, i, key), f"duplicate {what} '{value}' (first at line {seen[value]})"
                )
            )
        else:
            seen[value] = spot.line
    return problems


def _check_stages(doc: Document, problems: list[Problem]) -> list[str]:
    stages = _dicts(doc.data.get("stages"))
    previous: float | None = None
    for position, (i, stage) in enumerate(stages):
        score = stage.get("min_score")
        if not isinstance(score, int | float) or isinstance(score, bool):
            continue
        path: Path = ("stages", i, "min_score")
        if position == 0 and score != 0:
            problems.append(doc.problem(path, f"the first stage must start at 0, not {score}"))
        if previous is not None and score <= previous:
            problems.append(
                doc.problem(path, f"stages must ascend: min_score {score} is not above {previous}")
            )
        previous = score
    return [s["id"] for _, s in stages if isinstance(s.get("id"), str)]


def _check_scale(
    doc: Document, path: Path, scale: dict[str, Any] | None, problems: list[Problem]
) -> None:
    if not scale:
        return
    low, high = scale.get("min"), scale.get("max")
    if not (isinstance(low, int) and isinstance(high, int)):
        return
    if low >= high:
        problems.append(
            doc.problem((*path, "min"), f"scale min ({low}) must be below max ({high})")
        )
        return
    labels = scale.get("labels")
    for key in labels if isinstance(labels, dict) else {}:
        if _is_int(key) and not low <= key <= high:
            problems.append(
                doc.problem(
                    (*path, "labels", key),
                    f"label for {key} is outside the scale {low}..{high}",
                    at_key=True,
                )
            )


def _check_item_scale(
    doc: Document,
    path: Path,
    item: dict[str, Any],
    top: dict[str, Any] | None,
    problems: list[Problem],
) -> None:
    effective = {
        "min": item.get("min", (top or {}).get("min")),
        "max": item.get("max", (top or {}).get("max")),
        "labels": item.get("labels"),
    }
    if effective["min"] is None or effective["max"] is None:
        problems.append(
            doc.problem(
                path, "no scale for this item: add a top-level 'scale' or give it 'min' and 'max'"
            )
        )
        return
    if "min" in item or "max" in item or "labels" in item:
        _check_scale(doc, path, effective, problems)


def _check_options(doc: Document, path: Path, options: Any, problems: list[Problem]) -> None:
    problems += _unique_within(doc, path, "value", "option value")
    for i, option in _dicts(options):
        if str(option.get("value")).lower() == NA_VALUE:
            problems.append(
                doc.problem(
                    (*path, i, "value"),
                    f"'{NA_VALUE}' is reserved for 'not applicable'; use allow_na instead",
                )
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
