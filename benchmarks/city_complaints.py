"""The city's complaints: 10,000 Aduan over the year with their events, as the store holds them.

Like ``functions.demo.complaints``, rows are built directly with the real deadline rules
(``deadlines.due_times``, ``Calendar.add_workdays``): most complaints are dispatched within a
few working days (six in ten to a named employee of the unit), most are answered, some late,
some never, a few rejected. Only what was received and happened by the run's moment is kept.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np

from functions import schema
from functions.citizens import complaints, deadlines
from functions.rules.workdays import WIB, Calendar

if TYPE_CHECKING:
    from benchmarks.city_people import Staff, Units
    from functions.store import Row

COMPLAINTS = 10_000
KATEGORI = {"Puskesmas": "Kesehatan", "Kelurahan": "Pelayanan", "Kecamatan": "Pelayanan"}
PRIVASI = ("Biasa", "Biasa", "Rahasia", "Anonim")
TEXT = "Pengaduan warga tentang layanan unit."
ANSWER = "Sudah kami tindak lanjuti; terima kasih atas laporannya."


def rows(seed: int, year: int, units: Units, staff: Staff, calendar: Calendar, now: datetime) -> dict[str, list[Row]]:
    """Aduan and AduanPeristiwa rows of the year (every column, as ``store.records`` gives them)."""
    rng = np.random.default_rng([seed, 3])
    first = date(year, 1, 1)
    days = np.array([first + timedelta(days=n) for n in range(365)], dtype=object)
    weight = np.array([1.0 if d.weekday() < 5 else 0.4 for d in days])
    when = np.sort(rng.choice(len(days), COMPLAINTS, p=weight / weight.sum()))
    serving = np.flatnonzero(~np.isin(units.jenis, ("Bagian", "Bidang")))
    named_unit = rng.random(COMPLAINTS) < 0.7
    unit = rng.choice(serving, COMPLAINTS)
    team = {u: staff.nip[(staff.unit == u) & (staff.boss >= 0) & staff.aktif] for u in range(len(units.kode))}
    heads = staff.nip[units.head]
    aduan: list[Row] = []
    events: list[Row] = []
    aduan_keys, event_keys = schema.sheet("Aduan").keys, schema.sheet("AduanPeristiwa").keys
    draws = rng.random((COMPLAINTS, 8))
    for n in range(COMPLAINTS):
        u = int(unit[n])
        d = draws[n]
        received = datetime.combine(days[when[n]], time(6 + int(d[0] * 16), int(d[1] * 60)), tzinfo=WIB)
        if received > now:
            break
        kategori = KATEGORI.get(str(units.jenis[u]), "Lainnya" if d[2] < 0.5 else "Infrastruktur")
        ident = f"benchaduan{n:05d}"
        due = deadlines.due_times(received, kategori, calendar, {})
        privasi = PRIVASI[int(d[3] * len(PRIVASI))]
        row = dict.fromkeys(aduan_keys)
        row.update(id=ident, kode=_code(n),
                   tanggal=received.date(), diterima_pada=received, kategori=kategori,
                   unit=str(units.kode[u]) if named_unit[n] else None, uraian=TEXT, privasi=privasi,
                   ada_kontak=privasi != "Anonim" and d[4] < 0.7, batas_verifikasi=due.verifikasi,
                   batas_tindak_lanjut=due.tindak_lanjut)  # fmt: skip
        aduan.append(row)
        happened: list[Row] = [{"id": f"{ident}-diterima", "id_aduan": ident, "jenis": "Diterima", "waktu": received}]
        happened += _handling(rng, ident, received, u, units, team[u], heads[u], calendar, d[5:])
        events += [{**dict.fromkeys(event_keys), **e} for e in happened if e["waktu"] <= now]
    return {"Aduan": aduan, "AduanPeristiwa": events}


def _handling(
    rng: np.random.Generator,
    ident: str,
    received: datetime,
    u: int,
    units: Units,
    team: np.ndarray,
    head: str,
    calendar: Calendar,
    d: np.ndarray,
) -> list[Row]:
    if d[0] < 0.03:
        at = calendar.add_workdays(received, 1) - timedelta(hours=6)
        return [{"id": f"{ident}-tolak", "id_aduan": ident, "jenis": "Ditolak", "waktu": at, "oleh_nip": head,
                 "catatan": "Bukan kewenangan Pemerintah Kota."}]  # fmt: skip
    dispatched = calendar.add_workdays(received, int(rng.choice((1, 1, 2, 4)))) - timedelta(hours=int(d[1] * 5 + 5))
    assignee = str(rng.choice(team)) if len(team) and d[2] < 0.6 else None
    out: list[Row] = [
        {"id": f"{ident}-disposisi", "id_aduan": ident, "jenis": "Didisposisikan", "waktu": dispatched,
         "oleh_nip": head, "unit_tujuan": str(units.kode[u]), "nip_tujuan": assignee,
         "catatan": "Mohon ditindaklanjuti sesuai standar pelayanan."}
    ]  # fmt: skip
    if rng.random() < 0.12:
        return out  # never answered
    answered = calendar.add_workdays(dispatched, int(rng.choice((1, 2, 3, 4, 7)))) - timedelta(hours=6)
    out.append({"id": f"{ident}-jawaban", "id_aduan": ident, "jenis": "Ditindaklanjuti", "waktu": answered,
                "oleh_nip": assignee or head, "catatan": ANSWER})  # fmt: skip
    if rng.random() < 0.3:
        out.append({"id": f"{ident}-selesai", "id_aduan": ident, "jenis": "Selesai",
                    "waktu": answered + timedelta(days=3), "oleh_nip": head})  # fmt: skip
    return out


def _code(n: int) -> str:
    """A tracking code of the complaints' alphabet, unique per complaint number."""
    letters = "".join(complaints.CODE_ALPHABET[n // 32**i % 32] for i in range(4))
    return f"ADU-BNCH-MARK-{letters}"
