"""The operator command ``init`` against the Sheets API test server: what it creates, formats and shares."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from functions import schema
from functions.errors import ConfigurationError
from functions.store.gsheets import GSheetsStore
from functions.store.layout import CONTACT, DERIVED, INTAKE, VIEW, Place
from functions.store.sheet_format import TAG, WIDTHS
from functions.store.sqlite import SQLiteStore
from functions.tools.sheets_init import init, run
from tests.sheets_server import render
from tests.sheets_server.model import Sheet as ServerSheet
from tests.sheets_server.model import Spreadsheet
from tests.support.sheets_client import ServedStore, served_store

MONTH = "2026-11"
HEAD, SUPERVISOR, STAFF, OTHER = "197001011995031001", "198002022005012002", "199003032015031003", "199205052017011005"


@pytest.fixture
def store() -> Iterator[ServedStore]:
    s = served_store()
    s.upsert_many(
        {
            "Unit": [
                {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "Dinas", "nip_kepala": HEAD},
                {"kode": "PKM-A", "nama": "Puskesmas A", "jenis": "Puskesmas", "induk": "DINKES"},
                {"kode": "DISDIK", "nama": "Dinas Pendidikan", "jenis": "Dinas"},
            ],
            "Pegawai": [
                person(HEAD, "DINKES", None),
                person(SUPERVISOR, "PKM-A", HEAD),
                person(STAFF, "PKM-A", SUPERVISOR),
                person(OTHER, "DISDIK", None),
            ],
        }
    )
    yield s
    s.close()


def person(nip: str, unit: str, atasan: str | None) -> dict[str, Any]:
    return {"nip": nip, "nama": nip[-3:], "jabatan": "Staf", "unit": unit, "nip_atasan": atasan, "email": f"{nip}@x.id"}


def spreadsheet(store: ServedStore, place: Place) -> Spreadsheet:
    found = [s for s in store.server.control.store.spreadsheets.values() if s.properties["title"] == place.title]
    assert len(found) == 1, place.title
    return found[0]


def worksheet(store: ServedStore, place: Place, name: str) -> ServerSheet:
    sheet = spreadsheet(store, place).by_title(name)
    assert sheet is not None, name
    return sheet


def readers(store: ServedStore, place: Place) -> list[str]:
    file = store.server.control.store.files[spreadsheet(store, place).id]
    return sorted(p["emailAddress"] for p in file.permissions if p["role"] == "reader")


def test_init_creates_the_spreadsheets_of_the_layout(store: ServedStore) -> None:
    report = init(store, MONTH)
    titles = [title for title, _id in report.spreadsheets]
    assert titles == [
        "Pantau Kinerja — Admin",
        "Pantau Kinerja — Masukan",
        "Pantau Kinerja — Kontak Pelapor",
        "Pantau Kinerja — Turunan 2026-11",
        "Pantau Kinerja — Masukan 2026-11",
        *[f"Pantau Kinerja — Masukan 2026-11 bagian {n}" for n in range(1, 5)],
        "Pantau Kinerja — Tampilan DINKES",
        "Pantau Kinerja — Tampilan DISDIK",
    ]
    names = lambda place: [s.title for s in spreadsheet(store, place).sheets]  # noqa: E731
    assert names(Place(INTAKE, "2026-11.1")) == ["LaporanHarian"]
    assert names(Place(INTAKE, MONTH)) == ["PenilaianPerilaku", "Survei"]
    assert names(Place(CONTACT)) == [
        "AduanKontak",
        "AduanPin",
        "SuaraWarga",
        "SuaraWargaPeristiwa",
    ]  # the private sheets
    assert names(Place(VIEW, "DINKES")) == ["Peringatan", "SaranPelatihan", "Skor", "SkorUnit"]
    assert set(names(Place("admin"))) >= {s.name for s in schema.load_all().values() if s.kind == "master"}


def test_every_worksheet_gets_a_frozen_bold_header_and_widths(store: ServedStore) -> None:
    init(store, MONTH)
    sheet = worksheet(store, Place(INTAKE, "2026-11.1"), "LaporanHarian")
    spec = schema.sheet("LaporanHarian")
    assert sheet.properties["gridProperties"]["frozenRowCount"] == 1
    header = [render.cell_data(sheet, 0, c) for c in range(len(spec.columns))]
    assert [h["userEnteredValue"]["stringValue"] for h in header] == spec.headers
    assert all(h["userEnteredFormat"]["textFormat"]["bold"] for h in header)
    widths = [render.dimension(sheet, "COLUMNS", c)["pixelSize"] for c in range(len(spec.columns))]
    assert widths == [WIDTHS[c.type] for c in spec.columns]


def test_enum_and_boolean_columns_get_dropdowns(store: ServedStore) -> None:
    init(store, MONTH)
    sheet = worksheet(store, Place(INTAKE, "2026-11.1"), "LaporanHarian")
    column = schema.sheet("LaporanHarian").keys.index("verifikasi")
    rule = render.cell_data(sheet, 5, column)["dataValidation"]
    assert rule["condition"]["type"] == "ONE_OF_LIST" and rule["strict"]
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == list(
        schema.sheet("LaporanHarian").column("verifikasi").allowed
    )
    assert "dataValidation" not in render.cell_data(sheet, 0, column)  # not on the header
    people = worksheet(store, Place("admin"), "Pegawai")
    aktif = schema.sheet("Pegawai").keys.index("aktif")
    values = render.cell_data(people, 1, aktif)["dataValidation"]["condition"]["values"]
    assert [v["userEnteredValue"] for v in values] == ["Ya", "Tidak"]
    skor = worksheet(store, Place(DERIVED, MONTH), "Skor")
    assert "dataValidation" not in render.cell_data(skor, 1, schema.sheet("Skor").keys.index("predikat"))


def test_derived_sheets_are_protected_and_intake_keeps_editable_columns_open(store: ServedStore) -> None:
    init(store, MONTH)
    (skor,) = worksheet(store, Place(DERIVED, MONTH), "Skor").protected_ranges
    assert skor["description"].startswith(TAG) and not skor.get("warningOnly")
    assert set(skor["range"]) == {"sheetId"} and "unprotectedRanges" not in skor
    (reports,) = worksheet(store, Place(INTAKE, "2026-11.1"), "LaporanHarian").protected_ranges
    spec = schema.sheet("LaporanHarian")
    open_columns = [r["startColumnIndex"] for r in reports["unprotectedRanges"]]
    assert [spec.columns[c].key for c in open_columns] == [c.key for c in spec.columns if c.editable]
    (config,) = worksheet(store, Place("admin"), "Konfigurasi").protected_ranges
    assert config["warningOnly"]
    (view,) = worksheet(store, Place(VIEW, "DINKES"), "Skor").protected_ranges
    assert not view.get("warningOnly")


def test_predikat_columns_are_coloured_best_green_worst_red(store: ServedStore) -> None:
    init(store, MONTH)
    rules = worksheet(store, Place(DERIVED, MONTH), "Skor").conditional_formats
    column = schema.sheet("Skor").keys.index("predikat")
    by_value = {
        r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]: r["booleanRule"]["format"]["backgroundColor"]
        for r in rules
    }
    assert all(r["ranges"][0]["startColumnIndex"] == column for r in rules)
    assert list(by_value) == list(schema.sheet("Skor").column("predikat").allowed)
    best, worst = by_value["Sangat Baik"], by_value["Sangat Kurang"]
    assert best["green"] > best["red"] and worst["red"] > worst["green"]
    assert worksheet(store, Place(VIEW, "DINKES"), "SkorUnit").conditional_formats  # predikat_organisasi


def test_init_twice_changes_nothing(store: ServedStore) -> None:
    init(store, MONTH)
    before = {i: render.spreadsheet_resource(s) for i, s in store.server.control.store.spreadsheets.items()}
    files = {i: list(f.permissions) for i, f in store.server.control.store.files.items()}
    store.server.control.reset(data=False)
    again = GSheetsStore(store.admin_id, api_url=store.server.url)  # a fresh process: nothing cached
    try:
        report = init(again, MONTH)
    finally:
        again.close()
    stats = store.server.control.stats()
    assert stats["requests"]["write"] == 0
    assert [e for e in store.server.control.log if e["kind"] == "drive" and e["method"] != "GET"] == []
    assert report.changes == [] and report.shared == [] and report.unshared == []
    after = {i: render.spreadsheet_resource(s) for i, s in store.server.control.store.spreadsheets.items()}
    assert after == before
    assert {i: list(f.permissions) for i, f in store.server.control.store.files.items()} == files


def test_views_are_shared_read_only_with_the_opds_supervisors(store: ServedStore) -> None:
    report = init(store, MONTH)
    assert readers(store, Place(VIEW, "DINKES")) == [f"{HEAD}@x.id", f"{SUPERVISOR}@x.id"]
    assert readers(store, Place(VIEW, "DISDIK")) == []
    assert len(report.shared) == 2
    # The supervisor moves to another OPD: her access to the old view is taken back.
    store.upsert("Pegawai", [person(STAFF, "PKM-A", HEAD), person(SUPERVISOR, "DISDIK", None)])
    store.upsert("Pegawai", [person(OTHER, "DISDIK", SUPERVISOR)])
    store.begin_job()
    report = init(store, MONTH)
    assert readers(store, Place(VIEW, "DINKES")) == [f"{HEAD}@x.id"]
    assert readers(store, Place(VIEW, "DISDIK")) == [f"{SUPERVISOR}@x.id"]
    assert report.unshared == [f"{Place(VIEW, 'DINKES').title}: {SUPERVISOR}@x.id"]


def test_the_contact_spreadsheet_is_never_shared(store: ServedStore) -> None:
    init(store, MONTH)
    contact = spreadsheet(store, Place(CONTACT))
    store.api.share(contact.id, "penasaran@x.id", "writer")
    report = init(store, MONTH)
    roles = [p["role"] for p in store.server.control.store.files[contact.id].permissions]
    assert roles == ["owner"]
    assert report.unshared == [f"{Place(CONTACT).title}: penasaran@x.id"]


def test_init_without_an_admin_id_makes_one_and_says_which(store: ServedStore) -> None:
    fresh = GSheetsStore("", api_url=store.server.url)
    store.server.control.store.delete(store.admin_id)  # start from nothing at all
    printed: list[str] = []
    try:
        assert run(fresh, MONTH, out=printed.append) == 0
        made = fresh.admin_id
        assert printed[-1] == f"Spreadsheet admin baru dibuat. Setel KINERJA_SHEETS_ADMIN_ID={made}"
        again = GSheetsStore("", api_url=store.server.url)
        init(again, MONTH)
        assert again.admin_id == made  # found by its title, not made twice
        again.close()
    finally:
        fresh.close()


def test_init_adds_a_column_the_schema_gained_and_refuses_a_foreign_header(store: ServedStore) -> None:
    init(store, MONTH)
    sheets = dict(schema.load_all())
    unit = sheets["Unit"]
    extra = schema.Column("telepon", "Telepon Unit", "string", "Nomor telepon unit.")
    sheets["Unit"] = replace(unit, columns=(*unit.columns, extra))
    grown = GSheetsStore(store.admin_id, api_url=store.server.url, sheets=sheets)
    store.server.control.advance_clock(60)  # a fresh quota minute for the second init
    try:
        init(grown, MONTH, share=False)
        sheet = worksheet(store, Place("admin"), "Unit")
        assert render.cell_data(sheet, 0, len(unit.columns))["userEnteredValue"]["stringValue"] == "Telepon Unit"
        assert len(grown.records("Unit")) == 3
        sheet.grid.write_row(0, 0, ["Kode"], skip=object())
        grown.begin_job()
        with pytest.raises(ConfigurationError, match="Unit"):
            init(grown, MONTH, share=False)
    finally:
        grown.close()


def test_init_is_only_for_the_google_store(tmp_path: Any) -> None:
    with pytest.raises(ConfigurationError, match="KINERJA_STORE=gsheets"):
        init(SQLiteStore(tmp_path / "s.sqlite3"), MONTH)


@pytest.mark.parametrize("month", ["2026-13", "November", "2026-1"])
def test_init_refuses_a_malformed_month(store: ServedStore, month: str) -> None:
    with pytest.raises(ConfigurationError, match="TTTT-BB"):
        init(store, month)
