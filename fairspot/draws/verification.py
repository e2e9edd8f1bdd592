"""Re-computing a draw from its stored files: the draw page's *Verify* and the diligence record.

The standalone verifier rebuilds every bundle of the draw from its own files (``selectors.verify``). For
a province's draw that takes about a minute, longer than a web request may (gunicorn stops it at
``GUNICORN_TIMEOUT``). So a draw of more than ``FAIRSPOT_REVEAL_INLINE_ROWS`` targets is verified by the
background worker, and the reports are kept in the shared cache under the draw and the digest of its
stored files. A page shows the kept reports and when they were computed, or says that the verification
is under way. Any change to any stored file, even one that leaves the bundle's index alone, gives a new
digest and so a verification of its own. Smaller draws are verified at once, on every view, as before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task as background

from fairspot.core import versions
from fairspot.draws.files import draw_dir
from fairspot.draws.models import Draw
from fairspot.draws.selectors import verify


@dataclass
class Verification:
    """The verifier's reports ((bundle, report) pairs), or None while the worker is at it."""

    reports: list[tuple[str, object]] | None
    computed_at: datetime | None = None


def bundle_title(name: str) -> str:
    """The part of the draw a report is about, in words (a bundle's folder name otherwise)."""
    titles = {"targets": _("Targets drawn"), "teams": _("Teams matched"), "classes": _("Credit classes used")}
    if name.startswith("rematch-"):
        return _("Teams matched again (%(n)s)") % {"n": name.removeprefix("rematch-")}
    return titles.get(name, name)


def in_background(draw: Draw) -> bool:
    return not settings.FAIRSPOT_JOBS_INLINE and draw.population_size > settings.FAIRSPOT_REVEAL_INLINE_ROWS


def files_digest(draw: Draw) -> str:
    """SHA-256 over every stored file of the draw, each with its path (read in blocks)."""
    root = draw_dir(draw.draw_id)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        with path.open("rb") as fh:
            file_hash = hashlib.file_digest(fh, "sha256").hexdigest()
        digest.update(f"{path.relative_to(root).as_posix()}\0{file_hash}\n".encode())
    return digest.hexdigest()


def _key(kind: str, draw: Draw, digest: str) -> str:
    return f"fairspot:verify:{kind}:{draw.pk}:{digest}"


def _compute(draw: Draw, digest: str) -> Verification:
    done = Verification(verify(draw), timezone.now())
    cache.set(_key("done", draw, digest), (done.reports, done.computed_at), timeout=versions.KEEP_SECONDS)
    cache.delete(_key("running", draw, digest))
    return done


def verification_for(draw: Draw) -> Verification:
    """The draw re-computed from its files as they are now: at once, kept, or queued for the worker."""
    if not in_background(draw):
        return Verification(verify(draw), timezone.now())
    digest = files_digest(draw)
    kept = cache.get(_key("done", draw, digest))
    if kept is not None:
        return Verification(*kept)
    # one job per draw and state of its files; a job not heard from for the stale period is queued again
    if cache.add(_key("running", draw, digest), 1, timeout=settings.FAIRSPOT_JOB_STALE_SECONDS):
        transaction.on_commit(partial(verify_draw.enqueue, draw.pk, digest))
    return Verification(None)


@background()
def verify_draw(draw_pk: int, digest: str) -> str:
    draw = Draw.objects.filter(pk=draw_pk).select_related("task").first()
    if draw is None or files_digest(draw) != digest:
        return "stale"  # the next view asks for the files as they are then
    _compute(draw, digest)
    return "verified"
