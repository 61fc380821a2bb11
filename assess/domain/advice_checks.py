"""The rules of the advice additions that span several places: what a recommendation's
`when` names (stages, items, profile questions and their options), the importance scale,
each level's stage wording and the option value reserved for "can't judge"; `depends_on`
is checked in `dependency_checks`. Like `cross_checks`, they read the raw data and skip
what is malformed, which the model's own validation reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assess.domain.cross_checks import check_scale, closest, mappings
from assess.domain.dependency_checks import dependency_checks
from assess.domain.questionnaire import DK_VALUE
from assess.domain.yamlfile import Document, Path, Problem

CONDITIONS = ("stages", "below", "at_least", "items", "divergence", "dont_know", "profile")
BOOLEAN_WORDS = ("yes", "no", "true", "false")


@dataclass
class _Names:
    """The ids a rule may name, read from the raw data."""

    stages: list[str] = field(default_factory=list)
    dimensions: dict[str, list[str]] = field(default_factory=dict)  # id -> its item ids
    items: list[str] = field(default_factory=list)
    profile: dict[str, dict[str, Any]] = field(default_factory=dict)


def advice_checks(doc: Document) -> list[Problem]:
    """What the advice additions name exists, `depends_on` has no cycle, scales hold."""
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []
    names = _names(data)
    importance = data.get("importance")
    if isinstance(importance, dict):
        check_scale(doc, ("importance",), importance, problems, what="importance scale")
    for d, dimension in mappings(data.get("dimensions")):
        problems += _stage_wording(doc, ("dimensions", d), dimension, names)
        for i, item in mappings(dimension.get("items")):
            problems += _reserved_dont_know(doc, ("dimensions", d, "items", i), item)
        for r, recommendation in mappings(dimension.get("recommendations")):
            rule = recommendation.get("when")
            if isinstance(rule, dict):
                path: Path = ("dimensions", d, "recommendations", r, "when")
                problems += _rule(doc, path, rule, names)
    problems += dependency_checks(doc)
    return problems


def _names(data: dict[str, Any]) -> _Names:
    names = _Names()
    names.stages = [
        s["id"] for _, s in mappings(data.get("stages")) if isinstance(s.get("id"), str)
    ]
    for _, dimension in mappings(data.get("dimensions")):
        items = [
            i["id"] for _, i in mappings(dimension.get("items")) if isinstance(i.get("id"), str)
        ]
        if isinstance(dimension.get("id"), str):
            names.dimensions[dimension["id"]] = items
        names.items += items
    for _, question in mappings(data.get("profile")):
        if isinstance(question.get("id"), str):
            names.profile.setdefault(question["id"], question)
    return names


def _stage_wording(
    doc: Document, path: Path, dimension: dict[str, Any], names: _Names
) -> list[Problem]:
    """A level's own stage wording names stages of the file."""
    wording = dimension.get("stages")
    if not isinstance(wording, dict) or not names.stages:
        return []
    known = ", ".join(names.stages)
    return [
        doc.problem(
            (*path, "stages", stage),
            f"unknown stage '{stage}' in this level's stage wording; stages are: {known}",
            at_key=True,
        )
        for stage in wording
        if stage not in names.stages
    ]


def _reserved_dont_know(doc: Document, path: Path, item: dict[str, Any]) -> list[Problem]:
    """'dk' is what "can't judge" looks like in answers files where an item offers it."""
    if item.get("type") != "choice" or item.get("allow_dont_know") is not True:
        return []
    return [
        doc.problem(
            (*path, "options", o, "value"),
            f"'{DK_VALUE}' is reserved for \"can't judge\" on an item with allow_dont_know: "
            "true; give this option another value",
        )
        for o, option in mappings(item.get("options"))
        if str(option.get("value")).lower() == DK_VALUE
    ]


