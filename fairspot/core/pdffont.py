"""The font of Fairspot's PDFs (notices, record forms, the assessment report), embedded in the file.

An official document must look the same on every reader, so the Chinese font travels inside the PDF:
``FAIRSPOT_PDF_FONT_FILE`` names a TrueType font (or a TrueType collection, ``.ttc``) and ReportLab embeds
the subset of it the document uses. The default is WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``
(installed by ``make test`` / ``make demo``'s browser step; on a server: ``apt-get install
fonts-wqy-microhei``). Without the file the PDFs fall back to ReportLab's built-in CID font
``STSong-Light``, which the PDF only names (the reader supplies a substitute), and a warning is logged.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)
EMBEDDED = "FairspotCJK"
FALLBACK = "STSong-Light"


@cache
def pdf_font() -> str:
    """The registered font name to use in every PDF style (registered once per process)."""
    path = Path(settings.FAIRSPOT_PDF_FONT_FILE)
    if path.is_file():
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED, str(path), subfontIndex=0))
            return EMBEDDED
        except Exception:  # a font file ReportLab cannot read (e.g. an OpenType/CFF font)
            logger.warning("PDF font %s could not be used; falling back to %s", path, FALLBACK, exc_info=True)
    else:
        logger.warning("PDF font %s is missing; PDFs name %s without embedding it", path, FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def font_embedded() -> bool:
    return pdf_font() == EMBEDDED
