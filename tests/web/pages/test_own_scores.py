"""The thank-you page shows a respondent their own scores, where the assessment allows it:
each level's stage, its description and two recommendations, as often as they open their
link again, and as a one-page PDF that only their link gets."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta

from babel.dates import format_date
from fastapi.testclient import TestClient
from pypdf import PdfReader

from assess.domain.answers import from_stored
from assess.domain.formatting import score_text
from assess.domain.own_result import own_result
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.scoring import score_answers
from assess.domain.validation import load_questionnaire
from tests.conftest import QUESTIONNAIRES, SERVICE_CHECK, Caller
from tests.web.answering import PAGES, form_token, new_link, post

DEFAULT = QUESTIONNAIRES / "cx-maturity.yaml"


def answer_everything(client: TestClient, token: str, lang: str) -> str:
    for page, data in PAGES.items():
        post(client, token, page, {**data, "go": "next"}, lang=lang)
    review = client.get(f"/r/{token}/review?lang={lang}")
    submission = re.search(r'name="submission" value="([^"]+)"', review.text)
    assert submission
    done = client.post(
        f"/r/{token}/review?lang={lang}",
        data={"form_token": form_token(review), "submission": submission.group(1)},
        follow_redirects=False,
    )
    return client.get(done.headers["location"]).text


def open_assessment(
    client: TestClient, caller: Caller, questionnaire: str = "service-check", **extra: object
) -> dict:
    org = client.post("/api/v1/organisations", json={"name": "Us"}, headers=caller.headers)
    created = client.post(
        f"/api/v1/organisations/{org.json()['id']}/assessments",
        json={"questionnaire_id": questionnaire, "name": "Wave 1", **extra},
        headers=caller.headers,
    ).json()
    client.post(f"/api/v1/assessments/{created['id']}/open", headers=caller.headers)
    return created


def answers_at(questionnaire: Questionnaire, level: int) -> dict[str, object]:
    """Every item of the questionnaire answered at `level` (1 to 5) of its scale."""
    answers: dict[str, object] = {}
    for dimension in questionnaire.dimensions:
        for item in dimension.items:
            if item.type == "scale":
                answers[item.id] = level
            elif item.type == "choice":
                answers[item.id] = item.options[min(level, len(item.options)) - 1].value
            else:
                answers[item.id] = level >= 3
    return answers


def submit(client: TestClient, token: str, answers: dict[str, object]) -> None:
    """Answer and submit through the JSON API, as the form's script does."""
    sent = client.post(f"/api/v1/respond/{token}/submit", json={"answers": answers})
    assert sent.status_code == 200, sent.text


def pdf_words(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join(p.extract_text().split()) for p in reader.pages), len(reader.pages)