def _rule(doc: Document, path: Path, rule: dict[str, Any], names: _Names) -> list[Problem]:
    """A rule has a condition, and every stage, item and profile answer it names exists."""
    problems: list[Problem] = []
    if not any(rule.get(k) is not None for k in CONDITIONS):
        problems.append(doc.problem(path, "a rule needs a condition: " + ", ".join(CONDITIONS)))
    for kind, what in (("stages", "stage"), ("items", "item"), ("profile", "profile question")):
        if rule.get(kind) in ([], {}):
            problems.append(
                doc.problem(
                    (*path, kind), f"'{kind}' is empty: name at least one {what}, or leave it out"
                )
            )
    stages = rule.get("stages")
    for s, stage in enumerate(stages if isinstance(stages, list) else []):
        if isinstance(stage, str) and names.stages and stage not in names.stages:
            known = ", ".join(names.stages)
            problems.append(
                doc.problem((*path, "stages", s), f"unknown stage '{stage}'; stages are: {known}")
            )
    items = rule.get("items")
    for item_id, band in items.items() if isinstance(items, dict) else []:
        problems += _item_condition(doc, (*path, "items", item_id), item_id, band, names)
    profile = rule.get("profile")
    for question_id, wanted in profile.items() if isinstance(profile, dict) else []:
        problems += _profile_condition(
            doc, (*path, "profile", question_id), question_id, wanted, names
        )
    return problems


def _item_condition(
    doc: Document, path: Path, item_id: Any, band: Any, names: _Names
) -> list[Problem]:
    """An `items` condition names an item of the file and bounds its score."""
    problems: list[Problem] = []
    if item_id in names.dimensions:
        example = next(iter(names.dimensions[item_id]), "")
        such_as = f", such as '{example}'" if example else ""
        problems.append(
            doc.problem(
                path,
                f"'{item_id}' is a dimension, not an item: name one of its items{such_as}; "
                "for the dimension's own score use 'below' or 'at_least' beside 'items'",
                at_key=True,
            )
        )
    elif str(item_id) not in names.items:
        problems.append(
            doc.problem(
                path,
                f"unknown item '{item_id}'{closest(str(item_id), names.items)}",
                at_key=True,
            )
        )
    if isinstance(band, dict) and band.get("below") is None and band.get("at_least") is None:
        problems.append(
            doc.problem(
                path,
                f"the band of '{item_id}' needs 'below', 'at_least' or both, like {{below: 50}}",
            )
        )
    return problems


def _profile_condition(
    doc: Document, path: Path, question_id: Any, wanted: Any, names: _Names
) -> list[Problem]:
    """A `profile` condition names an organisation's choice, scale or yes/no question and
    answers that question can have."""
    question = names.profile.get(str(question_id))
    if question is None:
        known = list(names.profile)
        if question_id in names.dimensions:
            what = f"'{question_id}' is a dimension, not a profile question"
        else:
            what = f"unknown profile question '{question_id}'{closest(str(question_id), known)}"
        listed = (
            f"; profile questions are: {', '.join(known)}"
            if known
            else "; the file has no profile questions"
        )
        return [doc.problem(path, what + listed, at_key=True)]
    if question.get("scope") == "respondent":
        return [
            doc.problem(
                path,
                f"'{question_id}' is asked of each respondent, but a rule's conditions are about "
                "the organisation: name an organisation-scope question",
                at_key=True,
            )
        ]
    kind = question.get("type")
    if kind == "text":
        return [
            doc.problem(
                path,
                f"'{question_id}' is a free-text question; a rule can name only choice, scale "
                "and yes/no questions",
                at_key=True,
            )
        ]
    problems: list[Problem] = []
    for v, value in enumerate(wanted if isinstance(wanted, list) else []):
        message = _answer_problem(question, value)
        if message:
            problems.append(doc.problem((*path, v), message))
    return problems


def _answer_problem(question: dict[str, Any], value: Any) -> str | None:
    """Why `value` is not an answer `question` can have; None where it is."""
    question_id, kind = question.get("id"), question.get("type")
    if kind == "choice":
        options = [str(o.get("value")) for _, o in mappings(question.get("options"))]
        if isinstance(value, bool) or str(value) not in options:
            return (
                f"'{value}' is not an option of '{question_id}'"
                f"{closest(str(value), options)}; options are: {', '.join(options)}"
            )
    if kind == "boolean" and not (isinstance(value, bool) or str(value).lower() in BOOLEAN_WORDS):
        return f"'{question_id}' is a yes/no question: use yes, no, true or false, not {value!r}"
    if kind == "scale" and not _is_number(value):
        return f"'{question_id}' is a scale question: give numbers, not {value!r}"
    return None


def _is_number(value: Any) -> bool:
    """A number, or text that reads as one (answers are compared as text too)."""
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
