"""Trend charts as PNG (matplotlib, headless): for the supervisor's view and the weekly emails."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from functions import periods
from functions.rendering import MONTHS, format_number

TEAM_CHART_TITLE = "Skor total anggota tim per minggu"
Series = Mapping[str, Sequence[tuple[str, float | None]]]


@dataclass(frozen=True)
class TrendTable:
    """The numbers of a trend chart, for the data table beside it and its alt text (people who cannot see the
    chart read the same values): one row per line of the chart, one column per period."""

    periods: list[str]  # the periods' names as people read them ("23–29 Nov"), oldest first
    rows: list[tuple[str, list[str]]]  # a line's name and its value per period ("72,5", "–" where none)

    def alt(self, what: str) -> str:
        """A chart's alt text: what it shows, over which weeks, and where each line goes.

        'Grafik garis skor rata-rata unit per minggu, 8 minggu dari 5–11 Okt sampai 23–29 Nov: Rata-rata unit dari
        71,2 ke 74. Angkanya ada di bawah grafik.'"""
        span = f"{len(self.periods)} minggu dari {self.periods[0]} sampai {self.periods[-1]}" if self.periods else ""
        ends = [(name, [v for v in values if v != "–"]) for name, values in self.rows]
        moves = [
            f"{name} dari {shown[0]} ke {shown[-1]}" if len(shown) > 1 else f"{name} {shown[0]}"
            for name, shown in ends
            if shown
        ]
        lines = "; ".join(moves) if len(self.rows) <= 3 else f"{len(self.rows)} garis, satu per pegawai"
        return f"Grafik garis {what}, {span}: {lines}. Angkanya ada di bawah grafik."


def week_name(label: str) -> str:
    """A week label as people read it on a chart's axis and in its table: '2026-W48' -> '23–29 Nov', '2026-W49' ->
    '30 Nov–6 Des'; any other period's label as it is."""
    week = periods.parse(label)
    if week.kind != "Minggu":
        return label
    start, end = week.start, week.end
    month_end = MONTHS[end.month - 1][:3]
    if start.month == end.month:
        return f"{start.day}–{end.day} {month_end}"
    return f"{start.day} {MONTHS[start.month - 1][:3]}–{end.day} {month_end}"


def trend_table(series: Series) -> TrendTable:
    """The values that :func:`trend_png` draws for the same ``series`` of weekly labels, one decimal each."""
    labels = sorted({label for points in series.values() for label, _ in points})
    rows = []
    for name, points in series.items():
        values = dict(points)
        shown = [format_number(round(float(v), 1)) if (v := values.get(label)) is not None else "–" for label in labels]
        rows.append((name, shown))
    return TrendTable([week_name(label) for label in labels], rows)


def trend_png(
    series: Mapping[str, Sequence[tuple[str, float | None]]],
    title: str,
    width: float = 6.4,
    height: float = 3.2,
) -> bytes:
    """A line chart of scores (0-100) per period; one line per name, gaps where a value is missing."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = sorted({label for points in series.values() for label, _ in points})
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    try:
        for name, points in series.items():
            values = dict(points)
            ys = [values.get(label) for label in labels]
            ax.plot(labels, [float("nan") if y is None else y for y in ys], marker="o", linewidth=1.8, label=name)
        ax.set_xticks(range(len(labels)), [week_name(label) for label in labels])
        ax.set_ylim(0, 100)
        ax.set_ylabel("Skor total")
        ax.set_title(title, fontsize=11)
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        if 1 < len(series) <= 12:
            ax.legend(fontsize=7, loc="lower left", ncols=2, frameon=False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)


class TeamChart:
    """The supervisor digests' trend chart, as :func:`trend_png` draws it, on one Figure for a whole run.

    A new figure with its tight layout costs about 0.2 s, most of a digest, and a run draws one per
    supervisor. Here the margins are fixed, and the axes, title and week names are drawn once per
    set of weeks and kept as a background: each chart draws only its lines and legend.
    """

    def __init__(self, title: str = TEAM_CHART_TITLE, width: float = 6.4, height: float = 3.2) -> None:
        self.title, self.size = title, (width, height)
        self._axes: Any = None
        # week labels -> the chart drawn without lines, and its x limits
        self._backgrounds: dict[tuple[str, ...], tuple[Any, tuple[float, float]]] = {}

    def png(self, series: Mapping[str, Sequence[tuple[str, float | None]]]) -> bytes:
        """A line chart of scores (0-100) per period; one line per name, gaps where a value is missing."""
        from matplotlib.image import imsave

        ax = self._axes or self._start()
        labels = tuple(sorted({label for points in series.values() for label, _ in points}))
        canvas = ax.figure.canvas
        background, xlim = self._backgrounds.get(labels) or self._background(labels)
        canvas.restore_region(background)
        ax.set_xlim(xlim)
        ax.set_prop_cycle(None)  # the same colours, in the same order, as on a new figure
        artists = []
        for name, points in series.items():
            values = dict(points)
            ys = [float("nan") if values.get(label) is None else values[label] for label in labels]
            artists += ax.plot(range(len(labels)), ys, marker="o", linewidth=1.8, label=name)
        if 1 < len(series) <= 12:
            artists.append(ax.legend(fontsize=7, loc="lower left", ncols=2, frameon=False))
        try:
            for artist in artists:
                ax.draw_artist(artist)
            out = io.BytesIO()
            no_software: dict[str, Any] = {"Software": None}  # None leaves the key out (the stubs want str)
            imsave(out, canvas.buffer_rgba(), format="png", origin="upper", dpi=100, metadata=no_software)
            return out.getvalue()
        finally:
            for artist in artists:
                artist.remove()

    def _background(self, labels: tuple[str, ...]) -> tuple[Any, tuple[float, float]]:
        ax = self._axes
        if len(self._backgrounds) >= 8:
            self._backgrounds.clear()
        ax.set_xticks(range(len(labels)), [week_name(label) for label in labels])
        (probe,) = ax.plot(range(len(labels)), [50.0] * len(labels), visible=False)
        ax.relim(visible_only=False)
        ax.autoscale(axis="x")
        xlim = ax.set_xlim(ax.get_xlim())  # fixed, so that the lines drawn later do not move it
        probe.remove()
        ax.figure.canvas.draw()
        self._backgrounds[labels] = (ax.figure.canvas.copy_from_bbox(ax.figure.bbox), xlim)
        return self._backgrounds[labels]

    def _start(self) -> Any:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure  # not pyplot: no global registry of figures to close

        figure = Figure(figsize=self.size, dpi=100)
        # Fixed margins, room for the longest week name ("30 Nov–6 Des") slanted: every chart of a run has the same
        # frame whatever weeks it shows, so a reused background draws what a new figure would.
        figure.subplots_adjust(left=0.1, right=0.94, top=0.9, bottom=0.24)
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        ax.set_ylim(0, 100)
        ax.set_ylabel("Skor total")
        ax.set_title(self.title, fontsize=11)
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        self._axes = ax
        return ax
