"""The demo city's Suara Warga: published and answered suggestions on its services, one waiting, one declined, and
the summary the transparency page shows, counted by hand from ``functions.demo.forum.ENTRIES``."""

from __future__ import annotations

from datetime import date

import pytest

from functions.citizens import forum
from functions.demo.seed import seed_demo
from functions.rules.workdays import Calendar
from functions.store.sqlite import SQLiteStore


@pytest.mark.parametrize("today", [date(2026, 12, 4), date(2026, 3, 31)])  # an ordinary month; Idul Fitri's
def test_the_demo_forum_has_published_answered_waiting_and_declined_suggestions(tmp_path, today: date) -> None:
    store = SQLiteStore(tmp_path / "k.sqlite3")
    seed_demo(store, today)
    found = forum.load(store)
    services = {s["id"] for s in store.records("Layanan")}
    assert {s.row["id_layanan"] for s in found} <= services
    states = sorted(s.state for s in found)
    assert states == ["Dijawab", "Diterima", "Ditindaklanjuti", "Ditindaklanjuti", "Ditolak", "Menunggu"]
    assert all(s.row["tanggal"] < today for s in found)
    # By hand from ENTRIES (consecutive working days): the KTP-el suggestion answered 3 working days after it came
    # in, the KK question 2, the Pandanaran suggestion 1 -> median 2; four public, two followed up.
    if today == date(2026, 12, 4):
        assert forum.summary(store, date(2026, 11, 1), today) == forum.Summary(4, 3, 2, 2.0)
        answered = {s.row["id_layanan"]: forum.days_taken(s, Calendar(), today) for s in found if s.answered_on}
        assert answered == {"DISDUKCAPIL-KTP": 3, "DISDUKCAPIL-KK": 2, "PKM-PANDANARAN-UMUM": 1}
    store.close()
