"""Verifying the audit log: the keyed hash chain, then every anchor witnessed outside the database."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from fairspot.audit.anchors import Anchor, anchor_path, audit_key, read_anchors
from fairspot.audit.models import AuditEntry, PublishedAnchor
from fairspot.audit.services import GENESIS, _hashed_fields, _message


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    anchors_checked: int = 0
    legacy: int = 0
    problems: list[str] = field(default_factory=list)


def collect_anchors(extra_files: list[Path] | None = None) -> tuple[list[Anchor], list[str]]:
    """The anchor file, the daily published heads, and any copies kept elsewhere (``extra_files``)."""
    anchors, problems = read_anchors(anchor_path(), _("anchor file"))
    for day in PublishedAnchor.objects.order_by("day"):
        anchors.append(Anchor(day.entry_id, day.digest, day.day.isoformat(), _("daily published head"), 0))
    for path in extra_files or []:
        more, bad = read_anchors(path)
        anchors += more
        problems += bad
    return anchors, problems


def _where(anchor: Anchor) -> str:
    if anchor.line:
        where = _("%(source)s line %(line)s") % {"source": anchor.source, "line": anchor.line}
    else:
        where = anchor.source
    return f"{where} ({anchor.at})"


def verify_chain(extra_files: list[Path] | None = None) -> ChainReport:
    """Recompute every entry's MAC in order, then compare each anchored position with the database.

    Entries written before the keyed chain (plain SHA-256) verify only before the first keyed entry:
    once one keyed entry exists, an unkeyed one after it is a forgery.
    """
    key = audit_key()
    anchors, problems = collect_anchors(extra_files)
    by_id: dict[int, list[Anchor]] = defaultdict(list)
    for anchor in anchors:
        by_id[anchor.entry_id].append(anchor)
    report = ChainReport(True, 0, problems=problems)
    prev, keyed_seen, last_id, last_good_anchor = GENESIS, False, 0, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5000):
        if entry.prev_hash != prev:
            return _bad(report, entry.id, _("the previous entry is missing or was changed"))
        message = _message(prev, _hashed_fields(entry), normalise=False)
        if hmac.compare_digest(hmac.digest(key, message, "sha256").hex(), entry.entry_hash):
            keyed_seen = True
        elif keyed_seen or hashlib.sha256(message).hexdigest() != entry.entry_hash:
            return _bad(report, entry.id, _("the entry was changed after it was written"))
        else:
            report.legacy += 1
        for anchor in by_id.pop(entry.id, ()):
            report.anchors_checked += 1
            if anchor.digest != entry.entry_hash:
                return _bad(
                    report,
                    entry.id,
                    _(
                        "the chain was recomputed: this entry no longer matches the head witnessed in "
                        "%(where)s; the change is after entry %(good)s"
                    )
                    % {"where": _where(anchor), "good": last_good_anchor},
                )
            last_good_anchor = entry.id
        prev, last_id = entry.entry_hash, entry.id
        report.checked += 1
    if by_id:
        missing = min(by_id)
        anchor = by_id[missing][0]
        if missing > last_id:
            newest = max(by_id)
            return _bad(
                report,
                missing,
                _(
                    "entries missing at the end: the log ends at entry %(last)s but entry %(missing)s "
                    "was witnessed in %(where)s (and entries up to %(newest)s)"
                )
                % {"last": last_id, "missing": missing, "where": _where(anchor), "newest": newest},
            )
        return _bad(
            report, missing, _("entry removed: it was witnessed in %(where)s") % {"where": _where(anchor)}
        )
    return report


def _bad(report: ChainReport, entry_id: int, reason: str) -> ChainReport:
    report.ok, report.first_bad_id, report.reason = False, entry_id, reason
    return report
