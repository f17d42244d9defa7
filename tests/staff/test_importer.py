"""The master-data import: CSV and XLSX files, row-by-row errors, all or nothing, idempotent, and its preview."""

from __future__ import annotations

import copy
import csv
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from functions import schema
from functions.errors import BadRequest
from functions.staff.importer import Change, apply, import_files, import_master, preview, preview_upload, read_tables
from functions.store import UpsertResult
from functions.store.sqlite import SQLiteStore

KEPALA = "197001012000011001"
STAF = "198502022010012002"
STAF2 = "199003032015032003"
STRANGER = "196001011990011001"  # in no file and not in the store

UNITS = [
    {"kode": "SETDA", "nama": "Sekretariat Daerah", "jenis": "Sekretariat", "induk": "", "nip_kepala": ""},
    {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "Dinas", "induk": "SETDA", "nip_kepala": KEPALA},
]
PEGAWAI = [
    {"nip": KEPALA, "nama": "dr. Sri Lestari, M.Kes.", "jabatan": "Kepala Dinas", "unit": "DINKES",
     "nip_atasan": "", "email": "sri@example.go.id", "aktif": "Ya", "versi_tautan": "1"},
    {"nip": STAF, "nama": "Budi Santoso, S.Kom.", "jabatan": "Pranata Komputer", "unit": "DINKES",
     "nip_atasan": KEPALA, "email": "budi@example.go.id", "aktif": "Ya", "versi_tautan": "1"},
    {"nip": STAF2, "nama": "Ani Wijaya", "jabatan": "Analis Kesehatan", "unit": "DINKES",
     "nip_atasan": KEPALA, "email": "", "aktif": "Ya", "versi_tautan": "1"},
]  # fmt: skip
TARGETS = [
    {"id": f"{STAF}-2026-1", "nip": STAF, "tahun": "2026", "jenis": "Utama", "rencana_hasil_kerja": "Layanan TI",
     "indikator": "Aplikasi yang dipelihara", "target": "12", "satuan": "aplikasi", "bobot": "60"},
    {"id": f"{STAF}-2026-2", "nip": STAF, "tahun": "2026", "jenis": "Tambahan", "rencana_hasil_kerja": "Data",
     "indikator": "Laporan data kesehatan", "target": "4", "satuan": "laporan", "bobot": "40"},
]  # fmt: skip
MASTER = {"Unit": UNITS, "Pegawai": PEGAWAI, "Target": TARGETS}


@pytest.fixture
def store(tmp_path: Path):
    """A fresh SQLite store in the test's own folder."""
    s = SQLiteStore(tmp_path / "k.sqlite3")
    yield s
    s.close()


def write_csv(path: Path, rows: list[dict[str, Any]], *, headers: str = "header", delimiter: str = ",",
              encoding: str = "utf-8", sheet: str | None = None) -> Path:  # fmt: skip
    """Write rows as a CSV file, titled by the schema's Indonesian headers or by column keys."""
    spec = schema.sheet(sheet or path.stem.capitalize())
    keys = list(dict.fromkeys(k for row in rows for k in row))
    titles = [spec.column(k).header if headers == "header" and k in spec.keys else k for k in keys]
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(titles)
        writer.writerows([[row.get(k, "") for k in keys] for row in rows])
    return path


def write_master(folder: Path, master: dict[str, list[dict[str, Any]]] = MASTER, **options: Any) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [write_csv(folder / f"{name.lower()}.csv", rows, **options) for name, rows in master.items()]


def write_xlsx(path: Path, master: dict[str, list[dict[str, Any]]], extra_sheet: bool = True) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in master.items():
        sheet = book.create_sheet(name.upper())  # worksheet titles match case-insensitively
        keys = list(rows[0])
        sheet.append([schema.sheet(name).column(k).header for k in keys])
        for row in rows:
            sheet.append([row[k] for k in keys])
    if extra_sheet:
        book.create_sheet("Petunjuk").append(["Lembar ini berisi catatan dan tidak diimpor."])
    book.save(path)
    return path


