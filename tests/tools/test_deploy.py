"""The deploy's gcloud commands for a sample project, the CLI's dry run, and the runner with a stand-in gcloud."""

from __future__ import annotations

import importlib
import inspect
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from functions.errors import ConfigurationError
from functions.settings import Settings
from functions.tools import deploy
from functions.tools.deploy import FUNCTIONS, Step
from functions.web import oidc
from functions.web.schedule import JOBS

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "kinerja-uji"
REGION = "asia-southeast2"
RUNTIME_SA = "kinerja-fungsi@kinerja-uji.iam.gserviceaccount.com"
SCHEDULER_SA = "kinerja-penjadwal@kinerja-uji.iam.gserviceaccount.com"
BASE = "https://asia-southeast2-kinerja-uji.cloudfunctions.net"
ENV = {"KINERJA_SMTP_HOST": "smtp.contoh.go.id", "KINERJA_MAIL_FROM": "Pantau Kinerja <kinerja@contoh.go.id>"}
# What the brief of the deploy says: the personal link or nothing is the credential of these.
PUBLIC = {
    "home",
    "submit_report",
    "report_photo",
    "review_reports",
    "rate_behaviour",
    "submit_survey",
    "submit_complaint",
    "complaint_status",
    "transparansi",
    "handle_complaints",
    "team_scores",
    "operator_console",  # the operator's personal link is the credential, then the session cookie
    "resend_link",  # the same answer for every NIP; the link goes only to the address on file
    "suara_warga",  # citizens, no account: the forum's pages and posting
    "dukung_suara",
}
PRIVATE = {"compute_scores", "send_weekly_reports", "send_reminders", "flush_spool", "refresh_read_model"}


