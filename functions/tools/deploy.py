"""The deploy to Google Cloud as the exact ``gcloud`` commands: printed (``--dry-run``) or run in order.

Every step may run again: missing secrets and scheduler jobs are created (existing jobs updated), functions
deployed or redeployed, IAM bindings added once. Secret values never pass through here: only secret names.

``FUNCTIONS`` is the table of every entry point of ``main.py``: who may call it and its size; a test fails
when ``main.py`` gains a function the table lacks. ``functions.web.schedule.JOBS`` gives the scheduler jobs.
"""

from __future__ import annotations

import argparse
import ast
import logging
import re
import shlex
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from functions.errors import ConfigurationError
from functions.settings import Settings
from functions.tools.argparse_id import Parser
from functions.web.oidc import audience
from functions.web.schedule import JOBS, TIMEZONE

log = logging.getLogger(__name__)
RUNTIME = "python311"
DEFAULT_REGION = "asia-southeast2"  # Jakarta
DEFAULT_SECRETS: Mapping[str, str] = {
    "KINERJA_SECRET_KEY": "kinerja-secret-key",
    "KINERJA_SMTP_PASSWORD": "kinerja-smtp-password",
}
ACCESSOR_ROLE = "roles/secretmanager.secretAccessor"
PHOTO_ROLE = "roles/storage.objectUser"  # create, read, list and delete objects; nothing on the bucket itself
SCHEDULER_RETRIES = 3  # the jobs are idempotent: a retry heals a failed run


@dataclass(frozen=True)
class Function:
    name: str  # the entry point in main.py, also the function's name
    public: bool  # True: anyone may call it (--allow-unauthenticated); False: Cloud Scheduler only
    memory: str
    timeout_s: int
    max_instances: int


FUNCTIONS: tuple[Function, ...] = (
    # Public: the personal link (staff, supervisors) or nothing at all (citizens) is the credential.
    Function("submit_report", True, "512Mi", 60, 30),
    Function("review_reports", True, "512Mi", 60, 10),
    Function("rate_behaviour", True, "512Mi", 60, 10),
    Function("submit_survey", True, "512Mi", 60, 10),
    Function("submit_complaint", True, "512Mi", 60, 10),
    Function("complaint_status", True, "512Mi", 60, 10),
    Function("handle_complaints", True, "512Mi", 60, 10),
    Function("team_scores", True, "1Gi", 120, 10),  # pandas and charts
    Function("operator_console", True, "512Mi", 120, 5),  # a few operators; link emails in small batches
    Function("resend_link", True, "512Mi", 60, 5),  # "Kirim ulang tautan saya": rare, rate limited
    Function("suara_warga", True, "512Mi", 60, 10),  # the public forum: its pages and posting
    Function("dukung_suara", True, "512Mi", 60, 10),  # supporting a published suggestion
    Function("transparansi", True, "512Mi", 60, 10),  # reads the published snapshot only, cached per instance
    Function("home", True, "512Mi", 60, 30),  # the personal link's page: as busy as submit_report
    Function("report_photo", True, "512Mi", 60, 10),  # a report's photo, only through a personal link
    # Private: Cloud Scheduler with an OIDC token; one instance each, so runs never overlap.
    # Peak memory of a 15,000-staff city against the Sheets API test server (docs/benchmarks.md): compute_scores
    # about 5.5 GiB (a quarter of reports read), send_weekly_reports about 1.5 GiB.
    Function("compute_scores", False, "8Gi", 1800, 1),
    Function("send_weekly_reports", False, "4Gi", 1800, 1),
    Function("send_reminders", False, "512Mi", 540, 1),
    Function("flush_spool", False, "512Mi", 540, 1),
    Function("refresh_read_model", False, "1Gi", 540, 1),  # Pegawai of 15,000 staff and its chunks in memory
)

FIXED_ENV = {
    "KINERJA_ENV": "production",
    "KINERJA_STORE": "gsheets",
    "KINERJA_SPOOL": "firestore",
}  # production on Sheets
SET_BY_DEPLOY = frozenset({"KINERJA_FUNCTION_URL_BASE", "KINERJA_SCHEDULER_SERVICE_ACCOUNT"})
RESERVED_ENV = frozenset({"PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", "FUNCTION_TARGET"})  # Cloud Run's
SECRET_SETTINGS = frozenset(f.metadata["env"] for f in fields(Settings) if f.metadata["secret"])
KNOWN_SETTINGS = frozenset(f.metadata["env"] for f in fields(Settings)) | SET_BY_DEPLOY

