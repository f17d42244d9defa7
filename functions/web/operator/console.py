"""The operator's console (``operator_console``): setup checklist, Konfigurasi, personal links, slips, sheets, outbox.

Opened with the operator's personal link (``?t=``), then carried by the session cookie (``session``). Sections are
chosen with ``?bagian=``: ``persiapan`` (the checklist, the default), ``konfigurasi``, ``tautan`` (per unit:
send by email, WhatsApp, revoke and reissue), ``slip`` (printable A4 slips of a unit with QR codes) and ``impor``
(master data from an uploaded CSV or XLSX: preview, then confirm; ``import_page``) and ``suara`` (Suara Warga:
publish, decline and answer citizens' suggestions; ``forum_console``). An OPD operator sees and changes
only their OPD's people; Konfigurasi is the city's and only a BKPP operator changes it. ``kios`` issues and revokes
kiosk links: a tablet at a service counter takes that service's survey, limited per kiosk (``citizens.kiosk``).
``progres`` imports e-Kinerja's daily progress exports under a saved column mapping (``progress_page``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlencode

from flask import Request, Response

from functions.errors import BadRequest, Conflict, Forbidden, ValidationError
from functions.ids import new_id
from functions.rendering import render
from functions.rules import config
from functions.runtime import Runtime
from functions.staff import identity, operators
from functions.store import Row
from functions.web import headers
from functions.web.http import form_page, guarded, html, read_post, require_method
from functions.web.operator import forum_console, import_page, progress_page, session

log = logging.getLogger(__name__)
SECTIONS = {
    "persiapan": "Persiapan",
    "konfigurasi": "Konfigurasi",
    "tautan": "Tautan pribadi",
    "impor": "Impor data",
    "poster": "Poster layanan",
    "suara": "Suara Warga",
    "kios": "Tautan kios",
    "progres": "Impor progres e-Kinerja",
}
BKPP_ONLY = "Konfigurasi berlaku untuk seluruh kota: hanya Operator BKPP yang dapat mengubahnya."


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda r: _handle(r, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")  # HEAD as GET
    if method == "GET" and request.args.get("t"):
        _, _, value = session.open_session(runtime, request.args.get("t"))
        response = Response(status=303, headers={"Location": "/operator_console"})
        return session.attach(response, runtime, value)
    employee, operator = session.current(request, runtime)
    if method == "POST" and request.mimetype == "multipart/form-data" and request.args.get("bagian") == "progres":
        extra, status = progress_page.post(request, runtime, employee, operator)
        return _page(request, runtime, employee, operator, "progres", extra=extra, status=status)
    if method == "POST" and request.mimetype == "multipart/form-data":
        extra, status = import_page.post(request, runtime, employee, operator)
        return _page(request, runtime, employee, operator, "impor", extra=extra, status=status)
    if method == "POST":
        return _act(request, runtime, employee, operator)
    section = request.args.get("bagian") or "persiapan"
    if section == "slip":
        return _slips(runtime, operator, request.args.get("unit") or "")
    if section == "poster" and request.args.get("layanan"):
        return _poster(runtime, operator, request.args.get("layanan") or "")
    if section == "impor" and "templat" in request.args:
        return import_page.template(request.args.get("templat", ""), request.args.get("format", ""))
    if section not in SECTIONS:
        raise BadRequest(f"Bagian {section!r} tidak dikenal (isian bagian). Pilih dari menu konsol.")
    return _page(request, runtime, employee, operator, section, unit=request.args.get("unit") or "")


def _page(
    request: Request,
    runtime: Runtime,
    employee: Row,
    operator: operators.Operator,
    section: str,
    *,
    unit: str = "",
    message: str = "",
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    store = runtime.store
    units = [u for u in store.records("Unit") if operator.covers(u["kode"])]
    context: dict[str, Any] = {
        "operator": operator,
        "employee": employee,
        "sections": SECTIONS,
        "section": section,
        "units": units,
        "message": message,
        "errors": errors or {},
        "typed": typed or {},
        "submission_id": new_id(),
    }
    if section == "persiapan":
        sent = operators.sent_link_nips(store)
        context["items"] = operators.checklist(store, operator, runtime.today().year, sent)
        context["problems"] = config.problems(store)
    elif section == "konfigurasi":
        context["options"] = _options(store)
        context["can_edit"] = operator.city_wide
        history = sorted(store.records("RiwayatKonfigurasi"), key=lambda r: r["waktu"], reverse=True)[:20]
        context["history"] = history
    elif section == "tautan":
        if unit and not operator.covers(unit):
            raise Forbidden("Unit ini tidak termasuk OPD yang Anda kelola.")
        context["unit"] = unit
        sent = operators.sent_link_nips(store)
        context["waiting"] = len([p for p in operators.people(store, operator) if p["nip"] not in sent])
        context["people"] = _people_of(runtime, operator, unit, sent) if unit else []
    elif section == "impor":
        context |= import_page.context(operator) | (extra or {})
    elif section == "poster":
        names = {u["kode"]: u["nama"] for u in units}
        context["services"] = [
            s | {"nama_unit": names[s["unit"]]}
            for s in store.records("Layanan")
            if s.get("aktif") is not False and s.get("unit") in names
        ]
    elif section == "suara":
        context |= forum_console.context(runtime, operator)
    elif section == "kios":
        context |= _kiosks(runtime, units)
    elif section == "progres":
        context |= progress_page.context(runtime, request.args.get("pemetaan") or "") | (extra or {})
    return form_page(request, runtime, "console.html", status, **context)


def _kiosks(runtime: Runtime, units: list[Row]) -> dict[str, Any]:
    from functions.citizens import kiosk

    names = {u["kode"]: u["nama"] for u in units}
    services = {s["id"]: s for s in runtime.store.records("Layanan") if s.get("aktif") is not False}
    base = runtime.settings.base_url
    booths = [
        k | {"nama_layanan": services.get(k["layanan"], {}).get("nama", k["layanan"]), "nama_unit": names[k["unit"]],
             "tautan": f"{base}/{kiosk.survey_path(runtime.settings.secret_key, k)}"}
        for k in kiosk.active(runtime.store, set(names))
    ]  # fmt: skip
    offered = [s | {"nama_unit": names[s["unit"]]} for s in services.values() if s.get("unit") in names]
    return {"kiosks": booths, "kiosk_services": sorted(offered, key=lambda s: (s["nama_unit"], s["nama"]))}


def _options(store: Any) -> list[dict[str, Any]]:
    stored = {r["kunci"]: r["nilai"] for r in store.records("Konfigurasi")}
    problems = config.problems(store)
    return [
        {
            "kunci": key,
            "keterangan": option.description,
            "bawaan": option.default or "(kosong)",
            "nilai": "" if stored.get(key) is None else str(stored[key]),
            "masalah": problems.get(key, ""),
        }
        for key, option in config.DEFAULTS.items()
    ]


def _people_of(runtime: Runtime, operator: operators.Operator, unit: str, sent: set[str]) -> list[dict[str, Any]]:
    store = runtime.store
    everyone = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in everyone if p.get("nip_atasan")}
    found = []
    for person in operators.people(store, operator):
        if person["unit"] != unit:
            continue
        token = identity.make_token(runtime.settings.secret_key, person)
        link = identity.home_url(runtime.settings.base_url, token)
        text = f"Yth. {person['nama']}, ini tautan pribadi Pantau Kinerja Anda (jangan diteruskan): {link}"
        found.append(
            {
                "nip": person["nip"],
                "nama": person["nama"],
                "jabatan": person.get("jabatan") or "",
                "atasan": person["nip"] in supervisors,
                "terkirim": person["nip"] in sent,
                "ada_email": bool(person.get("email")),
                "whatsapp": "https://wa.me/?" + urlencode({"text": text}, quote_via=quote),
            }
        )
    return sorted(found, key=lambda p: p["nama"])


def _act(request: Request, runtime: Runtime, employee: Row, operator: operators.Operator) -> Response:
    form = read_post(request, runtime)
    action = form.get("aksi", "")
    if action == "konfigurasi":
        if not operator.city_wide:
            raise Forbidden(BKPP_ONLY)
        key, typed = form.get("kunci", ""), form.get("nilai", "")
        try:
            old, new = config.change(
                runtime.store, key, typed, by=employee["nip"], at=runtime.now(), change_id=form.get("id_kiriman") or ""
            )
        except ValidationError as err:
            return _page(
                request, runtime, employee, operator, "konfigurasi", errors={key: err.fields.get("nilai", err.message)},
                typed={key: typed}, status=400,
            )  # fmt: skip
        except Conflict:
            old, new = "", typed.strip()
        text = f"{key} diubah dari {old or '(bawaan)'} menjadi {new or '(bawaan)'}." if old != new else "Tidak berubah."
        return _page(request, runtime, employee, operator, "konfigurasi", message=text)
    if action == "kirim":
        return _send(request, runtime, employee, operator, form)
    if action == "cabut":
        person = operators.revoke(runtime.store, operator, form.get("nip", ""))
        log.info("personal link revoked by an operator")
        text = (
            f"Tautan lama {person['nama']} sudah dicabut (versi {person['versi_tautan']}). "
            "Kirim tautan barunya lewat email, WhatsApp atau slip."
        )
        return _page(request, runtime, employee, operator, "tautan", unit=person["unit"], message=text)
    if action == "poster":
        service = _service(runtime, operator, form.get("layanan", ""))
        runtime.store.upsert("Layanan", [service | {"poster_dipasang": runtime.today()}])
        text = f"Poster {service['nama']} ditandai sudah dipasang di loket."
        return _page(request, runtime, employee, operator, "poster", message=text)
    if action == "suara":
        text, errors, kept, status = forum_console.act(runtime, employee, operator, form)
        return _page(request, runtime, employee, operator, "suara", message=text, errors=errors, typed=kept,
                     status=status)  # fmt: skip
    if action == "pemetaan":
        extra, status = progress_page.save(runtime, employee, form)
        return _page(request, runtime, employee, operator, "progres", extra=extra, status=status)
    if action in ("kios", "kios_cabut"):
        return _kiosk_action(request, runtime, employee, operator, form)
    raise BadRequest("Tindakan (isian aksi) tidak dikenal. Muat ulang konsol, lalu coba lagi.")


def _kiosk_action(
    request: Request, runtime: Runtime, employee: Row, operator: operators.Operator, form: dict[str, str]
) -> Response:
    from functions.citizens import kiosk

    store = runtime.store
    if form.get("aksi") == "kios_cabut":
        rows = store.records("Kios", where={"id": form.get("kios", "")})
        if not rows or not operator.covers(rows[0]["unit"]):
            raise Forbidden("Kios ini tidak ada atau tidak termasuk unit yang Anda kelola.")
        booth = kiosk.revoke(store, rows[0], runtime.now())
        text = f"Tautan kios {booth['nama']} sudah dicabut: tablet itu tidak dapat lagi mengirim survei."
        return _page(request, runtime, employee, operator, "kios", message=text)
    service = _service(runtime, operator, form.get("layanan", ""))
    try:
        booth = kiosk.issue(
            store, service, form.get("nama", ""), employee["nip"], runtime.now(), form.get("id_kiriman", "")
        )
    except ValidationError as err:
        typed = {"nama": form.get("nama", ""), "layanan": service["id"]}
        return _page(request, runtime, employee, operator, "kios", errors=err.fields, typed=typed, status=400)
    text = f"Tautan kios {booth['nama']} untuk {service['nama']} sudah terbit. Buka tautannya di tablet loket."
    return _page(request, runtime, employee, operator, "kios", message=text)


def _service(runtime: Runtime, operator: operators.Operator, ident: str) -> Row:
    """An active service of the operator's units; Forbidden otherwise."""
    rows = [s for s in runtime.store.records("Layanan", where={"id": ident}) if s.get("aktif") is not False]
    if not rows or not operator.covers(rows[0].get("unit")):
        raise Forbidden("Layanan ini tidak ada atau tidak termasuk unit yang Anda kelola.")
    return rows[0]


