"""Operator-tunable values kept in the Konfigurasi sheet, with their defaults.

Settings (environment) say how the system runs; Konfigurasi says how the programme is
run and may be changed by the operator in the sheet at any time. A key missing from the
sheet takes its default from ``DEFAULTS``, which is also what the demo and ``init`` seed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from functions import schema
from functions.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    default: str
    description: str
    kind: type = int
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()  # with kind str: the only values allowed, written exactly


DEFAULTS: dict[str, Option] = {
    "laporan_batas_hari": Option(
        "7", "Laporan harian boleh diisi untuk kegiatan paling lama sekian hari yang lalu.", int, 0, 366
    ),
    "laporan_maks_kegiatan": Option("10", "Jumlah kegiatan terbanyak dalam satu kiriman laporan.", int, 1, 50),
    # SP4N-LAPOR! (Perpres 76/2013, PermenPANRB 5/2025); per category: tenggat_<tahap>_<kategori>.
    "tenggat_verifikasi": Option(
        "3",
        "Pengaduan diverifikasi dan didisposisikan ke unit paling lambat sekian hari kerja setelah diterima. "
        "Per kategori: tenggat_verifikasi_<kategori> (pelayanan, infrastruktur, kesehatan, kependudukan, "
        "kepegawaian, lainnya).",
        int,
        1,
        366,
    ),
    "tenggat_tindak_lanjut": Option(
        "5",
        "Unit menindaklanjuti pengaduan paling lambat sekian hari kerja setelah didisposisikan. "
        "Per kategori: tenggat_tindak_lanjut_<kategori>.",
        int,
        1,
        366,
    ),
    # Weekly scoring (program policy, not regulation): weights of the components and thresholds.
    "bobot_hasil_kerja": Option("50", "Bobot komponen hasil kerja dalam skor total.", float, 0, 100),
    "bobot_responsivitas": Option(
        "20", "Bobot komponen responsivitas terhadap pengaduan dalam skor total.", float, 0, 100
    ),
    "bobot_kepuasan": Option("15", "Bobot komponen kepuasan masyarakat (IKM) dalam skor total.", float, 0, 100),
    "bobot_kedisiplinan": Option("15", "Bobot komponen kedisiplinan laporan harian dalam skor total.", float, 0, 100),
    "batas_capaian_persen": Option(
        "120",
        "Capaian per indikator SKP dibatasi sekian persen agar satu indikator tidak menutupi yang lain.",
        float,
        100,
        500,
    ),
    "rating_di_atas_persen": Option(
        "110", "Capaian hasil kerja (%) paling sedikit untuk rating Di Atas Ekspektasi.", float, 0, 500
    ),
    "rating_sesuai_persen": Option(
        "85", "Capaian hasil kerja (%) paling sedikit untuk rating Sesuai Ekspektasi.", float, 0, 500
    ),
    "kepuasan_min_responden": Option(
        "5",
        "Survei yang menyebut pegawai paling sedikit sekian agar dipakai; kurang dari itu memakai IKM unit.",
        int,
        1,
        1000,
    ),
    "tren_toleransi": Option("2", "Perubahan skor total sebesar ini atau kurang dianggap Stabil.", float, 0, 50),
    "peringatan_hari_tanpa_laporan": Option(
        "3", "Peringatan bila pegawai tidak melapor sekian hari kerja berturut-turut.", int, 1, 60
    ),
    "peringatan_verifikasi_hari": Option(
        "5", "Peringatan bila laporan tim menunggu verifikasi atasan lebih dari sekian hari kerja.", int, 1, 60
    ),
    "peringatan_kendala_hari": Option(
        "3", "Peringatan bila kendala yang sama dilaporkan pada sekian hari berbeda dalam sebulan.", int, 2, 60
    ),
    "peringatan_skor_turun_kali": Option(
        "3", "Peringatan bila skor total turun sekian periode berturut-turut.", int, 2, 12
    ),
    "peringatan_skor_turun_minimal": Option(
        "0", "Setiap penurunan skor harus lebih besar dari angka ini agar dihitung turun.", float, 0, 50
    ),
    "peringatan_skor_turun_penting": Option(
        "15", "Penurunan skor total sebesar ini atau lebih membuat peringatan berstatus Penting.", float, 0, 100
    ),
    "peringatan_aduan_penting": Option(
        "5", "Pengaduan terlambat sebanyak ini atau lebih membuat peringatan berstatus Penting.", int, 1, 1000
    ),
    "peringatan_ikm_min_responden": Option(
        "10", "Peringatan IKM rendah hanya bila responden survei unit paling sedikit sekian.", int, 1, 10000
    ),
    "peringatan_kendala_jendela": Option("30", "Kendala berulang dicari dalam sekian hari terakhir.", int, 7, 120),
    "pelatihan_nrr_unsur": Option(
        "2.6", "Unsur SKM dengan NRR di bawah angka ini (skala 1-4) dianggap lemah.", float, 1, 4
    ),
    "pelatihan_unsur_min_responden": Option(
        "10", "Responden survei unit paling sedikit agar NRR unsur dipakai untuk saran pelatihan.", int, 1, 10000
    ),
    "pelatihan_kendala_hari": Option(
        "2", "Kendala aplikasi/komputer pada sekian hari menjadi dasar saran literasi digital atau bimtek.", int, 1, 60
    ),
    "pelatihan_jp_tahunan": Option(
        "20", "Jam pelajaran pengembangan kompetensi setahun (PP 11/2017 Pasal 203).", int, 1, 200
    ),
    "pelatihan_ambang_total": Option(
        "70", "Pegawai dengan skor total di bawah angka ini mendapat saran pengembangan.", float, 0, 100
    ),
    "pelatihan_ambang_komponen": Option(
        "60", "Komponen skor di bawah angka ini dianggap lemah dan menjadi dasar saran pelatihan.", float, 0, 100
    ),
    "ikm_bobot": Option(
        "",
        "Bobot sembilan unsur SKM u1..u9, dipisah titik koma (mis. 0,2; 0,1; ...), berjumlah 1. "
        "Kosong: 1/9 setiap unsur (PermenPANRB 14/2017).",
        str,
    ),
    # Going live (DOMAIN.md section 9): nothing before the programme start counts.
    "tanggal_mulai_program": Option(
        "",
        "Hari pertama program berjalan di kota ini (TTTT-BB-HH). Tidak ada periode yang berakhir sebelumnya yang "
        "dinilai; hari kerja, laporan yang diharapkan dan target dihitung sejak tanggal ini. Kosong: sejak awal data.",
        date,
    ),
    "predikat_min_hari_kerja": Option(
        "10",
        "Predikat bulan atau triwulan hanya diberikan bila pegawai punya paling sedikit sekian hari kerja yang "
        "dinilai di periode itu; kurang dari itu: belum cukup data.",
        int,
        1,
        66,
    ),
    # Mail within the provider's limits (functions/mail/limits.py): the staff summary may go to the page only.
    "ringkasan_pegawai": Option(
        "email",
        "Ringkasan mingguan pegawai: email (dikirim lewat email dan tampil di halaman Beranda pegawai) atau halaman "
        "(hanya tampil di Beranda, tanpa email; ringkasan atasan dan laporan kepala unit tetap dikirim). Pilih "
        "halaman bila batas harian server surat tidak cukup untuk email seminggu (lihat rencana pengiriman email).",
        str,
        choices=("email", "halaman"),
    ),
    "foto_simpan_waktu_ambil": Option(
        "0",
        "1: foto bukti laporan menyimpan waktu pengambilan dari kamera (EXIF DateTimeOriginal, selain itu tidak ada); "
        "0: semua EXIF dibuang, termasuk lokasi.",
        int,
        0,
        1,
    ),
    "aduan_tutup_otomatis": Option(
        "10",
        "Pengaduan yang sudah ditindaklanjuti dianggap selesai bila pelapor tidak menanggapi dalam sekian hari kerja.",
        int,
        1,
        366,
    ),
    # e-Kinerja BKN (README "e-Kinerja BKN"): the daily deadline of Progres Harian and the reminder before it.
    "ekinerja_batas_harian": Option(
        "23:59",
        "Batas waktu harian pengisian Progres Harian di e-Kinerja BKN (JJ:MM, waktu kota), mis. 23:59. Halaman "
        "Salin ke e-Kinerja menghitung sisa waktu sampai batas ini; pengingat harian dikirim sebelum batas ini.",
        time,
    ),
    "pengingat_menit_sebelum_batas": Option(
        "480",
        "Pengingat harian dikirim sekian menit sebelum batas e-Kinerja (bawaan 480: pukul 15.59 bila batasnya "
        "23:59), paling lambat pukul 17.00 agar tiba di jam kerja.",
        int,
        0,
        1439,
    ),
}

TIME_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # JJ:MM, 00:00 to 23:59, nothing else


def check(key: str, raw: Any) -> Any:
    """The value of a Konfigurasi cell, or ValueError saying in Indonesian what is wrong with it.

    An empty cell is the default. Numbers are plain ASCII digits with one decimal comma or point, dates
    TTTT-BB-HH; each within the option's bounds.
    """
    option = DEFAULTS[key]
    text = "" if raw is None else str(raw).strip()
    if text == "":
        text = option.default
    if option.kind is str:
        if option.choices and text not in option.choices:
            raise ValueError(f"tulis salah satu dari {', '.join(option.choices)}, bukan {text!r}")
        return text
    if option.kind is time:
        if not TIME_RE.fullmatch(text):
            raise ValueError(f"tulis jam sebagai JJ:MM dari 00:00 sampai 23:59, misalnya 23:59, bukan {text!r}")
        return time.fromisoformat(text)
    if option.kind is date:
        if text == "":
            return None
        if not schema.DATE_RE.fullmatch(text):
            raise ValueError(f"tulis tanggal sebagai TTTT-BB-HH, misalnya 2026-07-15, bukan {text!r}")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} bukan tanggal yang ada") from None
    if not schema.NUMBER_RE.fullmatch(text):
        raise ValueError(f"tulis angka dengan digit 0-9, bukan {text!r}")
    number = float(text.replace(",", "."))
    if option.kind is int and not number.is_integer():
        raise ValueError(f"tulis bilangan bulat, bukan {text!r}")
    value = option.kind(number)
    if (option.min is not None and value < option.min) or (option.max is not None and value > option.max):
        low = "" if option.min is None else f"{option.min:g}"
        high = "" if option.max is None else f"{option.max:g}"
        raise ValueError(f"{text} di luar batas {low} sampai {high}")
    return value


def _parse(key: str, raw: Any) -> Any:
    """``check``, and the default for a bad value: logged as an error (the operator's console shows it too)."""
    try:
        return check(key, raw)
    except ValueError as err:
        log.error(
            "Konfigurasi %s tidak valid (%s); dipakai nilai bawaan %r sampai diperbaiki",
            key,
            err,
            DEFAULTS[key].default,
        )
        return check(key, DEFAULTS[key].default)


def problems(store: Store) -> dict[str, str]:
    """Every Konfigurasi cell that does not pass ``check``, with the reason in Indonesian."""
    found = {}
    for row in store.records("Konfigurasi"):
        key = row["kunci"]
        if key in DEFAULTS:
            try:
                check(key, row["nilai"])
            except ValueError as err:
                found[key] = str(err)
    return found


def all_values(store: Store) -> dict[str, Any]:
    """Every option, read from the sheet once: for jobs that need many."""
    raw = {r["kunci"]: r["nilai"] for r in store.records("Konfigurasi")}
    return {key: _parse(key, raw.get(key)) for key in DEFAULTS}


def get(store: Store, key: str) -> Any:
    """One value; a missing or empty cell is the default, a bad one too (logged)."""
    rows = store.records("Konfigurasi", where={"kunci": key})
    return _parse(key, rows[0]["nilai"] if rows else None)


def default_rows() -> list[dict[str, str]]:
    return [{"kunci": k, "nilai": o.default, "keterangan": o.description} for k, o in DEFAULTS.items()]


def change(store: Store, key: str, typed: str, *, by: str, at: Any, change_id: str) -> tuple[str, str]:
    """Set one Konfigurasi value for an operator, recorded in RiwayatKonfigurasi; (old, new) as stored.

    ValidationError naming ``nilai`` (with the reason) for an unknown key or a value ``check`` refuses. The record
    is written first, under the form's ``change_id``: a retry of the same change adds no second record, and a value
    is never changed without one.
    """
    from functions.errors import ValidationError

    if key not in DEFAULTS:
        raise ValidationError({"kunci": f"Kunci: {key!r} bukan pengaturan yang dikenal."})
    new = "" if typed is None else str(typed).strip()
    try:
        check(key, new)
    except ValueError as err:
        raise ValidationError({"nilai": f"Nilai {key}: {err}."}) from err
    rows = store.records("Konfigurasi", where={"kunci": key})
    old = "" if not rows or rows[0]["nilai"] is None else str(rows[0]["nilai"])
    if old == new:
        return old, new
    store.append(
        "RiwayatKonfigurasi",
        [{"id": change_id, "waktu": at, "nip": by, "kunci": key, "nilai_lama": old or None, "nilai_baru": new or None}],
    )
    store.upsert("Konfigurasi", [{"kunci": key, "nilai": new or None, "keterangan": DEFAULTS[key].description}])
    log.info("Konfigurasi %s changed by an operator", key)
    return old, new
