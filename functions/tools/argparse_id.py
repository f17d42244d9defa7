"""argparse in Bahasa Indonesia, for the operator's commands (``python -m functions``, the deploy tool).

argparse spells its own words in English through gettext (``_('usage: ')``, ``_('options')``, the error
messages). Without a ``.mo`` file and without touching the argparse module, ``Parser``:

- formats usage with the prefix ``penggunaan:`` (``Formatter``),
- names its argument groups and its ``-h`` option in Indonesian,
- translates argparse's error messages in ``error``: ``CATALOGUE`` holds argparse's English message ids (as a
  ``.po`` file would) with their Indonesian text; a message is matched against an id with its placeholders, and
  the Indonesian text is filled with what they held. A message that matches no id (an ``ArgumentTypeError`` of our
  own types, already Indonesian) is kept as it is.

The ids are those of Python 3.11 to 3.13; a new Python that rewords one shows the English text, which the tests
of ``tests/tools/test_cli.py`` catch.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

USAGE = "penggunaan: "
POSITIONALS = "argumen posisi"
OPTIONALS = "opsi"
HELP = "tampilkan bantuan ini lalu keluar"
ERROR = "galat"

# argparse's message ids (gettext's msgid) and their Indonesian text (msgstr), with the same placeholders.
CATALOGUE: dict[str, str] = {
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan %(value)r tidak dikenal (pilih dari %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "perintah %(parser_name)r tidak dikenal (pilihan: "
    "%(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah (harus %(type)s)",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu sedikitnya satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi %(option)s tidak jelas: bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "nilai %r diabaikan: opsi ini tidak menerima nilai",
    "unexpected option string: %s": "opsi tidak terduga: %s",
    "can't open '%(filename)s': %(error)s": "berkas '%(filename)s' tidak dapat dibuka: %(error)s",
}
# The names argparse gives the standard types in "invalid %(type)s value".
TYPE_NAMES = {"int": "bilangan bulat", "float": "bilangan"}

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _pattern(msgid: str) -> re.Pattern[str]:
    """A regular expression matching the messages made from ``msgid``, one named group per placeholder."""
    parts, position, index = [], 0, 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : match.start()]))
        name = match.group(1) or f"_{index}"
        index += match.group(1) is None
        parts.append(f"(?P<{name}>.*?)")
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _fill(msgstr: str, values: dict[str, str]) -> str:
    positional = iter(values[key] for key in sorted(values) if key.startswith("_"))
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) else next(positional), msgstr)


_PATTERNS = [(_pattern(msgid), msgstr) for msgid, msgstr in CATALOGUE.items()]


def translate(message: str) -> str:
    """argparse's English message in Indonesian; a message it did not make is returned unchanged."""
    for pattern, msgstr in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            values = match.groupdict()
            if "message" in values:  # "argument --x: <message>": the inner message is one of argparse's too
                values["message"] = translate(values["message"])
            if "type" in values:
                values["type"] = TYPE_NAMES.get(values["type"], values["type"])
            return _fill(msgstr, values)
    return message


class Formatter(argparse.HelpFormatter):
    """argparse's help layout with an Indonesian usage prefix."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors read in Indonesian; its subcommands' parsers are Parsers too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # argparse's -h has English help; ours is added below
        super().__init__(*args, **kwargs)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONALS
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        """Usage and the Indonesian message on stderr, exit status 2 (argparse's own convention)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {ERROR}: {translate(message)}\n")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1, refused in Indonesian."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat 1 atau lebih, bukan {text!r}")
    return value
