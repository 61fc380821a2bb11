"""What results leave out of a score output for anonymity, beyond the groups the
disclosure rule hides: extremes, items few answered, and which groups are missing."""

from __future__ import annotations

from typing import Any

from assess.domain.disclosure import Disclosure
from assess.domain.grouping import possible_groups
from assess.domain.questionnaire import Questionnaire
from assess.domain.results import AssessmentResult


def every_hidden_group(questionnaire: Questionnaire, output: dict[str, Any]) -> None:
    """Name every possible group that is not shown, chosen by anyone or not, so the
    list tells nobody whether a small group is empty."""
    hidden: dict[str, list[str]] = {}
    for question, groups in output["groups"].items():
        missing = [v for v in possible_groups(questionnaire, question, set()) if v not in groups]
        if missing:
            hidden[question] = missing
    output.pop("hidden_groups", None)
    if hidden:
        output["hidden_groups"] = hidden


def without_thin_items(trace_output: dict[str, Any], k: int) -> None:
    """Leave out the mean and the answers of an item fewer than k answered: they would
    describe those few (who skipped it is no secret kept from the figures)."""
    for dimension in trace_output["dimensions"]:
        for item in dimension["items"]:
            if item["answered"] + item["not_applicable"] < k:
                item["mean_score"] = None
                item["distribution"] = {}
                item["withheld"] = f"fewer than {k} answers"


def without_extremes(output: dict[str, Any]) -> None:
    """Leave out the lowest and highest scores: unlike sums, the extremes of two sets can
    single out the few who are in one and not the other (the highest of one above the
    highest of another belongs to one of those few), which no rule on sums rules out."""
    groups = [group for found in output["groups"].values() for group in found.values()]
    for figures in (output, *groups):
        for dimension in (figures or {}).get("dimensions", {}).values():
            dimension["min"] = dimension["max"] = None


def with_suppressed(
    questionnaire: Questionnaire,
    output: dict[str, Any],
    result: AssessmentResult,
    verdicts: Disclosure,
    within: tuple[str, str] | None,
) -> dict[str, Any]:
    """A study's output: every possible group listed, those not shown with the reason
    only, so the list tells nothing about who answered; and its k."""
    output["k"] = verdicts.k
    for question, groups in output["groups"].items():
        found = set(groups) | set(result.hidden.get(question, []))
        output["groups"][question] = {
            value: groups.get(value)
            or {"suppressed": True, "reason": verdicts.reason_within(question, value, within)}
            for value in possible_groups(questionnaire, question, found)
        }
    output.pop("hidden_groups", None)
    return output