def rewrite_xlsx(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes inside the worksheets of an XLSX file (to write a cell as another tool would)."""
    with zipfile.ZipFile(path) as src:
        parts = {info: src.read(info) for info in src.infolist()}
    assert any(old in data for data in parts.values())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts.items():
            dst.writestr(info, data.replace(old, new) if info.filename.startswith("xl/worksheets/") else data)


def snapshot(store: SQLiteStore) -> dict[str, list[dict[str, Any]]]:
    return {name: store.records(name) for name in ("Unit", "Pegawai", "Target")}


def counts(store: SQLiteStore) -> dict[str, int]:
    return {name: store.count(name) for name in ("Unit", "Pegawai", "Target")}


def with_change(sheet: str, index: int | None, changes: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The master data with one row changed, or (index None) a copy of the sheet's second row appended."""
    master = copy.deepcopy(MASTER)
    rows = master[sheet]
    if index is None:
        rows.append({**rows[1], **changes})
    else:
        rows[index].update(changes)
    return master


def test_import_of_csv_files_with_indonesian_headers_inserts_every_row(store, tmp_path):
    report = import_files(store, write_master(tmp_path / "in"))

    assert report.ok, report.summary()
    assert report.results == {
        "Unit": UpsertResult(2, 0, 0),
        "Pegawai": UpsertResult(3, 0, 0),
        "Target": UpsertResult(2, 0, 0),
    }
    assert report.summary() == "Unit: 2 baru, 0 diubah, 0 tetap\nPegawai: 3 baru, 0 diubah, 0 tetap\n" + (
        "Target: 2 baru, 0 diubah, 0 tetap"
    )
    budi = store.records("Pegawai", where={"nip": STAF})[0]
    assert budi["nip_atasan"] == KEPALA
    assert budi["aktif"] is True
    assert budi["versi_tautan"] == 1
    assert store.records("Unit", where={"kode": "DINKES"})[0]["nip_kepala"] == KEPALA


def test_importing_the_same_files_twice_changes_nothing_the_second_time(store, tmp_path):
    paths = write_master(tmp_path / "in")
    import_files(store, paths)
    before = snapshot(store)

    again = import_files(store, paths)

    assert again.ok
    assert again.results == {
        "Unit": UpsertResult(0, 0, 2),
        "Pegawai": UpsertResult(0, 0, 3),
        "Target": UpsertResult(0, 0, 2),
    }
    assert snapshot(store) == before


def test_changed_row_is_reported_as_changed(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))

    report = import_files(store, write_master(tmp_path / "b", with_change("Pegawai", 2, {"jabatan": "Epidemiolog"})))

    assert report.results["Pegawai"] == UpsertResult(0, 1, 2)
    assert store.records("Pegawai", where={"nip": STAF2})[0]["jabatan"] == "Epidemiolog"


def test_semicolon_delimited_csv_with_bom_and_key_headers_is_read(store, tmp_path):
    master = with_change("Target", 0, {"bobot": "60,5"})  # Indonesian decimal comma
    master["Target"][1]["bobot"] = "39,5"
    paths = write_master(tmp_path / "in", master, headers="key", delimiter=";", encoding="utf-8-sig")

    report = import_files(store, paths)

    assert report.ok, report.summary()
    assert [t["bobot"] for t in store.records("Target")] == [60.5, 39.5]


@pytest.mark.parametrize("title", ["nip atasan", "NIP_ATASAN", "  Nip   Atasan ", "nipatasan"])
def test_headers_match_whatever_the_case_and_spacing(tmp_path, title):
    path = tmp_path / "pegawai.csv"
    path.write_text(f"NIP,{title}\n{STAF},{KEPALA}\n", encoding="utf-8")

    assert read_tables([path]) == {"Pegawai": [{"nip": STAF, "nip_atasan": KEPALA}]}


def test_csv_with_another_name_is_read_as_the_sheet_given(store, tmp_path):
    import_files(store, write_master(tmp_path / "in"))
    path = write_csv(tmp_path / "ekspor simpeg 2026.csv", PEGAWAI, sheet="Pegawai")

    unnamed = import_files(store, [path])
    named = import_files(store, [path], sheet_name="pegawai")

    assert unnamed.errors == [
        "ekspor simpeg 2026.csv: nama berkas tidak menunjukkan lembarnya; beri nama pegawai.csv, unit.csv atau "
        "target.csv, atau sebutkan lembarnya (--lembar)."
    ]
    assert named.results == {"Pegawai": UpsertResult(0, 0, 3)}


def test_unknown_sheet_name_is_refused(store, tmp_path):
    report = import_files(store, write_master(tmp_path / "in"), sheet_name="Absensi")

    assert (
        report.errors[0] == "Lembar 'Absensi' tidak dapat diimpor; pilih Unit, Pegawai, Target, Layanan atau HariLibur."
    )