@pytest.fixture(autouse=True)
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deploy reads ./main.py, as `make deploy` runs it from the repository."""
    monkeypatch.chdir(ROOT)


def sample(**changes: Any) -> list[list[str]]:
    args: dict[str, Any] = {
        "project": PROJECT,
        "region": REGION,
        "service_account": RUNTIME_SA,
        "scheduler_account": SCHEDULER_SA,
        "secrets": deploy.DEFAULT_SECRETS,
        "env": ENV,
        **changes,
    }
    return deploy.commands(**args)


def options(argv: list[str]) -> dict[str, str]:
    """``--name=value`` and bare ``--name`` flags of a command."""
    found = {}
    for arg in argv:
        if arg.startswith("--"):
            name, _, value = arg[2:].partition("=")
            found[name] = value
    return found


def starting(commands: list[list[str]], *prefix: str) -> list[list[str]]:
    return [c for c in commands if c[: len(prefix)] == list(prefix)]


def main_functions() -> list[str]:
    """The functions main.py registers with functions_framework, found by importing it."""
    from functions_framework import _function_registry

    main = importlib.import_module("main")
    return [
        name
        for name, value in vars(main).items()
        if inspect.isfunction(value)
        and value.__module__ == "main"
        and _function_registry.REGISTRY_MAP.get(name) == "http"
    ]


def test_table_covers_every_function_of_main() -> None:
    registered = main_functions()
    assert sorted(registered) == sorted(deploy.entry_points(ROOT / "main.py"))
    assert set(registered) <= {f.name for f in FUNCTIONS}
    assert {f.name for f in FUNCTIONS} - set(registered) <= {"flush_spool"}  # planned, not written yet


def test_public_and_private_functions_are_as_designed() -> None:
    assert {f.name for f in FUNCTIONS if f.public} == PUBLIC
    assert {f.name for f in FUNCTIONS if not f.public} == PRIVATE
    assert {job.function for job in JOBS} <= PRIVATE


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_each_function_is_deployed_once_as_the_table_says(function: deploy.Function) -> None:
    if function.name not in deploy.entry_points(ROOT / "main.py"):
        pytest.skip(f"{function.name} is not in main.py yet")
    deploys = starting(sample(), "gcloud", "functions", "deploy", function.name)
    assert len(deploys) == 1
    flags = options(deploys[0])
    assert flags["gen2"] == ""
    assert flags["runtime"] == "python311"
    assert flags["region"] == REGION
    assert flags["project"] == PROJECT
    assert flags["service-account"] == RUNTIME_SA
    assert flags["trigger-http"] == ""
    assert flags["entry-point"] == function.name
    assert flags["source"] == "."
    assert flags["memory"] == function.memory
    assert flags["timeout"] == f"{function.timeout_s}s"
    assert flags["max-instances"] == str(function.max_instances)
    assert ("allow-unauthenticated" in flags) is function.public
    assert ("no-allow-unauthenticated" in flags) is not function.public


def test_every_function_of_main_is_deployed_and_nothing_else() -> None:
    deployed = [c[3] for c in starting(sample(), "gcloud", "functions", "deploy")]
    assert sorted(deployed) == sorted(main_functions())


def test_functions_get_the_production_environment() -> None:
    for command in starting(sample(), "gcloud", "functions", "deploy"):
        env = dict(pair.split("=", 1) for pair in options(command)["set-env-vars"].split(","))
        assert env["KINERJA_ENV"] == "production"
        assert env["KINERJA_STORE"] == "gsheets"
        assert env["KINERJA_LOG_FORMAT"] == "json"
        assert env["KINERJA_BASE_URL"] == BASE
        assert env["KINERJA_FUNCTION_URL_BASE"] == BASE
        assert env["KINERJA_SCHEDULER_SERVICE_ACCOUNT"] == SCHEDULER_SA
        assert env["KINERJA_SMTP_HOST"] == "smtp.contoh.go.id"
        assert env["KINERJA_MAIL_FROM"] == "Pantau Kinerja <kinerja@contoh.go.id>"
        assert not set(env) & deploy.SECRET_SETTINGS


def test_secrets_are_referenced_by_name_and_readable_by_the_runtime_account() -> None:
    commands = sample()
    for command in starting(commands, "gcloud", "functions", "deploy"):
        assert options(command)["set-secrets"] == (
            "KINERJA_SECRET_KEY=kinerja-secret-key:latest,KINERJA_SMTP_PASSWORD=kinerja-smtp-password:latest"
        )
    for name in deploy.DEFAULT_SECRETS.values():
        [create] = starting(commands, "gcloud", "secrets", "create", name)
        assert options(create)["replication-policy"] == "automatic"
        [binding] = starting(commands, "gcloud", "secrets", "add-iam-policy-binding", name)
        assert options(binding)["member"] == f"serviceAccount:{RUNTIME_SA}"
        assert options(binding)["role"] == "roles/secretmanager.secretAccessor"
    assert not starting(commands, "gcloud", "secrets", "versions", "add")  # values are never handled here


def test_one_scheduler_job_per_schedule_entry_with_an_oidc_token() -> None:
    creates = starting(sample(), "gcloud", "scheduler", "jobs", "create", "http")
    assert sorted(c[5] for c in creates) == sorted(job.name for job in JOBS)
    for job in JOBS:
        [command] = [c for c in creates if c[5] == job.name]
        flags = options(command)
        url = f"{BASE}/{job.function}"
        assert flags["schedule"] == job.cron
        assert flags["time-zone"] == "Asia/Jakarta"
        assert flags["location"] == REGION
        assert flags["uri"] == url
        assert flags["http-method"] == "POST"
        assert flags["oidc-service-account-email"] == SCHEDULER_SA
        assert flags["oidc-token-audience"] == url == oidc.audience(BASE, job.function)


def test_existing_scheduler_jobs_are_updated_with_the_same_flags() -> None:
    steps = deploy.plan(PROJECT, REGION, RUNTIME_SA, SCHEDULER_SA, deploy.DEFAULT_SECRETS, ENV)
    jobs = [s for s in steps if s.argv[:5] == ["gcloud", "scheduler", "jobs", "create", "http"]]
    assert len(jobs) == len(JOBS)
    for step in jobs:
        assert step.exists is not None and step.exists[:4] == ["gcloud", "scheduler", "jobs", "describe"]
        assert step.update == ["gcloud", "scheduler", "jobs", "update", *step.argv[4:]]


def test_the_scheduler_may_invoke_the_private_functions_only() -> None:
    bindings = starting(sample(), "gcloud", "functions", "add-invoker-policy-binding")
    deployed = set(deploy.entry_points(ROOT / "main.py"))
    assert sorted(c[3] for c in bindings) == sorted(PRIVATE & deployed)
    for command in bindings:
        assert options(command)["member"] == f"serviceAccount:{SCHEDULER_SA}"
        assert options(command)["region"] == REGION


def test_steps_run_in_dependency_order() -> None:
    kinds = [" ".join(c[1:3]) for c in sample()]
    order = ["secrets create", "functions deploy", "functions add-invoker-policy-binding", "scheduler jobs"]
    firsts = [kinds.index(kind) for kind in order]
    lasts = [len(kinds) - 1 - kinds[::-1].index(kind) for kind in order]
    assert firsts == sorted(firsts)
    assert all(last < first for last, first in zip(lasts, firsts[1:], strict=False))


def test_a_comma_in_a_value_switches_gcloud_to_another_delimiter() -> None:
    commands = sample(env={**ENV, "KINERJA_MAIL_FROM": "Pantau Kinerja, Kota Uji <kinerja@contoh.go.id>"})
    value = options(starting(commands, "gcloud", "functions", "deploy")[0])["set-env-vars"]
    assert value.startswith("^|^")
    assert "KINERJA_MAIL_FROM=Pantau Kinerja, Kota Uji <kinerja@contoh.go.id>" in value[3:].split("|")


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"env": {**ENV, "KINERJA_SECRET_KEY": "rahasia-sekali"}}, "KINERJA_SECRET_KEY adalah rahasia"),
        ({"env": {**ENV, "KINERJA_SMTP_PASSWORD": "sandi"}}, "KINERJA_SMTP_PASSWORD adalah rahasia"),
        ({"env": {**ENV, "PORT": "8080"}}, "PORT"),
        ({"env": {**ENV, "KINERJA_ENV": "local"}}, "KINERJA_ENV selalu production"),
        ({"env": {**ENV, "KINERJA_STORE": "sqlite"}}, "KINERJA_STORE selalu gsheets"),
        ({"env": {**ENV, "KINERJA_SCHEDULER_SERVICE_ACCOUNT": "x"}}, "oleh deploy sendiri"),
        ({"env": {**ENV, "KINERJA_TYPO": "1"}}, "KINERJA_TYPO bukan pengaturan"),
        ({"env": {"KINERJA_MAIL_FROM": ENV["KINERJA_MAIL_FROM"]}}, "KINERJA_SMTP_HOST wajib diisi"),
        ({"env": {**ENV, "KINERJA_RATE_LIMIT": "banyak"}}, "KINERJA_RATE_LIMIT"),
        ({"project": "Kinerja_Uji"}, "--project"),
        ({"region": "jakarta"}, "--region"),
        ({"service_account": "orang@contoh.go.id"}, "--service-account"),
        ({"scheduler_account": RUNTIME_SA}, "harus berbeda"),
        ({"secrets": {"KINERJA_SMTP_PASSWORD": "kinerja-smtp-password"}}, "KINERJA_SECRET_KEY wajib"),
        ({"secrets": {**deploy.DEFAULT_SECRETS, "KINERJA_SMTP_HOST": "smtp"}}, "bukan pengaturan rahasia"),
        ({"secrets": {"KINERJA_SECRET_KEY": "nama rahasia"}}, "tidak sah"),
    ],
)
def test_bad_deploy_settings_are_refused_before_any_command(changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(fragment)):
        sample(**changes)


def test_a_function_of_main_missing_from_the_table_stops_the_deploy(tmp_path: Path) -> None:
    names = [job.function for job in JOBS] + ["fungsi_baru"]
    body = "".join(f"@functions_framework.http\ndef {name}(request):\n    return ''\n\n\n" for name in names)
    (tmp_path / "main.py").write_text("import functions_framework\n\n\n" + body)
    with pytest.raises(ConfigurationError, match="fungsi_baru"):
        sample(source=str(tmp_path))


def write_env_file(path: Path) -> Path:
    path.write_text(
        "# production settings, no secrets\n\n"
        "KINERJA_SMTP_HOST=smtp.contoh.go.id\n"
        "KINERJA_MAIL_FROM='Pantau Kinerja <kinerja@contoh.go.id>'\n",
        encoding="utf-8",
    )
    return path


CLI = [
    "--project",
    PROJECT,
    "--region",
    REGION,
    "--service-account",
    RUNTIME_SA,
    "--scheduler-service-account",
    SCHEDULER_SA,
]


def test_cli_dry_run_prints_exactly_the_commands_and_no_secret(tmp_path: Path) -> None:
    env_file = write_env_file(tmp_path / "deploy.env")
    secret_values = {"KINERJA_SECRET_KEY": "kunci-rahasia-" + "k" * 40, "KINERJA_SMTP_PASSWORD": "sandi-smtp-rahasia"}
    result = subprocess.run(
        [sys.executable, "-m", "functions.tools.deploy", "--dry-run", *CLI, "--env-file", str(env_file)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "KINERJA_DATA_DIR": str(tmp_path / "var"), **secret_values},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    assert printed == [shlex.join(command) for command in sample()]
    assert [shlex.split(line) for line in printed] == sample()
    for value in secret_values.values():
        assert value not in result.stdout + result.stderr
    assert "flush_spool" in result.stdout  # said to be skipped while main.py lacks it


def test_cli_takes_the_missing_flags_from_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40)
    code = deploy.main(
        ["--dry-run", "--project", PROJECT, "--env-file", str(write_env_file(tmp_path / "d.env"))], settings
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("galat: ")
    assert "--service-account" in err and "--scheduler-service-account" in err and "--project" not in err


def test_cli_names_a_missing_env_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert deploy.main(["--dry-run", *CLI, "--env-file", str(tmp_path / "tidak-ada.env")]) == 2
    assert "tidak-ada.env tidak ada" in capsys.readouterr().err


def test_cli_without_gcloud_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no gcloud here, so nothing real can run
    assert deploy.main([*CLI, "--env-file", str(write_env_file(tmp_path / "deploy.env"))]) == 2
    assert "Pasang Google Cloud CLI" in capsys.readouterr().err


class FakeGcloud:
    """Records commands; ``existing`` names answer describe with 0; ``versions`` is the listing's output."""

    def __init__(self, existing: set[str], versions: str = "projects/1/secrets/x/versions/1") -> None:
        self.existing = existing
        self.versions = versions
        self.calls: list[list[str]] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(argv)
        code, out = 0, ""
        if "describe" in argv:
            code = 0 if argv[argv.index("describe") + 1] in self.existing else 1
        elif argv[1:4] == ["secrets", "versions", "list"]:
            out = self.versions
        if code and kwargs.get("check"):
            raise subprocess.CalledProcessError(code, argv)
        return subprocess.CompletedProcess(argv, code, out, "")


