"""The reporter's secret PIN: given once with the tracking code, the key to answering the unit.

DOMAIN.md section 8: anonymous reporters keep their rights "through a secret only they hold (a tracking code alone
is visible to anyone who sees it)". So:

- A PIN is 8 characters of the tracking code's alphabet (no 0/O, 1/I), shown as ``XXXX-XXXX``: 40 random bits,
  so that guessing fails even past the per-instance rate limits of Cloud Functions. Typed in any case, with or
  without the dash or spaces.
- Only its scrypt hash is stored, in the private sheet AduanPin (salted with the complaint's id), never the PIN,
  and never in a log line. A stolen sheet gives no PIN: 2^40 scrypt runs per complaint.
- The PIN is derived from a random seed that the complaint form carries (``benih_pin``) and the server's secret
  key: a retry of the same form (a double tap, a lost answer) shows the same PIN again, while someone who replays
  the stored submission id without the form's seed gets no PIN (the stored hash does not match theirs). A form
  without a valid seed gets a random one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from functions.citizens.complaints import CODE_ALPHABET
from functions.errors import Conflict
from functions.store import Store

SHEET = "AduanPin"
SEED_FIELD = "benih_pin"
LENGTH = 8
PIN_RE = re.compile(rf"[{CODE_ALPHABET}]{{{LENGTH}}}")
_SEED_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# scrypt with 16 MB of memory per run (about 40 ms): cheap for one check, dear for 2^40 guesses.
_N, _R, _P = 2**14, 8, 1


def new_seed() -> str:
    return secrets.token_urlsafe(24)


def derive(secret_key: str, seed: str, complaint_id: str) -> str:
    """The PIN of a complaint filed from the form with ``seed`` (a fresh random seed when it is not one)."""
    if not _SEED_RE.fullmatch(seed):
        seed = new_seed()
    digest = hmac.new(secret_key.encode(), f"aduan-pin\0{seed}\0{complaint_id}".encode(), hashlib.sha256).digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:LENGTH])  # 256 % 32 == 0: unbiased


def shown(pin: str) -> str:
    """``K7Q2MX4P`` as the reporter reads it: ``K7Q2-MX4P``."""
    return f"{pin[:4]}-{pin[4:]}"


def normalize(typed: str) -> str | None:
    """A typed PIN in its stored form, or None when it cannot be one."""
    text = re.sub(r"[\s-]", "", typed or "").upper()
    return text if PIN_RE.fullmatch(text) else None


def _hash(complaint_id: str, pin: str, n: int = _N, r: int = _R, p: int = _P) -> str:
    salt = f"aduan-pin:{complaint_id}".encode()
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${base64.b64encode(digest).decode()}"


def _costs(stored: str) -> tuple[int, int, int] | None:
    """The scrypt costs a stored hash was made with (so that new costs leave old PINs working)."""
    parts = stored.split("$")
    if len(parts) != 5 or parts[0] != "scrypt" or not all(x.isdigit() for x in parts[1:4]):
        return None
    n, r, p = (int(x) for x in parts[1:4])
    return (n, r, p) if 2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 4 else None


def issue(store: Store, complaint_id: str, pin: str) -> bool:
    """Store the PIN's hash for a complaint; False when the complaint already holds another PIN (then this PIN is
    not the reporter's and must not be shown)."""
    try:
        store.append(SHEET, [{"id": complaint_id, "sidik": _hash(complaint_id, pin)}])
    except Conflict:
        return False
    return True


def matches(store: Store, complaint_id: str, typed: str) -> bool:
    """Whether ``typed`` is the complaint's PIN (False for a complaint without one)."""
    pin = normalize(typed)
    rows = store.records(SHEET, where={"id": complaint_id})
    stored = str(rows[0]["sidik"]) if rows else ""
    costs = _costs(stored)
    if pin is None or costs is None:
        return False
    return hmac.compare_digest(stored, _hash(complaint_id, pin, *costs))