def test_xlsx_worksheets_are_imported_and_other_worksheets_ignored(store, tmp_path):
    master = copy.deepcopy(MASTER)
    for row in master["Target"]:
        row["tahun"], row["bobot"] = int(row["tahun"]), int(row["bobot"])

    report = import_files(store, [write_xlsx(tmp_path / "master.xlsx", master)])

    assert report.ok, report.summary()
    assert counts(store) == {"Unit": 2, "Pegawai": 3, "Target": 2}
    assert {p["nip"] for p in store.records("Pegawai")} == {KEPALA, STAF, STAF2}


def test_xlsx_nip_stored_as_an_18_digit_integer_is_accepted(store, tmp_path):
    # openpyxl itself writes numbers as 15-digit floats; other tools may write every digit, read back as an int.
    master = with_change("Pegawai", 1, {"nip": int(STAF)})
    path = write_xlsx(tmp_path / "master.xlsx", master)
    rewrite_xlsx(path, f"{float(STAF)!r}".encode(), STAF.encode())

    report = import_files(store, [path])

    assert report.ok, report.summary()
    assert store.records("Pegawai", where={"nip": STAF})[0]["nama"] == "Budi Santoso, S.Kom."


def test_xlsx_and_csv_of_the_same_data_give_the_same_store(store, tmp_path):
    import_files(store, write_master(tmp_path / "in"))
    before = snapshot(store)

    report = import_files(store, [write_xlsx(tmp_path / "master.xlsx", MASTER)])

    assert report.results == {
        "Unit": UpsertResult(0, 0, 2),
        "Pegawai": UpsertResult(0, 0, 3),
        "Target": UpsertResult(0, 0, 2),
    }
    assert snapshot(store) == before


def test_xlsx_nip_typed_as_a_number_is_refused_with_a_hint_to_format_it_as_text(store, tmp_path):
    master = with_change("Pegawai", 1, {"nip": float(STAF), "nip_atasan": float(KEPALA)})

    report = import_files(store, [write_xlsx(tmp_path / "master.xlsx", master)])

    assert not report.ok
    assert "Pegawai baris 3, kolom NIP: NIP tersimpan sebagai angka" in report.errors[0]
    assert "format kolom sebagai Teks" in report.errors[0]
    assert report.errors[1].startswith("Pegawai baris 3, kolom NIP Atasan: NIP tersimpan sebagai angka")
    assert counts(store) == {"Unit": 0, "Pegawai": 0, "Target": 0}


def test_csv_nip_in_scientific_notation_is_refused_with_a_hint_to_format_it_as_text(store, tmp_path):
    master = with_change("Pegawai", 2, {"nip": "1,99003E+17"})

    report = import_files(store, write_master(tmp_path / "in", master, delimiter=";"))

    assert report.errors == [
        "Pegawai baris 4, kolom NIP: NIP tersimpan sebagai angka sehingga digitnya hilang; "
        "format kolom sebagai Teks lalu ketik ulang NIP"
    ]


