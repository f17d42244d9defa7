"""Composing the weekly emails and the daily reminders (functions/mail/compose.py) from a real store.

The tiny city of ``conftest`` gets one scored week, 2026-W48 (23-29 November 2026): Skor rows of
eight weeks and of November, SkorUnit, warnings, a training suggestion, activities waiting for
verification and one late complaint whose text and contact must never reach an email.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

import pytest

from functions import periods
from functions.citizens import complaints
from functions.errors import ValidationError
from functions.mail import compose
from functions.mail.compose import Outgoing
from functions.rendering import format_date
from functions.rules.workdays import WIB, Calendar
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from tests.conftest import HEAD, OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for

WEEK = periods.parse("2026-W48")
MONTH = periods.parse("2026-11")
NOW = datetime(2026, 11, 30, 6, 0, tzinfo=WIB)  # Monday morning, when the weekly emails go out
UNIT = "KEL-UJI"
MAIL_FROM = "Pantau Kinerja <kinerja@semarangkota.go.id>"
# Citizen data that must never appear in any email.
COMPLAINT_TEXT = "Lampu jalan di Gang Kenari padam sejak Oktober XYZZY"
COMPLAINT_PHONE = "0812 3456 7890"
COMPLAINT_EMAIL = "pelapor.rahasia@warga.example"
SURVEY_SUGGESTION = "Petugas loket QWERTY perlu lebih ramah"
RINCIAN_A = (
    "Jumlah surat pengantar yang diterbitkan: 18 / 24,0 surat (75%, bobot 60); "
    "Jumlah warga yang dilayani: 30 / 40,0 orang (75%, bobot 40)"
)
EXTRA = [f"1990010120150110{n:02d}" for n in range(1, 10)]  # nine more people with a warning, for the top 10


def skor(nip: str, nama: str, period: periods.Period, total: float | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"{period.label}:{nip}",
        "periode": period.label,
        "jenis_periode": period.kind,
        "mulai": period.start,
        "selesai": period.end,
        "nip": nip,
        "nama": nama,
        "unit": UNIT,
        "total": total,
        **extra,
    }


def warning(wid: str, jenis: str, tingkat: str, alasan: str, nip: str | None, nama: str | None, **extra: Any) -> dict:
    return {
        "id": f"{WEEK.label}:{wid}",
        "periode": WEEK.label,
        "unit": UNIT,
        "nip": nip,
        "nama": nama,
        "jenis": jenis,
        "tingkat": tingkat,
        "alasan": alasan,
        **extra,
    }


def seed_scores(store: SQLiteStore) -> None:
    """Eight weeks of Skor for the two staff (the chart), the week's detail for four people, November."""
    history = {
        (STAFF_A, "Budi Santoso"): [70, 71, 69, 72, 74, 73, 70],
        (STAFF_B, "Dewi Lestari, A.Md."): [95, 96, 97, 99, 98, 98, 97.1],
    }
    for back in range(7, 0, -1):
        period = periods.week(WEEK.start - timedelta(weeks=back))
        rows = [skor(nip, name, period, totals[7 - back]) for (nip, name), totals in history.items()]
        store.replace_period("Skor", period.label, rows)
    budi = {
        "perubahan": 2.5,
        "tren": "Naik",
        "hasil_kerja": 75.0,
        "responsivitas": 50.0,
        "kepuasan": 84.5,
        "kedisiplinan": 80.0,
        "rincian_hasil_kerja": RINCIAN_A,
        "jumlah_indikator": 2,
        "hari_kerja": 5,
        "hari_lapor": 4,
        "aduan_jumlah": 2,
        "aduan_tepat_waktu": 1,
        "kepuasan_responden": 12,
        "kepuasan_sumber": "Unit",
        "komponen": "Hasil kerja, Responsivitas, Kepuasan, Kedisiplinan",
    }
    dewi = {
        "perubahan": -3.1,
        "tren": "Turun",
        "hasil_kerja": 90.0,
        "kedisiplinan": 100.0,
        "hari_kerja": 4,
        "hari_lapor": 4,
        "hari_cuti": 1,
        "rincian_hasil_kerja": RINCIAN_A,
        "komponen": "Hasil kerja, Kedisiplinan",
        "komponen_kosong": "Responsivitas, Kepuasan",
    }
    store.replace_period(
        "Skor",
        WEEK.label,
        [
            skor(STAFF_A, "Budi Santoso", WEEK, 72.5, **budi),
            skor(STAFF_B, "Dewi Lestari, A.Md.", WEEK, 94.0, **dewi),
            skor(SUPERVISOR, "Sri Wahyuni, S.E.", WEEK, 88.0, perubahan=0.4, tren="Stabil", hasil_kerja=88.0),
            skor(HEAD, "Hartono, S.Sos.", WEEK, 100.0, hasil_kerja=100.0, kedisiplinan=100.0),
        ],
    )
    ratings = {"rating_hasil_kerja": "Sesuai Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi"}
    store.replace_period(
        "Skor",
        MONTH.label,
        [
            skor(STAFF_A, "Budi Santoso", MONTH, 73.0, predikat="Baik", **ratings),
            skor(STAFF_B, "Dewi Lestari, A.Md.", MONTH, 96.0),
        ],
    )


