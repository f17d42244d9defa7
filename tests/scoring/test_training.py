"""Saran pelatihan: each weakness against the catalogue entry and reason it should give.

Every employee starts strong (90 on each component and in total, perilaku Sesuai Ekspektasi)
and one table row weakens them; the seed catalogue of ``functions.scoring.training_catalogue`` is used
unless a test passes its own.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest

from functions import periods, schema
from functions.rules.workdays import WIB
from functions.scoring import training, training_catalogue
from functions.scoring.inputs import read
from functions.store.sqlite import SQLiteStore
from tests.conftest import STAFF_A, STAFF_B, SUPERVISOR

WEEK = periods.parse("2026-W48")
UNIT = "KEL-UJI"
BELOW, MEETS = "Di Bawah Ekspektasi", "Sesuai Ekspektasi"


def employee(nip: str = STAFF_A, **changes: Any) -> dict[str, Any]:
    row = {"nip": nip, "nama": f"Pegawai {nip[-3:]}", "unit": UNIT, "nip_atasan": SUPERVISOR, "hasil_kerja": 90,
           "responsivitas": 90, "kepuasan": 90, "kedisiplinan": 90, "total": 90, "rating_perilaku": MEETS}  # fmt: skip
    return {**row, **changes}


def suggest(*rows: dict[str, Any], **inputs: Any) -> pd.DataFrame:
    frame = training.suggestions(WEEK, pd.DataFrame(list(rows) or [employee()]), **inputs)
    assert_sheet_rows(frame)
    return frame


def assert_sheet_rows(frame: pd.DataFrame) -> None:
    sheet = schema.sheet("SaranPelatihan")
    assert list(frame.columns) == sheet.keys
    for row in frame.to_dict("records"):
        _clean, problems = sheet.validate(row)
        assert problems == {}, (row, problems)


def picked(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["id_katalog"], frame["alasan"], strict=True))


# -- one weakness, one answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"hasil_kerja": 50}, [("coaching-atasan", "Skor hasil kerja 50 di bawah 60.")]),
        ({"responsivitas": 40}, [("sp4n-lapor", "Skor responsivitas pengaduan 40 di bawah 60.")]),
        ({"kepuasan": 55.5}, [("pelayanan-prima", "Skor kepuasan masyarakat 55,5 di bawah 60.")]),
        (
            {"kedisiplinan": 45},
            [
                ("coaching-atasan", "Skor kedisiplinan laporan harian 45 di bawah 60."),
                ("manajemen-waktu", "Skor kedisiplinan laporan harian 45 di bawah 60."),
            ],
        ),
        ({"rating_perilaku": BELOW}, [("konseling", "Rating perilaku kerja Di Bawah Ekspektasi.")]),
        (
            {"total": 65, "hasil_kerja": 75, "responsivitas": 64, "kepuasan": 70, "kedisiplinan": 66},
            [("sp4n-lapor", "Skor total 65 di bawah 70; komponen terendah responsivitas pengaduan 64.")],
        ),
        ({"hasil_kerja": 60}, []),  # at the threshold: not weak
        ({"hasil_kerja": 59.99}, [("coaching-atasan", "Skor hasil kerja 59,9 di bawah 60.")]),
        ({"total": 70, "hasil_kerja": 70}, []),
        ({"responsivitas": None, "kepuasan": None}, []),  # no data is not a weakness
        ({}, []),  # a strong employee gets nothing
    ],
)
def test_each_weak_component_maps_to_its_training(changes: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert picked(suggest(employee(**changes))) == expected


@pytest.mark.parametrize(
    "nilai, expected",
    [
        ("berorientasi_pelayanan", "pelayanan-prima"),
        ("akuntabel", "etika-integritas"),
        ("kompeten", "berakhlak"),
        ("harmonis", "komunikasi"),
        ("loyal", "berakhlak"),
        ("adaptif", "inovasi-pelayanan"),
        ("kolaboratif", "kerja-sama-tim"),
    ],
)
def test_each_weak_berakhlak_value_maps_to_its_course(nilai: str, expected: str) -> None:
    values = pd.DataFrame([{"nip": STAFF_A, "nilai_key": nilai, "rating": BELOW},
                           {"nip": STAFF_A, "nilai_key": "harmonis" if nilai != "harmonis" else "loyal",
                            "rating": MEETS}])  # fmt: skip
    frame = suggest(values=values)
    assert list(frame["id_katalog"]) == [expected]
    assert frame["alasan"][0].startswith("Nilai ") and frame["alasan"][0].endswith("dinilai Di Bawah Ekspektasi.")


def test_weak_value_reason_names_the_value() -> None:
    values = pd.DataFrame([{"nip": STAFF_A, "nilai_key": "berorientasi_pelayanan", "rating": BELOW}])
    assert picked(suggest(values=values)) == [
        ("pelayanan-prima", "Nilai Berorientasi Pelayanan dinilai Di Bawah Ekspektasi.")
    ]


@pytest.mark.parametrize(
    "unsur, nrr, expected",
    [
        ("u6", 2.4, "pelayanan-prima"),
        ("u7", 2.4, "pelayanan-prima"),
        ("u3", 2.5, "manajemen-waktu"),
        ("u2", 2.5, "sop-pelayanan"),
        ("u8", 2.5, "sp4n-lapor"),
        ("u1", 2.5, "standar-pelayanan"),
        ("u5", 2.5, "standar-pelayanan"),
        ("u4", 1.5, None),  # Biaya/Tarif: not a training matter
        ("u9", 1.5, None),  # Sarana dan Prasarana: not a training matter
        ("u3", 2.6, None),  # at the line (65 / 25): not weak
        ("u3", 2.59, "manajemen-waktu"),
    ],
)
def test_weak_skm_unsur_of_the_unit_maps_to_training(unsur: str, nrr: float, expected: str | None) -> None:
    frame = suggest(unsur=pd.DataFrame([{"unit": UNIT, "unsur_key": unsur, "nrr": nrr}]))
    assert list(frame["id_katalog"]) == ([expected] if expected else [])


def test_weak_unsur_reason_and_small_samples() -> None:
    weak = pd.DataFrame([{"unit": UNIT, "unsur_key": "u3", "nrr": 2.5, "responden": 10}])
    assert picked(suggest(unsur=weak)) == [
        ("manajemen-waktu", "NRR unsur Waktu Penyelesaian di unit 2,5 di bawah 2,6 (SKM).")
    ]
    assert suggest(unsur=weak.assign(responden=9)).empty  # fewer than min_responden (10)
    other_unit = suggest(employee(unit="KEL-LAIN"), unsur=weak)
    assert other_unit.empty


def obstacles(*entries: tuple[int, str], nip: str = STAFF_A) -> pd.DataFrame:
    return pd.DataFrame([{"nip": nip, "tanggal": date(2026, 11, day), "kendala": text} for day, text in entries])


@pytest.mark.parametrize(
    "entries, expected",
    [
        ([(23, "SIMPUS error saat input"), (24, "Aplikasi SIMPUS lambat")], ["bimtek-simpus", "literasi-digital"]),
        ([(23, "SIAK tidak bisa login"), (25, "siak error")], ["bimtek-siak", "literasi-digital"]),
        ([(23, "SRIKANDI gagal unggah"), (24, "srikandi lambat")], ["bimtek-srikandi", "literasi-digital"]),
        ([(23, "e-Kinerja tidak bisa dibuka"), (24, "ekinerja error")], ["bimtek-ekinerja", "literasi-digital"]),
        ([(23, "Printer rusak"), (24, "jaringan internet putus")], ["literasi-digital"]),
        ([(23, "SIMPUS error"), (23, "SIMPUS error lagi")], []),  # one day only
        ([(23, "Antrian panjang"), (24, "Warga tidak membawa KTP")], []),  # not about applications
    ],
)
def test_obstacles_about_applications_suggest_digital_literacy_and_the_named_system(
    entries: list[tuple[int, str]], expected: list[str]
) -> None:
    assert list(suggest(kendala=obstacles(*entries))["id_katalog"]) == expected


def test_obstacle_reason_quotes_the_text_naming_the_system() -> None:
    kendala = obstacles((23, "SIMPUS error saat input"), (24, "jaringan internet putus"))
    reasons = set(suggest(kendala=kendala)["alasan"])
    assert reasons == {'Kendala aplikasi SIMPUS dilaporkan pada 2 hari, mis. "SIMPUS error saat input".'}
    printer = suggest(kendala=obstacles((23, "Printer rusak"), (24, "Printer rusak lagi, hubungi 081277773131")))
    assert printer["alasan"][0] == (
        'Kendala aplikasi atau perangkat dilaporkan pada 2 hari, mis. "Printer rusak lagi, hubungi [disamarkan]".'
    )


# -- order, limit, duplicates ------------------------------------------------------------------


def test_coaching_comes_first_for_low_results_and_at_most_three() -> None:
    weak = employee(hasil_kerja=50, responsivitas=40, kepuasan=40, kedisiplinan=40, total=45, rating_perilaku=BELOW)
    values = pd.DataFrame([{"nip": STAFF_A, "nilai_key": "akuntabel", "rating": BELOW}])
    frame = suggest(weak, values=values, kendala=obstacles((23, "SIMPUS error"), (24, "SIMPUS error")))
    assert list(frame["urutan"]) == [1, 2, 3]
    assert list(frame["id_katalog"]) == ["coaching-atasan", "konseling", "sp4n-lapor"]
    assert list(frame["id"]) == [f"2026-W48:{STAFF_A}:{n}" for n in (1, 2, 3)]


def test_low_results_put_coaching_first_even_after_other_weaknesses_in_the_table() -> None:
    values = pd.DataFrame([{"nip": STAFF_A, "nilai_key": "kolaboratif", "rating": BELOW}])
    frame = suggest(employee(rating_perilaku=BELOW, hasil_kerja=59), values=values)
    assert list(frame["id_katalog"]) == ["coaching-atasan", "konseling", "kerja-sama-tim"]


def test_one_training_for_two_weaknesses_appears_once_with_both_reasons() -> None:
    unsur = pd.DataFrame([{"unit": UNIT, "unsur_key": "u7", "nrr": 2.3}])
    frame = suggest(employee(kepuasan=50), unsur=unsur)
    assert picked(frame) == [
        (
            "pelayanan-prima",
            "Skor kepuasan masyarakat 50 di bawah 60. NRR unsur Perilaku Pelaksana di unit 2,3 di bawah 2,6 (SKM).",
        )
    ]


def test_limit_can_be_lowered_but_not_raised_beyond_three() -> None:
    weak = employee(hasil_kerja=50, responsivitas=40, rating_perilaku=BELOW)
    assert list(training.suggestions(WEEK, pd.DataFrame([weak]), limit=1)["id_katalog"]) == ["coaching-atasan"]
    with pytest.raises(ValueError, match="1 sampai 3"):
        training.suggestions(WEEK, pd.DataFrame([weak]), limit=4)


# -- JP this year -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "done, so_far, missing",
    [
        ([], 0, 20),
        ([(date(2026, 2, 1), 8), (date(2026, 11, 27), 6), (date(2025, 12, 31), 10)], 14, 6),
        ([(date(2026, 3, 1), 24)], 24, 0),
        ([(date(2026, 12, 15), 30)], 0, 20),  # after the period: not counted yet
    ],
)
def test_jp_this_year_and_jp_still_missing_to_twenty(done: list[tuple[date, int]], so_far: int, missing: int) -> None:
    completed = pd.DataFrame(
        [{"id": f"p{n}", "nip": STAFF_A, "nama": "Pelatihan", "tanggal_selesai": day, "jp": jp}
         for n, (day, jp) in enumerate(done)] + [{"id": "x", "nip": STAFF_B, "nama": "Lain",
                                                  "tanggal_selesai": date(2026, 5, 1), "jp": 40}]
    )  # fmt: skip
    row = suggest(employee(hasil_kerja=50), completed=completed).to_dict("records")[0]
    assert (row["jp_tahun_ini"], row["jp_kurang"]) == (so_far, missing)


# -- the catalogue ------------------------------------------------------------------------------


def test_the_first_catalogue_row_carrying_a_tag_is_suggested_and_missing_tags_are_skipped() -> None:
    catalogue = [
        {"id": "mentor-senior", "nama": "Mentoring Senior", "jenis": "Non-klasikal", "bentuk": "mentoring",
         "kompetensi": "Mentoring, Coaching", "jp": 3},
        *training_catalogue.rows(),
    ]  # fmt: skip
    frame = suggest(employee(hasil_kerja=50), catalogue=catalogue)
    assert list(zip(frame["id_katalog"], frame["nama_pelatihan"], frame["jp"], strict=True)) == [
        ("mentor-senior", "Mentoring Senior", 3)
    ]
    without = [r for r in training_catalogue.rows() if "pengaduan" not in r["kompetensi"]]
    assert suggest(employee(responsivitas=10), catalogue=without).empty


def test_an_empty_catalogue_sheet_falls_back_to_the_seed() -> None:
    frame = suggest(employee(hasil_kerja=50), catalogue=pd.DataFrame(columns=schema.sheet("KatalogPelatihan").keys))
    assert list(frame["id_katalog"]) == ["coaching-atasan"]


def test_seed_catalogue_rows_are_valid_and_cover_every_tag_of_the_map() -> None:
    sheet = schema.sheet("KatalogPelatihan")
    rows = training_catalogue.rows()
    assert 15 <= len(rows) <= 25 and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        _clean, problems = sheet.validate(row)
        assert problems == {}, (row["id"], problems)
    tags = {t.strip() for r in rows for t in r["kompetensi"].split(",")}
    wanted = {tag for need in training.NEEDS.values() for tag in need if tag != training.SYSTEM}
    assert wanted | set(training.SYSTEMS) <= tags
    assert {r["jenis"] for r in rows} == {"Klasikal", "Non-klasikal"}


# -- sheets, determinism, scale ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kind, period_column",
    [("KatalogPelatihan", "master", None), ("Pelatihan", "master", None), ("SaranPelatihan", "derived", "periode")],
)
def test_training_sheets_load(name: str, kind: str, period_column: str | None) -> None:
    sheet = schema.load_all()[name]
    assert (sheet.kind, sheet.key, sheet.period_column) == (kind, "id", period_column)


def test_a_completed_training_row_validates() -> None:
    row = {"id": f"{STAFF_A}-2026-1", "nip": STAFF_A, "id_katalog": "literasi-digital", "nama": "Literasi Digital ASN",
           "tanggal_selesai": "2026-11-20", "jp": "8"}  # fmt: skip
    clean, problems = schema.sheet("Pelatihan").validate(row)
    assert problems == {} and clean["tanggal_selesai"] == date(2026, 11, 20) and clean["jp"] == 8


def test_suggestions_are_identical_when_run_again() -> None:
    rows = [employee(STAFF_A, hasil_kerja=40, rating_perilaku=BELOW), employee(STAFF_B, kepuasan=30)]
    unsur = pd.DataFrame([{"unit": UNIT, "unsur_key": "u3", "nrr": 2.0}])
    first = suggest(*rows, unsur=unsur)
    pd.testing.assert_frame_equal(first, suggest(*rows, unsur=unsur))
    assert first["id"].is_unique


def test_thresholds_come_from_konfigurasi_with_defaults() -> None:
    found = training.thresholds({"pelatihan_ambang_komponen": 50.0, "pelatihan_kendala_hari": "", "lain": 1})
    assert found["component_below"] == 50.0 and found["total_below"] == 70 and found["kendala_min_days"] == 2
    assert suggest(employee(hasil_kerja=55), **found).empty


def test_fifteen_thousand_employees_take_seconds() -> None:
    rows = [
        employee(
            f"19900101{n:010d}", hasil_kerja=30 + n % 70, kepuasan=40 + n % 60, rating_perilaku=[MEETS, BELOW][n % 2]
        )
        for n in range(15_000)
    ]
    started = time.perf_counter()
    frame = training.suggestions(WEEK, pd.DataFrame(rows))
    assert time.perf_counter() - started < 10
    assert frame.groupby("nip").size().max() <= 3 and len(frame) > 15_000


def test_for_week_uses_the_week_components_and_the_month_behaviour(store: SQLiteStore, city: dict[str, Any]) -> None:
    now = datetime(2026, 11, 30, 6, 0, tzinfo=WIB)
    data = read(store, WEEK.start, WEEK.end, now.date(), now)
    week = pd.DataFrame([employee(STAFF_A, hasil_kerja=50, rating_perilaku=None), employee(STAFF_B)])
    month = pd.DataFrame([{"nip": STAFF_A, "rating_perilaku": MEETS}, {"nip": STAFF_B, "rating_perilaku": BELOW}])
    frame = training.for_week(data, WEEK, week, month)
    assert_sheet_rows(frame)
    assert picked(frame) == [
        ("coaching-atasan", "Skor hasil kerja 50 di bawah 60."),
        ("konseling", "Rating perilaku kerja Di Bawah Ekspektasi."),
    ]


def test_empty_inputs_give_an_empty_frame_with_the_sheet_columns() -> None:
    frame = training.suggestions(
        WEEK,
        pd.DataFrame(columns=list(employee())),
        values=pd.DataFrame(columns=["nip", "nilai_key", "rating"]),
        unsur=pd.DataFrame(columns=["unit", "unsur_key", "nrr"]),
        kendala=pd.DataFrame(columns=["nip", "tanggal", "kendala"]),
        completed=pd.DataFrame(columns=schema.sheet("Pelatihan").keys),
    )
    assert frame.empty and list(frame.columns) == schema.sheet("SaranPelatihan").keys
