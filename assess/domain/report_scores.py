"""What a report shows of a set of responses, scored once: the figures with every group
that may not be shown left out (see assess.domain.disclosure), the trace of every score,
how many respondents gave each answer to the question the report groups by, and the
agenda of a consensus workshop. A report renders these; it never scores responses itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assess.domain.answers import Response, chunks_of
from assess.domain.disclosure import Disclosure
from assess.domain.explain import Explanation, explain
from assess.domain.grouping import MIN_GROUP_RESPONDENTS, group_key, profile_disclosure
from assess.domain.questionnaire import Questionnaire
from assess.domain.results import AssessmentResult
from assess.domain.scoring import respondent_scores, score_table, table_from_chunks
from assess.domain.workshop import Agenda, agenda_of


@dataclass(frozen=True)
class ReportScores:
    """The scored responses of one report."""

    result: AssessmentResult  # grouped by the questionnaire's default grouping
    explanation: Explanation
    respondents: int
    k: int  # the smallest group the figures may describe
    # Answers to the first question of the default grouping -> respondents who gave
    # them (those who gave none left out): why departments are not compared, if not.
    answered: dict[str, int]
    # The consensus workshop's agenda by the default grouping, within the same verdicts.
    agenda: Agenda | None = None


def report_scores(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    verdicts: Disclosure | None = None,
    *,
    targets: Mapping[str, str] | None = None,
    profile: Mapping[str, Any] | None = None,
    consensus: Mapping[str, Any] | None = None,
) -> ReportScores:
    """The report's scores of `responses`; which groups may be shown as `verdicts` say
    (a release's decision), else as the responses alone decide; advice for the
    `targets` set and the organisation's `profile` (see scoring.score_table); with
    `consensus`, after a workshop (see scoring.table_from_chunks)."""
    group_by = questionnaire.default_group_by()
    chunks = chunks_of(responses, questionnaire)
    table = table_from_chunks(questionnaire, chunks, group_by, keep_items=True, consensus=consensus)
    if verdicts is None:
        verdicts = profile_disclosure(questionnaire, responses, MIN_GROUP_RESPONDENTS)
    result = score_table(
        questionnaire,
        table,
        min_group=MIN_GROUP_RESPONDENTS,
        verdicts=verdicts,
        targets=targets,
        profile=profile,
    )
    explanation = explain(questionnaire, responses, respondent_scores(questionnaire, table))
    answered: Counter[str] = Counter()
    if group_by:
        for response in responses:
            key = group_key(response.profile.get(group_by[0]))
            if key is not None:
                answered[key] += 1
    agenda = agenda_of(questionnaire, responses, verdicts, group_by[0] if group_by else None)
    return ReportScores(result, explanation, len(responses), verdicts.k, dict(answered), agenda)
