"""The pages of those who run assessments: signing in, the dashboard, organisations,
assessments and (for admins) questionnaires. Server-rendered, in German and English,
working without JavaScript."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assess.web.console.access import ConsoleProblem, SignInRequired, page, page_language, see_other
from assess.web.console.assessment import router as assessment_router
from assess.web.console.branding import router as branding_router
from assess.web.console.consensus import router as consensus_router
from assess.web.console.dashboard import router as dashboard_router
from assess.web.console.departments import router as departments_router
from assess.web.console.lead_and_targets import router as lead_and_targets_router
from assess.web.console.mail import router as mail_router
from assess.web.console.membership_invitations import router as membership_invitations_router
from assess.web.console.portfolio import router as portfolio_router
from assess.web.console.privacy import router as privacy_router
from assess.web.console.questionnaires import router as questionnaires_router
from assess.web.console.report_files import router as report_files_router
from assess.web.console.research import router as research_router
from assess.web.console.results import router as results_router
from assess.web.console.signin import router as signin_router
from assess.web.console.workshop import router as workshop_router


def install(app: FastAPI) -> None:
    """Add the pages, and the answers to a request without a session or beyond one's
    rights."""
    app.include_router(signin_router)
    app.include_router(dashboard_router)
    app.include_router(membership_invitations_router)
    app.include_router(assessment_router)
    app.include_router(lead_and_targets_router)
    app.include_router(departments_router)
    app.include_router(mail_router)
    app.include_router(results_router)
    app.include_router(consensus_router)
    app.include_router(workshop_router)
    app.include_router(report_files_router)
    app.include_router(questionnaires_router)
    app.include_router(privacy_router)
    app.include_router(research_router)
    app.include_router(branding_router)
    app.include_router(portfolio_router)
    app.add_exception_handler(SignInRequired, _sign_in_first)  # type: ignore[arg-type]
    app.add_exception_handler(ConsoleProblem, _problem_page)  # type: ignore[arg-type]


async def _sign_in_first(request: Request, needed: SignInRequired) -> RedirectResponse:
    return see_other("/sign-in", next=needed.target)


async def _problem_page(request: Request, problem: ConsoleProblem) -> HTMLResponse:
    language = page_language(request)
    template = "console/problem.html.j2"
    return page(request, template, language, problem.status, kind=problem.kind, **problem.details)