BAD_ROWS = {  # case: (sheet, row index or None to append a copy of the second row, changes, expected error)
    "bad NIP": ("Pegawai", 1, {"nip": "19850202201001200"}, "Pegawai baris 3, kolom NIP: NIP harus 18 digit angka"),
    "missing required": ("Pegawai", 2, {"nama": ""}, "Pegawai baris 4, kolom Nama: wajib diisi"),
    "bad enum": ("Unit", 1, {"jenis": "Kantor"}, "Unit baris 3, kolom Jenis: pilih salah satu: Dinas, Badan,"),
    "not a number": ("Target", 0, {"tahun": "dua ribu"}, "Target baris 2, kolom Tahun: harus berupa angka"),
    "below minimum": ("Pegawai", 0, {"versi_tautan": "0"}, "Pegawai baris 2, kolom Versi Tautan: tidak boleh kurang"),
    "unknown unit": (
        "Pegawai", 1, {"unit": "DISHUB"},
        "Pegawai baris 3, kolom Kode Unit: DISHUB tidak ada di lembar Unit; "
        "tambahkan ke lembar Unit atau perbaiki isiannya.",
    ),
    "unknown atasan": (
        "Pegawai", 2, {"nip_atasan": STRANGER},
        f"Pegawai baris 4, kolom NIP Atasan: {STRANGER} tidak ada di lembar Pegawai; "
        "tambahkan ke lembar Pegawai atau perbaiki isiannya.",
    ),
    "self-supervisor": (
        "Pegawai", 1, {"nip_atasan": STAF},
        "Pegawai baris 3, kolom NIP Atasan: atasan tidak boleh pegawai itu sendiri.",
    ),
    "duplicate NIP": (
        "Pegawai", None, {"nama": "Budi (ganda)"},
        f"Pegawai baris 5, kolom NIP: {STAF} sudah ada di baris 3; setiap NIP hanya boleh muncul sekali.",
    ),
    "unknown induk": (
        "Unit", 1, {"induk": "PEMKOT"}, "Unit baris 3, kolom Kode Unit Induk: PEMKOT tidak ada di lembar Unit;"
    ),
    "self-parent": (
        "Unit", 1, {"induk": "DINKES"}, "Unit baris 3, kolom Kode Unit Induk: unit induk tidak boleh unit itu sendiri."
    ),
    "unknown kepala": (
        "Unit", 0, {"nip_kepala": STRANGER},
        f"Unit baris 2, kolom NIP Kepala Unit: {STRANGER} tidak ada di lembar Pegawai;",
    ),
    "unknown target owner": (
        "Target", 0, {"nip": STRANGER}, f"Target baris 2, kolom NIP: {STRANGER} tidak ada di lembar Pegawai;"
    ),
    "duplicate target id": (
        "Target", None, {"id": f"{STAF}-2026-2"},
        f"Target baris 4, kolom ID Target: {STAF}-2026-2 sudah ada di baris 3;",
    ),
    "bobot sum": (
        "Target", 0, {"bobot": "50"},
        f"Target baris 2, 3, kolom Bobot (%): jumlah bobot NIP {STAF} tahun 2026 menjadi 90, harus 100.",
    ),
    "unknown header": (
        "Pegawai", 0, {"golongan": "IV/b"},
        "Pegawai, kolom 'golongan': judul kolom tidak dikenal; gunakan salah satu dari: NIP, Nama, Jabatan,",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_file_with_one_bad_row_is_refused_and_changes_nothing(store, tmp_path, case):
    sheet, index, changes, expected = BAD_ROWS[case]
    import_files(store, write_master(tmp_path / "before"))
    before = snapshot(store)
    master = with_change(sheet, index, changes)
    master["Pegawai"][2]["jabatan"] = "Epidemiolog"  # a good change that must not be written either

    report = import_files(store, write_master(tmp_path / "after", master))

    assert not report.ok
    assert any(line.startswith(expected) for line in report.errors), report.errors
    assert report.results == {}
    assert report.summary().startswith("Impor dibatalkan, tidak ada data yang diubah.")
    assert expected in report.summary()
    assert snapshot(store) == before


def test_every_problem_of_a_file_is_reported_not_only_the_first(store, tmp_path):
    master = with_change("Pegawai", 1, {"nip": "123", "unit": "DISHUB"})
    master["Pegawai"][2]["nama"] = ""

    report = import_files(store, write_master(tmp_path / "in", master))

    assert "Pegawai baris 3, kolom NIP: NIP harus 18 digit angka" in report.errors
    assert "Pegawai baris 4, kolom Nama: wajib diisi" in report.errors
    assert any(line.startswith("Pegawai baris 3, kolom Kode Unit: DISHUB") for line in report.errors)


def test_bobot_sum_counts_stored_targets_that_the_file_does_not_replace(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    extra = {**TARGETS[1], "id": f"{STAF}-2026-3", "bobot": "10"}

    added = import_files(store, [write_csv(tmp_path / "target.csv", [extra])])

    assert added.errors == [
        f"Target baris 2, kolom Bobot (%): jumlah bobot NIP {STAF} tahun 2026 menjadi 110 "
        "(termasuk 2 indikator yang sudah tersimpan), harus 100."
    ]
    replaced = import_files(store, [write_csv(tmp_path / "target.csv", [{**TARGETS[0], "bobot": "50"}, extra])])
    assert replaced.ok, replaced.summary()
    assert replaced.results["Target"] == UpsertResult(1, 1, 0)


def test_moving_a_target_to_another_year_checks_the_year_it_leaves(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))

    report = import_files(store, [write_csv(tmp_path / "target.csv", [{**TARGETS[0], "tahun": "2027"}])])

    assert (
        f"Target baris 2, kolom Bobot (%): jumlah bobot NIP {STAF} tahun 2027 menjadi 60, harus 100." in report.errors
    )
    assert (
        f"Target baris 2, kolom Bobot (%): jumlah bobot NIP {STAF} tahun 2026 menjadi 40 "
        "(termasuk 1 indikator yang sudah tersimpan), harus 100."
    ) in report.errors


def test_references_may_point_to_rows_already_in_the_store(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    newcomer = {**PEGAWAI[2], "nip": "200001012022012001", "nama": "Citra", "email": ""}

    report = import_files(store, [write_csv(tmp_path / "pegawai.csv", [newcomer])])

    assert report.ok, report.summary()
    assert report.results == {"Pegawai": UpsertResult(1, 0, 0)}


def test_columns_left_out_keep_their_stored_values(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAF})[0], "aktif": False, "versi_tautan": 3}])
    short = [{k: p[k] for k in ("nip", "nama", "jabatan", "unit", "nip_atasan")} for p in PEGAWAI]

    report = import_files(store, [write_csv(tmp_path / "pegawai.csv", short)])

    assert report.results == {"Pegawai": UpsertResult(0, 0, 3)}
    budi = store.records("Pegawai", where={"nip": STAF})[0]
    assert (budi["email"], budi["aktif"], budi["versi_tautan"]) == ("budi@example.go.id", False, 3)


