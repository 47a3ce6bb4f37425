"""Russian and Ukrainian pages without translation: quotes, speakers, anonymous sources, numbers.

:func:`detect_language` picks the language of a document; :func:`analyse` fills a Russian or
Ukrainian :class:`~claimledger.model.Document` (its sections already split) with the same model
objects as the English pipeline. Word lists are data (``claimledger/lexicons/ru``, ``uk``);
morphology is pymorphy3's, Russian syntax and names natasha's, Ukrainian names in the
nominative shevchenko's. Models load on first use, from the installed packages only.
"""

from __future__ import annotations

# The function, bound after the submodule of the same name (importing it binds the module here).
from .analyse import analyse
from .detect import detect_language
from .lexicon import LANGUAGES

__all__ = ["LANGUAGES", "analyse", "detect_language"]
