"""Trend charts: the team chart reused over a whole mail run draws what a fresh one draws."""

from __future__ import annotations

from functions.scoring.charts import TeamChart

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
