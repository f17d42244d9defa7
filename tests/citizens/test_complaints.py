"""Complaints at the domain level (functions/citizens/complaints.py): filing, codes, deadlines, visibility, purge.

The small city of these tests is the ``town`` fixture (``tests/support/towns.py``), shared with the HTTP and
browser tests: two units, each with a head (a verifier) and staff.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from functions.citizens import complaints
from functions.errors import Conflict, Forbidden, ValidationError
from functions.rules.workdays import WIB, Calendar
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from tests.conftest import SECRET
from tests.support.servers import ROOT
from tests.support.towns import DPU, DUKCAPIL, HEAD_A, HEAD_B, STAFF_A, STAFF_B

CALENDAR = Calendar()
NOV_25 = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)  # a Wednesday
NYEPI = datetime(2026, 3, 19, 10, 0, tzinfo=WIB)  # Thursday, Hari Suci Nyepi


def at(year: int, month: int, day: int) -> datetime:
    """The due moment of a day: 23:59:59 WIB."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=WIB)


def complaint_form(sid: str = "aduanUji0001", **over: str) -> dict[str, str]:
    form = {
        "id_kiriman": sid,
        "kategori": "Kependudukan",
        "unit": DUKCAPIL,
        "uraian": "Antrean perekaman KTP-el di loket 3 tidak bergerak selama dua jam.",
        "privasi": "Biasa",
        "telepon": "0812 3456 7890",
        "email": "warga.pelapor@contoh.id",
    }
    form.update(over)
    return form


def sheet_counts(store: SQLiteStore) -> dict[str, int]:
    return {name: store.count(name) for name in ("Aduan", "AduanKontak", "AduanPeristiwa")}


def person(store: SQLiteStore, nip: str) -> dict[str, Any]:
    return store.records("Pegawai", where={"nip": nip})[0]


def load(store: SQLiteStore, row: dict[str, Any], now: datetime) -> complaints.Complaint:
    found = complaints.by_code(store, row["kode"], Calendar.from_store(store), now)
    assert found is not None
    return found


# -- filing ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("town")
def test_filing_stores_every_field_contact_apart_and_a_received_event(store: SQLiteStore) -> None:
    row, created, dropped = complaints.file(complaint_form(), store, CALENDAR, NOV_25)
    assert created and not dropped
    assert complaints.CODE_RE.match(row["kode"])
    assert row == {
        "id": "aduanUji0001",
        "kode": row["kode"],
        "tanggal": date(2026, 11, 25),
        "diterima_pada": NOV_25,
        "kategori": "Kependudukan",
        "unit": DUKCAPIL,
        "uraian": "Antrean perekaman KTP-el di loket 3 tidak bergerak selama dua jam.",
        "privasi": "Biasa",
        "ada_kontak": True,
        # Day 1 = Thu 11-26, Fri 11-27, day 3 = Mon 11-30; the follow-up counts from there: day 5 = Mon 12-07.
        "batas_verifikasi": at(2026, 11, 30),
        "batas_tindak_lanjut": at(2026, 12, 7),
    }
    assert store.records("AduanKontak") == [
        {"id": "aduanUji0001", "telepon": "0812 3456 7890", "email": "warga.pelapor@contoh.id", "diterima_pada": NOV_25}
    ]
    (event,) = store.records("AduanPeristiwa")
    assert (event["id"], event["id_aduan"], event["jenis"], event["waktu"]) == (
        "aduanUji0001-diterima",
        "aduanUji0001",
        "Diterima",
        NOV_25,
    )
    assert event["oleh_nip"] is None and event["catatan"] is None


@pytest.mark.usefixtures("town")
@pytest.mark.parametrize(
    "privasi, telepon, email, kept",
    [
        ("Biasa", "", "", False),
        ("Rahasia", "081234567890", "", True),
        ("Rahasia", "", "a@contoh.id", True),
        ("Anonim", "081234567890", "a@contoh.id", False),
        ("Anonim", "", "", False),
    ],
)
def test_contact_is_kept_only_when_given_and_not_anonymous(
    store: SQLiteStore, privasi: str, telepon: str, email: str, kept: bool
) -> None:
    form = complaint_form(privasi=privasi, telepon=telepon, email=email)
    row, _, dropped = complaints.file(form, store, CALENDAR, NOV_25)
    assert row["ada_kontak"] is kept
    assert store.count("AduanKontak") == int(kept)
    assert dropped is (privasi == "Anonim" and bool(telepon or email))


