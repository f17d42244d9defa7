"""Saran pelatihan: one to three competence-development suggestions per employee and period.

Legal basis: PP 11/2017 as amended, Pasal 203 (every PNS is owed at least 20 JP a year) and
Pasal 206 (development plans follow the gap in competence *and performance*). Which weakness
leads to which training is a proposal (DOMAIN.md section 5), not a rule: ``NEEDS`` below maps
each weakness to kompetensi tags, and a tag to the first KatalogPelatihan row that carries it,
so the operator redirects a weakness by editing the sheet, not the code.

An employee gets suggestions when (thresholds are parameters; ``OPTIONS`` names their
Konfigurasi keys and defaults):

- a component of the score is below ``component_below`` (60), or the total is below
  ``total_below`` (70): then the lowest component stands for the weakness;
- the rating of perilaku kerja, or one BerAKHLAK value, is Di Bawah Ekspektasi;
- an SKM unsur of the employee's unit has NRR below ``nrr_below`` (2.6 = 65 / 25: the unsur
  alone would be mutu D, Tidak Baik). It applies to the whole unit, so the line is drawn low.
  u4 (Biaya/Tarif) and u9 (Sarana dan Prasarana) are not training matters and map to nothing;
- daily-report obstacles about applications, computers, networks or printers on at least
  ``kendala_min_days`` (2) days of the period; a known system named there (SIMPUS, SIAK,
  SRIKANDI, e-Kinerja) adds the bimtek on that system before Literasi Digital.

Order follows ``NEEDS``: coaching by the supervisor first whenever results are low, then
konseling for behaviour, then the component, value, obstacle and unsur needs. A catalogue
entry suggested for two weaknesses appears once with both reasons. At most ``limit`` (3).
``jp_tahun_ini`` sums the Pelatihan rows finished in the period's year up to its end;
``jp_kurang`` = max(0, ``jp_target`` (20) - jp_tahun_ini).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from functions import periods, schema
from functions.citizens import ikm
from functions.periods import Period
from functions.rules import predikat
from functions.scoring import training_catalogue
from functions.scoring.warnings import decimal_text, local_days, normalise_kendala, quote_kendala

if TYPE_CHECKING:
    from functions.scoring.inputs import Inputs

SHEET = "SaranPelatihan"
COMPONENTS = {
    "hasil_kerja": "hasil kerja",
    "responsivitas": "responsivitas pengaduan",
    "kepuasan": "kepuasan masyarakat",
    "kedisiplinan": "kedisiplinan laporan harian",
}
SYSTEM = "{sistem}"  # stands for the tag of the system named in the obstacles
# Weakness -> kompetensi tags, in the order suggested (a proposal, DOMAIN.md 5).
NEEDS: dict[str, tuple[str, ...]] = {
    "hasil_kerja": ("coaching",),
    "perilaku": ("konseling",),
    "responsivitas": ("pengaduan",),
    "kepuasan": ("pelayanan-prima",),
    "kedisiplinan": ("coaching", "manajemen-waktu"),
    "nilai:berorientasi_pelayanan": ("pelayanan-prima",),
    "nilai:akuntabel": ("integritas",),
    "nilai:harmonis": ("komunikasi",),
    "nilai:adaptif": ("inovasi",),
    "nilai:kolaboratif": ("kerja-sama",),
    "nilai:kompeten": ("berakhlak",),
    "nilai:loyal": ("berakhlak",),
    "aplikasi": (SYSTEM, "literasi-digital"),
    "unsur:u6": ("pelayanan-prima",),
    "unsur:u7": ("pelayanan-prima",),
    "unsur:u3": ("manajemen-waktu",),
    "unsur:u2": ("sop",),
    "unsur:u8": ("pengaduan",),
    "unsur:u1": ("standar-pelayanan",),
    "unsur:u5": ("standar-pelayanan",),
}
# Systems recognised in obstacle texts (normalised): tag -> (name shown, pattern).
SYSTEMS = {
    "simpus": ("SIMPUS", r"\bsimpus\b"),
    "siak": ("SIAK", r"\bsiak\b"),
    "srikandi": ("SRIKANDI", r"\bsrikandi\b"),
    "e-kinerja": ("e-Kinerja", r"\be ?kinerja\b"),
}
DIGITAL = (
    r"\b(?:aplikasi|apk|sistem|sistim|komputer|laptop|printer|scanner|internet|jaringan|wifi|wi fi|koneksi|"
    r"error|eror|server|login|website|simpus|siak|srikandi|e ?kinerja)\b"
)
NRR_BELOW = ikm.EDGES[1] / 25  # 2.6: an unsur at mutu D (Tidak Baik)
JP_TARGET = 20  # PP 11/2017 Pasal 203
# Konfigurasi key -> (parameter of ``suggestions``, default).
OPTIONS: dict[str, tuple[str, float]] = {
    "pelatihan_ambang_total": ("total_below", 70),
    "pelatihan_ambang_komponen": ("component_below", 60),
    "pelatihan_nrr_unsur": ("nrr_below", NRR_BELOW),
    "pelatihan_unsur_min_responden": ("min_responden", 10),
    "pelatihan_kendala_hari": ("kendala_min_days", 2),
    "pelatihan_jp_tahunan": ("jp_target", JP_TARGET),
}
_NAMES = {
    **{f"nilai:{n.key}": n.name for n in predikat.BERAKHLAK},
    **{f"unsur:{u.key}": u.name for u in ikm.UNSUR},
}


def suggestions(
    period: Period,
    scores: pd.DataFrame,
    catalogue: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None,
    *,
    values: pd.DataFrame | None = None,
    unsur: pd.DataFrame | None = None,
    kendala: pd.DataFrame | None = None,
    completed: pd.DataFrame | None = None,
    total_below: float = 70,
    component_below: float = 60,
    nrr_below: float = NRR_BELOW,
    min_responden: int = 10,
    kendala_min_days: int = 2,
    jp_target: float = JP_TARGET,
    limit: int = 3,
) -> pd.DataFrame:
    """SaranPelatihan rows, sorted by nip and urutan.

    ``scores``: nip, nama, unit, nip_atasan, the four components, total, rating_perilaku.
    ``catalogue``: KatalogPelatihan rows (None or empty: the seed of ``training_catalogue``).
    ``values``: nip, nilai_key, rating. ``unsur``: unit, unsur_key, nrr and, optionally, responden
    (units with fewer than ``min_responden`` are left out). ``kendala``: nip, tanggal, kendala.
    ``completed``: Pelatihan rows (nip, tanggal_selesai, jp).
    """
    if not 1 <= limit <= 3:
        raise ValueError(f"jumlah saran per pegawai harus 1 sampai 3, bukan {limit}")
    people = scores.drop_duplicates("nip", keep="last").reset_index(drop=True)
    if unsur is not None and "responden" in unsur.columns:
        unsur = unsur[pd.to_numeric(unsur["responden"], errors="coerce").fillna(0) >= min_responden]
    needs = _stack(
        [
            _component_needs(people, total_below, component_below),
            _behaviour_needs(people, values),
            _unsur_needs(people, unsur, nrr_below),
            _obstacle_needs(people, kendala, kendala_min_days),
        ]
    )
    chosen = _choose(needs, _catalogue(catalogue), limit)
    out = chosen.merge(people.reindex(columns=["nip", "nama", "unit", "nip_atasan"]), on="nip")
    jp = _jp_this_year(completed, period)
    so_far = out["nip"].map(jp).fillna(0).astype(float)
    missing = np.maximum(0.0, float(jp_target) - so_far)
    out["jp_tahun_ini"] = [int(v) if v.is_integer() else v for v in so_far]  # JP are whole hours in practice
    out["jp_kurang"] = [int(v) if v.is_integer() else v for v in missing]
    out["id"] = period.label + ":" + out["nip"] + ":" + out["urutan"].astype(str)
    out["periode"] = period.label
    out = out.reindex(columns=schema.sheet(SHEET).keys).astype(object)
    return out.where(out.notna(), None).sort_values(["nip", "urutan"]).reset_index(drop=True)


def thresholds(options: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword thresholds of ``suggestions`` from Konfigurasi values (defaults where missing)."""
    out: dict[str, Any] = {}
    for key, (param, default) in OPTIONS.items():
        value = options.get(key)
        out[param] = default if value in (None, "") else value
    for param in ("min_responden", "kendala_min_days"):
        out[param] = int(out[param])
    return out


