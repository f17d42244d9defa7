"""The operator's plan of the weekly mail (functions/mail/rencana.py): ``send --rencana`` and the deploy's check.

Expected lines are computed by hand in each docstring: per day, each account's limit less the reminders' share on
working days (Monday 30 November to Friday 4 December 2026 in these tests), counted until the week's emails are in.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from functions.mail import rencana
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.tools import deploy
from tests.conftest import SECRET
from tests.mail.test_compose import seed_week
from tests.support.servers import ROOT

MONDAY = date(2026, 11, 30)
DEPLOY = ["--dry-run", "--project", "kinerja-semarang", "--service-account",
          "fungsi@kinerja-semarang.iam.gserviceaccount.com", "--scheduler-service-account",
          "penjadwal@kinerja-semarang.iam.gserviceaccount.com"]  # fmt: skip


def weekdays(day: date) -> bool:
    return day.weekday() < 5


SEMARANG = Counter({"atasan": 1_612, "kepala_unit": 300, "pegawai": 15_610})  # 17,522 a week


def test_the_plan_of_semarangs_week_at_googles_user_limit() -> None:
    """2,000 a day, nothing kept for reminders: 2,000 x 7 = 14,000 in the week, 16,000 on day 8, 18,000 on day 9:
    'selesai dalam 9 hari', and 17,522 - 14,000 = 3,522 given up."""
    settings = Settings(secret_key="k" * 40, mail_reminder_share=0)
    found = rencana.lines(SEMARANG, settings, MONDAY, weekdays, by_email=True)
    assert found[0] == "17.522 email per minggu; batas 2.000 per hari: selesai dalam 9 hari."
    assert found[1] == "Lebih dulu 1.912 ringkasan atasan dan laporan kepala unit, lalu 15.610 ringkasan pegawai."
    assert "Lebih dari 7 hari: 3.522 email tidak terkirim dan dibatalkan setiap minggu." in found
    assert "Yang dapat diubah:" in found


def test_the_plan_with_the_reminders_share_and_what_each_change_would_do() -> None:
    """20% kept on working days: 1,600 Monday to Friday, 2,000 Saturday and Sunday = 12,000; then 13,600, 15,200,
    16,800, 18,400: 11 days, 5,522 given up. Two accounts: 3,200 a working day: 3,200, 6,400, 9,600, 12,800,
    16,000, then Saturday 20,000: 6 days. The relay's 10,000 (8,000 on a working day): 8,000, 16,000, 24,000: 3
    days. The staff summary on the page only: 1,912 emails, more than Monday's 1,600: day 2 (and a warning)."""
    found = rencana.lines(SEMARANG, Settings(secret_key="k" * 40), MONDAY, weekdays, by_email=True)
    assert found[0] == "17.522 email per minggu; batas 2.000 per hari: selesai dalam 11 hari."
    assert "Lebih dari 7 hari: 5.522 email tidak terkirim dan dibatalkan setiap minggu." in found
    assert (
        "Kapasitas mulai Senin, 30 November 2026: Senin 1.600, Selasa 1.600, Rabu 1.600, Kamis 1.600, Jumat 1.600, "
        "Sabtu 2.000, Minggu 2.000 (12.000 dalam 7 hari)." in found
    )
    assert (
        "Perhatian: 1.912 ringkasan atasan dan laporan kepala unit tidak semuanya terkirim pada hari pertama "
        "(kapasitas 1.600)." in found
    )
    changes = found[found.index("Yang dapat diubah:") + 1 :]
    assert changes[0].endswith("dengan 2 akun selesai dalam 6 hari")
    assert changes[1].endswith("10.000 per hari per pengguna): selesai dalam 3 hari")
    assert changes[2].endswith("1.912 email per minggu, selesai dalam 2 hari")


def test_the_plan_of_a_small_week_says_one_day_and_asks_for_no_change() -> None:
    found = rencana.lines(Counter({"atasan": 2, "kepala_unit": 1, "pegawai": 5}), Settings(), MONDAY, weekdays, True)
    assert found[0] == "8 email per minggu; batas 2.000 per hari: selesai dalam 1 hari."
    assert "Yang dapat diubah:" not in found