@pytest.mark.usefixtures("town")
def test_a_retry_adds_nothing_and_keeps_the_first_code(store: SQLiteStore) -> None:
    first, created, _ = complaints.file(complaint_form(), store, CALENDAR, NOV_25)
    again, created_again, _ = complaints.file(complaint_form(), store, CALENDAR, NOV_25 + timedelta(minutes=3))
    assert created and not created_again
    assert again == first
    assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}


@pytest.mark.usefixtures("town")
def test_the_same_id_with_other_text_is_a_conflict(store: SQLiteStore) -> None:
    complaints.file(complaint_form(), store, CALENDAR, NOV_25)
    with pytest.raises(Conflict):
        complaints.file(complaint_form(uraian="Teks yang lain."), store, CALENDAR, NOV_25)
    assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}


@pytest.mark.usefixtures("town")
def test_codes_are_unique_and_well_formed_over_200_complaints(store: SQLiteStore) -> None:
    codes = [
        complaints.file(complaint_form(f"aduanMassal{n:04d}"), store, CALENDAR, NOV_25)[0]["kode"] for n in range(200)
    ]
    assert len(set(codes)) == 200
    assert all(complaints.CODE_RE.match(c) for c in codes)
    assert not any(ch in c[4:] for c in codes for ch in "01IO")
    assert len({complaints.new_code() for _ in range(20_000)}) == 20_000


@pytest.mark.parametrize(
    "typed, code",
    [
        ("ADU-7KQ2-MX4P-9RTA", "ADU-7KQ2-MX4P-9RTA"),
        ("adu 7kq2 mx4p 9rta", "ADU-7KQ2-MX4P-9RTA"),
        ("  7KQ2MX4P9RTA ", "ADU-7KQ2-MX4P-9RTA"),
        ("ADU-7KQ2-MX4P", None),
        ("ADU-7KQ2-MX4P-9RTA-AAAA", None),
        ("ADU-7KQ2-MX4P-9RT!", None),
        ("", None),
    ],
)
def test_typed_codes_are_normalized_or_refused(typed: str, code: str | None) -> None:
    assert complaints.normalize_code(typed) == code


@pytest.mark.usefixtures("town")
@pytest.mark.parametrize(
    "change, field",
    [
        ({"id_kiriman": "abcdefgh\n"}, "id_kiriman"),  # "$" alone would let the newline in
        ({"id_kiriman": "a" * 56}, "id_kiriman"),  # its Diterima event id would pass 64 characters
        ({"id_kiriman": "a" * 65}, "id_kiriman"),
        ({"telepon": "+62812345678901234567"}, "telepon"),  # 21 characters: AduanKontak keeps 20
        ({"telepon": "0812345678\n"}, None),  # a final newline is trimmed, the number is fine
    ],
)
def test_edge_values_are_refused_whole_or_stored_whole(
    store: SQLiteStore, change: dict[str, str], field: str | None
) -> None:
    """Never half a complaint: the Aduan row without its contact or its Diterima event."""
    if field is None:
        complaints.file(complaint_form(**change), store, CALENDAR, NOV_25)
        assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}
        return
    with pytest.raises(ValidationError) as err:
        complaints.file(complaint_form(**change), store, CALENDAR, NOV_25)
    assert list(err.value.fields) == [field]
    assert sheet_counts(store) == {"Aduan": 0, "AduanKontak": 0, "AduanPeristiwa": 0}


@pytest.mark.usefixtures("town")
def test_the_longest_filing_id_still_fits_its_event(store: SQLiteStore) -> None:
    complaints.file(complaint_form("b" * complaints.FILING_ID_MAX), store, CALENDAR, NOV_25)
    assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}


