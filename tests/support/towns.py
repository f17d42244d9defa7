"""Small cities that tests of several folders share, seeded by the ``town`` and ``services`` fixtures of
``tests/conftest.py``; their names and NIPs are here so that the tests can refer to them."""

from __future__ import annotations

from typing import Any

from functions.store import Store
from tests.conftest import employee

# -- the complaint town: two units, each with a head (a verifier) and staff -----------------------------------------
DUKCAPIL, DPU = "DUKCAPIL", "DPU"
HEAD_A = "197503152000031001"  # head of DUKCAPIL
STAFF_A = "198806202012012002"
STAFF_A2 = "199001012015031003"
HEAD_B = "197208082001121004"  # head of DPU
STAFF_B = "199212122019032005"
UNIT_NAMES = {DUKCAPIL: "Dinas Kependudukan dan Pencatatan Sipil", DPU: "Dinas Pekerjaan Umum"}
STAFF_NAMES = {
    HEAD_A: "Ir. Bambang Wicaksono",
    STAFF_A: "Rina Maharani, S.Kom.",
    STAFF_A2: "Yoga Pratama",
    HEAD_B: "Drs. Suharto Mulyono",
    STAFF_B: "Lestari Handayani",
}


def seed_complaint_town(store: Store) -> dict[str, Any]:
    units = [
        {"kode": DUKCAPIL, "nama": UNIT_NAMES[DUKCAPIL], "jenis": "Dinas", "induk": None, "nip_kepala": HEAD_A},
        {"kode": DPU, "nama": UNIT_NAMES[DPU], "jenis": "Dinas", "induk": None, "nip_kepala": HEAD_B},
    ]
    people = [
        employee(HEAD_A, STAFF_NAMES[HEAD_A], DUKCAPIL, None, jabatan="Kepala Dinas"),
        employee(STAFF_A, STAFF_NAMES[STAFF_A], DUKCAPIL, HEAD_A),
        employee(STAFF_A2, STAFF_NAMES[STAFF_A2], DUKCAPIL, HEAD_A),
        employee(HEAD_B, STAFF_NAMES[HEAD_B], DPU, None, jabatan="Kepala Dinas"),
        employee(STAFF_B, STAFF_NAMES[STAFF_B], DPU, HEAD_B),
    ]
    store.upsert_many({"Unit": units, "Pegawai": people})
    return {"units": units, "people": {p["nip"]: p for p in people}}


# -- the survey's services: a puskesmas with two open services and a closed one, and a kelurahan ----------------
UNIT = "PKM-UJI"
SERVICE = "PKM-UJI-UMUM"
CLOSED = "PKM-UJI-GIGI"  # a service no longer open for the survey
NURSE = "199003032015032003"
DOCTOR = "198802022014031002"
RETIRED = "196501011990031001"  # staff of the unit, no longer active
ELSEWHERE = "199205052017011005"  # staff of another unit
URL = f"/submit_survey?layanan={SERVICE}"


def seed_survey_services(store: Store) -> dict[str, Any]:
    """A puskesmas with two open services and a closed one, three staff, and a kelurahan with one employee."""
    units = [
        {"kode": UNIT, "nama": "Puskesmas Uji Sehat", "jenis": "Puskesmas", "induk": None, "nip_kepala": DOCTOR},
        {"kode": "KEL-LAIN", "nama": "Kelurahan Lain", "jenis": "Kelurahan", "induk": None, "nip_kepala": None},
    ]
    layanan = [
        {"id": SERVICE, "unit": UNIT, "nama": "Pemeriksaan Umum", "populasi": 12000, "aktif": True},
        {"id": "PKM-UJI-IMUN", "unit": UNIT, "nama": "Imunisasi", "populasi": 900, "aktif": True},
        {"id": CLOSED, "unit": UNIT, "nama": "Pemeriksaan Gigi", "populasi": 300, "aktif": False},
    ]
    people = [
        employee(DOCTOR, "dr. Wahyu Nugroho", UNIT, None, jabatan="Kepala Puskesmas"),
        employee(NURSE, "Ratna Lestari, A.Md.Kep.", UNIT, DOCTOR, jabatan="Perawat Terampil"),
        employee(RETIRED, "Slamet Hartono", UNIT, DOCTOR, aktif=False),
        employee(ELSEWHERE, "Agus Prasetyo", "KEL-LAIN", None),
    ]
    store.upsert_many({"Unit": units, "Layanan": layanan, "Pegawai": people})
    return {"units": units, "layanan": layanan, "people": people}