def seed_unit(store: SQLiteStore) -> None:
    """SkorUnit of the week (IKM B, sample too small) and of November (IKM C, distribution not compliant)."""
    common = {"unit": UNIT, "pegawai": 5, "predikat_organisasi": "Baik"}
    week = {
        "rata_total": 83.6,
        "ikm_konversi": 81.3776,
        "mutu_ikm": "B",
        "responden_skm": 24,
        "sampel_cukup": False,
        "aduan_jumlah": 2,
        "aduan_tepat_waktu": 1,
    }
    month = {
        "rata_total": 84.0,
        "ikm_konversi": 74.5,
        "mutu_ikm": "C",
        "responden_skm": 120,
        "sampel_cukup": True,
        "aduan_jumlah": 6,
        "aduan_tepat_waktu": 4,
        "sangat_baik": 0,
        "baik": 4,
        "butuh_perbaikan": 0,
        "kurang": 1,
        "sangat_kurang": 0,
        "distribusi_sesuai": False,
        "catatan_distribusi": "Organisasi berpredikat Baik: paling banyak 70% pegawai boleh berpredikat Baik; "
        "sekarang 4 dari 5 pegawai (80%).",
    }
    for period, values in ((WEEK, week), (MONTH, month)):
        row = {**common, **values, "id": f"{period.label}:{UNIT}", "periode": period.label}
        store.replace_period("SkorUnit", period.label, [{**row, "jenis_periode": period.kind}])


def seed_warnings_and_training(store: SQLiteStore) -> None:
    """Thirteen warnings in the unit (two Penting), one in another unit, one training suggestion."""
    late = "1 pengaduan yang ditangani unit ini melewati batas tindak lanjut."
    waiting = "2 kegiatan menunggu verifikasi lebih dari 5 hari kerja."
    warnings = [
        warning("TURUN:B", "Skor Turun", "Penting", "Skor total turun tiga minggu berturut-turut.", STAFF_B, "Dewi"),
        warning("KENDALA:A", "Kendala Berulang", "Perhatian", 'Kendala yang sama: "Printer rusak".', STAFF_A, "Budi"),
        warning("VERIFIKASI:S", "Verifikasi Tertunda", "Penting", waiting, SUPERVISOR, "Sri Wahyuni, S.E."),
        warning("ADUAN:UNIT", "Pengaduan Terlambat", "Perhatian", late, None, None),
        warning("IKM:LAIN", "IKM Rendah", "Penting", "IKM unit lain rendah.", None, None, unit="KEL-LAIN"),
    ]
    for n, nip in enumerate(EXTRA, start=1):
        reason = f"Tidak ada laporan harian ({n})."
        warnings.append(warning(f"LAPOR:{nip}", "Tidak Melapor", "Perhatian", reason, nip, f"Pegawai Lain {n:02d}"))
    store.replace_period("Peringatan", WEEK.label, warnings)
    suggestion = {
        "id": f"{WEEK.label}:{STAFF_B}:1",
        "periode": WEEK.label,
        "nip": STAFF_B,
        "nama": "Dewi Lestari, A.Md.",
        "unit": UNIT,
        "nip_atasan": SUPERVISOR,
        "urutan": 1,
        "id_katalog": "literasi-digital",
        "nama_pelatihan": "Literasi Digital untuk Layanan Publik",
        "jenis": "Non-klasikal",
        "jp": 8,
        "alasan": "Kendala aplikasi dilaporkan berulang.",
        "jp_tahun_ini": 4,
        "jp_kurang": 16,
    }
    store.replace_period("SaranPelatihan", WEEK.label, [suggestion])


