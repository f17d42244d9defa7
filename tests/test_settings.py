from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from functions import settings as settings_module
from functions.errors import ConfigurationError
from functions.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_the_embedded_local_home(tmp_path: Path) -> None:
    s = Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path)})
    assert s.store == "sqlite"
    assert s.mail_transport == "outbox"
    assert s.timezone == "Asia/Jakarta"
    assert s.sqlite_path == tmp_path / "kinerja.sqlite3"


def test_local_base_url_follows_port(tmp_path: Path) -> None:
    assert Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path)}).base_url == "http://127.0.0.1:8080"
    assert Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path), "PORT": "18500"}).base_url == "http://127.0.0.1:18500"
    assert Settings(data_dir=tmp_path, port=18500).base_url == "http://127.0.0.1:18500"


def test_an_explicit_base_url_wins_over_port(tmp_path: Path) -> None:
    env = {"KINERJA_DATA_DIR": str(tmp_path), "PORT": "18500", "KINERJA_BASE_URL": "https://kinerja.go.id/"}
    assert Settings.from_env(env).base_url == "https://kinerja.go.id"
    assert Settings(data_dir=tmp_path, port=18500, base_url="http://10.0.0.5:8080").base_url == "http://10.0.0.5:8080"


def test_local_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    first = Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path)})
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_is_hidden_from_repr(tmp_path: Path) -> None:
    secret = "s" * 40
    s = Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path), "KINERJA_SECRET_KEY": secret})
    assert secret not in repr(s)
    assert s.secret_key == secret


def test_as_environment_names_every_variable_and_hides_secrets(tmp_path: Path) -> None:
    secret = "s" * 40
    s = Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path), "KINERJA_SECRET_KEY": secret, "PORT": "18500"})
    shown = s.as_environment()
    assert list(shown) == [f.metadata["env"] for f in fields(Settings)]
    assert shown["KINERJA_SECRET_KEY"] == "(tersembunyi)" and secret not in shown.values()
    assert shown["KINERJA_SMTP_PASSWORD"] == ""  # unset: nothing to hide
    assert shown["KINERJA_BASE_URL"] == "http://127.0.0.1:18500"


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({"KINERJA_STORE": "excel"}, "KINERJA_STORE"),
        ({"KINERJA_MAIL_TRANSPORT": "pigeon"}, "KINERJA_MAIL_TRANSPORT"),
        ({"KINERJA_SECRET_KEY": "short"}, "KINERJA_SECRET_KEY"),
        ({"KINERJA_ENV": "production"}, "KINERJA_SECRET_KEY wajib diisi"),
        ({"KINERJA_TIMEZONE": "Mars/Olympus"}, "KINERJA_TIMEZONE"),
        ({"KINERJA_MAX_BODY_BYTES": "lots"}, "KINERJA_MAX_BODY_BYTES"),
        ({"KINERJA_MAX_BODY_BYTES": "10"}, "KINERJA_MAX_BODY_BYTES"),
        ({"KINERJA_BASE_URL": "ftp://x"}, "KINERJA_BASE_URL"),
        ({"KINERJA_ENV": "staging"}, "KINERJA_ENV"),
        ({"KINERJA_PHOTO_MAX_BYTES": "100"}, "KINERJA_PHOTO_MAX_BYTES"),
        ({"KINERJA_PHOTO_MAX_BYTES": "9000000", "KINERJA_UPLOAD_MAX_BYTES": "8000000"}, "KINERJA_PHOTO_MAX_BYTES"),
        ({"KINERJA_UPLOAD_MAX_BYTES": "40000000"}, "KINERJA_PHOTO_MAX_BYTES"),
        (
            {"KINERJA_ENV": "production", "KINERJA_SECRET_KEY": "k" * 40, "KINERJA_STORAGE_API_URL": "http://x"},
            "KINERJA_STORAGE_API_URL",
        ),
    ],
)
def test_invalid_settings_are_refused_at_start(tmp_path: Path, env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment):
        Settings.from_env({"KINERJA_DATA_DIR": str(tmp_path), **env})


def test_readme_configuration_table_matches_settings() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_module.markdown_table() in readme


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for path in (ROOT / "functions").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "settings.py" and ("os.environ" in text or "os.getenv" in text):
            offenders.append(path.name)
    assert offenders == []
