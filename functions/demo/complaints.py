"""The demo city's complaints: four weeks of Aduan with their events, some answered late.

Rows are built directly (not through the forms) with the real deadline rules, from a
generator of their own so that they never shift the people, reports or surveys.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from functions.citizens import complaints, deadlines
from functions.rules.workdays import Calendar
from functions.store import Row

WIB = ZoneInfo("Asia/Jakarta")
SEED = 44

# (kategori, unit, text) — typical complaints of a city's channel.
TEXTS: tuple[tuple[str, str | None, str], ...] = (
    ("Kependudukan", "DISDUKCAPIL", "Antrean perekaman KTP-el sangat panjang, saya datang jam 7 baru dilayani jam 12."),
    ("Kependudukan", "DISDUKCAPIL", "Kartu keluarga yang saya ajukan dua minggu lalu belum jadi, tidak ada kabar."),
    ("Kependudukan", "DISDUKCAPIL", "Petugas loket meminta fotokopi berkas yang tidak ada di persyaratan."),
    ("Kesehatan", "PKM-PANDANARAN", "Jadwal imunisasi di puskesmas berubah tanpa pemberitahuan."),
    ("Kesehatan", "PKM-HALMAHERA", "Ruang tunggu puskesmas panas, kipas angin rusak sejak sebulan."),
    ("Kesehatan", "PKM-HALMAHERA", "Obat yang diresepkan kosong dan saya diminta membeli di luar."),
    ("Pelayanan", "KEL-PEKUNDEN", "Surat pengantar dari kelurahan butuh tiga hari, padahal katanya satu hari."),
    ("Pelayanan", "KEL-MIROTO", "Kantor kelurahan tutup pada jam kerja hari Jumat siang."),
    ("Infrastruktur", None, "Lampu penerangan jalan di gang dekat rumah saya mati sudah dua minggu."),
    ("Infrastruktur", None, "Saluran air di depan pasar tersumbat dan banjir kalau hujan."),
    ("Kepegawaian", "BKPP", "Pengajuan kenaikan pangkat saya belum diproses sejak tiga bulan."),
    ("Lainnya", "KEC-SMGTENGAH", "Parkir liar di depan kantor kecamatan mengganggu jalan."),
)
ANSWERS = (
    "Terima kasih atas laporannya. Kami sudah menambah satu loket dan membuka layanan mulai pukul 07.00.",
    "Mohon maaf atas keterlambatannya. Dokumen Anda sudah selesai dan dapat diambil di loket 2.",
    "Sudah kami tindak lanjuti dengan perbaikan dan pengumuman di papan informasi.",
    "Petugas sudah kami ingatkan untuk mengikuti standar pelayanan yang berlaku.",
)
PRIVACY = ("Biasa", "Biasa", "Rahasia", "Anonim")


def seed_rows(
    units: Mapping[str, Sequence[str]],
    heads: Mapping[str, str],
    days: Sequence[date],
    today: date,
    calendar: Calendar | None = None,
) -> dict[str, list[Row]]:
    """Aduan, AduanKontak and AduanPeristiwa rows: about one complaint per working day.

    ``units`` maps a unit code to its staff NIPs, ``heads`` a unit code to its head's NIP.
    """
    rng = random.Random(SEED)
    calendar = calendar or Calendar()
    rows: dict[str, list[Row]] = {"Aduan": [], "AduanKontak": [], "AduanPeristiwa": []}
    for n, day in enumerate(days):
        if rng.random() < 0.2:
            continue
        kategori, unit, text = TEXTS[rng.randrange(len(TEXTS))]
        received = datetime.combine(day, time(rng.randint(7, 19), rng.randint(0, 59)), tzinfo=WIB)
        ident = f"demoaduan{n:04d}"
        due = deadlines.due_times(received, kategori, calendar, {})
        privacy = PRIVACY[rng.randrange(len(PRIVACY))]
        contact = privacy != "Anonim" and rng.random() < 0.7
        rows["Aduan"].append(
            {
                "id": ident,
                "kode": _code(rng),
                "tanggal": day,
                "diterima_pada": received,
                "kategori": kategori,
                "unit": unit,
                "uraian": text,
                "privasi": privacy,
                "ada_kontak": contact,
                "batas_verifikasi": due.verifikasi,
                "batas_tindak_lanjut": due.tindak_lanjut,
            }
        )
        if contact:
            rows["AduanKontak"].append(
                {
                    "id": ident,
                    "telepon": f"08{rng.randint(11, 99)}{rng.randint(10**7, 10**8 - 1)}",
                    "email": None,
                    "diterima_pada": received,
                }
            )
        start_of_today = datetime.combine(today, time(0, 0), tzinfo=WIB)
        rows["AduanPeristiwa"].extend(_events(rng, ident, received, unit, units, heads, calendar, start_of_today))
    return rows


def _code(rng: random.Random) -> str:
    letters = "".join(rng.choice(complaints.CODE_ALPHABET) for _ in range(12))
    return f"ADU-{letters[:4]}-{letters[4:8]}-{letters[8:]}"


def _events(
    rng: random.Random,
    ident: str,
    received: datetime,
    unit: str | None,
    units: Mapping[str, Sequence[str]],
    heads: Mapping[str, str],
    calendar: Calendar,
    now: datetime,
) -> list[Row]:
    events: list[Row] = [{"id": f"{ident}-diterima", "id_aduan": ident, "jenis": "Diterima", "waktu": received}]
    target = unit or rng.choice(sorted(units))
    dispatch_at = calendar.add_workdays(received, rng.choice((1, 1, 2, 4))) - timedelta(hours=rng.randint(5, 10))
    if dispatch_at >= now:
        return events
    staff = list(units.get(target, ()))
    events.append(
        {
            "id": f"{ident}-disposisi",
            "id_aduan": ident,
            "jenis": "Didisposisikan",
            "waktu": dispatch_at,
            "oleh_nip": heads.get(target),
            "unit_tujuan": target,
            "nip_tujuan": rng.choice(staff) if staff and rng.random() < 0.6 else None,
            "catatan": "Mohon ditindaklanjuti sesuai standar pelayanan.",
        }
    )
    answer_at = calendar.add_workdays(dispatch_at, rng.choice((1, 2, 3, 4, 7))) - timedelta(hours=rng.randint(5, 10))
    if answer_at >= now or rng.random() < 0.15:
        return events  # still waiting for the unit's answer
    events.append(
        {
            "id": f"{ident}-jawaban",
            "id_aduan": ident,
            "jenis": "Ditindaklanjuti",
            "waktu": answer_at,
            "oleh_nip": events[-1]["nip_tujuan"] or heads.get(target),
            "catatan": rng.choice(ANSWERS),
        }
    )
    return events
