"""claimledger: turn news articles and blog posts into a traceable ledger of claims.

Public API::

    import claimledger
    doc = claimledger.extract(text_or_html)      # -> Document
    doc.quotes, doc.speakers, doc.numbers, doc.anonymous_sources, doc.to_dict()
"""

from .extract import extract, extract_many
from .model import AnonymousSource, Claimant, Document, ErrorItem, NumberClaim, Quote, Section, Speaker
from .settings import Settings

__version__ = "0.1.0"

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
