"""argparse in Indonesian (functions/tools/argparse_id.py): argparse's messages translated, help and errors."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from functions.tools import argparse_id
from functions.tools.argparse_id import Parser, translate
from tests.support.english import english
from tests.support.servers import ROOT


@pytest.mark.parametrize(
    ("message", "indonesian"),
    [
        ("the following arguments are required: BERKAS", "argumen berikut wajib diisi: BERKAS"),
        ("unrecognized arguments: --x --y", "argumen tidak dikenal: --x --y"),
        ("argument --csv: expected one argument", "argumen --csv: perlu satu nilai"),
        (
            "argument PERINTAH: invalid choice: 'x' (choose from 'serve', 'demo')",
            "argumen PERINTAH: pilihan 'x' tidak dikenal (pilih dari 'serve', 'demo')",
        ),
        ("argument --n: invalid int value: 'dua'", "argumen --n: nilai 'dua' tidak sah (harus bilangan bulat)"),
        ("argument --a: not allowed with argument --b", "argumen --a: tidak boleh bersama argumen --b"),
        ("argument --x: expected 2 arguments", "argumen --x: perlu 2 nilai"),
        ("ambiguous option: --s could match --semua, --sumber", "opsi --s tidak jelas: bisa berarti --semua, --sumber"),
        # A message argparse did not make (our own types say it in Indonesian) stays as it is.
        ("argument --mundur: harus bilangan bulat", "argumen --mundur: harus bilangan bulat"),
        ("sesuatu yang lain", "sesuatu yang lain"),
    ],
)
def test_argparse_messages_are_translated(message: str, indonesian: str) -> None:
    assert translate(message) == indonesian


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    placeholder = re.compile(r"%\((\w+)\)[sr]|%[sr]")
    for msgid, msgstr in argparse_id.CATALOGUE.items():
        assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), msgid
        assert english(msgstr) == [], msgstr


def test_subcommands_are_indonesian_parsers_too(capsys: pytest.CaptureFixture[str]) -> None:
    parser = Parser(prog="uji")
    sub = parser.add_subparsers(dest="perintah", required=True)
    sub.add_parser("jalan", help="jalankan").add_argument("--jumlah", type=argparse_id.positive_int)
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["jalan", "--jumlah", "-1"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("penggunaan: uji jalan [-h] [--jumlah JUMLAH]")
    assert "uji jalan: galat: argumen --jumlah: harus bilangan bulat 1 atau lebih, bukan '-1'" in err
    with pytest.raises(SystemExit):
        parser.parse_args(["jalan", "-h"])
    assert "opsi:\n  -h, --help" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["1", "15"])
def test_positive_int_takes_whole_numbers_from_one(value: str) -> None:
    assert argparse_id.positive_int(value) == int(value)


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "satu", ""])
def test_positive_int_refuses_the_rest(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="bilangan bulat 1 atau lebih"):
        argparse_id.positive_int(value)


def test_deploy_help_and_errors_read_in_indonesian() -> None:
    command = [sys.executable, "-m", "functions.tools.deploy"]
    helped = subprocess.run([*command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and helped.stdout.startswith("penggunaan: python -m functions.tools.deploy")
    assert english(helped.stdout) == []
    refused = subprocess.run([*command, "--tidak-ada"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "galat: argumen tidak dikenal: --tidak-ada" in refused.stderr
    assert english(refused.stderr) == []
