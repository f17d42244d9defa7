"""The console's Suara Warga section (``?bagian=suara``): the unit's operator publishes or declines citizens'
suggestions of their units' services (editing personal data out first), answers them in public and records the
follow-up. The rules are in ``functions.citizens.forum``; this module scopes them to the operator's units."""

from __future__ import annotations

import logging
from typing import Any

from functions.citizens import forum
from functions.errors import Conflict, Forbidden, ValidationError
from functions.runtime import Runtime
from functions.staff import operators
from functions.store import Row

log = logging.getLogger(__name__)
CLOSED_SHOWN = 50  # finished suggestions listed under the open ones
NOT_YOURS = "Saran ini tidak ada atau bukan tentang layanan unit yang Anda kelola."


def context(runtime: Runtime, operator: operators.Operator) -> dict[str, Any]:
    """The section's lists: waiting for moderation (oldest first), published and open, and the last finished."""
    store = runtime.store
    found = forum.load(store, units=operator.units)
    names = {s["id"]: s["nama"] for s in store.records("Layanan")}
    units = {u["kode"]: u["nama"] for u in store.records("Unit")}

    def card(s: forum.Suggestion) -> dict[str, Any]:
        return {
            "s": s,
            "layanan": names.get(s.row["id_layanan"], s.row["id_layanan"]),
            "unit": units.get(s.row["unit"], ""),
        }

    return {
        "waiting": [card(s) for s in reversed(found) if s.state == forum.WAITING],
        "open": [card(s) for s in found if s.state in (forum.RECEIVED, forum.ANSWERED)],
        "closed": [card(s) for s in found if s.state in (forum.FOLLOWED_UP, forum.DECLINED)][:CLOSED_SHOWN],
        "next_steps": forum.NEXT,
    }


def act(
    runtime: Runtime, employee: Row, operator: operators.Operator, form: dict[str, str]
) -> tuple[str, dict[str, str], dict[str, str], int]:
    """Record one step; (message, errors by field, typed by field, status) for the console page. Fields are named
    ``<field>-<suggestion id>``, so the page shows each error and typed text at its own suggestion."""
    ident = form.get("id_suara", "")
    found = [s for s in forum.load(runtime.store, units=operator.units) if s.id == ident]
    if not found or not operator.covers(found[0].row["unit"]):
        raise Forbidden(NOT_YOURS)
    suggestion = found[0]
    typed = {f"{key}-{ident}": form[key] for key in ("teks", "alasan") if key in form} | {
        "jenis": form.get("jenis", "")
    }
    try:
        stored = forum.act(form, suggestion, employee["nip"], runtime.store, runtime.now())
    except ValidationError as err:
        return "", {f"{key}-{ident}": text for key, text in err.fields.items()}, typed, err.status
    except Conflict as err:
        return "", {f"teks-{ident}": err.message}, typed, err.status
    log.info("forum step stored: step=%s new=%s", form.get("jenis"), stored)
    done = {
        forum.PUBLISHED: "diterbitkan",
        forum.DECLINED: "ditolak (tidak tampil di halaman publik)",
        forum.ANSWERED: "dijawab",
        forum.FOLLOWED_UP: "ditandai ditindaklanjuti",
    }
    return f"{suggestion.row['jenis']} {done.get(form.get('jenis', ''), 'diproses')}.", {}, {}, 200