PROJECT_ID = re.compile(r"[a-z][a-z0-9-]{4,28}[a-z0-9]")
REGION = re.compile(r"[a-z]+-[a-z]+[0-9]+")
ACCOUNT = re.compile(r"[a-z0-9][a-z0-9-]{0,62}@[a-z0-9.-]+\.gserviceaccount\.com")
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
SECRET_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")


@dataclass(frozen=True)
class Step:
    """A command. When ``exists`` (a describe) succeeds, ``update`` runs instead, or nothing when it is None.
    With ``expect_output`` the command only reads, and an empty output stops the deploy with that message."""

    argv: list[str]
    note: str
    exists: list[str] | None = None
    update: list[str] | None = None
    expect_output: str | None = None


def url_base(project: str, region: str) -> str:
    """Where the functions answer, ``<this>/<function>``: the cloudfunctions.net address works for gen2 too."""
    return f"https://{region}-{project}.cloudfunctions.net"


def entry_points(main_py: Path) -> list[str]:
    """The functions of ``main.py`` decorated with ``@functions_framework.http``, in file order."""
    tree = ast.parse(main_py.read_text(encoding="utf-8"), filename=str(main_py))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d) == "functions_framework.http" for d in node.decorator_list)
    ]


def deployable(source: str) -> list[Function]:
    """The table's functions that main.py has, in table order; a main.py function missing from it stops the deploy."""
    names = entry_points(Path(source) / "main.py")
    table = {f.name: f for f in FUNCTIONS}
    unknown = [name for name in names if name not in table]
    if unknown:
        raise ConfigurationError(
            f"main.py punya fungsi yang tidak ada di tabel FUNCTIONS (functions/tools/deploy.py): "
            f"{', '.join(unknown)}. Tambahkan barisnya: publik atau privat, memori, batas waktu, instans maksimum."
        )
    for job in JOBS:
        if job.function not in names or table[job.function].public:
            raise ConfigurationError(f"Jadwal {job.name}: {job.function} harus ada di main.py dan privat di FUNCTIONS.")
    return [f for f in FUNCTIONS if f.name in names]


def check(project: str, region: str, service_account: str, scheduler_account: str, secrets: Mapping[str, str]) -> None:
    """Refuse what gcloud would refuse later, or worse, accept: each problem named with its fix."""
    problems = []
    if not PROJECT_ID.fullmatch(project):
        problems.append(f"--project {project!r} bukan ID proyek Google Cloud (mis. kinerja-semarang)")
    if not REGION.fullmatch(region):
        problems.append(f"--region {region!r} bukan nama region (mis. {DEFAULT_REGION})")
    for flag, account in (("--service-account", service_account), ("--scheduler-service-account", scheduler_account)):
        if not ACCOUNT.fullmatch(account):
            problems.append(f"{flag} {account!r} bukan email akun layanan (NAMA@PROYEK.iam.gserviceaccount.com)")
    if service_account == scheduler_account:
        problems.append("akun layanan runtime dan penjadwal harus berbeda: penjadwal hanya boleh memanggil")
    problems += [f"--secret {env}: bukan pengaturan rahasia" for env in secrets if env not in SECRET_SETTINGS]
    problems += [f"--secret: nama {name!r} tidak sah" for name in secrets.values() if not SECRET_NAME.fullmatch(name)]
    if "KINERJA_SECRET_KEY" not in secrets:
        problems.append("KINERJA_SECRET_KEY wajib dirujuk (--secret KINERJA_SECRET_KEY=kinerja-secret-key)")
    if problems:
        raise ConfigurationError("Pengaturan deploy tidak sah: " + "; ".join(problems) + ".")