def for_week(data: Inputs, week: Period, scores: pd.DataFrame, month_scores: pd.DataFrame) -> pd.DataFrame:
    """The suggestions of one scoring run: the week's components; behaviour and SKM of the month to date."""
    month = periods.month(week.end)
    behaviour = month_scores.drop_duplicates("nip").set_index("nip")["rating_perilaku"]
    frame = scores.assign(rating_perilaku=scores["nip"].map(behaviour))
    return suggestions(
        week,
        frame,
        data.katalog,
        values=_latest_values(data.perilaku, month.label),
        unsur=_unit_nrr(_within(data.survei, max(week.start, month.start), week.end)),
        kendala=_within(data.laporan, week.start, week.end),
        completed=data.pelatihan,
        **thresholds(data.options),
    )


def _within(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    return frame[local_days(frame["tanggal"]).between(pd.Timestamp(start), pd.Timestamp(end))]


# -- the needs: nip, need, alasan (and sistem for obstacles) ---------------------------------


def _below_text(values: pd.Series, digits: int = 1) -> pd.Series:
    """Values under a threshold as text, truncated so that none prints as the threshold."""
    return pd.Series([decimal_text(v, digits, down=True) for v in values], index=values.index, dtype=object)


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if len(f)]
    return pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=["nip", "need", "alasan", "sistem"])