# -- deadlines ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("town")
def test_received_on_nyepi_verification_is_due_friday_27_march(store: SQLiteStore) -> None:
    # Off: Thu 03-19 (Nyepi) .. Tue 03-24 (Idul Fitri, cuti bersama, the weekend). Day 1 = Wed 03-25,
    # Thu 03-26, day 3 = Fri 03-27. The follow-up counts from there and skips Good Friday 04-03: Mon 04-06.
    row, _, _ = complaints.file(complaint_form(kategori="Pelayanan"), store, Calendar(), now=NYEPI)
    assert row["batas_verifikasi"] == at(2026, 3, 27)
    assert row["batas_tindak_lanjut"] == at(2026, 4, 6)


@pytest.mark.usefixtures("town")
def test_a_holiday_override_moves_the_verification_deadline(store: SQLiteStore) -> None:
    store.upsert("HariLibur", [{"tanggal": date(2026, 3, 26), "jenis": "Libur", "keterangan": "Libur daerah (uji)"}])
    row, _, _ = complaints.file(complaint_form(kategori="Pelayanan"), store, Calendar.from_store(store), now=NYEPI)
    assert row["batas_verifikasi"] == at(2026, 3, 30)


@pytest.mark.usefixtures("town")
def test_deadlines_per_category_come_from_konfigurasi(store: SQLiteStore) -> None:
    store.upsert("Konfigurasi", [{"kunci": "tenggat_verifikasi_kependudukan", "nilai": "1", "keterangan": "uji"}])
    row, _, _ = complaints.file(complaint_form(), store, CALENDAR, NOV_25)
    assert row["batas_verifikasi"] == at(2026, 11, 26)


@pytest.mark.usefixtures("town")
def test_a_late_dispatch_is_evaluated_as_verification_missed(store: SQLiteStore) -> None:
    row, _, _ = complaints.file(complaint_form(kategori="Pelayanan"), store, Calendar(), now=NYEPI)
    dispatched = datetime(2026, 3, 30, 9, 0, tzinfo=WIB)  # the first working day after the 03-27 deadline
    store.append(
        "AduanPeristiwa",
        [
            {
                "id": "disposisiTelat01",
                "id_aduan": row["id"],
                "jenis": "Didisposisikan",
                "waktu": dispatched,
                "oleh_nip": HEAD_A,
                "unit_tujuan": DUKCAPIL,
            }
        ],
    )
    found = load(store, row, now=datetime(2026, 4, 1, 12, 0, tzinfo=WIB))
    assert found.deadline.verifikasi.met is False
    assert found.deadline.verifikasi.met_at == dispatched
    # The follow-up now counts from the dispatch: Tue 03-31 .. Mon 04-06 (Good Friday off), day 5 = Tue 04-07.
    assert found.deadline.tindak_lanjut.due == at(2026, 4, 7)
    assert found.deadline.tindak_lanjut.met is None
    assert found.state == "Didisposisikan"


# -- state, visibility, actions ---------------------------------------------------------------------


def event(sid: str, id_aduan: str, jenis: str, waktu: datetime, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "id_aduan": id_aduan, "jenis": jenis, "waktu": waktu, **extra}


@pytest.mark.usefixtures("town")
def test_a_follow_up_left_unanswered_for_ten_working_days_counts_as_closed(store: SQLiteStore) -> None:
    row, _, _ = complaints.file(complaint_form(), store, CALENDAR, NOV_25)
    answered = datetime(2026, 11, 26, 9, 0, tzinfo=WIB)
    store.append("AduanPeristiwa", [event("jawabanUji001", row["id"], "Ditindaklanjuti", answered, catatan="OK")])
    # Ten working days after Thu 11-26: Fri 11-27 .. Thu 12-10 (no holiday in between).
    assert load(store, row, at(2026, 12, 10)).state == "Ditindaklanjuti"
    assert load(store, row, datetime(2026, 12, 11, 0, 0, 1, tzinfo=WIB)).state == "Selesai"


@pytest.mark.usefixtures("town")
def test_only_the_handling_unit_sees_a_complaint_and_its_contact(store: SQLiteStore) -> None:
    row, _, _ = complaints.file(complaint_form(), store, CALENDAR, NOV_25)
    found = load(store, row, NOV_25)
    assert complaints.visible_to(found, person(store, STAFF_A), verifier=False)
    assert not complaints.visible_to(found, person(store, STAFF_B), verifier=False)
    assert not complaints.visible_to(found, person(store, HEAD_B), verifier=True)
    assert complaints.contact_for(store, found, person(store, STAFF_A)) is not None
    assert complaints.contact_for(store, found, person(store, STAFF_B)) is None
    with pytest.raises(Forbidden):
        complaints.act(
            {"id_kiriman": "aksiLain0001", "jenis": "Selesai"}, found, person(store, STAFF_B), store, False, NOV_25
        )
    assert store.count("AduanPeristiwa") == 1