def function_env(
    project: str, region: str, scheduler_account: str, env: Mapping[str, str], secrets: Mapping[str, str]
) -> dict[str, str]:
    """The non-secret environment of the functions: defaults, then ``env``, then what the deploy fixes.

    Checked by ``Settings`` itself (secrets stood in by placeholders), so a function never fails to start."""
    problems = []
    for key, value in env.items():
        if not ENV_NAME.fullmatch(key):
            problems.append(f"nama {key!r} tidak sah")
        elif key in SECRET_SETTINGS:
            problems.append(f"{key} adalah rahasia: simpan di Secret Manager dan rujuk dengan --secret")
        elif key in RESERVED_ENV or key in SET_BY_DEPLOY:
            problems.append(f"{key} diatur oleh Cloud Run atau oleh deploy sendiri; hapus")
        elif key.startswith("KINERJA_") and key not in KNOWN_SETTINGS:
            problems.append(f"{key} bukan pengaturan yang dikenal (tabel Konfigurasi di README)")
        elif key in FIXED_ENV and value != FIXED_ENV[key]:
            problems.append(f"{key} selalu {FIXED_ENV[key]} di produksi")
    if problems:
        raise ConfigurationError("Lingkungan fungsi tidak sah: " + "; ".join(problems) + ".")
    base = url_base(project, region)
    values = {
        "KINERJA_LOG_FORMAT": "json",
        "KINERJA_DATA_DIR": "/tmp/kinerja",  # noqa: S108 - the only writable folder of a function
        "KINERJA_BASE_URL": base,
        "KINERJA_MAIL_TRANSPORT": "smtp",
        **env,
        **FIXED_ENV,
        "KINERJA_FUNCTION_URL_BASE": base,
        "KINERJA_SCHEDULER_SERVICE_ACCOUNT": scheduler_account,
    }
    try:
        Settings.from_env({**values, **{name: "x" * 48 for name in secrets}})
    except ConfigurationError as err:
        raise ConfigurationError(f"Fungsi tidak akan bisa mulai dengan lingkungan ini: {err.message}") from err
    return dict(sorted(values.items()))


def _mapping_flag(values: Mapping[str, str]) -> str:
    """``K=V,K2=V2``; with a comma in a value, gcloud's ``^D^`` form with a delimiter found in no value."""
    text = "".join(f"{k}{v}" for k, v in values.items())
    delimiter = "," if "," not in text else next((d for d in "|;#~:!%+" if d not in text), None)
    if delimiter is None:
        raise ConfigurationError("Nilai --env memuat semua karakter pemisah yang mungkin; sederhanakan nilainya.")
    joined = delimiter.join(f"{k}={v}" for k, v in values.items())
    return joined if delimiter == "," else f"^{delimiter}^{joined}"