def activity(n: int, nip: str, day: date, status: str = "Menunggu") -> dict[str, Any]:
    return {
        "id": f"kiriman{n:04d}-1",
        "id_kiriman": f"kiriman{n:04d}",
        "nip": nip,
        "nama": "Budi Santoso",
        "unit": UNIT,
        "tanggal": day,
        "kegiatan": "Menerbitkan surat pengantar",
        "id_target": f"{nip}-2026-1",
        "indikator": "Jumlah surat pengantar yang diterbitkan",
        "kuantitas": 3,
        "satuan": "surat",
        "durasi_menit": 60,
        "diterima_pada": datetime.combine(day, time(15, 0), WIB),
        "verifikasi": status,
    }


def seed_intake(store: SQLiteStore) -> datetime:
    """Two activities of Budi waiting, one of Dewi approved; a late complaint and a survey with citizen text.

    Returns the complaint's follow-up deadline.
    """
    store.append("LaporanHarian", [activity(1, STAFF_A, date(2026, 11, 26))])
    store.append("LaporanHarian", [activity(2, STAFF_A, date(2026, 11, 24))])
    store.append("LaporanHarian", [activity(3, STAFF_B, date(2026, 11, 25), "Disetujui")])
    form = {
        "id_kiriman": "aduanEmail0001",
        "kategori": "Infrastruktur",
        "unit": UNIT,
        "uraian": COMPLAINT_TEXT,
        "privasi": "Biasa",
        "telepon": COMPLAINT_PHONE,
        "email": COMPLAINT_EMAIL,
    }
    complaint, _, _ = complaints.file(form, store, Calendar(), datetime(2026, 11, 2, 9, 0, tzinfo=WIB))
    survey = {
        "id": "surveiEmail0001",
        "unit": UNIT,
        "id_layanan": "KEL-UJI-SKU",
        "tanggal": date(2026, 11, 24),
        "diterima_pada": datetime(2026, 11, 24, 10, 0, tzinfo=WIB),
        "nip_pegawai": STAFF_A,
        "saran": SURVEY_SUGGESTION,
        **{f"u{i}": 3 for i in range(1, 10)},
    }
    store.append("Survei", [survey])
    due: datetime = complaint["batas_tindak_lanjut"]
    return due


def seed_week(store: SQLiteStore) -> dict[str, Any]:
    """Write the derived sheets of 2026-W48 and the intake behind them; returns what the tests check."""
    seed_scores(store)
    seed_unit(store)
    seed_warnings_and_training(store)
    return {"complaint_due": seed_intake(store)}


@pytest.fixture
def mail_settings(settings: Settings) -> Settings:
    return replace(settings, mail_from=MAIL_FROM, base_url="https://kinerja.semarangkota.go.id")


@pytest.fixture
def week(store: SQLiteStore, city: dict[str, Any]) -> dict[str, Any]:
    return seed_week(store)


