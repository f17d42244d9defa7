"""What a scoring run reads: each sheet once, limited to the window it needs, as DataFrames.

The edge of the pure core: everything after this works on the frames only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from functions import periods, schema
from functions.citizens import complaints
from functions.periods import Period
from functions.rules import config
from functions.rules.workdays import Calendar
from functions.staff import corrections, duplicates
from functions.store import Store


@dataclass(frozen=True)
class Inputs:
    """One run's view of the sheets. ``laporan`` and ``survei`` cover ``window``; their ``tanggal`` is datetime64."""

    window: tuple[date, date]
    today: date
    options: dict[str, Any]
    calendar: Calendar
    pegawai: pd.DataFrame
    unit: pd.DataFrame
    target: pd.DataFrame
    cuti: pd.DataFrame
    laporan: pd.DataFrame
    survei: pd.DataFrame
    layanan: pd.DataFrame
    perilaku: pd.DataFrame
    katalog: pd.DataFrame
    pelatihan: pd.DataFrame
    complaints: list[complaints.Complaint]


def read(store: Store, start: date, end: date, today: date, now: datetime) -> Inputs:
    """Read the sheets for periods between ``start`` and ``end`` (report history a month back)."""
    calendar = Calendar.from_store(store)
    history = start - timedelta(days=35)  # trends and repeated obstacles look back a month
    # Complaints as they stood at the end of ``end``: an event after it was not known then, so
    # scoring a past week again later gives the same rows.
    cutoff = min(now, datetime.combine(end, time(23, 59, 59), tzinfo=calendar.tz))
    options = config.all_values(store)
    pegawai = starting_on(store.frame("Pegawai"), options["tanggal_mulai_program"])
    laporan = counted_reports(store.frame("LaporanHarian", start=history, end=end))
    return Inputs(
        window=(history, end),
        today=today,
        options=options,
        calendar=calendar,
        pegawai=pegawai,
        unit=store.frame("Unit"),
        target=store.frame("Target"),
        cuti=store.frame("Cuti"),
        laporan=_dated(on_duty(laporan, pegawai)),
        survei=_dated(store.frame("Survei", start=start, end=end)),
        layanan=store.frame("Layanan"),
        perilaku=_behaviour(store, start, end),
        katalog=store.frame("KatalogPelatihan"),
        pelatihan=store.frame("Pelatihan"),
        complaints=complaints.all_complaints(store, calendar, cutoff),
    )


def starting_on(pegawai: pd.DataFrame, programme_start: date | None) -> pd.DataFrame:
    """Pegawai with ``mulai_tugas`` moved up to the programme start (Konfigurasi ``tanggal_mulai_program``).

    DOMAIN.md section 9: nothing before the programme start or an employee's first day of duty counts. Every rule
    that skips the days before ``mulai_tugas`` (working days, expected reports, prorated targets, absence warnings,
    the periods scored) thereby skips the days before the programme start too: this is the one place that says so.
    """
    if programme_start is None or pegawai.empty:
        return pegawai
    start = pd.Timestamp(programme_start)
    given = pd.to_datetime(pegawai["mulai_tugas"]) if "mulai_tugas" in pegawai.columns else None
    if given is None:
        moved = pd.Series(start, index=pegawai.index)
    else:
        if given.dt.tz is not None:
            given = given.dt.tz_localize(None)
        moved = given.where(given > start, start)
    return pegawai.assign(mulai_tugas=moved.dt.date)