def plan(
    project: str,
    region: str,
    service_account: str,
    scheduler_account: str,
    secrets: Mapping[str, str],
    env: Mapping[str, str],
    source: str = ".",
) -> list[Step]:
    """Every step of the deploy, in order: secrets, the photo bucket, functions, the scheduler's invoker bindings,
    scheduler jobs."""
    check(project, region, service_account, scheduler_account, secrets)
    functions = deployable(source)
    bucket = env.get("KINERJA_PHOTO_BUCKET") or photo_bucket(project)
    env = {**env, "KINERJA_PHOTO_BUCKET": bucket}
    env_flag = _mapping_flag(function_env(project, region, scheduler_account, env, secrets))
    secrets_flag = _mapping_flag({env_name: f"{name}:latest" for env_name, name in secrets.items()})

    def gcloud(*args: str) -> list[str]:
        return ["gcloud", *args, f"--project={project}"]

    steps: list[Step] = []
    for env_name, name in secrets.items():
        add = "read -rs NILAI && printf '%s' \"$NILAI\" | "
        add += f"gcloud secrets versions add {name} --data-file=- --project={project}"
        steps += [
            Step(
                gcloud("secrets", "create", name, "--replication-policy=automatic"),
                f"Rahasia {name} ({env_name}) di Secret Manager, dibuat kosong bila belum ada.",
                exists=gcloud("secrets", "describe", name),
            ),
            Step(
                gcloud("secrets", "versions", "list", name, "--filter=state:ENABLED", "--limit=1",
                       "--format=value(name)"),
                f"Rahasia {name} harus sudah berisi nilai (hanya membaca daftar versi).",
                expect_output=f"Rahasia {name} belum berisi nilai. Isi dulu, lalu ulangi deploy: {add}",
            ),
            Step(
                gcloud("secrets", "add-iam-policy-binding", name, f"--member=serviceAccount:{service_account}",
                       f"--role={ACCESSOR_ROLE}"),
                f"Akun layanan runtime boleh membaca rahasia {name}.",
            ),
        ]  # fmt: skip
    steps += photo_bucket_steps(bucket, region, service_account, gcloud)
    for f in functions:
        flags = (
            "--gen2", f"--runtime={RUNTIME}", f"--region={region}", f"--source={source}", f"--entry-point={f.name}",
            "--trigger-http", f"--service-account={service_account}", f"--memory={f.memory}",
            f"--timeout={f.timeout_s}s", f"--max-instances={f.max_instances}", f"--set-env-vars={env_flag}",
            f"--set-secrets={secrets_flag}", "--allow-unauthenticated" if f.public else "--no-allow-unauthenticated",
        )  # fmt: skip
        note = f"Fungsi {f.name}: " + ("publik." if f.public else "privat, hanya untuk Cloud Scheduler.")
        steps.append(Step(gcloud("functions", "deploy", f.name, *flags), note))
    for f in functions:
        if not f.public:
            member = f"--member=serviceAccount:{scheduler_account}"
            invoker = gcloud("functions", "add-invoker-policy-binding", f.name, f"--region={region}", member)
            steps.append(Step(invoker, f"Akun layanan penjadwal boleh memanggil {f.name} (roles/run.invoker)."))
    timeouts = {f.name: f.timeout_s for f in functions}
    for job in JOBS:
        url = audience(url_base(project, region), job.function)
        job_flags = (
            f"--location={region}", f"--schedule={job.cron}", f"--time-zone={TIMEZONE}", f"--uri={url}",
            "--http-method=POST", f"--oidc-service-account-email={scheduler_account}",
            f"--oidc-token-audience={url}", f"--attempt-deadline={min(timeouts[job.function], 1800)}s",
            f"--max-retry-attempts={SCHEDULER_RETRIES}", "--min-backoff=5m", f"--description={job.description}",
        )  # fmt: skip
        steps.append(
            Step(
                gcloud("scheduler", "jobs", "create", "http", job.name, *job_flags),
                f"Jadwal {job.name} ({job.cron}, {TIMEZONE}) memanggil {job.function} dengan token OIDC.",
                exists=gcloud("scheduler", "jobs", "describe", job.name, f"--location={region}"),
                update=gcloud("scheduler", "jobs", "update", "http", job.name, *job_flags),
            )
        )
    return steps


def photo_bucket(project: str) -> str:
    """The photo bucket's name when ``KINERJA_PHOTO_BUCKET`` is not given (bucket names are global)."""
    return f"{project}-bukti-laporan"


def photo_bucket_steps(bucket: str, region: str, service_account: str, gcloud: Callable[..., list[str]]) -> list[Step]:
    """The private bucket of the report photos: in the functions' region, uniform access (no per-object ACL), public
    access prevented (no object can ever be made public), and the runtime account may create, read and delete
    objects. No lifecycle rule: a photo is evidence of a report row and lives as long as the row does."""
    private = ("--uniform-bucket-level-access", "--public-access-prevention")
    return [
        Step(
            gcloud("storage", "buckets", "create", f"gs://{bucket}", f"--location={region}", *private),
            f"Bucket foto bukti laporan gs://{bucket}: pribadi, akses seragam, tidak dapat dibuat publik.",
            exists=gcloud("storage", "buckets", "describe", f"gs://{bucket}"),
            update=gcloud("storage", "buckets", "update", f"gs://{bucket}", *private),
        ),
        Step(
            gcloud("storage", "buckets", "add-iam-policy-binding", f"gs://{bucket}",
                   f"--member=serviceAccount:{service_account}", f"--role={PHOTO_ROLE}"),
            f"Akun layanan runtime boleh menyimpan, membaca dan menghapus foto di gs://{bucket}.",
        ),
    ]  # fmt: skip


def commands(
    project: str,
    region: str,
    service_account: str,
    scheduler_account: str,
    secrets: Mapping[str, str],
    env: Mapping[str, str],
    source: str = ".",
) -> list[list[str]]:
    """The gcloud commands of the deploy (argv lists); ``plan`` also says what runs when a resource exists."""
    return [step.argv for step in plan(project, region, service_account, scheduler_account, secrets, env, source)]


