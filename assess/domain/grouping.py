"""Groups of respondents by their answers to profile questions: which questions a
result is grouped by, each answer as the name of its group, the groups' order, and
which groups may be shown (see `disclosure`)."""

from __future__ import annotations

from collections.abc import Sequence

from assess.domain.answers import SKIPPED, DontKnow, NotApplicable, Response
from assess.domain.disclosure import Disclosure, disclose
from assess.domain.questionnaire import DK_VALUE, NA_VALUE, Questionnaire

# Breakdowns of one organisation (by department, or any profile question) that the
# service shows never describe fewer respondents than this.
MIN_GROUP_RESPONDENTS = 3


class UnknownQuestion(ValueError):
    """A group-by names no profile question of the questionnaire."""


def group_key(value: object) -> str | None:
    """A profile answer as the name of its group: options as they are, yes/no, numbers."""
    if value is None or value is SKIPPED:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def written_answer(answer: object) -> str | None:
    """An answer as an answers file writes it (group_key's spelling, "na" and "dk"
    added); None for a skipped one."""
    if isinstance(answer, NotApplicable):
        return NA_VALUE
    if isinstance(answer, DontKnow):
        return DK_VALUE
    return group_key(answer)


def check_group_by(questionnaire: Questionnaire, group_by: Sequence[str]) -> None:
    """Raise UnknownQuestion unless every name is a profile question."""
    for name in group_by:
        if questionnaire.profile_question(name) is None:
            known = ", ".join(q.id for q in questionnaire.profile) or "none"
            raise UnknownQuestion(
                f"cannot group by '{name}': it is not a profile question "
                f"(profile questions: {known})"
            )


def resolve_group_by(questionnaire: Questionnaire, group_by: Sequence[str] | None) -> list[str]:
    """The questions to group by: as asked, else `department` when it is respondent-scope."""
    names = questionnaire.default_group_by() if group_by is None else list(group_by)
    check_group_by(questionnaire, names)
    return names


def profile_disclosure(
    questionnaire: Questionnaire, responses: Sequence[Response], k: int
) -> Disclosure:
    """The verdicts on the groups of every profile question at once. Whatever a request
    groups by, its groups must be hidden as these say: verdicts over the asked question
    alone would show, say, a team of four to one request and a tenure of three to the
    next, and if those differ by one person, subtracting gives that person's answers."""
    keys = {
        p.id: [group_key(r.profile.get(p.id)) for r in responses] for p in questionnaire.profile
    }
    return disclose(keys, len(responses), k)


def ordered_groups(questionnaire: Questionnaire, question: str, found: set[str]) -> list[str]:
    """Groups in the order of the question's options, anything else after, sorted."""
    profile = questionnaire.profile_question(question)
    options = [o.value for o in getattr(profile, "options", [])]
    return [o for o in options if o in found] + sorted(k for k in found if k not in options)


def possible_groups(questionnaire: Questionnaire, question: str, found: set[str]) -> list[str]:
    """Every group a question can have, found or not, in its order (anything else found
    after, sorted): a group nobody is in is listed like a small one."""
    profile = questionnaire.profile_question(question)
    if profile is None:
        return sorted(found)
    if profile.type == "choice":
        possible = [o.value for o in profile.options]
    elif profile.type == "boolean":
        possible = ["yes", "no"]
    elif profile.type == "scale":
        low, high = questionnaire.scale_of(profile)
        possible = [str(v) for v in range(low, high + 1)]
    else:
        possible = []
    return possible + sorted(found - set(possible))