def _numbers(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.reindex(columns=keys).apply(pd.to_numeric, errors="coerce").astype(float)


def _component_needs(people: pd.DataFrame, total_below: float, component_below: float) -> pd.DataFrame:
    marks = _numbers(people, list(COMPONENTS))
    low = marks < component_below
    parts = []
    for key, label in COMPONENTS.items():
        hit = low[key]
        reason = f"Skor {label} " + _below_text(marks.loc[hit, key]) + f" di bawah {decimal_text(component_below)}."
        parts.append(pd.DataFrame({"nip": people.loc[hit, "nip"], "need": key, "alasan": reason}))
    total = _numbers(people, ["total"])["total"]
    only_total = (total < total_below) & ~low.any(axis=1) & marks.notna().any(axis=1)
    if only_total.any():
        weakest = marks[only_total].idxmin(axis=1)
        lowest = marks[only_total].min(axis=1)
        head = "Skor total " + _below_text(total[only_total]) + f" di bawah {decimal_text(total_below)}; "
        reason = head + "komponen terendah " + weakest.map(COMPONENTS) + " " + _below_text(lowest) + "."
        parts.append(pd.DataFrame({"nip": people.loc[only_total, "nip"], "need": weakest, "alasan": reason}))
    return _stack(parts)


def _behaviour_needs(people: pd.DataFrame, values: pd.DataFrame | None) -> pd.DataFrame:
    rating = people.reindex(columns=["rating_perilaku"])["rating_perilaku"]
    below = people.loc[rating.eq(predikat.BELOW), ["nip"]].assign(
        need="perilaku", alasan=f"Rating perilaku kerja {predikat.BELOW}."
    )
    if values is None or values.empty:
        return below
    weak = values[values["rating"].eq(predikat.BELOW) & values["nilai_key"].isin(predikat.BERAKHLAK_KEYS)]
    need = "nilai:" + weak["nilai_key"].astype(str)
    reason = "Nilai " + need.map(_NAMES) + f" dinilai {predikat.BELOW}."
    return _stack([below, pd.DataFrame({"nip": weak["nip"], "need": need, "alasan": reason})])


def _unsur_needs(people: pd.DataFrame, unsur: pd.DataFrame | None, nrr_below: float) -> pd.DataFrame:
    if unsur is None or unsur.empty:
        return pd.DataFrame(columns=["nip", "need", "alasan"])
    nrr = pd.to_numeric(unsur["nrr"], errors="coerce")
    weak = unsur.assign(need="unsur:" + unsur["unsur_key"].astype(str), nrr=nrr)[nrr < nrr_below]
    weak = weak[weak["need"].isin(NEEDS)]
    reason = "NRR unsur " + weak["need"].map(_NAMES) + " di unit " + _below_text(weak["nrr"], 2)
    weak = weak.assign(alasan=reason + f" di bawah {decimal_text(nrr_below, 2)} (SKM).")
    return people[["nip", "unit"]].merge(weak[["unit", "need", "alasan"]], on="unit").drop(columns="unit")


def _obstacle_needs(people: pd.DataFrame, kendala: pd.DataFrame | None, min_days: int) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["nip", "need", "alasan", "sistem"])
    if kendala is None or kendala.empty:
        return empty
    frame = pd.DataFrame({"nip": kendala["nip"], "tanggal": local_days(kendala["tanggal"]), "teks": kendala["kendala"]})
    frame["norm"] = normalise_kendala(frame["teks"])
    frame = frame[frame["norm"].str.contains(DIGITAL, regex=True) & frame["nip"].isin(people["nip"])]
    days = frame.groupby("nip")["tanggal"].nunique()
    frame = frame[frame["nip"].isin(days[days >= min_days].index)].sort_values(["nip", "tanggal"], kind="stable")
    if frame.empty:
        return empty
    named = {tag: frame[frame["norm"].str.contains(rx)].groupby("nip")["tanggal"].nunique() for tag, (_, rx) in
             SYSTEMS.items()}  # fmt: skip
    mentions = pd.DataFrame(named).reindex(index=frame["nip"].unique()).astype(float).fillna(0)
    system = mentions.idxmax(axis=1).where(mentions.max(axis=1) > 0)
    # Quote the latest obstacle that names the system found, else the latest one.
    named_rx = frame["nip"].map(system).map(lambda tag: SYSTEMS[tag][1] if isinstance(tag, str) else "")
    frame["quote_first"] = [
        bool(rx) and re.search(rx, n) is not None for rx, n in zip(named_rx, frame["norm"], strict=True)
    ]
    frame = frame.sort_values(["nip", "quote_first", "tanggal"], kind="stable")
    out = frame.groupby("nip").agg(teks=("teks", "last"), hari=("tanggal", "nunique")).reset_index()
    out["sistem"] = out["nip"].map(system)
    what = out["sistem"].map(lambda t: f"aplikasi {SYSTEMS[t][0]}" if isinstance(t, str) else "aplikasi atau perangkat")
    quotes = out["teks"].map(quote_kendala)
    out["alasan"] = "Kendala " + what + " dilaporkan pada " + out["hari"].astype(str) + ' hari, mis. "' + quotes + '".'
    return out.assign(need="aplikasi")[["nip", "need", "alasan", "sistem"]]