def render(steps: Sequence[Step]) -> str:
    """The steps as a shell script: a comment, then the command; an existing resource's variant as a comment."""
    lines = []
    for step in steps:
        lines.append(f"# {step.note}")
        if step.exists is not None:
            then = shlex.join(step.update) if step.update else "dilewati"
            lines.append(f"#   bila sudah ada ({shlex.join(step.exists)} berhasil): {then}")
        lines.append(shlex.join(step.argv))
    return "\n".join(lines)


Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def execute(steps: Sequence[Step], run: Runner = subprocess.run, out: TextIO = sys.stdout) -> None:
    """Run the steps in order, each printed first; the first failure raises CalledProcessError."""
    for step in steps:
        print(f"# {step.note}", file=out, flush=True)
        argv = step.argv
        if step.exists is not None and run(step.exists, capture_output=True, text=True, check=False).returncode == 0:
            if step.update is None:
                print("#   sudah ada, dilewati.", file=out, flush=True)
                continue
            argv = step.update
        print(shlex.join(argv), file=out, flush=True)
        if step.expect_output is None:
            run(argv, check=True)
            continue
        result = run(argv, capture_output=True, text=True, check=False)
        if result.returncode:
            print(result.stderr, file=sys.stderr, end="", flush=True)  # gcloud's own explanation
            raise subprocess.CalledProcessError(result.returncode, argv)
        if not result.stdout.strip():
            raise ConfigurationError(step.expect_output)


def pairs(lines: Sequence[str], where: str) -> dict[str, str]:
    """``NAME=value`` lines; blank lines and ``#`` comments skipped, one pair of surrounding quotes removed."""
    found = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        key, sep, value = line.partition("=")
        if line and not line.startswith("#"):
            if not sep or not key.strip():
                raise ConfigurationError(f"{where}{number}: tulis NAMA=NILAI.")
            value = value.strip()
            quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
            found[key.strip()] = value[1:-1] if quoted else value
    return found


def parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="python -m functions.tools.deploy",
        description="Deploy ke Google Cloud: fungsi, rahasia, dan jadwal Cloud Scheduler (README, Deploy).",
    )
    p.add_argument("--dry-run", action="store_true", help="cetak perintah gcloud saja, tanpa menjalankannya")
    p.add_argument("--project", metavar="ID", help="id proyek Google Cloud (KINERJA_GCP_PROJECT)")
    p.add_argument("--region", help=f"region fungsi dan jadwal (KINERJA_GCP_REGION, bawaan {DEFAULT_REGION})")
    p.add_argument("--service-account", metavar="EMAIL", help="akun layanan runtime fungsi (KINERJA_SERVICE_ACCOUNT)")
    p.add_argument(
        "--scheduler-service-account",
        metavar="EMAIL",
        help="akun layanan token Cloud Scheduler (KINERJA_SCHEDULER_SERVICE_ACCOUNT)",
    )
    defaults = " ".join(f"{k}={v}" for k, v in DEFAULT_SECRETS.items())
    p.add_argument(
        "--secret", action="append", default=[], metavar="VARIABEL=NAMA", help=f"boleh berulang; bawaan {defaults}"
    )
    p.add_argument(
        "--env", action="append", default=[], metavar="NAMA=NILAI", help="pengaturan bukan rahasia; boleh berulang"
    )
    p.add_argument(
        "--env-file", type=Path, metavar="BERKAS", help="baris NAMA=NILAI pengaturan bukan rahasia, mis. deploy.env"
    )
    p.add_argument(
        "--source", default=".", metavar="FOLDER", help="folder berisi main.py dan requirements.txt (bawaan .)"
    )
    return p


# The flags whose default is a setting: flag -> field of Settings (README, Deploy).
FLAG_SETTINGS = {"project": "gcp_project", "region": "gcp_region", "service_account": "service_account",
                 "scheduler_service_account": "scheduler_service_account"}  # fmt: skip


def _fill_from_settings(args: argparse.Namespace, settings: Settings | None) -> None:
    """Flags left out come from the settings (``KINERJA_GCP_*``), read only when a flag is missing."""
    if not all(getattr(args, flag) for flag in FLAG_SETTINGS):
        settings = settings or Settings.from_env()
        for flag, setting in FLAG_SETTINGS.items():
            setattr(args, flag, getattr(args, flag) or str(getattr(settings, setting, "") or ""))
    args.region = args.region or DEFAULT_REGION
    missing = [f"--{flag.replace('_', '-')}" for flag in FLAG_SETTINGS if not getattr(args, flag)]
    if missing:
        raise ConfigurationError(f"Isi {', '.join(missing)} (atau pengaturan KINERJA_* yang sesuai; README, Deploy).")


