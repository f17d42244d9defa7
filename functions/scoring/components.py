"""The four components of an employee's score for one period, and the days behind them.

DataFrames in, DataFrames out: no store, no I/O, no loop over employees. Column names are
the keys of the sheets (``sheets_schema``). Each component returns one row per ``nip`` that
has data for it; an employee without data is absent, never scored zero (``total`` then leaves
the component out). Values are unrounded; whoever writes the Skor sheet rounds.

- Available days (``hari_kerja``): the city's working days of the period, given by the caller
  from ``Calendar.workdays_between``, for every active employee (``aktif`` not False), minus
  days before ``mulai_tugas`` and days inside any of their Cuti rows (``hari_cuti``).
- Kedisiplinan: 100 x available days with at least one report (any verification status) /
  available days. A report on a day that is not an available day does not count.
- Hasil kerja (SKP, PermenPANRB 6/2022): each indicator's target is prorated to the employee's
  available days (``prorated_targets``, the one place of the rule): a yearly target as
  target x hari_kerja / working days of the year; quarterly targets (e-Kinerja BKN's SKP holds
  one per triwulan) as the sum over the quarters of target_twN x available days in quarter N /
  working days of quarter N. Realisasi is the
  sum of the period's quantities on it except activities sent back (Dikembalikan);
  capaian = min(100 x realisasi / target, cap). ``capaian_persen`` is the bobot-weighted
  capaian (the basis of the rating), ``hasil_kerja`` the same capped at 100.
- Responsivitas: 100 x complaints followed up on time / complaints assessed. A complaint
  dispatched to a person counts for that person only; one dispatched to a unit counts for
  every active employee of that unit.
- Kepuasan: the IKM konversi (``functions.citizens.ikm``, PermenPANRB 14/2017) of the surveys naming the
  employee when at least ``min_responden`` do, else of all surveys of the employee's unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from functions.citizens import ikm
from functions.rules.workdays import WIB

RETURNED = "Dikembalikan"  # LaporanHarian.verifikasi of an activity the supervisor sent back
CAP_PERSEN = 120.0  # an indicator's capaian counts up to this much
MIN_RESPONDEN = 5  # surveys naming an employee needed for a personal kepuasan score
RINCIAN_MAX = 4000  # Skor.rincian_hasil_kerja max_length
SOURCE_EMPLOYEE, SOURCE_UNIT = "Pegawai", "Unit"
QUARTERS = (1, 2, 3, 4)
QUARTER_COLUMNS = ("target_tw1", "target_tw2", "target_tw3", "target_tw4")  # Target's quarterly targets
_NEVER = np.iinfo(np.int64).min  # a blank date, before every day
_INDONESIAN = str.maketrans(",.", ".,")  # 1,234.5 -> 1.234,5


def active_employees(pegawai: pd.DataFrame) -> pd.DataFrame:
    """One row per active employee: ``aktif`` False excludes, blank counts as active (the default)."""
    if "aktif" in pegawai.columns:
        pegawai = pegawai[~pegawai["aktif"].isin([False])]
    return pegawai[pegawai["nip"].notna()].drop_duplicates("nip")


def available_days(pegawai: pd.DataFrame, cuti: pd.DataFrame, workdays: Sequence[date]) -> pd.DataFrame:
    """``nip``, ``tanggal``: each working day an active employee was due to report."""
    nips, days, started, leave = _grid(pegawai, cuti, workdays)
    rows, cols = np.nonzero(started & ~leave)
    return pd.DataFrame({"nip": nips[rows], "tanggal": days[cols].astype("datetime64[D]")})


def leave_days(pegawai: pd.DataFrame, cuti: pd.DataFrame, workdays: Sequence[date]) -> pd.DataFrame:
    """``nip``, ``hari_cuti``: working days taken out by leave, for every active employee (0 when none).

    Days before ``mulai_tugas`` are not counted: they were never due.
    """
    nips, _, started, leave = _grid(pegawai, cuti, workdays)
    return pd.DataFrame({"nip": nips, "hari_cuti": (started & leave).sum(axis=1).astype("int64")})


def working_days(available: pd.DataFrame) -> pd.Series:
    """``hari_kerja`` by ``nip``: the number of available days (the input of ``hasil_kerja``)."""
    return available.groupby("nip", sort=False).size().rename("hari_kerja")


def kedisiplinan(available: pd.DataFrame, laporan: pd.DataFrame) -> pd.DataFrame:
    """``nip``, ``kedisiplinan``, ``hari_kerja``, ``hari_lapor``."""
    codes, uniques = pd.factorize(available["nip"])
    if not len(uniques):
        return pd.DataFrame({"nip": [], "kedisiplinan": [], "hari_kerja": [], "hari_lapor": []}).astype(
            {"nip": object, "kedisiplinan": "float64", "hari_kerja": "int64", "hari_lapor": "int64"}
        )
    day = _day_numbers(available["tanggal"])
    base, span = int(day.min()), int(day.max() - day.min() + 1)
    # One flag per (employee, day): employee code x span + day offset (flags, not np.unique/np.isin:
    # linear in the rows, and the reports of a quarter are millions).
    due = np.zeros(len(uniques) * span, dtype=bool)
    due[codes.astype(np.int64) * span + (day - base)] = True
    keys = np.flatnonzero(due)
    who = pd.Index(uniques).get_indexer(laporan["nip"])
    when = _day_numbers(laporan["tanggal"])
    ok = (who >= 0) & (when >= base) & (when < base + span)
    sent = np.zeros(len(due), dtype=bool)
    sent[who[ok].astype(np.int64) * span + (when[ok] - base)] = True
    reported = sent[keys]
    hari_kerja = np.bincount(keys // span, minlength=len(uniques))
    hari_lapor = np.bincount(keys[reported] // span, minlength=len(uniques))
    return pd.DataFrame(
        {
            "nip": np.asarray(uniques, dtype=object),
            "kedisiplinan": 100.0 * hari_lapor / hari_kerja,
            "hari_kerja": hari_kerja.astype("int64"),
            "hari_lapor": hari_lapor.astype("int64"),
        }
    )


def hasil_kerja(
    targets: pd.DataFrame,
    laporan: pd.DataFrame,
    hari_kerja: pd.Series,
    workdays_in_year: int,
    cap_persen: float = CAP_PERSEN,
    quarters: QuarterDays | None = None,
) -> pd.DataFrame:
    """``nip``, ``hasil_kerja``, ``capaian_persen``, ``jumlah_indikator``, ``rincian_hasil_kerja``.

    ``targets`` are the SKP indicators of the period's year; ``laporan`` the period's
    activities; ``hari_kerja`` the available days by nip; ``quarters`` the same days by quarter
    (needed only for quarterly targets, see ``prorated_targets``). An indicator whose prorated
    target is 0 is skipped; an employee whose indicators weigh 0 in total is absent.
    """
    if workdays_in_year <= 0:
        raise ValueError(f"hari kerja setahun harus lebih dari 0, bukan {workdays_in_year}")
    days = hari_kerja[hari_kerja > 0]
    t = targets.loc[targets["nip"].isin(days.index)]
    t = t.assign(
        bobot=pd.to_numeric(t["bobot"]).fillna(0.0),
        target_periode=prorated_targets(t, days, workdays_in_year, quarters),
    )[["id", "nip", "indikator", "satuan", "bobot", "target_periode"]]
    t = t[t["target_periode"] > 0]

    counted = laporan.loc[~laporan["verifikasi"].isin([RETURNED]), ["nip", "id_target", "kuantitas"]]
    counted = counted.assign(realisasi=pd.to_numeric(counted["kuantitas"]))
    done = counted.groupby(["nip", "id_target"], as_index=False, sort=False)["realisasi"].sum()
    t = t.merge(done, how="left", left_on=["nip", "id"], right_on=["nip", "id_target"])
    t["realisasi"] = t["realisasi"].fillna(0.0)
    raw = 100.0 * t["realisasi"] / t["target_periode"]
    t["capaian"] = raw.clip(upper=cap_persen)
    t["tertimbang"] = t["bobot"] * t["capaian"]
    t["rincian"] = _rincian(t, raw)

    g = t.groupby("nip", sort=True)
    bobot = g["bobot"].sum()
    capaian = g["tertimbang"].sum() / bobot.where(bobot > 0)
    rincian = _joined(t["nip"], t["rincian"], bobot.index)
    rincian = rincian.where(rincian.str.len() <= RINCIAN_MAX, rincian.str.slice(0, RINCIAN_MAX - 1) + "…")
    out = pd.DataFrame(
        {
            "hasil_kerja": capaian.clip(upper=100.0),
            "capaian_persen": capaian,
            "jumlah_indikator": g.size().astype("int64"),
            "rincian_hasil_kerja": rincian,
        }
    )
    return out[out["capaian_persen"].notna()].rename_axis("nip").reset_index()


@dataclass(frozen=True)
class QuarterDays:
    """The days behind quarterly targets: ``days`` (index nip, columns 1-4) the available days of the period in each
    quarter of the targets' year, ``workdays`` the city's working days of each whole quarter."""

    days: pd.DataFrame
    workdays: Mapping[int, int]

    @classmethod
    def of(cls, available: pd.DataFrame, year_workdays: Sequence[date]) -> QuarterDays:
        """From ``available_days`` and the working days of the targets' year; days of another year count nothing."""
        codes, nips = pd.factorize(available["nip"])
        months = _day_numbers(available["tanggal"]).astype("datetime64[D]").astype("datetime64[M]").astype("int64")
        year = year_workdays[0].year if year_workdays else None
        mine = months // 12 + 1970 == year
        flat = codes[mine].astype("int64") * len(QUARTERS) + (months[mine] % 12) // 3
        counts = np.bincount(flat, minlength=len(nips) * len(QUARTERS)).reshape(len(nips), len(QUARTERS))
        days = pd.DataFrame(counts.astype("int64"), index=pd.Index(nips, dtype=object), columns=list(QUARTERS))
        workdays = {q: sum(1 for d in year_workdays if (d.month - 1) // 3 + 1 == q) for q in QUARTERS}
        return cls(days, workdays)


def quarterly(targets: pd.DataFrame) -> pd.Series:
    """True for an indicator with at least one of ``target_tw1``..``target_tw4`` filled (an e-Kinerja plan)."""
    present = [c for c in QUARTER_COLUMNS if c in targets.columns]
    if not present:
        return pd.Series(False, index=targets.index)
    return targets[present].apply(pd.to_numeric).notna().any(axis=1)


def prorated_targets(
    targets: pd.DataFrame, hari_kerja: pd.Series, workdays_in_year: int, quarters: QuarterDays | None
) -> pd.Series:
    """Each indicator's target for the period's available days: the one place of the rule (see the module docstring).

    Source: PermenPANRB 6/2022 (the SKP is yearly; its realisation is evaluated periodically, by quarter in
    e-Kinerja BKN, where each RHK indicator carries a target per triwulan). A yearly target counts in proportion to
    the year's working days; a quarterly one, quarter by quarter, in proportion to that quarter's working days, so a
    week inside one quarter uses that quarter's target over its working days, and a week across two quarters
    takes its share of each. A blank quarter of a quarterly indicator is 0.
    """
    yearly = pd.to_numeric(targets["target"]) * targets["nip"].map(hari_kerja) / workdays_in_year
    is_quarterly = quarterly(targets)
    if not is_quarterly.any():
        return yearly.astype("float64")
    if quarters is None:
        raise ValueError("target triwulan memerlukan hari kerja per triwulan")
    share = pd.Series(0.0, index=targets.index)
    for q, column in zip(QUARTERS, QUARTER_COLUMNS, strict=True):
        if column not in targets.columns or not quarters.workdays.get(q):
            continue
        days = targets["nip"].map(quarters.days[q]).fillna(0)
        share += pd.to_numeric(targets[column]).fillna(0.0) * days / quarters.workdays[q]
    return yearly.where(~is_quarterly, share).astype("float64")


def _joined(keys: pd.Series, texts: pd.Series, index: pd.Index) -> pd.Series:
    """``"; ".join`` of each key's texts in row order, for the keys of ``index``.

    The same as ``groupby(keys)[texts].agg("; ".join)`` without a Python call per group.
    """
    parts: dict[Any, list[str]] = {}
    for key, text in zip(keys.tolist(), texts.tolist(), strict=True):
        parts.setdefault(key, []).append(text)
    return pd.Series(["; ".join(parts[k]) for k in index], index=index, dtype=texts.dtype)


def responsivitas(complaints: pd.DataFrame, pegawai: pd.DataFrame, period_end: datetime | date) -> pd.DataFrame:
    """``nip``, ``responsivitas``, ``aduan_jumlah``, ``aduan_tepat_waktu``, ``jam_respon_median``.

    ``complaints`` are those assessed in the period, one row each. A row whose ``tepat_waktu``
    is blank is not assessable yet and is ignored. A first response after ``period_end`` (a
    date means its last second) is not known at the end of the period and is left out of the
    median, so scoring a past period again gives the same figures.
    """
    c = complaints[complaints["tepat_waktu"].notna()]
    answered = _wib(c["dijawab_pada"]) <= _wib_moment(period_end)
    rows = pd.DataFrame(
        {
            "unit": c["unit"],
            "nip": c["nip_tujuan"],
            "tepat": c["tepat_waktu"].astype(bool),
            "jam": pd.to_numeric(c["jam_respon"]).where(answered.to_numpy()),
        }
    )
    personal = rows["nip"].notna() & rows["nip"].astype(str).str.strip().ne("")
    staff = active_employees(pegawai)[["nip", "unit"]]
    shared = rows.loc[~personal].drop(columns="nip").merge(staff, on="unit", how="inner")
    rows = pd.concat([rows.loc[personal], shared[rows.columns]], ignore_index=True)
    g = rows.groupby("nip", sort=True)
    out = pd.DataFrame(
        {
            "aduan_jumlah": g.size().astype("int64"),
            "aduan_tepat_waktu": g["tepat"].sum().astype("int64"),
            "jam_respon_median": g["jam"].median(),
        }
    )
    out.insert(0, "responsivitas", 100.0 * out["aduan_tepat_waktu"] / out["aduan_jumlah"])
    return out.rename_axis("nip").reset_index()


def kepuasan(
    survei: pd.DataFrame,
    pegawai: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    min_responden: int = MIN_RESPONDEN,
) -> pd.DataFrame:
    """``nip``, ``kepuasan``, ``kepuasan_sumber``, ``kepuasan_responden``.

    Surveys naming the employee (``nip_pegawai``) when at least ``min_responden`` do, source
    "Pegawai"; else all surveys of the employee's unit, source "Unit"; else absent.
    """
    ikm.check_weights(ikm.DEFAULT_WEIGHTS if weights is None else weights)
    staff = active_employees(pegawai)[["nip", "unit"]]
    named = survei[survei["nip_pegawai"].notna() & survei["nip_pegawai"].astype(str).str.strip().ne("")]
    own = _konversi(named, "nip_pegawai", weights)
    own = own[own["responden"] >= min_responden]
    unit = _konversi(survei, "unit", weights)

    own_score, unit_score = staff["nip"].map(own["ikm_konversi"]), staff["unit"].map(unit["ikm_konversi"])
    personal = own_score.notna().to_numpy()
    out = pd.DataFrame(
        {
            "nip": staff["nip"].to_numpy(),
            "kepuasan": np.where(personal, own_score, unit_score),
            "kepuasan_sumber": np.where(personal, SOURCE_EMPLOYEE, SOURCE_UNIT).astype(object),
            "kepuasan_responden": np.where(
                personal, staff["nip"].map(own["responden"]), staff["unit"].map(unit["responden"])
            ),
        }
    )
    out = out[out["kepuasan"].notna()].reset_index(drop=True)
    return out.astype({"kepuasan": "float64", "kepuasan_responden": "int64"})


def _konversi(surveys: pd.DataFrame, by: str, weights: Mapping[str, float] | None) -> pd.DataFrame:
    """``responden`` and ``ikm_konversi`` indexed by ``by``, for groups with a konversi."""
    result = ikm.compute(surveys, by=(by,), weights=weights)
    result = result[result["ikm_konversi"].notna() & result[by].notna()]
    return result.set_index(by)[["responden", "ikm_konversi"]]


def _grid(
    pegawai: pd.DataFrame, cuti: pd.DataFrame, workdays: Sequence[date]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Active nips, sorted working days, and (employee x day) masks: on or after mulai_tugas, on leave."""
    active = active_employees(pegawai)
    nips = active["nip"].to_numpy(dtype=object)
    days = np.unique(_day_numbers(list(workdays)))
    if "mulai_tugas" in active.columns:
        start = _day_numbers(active["mulai_tugas"])
    else:
        start = np.full(len(nips), _NEVER, dtype=np.int64)
    started = days[None, :] >= start[:, None]
    leave = np.zeros(started.size, dtype=bool)
    if len(cuti) and len(days):
        who = pd.Index(nips).get_indexer(cuti["nip"])
        first = np.searchsorted(days, _day_numbers(cuti["mulai"]), side="left")
        last = np.searchsorted(days, _day_numbers(cuti["selesai"]), side="right")
        count = np.where(who >= 0, np.maximum(last - first, 0), 0)
        # Expand each leave row to its flat (employee, day) positions without a Python loop.
        step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        leave[np.repeat(who * len(days) + first, count) + step] = True
    return nips, days, started, leave.reshape(started.shape)


def _day_numbers(values: Any) -> np.ndarray:
    """Dates as days since 1970-01-01 (int64); a blank is ``_NEVER``."""
    stamps = pd.to_datetime(pd.Series(values))
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert(WIB).dt.tz_localize(None)
    return stamps.to_numpy(dtype="datetime64[D]").view("int64")


def _wib(values: Any) -> pd.Series:
    """Moments in WIB; naive ones are read as WIB wall-clock time."""
    stamps = pd.to_datetime(pd.Series(values))
    return stamps.dt.tz_localize(WIB) if stamps.dt.tz is None else stamps.dt.tz_convert(WIB)


def _wib_moment(moment: datetime | date) -> pd.Timestamp:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.max)
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize(WIB) if stamp.tzinfo is None else stamp.tz_convert(WIB)


def _rincian(t: pd.DataFrame, raw: pd.Series) -> pd.Series:
    """Per indicator: "Jumlah surat: 14 / 20,0 surat (70%, bobot 60)"; a capped one shows both."""
    capped = raw > t["capaian"]
    note = pd.Series(np.where(capped, ", dibatasi " + _angka(t["capaian"], 1) + "%", ""), index=t.index)
    return (
        t["indikator"].astype(str)
        + ": "
        + _angka(t["realisasi"], 2)
        + " / "
        + _angka(t["target_periode"], 1, trim=False)
        + " "
        + t["satuan"].astype(str)
        + " ("
        + _angka(raw, 1)
        + "%"
        + note
        + ", bobot "
        + _angka(t["bobot"], 2)
        + ")"
    )


def _angka(values: pd.Series, decimals: int, trim: bool = True) -> pd.Series:
    """Numbers the Indonesian way (1.234,5), each distinct value formatted once."""

    def one(value: float) -> str:
        text = f"{value:,.{decimals}f}"
        if trim and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.translate(_INDONESIAN)

    return values.map({v: one(v) for v in pd.unique(values)})