def test_lowering_versi_tautan_is_refused_because_it_revives_revoked_links(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAF})[0], "versi_tautan": 3}])

    report = import_files(store, write_master(tmp_path / "b"))

    assert report.errors == [
        "Pegawai baris 3, kolom Versi Tautan: tidak boleh lebih kecil dari versi tersimpan (3), "
        "karena tautan lama yang sudah dicabut akan berlaku lagi."
    ]


def test_blank_rows_are_skipped_and_row_numbers_follow_the_file(store, tmp_path):
    path = write_csv(tmp_path / "unit.csv", [UNITS[0], dict.fromkeys(UNITS[0], ""), {**UNITS[1], "jenis": "?"}])

    report = import_files(store, [path])

    assert report.errors[0].startswith("Unit baris 4, kolom Jenis: pilih salah satu")


def test_cells_under_an_empty_header_are_refused(store, tmp_path):
    path = tmp_path / "unit.csv"
    path.write_text("Kode Unit,Nama Unit,Jenis,\nSETDA,Sekretariat Daerah,Sekretariat,catatan\n", encoding="utf-8")

    report = import_files(store, [path])

    assert report.errors == ["Unit: ada isian di kolom tanpa judul; beri judul kolom atau hapus isiannya."]


def unreadable_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "pegawai.txt").write_text("NIP\n", encoding="utf-8")
    (folder / "latin1" / "").mkdir()
    (folder / "latin1" / "pegawai.csv").write_bytes("Nama\nJosé\n".encode("latin-1"))
    (folder / "pegawai.xlsx").write_bytes(b"this is not a zip file")
    (folder / "data.csv").write_text("NIP\n", encoding="utf-8")
    (folder / "empty" / "").mkdir()
    (folder / "empty" / "pegawai.csv").write_text("", encoding="utf-8")
    (folder / "twice" / "").mkdir()
    (folder / "twice" / "pegawai.csv").write_text("NIP,nip\n", encoding="utf-8")
    return {
        "missing": (folder / "unit.csv", "berkas tidak ditemukan"),
        "not csv or xlsx": (folder / "pegawai.txt", "hanya berkas .csv atau .xlsx"),
        "not utf-8": (folder / "latin1" / "pegawai.csv", "bukan teks UTF-8"),
        "damaged xlsx": (folder / "pegawai.xlsx", "bukan buku kerja Excel .xlsx yang valid"),
        "name is no sheet": (folder / "data.csv", "nama berkas tidak menunjukkan lembarnya"),
        "empty": (folder / "empty" / "pegawai.csv", "lembar Pegawai kosong"),
        "header twice": (folder / "twice" / "pegawai.csv", "kolom ke-2 (nip) ganda"),
    }


@pytest.mark.parametrize(
    "case", ["missing", "not csv or xlsx", "not utf-8", "damaged xlsx", "name is no sheet", "empty", "header twice"]
)
def test_unreadable_file_becomes_an_indonesian_error_line(store, tmp_path, case):
    path, expected = unreadable_files(tmp_path)[case]

    report = import_files(store, [path])

    assert len(report.errors) == 1
    assert expected in report.errors[0]
    assert "Traceback" not in report.summary()
    assert counts(store) == {"Unit": 0, "Pegawai": 0, "Target": 0}


