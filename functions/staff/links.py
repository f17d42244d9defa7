"""Every active employee's personal links, for the operator to hand out.

Everyone's first link is their home page (Beranda), which leads to all their pages; the others open one page
each. Supervisors (anyone named as someone's ``nip_atasan``) get links to verify, rate and see their team. A link
is a credential: the CSV is for the operator's hands, not a shared sheet.
"""

from __future__ import annotations

import csv
import io

from functions.settings import Settings
from functions.staff import identity
from functions.store import Store

CSV_HEADERS = (
    "NIP",
    "Nama",
    "Jabatan",
    "Kode Unit",
    "Tautan Laporan Harian",
    "Tautan Verifikasi Tim",
    "Tautan Penilaian Perilaku",
    "Tautan Skor Tim",
    "Tautan Pengaduan Unit",
    "Tautan Beranda",
)


def personal_links(store: Store, settings: Settings) -> list[dict[str, str]]:
    employees = store.records("Pegawai")
    supervisors = {e["nip_atasan"] for e in employees if e.get("nip_atasan")}
    links = []
    for e in employees:
        if e.get("aktif") is False:
            continue
        token = identity.make_token(settings.secret_key, e)
        links.append(
            {
                "nip": e["nip"],
                "nama": e["nama"],
                "jabatan": e["jabatan"],
                "unit": e["unit"],
                "report": identity.report_url(settings.base_url, token),
                "review": identity.review_url(settings.base_url, token) if e["nip"] in supervisors else "",
                "behaviour": identity.behaviour_url(settings.base_url, token) if e["nip"] in supervisors else "",
                "scores": identity.scores_url(settings.base_url, token) if e["nip"] in supervisors else "",
                "complaints": identity.complaints_url(settings.base_url, token),
                "home": identity.home_url(settings.base_url, token),
            }
        )
    return links


def to_csv(links: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for link in links:
        writer.writerow(
            [
                link[k]
                for k in (
                    "nip",
                    "nama",
                    "jabatan",
                    "unit",
                    "report",
                    "review",
                    "behaviour",
                    "scores",
                    "complaints",
                    "home",
                )
            ]
        )
    return out.getvalue()
