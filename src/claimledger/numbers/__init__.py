"""Numeric claims: value parsing, a spaCy recognizer component and a category taxonomy."""

from claimledger.numbers.categories import CATEGORIES, categorize
from claimledger.numbers.recognize import NumberMention, NumberRecognizer, may_contain_number
from claimledger.numbers.values import Value, parse_value

__all__ = [
    "CATEGORIES",
    "NumberMention",
    "NumberRecognizer",
    "Value",
    "categorize",
    "may_contain_number",
    "parse_value",
]
