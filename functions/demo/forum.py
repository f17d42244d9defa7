"""The demo city's Suara Warga: a few suggestions and questions, most published and answered, one waiting for the
operator and one declined, so that the forum, the console's section and the transparency figures show something.

Rows are built directly (not through the forms), from a fixed table: no generator, so nothing else shifts. Each
entry is received on a working day counted back from the demo's last one, and its steps come a given number of
working days later (the demo's days are consecutive working days, so that number is the answer time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from functions.citizens import forum
from functions.store import Row

WIB = ZoneInfo("Asia/Jakarta")
# (service, unit, kind, text, days before the last demo day it came in, [(step, working days later, text)])
ENTRIES: tuple[tuple[str, str, str, str, int, tuple[tuple[str, int, str], ...]], ...] = (
    (
        "DISDUKCAPIL-KTP",
        "DISDUKCAPIL",
        "Saran",
        "Mohon antrean perekaman KTP-el dibuka secara daring supaya warga tidak perlu datang sejak subuh.",
        15,
        (
            (forum.PUBLISHED, 0, ""),
            (
                forum.ANSWERED,
                3,
                "Terima kasih. Mulai bulan depan nomor antrean dapat diambil lewat laman Disdukcapil "
                "sehari sebelumnya.",
            ),
            (
                forum.FOLLOWED_UP,
                8,
                "Antrean daring sudah berjalan; 40 nomor per hari disediakan untuk pendaftar daring.",
            ),
        ),
    ),
    (
        "DISDUKCAPIL-KK",
        "DISDUKCAPIL",
        "Pertanyaan",
        "Berapa lama kartu keluarga baru jadi setelah berkas lengkap, dan apakah bisa dikirim lewat email?",
        10,
        (
            (forum.PUBLISHED, 1, ""),
            (
                forum.ANSWERED,
                2,
                "Kartu keluarga selesai paling lama 3 hari kerja setelah berkas lengkap dan dikirim "
                "sebagai PDF ke email yang Anda tulis di formulir.",
            ),
        ),
    ),
    (
        "PKM-PANDANARAN-UMUM",
        "PKM-PANDANARAN",
        "Saran",
        "Ruang tunggu poli umum perlu kursi tambahan, banyak lansia berdiri saat antre pagi.",
        8,
        (
            (forum.PUBLISHED, 0, ""),
            (
                forum.ANSWERED,
                1,
                "Terima kasih atas masukannya. Kami menambah 12 kursi dan mendahulukan lansia di loket pendaftaran.",
            ),
            (forum.FOLLOWED_UP, 4, "Kursi tambahan sudah terpasang dan loket prioritas lansia dibuka sejak Senin."),
        ),
    ),
    (
        "KEL-PEKUNDEN-PENGANTAR",
        "KEL-PEKUNDEN",
        "Pertanyaan",
        "Apakah surat pengantar bisa diurus tanpa membawa surat pengantar RT jika ketua RT sedang ke luar kota?",
        5,
        ((forum.PUBLISHED, 1, ""),),
    ),
    (
        "PKM-PANDANARAN-UMUM",
        "PKM-PANDANARAN",
        "Saran",
        "Tolong jadwal dokter ditempel di depan pintu masuk supaya tidak perlu bertanya ke satpam.",
        2,
        (),
    ),
    (
        "DISDUKCAPIL-AKTA",
        "DISDUKCAPIL",
        "Saran",
        "Iklan jasa pengurusan dokumen, hubungi kami.",
        3,
        ((forum.DECLINED, 0, "Promosi jasa, bukan saran tentang layanan."),),
    ),
)


def seed_rows(days: Sequence[date], heads: Mapping[str, str]) -> dict[str, list[Row]]:
    """SuaraWarga and SuaraWargaPeristiwa rows over the demo's working ``days``; ``heads`` maps a unit to its head,
    who is recorded as the one who took each step."""
    rows: dict[str, list[Row]] = {"SuaraWarga": [], "SuaraWargaPeristiwa": []}
    last = len(days) - 1
    for n, (service, unit, kind, text, back, steps) in enumerate(ENTRIES):
        first = max(0, last - back)  # a month with many holidays has fewer working days
        received = days[first]
        ident = f"demosuara{n:04d}"
        rows["SuaraWarga"].append(
            {"id": ident, "id_layanan": service, "unit": unit, "jenis": kind, "teks": text, "tanggal": received,
             "diterima_pada": datetime.combine(received, time(9 + n, 15), tzinfo=WIB)}
        )  # fmt: skip
        for k, (step, later, words) in enumerate(steps):
            day = days[min(last, first + later)]
            event: Row = {"id": f"{ident}-{k}", "id_suara": ident, "id_layanan": service, "unit": unit, "jenis": step,
                          "oleh_nip": heads[unit], "tanggal": day,
                          "waktu": datetime.combine(day, time(14, k), tzinfo=WIB)}  # fmt: skip
            if step == forum.PUBLISHED:
                event["teks"] = text
            elif step == forum.DECLINED:
                event["alasan"] = words
            else:
                event["teks"] = words
            rows["SuaraWargaPeristiwa"].append(event)
    return rows