def on_duty(laporan: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """The reports of days from each person's ``mulai_tugas`` on (as :func:`starting_on` moved it): a report of a day
    before the programme start or the first day of duty counts nowhere (DOMAIN.md section 9), not even in a period
    that contains the start."""
    if laporan.empty or pegawai.empty or "mulai_tugas" not in pegawai.columns:
        return laporan
    first = pd.to_datetime(pegawai.set_index("nip")["mulai_tugas"]).dt.tz_localize(None)
    since = laporan["nip"].map(first)
    return laporan[since.isna() | (pd.to_datetime(laporan["tanggal"]) >= since)]


def behaviour_months(start: date, end: date) -> list[Period]:
    """The months whose behaviour ratings a run for periods from ``start`` to ``end`` can use, oldest first.

    A run scores the weeks, months and quarters from ``start`` to ``end``, and takes a quarter's ratings from
    every one of its months, the later ones too (a past week scored again), so: every month from ``start``'s to
    the last of ``end``'s quarter.
    """
    last = periods.quarter(end).end
    months = [periods.month(start)]
    while months[-1].end < last:
        months.append(periods.month(months[-1].end + timedelta(days=1)))
    return months


def _behaviour(store: Store, start: date, end: date) -> pd.DataFrame:
    """PenilaianPerilaku of :func:`behaviour_months`, month by month (on Google Sheets one spreadsheet each, not
    every month's), as one frame with the sheet's columns, as ``store.frame`` gives it."""
    rows = [
        r for m in behaviour_months(start, end) for r in store.records("PenilaianPerilaku", where={"periode": m.label})
    ]
    return pd.DataFrame.from_records(rows, columns=schema.sheet("PenilaianPerilaku").keys)


def counted_reports(laporan: pd.DataFrame) -> pd.DataFrame:
    """LaporanHarian without the activities that a correction replaced (``functions.staff.corrections``' rule: the
    correction counts, never both) and without the imported activities the app also has (``functions.staff.
    duplicates``' rule: once), on a frame. Every component, warning and suggestion reads reports from here."""
    gone = corrections.replaced_ids(laporan[corrections.COLUMN]) if corrections.COLUMN in laporan.columns else set()
    if duplicates.COLUMN in laporan.columns and (laporan[duplicates.COLUMN] == duplicates.IMPORTED).any():
        days = laporan.loc[laporan[duplicates.COLUMN] == duplicates.IMPORTED, ["nip", "tanggal"]].drop_duplicates()
        columns = ["id", "nip", "tanggal", "id_target", "kegiatan", duplicates.COLUMN]
        same_days = laporan[columns].merge(days, on=["nip", "tanggal"])  # only the days an import touched
        gone |= duplicates.extra_imports(same_days.to_dict("records"))
    return laporan[~laporan["id"].isin(gone)] if gone else laporan


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """``tanggal`` as datetime64, converted once here: every rule filters these rows by day again."""
    return frame.assign(tanggal=pd.to_datetime(frame["tanggal"]))


def complaint_table(items: list[complaints.Complaint], period: Period, as_of: datetime) -> pd.DataFrame:
    """One row per complaint whose follow-up fell due in the period (or is overdue and still open in it).

    Columns: id, unit, nip_tujuan, batas_tindak_lanjut, dijawab_pada, tepat_waktu, jam_respon,
    terlambat_sekarang.
    """
    rows = []
    for c in items:
        stage = c.deadline.tindak_lanjut
        due = stage.due.date()
        overdue_open = stage.met_at is None and due < period.start and c.is_open
        if not (period.start <= due <= period.end or overdue_open):
            continue
        met = stage.met if stage.met is not None else (False if stage.due < as_of else None)
        if met is None:
            continue  # still open and not yet due: nothing to judge
        rows.append(
            {
                "id": c.id,
                "unit": c.unit,
                "nip_tujuan": c.assignee,
                "batas_tindak_lanjut": stage.due,
                "dijawab_pada": stage.met_at,
                "tepat_waktu": bool(met),
                "jam_respon": c.deadline.first_response_hours,
                "terlambat_sekarang": stage.met_at is None and c.is_open and stage.due < as_of,
            }
        )
    columns = [
        "id",
        "unit",
        "nip_tujuan",
        "batas_tindak_lanjut",
        "dijawab_pada",
        "tepat_waktu",
        "jam_respon",
        "terlambat_sekarang",
    ]
    return pd.DataFrame(rows, columns=columns)
