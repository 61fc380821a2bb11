"""A researcher recomputes every score from an export and its codebook with pandas alone,
and gets the service's figures: each respondent's level and overall scores (the export's
score columns) and each organisation's (the results the service shows its consultants)."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assess.persistence.models.assessments import Assessment
from assess.persistence.models.questionnaires import QuestionnaireVersion
from tests.conftest import Caller
from tests.research.conftest import add_organisation
from tests.research.exporting import EXPORT, researcher

SIZES = (4, 7, 11)  # respondents per organisation: how the test tells them apart


def recomputed(data: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    """Per row, every level's score and the overall score, by the codebook's rules."""
    variables = book[book["kind"].isin(["item", "score"])].drop_duplicates("variable")
    items = variables[variables["kind"] == "item"]
    levels = variables[(variables["kind"] == "score") & variables["dimension"].notna()]
    scores = pd.DataFrame(index=data.index)
    for _, level in levels.iterrows():
        weighted = pd.Series(0.0, index=data.index)
        answered = pd.Series(0.0, index=data.index)
        own = items[items["dimension"] == level["dimension"]]
        for _, item in own.iterrows():
            score = item_scores(data[item["variable"]], item, book)
            weighted += (item["weight"] * score).fillna(0.0)
            answered += item["weight"] * score.notna()
        enough = (answered > 0) & (answered / own["weight"].sum() >= level["min_coverage"])
        scores[level["variable"]] = (weighted / answered).where(enough)
    weights = levels.set_index("variable")["dimension_weight"]
    overall = sum(weights[name] * scores[name] for name in weights.index) / weights.sum()
    scores["score_overall"] = overall.where(scores.notna().all(axis=1))
    return scores


def item_scores(cells: pd.Series, item: pd.Series, book: pd.DataFrame) -> pd.Series:
    """Rule 1: a scale answer rescaled to 0–100 (reversed where flagged), an option's score."""
    if item["item_type"] == "scale":
        low, high = item["scale_min"], item["scale_max"]
        score = (pd.to_numeric(cells) - low) * 100.0 / (high - low)
        return 100.0 - score if item["reverse"] == "yes" else score
    options = book[(book["variable"] == item["variable"]) & book["value_score"].notna()]
    return cells.map(dict(zip(options["value"], options["value_score"], strict=True)))


def organisation_scores(rows: pd.DataFrame, book: pd.DataFrame) -> dict[str, float | None]:
    """Rule 5: per level the mean of the respondents' scores, overall by rule 3."""
    levels = book[(book["kind"] == "score") & book["dimension"].notna()]
    levels = levels.drop_duplicates("variable").set_index("variable")["dimension_weight"]
    means = {name: rows[name].mean() for name in levels.index}
    if any(pd.isna(mean) for mean in means.values()):
        overall = None
    else:
        overall = sum(levels[name] * means[name] for name in levels.index) / levels.sum()
    return {**means, "score_overall": overall}


def downloaded(client: TestClient, headers: dict[str, str], fmt: str) -> Any:
    response = client.get(EXPORT, params={"format": fmt, "language": "de"}, headers=headers)
    assert response.status_code == 200, response.text
    return io.BytesIO(response.content)


@pytest.mark.parametrize("files", ["xlsx", "csv"])
def test_a_researcher_recomputes_every_score_from_the_export_and_codebook_alone(
    client: TestClient,
    session: Session,
    admin: Caller,
    version: QuestionnaireVersion,
    files: str,
) -> None:
    for seed, size in enumerate(SIZES):
        add_organisation(session, version, respondents=size, seed=seed, name=f"Org {seed}")
    headers = researcher(client, admin)
    if files == "xlsx":
        sheets = pd.read_excel(downloaded(client, headers, "xlsx"), sheet_name=None)
        assert list(sheets) == ["data", "labels", "codebook"]
        data, book = sheets["data"], sheets["codebook"]
    else:
        data = pd.read_csv(
            downloaded(client, headers, "csv"), keep_default_na=False, na_values=[""]
        )
        book = pd.read_csv(downloaded(client, headers, "codebook.csv"))
    scores = recomputed(data, book)
    assert len(data) == sum(SIZES)
    for name in scores.columns:  # each respondent: the service's own score columns
        pd.testing.assert_series_equal(scores[name], data[name], check_names=False, rtol=1e-12)
    assert scores["score_overall"].notna().any()

    by_size = {len(rows): rows for _, rows in data.groupby("organisation")}
    for assessment in session.exec(select(Assessment)).all():
        shown = client.get(f"/api/v1/assessments/{assessment.id}/results", headers=admin.headers)
        assert shown.status_code == 200, shown.text
        service = shown.json()
        mine = organisation_scores(by_size[service["respondents"]], book)
        for level, figures in service["dimensions"].items():
            assert mine[f"score_{level}"] == pytest.approx(figures["score"], abs=1e-9)
        assert mine["score_overall"] == pytest.approx(service["overall"]["score"], abs=1e-9)
