from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

import pytest

from functions import schema
from functions.citizens import ikm
from functions.demo.seed import DemoSummary, seed_demo
from functions.rules.workdays import holiday_name, is_workday
from functions.store.sqlite import SQLiteStore

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A store seeded once with the demo city on TODAY, shared by the read-only tests."""
    store = SQLiteStore(tmp_path_factory.mktemp("demo") / "k.sqlite3")
    summary = seed_demo(store, TODAY)
    yield store, summary
    store.close()


def _seeded(path, today):
    store = SQLiteStore(path)
    return store, seed_demo(store, today)


def test_seed_demo_builds_about_sixty_employees(city):
    store, summary = city
    assert summary.seeded
    assert 55 <= summary.employees <= 70
    assert store.count("Pegawai") == summary.employees
    assert store.count("LaporanHarian") == summary.reports > 1000
    assert {r["kunci"] for r in store.records("Konfigurasi")} >= {"laporan_batas_hari", "laporan_maks_kegiatan"}


def test_every_employee_but_the_top_heads_has_an_existing_atasan(city):
    store, _ = city
    people = {p["nip"]: p for p in store.records("Pegawai")}
    units = {u["kode"]: u for u in store.records("Unit")}
    top_heads = {u["nip_kepala"] for u in units.values() if u["induk"] is None}
    assert len(top_heads) == 4
    for person in people.values():
        assert person["aktif"] is True and person["versi_tautan"] == 1
        assert person["unit"] in units
        assert person["email"].endswith("@semarangkota.go.id")
        if person["nip"] in top_heads:
            assert person["nip_atasan"] is None
        else:
            assert person["nip_atasan"] in people
    for unit in units.values():
        head = people[unit["nip_kepala"]]
        assert head["unit"] == unit["kode"]
        if unit["induk"]:
            assert head["nip_atasan"] == units[unit["induk"]]["nip_kepala"]


def test_nips_are_unique_and_well_formed(city):
    store, _ = city
    nips = [p["nip"] for p in store.records("Pegawai")]
    assert len(set(nips)) == len(nips)
    for nip in nips:
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
        tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
        assert born.year + 18 <= tmt_year <= TODAY.year and 1 <= tmt_month <= 12
        assert nip[14] in "12"
    emails = [p["email"] for p in store.records("Pegawai")]
    assert len(set(emails)) == len(emails)


def test_staff_examples_have_targets_whose_bobot_sum_to_100(city):
    store, summary = city
    assert len(summary.staff_examples) == 3
    assert len({p["unit"] for p in summary.staff_examples}) == 3
    for person in store.records("Pegawai"):
        targets = [t for t in store.records("Target", where={"nip": person["nip"]}) if t["tahun"] == TODAY.year]
        assert 3 <= len(targets) <= 4
        assert sum(t["bobot"] for t in targets) == 100
        assert all(t["id"] == f"{person['nip']}-{TODAY.year}-{n}" for n, t in enumerate(targets, start=1))
        assert all(t["target"] > 0 for t in targets)


def test_supervisor_examples_supervise_the_first_staff_examples(city):
    store, summary = city
    assert [s["nip"] for s in summary.supervisor_examples] == [p["nip_atasan"] for p in summary.staff_examples[:2]]
    for supervisor in summary.supervisor_examples:
        assert store.records("Pegawai", where={"nip_atasan": supervisor["nip"]})


@pytest.mark.parametrize("today", [TODAY, date(2026, 3, 31), date(2027, 1, 12)])
def test_reports_are_valid_and_fall_on_past_workdays(tmp_path, today):
    store, summary = _seeded(tmp_path / "k.sqlite3", today)
    sheet = schema.sheet("LaporanHarian")
    people = {p["nip"]: p for p in store.records("Pegawai")}
    targets = {t["id"]: t for t in store.records("Target")}
    rows = store.records("LaporanHarian")
    assert len(rows) == summary.reports
    for row in rows:
        assert sheet.validate(row)[1] == {}
        day = row["tanggal"]
        assert today - timedelta(days=28) <= day < today
        assert is_workday(day) and holiday_name(day) is None
        received = row["diterima_pada"]
        assert received.utcoffset() == timedelta(hours=7)
        assert received.date() == day and time(14, 30) <= received.time() <= time(17, 0)
        assert 30 <= row["durasi_menit"] <= 240
        person, target = people[row["nip"]], targets[row["id_target"]]
        assert (row["nama"], row["unit"]) == (person["nama"], person["unit"])
        assert (target["nip"], target["tahun"]) == (row["nip"], day.year)
        assert (row["indikator"], row["satuan"]) == (target["indikator"], target["satuan"])
        assert row["id"].startswith(row["id_kiriman"] + "-") and len(row["id_kiriman"]) == 32
        if row["verifikasi"] == "Menunggu":
            assert row["diverifikasi_oleh"] is None and row["diverifikasi_pada"] is None
        else:
            assert row["diverifikasi_oleh"] == person["nip_atasan"]
            assert received < row["diverifikasi_pada"] < datetime.combine(today, time(0), received.tzinfo)
            assert bool(row["catatan_verifikasi"]) == (row["verifikasi"] == "Dikembalikan")


def test_reports_skip_the_idul_fitri_cuti_bersama(tmp_path):
    store, _ = _seeded(tmp_path / "k.sqlite3", date(2026, 3, 31))
    days = {r["tanggal"] for r in store.records("LaporanHarian")}
    assert not days & {date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)}
    assert date(2026, 3, 25) in days


def test_reports_show_verification_mostly_done_except_last_week(city):
    store, _ = city
    week_ago = TODAY - timedelta(days=7)
    old = Counter(r["verifikasi"] for r in store.records("LaporanHarian", end=week_ago - timedelta(days=1)))
    recent = Counter(r["verifikasi"] for r in store.records("LaporanHarian", start=week_ago))
    assert old["Disetujui"] > 0.7 * old.total() and old["Dikembalikan"] > 0
    assert recent["Menunggu"] > 0.5 * recent.total()


def test_reports_include_irregular_and_stopped_reporters_and_recurring_kendala(city):
    store, _ = city
    days_by_nip = defaultdict(set)
    kendala_by_nip = defaultdict(Counter)
    for row in store.records("LaporanHarian"):
        days_by_nip[row["nip"]].add(row["tanggal"])
        if row["kendala"]:
            kendala_by_nip[row["nip"]][row["kendala"]] += 1
    stopped = [nip for nip, days in days_by_nip.items() if max(days) < TODAY - timedelta(days=7)]
    assert len(stopped) == 1
    counts = sorted(len(days) for days in days_by_nip.values())
    assert counts[0] < 0.75 * counts[-1]
    assert any(c.most_common(1)[0][1] >= 3 for c in kendala_by_nip.values())
    assert any(r["bukti_dukung"] for r in store.records("LaporanHarian"))


def test_seed_demo_is_idempotent(tmp_path):
    store, first = _seeded(tmp_path / "k.sqlite3", TODAY)
    before = {name: store.records(name) for name in schema.load_all()}
    second = seed_demo(store, TODAY + timedelta(days=1))
    assert second == DemoSummary(
        False, first.employees, first.reports, first.staff_examples, first.supervisor_examples, first.surveys
    )
    assert {name: store.records(name) for name in schema.load_all()} == before


def test_seed_demo_leaves_another_city_alone(tmp_path):
    store = SQLiteStore(tmp_path / "k.sqlite3")
    store.upsert("Pegawai", [{"nip": "198001012005011001", "nama": "Budi", "jabatan": "Staf", "unit": "X"}])
    summary = seed_demo(store, TODAY)
    assert summary == DemoSummary(False, 1, 0, [], [], 0)
    assert store.count("Target") == store.count("Unit") == store.count("Layanan") == store.count("Survei") == 0


def test_seed_demo_is_deterministic(tmp_path):
    one, _ = _seeded(tmp_path / "one.sqlite3", TODAY)
    two, _ = _seeded(tmp_path / "two.sqlite3", TODAY)
    for name in schema.load_all():
        assert one.records(name) == two.records(name), name


def test_every_unit_offers_two_to_four_services_with_a_population(city):
    store, _ = city
    units = {u["kode"] for u in store.records("Unit")}
    services = store.records("Layanan")
    by_unit = defaultdict(list)
    for service in services:
        assert schema.sheet("Layanan").validate(service)[1] == {}
        assert service["aktif"] is True and service["populasi"] > 0
        assert service["id"].startswith(service["unit"] + "-")
        by_unit[service["unit"]].append(service["nama"])
    assert set(by_unit) == units
    assert all(2 <= len(names) <= 4 for names in by_unit.values())
    assert {"Perekaman KTP-el", "Kartu Keluarga", "Akta Kelahiran"} <= set(by_unit["DISDUKCAPIL"])
    assert {"Pemeriksaan Umum", "Imunisasi", "Pemeriksaan Ibu Hamil"} <= set(by_unit["PKM-PANDANARAN"])
    assert {"Surat Pengantar", "Legalisir"} <= set(by_unit["KEL-PEKUNDEN"])
    assert "Layanan Kenaikan Pangkat" in by_unit["BKPP"]


@pytest.mark.parametrize("today", [TODAY, date(2026, 3, 31), date(2027, 1, 12)])
def test_survey_responses_are_valid_and_fall_on_past_workdays(tmp_path, today):
    store, summary = _seeded(tmp_path / "k.sqlite3", today)
    sheet = schema.sheet("Survei")
    services = {s["id"]: s for s in store.records("Layanan")}
    people = {p["nip"]: p for p in store.records("Pegawai")}
    rows = store.records("Survei")
    assert len(rows) == summary.surveys and 200 <= len(rows) <= 500
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert sheet.validate(row)[1] == {}
        day = row["tanggal"]
        assert today - timedelta(days=28) <= day < today
        assert is_workday(day)
        received = row["diterima_pada"]
        assert received.utcoffset() == timedelta(hours=7)
        assert received.date() == day and time(8) <= received.time() < time(15)
        assert row["unit"] == services[row["id_layanan"]]["unit"]
        answers = [row[k] for k in ikm.KEYS]
        assert any(a is not None for a in answers)
        assert all(a in (1, 2, 3, 4) for a in answers if a is not None)
        if row["nip_pegawai"]:
            assert people[row["nip_pegawai"]]["unit"] == row["unit"]
    assert [r["diterima_pada"] for r in rows] == sorted(r["diterima_pada"] for r in rows)


def test_survey_responses_look_like_a_real_city(city):
    store, _ = city
    rows = store.records("Survei")
    answers = Counter(r[k] for r in rows for k in ikm.KEYS)
    assert answers.most_common(1)[0][0] == 3 and answers[3] > 0.4 * answers.total()
    assert answers[1] > 0 and answers[None] > 0
    with_staff = sum(1 for r in rows if r["nip_pegawai"]) / len(rows)
    assert 0.12 <= with_staff <= 0.28
    skipped = sum(1 for r in rows if any(r[k] is None for k in ikm.KEYS)) / len(rows)
    assert 0.04 <= skipped <= 0.2
    saran = [r["saran"] for r in rows if r["saran"]]
    assert 0.1 * len(rows) <= len(saran) <= 0.5 * len(rows)
    assert any("Antrean" in text for text in saran)
    profile = Counter(r["jenis_kelamin"] for r in rows if r["id_layanan"].endswith("-KIA"))
    assert profile["Perempuan"] > profile["Laki-laki"]
    assert {r["id_layanan"] for r in rows} == {s["id"] for s in store.records("Layanan")}


def test_the_slow_service_lands_in_grade_c_and_the_units_in_b_or_better(city):
    store, _ = city
    rows = store.records("Survei")
    slow = ikm.compute_one(r for r in rows if r["id_layanan"] == "DISDUKCAPIL-KTP")
    assert slow.responden >= 20
    assert (slow.mutu, slow.kinerja) == ("C", "Kurang Baik")
    assert slow.ikm_konversi is not None and 65 <= slow.ikm_konversi < 76.61
    nrr = {key: value for key, value in slow.nrr.items() if value is not None}
    assert min(nrr, key=nrr.__getitem__) == "u3"  # Waktu Penyelesaian is what drags it down
    by_service = ikm.compute(store.frame("Survei"), by=("id_layanan",))
    assert list(by_service.loc[by_service["mutu"] == "C", "id_layanan"]) == ["DISDUKCAPIL-KTP"]
    assert set(by_service["mutu"]) <= {"A", "B", "C"}
    by_unit = ikm.compute(store.frame("Survei"), by=("unit",))
    assert set(by_unit["mutu"]) <= {"A", "B"}


def test_complaints_have_events_deadlines_and_a_mix_of_states(city):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from functions.citizens import complaints
    from functions.rules.workdays import Calendar

    store, _ = city
    now = datetime.combine(TODAY, time(9, 0), tzinfo=ZoneInfo("Asia/Jakarta"))
    items = complaints.all_complaints(store, Calendar(), now)
    assert len(items) >= 10
    assert {c.state for c in items} >= {"Didisposisikan", "Ditindaklanjuti"}
    assert any(c.deadline.tindak_lanjut.met is False for c in items), "some follow-ups are late"
    assert any(c.deadline.tindak_lanjut.met is True for c in items)
    assert all(c.row["diterima_pada"].date() < TODAY for c in items)
    anonymous = [c.id for c in items if c.row["privasi"] == "Anonim"]
    assert not {r["id"] for r in store.records("AduanKontak")} & set(anonymous)


def test_the_demo_programme_starts_on_its_first_report_day_and_is_scored_from_there(tmp_path):
    from functions.rules import config
    from functions.rules.workdays import WIB, Calendar
    from functions.scoring import job

    store, _ = _seeded(tmp_path / "k.sqlite3", TODAY)
    first = min(r["tanggal"] for r in store.records("LaporanHarian"))
    assert config.get(store, "tanggal_mulai_program") == first
    job.run_recent(store, datetime.combine(TODAY, time(7, 0), tzinfo=WIB), 6)  # more weeks than the demo has
    calendar = Calendar.from_store(store)
    rows = store.records("Skor")
    assert rows
    for row in rows:
        assert row["selesai"] >= first, row["id"]  # no period that ended before the first report day
        days = calendar.workdays_between(max(row["mulai"], first), row["selesai"])
        assert row["hari_kerja"] is None or row["hari_kerja"] <= len(days), row["id"]
