"""IKM per period from the store: period parsing, weights from Konfigurasi, population per period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from functions.citizens import ikm_report
from functions.errors import ValidationError
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app


@pytest.mark.parametrize(
    "text, label, start, end, share",
    [
        ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31), 1.0),
        ("2026-q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31), 0.25),
        ("2026-Q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31), 0.25),
        ("2026-02", "2026-02", date(2026, 2, 1), date(2026, 2, 28), 1 / 12),
        ("", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31), 0.25),
    ],
)
def test_periods(text: str, label: str, start: date, end: date, share: float) -> None:
    p = ikm_report.period(text, today=date(2026, 11, 30))
    assert (p.label, p.start, p.end, p.share_of_year) == (label, start, end, share)


@pytest.mark.parametrize("text", ["26", "2026-Q5", "2026-13", "2026-W54", "kemarin"])
def test_bad_periods_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        ikm_report.period(text, today=date(2026, 11, 30))
    assert "periode" in err.value.fields


def seed(store: SQLiteStore, answers: list[dict[str, Any]], day: date = date(2026, 11, 2)) -> None:
    store.upsert_many(
        {
            "Unit": [{"kode": "DUK", "nama": "Disdukcapil", "jenis": "Dinas"}],
            "Layanan": [
                {"id": "DUK-KTP", "unit": "DUK", "nama": "KTP-el", "populasi": 400},
                {"id": "DUK-KK", "unit": "DUK", "nama": "Kartu Keluarga", "populasi": 40},
            ],
        }
    )
    at = datetime(day.year, day.month, day.day, 10, 0)
    store.append(
        "Survei",
        [
            {"id": f"survei{i:04d}", "unit": "DUK", "tanggal": day, "diterima_pada": at, **a}
            for i, a in enumerate(answers)
        ],
    )


def test_report_per_unit_and_service_with_population_of_the_quarter(store: SQLiteStore) -> None:
    # KTP-el: two respondents answer every unsur 4 and 2 -> NRR 3 each -> IKM 3.00 -> 75.00 -> C.
    # KK: one respondent answers every unsur 4 -> IKM 4.00 -> 100.00 -> A.
    # Unit: NRR per unsur (4+2+4)/3 = 3.333... -> IKM 3.333... -> 83.33 -> B.
    full = lambda v: {f"u{i}": v for i in range(1, 10)}  # noqa: E731
    seed(
        store,
        [
            {"id_layanan": "DUK-KTP", **full(4)},
            {"id_layanan": "DUK-KTP", **full(2)},
            {"id_layanan": "DUK-KK", **full(4)},
        ],
    )
    units, services = ikm_report.report(store, ikm_report.period("2026-Q4", date(2026, 11, 30)))
    unit = units.iloc[0]
    assert unit["responden"] == 3 and round(unit["ikm_konversi"], 2) == 83.33 and unit["mutu"] == "B"
    # Population for a quarter: KTP-el 400/4 = 100 -> sample 80; KK 40/4 = 10 -> 10; unit 110 -> 86.
    assert unit["sampel_minimal"] == 86 and unit["sampel_cukup"] is False
    rows = {r["id_layanan"]: r for r in services.to_dict("records")}
    assert (round(rows["DUK-KTP"]["ikm_konversi"], 9), rows["DUK-KTP"]["mutu"], rows["DUK-KTP"]["sampel_minimal"]) == (
        75.0,
        "C",
        80,
    )
    assert (round(rows["DUK-KK"]["ikm_konversi"], 9), rows["DUK-KK"]["mutu"], rows["DUK-KK"]["sampel_minimal"]) == (
        100.0,
        "A",
        10,
    )


def test_weights_come_from_konfigurasi(store: SQLiteStore) -> None:
    # All weight on u1 (answered 4) -> IKM 4 -> 100, although u2..u9 are answered 1.
    seed(store, [{"id_layanan": "DUK-KTP", "u1": 4, **{f"u{i}": 1 for i in range(2, 10)}}])
    store.upsert("Konfigurasi", [{"kunci": "ikm_bobot", "nilai": "1; 0; 0; 0; 0; 0; 0; 0; 0"}])
    units, _ = ikm_report.report(store, ikm_report.period("2026-11", date(2026, 11, 30)))
    assert units.iloc[0]["ikm_konversi"] == 100.0
    store.upsert("Konfigurasi", [{"kunci": "ikm_bobot", "nilai": "0,5; 0,5"}])
    with pytest.raises(ValidationError, match="ikm_bobot"):
        ikm_report.report(store, ikm_report.period("2026-11", date(2026, 11, 30)))
    store.upsert("Konfigurasi", [{"kunci": "ikm_bobot", "nilai": "1_0; 0; 0; 0; 0; 0; 0; 0; 0"}])  # float() takes it
    with pytest.raises(ValidationError, match="ikm_bobot: harus berupa angka"):
        ikm_report.report(store, ikm_report.period("2026-11", date(2026, 11, 30)))


def test_ikm_page_shows_grades_and_refuses_a_bad_period(runtime: Runtime) -> None:
    seed(runtime.store, [{"id_layanan": "DUK-KTP", "u1": 3, "u2": 4, "u3": 2}], day=runtime.today())
    client = create_app(runtime).test_client()
    page = client.get("/ikm")
    assert page.status_code == 200 and "KTP-el" in page.text and "75.00" in page.text
    bad = client.get("/ikm?periode=triwulan")
    assert bad.status_code == 400 and "Periode" in bad.text


def test_an_empty_ikm_bobot_cell_of_a_fresh_store_means_one_ninth_each(store: SQLiteStore) -> None:
    # A freshly seeded store holds the key with an empty value (None in the store): /ikm answered 400 with
    # "could not convert string to float: 'None'".
    store.upsert("Konfigurasi", [{"kunci": "ikm_bobot", "nilai": None}])
    assert ikm_report.weights(store) == ikm_report.ikm.DEFAULT_WEIGHTS