@pytest.fixture
def outgoing(store: SQLiteStore, mail_settings: Settings, week: dict[str, Any]) -> dict[str, Outgoing]:
    return {o.key: o for o in compose.weekly(store, mail_settings, WEEK.label, NOW)}


def key(kind: str, nip: str, periode: str = WEEK.label) -> str:
    return f"{periode}:{kind}:{nip}"


def reparse(message: EmailMessage) -> EmailMessage:
    """The message as a recipient's mail client sees it: serialised and parsed again."""
    parsed = email.message_from_bytes(message.as_bytes(), _class=EmailMessage, policy=email.policy.default)
    return parsed


def parts(message: EmailMessage) -> tuple[str, str]:
    parsed = reparse(message)
    text, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def link(url: str) -> str:
    """A URL as it appears in HTML (``&`` escaped)."""
    return url.replace("&", "&amp;")


# -- who gets what -------------------------------------------------------------------------------


def test_weekly_makes_one_message_per_supervisor_unit_head_and_staff_member(outgoing: dict[str, Outgoing]) -> None:
    assert list(outgoing) == [
        key("atasan", HEAD),
        key("atasan", SUPERVISOR),
        key("kepala_unit", HEAD),
        *(key("pegawai", nip) for nip in (HEAD, SUPERVISOR, STAFF_A, STAFF_B, OTHER)),
    ]
    for item in outgoing.values():
        assert item.periode == WEEK.label
        assert item.kind in compose.KINDS
        assert item.to == f"{item.nip}@contoh.go.id"


def test_people_without_a_valid_email_are_skipped_and_counted_and_inactive_ones_left_out(
    store: SQLiteStore, mail_settings: Settings, week: dict[str, Any]
) -> None:
    person = store.records("Pegawai", where={"nip": STAFF_B})[0]
    store.upsert("Pegawai", [{**person, "email": None}])
    other = store.records("Pegawai", where={"nip": OTHER})[0]
    store.upsert("Pegawai", [{**other, "aktif": False}])
    batch = compose.weekly(store, mail_settings, WEEK.label, NOW)
    keys = {o.key for o in batch}
    assert key("pegawai", STAFF_B) not in keys and key("pegawai", OTHER) not in keys
    assert key("pegawai", STAFF_A) in keys
    assert isinstance(batch, compose.Batch) and batch.skipped == 1


def test_subjects_say_the_week_in_indonesian(outgoing: dict[str, Outgoing]) -> None:
    subjects = {k: str(o.message["Subject"]) for k, o in outgoing.items()}
    assert subjects[key("atasan", SUPERVISOR)] == "Ringkasan kinerja tim · Minggu 23–29 November 2026"
    assert subjects[key("pegawai", STAFF_A)] == "Ringkasan kinerja Anda · Minggu 23–29 November 2026"
    assert subjects[key("kepala_unit", HEAD)] == "Laporan unit Kelurahan Uji · Minggu 23–29 November 2026"


def test_every_message_is_complete_and_addressed_to_its_recipient_only(outgoing: dict[str, Outgoing]) -> None:
    ids = set()
    for item in outgoing.values():
        parsed = reparse(item.message)
        assert parsed["From"] == MAIL_FROM
        assert parsed["Date"] == format_datetime(NOW)
        assert re.fullmatch(r"<[^@<>]+@semarangkota\.go\.id>", str(parsed["Message-ID"]))
        ids.add(str(parsed["Message-ID"]))
        to = parsed.get_all("To")
        assert to is not None and len(to) == 1
        assert parseaddr(str(to[0]))[1] == item.to
        assert re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", str(to[0])) == [item.to]
        assert parsed.get_content_type() == "multipart/alternative"
        kinds = [p.get_content_type() for p in parsed.iter_parts()]
        assert kinds[0] == "text/plain" and kinds[1] in ("text/html", "multipart/related")
        for part in parsed.walk():
            if part.get_content_maintype() == "text":
                assert part.get_content_charset() == "utf-8"
    assert len(ids) == len(outgoing)


