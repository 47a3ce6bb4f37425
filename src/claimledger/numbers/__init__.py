"""Numeric claims: value parsing, a spaCy recognizer component and a category taxonomy.

The names below are imported from their modules on first use: the taxonomy and value parsing do
not need spaCy, and the command line's listing commands read the taxonomy without loading it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_MODULE_OF = {
    "CATEGORIES": "categories",
    "categorize": "categories",
    "NumberMention": "recognize",
    "NumberRecognizer": "recognize",
    "may_contain_number": "recognize",
    "Value": "values",
    "parse_value": "values",
}


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CATEGORIES",
    "NumberMention",
    "NumberRecognizer",
    "Value",
    "categorize",
    "may_contain_number",
    "parse_value",
]
