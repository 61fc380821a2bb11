"""CWE-202 singling out through a research export's profile columns: each profile
answer shown is shared by at least MIN_GROUP_RESPONDENTS respondents of the organisation, but a
researcher who knows someone's team and tenure reads both columns together. A row's
profile cells, as exported, must be shared by at least MIN_GROUP_RESPONDENTS rows of its
organisation, or the row's answers belong to a person who can be picked out."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from assess.domain.export import Pseudonyms
from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.research.export import ExportFormat, ResearchExport
from tests.research.conftest import service_check

PROFILE = ("team", "tenure", "remote")


def organisation_with(
    session: Session, version: QuestionnaireVersion, name: str, *rows: tuple[str, int, bool]
) -> None:
    """An opted-in organisation with a closed assessment whose respondents gave these
    (team, tenure, remote) answers."""
    organisation = Organisation(name=name, industry="retail", benchmark_opt_in=True)
    session.add(organisation)
    session.flush()
    assessment = Assessment(
        organisation_id=organisation.id,
        questionnaire_version_id=version.id,
        name="Wave",
        status=AssessmentStatus.closed,
    )
    session.add(assessment)
    session.flush()
    for n, (team, tenure, remote) in enumerate(rows):
        session.add(
            Response(
                assessment_id=assessment.id,
                respondent=f"{name}-{n}",
                answers={"listen-feedback": float(n), "share-silo": 3.0},
                profile={"team": team, "tenure": float(tenure), "remote": remote},
                status=ResponseStatus.submitted,
            )
        )
    session.commit()


def exported(app: FastAPI, version: QuestionnaireVersion, *, copy: bool) -> list[dict[str, str]]:
    opened = ResearchExport(
        app.state.engine,
        questionnaire_of(version),
        version.id,
        pseudonyms=Pseudonyms(b"k" * 32),
        copy=copy,
    )
    data = b"".join(opened.blocks(ExportFormat.csv, "en"))
    return list(csv.DictReader(io.StringIO(data.decode())))


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "python"])
def test_no_exported_combination_of_profile_answers_singles_out_a_respondent(
    app: FastAPI, session: Session, published: object, copy: bool
) -> None:
    """Three in front office and three in back office, three with one year and three with
    three: every answer alone is shared by three, but front office with three years is
    one person, as is back office with one year."""
    version = service_check(session)
    organisation_with(
        session,
        version,
        "Singles",
        ("front", 1, True),
        ("front", 1, True),
        ("front", 3, True),
        ("back", 3, True),
        ("back", 3, True),
        ("back", 1, True),
    )
    organisation_with(session, version, "Crowd", *[("front", 2, False)] * 3, ("back", 2, False))
    rows = exported(app, version, copy=copy)
    assert len(rows) == 10
    seen = Counter((r["organisation"], *(r[q] for q in PROFILE)) for r in rows)
    small = {shown: n for shown, n in seen.items() if any(shown[1:]) and n < MIN_GROUP_RESPONDENTS}
    assert small == {}
    by_organisation = Counter(r["organisation"] for r in rows)
    crowd = [r for r in rows if by_organisation[r["organisation"]] == 4]
    # What three or more share together is still exported; the one back-office person
    # would be picked out by an empty team beside a shown tenure, so theirs are empty too.
    assert sorted(tuple(r[q] for q in PROFILE) for r in crowd) == [
        ("", "", ""),
        *[("front", "2", "no")] * 3,
    ]
