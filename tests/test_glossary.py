"""Every text people read keeps to docs/GLOSSARY.md: no German text uses a word the glossary
bans, no English one calls "not applicable" anything else or uses a banned word, and the
pages, the report and the terminal give each concept the same term."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from assess.cli import terminal, terminal_advice
from assess.domain import export_leads, item_details, variables, versions_words, workshop_words
from assess.domain.questionnaire import Questionnaire, ScaleItem
from assess.domain.validation import load_questionnaire
from assess.mail.content.defaults import DEFAULTS
from assess.research import codebook, codebook_notes, sav

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    "pages": ROOT / "assess" / "web" / "locale" / "de" / "LC_MESSAGES" / "messages.po",
    "report": ROOT / "assess" / "reporting" / "locale" / "de" / "LC_MESSAGES" / "messages.po",
}
TEMPLATES = [
    *sorted((ROOT / "assess" / "web" / "templates").rglob("*.j2")),
    *sorted((ROOT / "report_templates").glob("*.j2")),
]

# What the glossary bans in German, each with the term to write instead.
GERMAN_BANS = {
    "Teilnehmende (Befragte)": r"\bTeilnehmer|\b[Tt]eilnehmende",
    "Befragung, Umfrage (Erhebung)": r"Befragung|Umfrage",
    "Bereich (Abteilung)": r"[Bb]ereich",
    "Item (Aussage oder Frage)": r"\bItem",
    "Touchpoint (Kontaktpunkt)": r"[Tt]ouchpoint",
    "trifft … zu (Nicht anwendbar; stimme … zu)": r"\b[Tt]rifft\b",
    "k. A. (nicht anwendbar)": r"\bk\. ?A\.",
    "Nicht beurteilbar, weiß nicht (Kann ich nicht beurteilen)": r"[Bb]eurteilbar|[Ww]eiß nicht",
    "Ansprechperson (Hauptansprechperson)": r"(?<![Hh]aupt)[Aa]nsprechperson",
    "Lücke (Abstand)": r"Lücke",
    "Benchmark (Vergleich mit anderen Organisationen)": r"[Bb]enchmark",
    "Roadmap (Fahrplan)": r"Roadmap",
    "Dimension (Ebene)": r"Dimension",
    "Kundenreise (Customer Journey)": r"Kundenreise",
    "Kundenerfahrung (Kundenerlebnis)": r"Kundenerfahrung",
    "Zeithorizont (Zeitraum)": r"Zeithorizont",
    "Maßnahme (Empfehlung, Schritt)": r"Maßnahme",
    "Peergroup (Vergleichsgruppe)": r"Peer-?[Gg]roup",
    "übersprungen (ausgelassen)": r"übersprungen",
}
# What the glossary bans in English.
ENGLISH_BANS = {
    "does not apply (Not applicable; agree)": r"\bappl(?:y|ies)\b",
    "survey (assessment, study)": r"\bsurveys?\b",
    "participant (respondent)": r"\bparticipants?\b",
    "dimension (level)": r"\bdimensions?\b",
    "don't know (Can't judge)": r"\bdon't know\b",
    "maturity level (stage; a level is an Ebene)": r"\bmaturity levels?\b",
    "touch point (touchpoint)": r"\btouch points?\b",
}
# The few places where a banned word is the right one: (texts, ban) -> why.
EXCEPTIONS = {
    ("research files", "Item (Aussage oder Frage)"): (
        "researchers call statements and questions alike items; the codebook, export labels "
        "and item statistics keep the word (glossary: item)"
    ),
    ("version comparison", "Item (Aussage oder Frage)"): (
        "the comparison of two versions names the parts of the file format, whose `items` "
        "are statements and questions alike"
    ),
}
# Version 1 is immutable: its assessments keep scoring with the agreement scale they were
# answered on ("trifft … zu" / "does not apply at all"); every later file uses the new one.
OLD_SCALE = ("cx-maturity", 1)


def catalogue(name: str) -> dict[str, str]:
    """A catalogue's German texts by English message id (plural forms: the singular's)."""
    with CATALOGUES[name].open("rb") as handle:
        messages = read_po(handle)
    texts = {}
    for message in messages:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        string = message.string[0] if isinstance(message.string, tuple) else message.string
        texts[msgid] = string
    return texts


def plural_strings(name: str) -> Iterator[tuple[str, str]]:
    """Every German text of a catalogue, plural forms too, with its message id."""
    with CATALOGUES[name].open("rb") as handle:
        messages = read_po(handle)
    for message in messages:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield from ((msgid, string) for string in strings)


def _language(table: Mapping[Any, dict[str, str]], language: str) -> list[str]:
    return [words[language] for words in table.values()]


def workshop_texts(language: str) -> dict[str, str]:
    """The fixed words of a workshop's agenda: why nothing is discussed, the question."""
    texts = {str(reason): words[language] for reason, words in workshop_words.REASONS.items()}
    return {
        **texts,
        "ask": workshop_words.ASK[language],
        "hidden": workshop_words.HIDDEN[language],
    }