def test_the_supervisor_digest_carries_the_trend_chart_inline_by_content_id(outgoing: dict[str, Outgoing]) -> None:
    parsed = reparse(outgoing[key("atasan", SUPERVISOR)].message)
    related = next(p for p in parsed.walk() if p.get_content_type() == "multipart/related")
    html_part, image = list(related.iter_parts())
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image.get_content().startswith(b"\x89PNG\r\n\x1a\n")
    assert image.get_content_disposition() == "inline"
    cid = str(image["Content-ID"]).strip("<>")
    match = re.search(r'src="cid:([^"]+)"', html_part.get_content())
    assert match and match.group(1) == cid


def test_the_supervisor_digests_chart_has_a_specific_alt_text_and_its_numbers_in_text(
    outgoing: dict[str, Outgoing],
) -> None:
    _, html = parts(outgoing[key("atasan", SUPERVISOR)].message)
    # The eight weeks of seed_scores: 5-11 October (W41) to 23-29 November (W48); Budi from 70 to 72,5, Dewi 95 to 94.
    alt = re.search(r'<img id="grafik-tim"[^>]* alt="([^"]+)"', html)
    assert alt and alt.group(1) == (
        "Grafik garis skor total anggota tim per minggu, 8 minggu dari 5–11 Okt sampai 23–29 Nov: "
        "Budi Santoso dari 70 ke 72,5; Dewi Lestari, A.Md. dari 95 ke 94. Angkanya ada di bawah grafik."
    )
    numbers = re.search(r'<div id="angka-grafik">(.*?)</div>', html, re.S)
    assert numbers
    lines = [re.sub(r"<[^>]+>", "", line).strip() for line in re.findall(r"<p[^>]*>(.*?)</p>", numbers.group(1), re.S)]
    assert lines == [
        'Angka grafik, skor total per minggu dari 5–11 Okt sampai 23–29 Nov ("–": belum ada skor):',
        "Budi Santoso: 70 · 71 · 69 · 72 · 74 · 73 · 70 · 72,5",
        "Dewi Lestari, A.Md.: 95 · 96 · 97 · 99 · 98 · 98 · 97,1 · 94",
    ]


def test_staff_summaries_have_no_chart(outgoing: dict[str, Outgoing]) -> None:
    parsed = reparse(outgoing[key("pegawai", STAFF_A)].message)
    assert [p.get_content_type() for p in parsed.walk()] == ["multipart/alternative", "text/plain", "text/html"]


# -- what each one says ----------------------------------------------------------------------------


def test_supervisor_digest_shows_the_team_waiting_reports_late_complaints_training_and_links(
    store: SQLiteStore, outgoing: dict[str, Outgoing], week: dict[str, Any], mail_settings: Settings
) -> None:
    text, html = parts(outgoing[key("atasan", SUPERVISOR)].message)
    token = token_for(store, SUPERVISOR)
    base = mail_settings.base_url
    due = format_date(week["complaint_due"].date(), with_day=False)
    for body in (text, html):
        assert "Budi Santoso" in body and "Dewi Lestari, A.Md." in body
        assert "72,5" in body and "↑ +2,5" in body  # Budi: total and change with its arrow
        assert "94" in body and "↓ −3,1" in body  # Dewi
        assert "Baik" in body  # Budi's predikat of November
        assert "Kendala Berulang" in body and "Skor Turun" in body  # flags
        assert "2 kegiatan" in body and "24 November 2026" in body  # Budi's two waiting, the oldest
        assert "2 kegiatan menunggu verifikasi lebih dari 5 hari kerja" in body  # her own warning
        assert "1 pengaduan" in body and due in body
        assert "Literasi Digital untuk Layanan Publik" in body and "Kendala aplikasi dilaporkan berulang." in body
        assert "Agus Prasetyo" not in body  # not her team
        assert "Pegawai Lain 01" not in body
    assert "Dewi Lestari, A.Md.: skor 94 (↓ −3,1), predikat November 2026: –; peringatan: Skor Turun" in text
    links = ("review_reports", "team_scores", "rate_behaviour")
    for url in [*(f"{base}/{page}?t={token}" for page in links), f"{base}/lembar/Skor"]:
        assert url in text and link(url) in html
    assert "lembar Skor" in html


