"""Operators: who runs the programme, over which units, and the setup checklist they work through.

An operator is an employee whose Pegawai row says ``peran``: *Operator BKPP* sets up and runs the whole city,
*Operator OPD* one OPD (the operator's own unit and every unit below it through ``Unit.induk``). They reach the
console through their own personal link, so signing and revocation are those of every link (``identity``).

The checklist counts what blocks a go-live, each item with the rows behind it, always within the operator's units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from functions.errors import Forbidden
from functions.schema import sheet
from functions.store import Row, Store

BKPP, OPD = "Operator BKPP", "Operator OPD"
NOT_OPERATOR = (
    "Tautan ini bukan tautan operator. Konsol operator hanya untuk Operator BKPP dan Operator OPD yang tercatat "
    "di lembar Pegawai (kolom Peran Operator); mintalah kepada Operator BKPP."
)
TEAM_LIMIT = 30  # direct reports above which a team is flagged: a supervisor cannot verify so many every day
LINKS_SENT = "Tautan Pribadi"  # Terkirim.jenis of a personal-link email


@dataclass(frozen=True)
class Operator:
    nip: str
    nama: str
    role: str
    units: frozenset[str] | None  # None: the whole city

    @property
    def city_wide(self) -> bool:
        return self.units is None

    def covers(self, unit: Any) -> bool:
        return self.units is None or unit in self.units


def operator_of(store: Store, employee: Row) -> Operator:
    """The operator an (already authenticated) employee is; Forbidden when they are none."""
    role = employee.get("peran")
    if role == BKPP:
        return Operator(employee["nip"], employee["nama"], role, None)
    if role == OPD:
        return Operator(employee["nip"], employee["nama"], role, frozenset(units_below(store, employee["unit"])))
    raise Forbidden(NOT_OPERATOR)


def units_below(store: Store, root: str) -> set[str]:
    """A unit and every unit whose ``induk`` chain leads to it."""
    children: dict[str, list[str]] = {}
    for unit in store.records("Unit"):
        if unit.get("induk"):
            children.setdefault(unit["induk"], []).append(unit["kode"])
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def people(store: Store, operator: Operator, *, active_only: bool = True) -> list[Row]:
    """The Pegawai rows within the operator's units."""
    rows = [p for p in store.records("Pegawai") if operator.covers(p.get("unit"))]
    return [p for p in rows if p.get("aktif") is not False] if active_only else rows


