"""Why a report shows no comparison of departments, in one sentence, so that a missing
section is explained rather than silently dropped."""

from __future__ import annotations

from assess.domain.questionnaire import Questionnaire
from assess.domain.report_scores import ReportScores
from assess.reporting.i18n import Translator


def why_no_comparison(
    questionnaire: Questionnaire, scores: ReportScores, translator: Translator
) -> str | None:
    """The sentence that says why the departments are not compared; None where they are
    (or where the questionnaire asks for no department)."""
    grouped = questionnaire.default_group_by()
    if not grouped or len(scores.result.groups.get(grouped[0], {})) >= 2:
        return None
    counts, k = scores.answered, scores.k
    large = sum(n >= k for n in counts.values())
    _ = translator.gettext
    if not counts:
        return _("The comparison by department is missing because no respondent gave one.")
    if large == 0:
        return _(
            "The comparison by department is missing because no department has at least "
            "%(k)s responses."
        ) % {"k": k}
    if large == 1:
        return _(
            "The comparison by department is missing because only one department has at "
            "least %(k)s responses."
        ) % {"k": k}
    return _(
        "The comparison by department is missing because, set side by side, the departments "
        "would let anyone work out the answers of fewer than %(k)s respondents."
    ) % {"k": k}
