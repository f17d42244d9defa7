"""Trend charts: the team chart reused over a whole mail run draws what a fresh one draws; each chart's numbers as a
table and an alt text, weeks named as people read them."""

from __future__ import annotations

import pytest

from functions.scoring.charts import TeamChart, trend_table, week_name

PNG = b"\x89PNG\r\n\x1a\n"


def test_a_team_chart_is_the_same_whatever_was_drawn_before_it() -> None:
    Series = dict[str, list[tuple[str, float | None]]]
    eight: Series = {f"Anggota {n}": [(f"2026-W{w}", 60.0 + n + w / 4) for w in range(41, 49)] for n in range(9)}
    two: Series = {"Baru": [("2026-W47", 100.0), ("2026-W48", None)], "Lama": [("2026-W46", 10.0), ("2026-W48", 0.0)]}
    series = {"eight": eight, "two": two}
    fresh = {name: TeamChart().png(lines) for name, lines in series.items()}
    reused = TeamChart()
    drawn = [(name, reused.png(series[name])) for name in ["eight", "two", "eight", "two"]]
    assert all(png == fresh[name] for name, png in drawn)
    assert fresh["eight"] != fresh["two"] and fresh["eight"].startswith(PNG)


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("2026-W48", "23–29 Nov"),  # Monday 23 to Sunday 29 November 2026
        ("2026-W49", "30 Nov–6 Des"),
        ("2026-W53", "28 Des–3 Jan"),  # 1 January 2026 is a Thursday: the year has 53 weeks
        ("2026-11", "2026-11"),  # not a week: as it is
    ],
)
def test_weeks_are_named_by_their_days(label: str, name: str) -> None:
    assert week_name(label) == name


def test_a_trend_table_holds_what_the_chart_draws_and_says_it_in_the_alt_text() -> None:
    table = trend_table({"Ani": [("2026-W48", 72.44), ("2026-W49", None)], "Budi": [("2026-W47", 80.0)]})
    assert table.periods == ["16–22 Nov", "23–29 Nov", "30 Nov–6 Des"]
    assert table.rows == [("Ani", ["–", "72,4", "–"]), ("Budi", ["80", "–", "–"])]
    assert table.alt("skor uji") == (
        "Grafik garis skor uji, 3 minggu dari 16–22 Nov sampai 30 Nov–6 Des: Ani 72,4; Budi 80. "
        "Angkanya ada di bawah grafik."
    )
    many = trend_table({name: [("2026-W48", 50.0), ("2026-W49", 60.0)] for name in ("A", "B", "C", "D")})
    assert many.alt("skor tim") == (
        "Grafik garis skor tim, 2 minggu dari 23–29 Nov sampai 30 Nov–6 Des: 4 garis, satu per pegawai. "
        "Angkanya ada di bawah grafik."
    )
