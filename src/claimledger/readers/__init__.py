"""Input readers: one module per input kind, all yielding :class:`~claimledger.readers.record.Record`.

``read_inputs`` takes what the command line takes (files, folders, globs, ``-``, URLs) and picks
the reader by content sniffing (:func:`sniff`), never by the file name alone.
"""

from .files import read_inputs
from .record import Record
from .sniff import sniff

__all__ = ["Record", "read_inputs", "sniff"]
