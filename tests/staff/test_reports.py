"""Daily reports in the domain: the 24-hour day over every submission of a person."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.errors import ValidationError
from functions.runtime import Runtime
from functions.staff import reports
from functions.staff.reports import Draft
from tests.conftest import STAFF_A, STAFF_B, now_in_city


def draft(runtime: Runtime, sid: str, minutes: list[tuple[int, int]], nip: str = STAFF_A) -> Draft:
    """A submission of activities (days back from today, minutes)."""
    year = runtime.today().year
    blocks = [
        {
            "tanggal": (runtime.today() - timedelta(days=back)).isoformat(),
            "kegiatan": "Mengetik surat",
            "id_target": f"{nip}-{year}-1",
            "kuantitas": "1",
            "durasi_menit": str(m),
            "bukti_dukung": "",
            "kendala": "",
        }
        for back, m in minutes
    ]
    return Draft(submission_id=sid, blocks=blocks)


def person(runtime: Runtime, nip: str) -> dict[str, Any]:
    return runtime.store.records("Pegawai", where={"nip": nip})[0]


def test_another_persons_day_does_not_count(runtime: Runtime, city: dict[str, Any]) -> None:
    reports.submit(draft(runtime, "orangLain0000001", [(0, 1440)], STAFF_B), person(runtime, STAFF_B), runtime.store,
                   now_in_city(runtime.settings))  # fmt: skip
    reports.submit(draft(runtime, "orangIni00000001", [(0, 1440)]), person(runtime, STAFF_A), runtime.store,
                   now_in_city(runtime.settings))  # fmt: skip
    assert runtime.store.count("LaporanHarian") == 2


def test_the_message_names_the_block_and_the_minutes_left(runtime: Runtime, city: dict[str, Any]) -> None:
    employee, now = person(runtime, STAFF_A), now_in_city(runtime.settings)
    reports.submit(draft(runtime, "pertama000000001", [(0, 1400)]), employee, runtime.store, now)
    with pytest.raises(ValidationError) as refused:
        reports.submit(draft(runtime, "kedua00000000001", [(1, 30), (0, 30), (0, 41)]), employee, runtime.store, now)
    assert list(refused.value.fields) == ["durasi_menit-2"]  # yesterday's 30 minutes are another day
    assert refused.value.fields["durasi_menit-2"].startswith("Durasi: jumlah kegiatan tanggal ")
    assert refused.value.fields["durasi_menit-2"].endswith("Sudah terisi 1430 menit, sisa waktu hari itu 10 menit.")


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    submissions=st.lists(
        st.lists(st.tuples(st.integers(0, 2), st.integers(1, 1440)), min_size=1, max_size=4), min_size=1, max_size=6
    ),
    resend=st.booleans(),
)
def test_no_day_ever_holds_more_than_24_hours(
    runtime: Runtime, city: dict[str, Any], submissions: list[list[tuple[int, int]]], resend: bool
) -> None:
    store, employee, now = runtime.store, person(runtime, STAFF_A), now_in_city(runtime.settings)
    store.delete("LaporanHarian", [r["id"] for r in store.records("LaporanHarian")])
    for n, minutes in enumerate(submissions):
        sid = f"kiriman{n:09d}"
        try:
            reports.submit(draft(runtime, sid, minutes), employee, store, now)
        except ValidationError as err:
            assert all(key.startswith("durasi_menit-") for key in err.fields)
            continue
        if resend:  # an idempotent retry of what was just stored is accepted and adds nothing
            assert reports.submit(draft(runtime, sid, minutes), employee, store, now).duplicate
    per_day: dict[Any, int] = {}
    for row in store.records("LaporanHarian"):
        per_day[row["tanggal"]] = per_day.get(row["tanggal"], 0) + row["durasi_menit"]
    assert all(total <= reports.DAY_MINUTES for total in per_day.values())
