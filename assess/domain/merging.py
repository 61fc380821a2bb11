"""Departments merged into one named group for the results ("Leitung und Vertrieb" =
management + sales): a department too small to be shown on its own is then shown within
a group of k or more. A merged group is simply another grouping of the respondents: the
results count each response of a merged department in its group, and the disclosure
rule weighs those groups like any other (with the groups of earlier releases as they
were then)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assess.domain.answers import Response
from assess.domain.questionnaire import ProfileChoice, ProfileOption, Questionnaire, localized

DEPARTMENT = "department"
MAX_NAME = 64
# Joins the departments of a group into its key: no option value holds it, and it
# needs no escaping in a query string (results?filter=department:sales.management).
KEY_JOIN = "."


class MergeError(ValueError):
    """Groups that cannot be kept; each problem says what to change."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DepartmentGroup:
    """Departments whose respondents the results count as one group, under one name."""

    name: str
    departments: tuple[str, ...]  # option values, in the questionnaire's order

    @property
    def key(self) -> str:
        """The group's value in the results: made of its departments, so that the same
        departments are the same group whatever it is called."""
        return KEY_JOIN.join(self.departments)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as stored and as the API shows it."""
        return {"name": self.name, "departments": list(self.departments), "key": self.key}


Groups = tuple[DepartmentGroup, ...]


def groups_from(stored: Sequence[Mapping[str, Any]] | None) -> Groups:
    """Groups as they were stored (checked when they were set)."""
    return tuple(
        DepartmentGroup(str(g["name"]), tuple(str(d) for d in g["departments"]))
        for g in stored or ()
    )


def stored_groups(groups: Groups) -> list[dict[str, Any]] | None:
    """Groups as they are stored; None for none."""
    return [{"name": g.name, "departments": list(g.departments)} for g in groups] or None


def department_options(questionnaire: Questionnaire) -> list[ProfileOption]:
    """The options of the questionnaire's department question; none without one."""
    question = questionnaire.profile_question(DEPARTMENT)
    return list(question.options) if isinstance(question, ProfileChoice) else []


def checked_groups(
    questionnaire: Questionnaire, entries: Sequence[tuple[str, Sequence[str]]]
) -> Groups:
    """Groups from (name, departments) pairs; MergeError naming every problem and the
    departments there are."""
    order = [o.value for o in department_options(questionnaire)]
    if not order and entries:
        raise MergeError(["this questionnaire asks for no department, so none can be merged"])
    problems: list[str] = []
    taken: dict[str, str] = {}
    names: set[str] = set()
    groups: list[DepartmentGroup] = []
    for raw_name, departments in entries:
        name = " ".join(raw_name.split())
        if not name or len(name) > MAX_NAME:
            problems.append(f"each group needs a name of 1 to {MAX_NAME} characters")
            continue
        if name.casefold() in names:
            problems.append(f"'{name}': two groups have this name; give each its own")
        names.add(name.casefold())
        unknown = sorted({d for d in departments if d not in order})
        if unknown:
            problems.append(
                f"'{name}': unknown department {', '.join(unknown)}; use one of: {', '.join(order)}"
            )
        chosen = [d for d in order if d in departments]
        if len(chosen) < 2:
            problems.append(f"'{name}': choose at least two departments to merge")
        for department in chosen:
            if department in taken:
                problems.append(
                    f"'{name}': {department} is merged into '{taken[department]}' already; "
                    "each department can be in one group only"
                )
            taken.setdefault(department, name)
        groups.append(DepartmentGroup(name, tuple(chosen)))
    if problems:
        raise MergeError(problems)
    return tuple(groups)


def group_of(groups: Groups) -> dict[str, DepartmentGroup]:
    """Per merged department, its group."""
    return {d: g for g in groups for d in g.departments}


def merged_responses(responses: Sequence[Response], groups: Groups) -> list[Response]:
    """The responses with each merged department's answer replaced by its group's key."""
    if not groups:
        return list(responses)
    into = group_of(groups)
    merged = []
    for response in responses:
        group = into.get(str(response.profile.get(DEPARTMENT)))
        if group is not None:
            response = replace(response, profile={**response.profile, DEPARTMENT: group.key})
        merged.append(response)
    return merged


def merged_questionnaire(questionnaire: Questionnaire, groups: Groups) -> Questionnaire:
    """The questionnaire as the results read it: the department question's merged options
    replaced by one option per group (where its first department stood), named as the
    consultant named it in every language."""
    question = questionnaire.profile_question(DEPARTMENT)
    if not groups or not isinstance(question, ProfileChoice):
        return questionnaire
    into = group_of(groups)
    options: list[ProfileOption] = []
    for option in question.options:
        group = into.get(option.value)
        if group is None:
            options.append(option)
        elif group.departments[0] == option.value:
            label = dict.fromkeys(questionnaire.languages, group.name)
            options.append(ProfileOption.model_construct(value=group.key, label=label))
    merged = question.model_copy(update={"options": options})
    profile = [merged if q.id == DEPARTMENT else q for q in questionnaire.profile]
    return questionnaire.model_copy(update={"profile": profile})


@dataclass(frozen=True)
class SmallDepartment:
    """A department (or merged group) with fewer invitees than the smallest group the
    results show, and the smallest other one it could be merged with."""

    value: str
    label: str
    invited: int
    partner: str | None  # label of the department to merge it with; None: no other


def small_departments(
    questionnaire: Questionnaire,
    invited: Mapping[str, int],
    groups: Groups,
    k: int,
    language: str,
) -> list[SmallDepartment]:
    """Departments and merged groups with 1 to k - 1 invitees, in the questionnaire's
    order: shown on their own, their figures would describe fewer than k people, so the
    results leave them out (and perhaps another group with them)."""
    results = merged_questionnaire(questionnaire, groups)
    into = group_of(groups)
    counts: dict[str, int] = {}
    for department, n in invited.items():
        key = into[department].key if department in into else department
        counts[key] = counts.get(key, 0) + n
    labels = {o.value: localized(o.label, language) for o in department_options(results)}
    present = [value for value in labels if counts.get(value, 0) > 0]
    small = []
    for value in present:
        n = counts[value]
        if n >= k:
            continue
        others = sorted(
            (v for v in present if v != value), key=lambda v: (counts[v], present.index(v))
        )
        partner = labels[others[0]] if others else None
        small.append(SmallDepartment(value, labels[value], n, partner))
    return small