def test_staff_summary_explains_the_week_the_score_and_what_to_improve(
    store: SQLiteStore, outgoing: dict[str, Outgoing], mail_settings: Settings
) -> None:
    text, html = parts(outgoing[key("pegawai", STAFF_A)].message)
    report = f"{mail_settings.base_url}/submit_report?t={token_for(store, STAFF_A)}"
    for body in (text, html):
        assert "72,5" in body and "↑ +2,5" in body
        assert "Predikat November 2026" in body and "Baik" in body
        assert "Jumlah surat pengantar yang diterbitkan: 18 / 24,0 surat (75%, bobot 60)" in body
        assert "4 dari 5 hari kerja" in body
        assert "1 dari 2 pengaduan ditindaklanjuti tepat waktu" in body
        assert "IKM 84,5 dari 12 responden (survei unit Anda)" in body
        assert "Kendala Berulang" in body and "Printer rusak" in body  # her warning
        assert "Komponen terlemah Anda" in body and "Responsivitas pengaduan" in body and "50" in body
        assert "Skor Turun" not in body  # somebody else's warning
    assert report in text and link(report) in html


def test_staff_summary_says_which_components_had_no_data(outgoing: dict[str, Outgoing]) -> None:
    text, html = parts(outgoing[key("pegawai", STAFF_B)].message)
    for body in (text, html):
        assert "Komponen tanpa data minggu ini: Responsivitas, Kepuasan." in body
        assert "tidak dihitung (bukan dianggap nol)" in body
        assert "tanpa data" in body
        assert "1 hari cuti tidak dihitung" in body
        assert "Literasi Digital untuk Layanan Publik" in body
        assert "kurang 16 JP" in body
    assert "- Kepuasan masyarakat: tanpa data" in text


def test_staff_without_a_score_still_gets_a_summary_with_their_link(outgoing: dict[str, Outgoing]) -> None:
    text, html = parts(outgoing[key("pegawai", OTHER)].message)
    assert "belum tersedia" in text and "belum tersedia" in html
    assert "/submit_report?t=" in text


def test_unit_head_report_shows_ikm_complaints_distribution_and_top_warnings(
    outgoing: dict[str, Outgoing], week: dict[str, Any]
) -> None:
    text, html = parts(outgoing[key("kepala_unit", HEAD)].message)
    due = format_date(week["complaint_due"].date(), with_day=False)
    for body in (text, html):
        assert "Kelurahan Uji" in body
        assert "81,38" in body and "mutu B (Baik)" in body and "24 responden" in body
        assert "sampel belum cukup" in body
        assert "74,5" in body and "mutu C (Kurang Baik)" in body and "120 responden" in body and "sampel cukup" in body
        assert "1 dari 2" in body and "4 dari 6" in body
        assert "1 pengaduan" in body and due in body
        assert "paling banyak 70% pegawai boleh berpredikat Baik; sekarang 4 dari 5 pegawai (80%)" in body
        assert "Kurang/Misconduct" in body
        assert "Dan 3 peringatan lain" in body
        assert "IKM unit lain rendah" not in body  # another unit's warning
        for n in range(1, 7):
            assert f"Pegawai Lain {n:02d}" in body
        for n in range(7, 10):
            assert f"Pegawai Lain {n:02d}" not in body
    listed = re.findall(r"^- \[(Penting|Perhatian)\] ([^,]+)", text, flags=re.MULTILINE)
    assert listed[:4] == [
        ("Penting", "Skor Turun"),
        ("Penting", "Verifikasi Tertunda"),
        ("Perhatian", "Kendala Berulang"),
        ("Perhatian", "Pengaduan Terlambat"),
    ]
    assert len(listed) == compose.HEAD_WARNINGS


