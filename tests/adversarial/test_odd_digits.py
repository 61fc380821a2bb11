"""Characters Unicode calls digits that are no number ("²", "³", "①") where the pages
read a whole number: a consensus answer, a page of a list, a reminders' round. Python's
str.isdigit says yes to them and int() refuses them, so each was a 500; now they read
as any other text that is no number."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from tests.adversarial.conftest import Tenant, signed_in, stored_data
from tests.conftest import Caller
from tests.web.browsing import form_token

NO_NUMBERS = ["²", "①", "-³"]


@pytest.mark.parametrize("odd", NO_NUMBERS)
def test_a_consensus_answer_of_a_superscript_digit_is_422_naming_the_answer_and_keeps_nothing(
    app: FastAPI, session: Session, ours: Tenant, odd: str
) -> None:
    pages = signed_in(app, session, ours.consultant)
    token = form_token(pages.get("/dashboard").text)
    before = stored_data(app)
    form = {"form_token": token, "item": "listen-feedback", "answer": odd, "rationale": "Agreed."}
    refused = pages.post(f"/assessments/{ours.assessment_id}/workshop/consensus", data=form)
    assert refused.status_code == 422
    assert "Agreed." in refused.text  # what was typed is offered again
    assert stored_data(app) == before


@pytest.mark.parametrize("odd", NO_NUMBERS)
def test_a_page_number_of_a_superscript_digit_shows_the_first_page(
    app: FastAPI, session: Session, ours: Tenant, admin: Caller, odd: str
) -> None:
    pages = signed_in(app, session, ours.consultant)
    for path in ("/dashboard", f"/assessments/{ours.assessment_id}"):
        first = pages.get(path)
        assert first.status_code == 200
        assert pages.get(path, params={"page": odd}).status_code == 200
    audit = signed_in(app, session, admin).get("/audit-log", params={"page": odd})
    assert audit.status_code == 200


def test_a_reminders_round_of_a_superscript_digit_is_read_as_no_round(
    app: FastAPI, session: Session, ours: Tenant
) -> None:
    pages = signed_in(app, session, ours.consultant)
    token = form_token(pages.get("/dashboard").text)
    path = f"/assessments/{ours.assessment_id}/send-reminders"
    odd = pages.post(path, data={"form_token": token, "round": "²"}, follow_redirects=False)
    none = pages.post(path, data={"form_token": token, "round": "x"}, follow_redirects=False)
    assert odd.status_code == none.status_code == 303