def test_runner_creates_what_is_missing_and_updates_what_exists(tmp_path: Path) -> None:
    steps = deploy.plan(PROJECT, REGION, RUNTIME_SA, SCHEDULER_SA, deploy.DEFAULT_SECRETS, ENV)
    gcloud = FakeGcloud(existing={"kinerja-secret-key", "skor-mingguan"})
    with (tmp_path / "out.txt").open("w") as out:
        deploy.execute(steps, run=gcloud, out=out)
    ran = [c for c in gcloud.calls if "describe" not in c]
    assert not starting(ran, "gcloud", "secrets", "create", "kinerja-secret-key")
    assert starting(ran, "gcloud", "secrets", "create", "kinerja-smtp-password")
    assert starting(ran, "gcloud", "scheduler", "jobs", "update", "http", "skor-mingguan")
    assert not starting(ran, "gcloud", "scheduler", "jobs", "create", "http", "skor-mingguan")
    assert starting(ran, "gcloud", "scheduler", "jobs", "create", "http", "email-mingguan")
    assert len(starting(ran, "gcloud", "functions", "deploy")) == len(main_functions())


def test_runner_stops_when_a_secret_has_no_value(tmp_path: Path) -> None:
    steps = deploy.plan(PROJECT, REGION, RUNTIME_SA, SCHEDULER_SA, deploy.DEFAULT_SECRETS, ENV)
    gcloud = FakeGcloud(existing=set(), versions="")
    with (tmp_path / "out.txt").open("w") as out, pytest.raises(ConfigurationError, match="versions add"):
        deploy.execute(steps, run=gcloud, out=out)
    assert not starting(gcloud.calls, "gcloud", "functions", "deploy")


