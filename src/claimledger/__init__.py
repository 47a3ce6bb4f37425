"""claimledger: turn news articles and blog posts into a traceable ledger of claims.

Public API::

    import claimledger
    doc = claimledger.extract(text_or_html)      # -> Document
    doc.quotes, doc.speakers, doc.numbers, doc.anonymous_sources, doc.to_dict()

``extract`` and ``extract_many`` load spaCy, so they are imported on first use: importing the
package (and the command line's listing commands and ``--help``) stays light.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .model import AnonymousSource, Claimant, Document, ErrorItem, NumberClaim, Quote, Section, Speaker
from .settings import Settings

if TYPE_CHECKING:
    from .extract import extract, extract_many

_LAZY = {"extract", "extract_many"}


def __getattr__(name: str) -> Any:
    """``extract`` and ``extract_many`` from :mod:`claimledger.extract`, imported when first asked for."""
    if name in _LAZY:
        module = importlib.import_module(".extract", __name__)
        globals().update({n: getattr(module, n) for n in _LAZY})
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """The package module. Importing ``claimledger.extract`` makes the import system bind the
    submodule to the package's ``extract`` attribute; the function of that name must win."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "AnonymousSource",
    "Claimant",
    "Document",
    "ErrorItem",
    "NumberClaim",
    "Quote",
    "Section",
    "Settings",
    "Speaker",
    "__version__",
    "extract",
    "extract_many",
]
