"""Google Cloud Functions entry points. Each is a few lines: the work is in ``functions``.

Deploy with this repository as the source; locally ``make run`` serves the same
functions in one process, and ``functions-framework --target submit_report`` serves one.
"""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions.runtime import get_runtime


@functions_framework.http
def submit_report(request: Request) -> Response:
    """Daily work report form of one employee (personal link): GET renders, POST submits."""
    from functions.web.staff import report_page

    return report_page.handle(request, get_runtime())


@functions_framework.http
def review_reports(request: Request) -> Response:
    """A supervisor's view of the team's reports, with verification."""
    from functions.web.staff import review_page

    return review_page.handle(request, get_runtime())


@functions_framework.http
def rate_behaviour(request: Request) -> Response:
    """A supervisor's monthly rating of the team's perilaku kerja (BerAKHLAK), through their personal link."""
    from functions.web.staff import behaviour_page

    return behaviour_page.handle(request, get_runtime())


@functions_framework.http
def submit_survey(request: Request) -> Response:
    """The public satisfaction survey (SKM) of one service, opened from its QR poster."""
    from functions.web.public import survey_page

    return survey_page.handle(request, get_runtime())


@functions_framework.http
def submit_complaint(request: Request) -> Response:
    """The public complaint form; answers with a tracking code."""
    from functions.web.public import complaint_page

    return complaint_page.handle(request, get_runtime())


@functions_framework.http
def complaint_status(request: Request) -> Response:
    """The public status page of one complaint, by its tracking code."""
    from functions.web.public import complaint_page

    return complaint_page.handle_status(request, get_runtime())


@functions_framework.http
def handle_complaints(request: Request) -> Response:
    """Staff handle their unit's complaints through their personal link."""
    from functions.web.staff import handling_page

    return handling_page.handle(request, get_runtime())


@functions_framework.http
def compute_scores(request: Request) -> Response:
    """Scheduled: score the last complete week (or ``?periode=``) and rewrite the derived sheets."""
    from functions.web import scheduled

    return scheduled.compute_scores(request, get_runtime())


@functions_framework.http
def flush_spool(request: Request) -> Response:
    """Scheduled every minute: submissions waiting in the spool go to the sheets in batches (safe to repeat)."""
    from functions.web import scheduled

    return scheduled.flush_spool(request, get_runtime())


@functions_framework.http
def refresh_read_model(request: Request) -> Response:
    """Scheduled every minute: the read model the pages read (Firestore) brought in line with the sheets."""
    from functions.web import scheduled

    return scheduled.refresh_read_model(request, get_runtime())


@functions_framework.http
def team_scores(request: Request) -> Response:
    """A supervisor's view of the team's scores and trends, through their personal link."""
    from functions.web.staff import scores_page

    return scores_page.handle(request, get_runtime())


@functions_framework.http
def operator_console(request: Request) -> Response:
    """The operators' console (setup checklist, Konfigurasi, personal links), opened with an operator's link."""
    from functions.web.operator import console

    return console.handle(request, get_runtime())


@functions_framework.http
def resend_link(request: Request) -> Response:
    """Kirim ulang tautan saya: staff type their NIP and get their personal link at the email on file."""
    from functions.web.staff import resend_link

    return resend_link.handle(request, get_runtime())


@functions_framework.http
def home(request: Request) -> Response:
    """A person's home page (Beranda), opened by their personal link: what they can do today, with counts."""
    from functions.web.staff import home_page

    return home_page.handle(request, get_runtime())


@functions_framework.http
def send_weekly_reports(request: Request) -> Response:
    """Scheduled: the weekly emails of the last complete week (``?periode=``, ``?uji_coba=1``), each once."""
    from functions.web import scheduled

    return scheduled.send_weekly_reports(request, get_runtime())


@functions_framework.http
def send_reminders(request: Request) -> Response:
    """Scheduled on working days: remind staff who have not reported today."""
    from functions.web import scheduled

    return scheduled.send_reminders(request, get_runtime())


@functions_framework.http
def suara_warga(request: Request) -> Response:
    """Suara Warga, the public forum per service: its pages, and posting a suggestion or question."""
    from functions.web.public import forum_page

    return forum_page.handle(request, get_runtime())


@functions_framework.http
def dukung_suara(request: Request) -> Response:
    """Suara Warga: support a published suggestion, once per device."""
    from functions.web.public import forum_page

    return forum_page.handle_support(request, get_runtime())


@functions_framework.http
def transparansi(request: Request) -> Response:
    """The public transparency page: IKM and complaint handling per quarter, and its CSV (open data)."""
    from functions.web.public import transparency_page

    return transparency_page.handle(request, get_runtime())


@functions_framework.http
def report_photo(request: Request) -> Response:
    """A report's photo through a personal link (the reporter, their supervisor), and the form's resize script."""
    from functions.web.staff import photo_page

    return photo_page.handle(request, get_runtime())
