"""The local all-in-one server: every function, every form, the sheet viewer, /healthz.

``create_app(runtime)`` is a Flask app factory. The routes named after Cloud Functions
call the very handlers that ``main.py`` exposes, so the local home runs the same code.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, SecurityError

from functions.rendering import render
from functions.runtime import Runtime
from functions.web import headers, scheduled
from functions.web.http import html
from functions.web.operator import console
from functions.web.public import complaint_page, forum_page, survey_page, transparency_page
from functions.web.staff import (
    behaviour_page,
    handling_page,
    home_page,
    photo_page,
    report_page,
    resend_link,
    review_page,
    scores_page,
)

CITY = "Pemerintah Kota Semarang"
Handler = Callable[[Request, Runtime], Response]


FUNCTIONS: dict[str, Handler] = {
    "submit_report": report_page.handle,
    "review_reports": review_page.handle,
    "rate_behaviour": behaviour_page.handle,
    "submit_survey": survey_page.handle,
    "submit_complaint": complaint_page.handle,
    "complaint_status": complaint_page.handle_status,
    "handle_complaints": handling_page.handle,
    "compute_scores": scheduled.compute_scores,
    "flush_spool": scheduled.flush_spool,
    "refresh_read_model": scheduled.refresh_read_model,
    "send_weekly_reports": scheduled.send_weekly_reports,
    "send_reminders": scheduled.send_reminders,
    "team_scores": scores_page.handle,
    "operator_console": console.handle,
    "resend_link": resend_link.handle,
    "suara_warga": forum_page.handle,
    "dukung_suara": forum_page.handle_support,
    "transparansi": transparency_page.handle,
    "home": home_page.handle,
    "report_photo": photo_page.handle,
}


def create_app(runtime: Runtime) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config["RUNTIME"] = runtime
    app.config["TRUSTED_HOSTS"] = headers.trusted_hosts(runtime.settings)  # any other Host: 400 (http_error)

    for name, handler in FUNCTIONS.items():
        # Every method reaches the handler (HEAD and OPTIONS too), which answers 405 with its own Allow list.
        app.add_url_rule(
            f"/{name}",
            endpoint=name,
            view_func=_bind(handler, runtime),
            methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
            provide_automatic_options=False,
        )

    app.after_request(headers.protect)
    app.before_request(runtime.begin_request)  # a read model reads its manifest again per request

    @app.get("/healthz")
    def healthz() -> Response:
        runtime.store.count("Pegawai")
        return Response('{"status": "ok"}', mimetype="application/json")

    @app.get("/")
    def landing() -> Response:
        services = [s for s in runtime.store.records("Layanan") if s.get("aktif") is not False][:3]
        return html(
            render("landing.html", sheets=_sheet_names(), examples=_examples(runtime), city=CITY, services=services)
        )

    @app.get("/ikm")
    def ikm_page() -> Response:
        from functions.citizens import ikm, ikm_report
        from functions.errors import KinerjaError
        from functions.web.http import error_page

        try:
            when = ikm_report.period(request.args.get("periode"), runtime.today())
            units, services = ikm_report.report(runtime.store, when)
        except KinerjaError as err:
            return error_page(err)
        records = [
            [{k: (None if v != v else v) for k, v in row.items()} for row in frame.to_dict("records")]
            for frame in (units, services)
        ]
        return html(
            render(
                "ikm.html",
                period=when,
                units=records[0],
                services=records[1],
                unsur=ikm.UNSUR,
                names={u["kode"]: u["nama"] for u in runtime.store.records("Unit")},
                service_names={s["id"]: s["nama"] for s in runtime.store.records("Layanan")},
            )
        )

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        name = request.path.strip("/")
        if err.code == 405 and name in FUNCTIONS:  # a method the rule does not list: the handler's own 405
            return FUNCTIONS[name](request, runtime)
        messages = {404: "Halaman tidak ditemukan.", 405: "Metode permintaan tidak didukung untuk halaman ini."}
        text = messages.get(err.code or 500, "Permintaan tidak dapat diproses.")
        if isinstance(err, SecurityError):  # a Host outside TRUSTED_HOSTS
            text = headers.WRONG_HOST.format(base_url=runtime.settings.base_url)
        response = html(render("error.html", message=text, status=err.code), err.code or 500)
        if isinstance(err, MethodNotAllowed):
            response.headers["Allow"] = ", ".join(err.valid_methods or ())
        return response

    from functions.web.operator import outbox_page, session, viewer

    # The sheets (Rahasia complaint texts, tracking codes) and the outbox (everyone's personal links) are for
    # operators only, locally too: both answer 403 without the console's session.
    sheets = viewer.blueprint(runtime)
    sheets.before_request(session.guard(runtime))
    app.register_blueprint(sheets, url_prefix="/lembar")
    outbox = outbox_page.blueprint(runtime)
    outbox.before_request(session.guard(runtime, city_wide=True))
    app.register_blueprint(outbox, url_prefix="/kotak-keluar")
    return app


def _bind(handler: Handler, runtime: Runtime) -> Callable[[], Response]:
    def view() -> Response:
        return handler(request, runtime)

    view.__name__ = handler.__module__.rsplit(".", 1)[-1]
    return view


def _examples(runtime: Runtime) -> list[dict[str, str]]:
    """A few personal links of the demo city, shown only in the local home."""
    if runtime.settings.environment != "local":
        return []
    from functions.staff import identity
    from functions.staff.links import personal_links

    links = personal_links(runtime.store, runtime.settings)
    supervisors = [link for link in links if link["review"]][:2]
    staff = [link for link in links if not link["review"]][:3]
    operators = {
        p["nip"]: p for p in runtime.store.records("Pegawai") if p.get("peran") and p.get("aktif") is not False
    }
    for link in links:
        if link["nip"] in operators:
            token = identity.make_token(runtime.settings.secret_key, operators[link["nip"]])
            link["console"] = identity.console_url(runtime.settings.base_url, token)
    shown = supervisors + staff + [link for link in links if "console" in link][:2]
    return list({link["nip"]: link for link in shown}.values())  # an operator may be one of the staff examples


def _sheet_names() -> list[str]:
    from functions import schema

    return [name for name, sheet in schema.load_all().items() if not sheet.private]
