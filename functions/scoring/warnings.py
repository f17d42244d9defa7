"""Early warnings of a period (the Peringatan sheet): one function per rule, DataFrames in and out.

Each rule is pure pandas over the frames it is given and returns rows with exactly the columns
of ``sheets_schema/Peringatan.yaml``, sorted by id. The id is the period, a code of the rule and
the NIP or unit code (plus a short hash of the obstacle for Kendala Berulang), so a re-run over
the same data gives identical rows for ``Store.replace_period`` to write over. ``for_week`` is
the edge that feeds the rules from one scoring run.

The rules are kebijakan program, not regulation; thresholds are parameters and ``OPTIONS``
names their Konfigurasi keys and defaults:

- Skor Turun: the total fell in each of the last ``drops`` (3) periods in a row, each fall
  more than ``min_drop`` (0) points; Penting when it fell ``penting_turun`` (15) points or more.
- Tidak Melapor: no daily report on the last ``days`` (3) or more days the employee was due to
  report (working days, not on leave), up to the period end; Penting at twice that.
- Pengaduan Terlambat: open complaints past the follow-up deadline, one warning per handling
  unit and one per assignee, with the count and the oldest deadline; Penting from
  ``penting_jumlah`` (5) complaints. Complaints are named by id only: never their text or contact.
- IKM Rendah: a unit's IKM konversi below mutu B (``functions.citizens.ikm.grade``) from at least
  ``min_responden`` (10) respondents; Penting for mutu D.
- Kendala Berulang: the same obstacle (lower-case, punctuation and extra spaces removed) on
  ``min_days`` (3) different days within the last ``window_days`` (30), once at least in the
  period; Penting at twice that. The obstacle is staff text, quoted up to 80 characters with
  long numbers and email addresses masked.
- Verifikasi Tertunda: activities of a supervisor's team still Menunggu more than ``days`` (5)
  working days after their date, one warning per supervisor (the NIP is the supervisor's);
  Penting when the oldest has waited twice that.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from functions import periods, schema
from functions.citizens import ikm
from functions.periods import Period
from functions.rendering import format_date, format_number
from functions.rules.workdays import WIB, Calendar

if TYPE_CHECKING:
    from functions.scoring.inputs import Inputs
    from functions.store import Store

SHEET = "Peringatan"
SKOR_TURUN = "Skor Turun"
TIDAK_MELAPOR = "Tidak Melapor"
PENGADUAN_TERLAMBAT = "Pengaduan Terlambat"
IKM_RENDAH = "IKM Rendah"
KENDALA_BERULANG = "Kendala Berulang"
VERIFIKASI_TERTUNDA = "Verifikasi Tertunda"
CODES = {SKOR_TURUN: "TURUN", TIDAK_MELAPOR: "LAPOR", PENGADUAN_TERLAMBAT: "ADUAN", IKM_RENDAH: "IKM",
         KENDALA_BERULANG: "KENDALA", VERIFIKASI_TERTUNDA: "VERIFIKASI"}  # fmt: skip
PERHATIAN, PENTING = "Perhatian", "Penting"
PENDING = "Menunggu"  # LaporanHarian.verifikasi not yet decided
QUOTE_LENGTH = 80
DATES_LISTED = 10  # a longer run of days missed is referred to by its first and last day
REFS_LENGTH = 900  # rujukan holds up to 1000 characters; longer lists end with "(+n lainnya)"

# Konfigurasi key -> default (kebijakan program). ``all_warnings`` reads them from ``options``.
OPTIONS: dict[str, float] = {
    "peringatan_skor_turun_kali": 3,
    "peringatan_skor_turun_minimal": 0,
    "peringatan_skor_turun_penting": 15,
    "peringatan_hari_tanpa_laporan": 3,
    "peringatan_aduan_penting": 5,
    "peringatan_ikm_min_responden": 10,
    "peringatan_kendala_hari": 3,
    "peringatan_kendala_jendela": 30,
    "peringatan_verifikasi_hari": 5,
}

# Obstacle fields that say there was none (after normalising): never a repeated obstacle.
NO_OBSTACLE = frozenset(
    {"", "tidak ada", "tidak ada kendala", "tidak ada hambatan", "tdk ada", "ga ada", "gak ada", "nggak ada",
     "belum ada", "nihil", "nil", "aman", "lancar", "aman terkendali", "tidak", "none", "na", "n a", "kosong"}
)  # fmt: skip
_PUNCTUATION = r"[^\w\s]"
_PRIVATE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d .-]{5,}\d")
_WORDS = {1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam", 7: "tujuh", 8: "delapan", 9: "sembilan"}


def columns() -> list[str]:
    return schema.sheet(SHEET).keys


def skor_turun(
    scores: pd.DataFrame,
    employees: pd.DataFrame,
    period: Period,
    *,
    drops: int = 3,
    min_drop: float = 0.0,
    penting_turun: float = 15.0,
) -> pd.DataFrame:
    """``scores``: nip, periode, total over the period and the ``drops`` periods before it."""
    if drops < 1:
        raise ValueError(f"drops harus 1 atau lebih, bukan {drops}")
    labels = [period]
    for _ in range(drops):
        labels.insert(0, labels[0].previous())
    names = [p.label for p in labels]
    frame = scores[scores["periode"].isin(names)].drop_duplicates(["nip", "periode"], keep="last")
    wide = frame.pivot(index="nip", columns="periode", values="total").reindex(columns=names)
    wide = wide.apply(pd.to_numeric, errors="coerce").dropna()
    falls = -wide.diff(axis=1).iloc[:, 1:]
    hit = wide[(falls > min_drop).all(axis=1)]
    if hit.empty:
        return _empty()
    word = _WORDS.get(drops, str(drops))
    chain = hit.map(lambda v: decimal_text(v, 2)).agg(" → ".join, axis=1)
    fall = (hit[names[0]] - hit[names[-1]]).to_numpy()
    out = pd.DataFrame({"nip": hit.index.to_numpy(), "chain": chain.to_numpy(), "fall": fall})
    out = out.merge(_people(employees), on="nip")
    out["alasan"] = f"Skor total turun {word} {period.kind.lower()} berturut-turut: " + out["chain"] + "."
    out["tingkat"] = np.where(out["fall"] >= penting_turun, PENTING, PERHATIAN)
    out["rujukan"] = ", ".join(names)
    return _finish(out, period, SKOR_TURUN, out["nip"])


def tidak_melapor(
    available: pd.DataFrame, reports: pd.DataFrame, employees: pd.DataFrame, period: Period, *, days: int = 3
) -> pd.DataFrame:
    """``available``: nip, tanggal of each day due to report; ``reports``: nip, tanggal of reports.

    Counts back from the period end over the available days after the last report; pass
    available days as far back as a streak should be counted.
    """
    end = pd.Timestamp(period.end)
    avail = pd.DataFrame({"nip": available["nip"], "tanggal": local_days(available["tanggal"])})
    avail = avail[avail["tanggal"] <= end].drop_duplicates()
    sent = pd.DataFrame({"nip": reports["nip"], "tanggal": local_days(reports["tanggal"])})
    last = sent[sent["tanggal"] <= end].groupby("nip")["tanggal"].max()
    after = pd.Series(last.reindex(avail["nip"]).to_numpy(), index=avail.index)
    missed = avail[after.isna() | (avail["tanggal"] > after)].sort_values(["nip", "tanggal"])
    streak = missed.groupby("nip")["tanggal"].agg(["size", "min", "max"])
    streak = streak[streak["size"] >= days]
    if streak.empty:
        return _empty()
    refs = missed[missed["nip"].isin(streak.index)].groupby("nip")["tanggal"].agg(_date_refs)
    span = streak["min"].dt.strftime("%Y-%m-%d") + " sampai " + streak["max"].dt.strftime("%Y-%m-%d")
    refs = refs.where(streak["size"] <= DATES_LISTED, span)
    out = streak.assign(rujukan=refs).reset_index().merge(_people(employees), on="nip")
    first, latest = out["min"].map(_date_text), out["max"].map(_date_text)
    span = np.where(out["size"] > 1, ", " + first + " sampai " + latest, ", pada " + latest)
    out["alasan"] = "Tidak ada laporan harian selama " + out["size"].astype(str) + " hari kerja berturut-turut" + span
    out["alasan"] += "."
    out["tingkat"] = np.where(out["size"] >= 2 * days, PENTING, PERHATIAN)
    return _finish(out, period, TIDAK_MELAPOR, out["nip"])


def pengaduan_terlambat(
    complaints: pd.DataFrame, employees: pd.DataFrame, period: Period, *, penting_jumlah: int = 5
) -> pd.DataFrame:
    """``complaints``: id, unit, nip_tujuan, batas_tindak_lanjut, terlambat_sekarang (open and overdue)."""
    late = complaints[complaints["terlambat_sekarang"].eq(True)]
    late = pd.DataFrame(
        {
            "aduan": late["id"].astype(str),
            "unit": late["unit"],
            "nip": late["nip_tujuan"],
            "batas": local_days(late["batas_tindak_lanjut"]),
        }
    )
    parts = []
    by_unit = _late_groups(late[_filled(late["unit"])], "unit")
    if len(by_unit):
        parts.append(_late_rows(by_unit, "ditangani unit ini", period, penting_jumlah, by_unit["unit"]))
    by_person = _late_groups(late[_filled(late["nip"])], "nip")
    if len(by_person):
        by_person = by_person.merge(_people(employees), on="nip", how="left")
        by_person["unit"] = by_person["unit"].fillna(by_person["unit_aduan"])
        owner = "ditugaskan kepada pegawai ini"
        parts.append(_late_rows(by_person, owner, period, penting_jumlah, by_person["nip"]))
    return _concat(parts)


def ikm_rendah(units: pd.DataFrame, period: Period, *, min_responden: int = 10) -> pd.DataFrame:
    """``units``: unit, ikm_konversi, responden_skm (a SkorUnit-like frame; its ``id`` becomes the rujukan).

    The grade is recomputed with ``functions.citizens.ikm.grade`` on the unrounded value; ``mutu_ikm`` is not trusted.
    """
    konversi = pd.to_numeric(units["ikm_konversi"], errors="coerce")
    responden = pd.to_numeric(units["responden_skm"], errors="coerce").fillna(0)
    frame = units.assign(konversi=konversi, responden=responden.astype(int))
    frame = frame[konversi.notna() & (responden >= min_responden)]
    grades = frame["konversi"].map(ikm.grade)
    frame = frame.assign(mutu=grades.map(lambda g: g.mutu), kinerja=grades.map(lambda g: g.kinerja))
    out = frame[frame["mutu"].isin(["C", "D"])].reset_index(drop=True).copy()
    if out.empty:
        return _empty()
    edge = decimal_text(ikm.EDGES[2], 2)
    out["alasan"] = (
        "IKM unit "
        + out["konversi"].map(lambda v: decimal_text(v, 2, down=True))
        + " (mutu "
        + out["mutu"]
        + ", "
        + out["kinerja"]
    ) + (") dari " + out["responden"].astype(str) + f" responden, di bawah batas mutu B ({edge}).")
    out["tingkat"] = np.where(out["mutu"] == "D", PENTING, PERHATIAN)
    out["rujukan"] = out["id"] if "id" in out.columns else None
    out = out.drop(columns=[c for c in ("id", "nip", "nama", "nip_atasan") if c in out.columns])
    return _finish(out, period, IKM_RENDAH, out["unit"])


def kendala_berulang(
    reports: pd.DataFrame,
    employees: pd.DataFrame,
    period: Period,
    *,
    min_days: int = 3,
    window_days: int = 30,
) -> pd.DataFrame:
    """``reports``: nip, tanggal, kendala (daily reports covering the window)."""
    start = pd.Timestamp(min(period.start, period.end - timedelta(days=window_days - 1)))
    end = pd.Timestamp(period.end)
    frame = pd.DataFrame({"nip": reports["nip"], "tanggal": local_days(reports["tanggal"]), "teks": reports["kendala"]})
    frame = frame[(frame["tanggal"] >= start) & (frame["tanggal"] <= end)]
    frame = frame.assign(norm=normalise_kendala(frame["teks"]))
    frame = frame[~frame["norm"].isin(NO_OBSTACLE)].sort_values(["nip", "norm", "tanggal"], kind="stable")
    frame = frame.drop_duplicates(["nip", "norm", "tanggal"], keep="last")
    groups = frame.groupby(["nip", "norm"])
    found = groups.agg(hari=("tanggal", "size"), akhir=("tanggal", "max"), teks=("teks", "last")).reset_index()
    found = found[(found["hari"] >= min_days) & (found["akhir"] >= pd.Timestamp(period.start))]
    if found.empty:
        return _empty()
    keys = frame.merge(found[["nip", "norm"]], on=["nip", "norm"])
    refs = keys.groupby(["nip", "norm"])["tanggal"].agg(_date_refs).rename("rujukan")
    out = found.merge(refs, on=["nip", "norm"]).merge(_people(employees), on="nip")
    length = (end - start).days + 1
    quotes = out["teks"].map(quote_kendala)
    out["alasan"] = (
        "Kendala yang sama dilaporkan pada " + out["hari"].astype(str) + f" hari berbeda dalam {length} hari terakhir"
    ) + (': "' + quotes + '".')
    out["tingkat"] = np.where(out["hari"] >= 2 * min_days, PENTING, PERHATIAN)
    digest = out["norm"].map(lambda t: hashlib.blake2s(t.encode("utf-8"), digest_size=4).hexdigest())
    return _finish(out, period, KENDALA_BERULANG, out["nip"] + ":" + digest)


def verifikasi_tertunda(
    reports: pd.DataFrame,
    employees: pd.DataFrame,
    period: Period,
    *,
    calendar: Calendar | None = None,
    days: int = 5,
    as_of: date | None = None,
) -> pd.DataFrame:
    """``reports``: nip, tanggal, verifikasi; the supervisor is the reporter's ``nip_atasan`` in ``employees``.

    Waiting time is the working days after the report's date up to ``as_of`` (default: period end).
    """
    calendar = calendar or Calendar()
    as_of = as_of or period.end
    status = reports["verifikasi"]
    pending = [v for v in status.dropna().unique() if str(v).strip() in ("", PENDING)]  # each distinct value once
    waiting = status.isna() | status.isin(pending)
    frame = pd.DataFrame({"nip": reports["nip"], "tanggal": local_days(reports["tanggal"])})[waiting]
    frame = frame[frame["tanggal"] <= pd.Timestamp(as_of)]
    if frame.empty:
        return _empty()
    workdays = np.array(calendar.workdays_between(frame["tanggal"].min().date(), as_of), dtype="datetime64[D]")
    after = np.searchsorted(workdays, frame["tanggal"].to_numpy().astype("datetime64[D]"), side="right")
    frame = frame.assign(tunggu=len(workdays) - after)
    team = _people(employees)[["nip", "unit", "nip_atasan"]]
    late = frame[frame["tunggu"] > days].merge(team, on="nip")
    late = late[_filled(late["nip_atasan"])]
    if late.empty:
        return _empty()
    groups = late.sort_values("tanggal").groupby("nip_atasan")
    out = groups.agg(kegiatan=("nip", "size"), pegawai=("nip", "nunique"), tertua=("tanggal", "min"),
                     tunggu=("tunggu", "max"), unit_tim=("unit", "min"))  # fmt: skip
    out["rujukan"] = groups["tanggal"].agg(lambda s: _date_refs(s.drop_duplicates()))
    out = out.reset_index().rename(columns={"nip_atasan": "nip"}).merge(_people(employees), on="nip", how="left")
    out["unit"] = out["unit"].fillna(out["unit_tim"])
    out["alasan"] = [
        f"{k} kegiatan dari {n} anggota tim menunggu verifikasi lebih dari {days} hari kerja; "
        f"laporan tertua {_date_text(t)}, sudah {w} hari kerja."
        for k, n, t, w in zip(out["kegiatan"], out["pegawai"], out["tertua"], out["tunggu"], strict=True)
    ]
    out["tingkat"] = np.where(out["tunggu"] >= 2 * days, PENTING, PERHATIAN)
    return _finish(out, period, VERIFIKASI_TERTUNDA, out["nip"])


def all_warnings(
    period: Period,
    employees: pd.DataFrame,
    *,
    scores: pd.DataFrame | None = None,
    available: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
    complaints: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    calendar: Calendar | None = None,
    options: Mapping[str, Any] | None = None,
    as_of: date | None = None,
) -> pd.DataFrame:
    """Every rule whose inputs are given, thresholds from ``options`` (Konfigurasi) or ``OPTIONS``."""
    given = options or {}
    o = {k: v if given.get(k) in (None, "") else given[k] for k, v in OPTIONS.items()}
    parts = []
    if scores is not None:
        drops, least, serious = (o[f"peringatan_skor_turun_{k}"] for k in ("kali", "minimal", "penting"))
        parts.append(skor_turun(scores, employees, period, drops=int(drops), min_drop=least, penting_turun=serious))
    if available is not None and reports is not None:
        days = int(o["peringatan_hari_tanpa_laporan"])
        parts.append(tidak_melapor(available, reports, employees, period, days=days))
    if complaints is not None:
        count = int(o["peringatan_aduan_penting"])
        parts.append(pengaduan_terlambat(complaints, employees, period, penting_jumlah=count))
    if units is not None:
        parts.append(ikm_rendah(units, period, min_responden=int(o["peringatan_ikm_min_responden"])))
    if reports is not None:
        min_days, window = int(o["peringatan_kendala_hari"]), int(o["peringatan_kendala_jendela"])
        parts.append(kendala_berulang(reports, employees, period, min_days=min_days, window_days=window))
        days = int(o["peringatan_verifikasi_hari"])
        parts.append(verifikasi_tertunda(reports, employees, period, calendar=calendar, days=days, as_of=as_of))
    out = _concat(parts)
    return out.sort_values(["unit", "id"], kind="stable").reset_index(drop=True)


def for_week(store: Store, data: Inputs, week: Period, scores: pd.DataFrame) -> pd.DataFrame:
    """The warnings of one scoring run: previous totals from the Skor sheet, IKM of the month to date."""
    from functions.scoring import components
    from functions.scoring.inputs import complaint_table

    employees = components.active_employees(data.pegawai)
    earlier = [week.previous()]
    while len(earlier) < int(data.options.get("peringatan_skor_turun_kali") or OPTIONS["peringatan_skor_turun_kali"]):
        earlier.append(earlier[-1].previous())
    history = [store.frame("Skor", where={"periode": p.label})[["nip", "periode", "total"]] for p in earlier]
    history = [h for h in [scores[["nip", "periode", "total"]], *history] if len(h)] or [scores]
    workdays = data.calendar.workdays_between(data.window[0], week.end)
    available = components.available_days(employees, data.cuti, workdays)
    cutoff = datetime.combine(week.end, time(23, 59, 59), tzinfo=data.calendar.tz)
    return all_warnings(
        week,
        employees,
        scores=pd.concat(history, ignore_index=True),
        available=available,
        reports=data.laporan,
        complaints=complaint_table(data.complaints, week, cutoff),
        units=store.frame("SkorUnit", where={"periode": periods.month(week.end).label}),
        calendar=data.calendar,
        options=data.options,
        as_of=week.end,
    )


def normalise_kendala(texts: pd.Series) -> pd.Series:
    """Obstacle texts compared as equal: lower-case, punctuation removed, whitespace collapsed."""
    raw = texts.fillna("").astype(str)
    # Each distinct text is cleaned once: the column is mostly blank or a few repeated phrases.
    codes, uniques = pd.factorize(raw)
    clean = pd.Series(uniques, dtype=raw.dtype).str.lower().str.replace(_PUNCTUATION, " ", regex=True)
    return clean.str.split().str.join(" ").take(codes).set_axis(texts.index)


def quote_kendala(text: Any, limit: int = QUOTE_LENGTH) -> str:
    """Staff text fit to quote: numbers of 7+ digits and email addresses masked, one line, at most ``limit``."""
    clean = " ".join(_PRIVATE.sub("[disamarkan]", str(text or "")).split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


# -- helpers -------------------------------------------------------------------------------------


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=columns(), dtype=object)


def _finish(out: pd.DataFrame, period: Period, jenis: str, subject: pd.Series) -> pd.DataFrame:
    out = out.assign(id=f"{period.label}:{CODES[jenis]}:" + subject.astype(str), periode=period.label, jenis=jenis)
    out = out.reindex(columns=columns()).astype(object)
    out = out.where(out.notna(), None)
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def _concat(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    frames = [p for p in parts if len(p)]
    if not frames:
        return _empty()
    return pd.concat(frames, ignore_index=True).sort_values("id", kind="stable").reset_index(drop=True)


def _people(employees: pd.DataFrame) -> pd.DataFrame:
    frame = employees.reindex(columns=["nip", "nama", "unit", "nip_atasan"])
    return frame[frame["nip"].notna()].drop_duplicates("nip", keep="last")


def _filled(values: pd.Series) -> pd.Series:
    return values.notna() & values.astype(str).str.strip().ne("")


def local_days(values: pd.Series) -> pd.Series:
    """Dates or moments as local (WIB) midnight timestamps."""
    days = pd.to_datetime(values)
    if isinstance(days.dtype, pd.DatetimeTZDtype):
        days = days.dt.tz_convert(WIB).dt.tz_localize(None)
    return days.dt.normalize()


def decimal_text(value: Any, digits: int = 1, down: bool = False) -> str:
    """A number the Indonesian way with at most ``digits`` decimals (75,5).

    ``down`` truncates instead of rounding, so a value under a threshold never prints as the
    threshold itself (59,99 under 60 prints 59,9, not 60).
    """
    number = float(value)
    if down:
        number = math.floor(number * 10**digits + 1e-9) / 10**digits
    return format_number(round(number, digits))


def _date_text(value: pd.Timestamp) -> str:
    return format_date(value.date(), with_day=False)


def _date_refs(values: pd.Series) -> str:
    return _refs(v.date().isoformat() for v in values)


def _refs(items: Iterable[str]) -> str:
    """Ids or dates joined by commas, cut to ``REFS_LENGTH`` characters with a count of the rest."""
    items = list(items)
    shown: list[str] = []
    for item in items:
        if len(", ".join([*shown, item])) > REFS_LENGTH:
            return ", ".join(shown) + f" (+{len(items) - len(shown)} lainnya)"
        shown.append(item)
    return ", ".join(shown)


def _late_groups(late: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per ``by`` (unit or nip): jumlah, tertua (deadline), rujukan (ids, oldest first), unit_aduan."""
    if late.empty:
        return pd.DataFrame()
    groups = late.sort_values(["batas", "aduan"]).groupby(by)
    out = groups.agg(jumlah=("aduan", "size"), tertua=("batas", "min"), rujukan=("aduan", _refs))
    if by != "unit":
        out["unit_aduan"] = groups["unit"].min()
    return out.reset_index()


def _late_rows(frame: pd.DataFrame, owner: str, period: Period, penting: int, subject: pd.Series) -> pd.DataFrame:
    frame = frame.assign(
        alasan=frame["jumlah"].astype(str)
        + f" pengaduan yang {owner} melewati batas tindak lanjut dan belum ditindaklanjuti; batas tertua "
        + frame["tertua"].map(_date_text)
        + ".",
        tingkat=np.where(frame["jumlah"] >= penting, PENTING, PERHATIAN),
    )
    return _finish(frame, period, PENGADUAN_TERLAMBAT, subject)