def test_no_citizen_text_contact_or_other_address_reaches_any_email(outgoing: dict[str, Outgoing]) -> None:
    for item in outgoing.values():
        raw = item.message.as_bytes()
        text, html = parts(item.message)
        for secret in (COMPLAINT_TEXT, COMPLAINT_PHONE, COMPLAINT_EMAIL, SURVEY_SUGGESTION):
            assert secret.encode() not in raw
        for secret in (COMPLAINT_TEXT, "XYZZY", COMPLAINT_PHONE, "3456 7890", COMPLAINT_EMAIL, "QWERTY"):
            assert secret not in text and secret not in html
        # No email address at all in the bodies: neither a citizen's nor a colleague's (the chart's cid aside).
        bodies = re.sub(r'src="cid:[^"]+"', "", text + html)
        assert re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", bodies) == []


def test_text_parts_are_not_html_escaped_and_html_parts_are(
    store: SQLiteStore, mail_settings: Settings, week: dict[str, Any]
) -> None:
    person = store.records("Pegawai", where={"nip": STAFF_A})[0]
    store.upsert("Pegawai", [{**person, "nama": "Budi <Santoso> & Rekan"}])
    batch = {o.key: o for o in compose.weekly(store, mail_settings, WEEK.label, NOW)}
    text, html = parts(batch[key("atasan", SUPERVISOR)].message)
    assert "Budi <Santoso> & Rekan" in text
    assert "Budi &lt;Santoso&gt; &amp; Rekan" in html and "<Santoso>" not in html


def test_a_week_that_is_not_one_is_refused(store: SQLiteStore, mail_settings: Settings) -> None:
    with pytest.raises(ValidationError):
        compose.weekly(store, mail_settings, "minggu lalu", NOW)


def test_an_empty_week_still_greets_every_active_employee(
    store: SQLiteStore, mail_settings: Settings, city: dict[str, Any]
) -> None:
    batch = compose.weekly(store, mail_settings, "2026-W10", NOW)
    assert len(batch) == 8
    text, _ = parts(next(o for o in batch if o.kind == "atasan").message)
    assert "Tidak ada laporan yang menunggu verifikasi" in text


# -- reminders -----------------------------------------------------------------------------------


def test_reminders_go_to_active_staff_who_have_not_reported_and_want_them(
    store: SQLiteStore, mail_settings: Settings, city: dict[str, Any]
) -> None:
    monday = date(2026, 11, 30)
    people = {p["nip"]: p for p in store.records("Pegawai")}
    opted_out = {**people[STAFF_B], "pengingat": False}
    starts_tomorrow = {**people[SUPERVISOR], "mulai_tugas": date(2026, 12, 1)}
    store.upsert("Pegawai", [opted_out, starts_tomorrow])
    leave = {
        "id": f"{OTHER}-cuti",
        "nip": OTHER,
        "mulai": monday,
        "selesai": date(2026, 12, 2),
        "jenis": "Cuti Tahunan",
    }
    store.upsert("Cuti", [leave])
    done = {**activity(9, STAFF_A, monday, "Menunggu"), "bukti_dukung": "https://drive.contoh.go.id/surat"}
    store.append("LaporanHarian", [done])  # Budi has reported today, with evidence and an RHK: ready for e-Kinerja
    at_four = datetime(2026, 11, 30, 16, 0, tzinfo=WIB)
    batch = compose.reminders(store, mail_settings, monday, at_four)
    assert [o.key for o in batch] == [key("pengingat", HEAD, "2026-11-30")]
    item = batch[0]
    assert item.periode == "2026-11-30" and item.kind == "pengingat" and item.to == f"{HEAD}@contoh.go.id"
    assert str(item.message["Subject"]) == "Pengingat laporan harian Senin, 30 November 2026"
    text, html = parts(item.message)
    report = f"{mail_settings.base_url}/submit_report?t={token_for(store, HEAD)}"
    assert report in text and link(report) in html
    copy = f"{mail_settings.base_url}/submit_report?t={token_for(store, HEAD)}&salin_ekinerja=2026-11-30"
    assert copy in text and link(copy) in html
    for body in (text, html):
        assert "pukul 16.00" in body
        assert "belum ada Progres Harian hari ini" in body
        # e-Kinerja's default deadline 23:59 runs to 23:59:59: 7 h 59 min 59 s after 16:00, in whole minutes.
        assert "Batas Progres Harian di e-Kinerja hari ini pukul 23.59 (7 jam 59 menit lagi)" in body
        assert "Terima Pengingat" in body and "Tidak" in body


