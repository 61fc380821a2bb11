"""What a consultant does in the console's forms: organisations and assessments made as a
browser makes them."""

from __future__ import annotations

import io
import re
import zipfile

from fastapi.testclient import TestClient

from tests.polling import until
from tests.web.browsing import post_form


def make_organisation(client: TestClient, name: str = "Muster GmbH") -> str:
    """An organisation made on the dashboard; its id."""
    made = post_form(client, "/dashboard", "/organisations", {"name": name, "industry": "retail"})
    assert made.status_code == 303, made.text
    return made.headers["location"].split("?")[0].rsplit("/", 1)[1]


def make_assessment(client: TestClient, organisation: str, **fields: str) -> str:
    """A draft assessment made on the organisation's page; its id."""
    data = {"questionnaire": "cx-maturity@1", "name": "CX 2026", "kind": "assessment", **fields}
    page = f"/organisations/{organisation}"
    made = post_form(client, page, f"/organisations/{organisation}/assessments", data)
    assert made.status_code == 303, made.text
    return made.headers["location"].split("?")[0].rsplit("/", 1)[1]


def downloaded(browsing: TestClient) -> zipfile.ZipFile:
    """The portfolio's ZIP file from the portfolio page, once it is made."""

    def made() -> re.Match[str] | None:
        page = browsing.get("/portfolio").text
        link = re.search(r'href="(/portfolio/[^"]+/zip)"', page)
        assert link or "Could not be made" not in page, page
        return link

    link = until(made, timeout=180, every=0.3, message="the portfolio was not made in time")
    file = browsing.get(link.group(1))
    assert file.status_code == 200
    assert file.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(file.content))
