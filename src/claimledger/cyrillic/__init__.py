"""Russian and Ukrainian pages without translation: quotes, speakers, anonymous sources, numbers.

:func:`detect_language` picks the language of a document; :func:`analyse` fills a Russian or
Ukrainian :class:`~claimledger.model.Document` (its sections already split) with the same model
objects as the English pipeline. Word lists are data (``claimledger/lexicons/ru``, ``uk``);
morphology is pymorphy3's, Russian syntax and names natasha's, Ukrainian names in the
nominative shevchenko's. Models load on first use, from the installed packages only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .detect import detect_language
from .lexicon import LANGUAGES

if TYPE_CHECKING:  # for the annotations only: the pipeline loads on first use
    from ..deadline import Deadline
    from ..model import Document

__all__ = ["LANGUAGES", "analyse", "detect_language"]


def analyse(doc: Document, deadline: Deadline | None = None) -> None:
    """Extract quotes, speakers, anonymous sources and numbers of a ``ru``/``uk`` document in place,
    within ``deadline`` (a :class:`~claimledger.deadline.Deadline`; past it, what was found is kept).
    The pipeline (:mod:`.document`) is imported on first use: detection alone stays light."""
    from .document import analyse as _analyse

    _analyse(doc, deadline)
