"""Trend charts as PNG (matplotlib, headless): for the supervisor's view and the weekly emails."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence


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