def test_same_sheet_in_two_files_is_refused(store, tmp_path):
    paths = write_master(tmp_path / "in")
    xlsx = write_xlsx(tmp_path / "master.xlsx", {"Pegawai": PEGAWAI})

    report = import_files(store, [*paths, xlsx])

    assert report.errors == ["master.xlsx: lembar Pegawai sudah dibaca dari berkas lain; gabungkan jadi satu berkas."]


def test_xlsx_without_a_master_worksheet_is_refused(store, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Rekap"
    book.save(tmp_path / "rekap.xlsx")

    report = import_files(store, [tmp_path / "rekap.xlsx"])

    assert report.errors == [
        "rekap.xlsx: tidak ada lembar kerja bernama Unit, Pegawai, Target, Layanan atau HariLibur."
    ]


def test_import_master_refuses_a_sheet_that_is_not_master_data(store):
    report = import_master(store, {"LaporanHarian": [{"id": "x"}]})

    assert report.errors == [
        "Lembar LaporanHarian tidak dapat diimpor; "
        "yang dapat diimpor hanya Unit, Pegawai, Target, Layanan atau HariLibur."
    ]


def test_nothing_to_import_is_said_plainly(store, tmp_path):
    path = tmp_path / "unit.csv"
    path.write_text("Kode Unit,Nama Unit,Jenis\n", encoding="utf-8")

    report = import_files(store, [path])

    assert report.ok
    assert report.results == {"Unit": UpsertResult(0, 0, 0)}
    assert import_master(store, {}).summary() == "Tidak ada baris untuk diimpor."


def test_summary_shows_the_first_fifty_errors_and_counts_the_rest(store, tmp_path):
    rows = [{**UNITS[0], "kode": f"U{i}", "jenis": "?"} for i in range(60)]

    summary = import_files(store, [write_csv(tmp_path / "unit.csv", rows)]).summary()

    assert "Perbaiki 60 kesalahan berikut:" in summary
    assert summary.endswith("... dan 10 kesalahan lainnya.")


def test_bad_row_of_a_stored_target_does_not_add_a_bobot_error(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))

    report = import_files(store, write_master(tmp_path / "b", with_change("Target", 0, {"tahun": "dua ribu"})))

    assert len(report.errors) == 1 and report.errors[0].startswith("Target baris 2, kolom Tahun: harus berupa angka")


def test_single_worksheet_of_any_title_is_read_as_the_sheet_given(store, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["kode", "nama", "jenis"])
    book.active.append(["SETDA", "Sekretariat Daerah", "Sekretariat"])
    book.save(tmp_path / "unit kerja.xlsx")

    report = import_files(store, [tmp_path / "unit kerja.xlsx"], sheet_name="Unit")

    assert report.results == {"Unit": UpsertResult(1, 0, 0)}


def test_services_and_holiday_overrides_import_with_units(store: SQLiteStore, tmp_path: Path) -> None:
    unit = tmp_path / "unit.csv"
    unit.write_text("Kode Unit,Nama Unit,Jenis\nDUK,Disdukcapil,Dinas\n", encoding="utf-8")
    layanan = tmp_path / "layanan.csv"
    layanan.write_text(
        "Kode Layanan,Kode Unit,Nama Layanan,Populasi per Tahun\nDUK-KTP,DUK,Perekaman KTP-el,12000\n"
        "X-1,TIDAK-ADA,Layanan X,10\n",
        encoding="utf-8",
    )
    report = import_files(store, [unit, layanan])
    assert not report.ok and any("Layanan baris 3" in e for e in report.errors)
    assert store.count("Layanan") == 0 and store.count("Unit") == 0
    layanan.write_text("Kode Layanan,Kode Unit,Nama Layanan\nDUK-KTP,DUK,Perekaman KTP-el\n", encoding="utf-8")
    libur = tmp_path / "harilibur.csv"
    libur.write_text("Tanggal,Jenis,Keterangan\n2026-12-24,Libur,Cuti bersama Natal\n", encoding="utf-8")
    assert import_files(store, [unit, layanan, libur]).ok
    assert [r["id"] for r in store.records("Layanan")] == ["DUK-KTP"]
    assert store.records("HariLibur")[0]["jenis"] == "Libur"


