"""SkorUnit: one row per unit and period, from the employees' scores and the unit's own data.

The unit's IKM comes from ``functions.citizens.ikm`` (with the Krejcie-Morgan sample of the services'
population for the period), complaint handling from the complaint table, and the predikat
distribution is checked against SE MenPANRB 3/2023 with ``functions.rules.predikat``.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd

from functions.citizens import ikm
from functions.periods import Period
from functions.rules import predikat
from functions.scoring.inputs import Inputs, complaint_table

COUNT_COLUMNS = {
    "Sangat Baik": "sangat_baik",
    "Baik": "baik",
    "Butuh Perbaikan": "butuh_perbaikan",
    "Kurang/Misconduct": "kurang",
    "Sangat Kurang": "sangat_kurang",
}


def summarise(scores: pd.DataFrame, data: Inputs, period: Period, as_of: date) -> pd.DataFrame:
    end = min(period.end, as_of)
    codes = sorted(set(scores["unit"].dropna())) if len(scores) else []
    out = pd.DataFrame({"unit": codes})
    if out.empty:
        return out
    grouped = scores.groupby("unit")
    out["pegawai"] = out["unit"].map(grouped.size()).fillna(0).astype(int)
    for column, source in (
        ("rata_total", "total"),
        ("rata_hasil_kerja", "hasil_kerja"),
        ("rata_kedisiplinan", "kedisiplinan"),
    ):
        out[column] = out["unit"].map(grouped[source].mean()) if source in scores else None
    out = out.merge(_ikm(data, period, end), on="unit", how="left")
    out = out.merge(_complaints(data, period, end), on="unit", how="left")
    for label, column in COUNT_COLUMNS.items():
        counts = scores[scores["predikat"] == label].groupby("unit").size() if "predikat" in scores else pd.Series()
        out[column] = out["unit"].map(counts).fillna(0).astype(int)
    org = dict(zip(data.unit["kode"], data.unit["predikat_organisasi"], strict=True)) if len(data.unit) else {}
    out["predikat_organisasi"] = out["unit"].map(lambda u: org.get(u) or "Baik")
    checks = [
        _distribution(row["predikat_organisasi"], {label: row[col] for label, col in COUNT_COLUMNS.items()})
        for _, row in out.iterrows()
    ]
    out["distribusi_sesuai"] = [c[0] for c in checks]
    out["catatan_distribusi"] = [c[1] for c in checks]
    out["id"] = period.label + ":" + out["unit"].astype(str)
    out["periode"] = period.label
    out["jenis_periode"] = period.kind
    return out


def _distribution(org: str, counts: dict[str, int]) -> tuple[bool | None, str | None]:
    if sum(counts.values()) == 0:
        return None, None
    broken = predikat.check_distribution(org, counts)
    return (not broken), (" ".join(broken) or None)


def _ikm(data: Inputs, period: Period, end: date) -> pd.DataFrame:
    columns = ["unit", "ikm_konversi", "mutu_ikm", "responden_skm", "sampel_cukup"]
    survei = data.survei
    if survei.empty:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(survei["tanggal"]).dt.date
    survei = survei[(days >= period.start) & (days <= end)]
    if survei.empty:
        return pd.DataFrame(columns=columns)
    population: dict[str, int] = {}
    for _, s in data.layanan.iterrows():
        if s.get("populasi") and s.get("aktif") is not False:
            population[s["unit"]] = population.get(s["unit"], 0) + round(s["populasi"] * period.share_of_year)
    result = ikm.compute(survei, by=("unit",), population=population)
    return pd.DataFrame(
        {
            "unit": result["unit"],
            "ikm_konversi": result["ikm_konversi"],
            "mutu_ikm": result["mutu"],
            "responden_skm": result["responden"],
            "sampel_cukup": result["sampel_cukup"],
        }
    )


def _complaints(data: Inputs, period: Period, end: date) -> pd.DataFrame:
    cutoff = datetime.combine(end, time(23, 59, 59), tzinfo=data.calendar.tz)
    table = complaint_table(data.complaints, period, cutoff)
    if table.empty:
        return pd.DataFrame(columns=["unit", "aduan_jumlah", "aduan_tepat_waktu"])
    grouped = table.groupby("unit")
    return pd.DataFrame(
        {
            "aduan_jumlah": grouped.size(),
            "aduan_tepat_waktu": grouped["tepat_waktu"].sum().astype(int),
        }
    ).reset_index()