@pytest.mark.usefixtures("town")
def test_a_complaint_without_unit_waits_for_the_verifiers(store: SQLiteStore) -> None:
    row, _, _ = complaints.file(complaint_form(unit=""), store, CALENDAR, NOV_25)
    found = load(store, row, NOV_25)
    assert complaints.is_verifier(store, HEAD_A) and complaints.is_verifier(store, HEAD_B)
    assert not complaints.is_verifier(store, STAFF_A)
    assert complaints.visible_to(found, person(store, HEAD_B), verifier=True)
    assert not complaints.visible_to(found, person(store, STAFF_A), verifier=False)
    # A verifier does not see the contact before the complaint has a unit.
    assert complaints.contact_for(store, found, person(store, HEAD_B)) is None


@pytest.mark.usefixtures("town")
def test_public_events_show_no_staff_and_no_dispatch_note(store: SQLiteStore) -> None:
    row, _, _ = complaints.file(complaint_form(unit=""), store, CALENDAR, NOV_25)
    later = NOV_25 + timedelta(hours=1)
    note = "Internal: mohon dicek oleh Lestari, warga ini sering melapor."
    store.append(
        "AduanPeristiwa",
        [
            event(
                "disposisiUji01",
                row["id"],
                "Didisposisikan",
                later,
                oleh_nip=HEAD_A,
                unit_tujuan=DPU,
                nip_tujuan=STAFF_B,
                catatan=note,
            )
        ],
    )
    found = load(store, row, later)
    shown = complaints.public_events(found, complaints.unit_names(store))
    assert [e["teks"] for e in shown] == ["Pengaduan diterima.", "Diteruskan ke Dinas Pekerjaan Umum."]
    text = repr(shown)
    assert note not in text and STAFF_B not in text and HEAD_A not in text
    assert (found.unit, found.assignee) == (DPU, STAFF_B)


# -- purge -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("town")
def test_purge_deletes_contacts_older_than_the_retention_and_keeps_newer_ones(store: SQLiteStore) -> None:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    old, _, _ = complaints.file(complaint_form("kontakLama01"), store, CALENDAR, now - timedelta(days=366))
    edge, _, _ = complaints.file(complaint_form("kontakTepi01"), store, CALENDAR, now - timedelta(days=364))
    new, _, _ = complaints.file(complaint_form("kontakBaru01"), store, CALENDAR, now - timedelta(days=2))
    assert complaints.purge_contacts(store, 365, now) == 1
    assert {r["id"] for r in store.records("AduanKontak")} == {edge["id"], new["id"]}
    assert store.count("Aduan") == 3  # the complaints themselves stay
    assert complaints.purge_contacts(store, 365, now) == 0
    assert complaints.purge_contacts(store, 30, now) == 1
    assert [r["id"] for r in store.records("AduanKontak")] == [new["id"]]
    assert old["id"] not in {r["id"] for r in store.records("AduanKontak")}


@pytest.mark.usefixtures("town")
def test_purge_command_prints_how_many_contacts_it_deleted(settings: Settings, store: SQLiteStore) -> None:
    now = datetime.now(WIB)
    complaints.file(complaint_form("kontakLama01"), store, CALENDAR, now - timedelta(days=400))
    complaints.file(complaint_form("kontakLama02"), store, CALENDAR, now - timedelta(days=370))
    complaints.file(complaint_form("kontakBaru01"), store, CALENDAR, now - timedelta(days=10))
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "functions", "purge"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "2 kontak pelapor yang lebih lama dari 365 hari dihapus." in done.stdout
    assert [r["id"] for r in store.records("AduanKontak")] == ["kontakBaru01"]
    again = subprocess.run(
        [sys.executable, "-m", "functions", "purge"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0 and again.stdout.startswith("0 kontak pelapor")