def test_render_is_a_shell_script_of_the_steps() -> None:
    step = Step(["gcloud", "x", "a b"], "catatan", exists=["gcloud", "y"], update=["gcloud", "z"])
    assert deploy.render([step]).splitlines() == [
        "# catatan",
        "#   bila sudah ada (gcloud y berhasil): gcloud z",
        "gcloud x 'a b'",
    ]


def test_docs_show_every_option_of_the_cli_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme[readme.index("## Deploy") : readme.index("## Design considerations")]
    known = {opt for action in deploy.parser()._actions for opt in action.option_strings if opt.startswith("--")}
    lines = [line for line in text.splitlines() if "functions.tools.deploy" in line]
    shown = {opt for line in lines for opt in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line)}
    assert shown <= known
    assert known - {"--help"} <= set(re.findall(r"--[a-z][a-z-]*", text))


def test_runner_shows_gclouds_error_when_a_check_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    step = Step(["gcloud", "secrets", "versions", "list", "x"], "periksa", expect_output="kosong")

    def refusing(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(argv, 1, "", "ERROR: PERMISSION_DENIED on secret x\n")

    with (tmp_path / "out.txt").open("w") as out, pytest.raises(subprocess.CalledProcessError):
        deploy.execute([step], run=refusing, out=out)
    assert "PERMISSION_DENIED" in capsys.readouterr().err


FAKE_GCLOUD = """#!/bin/sh
{ printf '%s\\n' "$@"; echo '--'; } >> "$GCLOUD_LOG"
case "$*" in
  *" describe "*) exit 1 ;;
  "secrets versions list "*) echo "projects/1/secrets/x/versions/1" ;;
esac
exit 0
"""


def test_cli_runs_every_command_through_gcloud(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stand-in gcloud on PATH records what the real one would be asked to do."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gcloud").write_text(FAKE_GCLOUD)
    (bin_dir / "gcloud").chmod(0o755)
    log = tmp_path / "gcloud.log"
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("GCLOUD_LOG", str(log))
    assert deploy.main([*CLI, "--env-file", str(write_env_file(tmp_path / "deploy.env"))]) == 0
    ran = [call.strip("\n").split("\n") for call in log.read_text().split("\n--\n") if call.strip()]
    expected = [c[1:] for c in sample()]
    assert [c for c in ran if "describe" not in c] == expected  # nothing existed: every first-time command
    assert capsys.readouterr().out.rstrip().endswith(f"{BASE}/<nama fungsi>")


def test_the_photo_bucket_is_private_and_made_before_the_functions() -> None:
    steps = deploy.plan(PROJECT, REGION, RUNTIME_SA, SCHEDULER_SA, deploy.DEFAULT_SECRETS, ENV)
    bucket = f"gs://{PROJECT}-bukti-laporan"
    create = next(s for s in steps if s.argv[:4] == ["gcloud", "storage", "buckets", "create"])
    assert create.argv[4] == bucket and f"--location={REGION}" in create.argv
    assert "--uniform-bucket-level-access" in create.argv and "--public-access-prevention" in create.argv
    assert create.exists == ["gcloud", "storage", "buckets", "describe", bucket, f"--project={PROJECT}"]
    assert create.update is not None and "--public-access-prevention" in create.update
    grant = steps[steps.index(create) + 1]
    assert grant.argv[:5] == ["gcloud", "storage", "buckets", "add-iam-policy-binding", bucket]
    assert f"--member=serviceAccount:{RUNTIME_SA}" in grant.argv and "--role=roles/storage.objectUser" in grant.argv
    first_function = next(i for i, s in enumerate(steps) if s.argv[1:3] == ["functions", "deploy"])
    assert steps.index(grant) < first_function
    env_flag = next(a for a in steps[first_function].argv if a.startswith("--set-env-vars="))
    assert f"KINERJA_PHOTO_BUCKET={PROJECT}-bukti-laporan" in env_flag
    assert not any("allUsers" in a or "allAuthenticatedUsers" in a for s in steps for a in s.argv)


def test_a_named_photo_bucket_is_used(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    env_file = tmp_path / "deploy.env"
    lines = [f"{k}={v}" for k, v in ENV.items()] + ["KINERJA_PHOTO_BUCKET=bukti-semarang"]
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    flags = ["--project", PROJECT, "--service-account", RUNTIME_SA, "--scheduler-service-account", SCHEDULER_SA]
    assert deploy.main(["--dry-run", "--env-file", str(env_file), *flags]) == 0
    printed = capsys.readouterr().out
    assert "gcloud storage buckets create gs://bukti-semarang" in printed
    assert "KINERJA_PHOTO_BUCKET=bukti-semarang" in printed