# -- preview -------------------------------------------------------------------------------------------------------


def test_preview_says_per_row_what_an_import_would_do_and_writes_nothing(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    before = snapshot(store)
    newcomer = {**PEGAWAI[2], "nip": "200001012022012001", "nama": "Citra", "email": ""}
    rows = [PEGAWAI[0], {**PEGAWAI[1], "jabatan": "Pranata Komputer Ahli", "aktif": "Tidak"}, newcomer]
    rows.append({**PEGAWAI[2], "nip": "123"})

    plan = preview(store, read_tables([write_csv(tmp_path / "pegawai.csv", rows)]))

    sheet = plan.sheets["Pegawai"]
    assert [(r.number, r.key, r.status) for r in sheet.rows] == [
        (2, KEPALA, "tetap"),
        (3, STAF, "diubah"),
        (4, "200001012022012001", "baru"),
        (5, "", "ditolak"),
    ]
    assert sheet.rows[1].changes == (
        Change("Jabatan", "Pranata Komputer", "Pranata Komputer Ahli"),
        Change("Aktif", "Ya", "Tidak"),
    )
    assert sheet.rows[3].reasons == ("kolom NIP: NIP harus 18 digit angka",)
    assert (plan.ok, plan.pending, plan.count("ditolak")) == (False, 2, 1)
    assert snapshot(store) == before
    with pytest.raises(BadRequest):
        apply(store, plan)
    assert snapshot(store) == before


def test_applying_a_clean_preview_writes_what_it_showed(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    plan = preview(
        store, read_tables(write_master(tmp_path / "b", with_change("Pegawai", 2, {"jabatan": "Epidemiolog"})))
    )
    assert plan.ok and plan.pending == 1 and plan.count("tetap") == 6

    results = apply(store, plan)

    assert results == {"Unit": UpsertResult(0, 0, 2), "Pegawai": UpsertResult(0, 1, 2), "Target": UpsertResult(0, 0, 2)}
    again = preview(
        store, read_tables(write_master(tmp_path / "c", with_change("Pegawai", 2, {"jabatan": "Epidemiolog"})))
    )
    assert again.pending == 0 and again.fingerprint != plan.fingerprint


def test_a_problem_over_several_rows_refuses_each_of_them(store, tmp_path):
    plan = preview(store, read_tables(write_master(tmp_path / "a", with_change("Target", 0, {"bobot": "50"}))))

    reason = f"kolom Bobot (%): jumlah bobot NIP {STAF} tahun 2026 menjadi 90, harus 100."
    assert [(r.number, r.status, r.reasons) for r in plan.sheets["Target"].rows] == [
        (2, "ditolak", (reason,)),
        (3, "ditolak", (reason,)),
    ]
    assert plan.sheets["Pegawai"].count("baru") == 3  # fine in themselves, and still not written: all or nothing


def test_the_fingerprint_changes_when_the_store_changes_the_outcome(store, tmp_path):
    import_files(store, write_master(tmp_path / "a"))
    tables = read_tables(write_master(tmp_path / "b", with_change("Pegawai", 2, {"jabatan": "Epidemiolog"})))
    first = preview(store, tables)
    assert preview(store, tables).fingerprint == first.fingerprint  # nothing changed meanwhile

    store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAF})[0], "email": "baru@example.go.id"}])

    second = preview(store, tables)
    assert second.fingerprint != first.fingerprint
    assert second.sheets["Pegawai"].rows[1].changes == (Change("Email", "baru@example.go.id", "budi@example.go.id"),)


def test_an_uploaded_file_is_previewed_from_its_bytes(store, tmp_path):
    data = write_csv(tmp_path / "x.csv", PEGAWAI, sheet="Pegawai").read_bytes()

    unnamed = preview_upload(store, "ekspor.csv", data, None, None, choice="pilih lembarnya")
    named = preview_upload(store, "ekspor.csv", data, "Pegawai", None, choice="pilih lembarnya")

    assert unnamed.notes == [
        "ekspor.csv: nama berkas tidak menunjukkan lembarnya; beri nama pegawai.csv, unit.csv atau target.csv, "
        "atau pilih lembarnya."
    ]
    assert named.sheets["Pegawai"].count("ditolak") == 3  # their unit DINKES is in no file and not stored
    assert "kolom Kode Unit: DINKES tidak ada di lembar Unit" in named.sheets["Pegawai"].rows[0].reasons[0]
