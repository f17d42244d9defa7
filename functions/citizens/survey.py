"""Citizen satisfaction surveys (SKM, PermenPANRB 14/2017): a form's answers to a Survei row.

Anonymous: no name, no contact. The nine unsur and their answer labels come from
``functions.citizens.ikm``; a respondent may leave an unsur unanswered, never all of them. A response with
unanswered unsur is asked about once ("Ada N unsur yang belum dijawab. Kirim juga?", ``Unanswered``): the form comes
back with ``CONFIRM`` set, and sending it again stores it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions import ids, schema
from functions.citizens.ikm import UNSUR
from functions.errors import NotFound, ValidationError
from functions.store import Row, Store

PROFILE = ("usia", "jenis_kelamin", "pendidikan", "pekerjaan")
LABELS = {
    "usia": "Usia",
    "jenis_kelamin": "Jenis kelamin",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
    "nip_pegawai": "Petugas yang melayani",
    "saran": "Saran",
}


CONFIRM = "kirim_walau_kosong"  # the form's answer to the question about unanswered unsur


class Unanswered(Exception):
    """A valid response that leaves some unsur unanswered and has not been confirmed yet."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(f"{len(keys)} unsur belum dijawab")
        self.keys = keys

    @property
    def question(self) -> str:
        return f"Ada {len(self.keys)} unsur yang belum dijawab. Kirim juga?"


@dataclass(frozen=True)
class Service:
    row: Row
    unit: Row

    @property
    def id(self) -> str:
        return str(self.row["id"])


def service(store: Store, service_id: str) -> Service:
    """An active service and its unit; 404 in Indonesian when there is none."""
    rows = store.records("Layanan", where={"id": service_id}) if service_id else []
    if not rows or rows[0].get("aktif") is False:
        raise NotFound("Layanan tidak ditemukan atau tidak lagi dibuka untuk survei. Pindai ulang kode QR di loket.")
    units = store.records("Unit", where={"kode": rows[0]["unit"]})
    unit = units[0] if units else {"kode": rows[0]["unit"], "nama": rows[0]["unit"]}
    return Service(row=rows[0], unit=unit)


def unit_services(store: Store, unit_code: str) -> tuple[Row, list[Row]]:
    units = store.records("Unit", where={"kode": unit_code}) if unit_code else []
    if not units:
        raise NotFound("Unit tidak ditemukan. Pindai ulang kode QR di loket.")
    services = [s for s in store.records("Layanan", where={"unit": unit_code}) if s.get("aktif") is not False]
    return units[0], services


def unit_staff(store: Store, unit_code: str) -> list[Row]:
    """Active staff of a unit, by name, for 'who served you' (names only are shown)."""
    staff = [p for p in store.records("Pegawai", where={"unit": unit_code}) if p.get("aktif") is not False]
    return sorted(staff, key=lambda p: p["nama"])


def build_row(form: Mapping[str, str], svc: Service, store: Store, now: datetime) -> Row:
    """Validate the answers and build the Survei row; raises ValidationError by field."""
    sheet = schema.sheet("Survei")
    errors: dict[str, str] = {}
    row: dict[str, Any] = {
        "id": form.get("id_kiriman", ""),
        "unit": svc.row["unit"],
        "id_layanan": svc.id,
        "tanggal": now.date(),
        "diterima_pada": now,
    }
    if not ids.is_valid(row["id"]):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang formulir lalu kirim lagi."
    for unsur in UNSUR:
        raw = form.get(unsur.key, "").strip()
        if raw not in ("", "1", "2", "3", "4"):
            errors[unsur.key] = f"{unsur.name}: pilih salah satu jawaban."
            continue
        row[unsur.key] = int(raw) if raw else None
    if not errors and all(row[u.key] is None for u in UNSUR):
        errors[UNSUR[0].key] = "Jawab paling sedikit satu pertanyaan survei."
    for key in (*PROFILE, "saran"):
        try:
            row[key] = sheet.column(key).parse(form.get(key, ""))
        except ValueError as err:
            errors[key] = f"{LABELS[key]}: {err}."
    chosen = form.get("nip_pegawai", "").strip()
    if chosen:
        if chosen not in {p["nip"] for p in unit_staff(store, svc.row["unit"])}:
            errors["nip_pegawai"] = f"{LABELS['nip_pegawai']}: pilih dari daftar petugas unit ini."
        else:
            row["nip_pegawai"] = chosen
    if errors:
        raise ValidationError(errors)
    missing = [u.key for u in UNSUR if row[u.key] is None]
    if missing and form.get(CONFIRM) != "ya":
        raise Unanswered(missing)
    return row


def submit(form: Mapping[str, str], svc: Service, store: Store, now: datetime) -> bool:
    """Store one response; returns False when the same submission was already stored."""
    row = build_row(form, svc, store, now)
    return not store.append("Survei", [row]).was_duplicate
