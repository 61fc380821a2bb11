"""The report's benchmark section: the organisation among the peer group the report
uses, level by level, with a radar of its scores and the peers' medians."""

from __future__ import annotations

from dataclasses import dataclass

from assess.domain.benchmarking import ATTRIBUTES, OVERALL, Group, GroupKind
from assess.domain.catalogue import organisation_choices
from assess.domain.comparison import Comparison, OwnFigures, Skipped
from assess.domain.peer_figures import PeerFigures
from assess.domain.questionnaire import Questionnaire, localized
from assess.reporting import charts
from assess.reporting.i18n import Translator


@dataclass(frozen=True)
class PeerLine:
    """One level (or overall) against the peer group."""

    name: str
    own: OwnFigures
    peers: PeerFigures | None


@dataclass(frozen=True)
class PeerSection:
    """What the benchmark section shows."""

    group: str  # the peer group used, in the reader's words
    organisations: int
    passed_over: list[str]  # more specific groups not used, each with why
    k: int
    lines: list[PeerLine]
    radar_svg: str


def peer_section(
    questionnaire: Questionnaire,
    comparison: Comparison | None,
    *,
    language: str,
    organisation: str,
    translator: Translator,
    accent: str | None = None,
) -> PeerSection | None:
    """The section, or None when no peer group may be shown (then there is none)."""
    if comparison is None or comparison.used is None:
        return None
    _ = translator.gettext
    used = comparison.used
    names = {
        OVERALL: _("Overall"),
        **{d.id: localized(d.name, language) for d in questionnaire.dimensions},
    }
    order = [OVERALL, *(d.id for d in questionnaire.dimensions)]
    lines = [
        PeerLine(names[s], comparison.own[s], comparison.peers.get(s, {}).get(used))
        for s in order
        if s in comparison.own
    ]
    levels = lines[1:]
    peer_label = _("Peer median")
    radar = charts.radar(
        [line.name for line in levels],
        {
            organisation: [line.own.score for line in levels],
            peer_label: [line.peers.median if line.peers else None for line in levels],
        },
        _("Scores per level and the peer group's median"),
        accent=accent,
    )
    organisations = next(line.peers.n for line in lines if line.peers is not None)
    labels = _option_labels(questionnaire, language)
    return PeerSection(
        group=group_name(used, translator, labels),
        organisations=organisations,
        passed_over=[_skipped(s, comparison.k, translator, labels) for s in comparison.skipped],
        k=comparison.k,
        lines=lines,
        radar_svg=radar,
    )


def _option_labels(questionnaire: Questionnaire, language: str) -> dict[tuple[str, str], str]:
    """(question, option value) -> the option's label in `language`: the questionnaire's
    own, else the default questionnaire's, whose values organisations choose from."""
    default = {
        (attribute, option.value): localized(option.label, language)
        for attribute, options in organisation_choices().items()
        for option in options
    }
    return default | {
        (question.id, option.value): localized(option.label, language)
        for question in questionnaire.profile
        for option in getattr(question, "options", [])
    }


def group_name(
    group: Group, translator: Translator, labels: dict[tuple[str, str], str] | None = None
) -> str:
    """A peer group as readers know it: "same industry (Retail)", with the questionnaire's
    option labels where `labels` has them, else the stored values."""
    _ = translator.gettext
    labels = labels or {}
    values = ", ".join(
        labels.get((question, value), value)
        for question, value in zip(ATTRIBUTES[group.kind], group.values, strict=True)
    )
    return {
        GroupKind.all: _("all organisations in the pool"),
        GroupKind.industry: _("same industry (%(values)s)"),
        GroupKind.size: _("same size band (%(values)s)"),
        GroupKind.country: _("same country (%(values)s)"),
        GroupKind.industry_size: _("same industry and size band (%(values)s)"),
    }[group.kind] % {"values": values}


def _skipped(
    skipped: Skipped, k: int, translator: Translator, labels: dict[tuple[str, str], str]
) -> str:
    """Why the report did not use a group, naming the attribute missing or the group's
    values: "same industry (Retail): fewer than 5 organisations in the pool, at least 5
    needed"; never how many it has."""
    _ = translator.gettext
    if skipped.group is None:
        kinds = {
            GroupKind.industry_size: _("same industry and size band"),
            GroupKind.industry: _("same industry"),
        }
        names = {
            ("industry",): _("industry"),
            ("size",): _("number of employees"),
            ("industry", "size"): _("industry and number of employees"),
        }
        missing = names.get(skipped.missing, ", ".join(skipped.missing))
        why = _("%(attributes)s not given for this organisation") % {"attributes": missing}
        return f"{kinds.get(skipped.kind, skipped.kind.value)}: {why}"
    name = group_name(skipped.group, translator, labels)
    if skipped.reason.startswith("fewer than"):
        why = _("fewer than %(k)s organisations in the pool, at least %(k)s needed") % {"k": k}
    elif skipped.near is not None:
        why = _(
            "differs from the group “%(group)s” by fewer than %(k)s organisations (their "
            "scores could be worked out)"
        ) % {"group": group_name(skipped.near, translator, labels), "k": k}
    else:
        why = _("too close to a broader group that is shown")
    return f"{name}: {why}"
