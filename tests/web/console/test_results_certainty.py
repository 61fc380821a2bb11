"""The results page says how sure each figure is: per level the 95% interval, rwg and a
verdict in words; divergence between groups as clear or possible, never alike."""

from __future__ import annotations

import re

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import Caller
from tests.factories import dimension, questionnaire_data, recommendation, scale_item
from tests.web.assessments import open_assessment_of
from tests.web.browsing import signed_in
from tests.wording import visible

API = "/api/v1"
# sharp (c1, c2): sales 5/5/4 against service 1/1/2: far apart, little spread within each
# group: clear. mixed (p1, p2): sales 5/1/5 and 4, service 1/5/1 and 2: flagged, but the
# groups spread widely: possible only.
ANSWERS = [
    ("sales", {"c1": 5, "c2": 5, "p1": 5, "p2": 4}),
    ("sales", {"c1": 5, "c2": 5, "p1": 1, "p2": 4}),
    ("sales", {"c1": 4, "c2": 4, "p1": 5, "p2": 4}),
    ("service", {"c1": 1, "c2": 1, "p1": 1, "p2": 2}),
    ("service", {"c1": 1, "c2": 1, "p1": 5, "p2": 2}),
    ("service", {"c1": 2, "c2": 2, "p1": 1, "p2": 2}),
]


@pytest.fixture
def assessment(client: TestClient, consultant: Caller, admin: Caller) -> str:
    """An assessment with one clear and one possible divergence, six responses submitted."""
    data = questionnaire_data(
        dimension(
            "sharp",
            scale_item("c1"),
            scale_item("c2"),
            recommendations=[recommendation("talk", {"divergence": {"significant": True}})],
        ),
        dimension("mixed", scale_item("p1"), scale_item("p2")),
        divergence_threshold=20,
    )
    made = open_assessment_of(client, consultant, admin, yaml.safe_dump(data).encode(), "Sure")
    url = f"{API}/assessments/{made['id']}"
    labels = [{"label": f"R{n}"} for n in range(len(ANSWERS))]
    invited = client.post(
        f"{url}/invitations", json={"invitations": labels}, headers=consultant.headers
    ).json()
    for invitation, (department, answers) in zip(invited, ANSWERS, strict=True):
        sent = client.post(
            f"{API}/respond/{invitation['token']}/submit",
            json={"answers": answers, "profile": {"department": department}},
        )
        assert sent.status_code == 200, sent.text
    return str(made["id"])


def figures(client: TestClient, consultant: Caller, assessment: str) -> dict:
    answer = client.get(
        f"{API}/assessments/{assessment}/results?group_by=department", headers=consultant.headers
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_each_level_shows_its_interval_rwg_and_verdict(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, assessment: str
) -> None:
    api = figures(client, consultant, assessment)["dimensions"]
    low, high = api["mixed"]["ci95"]
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=en")
    assert page.status_code == 200
    levels = page.text[
        page.text.index('id="levels"') : page.text.index("</table>", page.text.index('id="levels"'))
    ]
    shown = f"{max(low, 0):.1f}–{min(high, 100):.1f}"
    assert shown in visible(levels)
    assert f"{api['sharp']['rwg']:.2f}" in visible(levels)
    text = visible(page.text)
    assert "sharp : The figure hides large differences: rwg 0.00." in text
    assert "rwg: how far the respondents agree, from 0 to 1" in text
    assert "at the end of each bar the 95% interval of its score" in text
    german = visible(
        signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=de").text
    )
    assert "sharp : Die Zahl verdeckt große Unterschiede: rwg 0,00." in german
    assert "Wie einig sich die Befragten sind" in german
    assert shown.replace(".", ",") in german


def test_a_clear_divergence_and_a_possible_one_read_differently(
    app: FastAPI, client: TestClient, session: Session, consultant: Caller, assessment: str
) -> None:
    divergence = figures(client, consultant, assessment)["divergence"]["department"]
    assert (divergence["sharp"]["flagged"], divergence["sharp"]["significant"]) == (True, True)
    assert (divergence["mixed"]["flagged"], divergence["mixed"]["significant"]) == (True, False)
    page = signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=en")
    rows = {
        name: row
        for row in re.findall(r"<tr[^>]*><th scope=\"row\">.*?</tr>", page.text)
        for name in ("sharp", "mixed")
        if f">{name}</th>" in row and "Spread" not in row
    }
    assert "<strong>clear</strong>" in rows["sharp"]
    assert ">possible<" in rows["mixed"]
    assert "clear" not in rows["mixed"]
    assert "⚑" not in page.text
    assert "possible where the groups are small or their answers vary widely" in visible(page.text)
    assert "Why: the groups' divergence is clear: more than chance explains" in visible(page.text)
    german = visible(
        signed_in(app, session, consultant).get(f"/assessments/{assessment}/results?lang=de").text
    )
    assert "deutlich" in german
    assert "möglich" in german