def german_texts() -> Iterator[tuple[str, str, str]]:
    """(texts, where, text) for every German text people read."""
    for name in CATALOGUES:
        for msgid, string in plural_strings(name):
            yield f"{name} catalogue", msgid, string
    for where, words in (
        ("terminal", terminal.LABELS["de"]),
        ("terminal", terminal_advice.LABELS["de"]),
        ("terminal", item_details.WORDS["de"]),
        ("version comparison", versions_words.EFFECTS["de"]),
        ("version comparison", versions_words.SUBJECTS["de"]),
        ("version comparison", versions_words.FIELDS["de"]),
        ("version comparison", versions_words.VALUES["de"]),
        ("version comparison", versions_words.PHRASES["de"]),
        ("workshop", workshop_texts("de")),
    ):
        yield from ((where, str(key), text) for key, text in words.items())
    for (kind, language), mail in DEFAULTS.items():
        if language == "de":
            yield "e-mails", kind.value, f"{mail.subject}\n{mail.body}"
    for key, text in enumerate(research_texts("de")):
        yield "research files", str(key), text


def english_texts() -> Iterator[tuple[str, str, str]]:
    """(texts, where, text) for every English text people read."""
    for name in CATALOGUES:
        for msgid in catalogue(name):
            yield f"{name} catalogue", msgid, msgid
    for path in TEMPLATES:
        for _line, message, _comments, _context in extract_from_file(
            "jinja2.ext:babel_extract", path
        ):
            for text in message if isinstance(message, tuple) else (message,):
                yield "templates", path.name, text
        yield "templates", path.name, template_text(path)
    for where, words in (
        ("terminal", terminal.LABELS["en"]),
        ("terminal", terminal_advice.LABELS["en"]),
        ("terminal", item_details.WORDS["en"]),
        ("version comparison", versions_words.EFFECTS["en"]),
        ("version comparison", versions_words.SUBJECTS["en"]),
        ("version comparison", versions_words.FIELDS["en"]),
        ("version comparison", versions_words.VALUES["en"]),
        ("version comparison", versions_words.PHRASES["en"]),
        ("workshop", workshop_texts("en")),
    ):
        yield from ((where, str(key), text) for key, text in words.items())
    for (kind, language), mail in DEFAULTS.items():
        if language == "en":
            yield "e-mails", kind.value, f"{mail.subject}\n{mail.body}"
    for key, text in enumerate(research_texts("en")):
        yield "research files", str(key), text


def research_texts(language: str) -> list[str]:
    """The codebook's, the export labels' and the SPSS file's texts in a language."""
    notes = (codebook_notes.LEAD_RULE, codebook_notes.IMPORTANCE_RULE, codebook_notes.LEAD_PRIVACY)
    return [
        *_language(codebook.WORDS, language),
        *codebook.SCORING[language],
        codebook.MISSING_TEXT[language],
        *codebook.PRIVACY[language],
        *(note[language] for note in notes),
        *_language(variables.STATUS_LABELS, language),
        export_leads.LEAD[language],
        sav.PSEUDONYM[language],
        *_language(sav.LEAD_VALUES, language),
    ]


def template_text(path: Path) -> str:
    """The words a template writes outside its Jinja tags and its HTML markup."""
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", path.read_text(), flags=re.DOTALL)
    return re.sub(r"<[^>]*>", " ", text)


