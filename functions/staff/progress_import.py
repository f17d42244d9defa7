"""Importing e-Kinerja BKN's daily progress (Progres Harian) exports into LaporanHarian, through a column mapping.

A mapping (sheet PemetaanImpor, or the built-in :data:`DEFAULT` for the format we documented in README "Impor
progres harian e-Kinerja") names the file's column for each field; an operator saves a new one when BKN changes its
columns. ``preview`` reads the file under a mapping and says of every row whether it is new, already there ("sudah
ada": imported before, or sent through the app, ``functions.staff.duplicates``) or refused, with the reason naming
the row and the column; it writes nothing. ``apply`` appends the new rows of a preview without problems; a file with
a refused row changes nothing, and the same file again changes nothing (ids come from the row's content).

An imported activity links to the person's Target row of that year whose Rencana Hasil Kerja (or indicator) equals
the row's RHK after normalising; the indicator column, when mapped, chooses among several indicators of one RHK,
else the first in the sheet's order. A row whose RHK matches none is refused: scoring counts an activity towards
its indicator, and a row without one would count nowhere while looking imported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from functions import schema
from functions.errors import ValidationError
from functions.rendering import format_date
from functions.staff import duplicates, verification
from functions.staff.import_reading import blank
from functions.store import Row, Store

SHEET = "PemetaanImpor"
DEFAULT_NAME = "e-Kinerja BKN (bawaan)"
DEFAULT: Row = {
    "nama": DEFAULT_NAME,
    "kolom_nip": "NIP",
    "kolom_tanggal": "Tanggal",
    "format_tanggal": "HH-BB-TTTT",
    "kolom_rhk": "Rencana Hasil Kerja",
    "kolom_indikator": "Indikator",
    "kolom_uraian": "Uraian Kegiatan",
    "kolom_realisasi": "Realisasi",
    "kolom_bukti": "Link Bukti Dukung",
    "kolom_status": "Status",
    "status_disetujui": "Disetujui",
}
# The mapping's column fields and what each is, as the preview and its messages name them.
FIELDS = {
    "kolom_nip": "NIP",
    "kolom_tanggal": "Tanggal",
    "kolom_rhk": "RHK",
    "kolom_indikator": "Indikator",
    "kolom_uraian": "Uraian",
    "kolom_realisasi": "Realisasi",
    "kolom_bukti": "Bukti dukung",
    "kolom_status": "Status",
}
REQUIRED = ("kolom_nip", "kolom_tanggal", "kolom_rhk", "kolom_uraian")
WITHOUT = {  # what a preview says of an optional column the file does not have
    "kolom_indikator": "setiap RHK memakai indikator pertamanya di lembar Target",
    "kolom_realisasi": "setiap baris dihitung 1",
    "kolom_bukti": "kegiatan tersimpan tanpa tautan bukti dukung",
    "kolom_status": "semua kegiatan menunggu verifikasi atasan",
}
DATE_FORMATS = {"HH-BB-TTTT": ("%d-%m-%Y", "30-11-2026"), "HH/BB/TTTT": ("%d/%m/%Y", "30/11/2026"),
                "TTTT-BB-HH": ("%Y-%m-%d", "2026-11-30")}  # fmt: skip
NEW, EXISTS, APPROVED_SINCE, REFUSED = "baru", "sudah ada", "disetujui", "ditolak"
STATUSES = (NEW, EXISTS, APPROVED_SINCE, REFUSED)
APPROVED_SINCE_REASON = "sudah diimpor dan masih menunggu di sini; kini disetujui atasan di e-Kinerja"
APPROVED_NOTE = "Disetujui atasan di e-Kinerja BKN."


def mappings(store: Store) -> dict[str, Row]:
    """Every mapping by name: the built-in one first, then the saved ones."""
    return {DEFAULT_NAME: DEFAULT} | {m["nama"]: m for m in store.records(SHEET) if m["nama"] != DEFAULT_NAME}


def save_mapping(store: Store, typed: Mapping[str, str], by: str, at: datetime) -> Row:
    """Check and store a mapping typed in the console; ValidationError naming each bad field (by its key)."""
    spec = schema.sheet(SHEET)
    row: Row = {c.key: typed.get(c.key, "") for c in spec.columns if c.key not in ("diubah_oleh", "diubah_pada")}
    clean, problems = spec.validate(row | {"diubah_oleh": by, "diubah_pada": at})
    errors = {k: f"{spec.column(k).header}: {message}." for k, message in problems.items()}
    if (clean.get("nama") or "").casefold() == DEFAULT_NAME.casefold():
        errors["nama"] = f"Nama Pemetaan: {DEFAULT_NAME} adalah pemetaan bawaan; beri nama lain."
    given = [clean.get(k) for k in FIELDS if clean.get(k)]
    for k in FIELDS:
        if clean.get(k) and [_header(g) for g in given].count(_header(clean[k])) > 1:
            errors.setdefault(k, f"{spec.column(k).header}: kolom {clean[k]} sudah dipakai untuk isian lain.")
    if errors:
        raise ValidationError(errors)
    store.upsert(SHEET, [clean])
    return clean


@dataclass(frozen=True)
class Planned:
    """What importing one row of the file would do, with its fields as the mapping read them."""

    number: int  # the row in the file, the header being row 1
    status: str
    nip: str = ""
    nama: str = ""
    tanggal: str = ""
    rhk: str = ""
    indikator: str = ""
    kegiatan: str = ""
    realisasi: str = ""
    verifikasi: str = ""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgressPreview:
    mapping: str
    rows: tuple[Planned, ...]
    notes: tuple[str, ...] = ()  # problems of the file as a whole (a required column it does not have)
    warnings: tuple[str, ...] = ()  # an optional column it does not have: read without it, said in the preview
    writes: tuple[Row, ...] = field(default=(), compare=False)
    approvals: tuple[Row, ...] = field(default=(), compare=False)  # imported rows approved in e-Kinerja since

    @property
    def ok(self) -> bool:
        return not self.notes and self.count(REFUSED) == 0

    @property
    def pending(self) -> int:
        return self.count(NEW) + self.count(APPROVED_SINCE)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def of(self, status: str) -> list[Planned]:
        return [row for row in self.rows if row.status == status]

    @property
    def fingerprint(self) -> str:
        """A digest of every row's fate and of what would be written: equal fingerprints, equal writes."""
        spec = schema.sheet("LaporanHarian")
        skipped = ("diterima_pada", "diverifikasi_pada")  # the time of the preview, not of the write
        writes = [
            {k: spec.column(k).to_cell(v) for k, v in sorted(r.items()) if k not in skipped}
            for r in self.writes + self.approvals
        ]
        text = json.dumps(
            [
                self.mapping,
                [[r.number, r.status, list(r.reasons)] for r in self.rows],
                list(self.notes),
                list(self.warnings),
                writes,
            ],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class _Read:
    """One row of the file as parsed, before it is compared with the store."""

    shown: Planned  # the row as read, refused with its reasons until compared
    row: Row | None = None


def preview(
    store: Store, grid: list[list[Any]], mapping: Row, units: Collection[str] | None, now: datetime
) -> ProgressPreview:
    """Read ``grid`` (the file's cells, the header first) under ``mapping``, against the store and the operator's
    ``units`` (None for the whole city). Writes nothing."""
    name = str(mapping["nama"])
    if not grid or all(blank(h) for h in grid[0]):
        return ProgressPreview(name, (), ("Berkas kosong; baris pertama harus berisi judul kolom.",))
    index = {_header(h): i for i, h in reversed(list(enumerate(grid[0]))) if not blank(h)}
    columns: dict[str, tuple[int, str]] = {}
    notes: list[str] = []
    warnings: list[str] = []
    for key, label in FIELDS.items():
        wanted = str(mapping.get(key) or "").strip()
        if not wanted:
            warnings += [] if key in REQUIRED else [f"Pemetaan ini tanpa kolom {label}, sehingga {WITHOUT[key]}."]
        elif _header(wanted) in index:
            columns[key] = (index[_header(wanted)], wanted)
        elif key in REQUIRED:
            notes.append(f"Kolom {wanted} ({label}) tidak ada di berkas; periksa berkasnya atau pilih/buat pemetaan "
                         f"lain yang sesuai dengan judul kolomnya.")  # fmt: skip
        else:
            warnings.append(f"Kolom {wanted} ({label}) tidak ada di berkas, sehingga {WITHOUT[key]}.")
    if notes:
        return ProgressPreview(name, (), tuple(notes))
    people = {p["nip"]: p for p in store.records("Pegawai")}
    targets: dict[tuple[str, int], list[Row]] = {}
    for t in store.records("Target"):
        targets.setdefault((t["nip"], t["tahun"]), []).append(t)
    read = [
        _read(number, cells, columns, mapping, people, targets, units, now)
        for number, cells in enumerate(grid[1:], start=2)
        if not all(blank(c) for c in cells)
    ]
    return replace(_compare(store, name, read), warnings=tuple(warnings))


def _read(
    number: int,
    cells: list[Any],
    columns: dict[str, tuple[int, str]],
    mapping: Row,
    people: dict[str, Row],
    targets: dict[tuple[str, int], list[Row]],
    units: Collection[str] | None,
    now: datetime,
) -> _Read:
    spec = schema.sheet("LaporanHarian")
    raw = {key: (cells[i] if i < len(cells) else None) for key, (i, _) in columns.items()}
    shown = {key: "" if blank(v) else str(v).strip() for key, v in raw.items()}
    reasons: list[str] = []
    parsed: dict[str, Any] = {}

    def refuse(key: str, text: str) -> None:
        reasons.append(f"kolom {columns[key][1]}: {text}")

    def value(key: str, column: str) -> Any:
        try:
            found = spec.column(column).parse(raw.get(key))
        except ValueError as err:
            refuse(key, f"{err}.")
            return None
        if found is None and key in ("kolom_nip", "kolom_uraian", "kolom_realisasi"):
            refuse(key, "wajib diisi.")
        return found

    nip = value("kolom_nip", "nip")
    day = _date(raw["kolom_tanggal"], str(mapping.get("format_tanggal") or "HH-BB-TTTT"), refuse)
    kegiatan = value("kolom_uraian", "kegiatan")
    kuantitas = value("kolom_realisasi", "kuantitas") if "kolom_realisasi" in columns else 1
    bukti = value("kolom_bukti", "bukti_dukung") if "kolom_bukti" in columns else None
    person = people.get(nip) if nip else None
    if nip and person is None:
        refuse("kolom_nip", f"{nip} tidak ada di lembar Pegawai; tambahkan pegawainya lebih dulu.")
    elif person is not None and units is not None and person.get("unit") not in units:
        refuse("kolom_nip", f"pegawai {nip} bekerja di unit {person.get('unit')}, di luar OPD Anda; baris ini "
                            "hanya dapat diimpor oleh Operator BKPP atau operator OPD-nya.")  # fmt: skip
    if isinstance(day, date) and day > now.date():
        refuse("kolom_tanggal", "tanggal tidak boleh di masa depan.")
    if blank(raw["kolom_rhk"]):
        refuse("kolom_rhk", "wajib diisi.")
    target = None
    if person is not None and isinstance(day, date) and not blank(raw["kolom_rhk"]):
        target = _target(targets.get((person["nip"], day.year), []), raw, columns, refuse, day.year, person["nip"])
    approved = {duplicates.normalise(s) for s in str(mapping.get("status_disetujui") or "").split(",")} - {""}
    is_approved = "kolom_status" in columns and duplicates.normalise(raw["kolom_status"]) in approved
    parsed_ok = not reasons and person is not None and target is not None and isinstance(day, date)
    if parsed_ok and target is not None and person is not None:
        parsed = {
            "nip": person["nip"], "nama": person["nama"], "unit": person["unit"], "tanggal": day,
            "kegiatan": kegiatan, "id_target": target["id"], "indikator": target["indikator"],
            "kuantitas": kuantitas, "satuan": target["satuan"], "durasi_menit": None, "bukti_dukung": bukti,
            "kendala": None, "diterima_pada": now, "sumber": duplicates.IMPORTED,
            **_verified(is_approved, person, now),
        }  # fmt: skip
    as_read = Planned(
        number,
        REFUSED,
        nip=shown.get("kolom_nip", ""),
        nama=person["nama"] if person else "",
        tanggal=format_date(day) if isinstance(day, date) else shown.get("kolom_tanggal", ""),
        rhk=shown.get("kolom_rhk", ""),
        indikator=target["indikator"] if target else "",
        kegiatan=shown.get("kolom_uraian", ""),
        realisasi=f"{shown.get('kolom_realisasi') or '1'} {target['satuan'] if target else ''}".strip(),
        verifikasi=verification.APPROVED if is_approved else verification.PENDING,
        reasons=tuple(reasons),
    )
    return _Read(as_read, parsed or None)


def _verified(approved: bool, person: Row, now: datetime) -> Row:
    if not approved:
        return {"verifikasi": verification.PENDING}
    return {"verifikasi": verification.APPROVED, "diverifikasi_oleh": person.get("nip_atasan") or None,
            "diverifikasi_pada": now, "catatan_verifikasi": APPROVED_NOTE}  # fmt: skip


def _date(raw: Any, fmt: str, refuse: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if blank(raw):
        refuse("kolom_tanggal", "wajib diisi.")
        return None
    pattern, example = DATE_FORMATS.get(fmt, DATE_FORMATS["HH-BB-TTTT"])
    try:
        return datetime.strptime(str(raw).strip(), pattern).date()
    except ValueError:
        refuse("kolom_tanggal", f"tanggal harus berformat {fmt}, misalnya {example} (format di pemetaan).")
        return None


def _target(
    own: list[Row], raw: dict[str, Any], columns: dict[str, tuple[int, str]], refuse: Any, year: int, nip: str
) -> Row | None:
    """The person's Target row for the row's RHK (see the module's rule); None (refused) when there is none."""
    rhk = duplicates.normalise(raw["kolom_rhk"])
    found = [
        t for t in own if rhk in (duplicates.normalise(t["rencana_hasil_kerja"]), duplicates.normalise(t["indikator"]))
    ]
    if not found:
        refuse("kolom_rhk", f"RHK «{str(raw['kolom_rhk']).strip()}» tidak ada di Target SKP pegawai {nip} tahun "
                            f"{year}; impor dulu SKP-nya atau perbaiki teks RHK.")  # fmt: skip
        return None
    if "kolom_indikator" in columns and not blank(raw["kolom_indikator"]):
        wanted = duplicates.normalise(raw["kolom_indikator"])
        narrowed = [t for t in found if duplicates.normalise(t["indikator"]) == wanted]
        if not narrowed:
            refuse("kolom_indikator", f"indikator «{str(raw['kolom_indikator']).strip()}» tidak ada pada RHK ini "
                                      f"di Target SKP pegawai {nip} tahun {year}.")  # fmt: skip
            return None
        found = narrowed
    return found[0]


def _compare(store: Store, name: str, read: list[_Read]) -> ProgressPreview:
    """Each row's fate against what LaporanHarian holds on the file's days; ids from the rows' content."""
    rows = [r.row for r in read if r.row is not None]
    stored: list[Row] = []
    if rows:
        days = [r["tanggal"] for r in rows]
        stored = store.records("LaporanHarian", start=min(days), end=max(days))
    stored_ids = {str(r.get("id")): r for r in stored}
    app: dict[duplicates.Key, int] = {}
    for r in stored:
        if not duplicates.imported(r):
            app[duplicates.key(r)] = app.get(duplicates.key(r), 0) + 1
    seen: dict[duplicates.Key, int] = {}
    planned, writes, approvals = [], [], []
    for item in read:
        if item.row is None:
            planned.append(item.shown)
            continue
        k = duplicates.key(item.row)
        seen[k] = seen.get(k, 0) + 1
        submission, ident = duplicates.import_id(k, seen[k])
        row = item.row | {"id": ident, "id_kiriman": submission}
        old = stored_ids.get(row["id"])
        if old is not None and _approved_since(old, row):
            planned.append(replace(item.shown, status=APPROVED_SINCE, reasons=(APPROVED_SINCE_REASON,)))
            approvals.append(row)
        elif old is not None:
            planned.append(replace(item.shown, status=EXISTS, reasons=("sudah diimpor sebelumnya",)))
        elif duplicates.is_the_apps(seen[k], app.get(k, 0)):
            planned.append(replace(item.shown, status=EXISTS, reasons=("sudah dikirim lewat aplikasi",)))
        else:
            planned.append(replace(item.shown, status=NEW))
            writes.append(row)
    return ProgressPreview(name, tuple(planned), writes=tuple(writes), approvals=tuple(approvals))


def _approved_since(old: Row, new: Row) -> bool:
    """An imported row still waiting here that e-Kinerja now says is approved; a supervisor's decision made in the
    app (approved or returned) is never overridden."""
    return old.get("verifikasi") == verification.PENDING and new["verifikasi"] == verification.APPROVED


@dataclass(frozen=True)
class Applied:
    inserted: int
    approved: int


def apply(store: Store, plan: ProgressPreview) -> Applied:
    """Append the new rows of a preview without problems (each its own submission, all or nothing), then mark the
    rows approved in e-Kinerja since an earlier import (one cell update each; a retry finds the rest)."""
    if not plan.ok:
        raise ValidationError({"berkas": "Berkas ini masih berisi baris yang ditolak; perbaiki dulu, lalu impor lagi."})
    inserted = store.append("LaporanHarian", list(plan.writes)).inserted if plan.writes else 0
    for row in plan.approvals:
        values = {k: row.get(k) for k in ("verifikasi", "diverifikasi_oleh", "diverifikasi_pada", "catatan_verifikasi")}
        store.set_cells("LaporanHarian", row["id"], values)
    return Applied(inserted, len(plan.approvals))


def _header(text: Any) -> str:
    """A column title as compared: case and spacing do not matter."""
    return " ".join(str(text).split()).casefold()
