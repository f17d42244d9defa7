"""Importing an SKP exported from e-Kinerja BKN (tests/staff/samples/skp_ekinerja_2027.csv, see its README there):
the mapping of the export's columns to the Target sheet, preview, confirm, a re-import that changes nothing, and
refused rows whose reason names the row and the export's column."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.staff import ekinerja, importer
from functions.store.sqlite import SQLiteStore
from tests.conftest import employee

SAMPLE = Path(__file__).parent / "samples" / "skp_ekinerja_2027.csv"
UNIT = "KEL-PEKUNDEN"
LURAH, SEKRETARIS, IKA = "196910261991061546", "198006212009122157", "199405112019022286"
FIRST = 6  # the header is row 5 of the sample, under four title lines


@pytest.fixture
def kelurahan(store: SQLiteStore) -> SQLiteStore:
    store.upsert_many(
        {
            "Unit": [{"kode": UNIT, "nama": "Kelurahan Pekunden", "jenis": "Kelurahan", "nip_kepala": LURAH}],
            "Pegawai": [
                employee(LURAH, "Budi Adi Nugroho, S.STP", UNIT, None, jabatan="Lurah Pekunden"),
                employee(SEKRETARIS, "Sri Setyaningsih, S.Sos.", UNIT, LURAH, jabatan="Sekretaris Kelurahan"),
                employee(IKA, "Ika Astuti, A.Md.", UNIT, SEKRETARIS, jabatan="Penata Layanan Operasional"),
            ],
        }
    )
    return store


def sample() -> bytes:
    return SAMPLE.read_bytes()


def as_xlsx(data: bytes) -> bytes:
    """The sample as the XLSX e-Kinerja also offers: the same cells, numbers as numbers, NIPs as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in data.decode("utf-8-sig").splitlines():
        sheet.append([float(c) if c.isdigit() and len(c) < 10 else c or None for c in line.split(";")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_export_maps_to_one_target_row_per_indicator_with_its_quarters() -> None:
    rows, headers = ekinerja.read_export("skp.csv", sample())
    filled = [r for r in rows if r.get("id")]
    assert len(rows) == FIRST - 2 + 5 and len(filled) == 5  # row numbers stay those of the file
    first = rows[FIRST - 2]
    assert first["nip"] == SEKRETARIS and first["tahun"] == "2027" and first["jenis"] == "Utama"
    assert first["rhk_atasan"] == "Terselenggaranya pelayanan administrasi Kelurahan Pekunden yang prima"
    assert first["rencana_hasil_kerja"] == "Terkelolanya administrasi dan pelayanan umum kelurahan"
    assert first["indikator"] == "Jumlah dokumen administrasi kelurahan yang diselesaikan"
    assert [first[f"target_tw{q}"] for q in (1, 2, 3, 4)] == ["100", "120", "120", "140"]
    assert (first["target"], first["satuan"]) == ("480", "dokumen")
    # PermenPANRB 6/2022 gives no bobot: 100 shared by each person's Utama indicators, Tambahan 0
    assert [r["bobot"] for r in filled] == [50, 50, 0, 50, 50]
    assert rows[FIRST]["rhk_atasan"] is None  # the export's "-" is a blank
    assert headers["Target TW II"] == "Target TW II" and headers["Indikator Kinerja"] == "Indikator Kinerja Individu"


def test_the_id_comes_from_nip_year_rhk_and_indicator_whatever_the_case_and_spacing() -> None:
    one = ekinerja.target_id(IKA, 2027, "Terlayaninya surat  pengantar", "Jumlah surat")
    assert one == ekinerja.target_id(IKA, "2027", "terlayaninya surat pengantar ", "JUMLAH SURAT")
    assert one.startswith(f"{IKA}-2027-") and len(one) == 18 + 1 + 4 + 1 + ekinerja.ID_DIGITS
    assert one != ekinerja.target_id(IKA, 2027, "Terlayaninya surat pengantar", "Jumlah surat keterangan")
    assert one != ekinerja.target_id(IKA, 2028, "Terlayaninya surat pengantar", "Jumlah surat")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_preview_confirm_and_a_reimport_that_changes_nothing(kelurahan: SQLiteStore, kind: str) -> None:
    data = sample() if kind == "csv" else as_xlsx(sample())
    plan = ekinerja.preview_upload(kelurahan, f"skp.{kind}", data, None)
    assert plan.ok, plan.errors
    assert (plan.count(importer.NEW), plan.count(importer.REFUSED)) == (5, 0)
    assert [r.number for r in plan.sheets["Target"].rows] == [6, 7, 8, 9, 10]
    assert kelurahan.records("Target") == []  # a preview writes nothing

    importer.apply(kelurahan, plan)
    stored = {r["indikator"]: r for r in kelurahan.records("Target")}
    surat = stored["Jumlah surat pengantar yang diterbitkan"]
    assert (surat["nip"], surat["tahun"], surat["jenis"], surat["target"], surat["bobot"]) == (
        IKA,
        2027,
        "Utama",
        2400,
        50,
    )
    assert [surat[f"target_tw{q}"] for q in (1, 2, 3, 4)] == [550, 600, 600, 650]
    assert surat["rhk_atasan"] == "Terkelolanya administrasi dan pelayanan umum kelurahan"
    assert stored["Jumlah tugas tambahan yang diselesaikan"]["jenis"] == "Tambahan"

    again = ekinerja.preview_upload(kelurahan, f"skp.{kind}", data, None)
    assert (again.count(importer.UNCHANGED), again.pending) == (5, 0)
    before = kelurahan.records("Target")
    importer.apply(kelurahan, again)
    assert kelurahan.records("Target") == before


def test_a_changed_quarter_updates_its_row_and_says_old_and_new(kelurahan: SQLiteStore) -> None:
    importer.apply(kelurahan, ekinerja.preview_upload(kelurahan, "skp.csv", sample(), None))
    changed = sample().replace(b"2400;surat;550;600;600;650", b"2400;surat;500;650;600;650")
    plan = ekinerja.preview_upload(kelurahan, "skp.csv", changed, None)
    (row,) = plan.sheets["Target"].of(importer.CHANGED)
    assert row.number == 9
    assert [(c.column, c.old, c.new) for c in row.changes] == [
        ("Target TW I", "550", "500"),
        ("Target TW II", "600", "650"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "row", "reason"),
    [
        (b"2400;surat;550;600;600;650", b"2400;surat;550;enam ratus;600;650", 9, "kolom Target TW II:"),
        (
            b"5;199405112019022286",
            b"5;199405112019022299",
            10,
            "kolom NIP: 199405112019022299 tidak ada di lembar Pegawai",
        ),
        (b"2027;Tambahan", b"2027;Pendukung", 8, "kolom Jenis RHK:"),
        (
            b"2027;Utama;Terselenggaranya pelayanan administrasi Kelurahan Pekunden yang prima;",
            b"2027;Utama;" + b"x" * 501 + b";",
            6,
            "kolom RHK Atasan yang Diintervensi:",
        ),
    ],
)
def test_a_refused_row_names_its_row_and_the_exports_column_and_nothing_is_written(
    kelurahan: SQLiteStore, old: bytes, new: bytes, row: int, reason: str
) -> None:
    data = sample().replace(old, new, 1)
    assert data != sample()
    plan = ekinerja.preview_upload(kelurahan, "skp.csv", data, None)
    assert not plan.ok
    (refused,) = plan.sheets["Target"].of(importer.REFUSED)
    assert refused.number == row
    assert any(why.startswith(reason) for why in refused.reasons), refused.reasons
    assert any(line.startswith(f"Target baris {row}, ") for line in plan.errors), plan.errors
    with pytest.raises(Exception, match="ditolak"):
        importer.apply(kelurahan, plan)
    assert kelurahan.records("Target") == []


def test_an_export_without_the_rhk_columns_is_refused_naming_them(kelurahan: SQLiteStore) -> None:
    data = b"NIP;Nama;Uraian\n199405112019022286;Ika;Melayani warga\n"
    plan = ekinerja.preview_upload(kelurahan, "progres.csv", data, None)
    assert not plan.ok
    assert "tidak ditemukan baris judul kolom ekspor SKP e-Kinerja" in plan.notes[0]
    assert "NIP, Tahun, Rencana Hasil Kerja, Indikator Kinerja Individu, Satuan" in plan.notes[0]


def test_an_export_missing_a_required_column_names_it(kelurahan: SQLiteStore) -> None:
    data = sample().replace(b";Satuan;", b";Ukuran;")
    plan = ekinerja.preview_upload(kelurahan, "skp.csv", data, None)
    assert plan.notes == ["skp.csv: kolom Satuan tidak ada di baris judul (baris 5)."]


def test_an_opd_operator_of_another_unit_is_refused_per_row(kelurahan: SQLiteStore) -> None:
    plan = ekinerja.preview_upload(kelurahan, "skp.csv", sample(), {"DISDUKCAPIL"})
    assert plan.count(importer.REFUSED) == 5
    assert all("di luar OPD Anda" in r.reasons[0] for r in plan.sheets["Target"].rows)


def test_the_same_indicator_twice_is_refused_naming_the_first_row(kelurahan: SQLiteStore) -> None:
    lines = sample().decode("utf-8-sig").splitlines()
    data = "\n".join([*lines, lines[-1].replace("5;", "6;", 1)]).encode()
    plan = ekinerja.preview_upload(kelurahan, "skp.csv", data, None)
    (refused,) = plan.sheets["Target"].of(importer.REFUSED)
    assert refused.number == 11
    assert refused.reasons == (
        "kolom Rencana Hasil Kerja dan Indikator Kinerja Individu: indikator yang sama sudah ada di baris 10; "
        "tulis setiap indikator sekali.",
    )


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # what a worksheet cell can hold
CELL = st.one_of(st.none(), TEXT, st.integers(-5, 3000), st.sampled_from(["-", "Utama", "2027"]))


@given(
    cells=st.lists(st.lists(CELL, min_size=0, max_size=16), max_size=6),
    header=st.permutations(list(ekinerja.HEADERS)).map(lambda keys: [ekinerja.HEADERS[k][0] for k in keys]),
)
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_cells_under_the_headers_give_a_preview_never_an_error(
    kelurahan: SQLiteStore, cells: list[list[object]], header: list[str]
) -> None:
    book = openpyxl.Workbook()
    for row in [header, *cells]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    plan = ekinerja.preview_upload(kelurahan, "skp.xlsx", buffer.getvalue(), None)
    assert plan.ok == (plan.count(importer.REFUSED) == 0 and not plan.notes)
    assert kelurahan.records("Target") == []


@given(data=st.binary(max_size=300))
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_give_a_preview_never_an_error(kelurahan: SQLiteStore, data: bytes) -> None:
    for name in ("skp.csv", "skp.xlsx"):
        plan = ekinerja.preview_upload(kelurahan, name, data, None)
        assert plan.ok or plan.errors