def test_own_scores_are_shown_when_allowed_and_equal_the_engines(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = open_assessment(client, consultant, show_own_scores=True)
    assert assessment["show_own_scores"] is True
    page = answer_everything(client, new_link(client, consultant, assessment, "Anna"), "de")
    assert "Ihre eigenen Werte" in page
    posted = {k: v for data in PAGES.values() for k, v in data.items()}
    as_file = json.dumps([{"respondent": "Anna", **posted}]).encode()
    expected = score_answers(as_file, load_questionnaire(SERVICE_CHECK), kind="json")
    for figures in expected.total.dimensions.values():
        assert f"<strong>{score_text(figures.score, 'de')}</strong> von 100" in page
    overall = score_text(expected.total.overall.score, "de")
    assert f'<p class="big-score">{overall} <span class="of">/ 100</span></p>' in page
    # The level whose rules choose two recommendations shows both.
    assert "Starten Sie ein Wiki." in page
    assert "Teilen Sie mehr." in page


def test_reopening_the_link_shows_each_levels_stage_description_and_two_recommendations(
    client: TestClient, consultant: Caller, published: object
) -> None:
    questionnaire = load_questionnaire(DEFAULT)
    assessment = open_assessment(client, consultant, "cx-maturity", show_own_scores=True)
    token = new_link(client, consultant, assessment, "Anna")
    answers = answers_at(questionnaire, 2)
    submit(client, token, answers)

    again = client.get(f"/r/{token}?lang=de", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/r/{token}/thanks?lang=de"
    page = client.get(again.headers["location"]).text
    expected = own_result(questionnaire, from_stored("you", answers, {}))
    for level in expected.levels:
        assert level.stage is not None
        assert level.stage.description is not None
        shown = [
            html.escape(localized(level.dimension.name, "de")),
            f"Stufe: <strong>{html.escape(localized(level.stage.name, 'de'))}</strong>",
            html.escape(localized(level.stage.description, "de")),
        ]
        assert len(level.recommendations) == 2
        shown += [html.escape(localized(r.text, "de")) for r in level.recommendations]
        assert all(text in page for text in shown)
    assert f'href="/r/{token}/scores.pdf?lang=de"' in page
    # A page of the form, opened after submitting, leads back to the scores too.
    closed = client.get(f"/r/{token}/level/1?lang=de")
    assert closed.status_code == 409
    assert f'href="/r/{token}/thanks?lang=de">Ihre eigenen Werte ansehen</a>' in closed.text


def test_the_pdf_is_the_links_own_respondents_and_one_page(
    client: TestClient, consultant: Caller, published: object
) -> None:
    questionnaire = load_questionnaire(DEFAULT)
    assessment = open_assessment(client, consultant, "cx-maturity", show_own_scores=True)
    tokens = {name: new_link(client, consultant, assessment, name) for name in ("Anna", "Ben")}
    levels = {"Anna": 1, "Ben": 5}
    for name, token in tokens.items():
        submit(client, token, answers_at(questionnaire, levels[name]))

    for name, token in tokens.items():
        sent = client.get(f"/r/{token}/scores.pdf?lang=en")
        assert sent.status_code == 200
        assert sent.headers["content-type"] == "application/pdf"
        assert sent.headers["content-disposition"] == (
            'attachment; filename="wave-1-your-own-scores.pdf"'
        )
        assert sent.headers["cache-control"] == "no-store"
        words, pages = pdf_words(sent.content)
        assert pages == 1
        results = {
            who: own_result(questionnaire, from_stored("you", answers_at(questionnaire, at), {}))
            for who, at in levels.items()
        }
        (mine,) = (result for who, result in results.items() if who == name)
        (theirs,) = (result for who, result in results.items() if who != name)
        assert mine.stage is not None
        assert f"Overallstage:{localized(mine.stage.name, 'en')}".replace(" ", "") in words
        assert f"{score_text(mine.score, 'en')}/100" in words
        assert f"{score_text(theirs.score, 'en')}/100" not in words


def test_the_pdf_needs_a_submitted_link_that_may_see_its_scores(
    client: TestClient, consultant: Caller, published: object
) -> None:
    questionnaire = load_questionnaire(DEFAULT)
    shown = open_assessment(client, consultant, "cx-maturity", show_own_scores=True)
    anna, ben = (new_link(client, consultant, shown, name) for name in ("Anna", "Ben"))
    submit(client, anna, answers_at(questionnaire, 3))
    # Ben has not submitted: his link gets no PDF (nor Anna's), a made-up link neither.
    for token in (ben, "x" * 32, anna[:-1]):
        refused = client.get(f"/r/{token}/scores.pdf?lang=de")
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("text/html")
        assert "%PDF" not in refused.text

    closes = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    hidden = open_assessment(client, consultant, "cx-maturity", closes_at=closes.isoformat())
    carla = new_link(client, consultant, hidden, "Carla")
    submit(client, carla, answers_at(questionnaire, 3))
    refused = client.get(f"/r/{carla}/scores.pdf?lang=de")
    assert refused.status_code == 404
    assert "Diese Seite gibt es nicht" in refused.text
    page = client.get(f"/r/{carla}?lang=de").text
    assert "Vielen Dank!" in page
    assert "Ihre eigenen Werte" not in page
    assert "scores.pdf" not in page
    assert "Wann es Ergebnisse gibt und wer sie erhält" in page
    day = format_date(closes.date(), format="long", locale="de")  # 16. Dezember 2026
    assert f"Die Erhebung nimmt Antworten bis zum {day} an." in page


def test_own_scores_are_not_shown_by_default(
    client: TestClient, consultant: Caller, published: object
) -> None:
    assessment = open_assessment(client, consultant)
    assert assessment["show_own_scores"] is False
    token = new_link(client, consultant, assessment, "Anna")
    page = answer_everything(client, token, "en")
    assert "Thank you!" in page
    assert "Your own scores" not in page
    assert "When the results come and who receives them" in page
    assert "Once the assessment has closed, the people who run it" in page
    client.post(f"/api/v1/assessments/{assessment['id']}/close", headers=consultant.headers)
    assert "The assessment has closed." in client.get(f"/r/{token}?lang=en").text
