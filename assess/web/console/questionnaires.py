"""The admins' questionnaire pages: what is published, each one's outline, and publishing a
file (uploaded or pasted) with the validator's problems shown beside their lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from assess.domain.item_details import item_details
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.validation import parse_questionnaire
from assess.domain.version_overview import overview
from assess.domain.versions import compare
from assess.domain.versions_text import (
    change_tables,
    column_names,
    level_details,
    level_table,
    pooling_text,
    summary_lines,
)
from assess.domain.yamlfile import MAX_BYTES, FileProblems
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.questionnaires import (
    earlier_version,
    get_questionnaire_version,
    publish_questionnaire,
    published_questionnaires,
    published_versions,
    questionnaire_in_use,
    questionnaire_of,
)
from assess.web.console.access import ConsoleProblem, Staff, StaffDep, upload_form
from assess.web.console.upload import Posted, annotated_lines, posted_file, text_of

router = APIRouter(include_in_schema=False)


def admin(staff: StaffDep) -> Staff:
    """The signed-in person, if an admin; else a page saying these pages are for admins."""
    if not staff.user.is_admin:
        raise ConsoleProblem(403, "admins_only")
    return staff


AdminDep = Annotated[Staff, Depends(admin)]


@router.get("/questionnaires")
def questionnaires_page(staff: AdminDep) -> HTMLResponse:
    """The published questionnaires, and the form to publish one."""
    return _list(staff)


@router.post("/questionnaires")
def publish(
    staff: AdminDep, form: Annotated[FormData | None, Depends(upload_form)]
) -> HTMLResponse:
    """Validate a questionnaire file and publish it, as the API does: the same file again
    changes nothing, and a version in use cannot change."""
    posted = posted_file(form) if form is not None else Posted("", "", problem="too_large")
    if posted.problem:
        status = 413 if posted.problem == "too_large" else 422
        return _list(staff, status, posted=posted)
    try:
        questionnaire = parse_questionnaire(posted.source, posted.name)
    except FileProblems as exc:
        lines = annotated_lines(text_of(posted.source), exc.problems)
        return _list(staff, 422, posted=posted, problems=exc.problems, lines=lines)
    source = text_of(posted.source)
    qid, version = questionnaire.id, questionnaire.version
    before = get_questionnaire_version(staff.session, questionnaire_id=qid, version=version)
    # Read before publishing: a replaced version's row is the same object, updated in place.
    replaced = questionnaire_of(before) if before is not None else None
    before_sha = before.sha256 if before is not None else None
    try:
        row, created = publish_questionnaire(
            staff.session, questionnaire_id=qid, version=version, source=source
        )
    except Conflict:
        return _list(staff, 409, posted=posted, conflict=questionnaire)
    outcome = "published" if created else "unchanged" if row.sha256 == before_sha else "replaced"
    if outcome != "unchanged":
        audit_now(
            staff.session,
            staff.user,
            "questionnaire.published",
            ("questionnaire_version", row.id),
            {"questionnaire_id": qid, "version": version, "new": created},
        )
    earlier = replaced if outcome == "replaced" else None
    if earlier is None:
        lower = earlier_version(staff.session, questionnaire_id=qid, version=version)
        earlier = questionnaire_of(lower) if lower is not None else None
    return staff.render(
        "console/published.html.j2",
        201 if created else 200,
        nav="questionnaires",
        outcome=outcome,
        questionnaire=questionnaire,
        comparison=_comparison(earlier, questionnaire, staff.language) if earlier else None,
        localized=lambda text: localized(text, staff.language),
    )


@router.get("/questionnaires/{questionnaire_id}")
def outline_page(
    questionnaire_id: str, staff: AdminDep, version: int | None = None
) -> HTMLResponse:
    """A questionnaire's outline: its dimensions and items, stages and profile questions."""
    row = get_questionnaire_version(
        staff.session, questionnaire_id=questionnaire_id[:64], version=version
    )
    if row is None:
        raise ConsoleProblem(404, "not_found")
    questionnaire = questionnaire_of(row)
    versions = published_versions(staff.session, questionnaire_id=questionnaire.id)
    return staff.render(
        "console/questionnaire.html.j2",
        nav="questionnaires",
        questionnaire=questionnaire,
        versions=versions,
        in_use=questionnaire_in_use(staff.session, version_id=row.id),
        localized=lambda text: localized(text, staff.language),
        details=lambda item: item_details(questionnaire, item, staff.language),
    )


@dataclass(frozen=True)
class ShownComparison:
    """What changed since the earlier version, in the page's language: the verdict on
    pooling, the summary, a table of the levels, each level's changes, every difference."""

    old_version: int
    verdict: str
    summary: list[str]
    level_columns: list[str]
    level_rows: list[list[str]]
    levels: list[tuple[str, list[str]]]
    columns: list[str]
    tables: list[tuple[str, list[list[str]]]]


def _comparison(old: Questionnaire, new: Questionnaire, language: str) -> ShownComparison:
    comparison = compare(old, new)
    found = overview(comparison, old, new)
    level_columns, level_rows = level_table(found, old, new, language)
    return ShownComparison(
        old.version,
        pooling_text(comparison, old, new, language),
        summary_lines(comparison, old, new, language) if comparison.changes else [],
        level_columns,
        level_rows,
        level_details(found, old, new, language),
        column_names(language),
        change_tables(comparison, old, new, language),
    )


def _list(staff: Staff, status: int = 200, **upload: Any) -> HTMLResponse:
    published = [
        (entry, questionnaire_of(entry.newest)) for entry in published_questionnaires(staff.session)
    ]
    upload.setdefault("posted", None)
    return staff.render(
        "console/questionnaires.html.j2",
        status,
        nav="questionnaires",
        published=published,
        localized=lambda text: localized(text, staff.language),
        max_kilobytes=MAX_BYTES // 1000,
        problems=upload.pop("problems", []),
        lines=upload.pop("lines", []),
        conflict=upload.pop("conflict", None),
        **upload,
    )