def test_a_reminder_names_what_the_day_lacks_for_e_kinerja(
    store: SQLiteStore, mail_settings: Settings, city: dict[str, Any]
) -> None:
    """Monday 30 November at 16:00. Hartono reported nothing; Sri one complete activity; Budi one complete, one
    without evidence and one naming no Target row of his (so no RHK); Dewi a returned activity without evidence,
    corrected with evidence (the correction counts, the returned one not); Agus wants no reminders. So Hartono is
    reminded that nothing is there, Budi of 1 activity without evidence and 1 without RHK (the one naming no Target
    row also has no evidence: 2 without evidence), Sri and Dewi not at all."""
    monday = date(2026, 11, 30)
    agus = {**store.records("Pegawai", where={"nip": OTHER})[0], "pengingat": False}
    store.upsert("Pegawai", [agus])
    evidence = {"bukti_dukung": "https://drive.contoh.go.id/bukti"}
    returned = {**activity(5, STAFF_B, monday, "Dikembalikan")}
    store.append(
        "LaporanHarian",
        [
            {**activity(1, SUPERVISOR, monday), **evidence},
            {**activity(2, STAFF_A, monday), **evidence},
            activity(3, STAFF_A, monday),
            {**activity(4, STAFF_A, monday), "id_target": "target-lama-1"},
            returned,
            {**activity(6, STAFF_B, monday), **evidence, "menggantikan": returned["id"]},
        ],
    )
    batch = compose.reminders(store, mail_settings, monday, datetime(2026, 11, 30, 16, 0, tzinfo=WIB))
    assert [o.key for o in batch] == [key("pengingat", HEAD, "2026-11-30"), key("pengingat", STAFF_A, "2026-11-30")]
    budi = batch[1]
    assert str(budi.message["Subject"]) == "Lengkapi laporan harian Senin, 30 November 2026 untuk e-Kinerja"
    text, html = parts(budi.message)
    assert "- 2 kegiatan belum punya bukti dukung.\n- 1 kegiatan belum terhubung ke RHK." in text
    assert "2 kegiatan belum punya bukti dukung. 1 kegiatan belum terhubung ke RHK." in html
    assert "belum ada Progres Harian" not in text
    assert f"{mail_settings.base_url}/submit_report?t={token_for(store, STAFF_A)}&salin_ekinerja=2026-11-30" in text


@pytest.mark.parametrize("day", [date(2026, 11, 29), date(2026, 12, 25)], ids=["sunday", "christmas"])
def test_no_reminders_on_a_day_off(
    store: SQLiteStore, mail_settings: Settings, city: dict[str, Any], day: date
) -> None:
    assert compose.reminders(store, mail_settings, day, NOW) == []


def test_a_holiday_override_stops_reminders(store: SQLiteStore, mail_settings: Settings, city: dict[str, Any]) -> None:
    store.upsert("HariLibur", [{"tanggal": date(2026, 11, 30), "jenis": "Libur", "keterangan": "Libur daerah"}])
    assert compose.reminders(store, mail_settings, date(2026, 11, 30), NOW) == []