def mail_plan(functions_settings: Settings, local: Settings | None, today: date) -> list[str]:
    """``send --rencana``'s check of the weekly mail against the functions' mail limits, the emails counted from the
    store this computer's settings name (the production sheets, with the operator's credentials) when it can be
    read; otherwise the capacity alone. Never stops the deploy."""
    from functions.mail import rencana
    from functions.rules.workdays import is_workday

    monday = today + timedelta(days=7 - today.weekday())
    counts = _weekly_counts(local) if local is not None else None
    if counts is None:
        return rencana.capacity_only(functions_settings, monday, is_workday)
    kinds, by_email = counts
    return rencana.lines(kinds, functions_settings, monday, is_workday, by_email)


def _local_settings() -> Settings | None:
    """This computer's settings, to count the week's emails; None when they are not valid here."""
    try:
        return Settings.from_env()
    except ConfigurationError:
        return None


def _weekly_counts(local: Settings) -> tuple[Counter[str], bool] | None:
    """The last complete week's emails by kind and whether staff summaries are emailed, from ``local``'s store;
    None when there is none here or it cannot be read (said in the log)."""
    from functions import periods
    from functions.errors import KinerjaError
    from functions.mail import compose
    from functions.runtime import Runtime

    here = local.sqlite_path.is_file() if local.store == "sqlite" else bool(local.sheets_admin_id)
    if not here:
        return None
    try:
        runtime = Runtime.from_settings(local)
        week = periods.last_complete_week(runtime.today())
        planned = compose.plan_weekly(runtime.store, local, week.label, runtime.now())
        return Counter(p.kind for p in planned), compose.staff_by_email(runtime.store)
    except KinerjaError as err:
        log.warning("mail plan: the store could not be read (%s)", type(err).__name__)
        return None


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        _fill_from_settings(args, settings)
        env = {}
        if args.env_file:
            if not args.env_file.is_file():
                raise ConfigurationError(f"Berkas {args.env_file} tidak ada. Buat dari contoh di README, Deploy.")
            env = pairs(args.env_file.read_text(encoding="utf-8").splitlines(), f"{args.env_file} baris ")
        env.update(pairs(args.env, "--env ke-"))
        secrets = pairs(args.secret, "--secret ke-") or dict(DEFAULT_SECRETS)
        account, scheduler = args.service_account, args.scheduler_service_account
        steps = plan(args.project, args.region, account, scheduler, secrets, env, args.source)
        print(f"# Pantau Kinerja: deploy ke proyek {args.project}, region {args.region}, {len(steps)} langkah.")
        values = function_env(args.project, args.region, scheduler, env, secrets)
        functions_settings = Settings.from_env({**values, **{name: "x" * 48 for name in secrets}})
        local = settings or _local_settings()
        print("# Rencana email mingguan (batas server surat fungsi):")
        today = datetime.now(functions_settings.tz).date()
        print("\n".join(f"#   {line}" for line in mail_plan(functions_settings, local, today)))
        skipped = sorted({f.name for f in FUNCTIONS} - set(entry_points(Path(args.source) / "main.py")))
        if skipped:
            print(f"# Belum ada di main.py, tidak di-deploy: {', '.join(skipped)}.")
        if args.dry_run:
            print("# Uji coba: tidak ada yang dijalankan.\n" + render(steps))
            return 0
        execute(steps)
    except ConfigurationError as err:
        print(f"galat: {err.message}", file=sys.stderr)
        return 2
    except FileNotFoundError:
        print("galat: gcloud tidak ditemukan. Pasang Google Cloud CLI, lalu gcloud auth login.", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as err:
        print(
            f"galat: perintah gagal (kode {err.returncode}): {shlex.join(err.cmd)}. Perbaiki penyebabnya (lihat "
            "keluaran gcloud di atas) lalu jalankan lagi; langkah yang sudah selesai aman diulang.",
            file=sys.stderr,
        )
        return 1
    print(f"Selesai. Alamat fungsi: {url_base(args.project, args.region)}/<nama fungsi>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
