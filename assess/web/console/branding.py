"""A consultant's branding page: a logo and an accent colour, previewed on a sample of the
report's first pages before they are saved. What is previewed is kept as a draft; the
saved branding stays in use (for reports and portfolios asked for in the console) until
the draft is saved over it, and a logo that cannot be used changes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from assess.persistence.models.organisations import SavedBranding
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.brandings import (
    branding_of,
    keep_branding,
    remove_branding,
    save_draft_branding,
)
from assess.reporting.branding import (
    DEFAULT_ACCENT,
    MAX_LOGO_BYTES,
    Branding,
    BrandingError,
    make_branding,
)
from assess.reporting.cover_sample import sample_cover_svg
from assess.web.console.access import FormDep, Staff, StaffDep, see_other, upload_form
from assess.web.console.access import text_field as field

router = APIRouter(include_in_schema=False)
# The sample is an image: its logo is a data address inside it, its styles are its own.
SAMPLE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def saved_branding(staff: Staff) -> Branding | None:
    """The person's saved branding, for the reports and portfolios they ask for here."""
    saved = branding_of(staff.session, user_id=staff.user.id)
    return _branding(saved) if saved is not None else None


def _branding(kept: SavedBranding | None) -> Branding:
    if kept is None:
        return make_branding()
    return make_branding(kept.logo, kept.accent)


@router.get("/branding")
def branding_page(staff: StaffDep) -> HTMLResponse:
    """The saved branding, the draft being previewed, and the form to preview another."""
    return _page(staff)


def _page(
    staff: Staff, status: int = 200, problem: str = "", entered_accent: str = ""
) -> HTMLResponse:
    saved = branding_of(staff.session, user_id=staff.user.id)
    draft = branding_of(staff.session, user_id=staff.user.id, draft=True)
    return staff.render(
        "console/branding.html.j2",
        status,
        saved=saved,
        draft=draft,
        accent=_six_digits(entered_accent or next((b.accent for b in (draft, saved) if b), "")),
        problem=problem,
        max_megabytes=min(MAX_LOGO_BYTES, staff.request.app.state.settings.max_body_bytes)
        / 1_000_000,
        done=staff.request.query_params.get("done"),
    )


def _six_digits(colour: str) -> str:
    """#rrggbb, as a colour field takes it (#rgb spelled out; anything else the default)."""
    colour = colour.strip().lower()
    if len(colour) == 4 and colour.startswith("#"):
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return colour if len(colour) == 7 else DEFAULT_ACCENT.lower()


@router.post("/branding/preview")
def preview(staff: StaffDep, form: Annotated[FormData | None, Depends(upload_form)]) -> Response:
    """Check the logo and colour and keep them as the draft to preview; a problem page
    section says what to change, and nothing is kept."""
    if form is None:
        return _page(staff, 413, "too_large")
    accent = field(form, "accent", 16)
    saved = branding_of(staff.session, user_id=staff.user.id)
    upload = form.get("logo")
    logo: bytes | None
    if isinstance(upload, UploadFile) and upload.filename:
        logo = upload.file.read(MAX_LOGO_BYTES + 1)
    elif field(form, "logo_choice") == "none":
        logo = None
    else:  # keep the logo in use
        logo = saved.logo if saved is not None else None
    try:
        branding = make_branding(logo, accent)
    except BrandingError as exc:
        return _page(staff, 422, exc.kind or "not_image", accent)
    keep_branding(
        staff.session,
        user_id=staff.user.id,
        accent=branding.accent,
        logo=branding.logo,
        draft=True,
    )
    return see_other("/branding", done="previewed")


@router.post("/branding/save", response_model=None)
def save(staff: StaffDep, form: FormDep) -> Response:
    """Use the previewed draft from now on."""
    if save_draft_branding(staff.session, user_id=staff.user.id):
        audit_now(staff.session, staff.user, "branding.saved", ("user", staff.user.id))
        return see_other("/branding", done="saved")
    return see_other("/branding")


@router.post("/branding/discard", response_model=None)
def discard(staff: StaffDep, form: FormDep) -> Response:
    """Drop the draft; the saved branding stays."""
    remove_branding(staff.session, user_id=staff.user.id, draft=True)
    return see_other("/branding", done="discarded")


@router.post("/branding/remove", response_model=None)
def remove(staff: StaffDep, form: FormDep) -> Response:
    """Go back to the default colour and no logo."""
    remove_branding(staff.session, user_id=staff.user.id, draft=False)
    audit_now(staff.session, staff.user, "branding.removed", ("user", staff.user.id))
    return see_other("/branding", done="removed")


@router.get("/branding/sample.svg")
def sample(staff: StaffDep, draft: bool = False) -> Response:
    """The sample of a report's first pages with the saved branding (or the draft)."""
    kept = branding_of(staff.session, user_id=staff.user.id, draft=draft)
    svg = sample_cover_svg(_branding(kept), staff.language)
    return Response(svg, media_type="image/svg+xml", headers=SAMPLE_HEADERS)
