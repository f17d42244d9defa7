"""Early warnings (Peringatan): each rule against small hand-made tables, at and around its threshold.

The week scored is 2026-W48, Monday 23 to Sunday 29 November 2026; November 2026 has no
national holiday, so working days are plain weekdays.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from functions import periods, schema
from functions.rules.workdays import WIB, Calendar
from functions.scoring import warnings
from functions.scoring.inputs import read
from functions.store.sqlite import SQLiteStore
from tests.conftest import HEAD, OTHER, STAFF_A, STAFF_B, SUPERVISOR

WEEK = periods.parse("2026-W48")
UNIT = "KEL-UJI"
EMPLOYEES = pd.DataFrame(
    [
        {"nip": HEAD, "nama": "Hartono", "unit": UNIT, "nip_atasan": None},
        {"nip": SUPERVISOR, "nama": "Sri Wahyuni", "unit": UNIT, "nip_atasan": HEAD},
        {"nip": STAFF_A, "nama": "Budi Santoso", "unit": UNIT, "nip_atasan": SUPERVISOR},
        {"nip": STAFF_B, "nama": "Dewi Lestari", "unit": UNIT, "nip_atasan": SUPERVISOR},
        {"nip": OTHER, "nama": "Agus Prasetyo", "unit": UNIT, "nip_atasan": HEAD},
    ]
)


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


def weekdays(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5]


def assert_sheet_rows(frame: pd.DataFrame) -> None:
    """The frame has the Peringatan columns in order and every row validates without problems."""
    sheet = schema.sheet("Peringatan")
    assert list(frame.columns) == sheet.keys
    for row in frame.to_dict("records"):
        _clean, problems = sheet.validate(row)
        assert problems == {}, (row, problems)


def only(frame: pd.DataFrame) -> dict[str, Any]:
    assert_sheet_rows(frame)
    assert len(frame) == 1, frame.to_dict("records")
    return frame.to_dict("records")[0]


# -- Skor Turun --------------------------------------------------------------------------------


def totals(values: list[float | None], nip: str = STAFF_A) -> pd.DataFrame:
    labels = ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    return pd.DataFrame([{"nip": nip, "periode": p, "total": t} for p, t in zip(labels, values, strict=True)])


def test_score_falling_three_weeks_in_a_row_warns_with_the_numbers() -> None:
    row = only(warnings.skor_turun(totals([82, 75, 70, 64]), EMPLOYEES, WEEK))
    assert row == {
        "id": f"2026-W48:TURUN:{STAFF_A}",
        "periode": "2026-W48",
        "nip": STAFF_A,
        "nama": "Budi Santoso",
        "unit": UNIT,
        "nip_atasan": SUPERVISOR,
        "jenis": "Skor Turun",
        "tingkat": "Penting",  # fell 18 points, at least 15
        "alasan": "Skor total turun tiga minggu berturut-turut: 82 → 75 → 70 → 64.",
        "rujukan": "2026-W45, 2026-W46, 2026-W47, 2026-W48",
    }


@pytest.mark.parametrize(
    "values, tingkat",
    [
        ([72, 70, 68, 66], "Perhatian"),  # three drops, 6 points in all
        ([80.5, 75, 70, 65.5], "Penting"),  # exactly 15 points
        ([82, 75, 70, 70], None),  # the last week held steady: two drops only
        ([70, 75, 70, 64], None),  # rose first: two drops only
        ([82, 75, None, 64], None),  # a week without a total breaks the run
    ],
)
def test_score_falling_needs_three_drops(values: list[float | None], tingkat: str | None) -> None:
    frame = warnings.skor_turun(totals(values), EMPLOYEES, WEEK)
    assert_sheet_rows(frame)
    assert list(frame["tingkat"]) == ([tingkat] if tingkat else [])


def test_score_falling_ignores_periods_that_are_not_consecutive() -> None:
    frame = totals([82, 75, 70, 64]).replace({"2026-W45": "2026-W44"})
    assert warnings.skor_turun(frame, EMPLOYEES, WEEK).empty


@pytest.mark.parametrize("min_drop, warned", [(0.5, False), (0.4, True)])
def test_score_falling_counts_only_drops_larger_than_min_drop(min_drop: float, warned: bool) -> None:
    frame = warnings.skor_turun(totals([82, 81.5, 81, 80.5]), EMPLOYEES, WEEK, min_drop=min_drop)
    assert len(frame) == int(warned)


def test_score_falling_over_months_says_bulan_and_shows_decimals() -> None:
    months = pd.DataFrame(
        [
            {"nip": STAFF_B, "periode": p, "total": t}
            for p, t in zip(["2026-09", "2026-10", "2026-11"], [80.25, 79.5, 70], strict=True)
        ]
    )
    row = only(warnings.skor_turun(months, EMPLOYEES, periods.parse("2026-11"), drops=2))
    assert row["alasan"] == "Skor total turun dua bulan berturut-turut: 80,25 → 79,5 → 70."


# -- Tidak Melapor -----------------------------------------------------------------------------


def due(first: int = 16, last: int = 27, nip: str = STAFF_A, skip: tuple[date, ...] = ()) -> pd.DataFrame:
    """Days ``nip`` was due to report: the weekdays from ``first`` to ``last`` November, less ``skip``."""
    return pd.DataFrame([{"nip": nip, "tanggal": day} for day in weekdays(d(first), d(last)) if day not in skip])


def sent(*days: date, nip: str = STAFF_A) -> pd.DataFrame:
    return pd.DataFrame({"nip": [nip] * len(days), "tanggal": list(days)}, columns=["nip", "tanggal"])


def test_no_report_for_three_working_days_warns_with_the_days() -> None:
    row = only(warnings.tidak_melapor(due(), sent(d(20), d(24)), EMPLOYEES, WEEK))
    assert row["id"] == f"2026-W48:LAPOR:{STAFF_A}"
    assert row["alasan"] == (
        "Tidak ada laporan harian selama 3 hari kerja berturut-turut, 25 November 2026 sampai 27 November 2026."
    )
    assert (row["tingkat"], row["rujukan"]) == ("Perhatian", "2026-11-25, 2026-11-26, 2026-11-27")


@pytest.mark.parametrize(
    "available, reports, days, missed",
    [
        (due(), sent(d(25)), 3, None),  # two days: one short of the threshold
        (due(), sent(d(25)), 2, 2),  # the threshold lowered to two
        (due(skip=(d(26),)), sent(d(24)), 3, None),  # a day of leave is not a day missed
        (due(), sent(d(24), d(30)), 3, 3),  # a report after the period end does not count
        (due(), sent(d(20), d(21, 11)), 3, 5),  # a Saturday report: the run starts after it
    ],
)
def test_no_report_counts_available_days_after_the_last_report(
    available: pd.DataFrame, reports: pd.DataFrame, days: int, missed: int | None
) -> None:
    frame = warnings.tidak_melapor(available, reports, EMPLOYEES, WEEK, days=days)
    assert_sheet_rows(frame)
    assert [a.split(" hari kerja")[0].rsplit(" ", 1)[1] for a in frame["alasan"]] == ([str(missed)] if missed else [])


def test_never_reporting_is_important_and_long_runs_refer_to_first_and_last_day() -> None:
    row = only(warnings.tidak_melapor(due(first=12), sent(), EMPLOYEES, WEEK))
    assert row["tingkat"] == "Penting"  # 12 days, at least twice 3
    assert row["rujukan"] == "2026-11-12 sampai 2026-11-27"


def test_one_day_threshold_names_the_single_day() -> None:
    row = only(warnings.tidak_melapor(due(), sent(d(26)), EMPLOYEES, WEEK, days=1))
    assert row["alasan"] == "Tidak ada laporan harian selama 1 hari kerja berturut-turut, pada 27 November 2026."


# -- Pengaduan Terlambat -----------------------------------------------------------------------


def complaint(id: str, unit: str | None, nip: str | None, due_day: int, late: bool) -> dict[str, Any]:
    moment = datetime(2026, 11, due_day, 23, 59, 59, tzinfo=WIB)
    secret = "Nomor saya 0812 7777 3131, rumah di Jl. Rahasia"
    return {"id": id, "unit": unit, "nip_tujuan": nip, "batas_tindak_lanjut": moment, "terlambat_sekarang": late,
            "uraian": secret}  # fmt: skip


COMPLAINTS = pd.DataFrame(
    [
        complaint("aduan-1", UNIT, STAFF_A, 20, True),
        complaint("aduan-2", UNIT, None, 18, True),
        complaint("aduan-3", UNIT, STAFF_A, 17, False),  # followed up or not yet due
        complaint("aduan-4", None, None, 16, True),  # not yet dispatched to a unit
    ]
)


def test_overdue_complaints_warn_the_unit_and_the_assignee_with_ids_only() -> None:
    frame = warnings.pengaduan_terlambat(COMPLAINTS, EMPLOYEES, WEEK)
    assert_sheet_rows(frame)
    rows = {r["id"]: r for r in frame.to_dict("records")}
    assert set(rows) == {f"2026-W48:ADUAN:{UNIT}", f"2026-W48:ADUAN:{STAFF_A}"}
    unit = rows[f"2026-W48:ADUAN:{UNIT}"]
    assert (unit["nip"], unit["nama"], unit["nip_atasan"], unit["tingkat"]) == (None, None, None, "Perhatian")
    assert unit["alasan"] == (
        "2 pengaduan yang ditangani unit ini melewati batas tindak lanjut dan belum ditindaklanjuti; "
        "batas tertua 18 November 2026."
    )
    assert unit["rujukan"] == "aduan-2, aduan-1"
    person = rows[f"2026-W48:ADUAN:{STAFF_A}"]
    assert (person["nama"], person["unit"], person["nip_atasan"]) == ("Budi Santoso", UNIT, SUPERVISOR)
    assert person["alasan"].startswith("1 pengaduan yang ditugaskan kepada pegawai ini")
    assert person["rujukan"] == "aduan-1"
    text = frame.to_string()
    assert "0812" not in text and "Rahasia" not in text


@pytest.mark.parametrize("penting, levels", [(3, ["Perhatian", "Perhatian"]), (2, ["Perhatian", "Penting"])])
def test_overdue_complaints_become_important_from_penting_jumlah(penting: int, levels: list[str]) -> None:
    frame = warnings.pengaduan_terlambat(COMPLAINTS, EMPLOYEES, WEEK, penting_jumlah=penting)
    assert list(frame["tingkat"]) == levels  # sorted by id: the NIP before the unit code


def test_no_overdue_complaint_no_warning() -> None:
    frame = warnings.pengaduan_terlambat(COMPLAINTS.assign(terlambat_sekarang=False), EMPLOYEES, WEEK)
    assert frame.empty and list(frame.columns) == schema.sheet("Peringatan").keys


# -- IKM Rendah --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "konversi, responden, tingkat",
    [
        (76.60, 40, "Perhatian"),  # mutu C
        (76.61, 40, None),  # mutu B
        (64.99, 40, "Penting"),  # mutu D
        (70.0, 9, None),  # too few respondents
        (70.0, 10, "Perhatian"),  # exactly min_responden
        (None, 40, None),  # no survey in the period
    ],
)
def test_low_ikm_below_grade_b_with_enough_respondents(
    konversi: float | None, responden: int, tingkat: str | None
) -> None:
    units = pd.DataFrame([{"id": f"2026-11:{UNIT}", "unit": UNIT, "ikm_konversi": konversi, "mutu_ikm": "B",
                           "responden_skm": responden}])  # fmt: skip
    frame = warnings.ikm_rendah(units, WEEK, min_responden=10)
    assert_sheet_rows(frame)
    assert list(frame["tingkat"]) == ([tingkat] if tingkat else [])


def test_low_ikm_just_under_grade_b_does_not_print_as_the_edge() -> None:
    units = pd.DataFrame([{"unit": UNIT, "ikm_konversi": 76.6099, "responden_skm": 48}])
    assert "IKM unit 76,6 (mutu C" in only(warnings.ikm_rendah(units, WEEK))["alasan"]


def test_low_ikm_reason_names_grade_and_respondents() -> None:
    units = pd.DataFrame([{"id": f"2026-11:{UNIT}", "unit": UNIT, "ikm_konversi": 70.123, "responden_skm": 48}])
    row = only(warnings.ikm_rendah(units, WEEK))
    assert row["alasan"] == "IKM unit 70,12 (mutu C, Kurang Baik) dari 48 responden, di bawah batas mutu B (76,61)."
    assert (row["id"], row["nip"], row["rujukan"]) == (f"2026-W48:IKM:{UNIT}", None, f"2026-11:{UNIT}")


# -- Kendala Berulang --------------------------------------------------------------------------


def obstacles(*entries: tuple[date, str], nip: str = STAFF_A) -> pd.DataFrame:
    return pd.DataFrame([{"nip": nip, "tanggal": day, "kendala": text} for day, text in entries])


def test_same_obstacle_on_three_days_warns_and_quotes_it() -> None:
    reports = obstacles(
        (d(10), "Aplikasi SIMPUS error!"), (d(17), "aplikasi  simpus ERROR"), (d(24), "Aplikasi SIMPUS error.")
    )
    row = only(warnings.kendala_berulang(reports, EMPLOYEES, WEEK))
    assert row["id"].startswith(f"2026-W48:KENDALA:{STAFF_A}:")
    assert row["alasan"] == (
        'Kendala yang sama dilaporkan pada 3 hari berbeda dalam 30 hari terakhir: "Aplikasi SIMPUS error.".'
    )
    assert (row["tingkat"], row["rujukan"]) == ("Perhatian", "2026-11-10, 2026-11-17, 2026-11-24")


@pytest.mark.parametrize(
    "entries",
    [
        [(d(17), "Printer rusak"), (d(24), "printer rusak")],  # two days only
        [(d(24), "Printer rusak"), (d(24), "Printer rusak"), (d(24), "Printer rusak")],  # one day, thrice
        [(d(23), "Tidak ada"), (d(24), "tidak ada."), (d(25), "-"), (d(26), "Nihil")],  # no obstacle at all
        [(d(2), "Printer rusak"), (d(9), "Printer rusak"), (d(16), "Printer rusak")],  # not again this week
        [(d(20, 10), "Printer rusak"), (d(17), "Printer rusak"), (d(24), "Printer rusak")],  # first one too old
    ],
)
def test_obstacle_not_repeated_on_three_days_of_the_window_is_no_warning(entries: list[tuple[date, str]]) -> None:
    assert warnings.kendala_berulang(obstacles(*entries), EMPLOYEES, WEEK).empty


def test_two_repeated_obstacles_are_two_warnings_with_different_ids() -> None:
    days = (d(20), d(23), d(24))
    reports = obstacles(*[(day, "Printer rusak") for day in days], *[(day, "Jaringan lambat") for day in days])
    frame = warnings.kendala_berulang(reports, EMPLOYEES, WEEK)
    assert_sheet_rows(frame)
    assert len(frame) == 2 and frame["id"].nunique() == 2


def test_long_obstacles_are_shortened_and_numbers_masked() -> None:
    text = "Warga atas nama Budi (0812-7777-3131, budi@contoh.id) minta surat, tetapi " + "blanko habis " * 10
    row = only(warnings.kendala_berulang(obstacles(*[(d(n), text) for n in (23, 24, 25)]), EMPLOYEES, WEEK))
    quoted = row["alasan"].split(': "', 1)[1].removesuffix('".')
    assert len(quoted) <= 80 and quoted.endswith("…")
    assert "0812" not in row["alasan"] and "budi@" not in row["alasan"] and "[disamarkan]" in quoted


def test_normalise_kendala_ignores_case_punctuation_and_spaces() -> None:
    texts = pd.Series(["  Aplikasi SIMPUS, error! ", "aplikasi simpus error", None])
    assert list(warnings.normalise_kendala(texts)) == ["aplikasi simpus error", "aplikasi simpus error", ""]


# -- Verifikasi Tertunda -----------------------------------------------------------------------


def activities(*entries: tuple[str, date, str]) -> pd.DataFrame:
    return pd.DataFrame([{"nip": nip, "tanggal": day, "verifikasi": status} for nip, day, status in entries])


@pytest.mark.parametrize(
    "day, calendar, warned",
    [
        (d(20), Calendar(), False),  # 5 working days waited by Sunday 29 November: not more than 5
        (d(19), Calendar(), True),  # 6 working days
        (d(19), Calendar(extra_holidays=[d(23)]), False),  # a day off in between: 5 again
    ],
)
def test_pending_verification_counts_working_days_after_the_report(day: date, calendar: Calendar, warned: bool) -> None:
    frame = warnings.verifikasi_tertunda(activities((STAFF_A, day, "Menunggu")), EMPLOYEES, WEEK, calendar=calendar)
    assert_sheet_rows(frame)
    assert len(frame) == int(warned)


def test_pending_verification_warns_the_supervisor_once_with_count_and_oldest() -> None:
    reports = activities(
        (STAFF_A, d(12), "Menunggu"),
        (STAFF_A, d(12), "Menunggu"),
        (STAFF_B, d(18), "Menunggu"),
        (STAFF_B, d(13), "Disetujui"),
        (STAFF_B, d(25), "Menunggu"),  # too recent
        (OTHER, d(12), "Dikembalikan"),
    )
    row = only(warnings.verifikasi_tertunda(reports, EMPLOYEES, WEEK))
    assert (row["id"], row["nip"], row["nama"], row["nip_atasan"]) == (
        f"2026-W48:VERIFIKASI:{SUPERVISOR}",
        SUPERVISOR,
        "Sri Wahyuni",
        HEAD,
    )
    assert row["alasan"] == (
        "3 kegiatan dari 2 anggota tim menunggu verifikasi lebih dari 5 hari kerja; "
        "laporan tertua 12 November 2026, sudah 11 hari kerja."
    )
    assert (row["tingkat"], row["rujukan"]) == ("Penting", "2026-11-12, 2026-11-18")


# -- all rules together ------------------------------------------------------------------------


def everything(**options: Any) -> pd.DataFrame:
    reports = pd.concat(
        [
            activities((STAFF_A, d(19), "Menunggu")).assign(kendala="Printer rusak"),
            activities((STAFF_B, d(25), "Disetujui")).assign(kendala="tidak ada"),
        ]
    )
    return warnings.all_warnings(
        WEEK,
        EMPLOYEES,
        scores=totals([82, 75, 70, 64], nip=OTHER),
        available=pd.concat([due(nip=STAFF_A), due(nip=STAFF_B)]),
        reports=reports,
        complaints=COMPLAINTS,
        units=pd.DataFrame([{"unit": UNIT, "ikm_konversi": 60.0, "responden_skm": 30}]),
        options=options,
    )


def test_all_warnings_are_schema_rows_and_identical_when_run_again() -> None:
    first = everything()
    assert_sheet_rows(first)
    assert sorted(first["jenis"]) == [
        "IKM Rendah",
        "Pengaduan Terlambat",
        "Pengaduan Terlambat",
        "Skor Turun",
        "Tidak Melapor",
        "Verifikasi Tertunda",
    ]
    pd.testing.assert_frame_equal(first, everything())
    assert first["id"].is_unique


def test_all_warnings_take_thresholds_from_konfigurasi() -> None:
    assert list(everything()["jenis"]).count("Tidak Melapor") == 1  # STAFF_A: 6 days; STAFF_B: 2 days
    laxer = everything(peringatan_hari_tanpa_laporan=2, peringatan_verifikasi_hari=6, peringatan_ikm_min_responden="")
    assert list(laxer["jenis"]).count("Tidak Melapor") == 2  # STAFF_B too: 26 and 27 November
    assert "Verifikasi Tertunda" not in set(laxer["jenis"])
    assert "IKM Rendah" in set(laxer["jenis"])  # an empty cell keeps the default


def test_option_keys_are_named_peringatan() -> None:
    assert all(key.startswith("peringatan_") for key in warnings.OPTIONS)


# -- the sheet and the weekly run ---------------------------------------------------------------


def test_peringatan_sheet_is_a_derived_sheet_per_period_and_unit() -> None:
    sheet = schema.load_all()["Peringatan"]
    assert (sheet.kind, sheet.key, sheet.period_column, sheet.unit_column) == ("derived", "id", "periode", "unit")
    assert sheet.column("jenis").allowed == tuple(warnings.CODES)
    assert sheet.column("tingkat").allowed == (warnings.PERHATIAN, warnings.PENTING)
    assert not sheet.column("nip").required


def test_for_week_reads_the_run_and_warns_staff_who_never_reported(store: SQLiteStore, city: dict[str, Any]) -> None:
    now = datetime(2026, 11, 30, 6, 0, tzinfo=WIB)
    data = read(store, WEEK.start, WEEK.end, now.date(), now)
    scores = pd.DataFrame({"nip": [STAFF_A], "periode": [WEEK.label], "total": [50.0]})
    frame = warnings.for_week(store, data, WEEK, scores)
    assert_sheet_rows(frame)
    silent = frame[frame["jenis"] == "Tidak Melapor"]
    assert set(silent["nip"]) == set(city["people"])
    pd.testing.assert_frame_equal(frame, warnings.for_week(store, data, WEEK, scores))


def test_empty_inputs_give_an_empty_frame_with_the_sheet_columns() -> None:
    def empty(*columns: str) -> pd.DataFrame:
        return pd.DataFrame(columns=list(columns))

    frame = warnings.all_warnings(
        WEEK,
        EMPLOYEES,
        scores=empty("nip", "periode", "total"),
        available=empty("nip", "tanggal"),
        reports=empty("nip", "tanggal", "kendala", "verifikasi"),
        complaints=empty("id", "unit", "nip_tujuan", "batas_tindak_lanjut", "terlambat_sekarang"),
        units=empty("unit", "ikm_konversi", "responden_skm"),
    )
    assert frame.empty and list(frame.columns) == schema.sheet("Peringatan").keys
