"""The score components, checked against small hand-computed tables.

NIPs are short names here: the core does not check their form. The full week is 2026-W48
(Monday 23 to Friday 27 November, no holiday); the holiday week is 2026-W18 (Monday 27 to
Thursday 30 April; Friday 1 May is Hari Buruh). 2026 has 240 working days, so a yearly target
of 240 is 1 a day and 960 is 4 a day.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from functions.citizens.ikm import KEYS
from functions.rules.workdays import WIB, Calendar
from functions.scoring.components import (
    QuarterDays,
    available_days,
    hasil_kerja,
    kedisiplinan,
    kepuasan,
    leave_days,
    prorated_targets,
    responsivitas,
    working_days,
)

MON, TUE, WED, THU, FRI, SAT = (date(2026, 11, 23) + timedelta(days=n) for n in range(6))
WEEK = [MON, TUE, WED, THU, FRI]
YEAR = 240  # working days of 2026
_ = None  # a blank cell


def people(*rows: tuple[Any, ...]) -> pd.DataFrame:
    """Pegawai from (nip, unit, aktif, mulai_tugas)."""
    return pd.DataFrame(rows, columns=["nip", "unit", "aktif", "mulai_tugas"])


def leave(*rows: tuple[str, date, date]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "mulai", "selesai"])


def reports(*rows: tuple[Any, ...]) -> pd.DataFrame:
    """LaporanHarian from (nip, tanggal, id_target, kuantitas, verifikasi)."""
    return pd.DataFrame(rows, columns=["nip", "tanggal", "id_target", "kuantitas", "verifikasi"])


def by_nip(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {row["nip"]: row for row in frame.to_dict("records")}


# -- available days and leave ------------------------------------------------------------


def test_holiday_week_comes_from_the_calendar():
    assert Calendar().workdays_between(date(2026, 4, 27), date(2026, 5, 3)) == [
        date(2026, 4, 27),
        date(2026, 4, 28),
        date(2026, 4, 29),
        date(2026, 4, 30),
    ]


HOLIDAY_WEEK = [date(2026, 4, 27), date(2026, 4, 28), date(2026, 4, 29), date(2026, 4, 30)]

# (case, workdays, employee (aktif, mulai_tugas), leave rows, expected days, expected hari_cuti)
AVAILABLE_CASES = [
    ("full week", WEEK, (True, _), [], WEEK, 0),
    # 1 May is not passed in: Monday-Thursday only.
    ("holiday week", HOLIDAY_WEEK, (True, _), [], HOLIDAY_WEEK, 0),
    # Leave Tuesday-Wednesday: 5 - 2 = 3 days, 2 of leave.
    ("two days of leave", WEEK, (True, _), [(TUE, WED)], [MON, THU, FRI], 2),
    # Leave Wednesday 29 April to Monday 4 May: Wednesday and Thursday are working days of the
    # week; Friday is the holiday and the weekend is off, so 2 days of leave, 2 left.
    ("leave over a holiday", HOLIDAY_WEEK, (True, _), [(date(2026, 4, 29), date(2026, 5, 4))], HOLIDAY_WEEK[:2], 2),
    # Two overlapping rows, Monday-Tuesday and Tuesday-Wednesday: 3 days, counted once.
    ("overlapping leave", WEEK, (True, _), [(MON, TUE), (TUE, WED)], [THU, FRI], 3),
    # Leave that ends before the week or starts after it removes nothing.
    ("leave outside the week", WEEK, (True, _), [(date(2026, 11, 2), date(2026, 11, 20))], WEEK, 0),
    # Starts on Wednesday: Wednesday, Thursday, Friday = 3 days.
    ("new employee mid-week", WEEK, (True, WED), [], [WED, THU, FRI], 0),
    # Starts Wednesday, leave Monday-Wednesday: only Wednesday was due, so 1 day of leave, 2 left.
    ("leave before starting", WEEK, (True, WED), [(MON, WED)], [THU, FRI], 1),
    ("starts after the week", WEEK, (True, date(2026, 12, 1)), [], [], 0),
    ("blank aktif counts as active", WEEK, (_, _), [], WEEK, 0),
]


@pytest.mark.parametrize(
    ("workdays", "who", "rows", "days", "hari_cuti"),
    [case[1:] for case in AVAILABLE_CASES],
    ids=[case[0] for case in AVAILABLE_CASES],
)
def test_available_days_and_leave(workdays, who, rows, days, hari_cuti):
    pegawai = people(("ANI", "U1", *who), ("OTHER", "U1", True, _))
    cuti = leave(*[("ANI", a, b) for a, b in rows], ("OTHER", MON, FRI))
    available = available_days(pegawai, cuti, workdays)
    assert list(available.loc[available["nip"] == "ANI", "tanggal"].dt.date) == days
    assert by_nip(leave_days(pegawai, cuti, workdays))["ANI"]["hari_cuti"] == hari_cuti


def test_inactive_employee_has_no_days_and_no_leave_row():
    pegawai = people(("ANI", "U1", True, _), ("GONE", "U1", False, _))
    assert set(available_days(pegawai, leave(), WEEK)["nip"]) == {"ANI"}
    assert list(leave_days(pegawai, leave(), WEEK)["nip"]) == ["ANI"]


def test_a_week_without_working_days_scores_no_discipline():
    pegawai = pd.DataFrame({"nip": ["ANI"], "unit": ["U1"]})  # no aktif or mulai_tugas column: both optional
    available = available_days(pegawai, leave(), [])
    assert available.empty
    assert leave_days(pegawai, leave(), [])["hari_cuti"].tolist() == [0]
    assert kedisiplinan(available, reports(("ANI", MON, "t", 1, "Menunggu"))).empty


def test_working_days_counts_available_days_per_employee():
    pegawai = people(("ANI", "U1", True, _), ("BUDI", "U1", True, WED))
    # ANI 5 days; BUDI from Wednesday, 3 days.
    assert working_days(available_days(pegawai, leave(), WEEK)).to_dict() == {"ANI": 5, "BUDI": 3}


# -- kedisiplinan --------------------------------------------------------------------------

DISCIPLINE_PEOPLE = people(
    ("ANI", "U1", True, _),
    ("BUDI", "U1", True, _),
    ("CITRA", "U1", True, _),  # on leave Tuesday-Wednesday
    ("DEDI", "U1", True, WED),  # starts Wednesday
    ("EKA", "U1", True, date(2026, 12, 1)),  # starts after the week
)
DISCIPLINE_REPORTS = reports(
    # ANI: two rows on Monday (one day), Wednesday, and Saturday (not a working day): 2 days.
    ("ANI", MON, "t", 1, "Disetujui"),
    ("ANI", MON, "t", 1, "Menunggu"),
    ("ANI", WED, "t", 1, "Dikembalikan"),  # a returned activity still shows the day was reported
    ("ANI", SAT, "t", 1, "Disetujui"),
    # BUDI: every day and Saturday: 5 of 5, never over 100%.
    *[("BUDI", d, "t", 1, "Disetujui") for d in (*WEEK, SAT)],
    # CITRA: Monday and Tuesday (on leave, not due): 1 day.
    ("CITRA", MON, "t", 1, "Menunggu"),
    ("CITRA", TUE, "t", 1, "Menunggu"),
    # DEDI: Monday (before starting) and Thursday: 1 day.
    ("DEDI", MON, "t", 1, "Menunggu"),
    ("DEDI", THU, "t", 1, "Menunggu"),
    ("EKA", THU, "t", 1, "Menunggu"),
    ("STRANGER", MON, "t", 1, "Menunggu"),  # not an employee
)

# nip: (kedisiplinan, hari_kerja, hari_lapor)
DISCIPLINE_EXPECTED = {
    "ANI": (100 * 2 / 5, 5, 2),  # 40%
    "BUDI": (100 * 5 / 5, 5, 5),  # 100%
    "CITRA": (100 * 1 / 3, 3, 1),  # 33.33%
    "DEDI": (100 * 1 / 3, 3, 1),  # 33.33%
}  # EKA has no working day in the week: absent


def test_kedisiplinan_hand_computed():
    available = available_days(DISCIPLINE_PEOPLE, leave(("CITRA", TUE, WED)), WEEK)
    result = by_nip(kedisiplinan(available, DISCIPLINE_REPORTS))
    assert set(result) == set(DISCIPLINE_EXPECTED)
    for nip, (score, kerja, lapor) in DISCIPLINE_EXPECTED.items():
        assert result[nip]["kedisiplinan"] == pytest.approx(score), nip
        assert (result[nip]["hari_kerja"], result[nip]["hari_lapor"]) == (kerja, lapor), nip


def test_kedisiplinan_reads_datetime_columns_too():
    available = available_days(people(("ANI", "U1", True, _)), leave(), WEEK)
    laporan = reports(("ANI", pd.Timestamp(MON), "t", 1, "Menunggu"))
    assert kedisiplinan(available, laporan)["hari_lapor"].tolist() == [1]


def test_kedisiplinan_without_available_days_is_empty():
    assert kedisiplinan(available_days(people(), leave(), WEEK), reports()).empty


# -- hasil kerja ---------------------------------------------------------------------------

TARGETS = pd.DataFrame(
    [
        # id, nip, indikator, target (a year), satuan, bobot
        ("A1", "ANI", "Jumlah surat pengantar", 960, "surat", 60),
        ("A2", "ANI", "Jumlah rapat koordinasi", 480, "kali", 40),
        ("B1", "BUDI", "Jumlah warga dilayani", 960, "orang", 100),
        ("C1", "CITRA", "Jumlah surat pengantar", 960, "surat", 100),
        ("F1", "FAJAR", "Indikator tanpa target", 0, "dokumen", 50),
        ("F2", "FAJAR", "Jumlah dokumen", 240, "dokumen", 50),
        ("G1", "GITA", "Jumlah data", 296_400, "data", 0.5),
        ("H1", "HADI", "Indikator tanpa bobot", 240, "laporan", 0),
        ("E1", "EKA", "Jumlah surat", 240, "surat", 100),
    ],
    columns=["id", "nip", "indikator", "target", "satuan", "bobot"],
).assign(tahun=2026)
RESULT_REPORTS = reports(
    # ANI, A1: 10 approved + 4 waiting = 14; 6 returned (Dikembalikan) do not count.
    ("ANI", MON, "A1", 10, "Disetujui"),
    ("ANI", TUE, "A1", 4, "Menunggu"),
    ("ANI", WED, "A1", 6, "Dikembalikan"),
    # ANI, A2: 15, over the target.
    ("ANI", THU, "A2", 15, "Disetujui"),
    ("BUDI", MON, "B1", 30, "Disetujui"),
    ("CITRA", MON, "C1", 9, "Disetujui"),
    ("DEDI", MON, "A1", 100, "Disetujui"),  # DEDI has no targets; A1 is ANI's, not his
    ("FAJAR", MON, "F1", 3, "Disetujui"),
    ("FAJAR", MON, "F2", 4, "Disetujui"),
    ("GITA", MON, "G1", 2.5, "Menunggu"),
    ("HADI", MON, "H1", 5, "Menunggu"),
)
RESULT_DAYS = pd.Series({"ANI": 5, "BUDI": 5, "CITRA": 3, "DEDI": 5, "EKA": 0, "FAJAR": 5, "GITA": 5, "HADI": 5})

# nip: (hasil_kerja, capaian_persen, jumlah_indikator, rincian)
RESULT_EXPECTED = {
    # A1: 960 x 5 / 240 = 20; 14 / 20 = 70%.  A2: 480 x 5 / 240 = 10; 15 / 10 = 150%, capped at 120%.
    # capaian = (60 x 70 + 40 x 120) / (60 + 40) = (4200 + 4800) / 100 = 90.
    "ANI": (
        90.0,
        90.0,
        2,
        "Jumlah surat pengantar: 14 / 20,0 surat (70%, bobot 60); "
        "Jumlah rapat koordinasi: 15 / 10,0 kali (150%, dibatasi 120%, bobot 40)",
    ),
    # 960 x 5 / 240 = 20; 30 / 20 = 150%, capped at 120; hasil_kerja min(120, 100) = 100.
    "BUDI": (100.0, 120.0, 1, "Jumlah warga dilayani: 30 / 20,0 orang (150%, dibatasi 120%, bobot 100)"),
    # On leave two days: 3 days, 960 x 3 / 240 = 12; 9 / 12 = 75%.
    "CITRA": (75.0, 75.0, 1, "Jumlah surat pengantar: 9 / 12,0 surat (75%, bobot 100)"),
    # F1's target is 0: skipped. F2: 240 x 5 / 240 = 5; 4 / 5 = 80%.
    "FAJAR": (80.0, 80.0, 1, "Jumlah dokumen: 4 / 5,0 dokumen (80%, bobot 50)"),
    # 296,400 x 5 / 240 = 6,175; 2.5 / 6,175 = 0.0405%. Indonesian numbers: 2,5 and 6.175,0.
    "GITA": (100 * 2.5 / 6175, 100 * 2.5 / 6175, 1, "Jumlah data: 2,5 / 6.175,0 data (0%, bobot 0,5)"),
}  # DEDI: no targets. EKA: no working day. HADI: weights sum to 0. All absent.


def test_hasil_kerja_hand_computed():
    result = by_nip(hasil_kerja(TARGETS, RESULT_REPORTS, RESULT_DAYS, YEAR))
    assert set(result) == set(RESULT_EXPECTED)
    for nip, (score, capaian, count, text) in RESULT_EXPECTED.items():
        assert result[nip]["hasil_kerja"] == pytest.approx(score), nip
        assert result[nip]["capaian_persen"] == pytest.approx(capaian), nip
        assert result[nip]["jumlah_indikator"] == count, nip
        assert result[nip]["rincian_hasil_kerja"] == text, nip


def test_hasil_kerja_cap_is_a_parameter():
    # BUDI: 150% with a cap of 150 counts in full; hasil_kerja is still capped at 100.
    budi = by_nip(hasil_kerja(TARGETS, RESULT_REPORTS, RESULT_DAYS, YEAR, cap_persen=150))["BUDI"]
    assert (budi["capaian_persen"], budi["hasil_kerja"]) == (pytest.approx(150), pytest.approx(100))


def test_hasil_kerja_without_reports_is_zero_not_absent():
    # ANI has targets and days but reported nothing: (60 x 0 + 40 x 0) / 100 = 0.
    ani = by_nip(hasil_kerja(TARGETS, reports(), RESULT_DAYS, YEAR))["ANI"]
    assert ani["hasil_kerja"] == 0
    assert ani["rincian_hasil_kerja"].startswith("Jumlah surat pengantar: 0 / 20,0 surat (0%, bobot 60)")


def test_hasil_kerja_rejects_a_year_without_working_days():
    with pytest.raises(ValueError, match="hari kerja setahun"):
        hasil_kerja(TARGETS, RESULT_REPORTS, RESULT_DAYS, 0)


# -- quarterly targets (e-Kinerja) --------------------------------------------------------------
# 2026-W14 runs from Monday 30 March to Sunday 5 April: 30 and 31 March in quarter I, 1 and 2 April in quarter II;
# Friday 3 April is Wafat Yesus Kristus. Quarter I has 55 working days, quarter II 57 (rules/workdays, asserted below).
# TRI plans by quarter: 55 in TW I, 114 in TW II (1 and 2 a working day), nothing in TW III and IV; YUDI yearly: 240.
EASTER_WEEK = [date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2)]
QUARTERLY = pd.DataFrame(
    [
        ("T1", "TRI", "Jumlah surat", 240, "surat", 100, 55, 114, _, _),
        ("Y1", "YUDI", "Jumlah surat", 240, "surat", 100, _, _, _, _),
    ],
    columns=["id", "nip", "indikator", "target", "satuan", "bobot", "target_tw1", "target_tw2", "target_tw3",
             "target_tw4"],
).assign(tahun=2026)  # fmt: skip


def easter(*nips: str, off: tuple[date, ...] = ()) -> pd.DataFrame:
    days = [d for d in EASTER_WEEK if d not in off]
    return pd.DataFrame({"nip": [n for n in nips for _ in days], "tanggal": pd.to_datetime(days * len(nips))})


def year_2026() -> list[date]:
    return Calendar().workdays_between(date(2026, 1, 1), date(2026, 12, 31))


def test_the_quarters_behind_the_quarterly_table():
    calendar = Calendar()
    assert calendar.workdays_between(date(2026, 3, 30), date(2026, 4, 5)) == EASTER_WEEK
    quarters = QuarterDays.of(easter("TRI"), year_2026())
    assert dict(quarters.workdays) == {1: 55, 2: 57, 3: 64, 4: 64}
    assert quarters.days.loc["TRI"].tolist() == [2, 2, 0, 0]


@pytest.mark.parametrize(
    ("off", "tri", "yudi"),
    [
        # TRI: 55 x 2 / 55 + 114 x 2 / 57 = 2 + 4 = 6.  YUDI: 240 x 4 / 240 = 4.
        ((), 6.0, 4.0),
        # Only the quarter I days: 55 x 2 / 55 = 2 (a week inside one quarter uses that quarter's target).
        ((date(2026, 4, 1), date(2026, 4, 2)), 2.0, 2.0),
        # Only the quarter II days: 114 x 2 / 57 = 4; YUDI 240 x 2 / 240 = 2.
        ((date(2026, 3, 30), date(2026, 3, 31)), 4.0, 2.0),
    ],
)
def test_prorated_targets_by_quarter_and_by_year(off, tri, yudi):
    available = easter("TRI", "YUDI", off=off)
    days = working_days(available)
    result = prorated_targets(QUARTERLY, days, YEAR, QuarterDays.of(available, year_2026()))
    assert result.tolist() == [pytest.approx(tri), pytest.approx(yudi)]


def test_hasil_kerja_with_quarterly_targets_hand_computed():
    # Both reported 3 surat in the week. TRI: 3 / 6 = 50%. YUDI: 3 / 4 = 75%.
    available = easter("TRI", "YUDI")
    laporan = reports(("TRI", MON, "T1", 3, "Disetujui"), ("YUDI", MON, "Y1", 3, "Disetujui"))
    quarters = QuarterDays.of(available, year_2026())
    result = by_nip(hasil_kerja(QUARTERLY, laporan, working_days(available), YEAR, quarters=quarters))
    assert (result["TRI"]["capaian_persen"], result["YUDI"]["capaian_persen"]) == (50.0, 75.0)
    assert result["TRI"]["rincian_hasil_kerja"] == "Jumlah surat: 3 / 6,0 surat (50%, bobot 100)"


def test_quarterly_targets_need_the_days_by_quarter():
    available = easter("TRI")
    with pytest.raises(ValueError, match="per triwulan"):
        prorated_targets(QUARTERLY, working_days(available), YEAR, None)


# -- responsivitas -------------------------------------------------------------------------

END = datetime(2026, 11, 27, 23, 59, 59, tzinfo=WIB)
DUE = datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB)
COMPLAINT_PEOPLE = people(
    ("ANI", "U1", True, _),
    ("BUDI", "U1", True, _),
    ("GONE", "U1", False, _),  # inactive: never counted
    ("CITRA", "U2", True, _),
    ("DEDI", "U3", True, _),  # a unit without complaints
)
COMPLAINTS = pd.DataFrame(
    [
        # id, unit, nip_tujuan, dijawab_pada, tepat_waktu, jam_respon
        ("c1", "U1", _, datetime(2026, 11, 24, 10, 0, tzinfo=WIB), True, 4.0),  # to the unit: ANI and BUDI
        ("c2", "U1", "ANI", datetime(2026, 11, 27, 9, 0, tzinfo=WIB), False, 30.0),  # to ANI only
        ("c3", "U2", "", pd.NaT, False, np.nan),  # blank assignee: the unit; open and late
        ("c4", "U1", "BUDI", datetime(2026, 11, 30, 9, 0, tzinfo=WIB), False, 50.0),  # answered after the period
        ("c5", "U1", "BUDI", pd.NaT, _, np.nan),  # not assessable yet: ignored
    ],
    columns=["id", "unit", "nip_tujuan", "dijawab_pada", "tepat_waktu", "jam_respon"],
).assign(batas_tindak_lanjut=DUE)

# nip: (responsivitas, aduan_jumlah, aduan_tepat_waktu, jam_respon_median)
COMPLAINT_EXPECTED = {
    "ANI": (100 * 1 / 2, 2, 1, (4.0 + 30.0) / 2),  # c1 on time, c2 late: 50%, median of 4 and 30 = 17
    "BUDI": (100 * 1 / 2, 2, 1, 4.0),  # c1 on time, c4 late; c4's answer came after the period: median 4
    "CITRA": (0.0, 1, 0, None),  # c3 late and unanswered: 0%, no median
}  # GONE is inactive, DEDI's unit had no complaint: absent


@pytest.mark.parametrize("end", [END, date(2026, 11, 27), datetime(2026, 11, 27, 23, 59, 59)])
def test_responsivitas_person_and_unit(end):
    result = by_nip(responsivitas(COMPLAINTS, COMPLAINT_PEOPLE, end))
    assert set(result) == set(COMPLAINT_EXPECTED)
    for nip, (score, count, on_time, median) in COMPLAINT_EXPECTED.items():
        row = result[nip]
        assert row["responsivitas"] == pytest.approx(score), nip
        assert (row["aduan_jumlah"], row["aduan_tepat_waktu"]) == (count, on_time), nip
        if median is None:
            assert math.isnan(row["jam_respon_median"]), nip
        else:
            assert row["jam_respon_median"] == pytest.approx(median), nip


def test_responsivitas_without_complaints_is_empty():
    assert responsivitas(COMPLAINTS.iloc[:0], COMPLAINT_PEOPLE, END).empty


# -- kepuasan ------------------------------------------------------------------------------


def surveys(unit: str, nip: str | None, answer: int, n: int) -> list[dict[str, Any]]:
    return [{"unit": unit, "id_layanan": "L1", "nip_pegawai": nip, **dict.fromkeys(KEYS, answer)} for _ in range(n)]


SATISFACTION_PEOPLE = people(
    ("ANI", "U1", True, _), ("BUDI", "U1", True, _), ("CITRA", "U2", True, _), ("GONE", "U1", False, _)
)
SURVEYS = pd.DataFrame(
    surveys("U1", "ANI", 4, 5)  # five name ANI, all 4: IKM 4, konversi 100
    + surveys("U1", "BUDI", 2, 1)  # one names BUDI, all 2: fewer than 5
    + surveys("U1", "GONE", 4, 5)  # an inactive employee: never scored
    + surveys("U3", None, 3, 2)  # a unit nobody here works in
)
# U1: 11 respondents; every unsur NRR = (5 x 4 + 1 x 2 + 5 x 4) / 11 = 42 / 11; konversi = 42 / 11 x 25 = 95.4545.
# nip: (kepuasan, sumber, responden)
SATISFACTION_EXPECTED = {
    "ANI": (100.0, "Pegawai", 5),
    "BUDI": (42 / 11 * 25, "Unit", 11),
}  # CITRA: unit U2 has no surveys: absent


def test_kepuasan_employee_or_unit():
    result = by_nip(kepuasan(SURVEYS, SATISFACTION_PEOPLE))
    assert set(result) == set(SATISFACTION_EXPECTED)
    for nip, (score, source, count) in SATISFACTION_EXPECTED.items():
        assert result[nip]["kepuasan"] == pytest.approx(score), nip
        assert (result[nip]["kepuasan_sumber"], result[nip]["kepuasan_responden"]) == (source, count), nip


def test_kepuasan_min_responden_is_a_parameter():
    # With 1 survey enough, BUDI's own: every NRR 2, konversi 2 x 25 = 50.
    budi = by_nip(kepuasan(SURVEYS, SATISFACTION_PEOPLE, min_responden=1))["BUDI"]
    assert (budi["kepuasan"], budi["kepuasan_sumber"], budi["kepuasan_responden"]) == (pytest.approx(50), "Pegawai", 1)


def test_kepuasan_uses_the_unsur_weights():
    # ANI's surveys answered u1 = 2 and the rest 4; with all the weight on u1 the IKM is 2, konversi 50.
    rows = surveys("U1", "ANI", 4, 5)
    for row in rows:
        row["u1"] = 2
    weights = {"u1": 1.0, **dict.fromkeys(KEYS[1:], 0.0)}
    ani = by_nip(kepuasan(pd.DataFrame(rows), SATISFACTION_PEOPLE, weights))["ANI"]
    assert ani["kepuasan"] == pytest.approx(50.0)


def test_kepuasan_without_surveys_is_empty():
    assert kepuasan(SURVEYS.iloc[:0], SATISFACTION_PEOPLE).empty