def send_rencana(settings: Settings, **env: str) -> subprocess.CompletedProcess[str]:
    variables = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "functions", "send", "--rencana"],
        cwd=ROOT,
        env=variables | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_send_rencana_prints_the_plan_and_sends_nothing(
    settings: Settings, store: SQLiteStore, city: dict[str, Any]
) -> None:
    """The tiny city: 2 digests, 1 head report, 5 summaries = 8. At 3 a day with nothing kept: 3, 6, 9: 3 days; two
    accounts: 6, 12: 2 days."""
    seed_week(store)
    done = send_rencana(settings, KINERJA_MAIL_DAILY_LIMIT="3", KINERJA_MAIL_REMINDER_SHARE="0")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "8 email per minggu; batas 3 per hari: selesai dalam 3 hari."
    assert lines[1] == "Lebih dulu 3 ringkasan atasan dan laporan kepala unit, lalu 5 ringkasan pegawai."
    assert (
        "- tambah akun pengirim (KINERJA_SMTP_USER_2 dan KINERJA_SMTP_PASSWORD_2): dengan 2 akun selesai dalam 2 hari"
        in lines
    )
    assert any(line.startswith("Minggu ") and "0 terkirim, 8 menunggu" in line for line in lines)
    assert store.count("Terkirim") == 0 and not (settings.data_dir / "outbox").exists()
    assert "@" not in done.stdout + done.stderr
    default = send_rencana(settings)
    assert default.stdout.splitlines()[0] == "8 email per minggu; batas 2.000 per hari: selesai dalam 1 hari."


def env_file(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(["KINERJA_SMTP_HOST=smtp-relay.gmail.com", *lines]) + "\n", encoding="utf-8")
    return path


def test_the_deploy_prints_the_same_plan_from_the_functions_limits(
    settings: Settings, store: SQLiteStore, city: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The week counted from this computer's store (8), the limits from the functions' environment: 3 a day and a
    second account (its password a secret reference): 6, 12: 2 days."""
    seed_week(store)
    limits = env_file(
        tmp_path / "deploy.env",
        "KINERJA_MAIL_DAILY_LIMIT=3",
        "KINERJA_MAIL_REMINDER_SHARE=0",
        "KINERJA_SMTP_USER=relay1@kota.go.id",
        "KINERJA_SMTP_USER_2=relay2@kota.go.id",
    )
    secrets = ["--secret", "KINERJA_SECRET_KEY=kinerja-secret-key", "--secret", "KINERJA_SMTP_PASSWORD=sandi-1",
               "--secret", "KINERJA_SMTP_PASSWORD_2=sandi-2"]  # fmt: skip
    assert deploy.main([*DEPLOY, *secrets, "--env-file", str(limits)], settings) == 0
    out = capsys.readouterr().out
    assert "#   8 email per minggu; batas 3 per hari untuk setiap akun, 2 akun: selesai dalam 2 hari." in out
    assert "KINERJA_SMTP_PASSWORD_2=sandi-2:latest" in out  # the second password: a Secret Manager reference


def test_the_deploy_without_a_store_here_prints_the_weeks_capacity(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No store on this computer: the capacity alone. From Thursday 26 November 2026 the next sending week starts
    Monday 30 November: 2,000 a day less 400 on five working days = 12,000."""
    assert deploy.main([*DEPLOY, "--env-file", str(env_file(tmp_path / "deploy.env"))], settings) == 0
    out = capsys.readouterr().out
    assert re.search(r"#   Jumlah email per minggu tidak terbaca .* paling banyak [0-9.]+ email dalam 7 hari", out)
    assert "#   Hitung dengan: python -m functions send --rencana" in out
    found = deploy.mail_plan(Settings(secret_key=SECRET), None, date(2026, 11, 26))
    assert "batas 2.000 per hari: paling banyak 12.000 email dalam 7 hari, sisanya dibatalkan." in found[0]
