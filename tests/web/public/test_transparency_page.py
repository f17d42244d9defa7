"""The public transparency page and its CSV: the demo's figures, a unit with 9 respondents, and nothing personal."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest
from flask.testing import FlaskClient

from functions import periods
from functions.citizens import transparency
from functions.citizens.ikm import KEYS, UNSUR, grade
from functions.demo.seed import seed_demo
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from functions.web.public.transparency_page import change
from tests.support.towns import SERVICE, UNIT


@pytest.fixture
def demo(runtime: Runtime) -> SQLiteStore:
    """The demo city seeded today (it publishes its figures, as the weekly run would)."""
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    seed_demo(store, runtime.today())
    return store


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime).test_client()


def by_hand(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """IKM of a group the long way (PermenPANRB 14/2017, weights 1/9): NRR = sum / answered, IKM = mean NRR x 25."""
    nrr = {}
    for key in KEYS:
        given = [r[key] for r in rows if r[key] is not None]
        nrr[key] = Fraction(sum(given), len(given)) if given else None
    if len(rows) < 10 or None in nrr.values():
        return {"responden": len(rows), "ikm_konversi": None, "unsur_terlemah": None}
    konversi = sum(v for v in nrr.values() if v is not None) / 9 * 25
    low = min(KEYS, key=lambda k: (nrr[k], KEYS.index(k)))
    names = {u.key: u.name for u in UNSUR}
    return {"responden": len(rows), "ikm_konversi": float(konversi), "unsur_terlemah": names[low]}


def test_the_demo_figures_equal_a_computation_from_the_raw_rows(demo: SQLiteStore, runtime: Runtime) -> None:
    quarter = periods.quarter(runtime.today())
    surveys = demo.records("Survei", start=quarter.start, end=quarter.end)
    groups: dict[tuple[str, str | None, str | None], list[dict[str, Any]]] = {("Kota", None, None): surveys}
    for row in surveys:
        groups.setdefault(("Unit", row["unit"], None), []).append(row)
        groups.setdefault(("Layanan", row["unit"], row["id_layanan"]), []).append(row)
    published = {
        (r["tingkat"], r["unit"], r["layanan"]): r
        for r in transparency.snapshot(demo, runtime.today()).ikm
        if r["kuartal"] == quarter.label and r["responden"]
    }
    assert set(published) == set(groups)
    for key, rows in groups.items():
        expected, got = by_hand(rows), published[key]
        assert got["responden"] == expected["responden"], key
        assert got["unsur_terlemah"] == expected["unsur_terlemah"], key
        if expected["ikm_konversi"] is None:
            assert got["ikm_konversi"] is None and got["mutu"] is None and got["alasan_tanpa_nilai"], key
        else:
            assert got["ikm_konversi"] == pytest.approx(expected["ikm_konversi"]), key
            assert got["mutu"] == grade(expected["ikm_konversi"]).mutu, key
    # Complaints received this quarter, per handling unit and category, counted from Aduan and its dispatches.
    dispatched: dict[str, str] = {}
    for event in sorted(demo.records("AduanPeristiwa"), key=lambda e: e["waktu"]):
        if event["jenis"] == "Didisposisikan" and event.get("unit_tujuan"):
            dispatched[event["id_aduan"]] = event["unit_tujuan"]
    received: Counter[tuple[str | None, str]] = Counter()
    for c in demo.records("Aduan", start=quarter.start, end=quarter.end):
        unit = dispatched.get(c["id"], c["unit"])
        for where in {None, unit}:
            received[(where, "Semua")] += 1
            received[(where, c["kategori"])] += 1
    counted = {
        (r["unit"], r["kategori"]): r["diterima"]
        for r in transparency.snapshot(demo, runtime.today()).complaints
        if r["kuartal"] == quarter.label and r["diterima"]
    }
    assert counted == dict(received) and received[(None, "Semua")] > 0


def test_a_unit_with_nine_respondents_shows_why_and_no_grade(
    client: FlaskClient, runtime: Runtime, services: dict[str, Any]
) -> None:
    now = runtime.now()
    rows = [{"id": f"sembilan-{n:04d}", "unit": UNIT, "id_layanan": SERVICE, "tanggal": now.date(),
             "diterima_pada": now, **dict.fromkeys(KEYS, 4)} for n in range(9)]  # fmt: skip
    runtime.store.append("Survei", rows)
    transparency.publish(runtime.store, Calendar(), now)
    page = client.get(f"/transparansi?unit={UNIT}")
    assert page.status_code == 200
    text = page.text
    assert text.count("Baru 9 responden; nilai ditampilkan mulai 10 responden.") == 2  # the unit and its service
    assert 'class="mutu mutu-A"' not in text and "IKM <strong>" not in text
    table = list(csv.DictReader(io.StringIO(client.get("/transparansi?unduh=ikm").text.lstrip("\ufeff"))))
    (row,) = [r for r in table if r["Kode Layanan"] == SERVICE and r["Triwulan"] == periods.quarter(now.date()).label]
    assert (row["Jumlah Responden"], row["IKM"], row["Mutu"]) == ("9", "", "")
    assert row["Alasan Tanpa Nilai"] == "Baru 9 responden; nilai ditampilkan mulai 10 responden."


def personal_texts(store: SQLiteStore) -> set[str]:
    """Every name, NIP, contact and citizen text of the store: none may reach the public page or its CSV."""
    texts = set()
    for p in store.records("Pegawai"):
        texts |= {p["nama"], p["nip"], p.get("email") or ""}
    for c in store.records("AduanKontak"):
        texts |= {c.get("telepon") or "", c.get("email") or ""}
    texts |= {a["uraian"] for a in store.records("Aduan")}
    texts |= {e.get("catatan") or "" for e in store.records("AduanPeristiwa")}
    texts |= {s.get("saran") or "" for s in store.records("Survei")}
    return {t for t in texts if len(t) >= 8}


def test_the_page_and_its_csv_hold_no_personal_data(client: FlaskClient, demo: SQLiteStore, runtime: Runtime) -> None:
    secrets = personal_texts(demo)
    assert len(secrets) > 100 and demo.count("AduanKontak") > 0  # the demo has names, contacts and complaint texts
    units = [r["unit"] for r in transparency.snapshot(demo, runtime.today()).ikm if r["tingkat"] == "Unit"]
    addresses = ["/transparansi", "/transparansi?unduh=ikm", "/transparansi?unduh=pengaduan"]
    addresses += [f"/transparansi?unit={u}" for u in sorted(set(units))]
    addresses += [f"/transparansi?kuartal={q.label}" for q in transparency.quarters(runtime.today())]
    for address in addresses:
        answer = client.get(address)
        assert answer.status_code == 200, address
        body = answer.get_data(as_text=True)
        leaked = [t for t in secrets if t in body]
        assert not leaked, (address, leaked[:3])
        assert not re.search(r"(?<![0-9])[0-9]{18}(?![0-9])", body), address  # no NIP-like number
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body), address  # no email address
        assert not re.search(r"(?:\+62|\b08)[0-9 -]{8,}", body), address  # no phone number


def test_the_csv_has_indonesian_headers_and_the_figures_of_the_page(client: FlaskClient, demo: SQLiteStore) -> None:
    answer = client.get("/transparansi?unduh=pengaduan")
    assert answer.mimetype == "text/csv" and "attachment" in answer.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert {"Triwulan", "Kategori", "Diterima", "Selesai", "Dijawab Tepat Waktu"} <= set(table[0])
    city = next(r for r in reversed(table) if r["Tingkat"] == "Kota" and r["Kategori"] == "Semua")
    assert f"Pengaduan: {city['Diterima']} diterima, {city['Selesai']} selesai" in client.get("/transparansi").text


def test_an_empty_store_says_the_figures_are_not_published_yet(client: FlaskClient) -> None:
    page = client.get("/transparansi")
    assert page.status_code == 200 and 'id="belum-terbit"' in page.text


@pytest.mark.parametrize(
    ("address", "status", "fragment"),
    [
        ("/transparansi?kuartal=2019-Q1", 400, "Triwulan (isian kuartal) tidak tersedia"),
        ("/transparansi?kuartal=2026-W48", 400, "Triwulan (isian kuartal) tidak tersedia"),
        ("/transparansi?unduh=semua", 400, "Unduhan (isian unduh) tidak dikenal"),
        ("/transparansi?unit=TIDAK-ADA", 404, "Unit tidak ditemukan"),
        ("/transparansi?unit=%FF", 400, "Unit: berisi karakter yang tidak dapat dibaca"),
    ],
)
def test_bad_parameters_are_answered_in_indonesian(
    client: FlaskClient, demo: SQLiteStore, address: str, status: int, fragment: str
) -> None:
    answer = client.get(address)
    assert answer.status_code == status and fragment in answer.text


def test_only_get_is_answered(client: FlaskClient) -> None:
    answer = client.post("/transparansi")
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, HEAD"


def test_the_trend_says_the_change_of_ikm_in_words() -> None:
    assert (change(None, 80.0), change(80.0, None), change(80.0, 81.256)) == ("awal", "tanpa nilai", "naik 1,26")
    assert (change(81.0, 79.5), change(81.001, 80.999)) == ("turun 1,50", "tetap")


def test_the_trend_lists_four_quarters_with_a_meter_each(
    client: FlaskClient, demo: SQLiteStore, runtime: Runtime
) -> None:
    page = client.get("/transparansi").text
    names = [transparency.quarter_name(q.label) for q in transparency.quarters(runtime.today())]
    assert all(f'<th scope="row">{name}</th>' in page for name in names)
    assert page.count("<meter ") >= 1 and 'aria-label="IKM seluruh kota' in page


def test_the_demo_forum_counts_on_the_city_row(demo: SQLiteStore, runtime: Runtime, client: FlaskClient) -> None:
    # The demo's Suara Warga (functions/demo/forum.py): four posts published, of which three answered and two of those
    # followed up; one waits for the operator and one was declined, neither counted. Summed over the page's quarters,
    # since the demo's posts of the last weeks may straddle a quarter's start.
    counts = [
        transparency.suara_warga_counts(demo, q).get(("", None), (0, 0, 0))
        for q in transparency.quarters(runtime.today())
    ]
    assert tuple(sum(c[i] for c in counts) for i in range(3)) == (4, 3, 2)
    shown = counts[-1]  # oldest first: the page opens on this quarter
    page = client.get("/transparansi").get_data(as_text=True)
    line = f"Suara Warga: {shown[0]} saran dan pertanyaan diterima, {shown[1]} dijawab, {shown[2]} ditindaklanjuti."
    assert (line in page) == (shown[0] > 0)