def banned_words(
    texts: Iterator[tuple[str, str, str]], bans: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(texts, where, ban, the text) for each banned word outside the exceptions."""
    found = []
    for group, where, text in texts:
        for ban, pattern in bans.items():
            if (group, ban) not in EXCEPTIONS and re.search(pattern, text):
                found.append((group, where, ban, text))
    return found


def test_no_german_text_uses_a_word_the_glossary_bans() -> None:
    assert banned_words(german_texts(), GERMAN_BANS) == []


def test_no_german_template_text_stands_outside_the_catalogues() -> None:
    # A template writes its words through _(); a German word in its markup would escape
    # both the translation and the check above.
    found = [
        (path.name, ban)
        for path in TEMPLATES
        for ban, pattern in GERMAN_BANS.items()
        if re.search(pattern, template_text(path))
    ]
    assert found == []


def test_no_english_text_uses_a_word_the_glossary_bans() -> None:
    assert banned_words(english_texts(), ENGLISH_BANS) == []


@pytest.mark.parametrize(
    ("group", "ban"), sorted(EXCEPTIONS), ids=[f"{g}: {b}" for g, b in sorted(EXCEPTIONS)]
)
def test_each_exception_is_still_needed(group: str, ban: str) -> None:
    texts = german_texts() if ban in GERMAN_BANS else english_texts()
    pattern = {**GERMAN_BANS, **ENGLISH_BANS}[ban]
    assert any(g == group and re.search(pattern, text) for g, _where, text in texts)


def test_the_ban_finds_a_banned_word_where_it_would_come_back() -> None:
    texts = iter([("pages catalogue", "Department", "Bereich"), ("terminal", "x", "Lücke")])
    assert [ban for _g, _w, ban, _t in banned_words(texts, GERMAN_BANS)] == [
        "Bereich (Abteilung)",
        "Lücke (Abstand)",
    ]
    assert banned_words(iter([("e-mails", "x", "Hauptansprechperson")]), GERMAN_BANS) == []
    english = iter([("templates", "x", "Choose 'does not apply' for this survey.")])
    assert len(banned_words(english, ENGLISH_BANS)) == 2


PAGE_TERMS = {
    "Not applicable": "Nicht anwendbar",
    "Can't judge": "Kann ich nicht beurteilen",
    "Assessment": "Erhebung",
    "Respondents": "Befragte",
    "Respondent": "Befragte Person",
    "Department": "Abteilung",
    "Lead": "Hauptansprechperson",
    "Level": "Ebene",
    "Levels": "Ebenen",
    "Stage": "Stufe",
    "Target stage": "Zielstufe",
    "Gap": "Abstand",
    "Importance": "Wichtigkeit",
    "Priority": "Priorität",
    "Roadmap": "Fahrplan",
    "Now": "Sofort",
    "Next up": "Als Nächstes",
    "Later": "Später",
    "Recommendations": "Empfehlungen",
    "Peer group": "Vergleichsgruppe",
}
REPORT_TERMS = {
    "can't judge": "kann ich nicht beurteilen",
    "n/a": "nicht anwendbar",
    "Assessment": "Erhebung",
    "Respondents": "Befragte",
    "Level": "Ebene",
    "Stage": "Stufe",
    "Target": "Zielstufe",
    "Importance": "Wichtigkeit",
    "Roadmap": "Fahrplan",
    "Now (first 90 days)": "Sofort – erste 90 Tage",
    "Next (3–12 months)": "Als Nächstes – 3 bis 12 Monate",
    "Later": "Später",
    "Recommendations": "Empfehlungen",
    "Concentrate here": "Hier konzentrieren",
    "Keep up the good work": "Weiter so",
    "Low priority": "Geringe Priorität",
    "Possible overkill": "Möglicherweise zu viel Aufwand",
    "Peer group": "Vergleichsgruppe",
}


@pytest.mark.parametrize(("name", "terms"), [("pages", PAGE_TERMS), ("report", REPORT_TERMS)])
def test_the_catalogues_give_each_concept_its_glossary_term(
    name: str, terms: dict[str, str]
) -> None:
    texts = catalogue(name)
    assert {msgid: texts.get(msgid) for msgid in terms} == terms


def test_the_terminal_names_quadrants_and_horizons_as_the_report_does() -> None:
    report = catalogue("report")
    quadrants = {
        "concentrate": "Concentrate here",
        "keep-up": "Keep up the good work",
        "low-priority": "Low priority",
        "possible-overkill": "Possible overkill",
    }
    english, german = terminal_advice.LABELS["en"], terminal_advice.LABELS["de"]
    assert {key: english[key] for key in quadrants} == quadrants
    assert {key: german[key] for key in quadrants} == {k: report[v] for k, v in quadrants.items()}
    # In brackets, lower case: "[sofort]", as the report's "Sofort – erste 90 Tage".
    assert (german["now"], german["next"], german["later"]) == ("sofort", "als Nächstes", "später")
    assert (english["now"], english["next"], english["later"]) == ("now", "next", "later")
    assert (german["target"], german["gap"]) == (report["Target"], "Abstand")


def test_not_applicable_is_called_so_wherever_it_is_named() -> None:
    assert catalogue("pages")["Not applicable"] == "Nicht anwendbar"
    assert "Not applicable" in item_details.WORDS["en"]["na"]
    assert "Nicht anwendbar" in item_details.WORDS["de"]["na"]
    assert "Not applicable" in versions_words.FIELDS["en"]["allow_na"]
    assert "Nicht anwendbar" in versions_words.FIELDS["de"]["allow_na"]
    assert variables.STATUS_LABELS["na"] == {"de": "Nicht anwendbar", "en": "Not applicable"}


def bundled() -> list[Questionnaire]:
    return [load_questionnaire(path) for path in sorted((ROOT / "questionnaires").glob("*.yaml"))]


def test_no_later_questionnaire_words_its_scale_as_not_applicable_does() -> None:
    # "does not apply at all" beside "Not applicable" (and "trifft nicht zu" beside "Nicht
    # anwendbar") asks respondents to tell apart two answers worded alike.
    clashes = []
    for questionnaire in bundled():
        if (questionnaire.id, questionnaire.version) == OLD_SCALE:
            continue
        scales = [questionnaire.scale.labels if questionnaire.scale else {}]
        scales += [
            item.labels or {} for _d, item in questionnaire.items() if isinstance(item, ScaleItem)
        ]
        for labels in scales:
            for label in labels.values():
                english, german = label.get("en", ""), label.get("de", "")
                if re.search(ENGLISH_BANS["does not apply (Not applicable; agree)"], english):
                    clashes.append((questionnaire.id, questionnaire.version, english))
                if re.search(GERMAN_BANS["trifft … zu (Nicht anwendbar; stimme … zu)"], german):
                    clashes.append((questionnaire.id, questionnaire.version, german))
    assert clashes == []


def test_the_old_scale_is_kept_only_by_the_version_answered_with_it() -> None:
    old = [q for q in bundled() if (q.id, q.version) == OLD_SCALE]
    assert [q.scale.labels[1]["en"] for q in old if q.scale] == ["does not apply at all"]


def test_the_verdicts_and_divergence_words_are_the_same_in_terminal_report_and_pages() -> None:
    report, pages = catalogue("report"), catalogue("pages")
    verdicts = {
        "agree": "The respondents largely agree: rwg %(rwg)s",
        "moderate": "The respondents agree only moderately; read the figure with care: rwg %(rwg)s",
        "differ": "The figure hides large differences: rwg %(rwg)s",
        "unknown": "Too few answers to tell how far the respondents agree",
        "wide": "With so few respondents the score may lie anywhere between %(low)s and %(high)s.",
        "clear": "clear",
        "possible": "possible",
    }
    for key, msgid in verdicts.items():
        german = report[msgid]
        assert pages[msgid] == german, msgid
        as_terminal = re.sub(r"%\((\w+)\)s", r"{\1}", msgid)
        assert terminal.LABELS["en"][key] == as_terminal
        assert terminal.LABELS["de"][key] == re.sub(r"%\((\w+)\)s", r"{\1}", german)
    assert (report["clear"], report["possible"]) == ("deutlich", "möglich")