def _poster(runtime: Runtime, operator: operators.Operator, ident: str) -> Response:
    from functions.citizens.posters import poster_page

    service = _service(runtime, operator, ident)
    page = poster_page(runtime.store, runtime.settings, service["id"])
    if page is None:
        raise BadRequest("Unit layanan ini tidak ada di lembar Unit: perbaiki lembar Layanan, lalu cetak lagi.")
    return headers.with_own_style(html(page), page)


def _send(
    request: Request, runtime: Runtime, employee: Row, operator: operators.Operator, form: dict[str, str]
) -> Response:
    from functions.mail import links

    store = runtime.store
    target, unit = form.get("sasaran", ""), form.get("unit", "")
    scope = operators.people(store, operator)
    if target == "orang":
        chosen = [p for p in scope if p["nip"] == form.get("nip")]
        if not chosen:
            raise Forbidden("NIP ini tidak ada di unit yang Anda kelola.")
        unit = chosen[0]["unit"]
    elif target == "unit":
        if not operator.covers(unit):
            raise Forbidden("Unit ini tidak termasuk OPD yang Anda kelola.")
        chosen = [p for p in scope if p["unit"] == unit]
    elif target == "belum":
        sent = operators.sent_link_nips(store)
        chosen = [p for p in scope if p["nip"] not in sent]
    else:
        raise BadRequest("Sasaran pengiriman (isian sasaran) tidak dikenal: pilih orang, unit atau belum.")
    report, skipped = links.send_links(store, runtime.settings, chosen, employee["nama"], runtime.now)
    parts = [f"{report.sent} email tautan terkirim"]
    if report.already_sent:
        parts.append(f"{report.already_sent} sudah dikirim hari ini")
    if skipped:
        parts.append(f"{skipped} tanpa alamat email yang valid (pakai slip atau WhatsApp)")
    if report.deferred:
        parts.append(f"{report.deferred} menunggu besok (batas harian email)")
    if report.failed:
        parts.append(f"{len(report.failed)} gagal, coba lagi nanti")
    return _page(request, runtime, employee, operator, "tautan", unit=unit, message="; ".join(parts) + ".")


def _slips(runtime: Runtime, operator: operators.Operator, unit: str) -> Response:
    from functions.citizens.posters import inline_svg, qr_code

    store = runtime.store
    names = {u["kode"]: u["nama"] for u in store.records("Unit")}
    if unit not in names:
        raise BadRequest("Pilih unit (isian unit) yang slipnya dicetak.")
    if not operator.covers(unit):
        raise Forbidden("Unit ini tidak termasuk OPD yang Anda kelola.")
    slips = []
    for person in sorted(operators.people(store, operator), key=lambda p: p["nama"]):
        if person["unit"] != unit:
            continue
        link = identity.home_url(runtime.settings.base_url, identity.make_token(runtime.settings.secret_key, person))
        slips.append({"nama": person["nama"], "nip": person["nip"], "jabatan": person.get("jabatan") or "",
                      "qr": inline_svg(qr_code(link))})  # fmt: skip
    return html(render("console_slips.html", unit=names[unit], slips=slips))