# -- from needs to catalogue rows ------------------------------------------------------------


def _catalogue(catalogue: pd.DataFrame | Sequence[Mapping[str, Any]] | None) -> pd.DataFrame:
    """tag -> the first catalogue row carrying it: id_katalog, nama_pelatihan, jenis, jp."""
    frame = pd.DataFrame(catalogue) if catalogue is not None else pd.DataFrame()
    if frame.empty:
        frame = pd.DataFrame(training_catalogue.rows())
    tags = frame["kompetensi"].fillna("").astype(str).str.lower().str.split(",")
    frame = frame.assign(tag=tags).explode("tag")
    frame["tag"] = frame["tag"].str.strip()
    frame = frame[frame["tag"].ne("")].drop_duplicates("tag", keep="first")
    jp = pd.to_numeric(frame["jp"], errors="coerce").astype("Int64")
    return pd.DataFrame(
        {"tag": frame["tag"], "id_katalog": frame["id"], "nama_pelatihan": frame["nama"], "jenis": frame["jenis"],
         "jp": jp}
    ).set_index("tag")  # fmt: skip


def _choose(needs: pd.DataFrame, catalogue: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Needs -> catalogue rows per nip: ordered by ``NEEDS``, one row per entry, reasons joined, top ``limit``."""
    order = pd.DataFrame(
        [(need, rank, sub, tag) for rank, (need, tags) in enumerate(NEEDS.items()) for sub, tag in enumerate(tags)],
        columns=["need", "rank", "sub", "tag"],
    )
    rows = needs.reindex(columns=["nip", "need", "alasan", "sistem"]).merge(order, on="need")
    rows["tag"] = rows["tag"].where(rows["tag"] != SYSTEM, rows["sistem"])
    rows = rows[rows["tag"].isin(catalogue.index)]
    rows = rows.join(catalogue, on="tag").sort_values(["nip", "rank", "sub"], kind="stable")
    rows = rows.drop_duplicates(["nip", "id_katalog", "alasan"])
    shared = rows.duplicated(["nip", "id_katalog"], keep=False)
    joined = rows[shared].groupby(["nip", "id_katalog"], sort=False)["alasan"].agg(" ".join)
    rows = rows.drop_duplicates(["nip", "id_katalog"], keep="first").reset_index(drop=True)
    if len(joined):
        both = joined.reindex(pd.MultiIndex.from_frame(rows[["nip", "id_katalog"]])).to_numpy()
        rows["alasan"] = np.where(pd.isna(both), rows["alasan"], both)
    rows["urutan"] = rows.groupby("nip").cumcount() + 1
    return rows[rows["urutan"] <= limit].drop(columns=["need", "rank", "sub", "tag", "sistem"])


def _jp_this_year(completed: pd.DataFrame | None, period: Period) -> pd.Series:
    if completed is None or completed.empty:
        return pd.Series(dtype=float)
    done = local_days(completed["tanggal_selesai"])
    mine = completed[(done.dt.year == period.end.year) & (done <= pd.Timestamp(period.end))]
    return pd.to_numeric(mine["jp"], errors="coerce").groupby(mine["nip"]).sum()


def _latest_values(perilaku: pd.DataFrame, month: str | None) -> pd.DataFrame:
    """PenilaianPerilaku of a month as nip, nilai_key, rating: each employee's latest row."""
    if perilaku.empty or month is None:
        return pd.DataFrame(columns=["nip", "nilai_key", "rating"])
    rows = perilaku[perilaku["periode"] == month].sort_values("diterima_pada", kind="stable")
    rows = rows.drop_duplicates("nip", keep="last")
    return rows.melt(id_vars="nip", value_vars=list(predikat.BERAKHLAK_KEYS), var_name="nilai_key", value_name="rating")


def _unit_nrr(survei: pd.DataFrame) -> pd.DataFrame:
    """NRR per unit and unsur (``functions.citizens.ikm.compute``) as unit, unsur_key, nrr, responden."""
    if survei.empty:
        return pd.DataFrame(columns=["unit", "unsur_key", "nrr", "responden"])
    table = ikm.compute(survei, by=("unit",))
    frame = table.melt(id_vars=["unit", "responden"], value_vars=[f"nrr_{k}" for k in ikm.KEYS], value_name="nrr")
    return frame.assign(unsur_key=frame["variable"].str.removeprefix("nrr_")).drop(columns="variable")
