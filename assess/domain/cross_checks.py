"""The rules of a questionnaire file that span several places: ids unique where they
share a namespace, stages ascending from 0, scales and their labels, choice options.
(What recommendations and the advice additions name is checked in `advice_checks`.)
They read the raw data and skip what is malformed, which the model's own validation
reports (see `validation`)."""

from __future__ import annotations

import difflib
from typing import Any

from assess.domain.questionnaire import NA_VALUE
from assess.domain.yamlfile import Document, Path, Problem


def value_at(data: Any, path: Path) -> Any:
    """The value at `path` in a file's raw data; None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def mappings(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """Entries of a list that are mappings, with their index; anything else is skipped."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def closest(name: str, known: list[str]) -> str:
    """' (did you mean 'x'?)' where a known name is close, else nothing."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def cross_checks(doc: Document) -> list[Problem]:
    """Rules that span several places; they read the raw data and skip what is malformed."""
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []
    problems += _unique_ids(doc)
    _check_stages(doc, problems)
    top_scale = data.get("scale") if isinstance(data.get("scale"), dict) else None
    check_scale(doc, ("scale",), top_scale, problems)
    for d, dimension in mappings(data.get("dimensions")):
        for i, item in mappings(dimension.get("items")):
            path: Path = ("dimensions", d, "items", i)
            if item.get("type") == "scale":
                _check_item_scale(doc, path, item, top_scale, problems)
            if item.get("type") == "choice":
                _check_options(doc, (*path, "options"), item.get("options"), problems)
    for p, question in mappings(data.get("profile")):
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
    for d, dimension in mappings(doc.data.get("dimensions")):
        places.append(("dimensions", d))
        places += [("dimensions", d, "items", i) for i, _ in mappings(dimension.get("items"))]
    places += [("profile", p) for p, _ in mappings(doc.data.get("profile"))]
    for path in places:
        value = value_at(doc.data, (*path, "id"))
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
    for d, dimension in mappings(doc.data.get("dimensions")):
        for r, rec in mappings(dimension.get("recommendations")):
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
    for i, entry in mappings(value_at(doc.data, path)):
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


def _check_stages(doc: Document, problems: list[Problem]) -> None:
    stages = mappings(doc.data.get("stages"))
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


def check_scale(
    doc: Document,
    path: Path,
    scale: dict[str, Any] | None,
    problems: list[Problem],
    what: str = "scale",
) -> None:
    """A scale's min lies below its max, and its labels lie on it."""
    if not scale:
        return
    low, high = scale.get("min"), scale.get("max")
    if not (isinstance(low, int) and isinstance(high, int)):
        return
    if low >= high:
        problems.append(
            doc.problem((*path, "min"), f"{what} min ({low}) must be below max ({high})")
        )
        return
    labels = scale.get("labels")
    for key in labels if isinstance(labels, dict) else {}:
        if _is_int(key) and not low <= key <= high:
            problems.append(
                doc.problem(
                    (*path, "labels", key),
                    f"label for {key} is outside the {what} {low}..{high}",
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
        check_scale(doc, path, effective, problems)


def _check_options(doc: Document, path: Path, options: Any, problems: list[Problem]) -> None:
    problems += _unique_within(doc, path, "value", "option value")
    for i, option in mappings(options):
        if str(option.get("value")).lower() == NA_VALUE:
            problems.append(
                doc.problem(
                    (*path, i, "value"),
                    f"'{NA_VALUE}' is reserved for 'not applicable'; use allow_na instead",
                )
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