@dataclass
class Item:
    """One line of the checklist: what, how many, and the rows behind it (names and units, never links)."""

    key: str
    title: str
    hint: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def checklist(store: Store, operator: Operator, year: int, sent_links: Iterable[str]) -> list[Item]:
    """The setup checklist of the operator's units for ``year`` (SKP targets), ``sent_links`` the NIPs whose
    current personal link has been emailed."""
    every_unit = store.records("Unit")
    units = [u for u in every_unit if operator.covers(u["kode"])]
    names = {u["kode"]: u["nama"] for u in every_unit}
    active = [p for p in store.records("Pegawai") if p.get("aktif") is not False]
    staff = [p for p in active if operator.covers(p.get("unit"))]
    nips = {p["nip"] for p in active}
    heads = {u.get("nip_kepala") for u in units}
    team: dict[str, int] = {}
    for p in staff:
        if p.get("nip_atasan"):
            team[p["nip_atasan"]] = team.get(p["nip_atasan"], 0) + 1
    targets = {t["nip"] for t in store.records("Target", where={"tahun": year})}
    services = [s for s in store.records("Layanan") if operator.covers(s.get("unit")) and s.get("aktif") is not False]
    email = sheet("Pegawai").column("email")
    sent = set(sent_links)

    def person(p: Mapping[str, Any], note: str = "") -> dict[str, Any]:
        return {"nip": p["nip"], "nama": p["nama"], "unit": names.get(p["unit"], p["unit"]), "catatan": note}

    def bad_email(p: Mapping[str, Any]) -> str:
        if not p.get("email"):
            return "kosong"
        try:
            email.parse(p["email"])
        except Exception:  # the schema's own check; any refusal is a bad address
            return "tidak valid"
        return ""

    from functions.rules import config

    start = config.get(store, "tanggal_mulai_program")
    return [
        Item(
            "mulai_program",
            "Tanggal mulai program belum diisi",
            "Isi tanggal_mulai_program di Konfigurasi: tanpa itu, minggu-minggu sebelum pegawai mulai melapor ikut "
            "dinilai dan memunculkan peringatan tidak melapor.",
            [] if start else [{"nip": "", "nama": "tanggal_mulai_program", "unit": "Konfigurasi", "catatan": "kosong"}],
        ),
        Item(
            "unit_tanpa_kepala",
            "Unit tanpa kepala",
            "Isi NIP Kepala di lembar Unit: kepala menerima laporan unit dan mendisposisikan pengaduan.",
            [
                {"nip": "", "nama": u["nama"], "unit": u["kode"], "catatan": "kepala tidak tercatat atau tidak aktif"}
                for u in units
                if not u.get("nip_kepala") or u["nip_kepala"] not in nips
            ],
        ),
        Item(
            "tanpa_atasan",
            "Pegawai tanpa atasan",
            "Isi NIP Atasan di lembar Pegawai: tanpa atasan, laporan hariannya tidak diverifikasi siapa pun.",
            [
                person(p, "NIP atasan tidak dikenal" if p.get("nip_atasan") else "")
                for p in staff
                if p["nip"] not in heads and (not p.get("nip_atasan") or p["nip_atasan"] not in nips)
            ],
        ),
        Item(
            "tim_terlalu_besar",
            f"Tim lebih dari {TEAM_LIMIT} orang",
            "Bagi tim ini di antara beberapa atasan: satu atasan tidak sempat memverifikasi laporan sebanyak itu.",
            [person(p, f"{team[p['nip']]} anggota") for p in staff if team.get(p["nip"], 0) > TEAM_LIMIT],
        ),
        Item(
            "tanpa_target",
            f"Pegawai tanpa target SKP {year}",
            "Impor lembar Target: tanpa target, hasil kerja tidak dapat dinilai.",
            [person(p) for p in staff if p["nip"] not in targets],
        ),
        Item(
            "email",
            "Email kosong atau tidak valid",
            "Perbaiki kolom Email di lembar Pegawai: ringkasan mingguan dan tautan pribadi dikirim ke sana.",
            [person(p, why) for p in staff if (why := bad_email(p))],
        ),
        Item(
            "layanan_tanpa_populasi",
            "Layanan tanpa jumlah populasi",
            "Isi Populasi di lembar Layanan: ukuran sampel survei (Krejcie-Morgan) dihitung darinya.",
            [
                {"nip": "", "nama": s["nama"], "unit": names.get(s["unit"], s["unit"]), "catatan": s["id"]}
                for s in services
                if not s.get("populasi")
            ],
        ),
        Item(
            "layanan_tanpa_poster",
            "Layanan tanpa poster QR di loket",
            "Cetak poster layanan di bagian Poster layanan dan tandai setelah dipasang: tanpa poster, warga tidak "
            "dapat mengisi survei kepuasan.",
            [
                {"nip": "", "nama": s["nama"], "unit": names.get(s["unit"], s["unit"]), "catatan": s["id"]}
                for s in services
                if not s.get("poster_dipasang")
            ],
        ),
        Item(
            "tautan_belum_dikirim",
            "Tautan pribadi belum dikirim",
            "Kirim tautan lewat email di bagian Tautan pribadi, atau cetak slipnya per unit.",
            [person(p) for p in staff if p["nip"] not in sent],
        ),
    ]


def sent_link_nips(store: Store) -> set[str]:
    """NIPs to whom a personal-link email went (Terkirim rows ``<day>:tautan:<nip>``). A link revoked later is
    not tracked here: the operator sends the new one on purpose, from the same page."""
    return {row["nip"] for row in store.records("Terkirim", where={"jenis": LINKS_SENT})}


def revoke(store: Store, operator: Operator, nip: str) -> Row:
    """Raise a person's link version: every older link of theirs stops working. Returns the updated row."""
    rows = store.records("Pegawai", where={"nip": nip})
    if not rows or not operator.covers(rows[0].get("unit")):
        raise Forbidden("NIP ini tidak ada di unit yang Anda kelola.")
    person = dict(rows[0])
    person["versi_tautan"] = int(person.get("versi_tautan") or 1) + 1
    store.upsert("Pegawai", [person])
    return person
