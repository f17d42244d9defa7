"""The transparency figures, checked against a small city computed by hand.

The city (quarter 2026-Q4, figures as of Friday 20 November 2026, 10:00 WIB; no holiday in October or November 2026):

Unit A (two services) and unit B (one service).
- A1: 10 respondents; each answers 3 to every unsur but 2 to u3 (Waktu Penyelesaian).
  NRR = 3 for eight unsur, 2 for u3. IKM = (8 x 3 + 2) / 9 = 26/9; konversi 26/9 x 25 = 72.22 -> C (Kurang Baik).
  Weakest: u3 with 2.00. Population 400 a year -> 100 a quarter -> Krejcie-Morgan 80: 10 < 80, not enough.
- A2: 9 respondents, all 4: fewer than 10, so no grade ("Baru 9 responden").
- A (19 respondents): NRR u3 = (10 x 2 + 9 x 4) / 19 = 56/19, the others (10 x 3 + 9 x 4) / 19 = 66/19.
  IKM = (8 x 66/19 + 56/19) / 9 = 584/171; konversi 85.38 -> B (Baik). Weakest u3 (56/19 = 2.95).
  Population 100 + 10 = 110 -> s = 3.841 x 110 x 0.25 / (0.0025 x 109 + 3.841 x 0.25) = 85.68 -> 86.
- B1 and B: 12 respondents, all 3, nobody answers u4 (Biaya/Tarif): no grade ("belum dijawab satu responden pun").
- City, 31 respondents: u4 = 66/19 (A only), u3 = (20 + 36 + 36) / 31 = 92/31, the other seven 102/31.
  IKM = (7 x 102/31 + 92/31 + 66/19) / 9; konversi 81.87 -> B. Weakest u3 (92/31 = 2.97).

Complaints (working days after the day of receipt up to the day of the first answer):
- c1 A Kependudukan: received Mon 5 Oct, dispatched 6 Oct, answered Thu 8 Oct (due 13 Oct): on time, 3 days;
  closed automatically 10 working days after the answer (22 Oct).
- c2 A Kependudukan: received Mon 12 Oct, answered Mon 26 Oct without a dispatch: the answer also verifies, the
  follow-up counts from it, so on time; 10 days; closed automatically on 9 Nov.
- c3 A Pelayanan: received 12 Oct, dispatched 13 Oct, answered 26 Oct (due 20 Oct): late; 10 days; closed.
- c4 B Pelayanan: received Wed 18 Nov, nothing yet: follow-up due 30 Nov, not decided; open.
- c5 unknown unit, Lainnya: received Thu 1 Oct, nothing: follow-up due 13 Oct, late; open; the city only.
City: 5 received, 3 closed, 4 decided, 2 on time (50%), median of 3, 10, 10 = 10.
A: 3 received, 3 closed, 3 decided, 2 on time (66.67%), median 10; A Kependudukan: median of 3 and 10 = 6.5.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from functions.citizens import complaints, transparency
from functions.citizens.ikm import KEYS
from functions.rules.workdays import Calendar
from functions.store.sqlite import SQLiteStore

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
Q = "2026-Q4"


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WIB)


def answers(value: int, **over: int | None) -> dict[str, Any]:
    return {k: over.get(k, value) for k in KEYS}


def seed(store: SQLiteStore) -> dict[str, str]:
    store.upsert_many(
        {
            "Unit": [
                {"kode": "A", "nama": "Dinas Alpha", "jenis": "Dinas", "induk": None, "nip_kepala": None},
                {"kode": "B", "nama": "Dinas Beta", "jenis": "Dinas", "induk": None, "nip_kepala": None},
            ],
            "Layanan": [
                {"id": "A1", "unit": "A", "nama": "Layanan Satu", "populasi": 400, "aktif": True},
                {"id": "A2", "unit": "A", "nama": "Layanan Dua", "populasi": 40, "aktif": True},
                {"id": "B1", "unit": "B", "nama": "Layanan Tiga", "aktif": True},
            ],
            "RencanaTindakLanjut": [
                {"id": "A-u3", "unit": "A", "layanan": None, "kuartal": Q, "unsur": "u3",
                 "rencana": "Loket tambahan pada jam sibuk.", "status": "Berjalan"},
                {"id": "A-u1", "unit": "A", "layanan": None, "kuartal": Q, "unsur": "u1",
                 "rencana": "Rencana untuk unsur yang bukan terlemah.", "status": "Direncanakan"},
            ],
        }
    )  # fmt: skip
    groups = [("A", "A1", 10, answers(3, u3=2)), ("A", "A2", 9, answers(4)), ("B", "B1", 12, answers(3, u4=None))]
    rows = []
    for unit, service, count, given in groups:
        for n in range(count):
            rows.append({"id": f"{service}-{n:02d}", "unit": unit, "id_layanan": service, "tanggal": at(10, 5).date(),
                         "diterima_pada": at(10, 5), **given})  # fmt: skip
    store.append("Survei", rows)
    calendar = Calendar()
    codes = {}
    for ident, unit, kategori, received in (
        ("c1", "A", "Kependudukan", at(10, 5)),
        ("c2", "A", "Kependudukan", at(10, 12)),
        ("c3", "A", "Pelayanan", at(10, 12)),
        ("c4", "B", "Pelayanan", at(11, 18)),
        ("c5", "", "Lainnya", at(10, 1)),
    ):
        form = {"id_kiriman": f"aduan-{ident}-0001", "kategori": kategori, "unit": unit, "privasi": "Biasa",
                "uraian": f"Uraian rahasia pengaduan {ident} tentang antrean."}  # fmt: skip
        row, _, _ = complaints.file(form, store, calendar, received)
        codes[ident] = row["id"]
    events = [
        ("c1", "Didisposisikan", at(10, 6), "A"),
        ("c1", "Ditindaklanjuti", at(10, 8), None),
        ("c2", "Ditindaklanjuti", at(10, 26), None),
        ("c3", "Didisposisikan", at(10, 13), "A"),
        ("c3", "Ditindaklanjuti", at(10, 26), None),
    ]
    store.append(
        "AduanPeristiwa",
        [{"id": f"{codes[c]}-{n}", "id_aduan": codes[c], "jenis": kind, "waktu": when, "unit_tujuan": unit,
          "catatan": "Jawaban unit." if kind == "Ditindaklanjuti" else None}
         for n, (c, kind, when, unit) in enumerate(events)],
    )  # fmt: skip
    return codes


@pytest.fixture
def published(store: SQLiteStore) -> transparency.Snapshot:
    seed(store)
    transparency.publish(store, Calendar(), NOW)
    return transparency.snapshot(store, NOW.date())


def ikm_row(snap: transparency.Snapshot, level: str, unit: str | None = None, service: str | None = None) -> Any:
    (row,) = [r for r in snap.ikm if (r["kuartal"], r["tingkat"], r["unit"], r["layanan"]) == (Q, level, unit, service)]
    return row


def test_ikm_of_each_level_matches_the_hand_computed_table(published: transparency.Snapshot) -> None:
    table = {
        ("Layanan", "A", "A1"): (10, 80, False, 26 / 9 * 25, "C", "Waktu Penyelesaian", 2.0),
        ("Unit", "A", None): (19, 86, False, 584 / 171 * 25, "B", "Waktu Penyelesaian", 56 / 19),
        ("Kota", None, None): (31, None, None, (7 * 102 / 31 + 92 / 31 + 66 / 19) / 9 * 25, "B", "Waktu Penyelesaian",
                               92 / 31),
    }  # fmt: skip
    for (level, unit, service), (resp, minimal, enough, konversi, mutu, weakest, nrr) in table.items():
        row = ikm_row(published, level, unit, service)
        assert (row["responden"], row["sampel_minimal"], row["sampel_cukup"]) == (resp, minimal, enough), level
        assert row["ikm_konversi"] == pytest.approx(konversi)
        assert (row["mutu"], row["unsur_terlemah"], row["alasan_tanpa_nilai"]) == (mutu, weakest, None)
        assert row["nrr_terlemah"] == pytest.approx(nrr)
    assert round(ikm_row(published, "Kota")["ikm_konversi"], 2) == 81.87


def test_city_sample_is_unknown_while_a_service_has_no_population(published: transparency.Snapshot) -> None:
    # B1 has no population: B's minimum and the city's are unknown (A's 110 alone would understate the city's).
    assert ikm_row(published, "Unit", "B")["sampel_minimal"] is None
    assert ikm_row(published, "Kota")["sampel_minimal"] is None
    assert ikm_row(published, "Layanan", "A", "A2")["sampel_minimal"] == 10  # 10 a quarter -> 9.77 -> 10


def test_a_service_with_nine_respondents_shows_why_instead_of_a_grade(published: transparency.Snapshot) -> None:
    row = ikm_row(published, "Layanan", "A", "A2")
    assert row["responden"] == 9
    assert (row["ikm_konversi"], row["mutu"], row["kinerja"], row["unsur_terlemah"]) == (None, None, None, None)
    assert row["alasan_tanpa_nilai"] == "Baru 9 responden; nilai ditampilkan mulai 10 responden."


@pytest.mark.parametrize(("level", "service"), [("Unit", None), ("Layanan", "B1")])
def test_an_unsur_nobody_answered_withholds_the_grade(
    published: transparency.Snapshot, level: str, service: str | None
) -> None:
    row = ikm_row(published, level, "B", service)
    assert row["responden"] == 12 and row["ikm_konversi"] is None and row["mutu"] is None
    assert row["alasan_tanpa_nilai"] == "Unsur Biaya/Tarif belum dijawab satu responden pun."


def test_the_plan_shown_is_the_one_for_the_weakest_unsur(published: transparency.Snapshot) -> None:
    for service in (None, "A1"):  # the service has no plan of its own: the unit's plan for the same unsur
        row = ikm_row(published, "Unit" if service is None else "Layanan", "A", service)
        assert (row["rencana_tindak_lanjut"], row["status_rencana"]) == ("Loket tambahan pada jam sibuk.", "Berjalan")
    assert ikm_row(published, "Kota")["rencana_tindak_lanjut"] is None


def complaint_row(snap: transparency.Snapshot, unit: str | None, kategori: str) -> tuple[Any, ...]:
    (row,) = [r for r in snap.complaints if (r["kuartal"], r["unit"], r["kategori"]) == (Q, unit, kategori)]
    keys = ("diterima", "selesai", "tenggat_lewat", "tepat_waktu", "persen_tepat_waktu", "median_hari_kerja")
    return tuple(row[k] for k in keys)


def test_complaints_match_the_hand_computed_table(published: transparency.Snapshot) -> None:
    table = {
        (None, "Semua"): (5, 3, 4, 2, 50.0, 10.0),
        (None, "Kependudukan"): (2, 2, 2, 2, 100.0, 6.5),
        (None, "Pelayanan"): (2, 1, 1, 0, 0.0, 10.0),
        (None, "Lainnya"): (1, 0, 1, 0, 0.0, None),
        ("A", "Semua"): (3, 3, 3, 2, pytest.approx(200 / 3), 10.0),
        ("A", "Kependudukan"): (2, 2, 2, 2, 100.0, 6.5),
        ("A", "Pelayanan"): (1, 1, 1, 0, 0.0, 10.0),
        ("B", "Semua"): (1, 0, 0, 0, None, None),
        ("B", "Pelayanan"): (1, 0, 0, 0, None, None),
    }
    for (unit, kategori), expected in table.items():
        assert complaint_row(published, unit, kategori) == expected, (unit, kategori)
    assert len([r for r in published.complaints if r["kuartal"] == Q]) == len(table)


def test_working_days_to_an_answer_skip_the_day_of_receipt_and_weekends() -> None:
    calendar = Calendar()
    assert transparency.working_days_to_answer(at(10, 5), at(10, 5, 15), calendar) == 0
    assert transparency.working_days_to_answer(at(10, 9), at(10, 12), calendar) == 1  # Friday to Monday


def test_the_four_quarters_and_their_names() -> None:
    assert [q.label for q in transparency.quarters(NOW.date())] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert transparency.quarters(datetime(2027, 2, 1).date())[0].label == "2026-Q2"
    assert transparency.quarter_name("2026-Q4") == "Triwulan IV 2026"


def test_publishing_again_gives_the_same_rows(store: SQLiteStore) -> None:
    seed(store)
    transparency.publish(store, Calendar(), NOW)
    first = store.records("TransparansiIKM"), store.records("TransparansiAduan")
    transparency.publish(store, Calendar(), NOW)
    assert (store.records("TransparansiIKM"), store.records("TransparansiAduan")) == first


def test_the_snapshot_is_what_was_published_not_the_raw_rows(store: SQLiteStore) -> None:
    seed(store)
    transparency.publish(store, Calendar(), NOW)
    store.append("Survei", [{"id": "baru-0001", "unit": "A", "id_layanan": "A2", "tanggal": NOW.date(),
                             "diterima_pada": NOW, **answers(1)}])  # fmt: skip
    transparency.forget(store)
    assert ikm_row(transparency.snapshot(store, NOW.date()), "Layanan", "A", "A2")["responden"] == 9
    transparency.publish(store, Calendar(), NOW)  # the weekly run
    assert ikm_row(transparency.snapshot(store, NOW.date()), "Layanan", "A", "A2")["responden"] == 10
