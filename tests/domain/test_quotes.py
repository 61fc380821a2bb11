"""Every quote of a bundled questionnaire stands verbatim, whitespace aside, in the
article it names (the articles live beside the repository, in ../shared/seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assess.domain.questionnaire import Questionnaire, Quote
from assess.domain.validation import load_questionnaire, parse_questionnaire
from tests.factories import dimension, questionnaire_data, scale_item

ROOT = Path(__file__).parent.parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
BUNDLED = sorted((ROOT / "questionnaires").glob("*.yaml"))


def quotes(questionnaire: Questionnaire) -> list[tuple[str, Quote]]:
    """Every quoted source in the file, with the id of what it is the source of."""
    parts: list[tuple[str, object]] = [(d.id, d) for d in questionnaire.dimensions]
    parts += [(item.id, item) for _, item in questionnaire.items()]
    parts += [(s.id, s) for s in questionnaire.stages]
    parts += [(q.id, q) for q in questionnaire.profile]
    parts += [
        (r.id or f"{d.id} recommendation {n}", r)
        for d in questionnaire.dimensions
        for n, r in enumerate(d.recommendations, start=1)
    ]
    return [
        (name, source)
        for name, part in parts
        if isinstance(source := getattr(part, "source", None), Quote)
    ]


def unquoted(questionnaire: Questionnaire) -> list[str]:
    """What should quote its article and does not: every scored item, stage and
    recommendation, and every profile question that names a source."""
    parts: list[tuple[str, object]] = [(item.id, item) for _, item in questionnaire.items()]
    parts += [(s.id, s) for s in questionnaire.stages]
    parts += [(q.id, q) for q in questionnaire.profile if q.source is not None]
    parts += [
        (r.id or f"{d.id} recommendation {n}", r)
        for d in questionnaire.dimensions
        for n, r in enumerate(d.recommendations, start=1)
    ]
    return [name for name, part in parts if not isinstance(getattr(part, "source", None), Quote)]


def misquoted(questionnaire: Questionnaire, seeds: Path) -> list[str]:
    """What is wrong with the file's quotes: a missing article or words it does not hold."""
    articles = {path.name.split("_", 1)[0]: path for path in seeds.glob("*.txt")}
    found = []
    for name, source in quotes(questionnaire):
        article = articles.get(source.article)
        if article is None:
            found.append(f"{name}: no article {source.article} in {seeds}")
        elif _words(source.quote) not in _words(article.read_text(encoding="utf-8")):
            found.append(f"{name}: article {source.article} does not say {source.quote!r}")
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def quoting(*quoted: str) -> Questionnaire:
    """A small questionnaire whose items quote article 001."""
    items = [
        scale_item(f"i{n}", source={"article": "001", "quote": quote})
        for n, quote in enumerate(quoted, start=1)
    ]
    return parse_questionnaire(yaml.safe_dump(questionnaire_data(dimension("d1", *items))))


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the articles are not here: {SEEDS} is absent")
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_quote_of_a_bundled_questionnaire_stands_in_its_article(path: Path) -> None:
    assert misquoted(load_questionnaire(path), SEEDS) == []


QUOTING = [path for path in BUNDLED if quotes(load_questionnaire(path))]
"""The bundled files that quote their articles (version 1 names article numbers only)."""


def test_the_bundled_version_2_is_among_the_files_that_quote_their_articles() -> None:
    assert ROOT / "questionnaires" / "cx-maturity-v2.yaml" in QUOTING


@pytest.mark.parametrize("path", QUOTING, ids=lambda p: p.name)
def test_a_bundled_file_that_quotes_quotes_for_every_item_stage_and_recommendation(
    path: Path,
) -> None:
    assert unquoted(load_questionnaire(path)) == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the articles are not here: {SEEDS} is absent")
@pytest.mark.parametrize("path", QUOTING, ids=lambda p: p.name)
def test_every_quote_of_a_quoting_bundled_file_is_a_clause_not_a_word(path: Path) -> None:
    short = [
        name for name, source in quotes(load_questionnaire(path)) if len(source.quote.split()) < 4
    ]
    assert short == []


def test_an_item_that_names_only_its_article_is_found() -> None:
    quote = {"article": "001", "quote": "Kunden zuerst"}
    data = questionnaire_data(
        dimension("d1", scale_item("i1", source=quote), scale_item("i2", source="001"))
    )
    for stage in data["stages"]:
        stage["source"] = quote
    assert unquoted(parse_questionnaire(yaml.safe_dump(data))) == ["i2"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the articles are not here: {SEEDS} is absent")
def test_quotes_of_the_articles_in_the_advice_check_questionnaire_pass() -> None:
    questionnaire = load_questionnaire(ROOT / "tests" / "questionnaires" / "advice-check.yaml")
    assert len(quotes(questionnaire)) == 2
    assert misquoted(questionnaire, SEEDS) == []


def test_a_quote_the_article_does_not_hold_is_found(tmp_path: Path) -> None:
    (tmp_path / "001_abc.txt").write_text("Kunden  zuerst,\nimmer und überall.\n", "utf-8")
    questionnaire = quoting("Kunden zuerst, immer", "Kunden zuletzt")
    assert misquoted(questionnaire, tmp_path) == ["i2: article 001 does not say 'Kunden zuletzt'"]


def test_a_quote_of_an_article_that_is_not_there_is_found(tmp_path: Path) -> None:
    questionnaire = quoting("Kunden zuerst")
    assert misquoted(questionnaire, tmp_path) == [f"i1: no article 001 in {tmp_path}"]
