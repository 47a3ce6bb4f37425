"""The plan of a batch run: inputs split into partitions of about ``partition_bytes`` each.

- a WARC file (plain or gzip) is one partition (gzip members are not seekable from
  the outside without an index, and one file is usually a crawler's 1 GB unit of work);
- a JSON Lines file is cut into byte ranges of about ``partition_bytes``, each boundary moved
  to the start of the next line, so a range holds whole lines; a gzip JSON Lines file is one
  partition (a gzip stream cannot be entered in the middle);
- page files (named on the command line or found in folders) are grouped in sorted order into
  groups of about ``partition_bytes``.

Kinds are sniffed from the first bytes, as the readers do (``readers.sniff``), not from names.

The plan is a pure function of the inputs' paths, sizes and contents' line boundaries: the same
inputs give the same partitions, which is what makes a re-run able to skip finished ones.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..settings import Settings

PartitionKind = Literal["warc", "jsonl", "files"]

_SCAN = 64 * 1024


class PlanError(ValueError):
    """An input that cannot be planned (missing, unreadable); carries the path and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source, self.reason = source, reason


@dataclass(frozen=True, slots=True)
class InputInfo:
    """One input as given on the command line, for the manifest."""

    path: str
    kind: Literal["warc", "jsonl", "folder", "page"]
    size: int
    mtime: float
    files: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "size": self.size,
            "mtime": self.mtime,
            "files": self.files,
        }


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: what a worker reads, extracts and writes as one shard per table."""

    index: int
    kind: PartitionKind
    #: The WARC or JSON Lines file (``None`` for a group of page files).
    path: str | None = None
    #: Byte range ``[start, end)`` of a JSON Lines file (``end`` None: to the end).
    start: int = 0
    end: int | None = None
    files: tuple[str, ...] = ()
    #: Input bytes (the range's length, or the files' total size).
    size: int = 0
    #: sha256 of what the partition reads: paths, ranges, sizes and modification times.
    fingerprint: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return f"part-{self.index:05d}"

    def describe(self) -> str:
        """Short human description of the slice, for messages."""
        if self.kind == "files":
            first = self.files[0] if self.files else "-"
            return f"{len(self.files)} file(s) from {first}"
        if self.kind == "jsonl":
            return f"{self.path} bytes {self.start}-{'' if self.end is None else self.end}"
        return str(self.path)

    def slice(self) -> dict[str, Any]:
        """The input slice as JSON (the manifest's ``input`` of the partition)."""
        out: dict[str, Any] = {"kind": self.kind, "size": self.size}
        if self.kind == "files":
            out["files"] = list(self.files)
        else:
            out["path"] = self.path
            if self.kind == "jsonl":
                out["start"], out["end"] = self.start, self.end
        return out


def classify(path: Path, named: bool = True) -> Literal["warc", "jsonl", "jsonl.gz", "page", "skip"]:
    """What a file is, by its first bytes as the readers see it (``readers.sniff``), not its name.

    A gzip file is classified by its decompressed head. A binary file found in a folder is
    skipped (as ``read_inputs`` skips it); named on the command line it stays a page, so that
    it is reported as a failed document.
    """
    from ..readers.sniff import HEAD_BYTES, sniff

    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise PlanError(str(path), exc.strerror or type(exc).__name__) from None
    kind = sniff(head)
    if kind == "gzip":
        try:
            with gzip.open(path, "rb") as gz:  # only the head is inflated: bounded whatever the ratio
                inner = sniff(gz.read(HEAD_BYTES))
        except (OSError, EOFError, zlib.error):
            inner = "binary"
        return "warc" if inner == "warc" else "jsonl.gz" if inner == "jsonl" else "page"
    if kind in ("warc", "jsonl"):
        return kind
    if kind == "binary" and not named:
        return "skip"
    return "page"


def plan(paths: Iterable[str], settings: Settings) -> tuple[list[InputInfo], list[Partition]]:
    """Inputs (for the manifest) and the partitions to run, in a deterministic order.

    Raises :class:`PlanError` for a path that does not exist or cannot be listed.
    """
    target = max(1, settings.partition_bytes)
    inputs: list[InputInfo] = []
    parts: list[Partition] = []
    group: list[tuple[str, int, int]] = []  # pending page files: (path, size, mtime_ns)

    def flush_group() -> None:
        if group:
            parts.append(_files_partition(len(parts), group))
            group.clear()

    def add_file(p: Path, st: os.stat_result, kind: str) -> None:
        if kind == "warc":
            flush_group()
            parts.append(_single(len(parts), "warc", str(p), st, 0, None, st.st_size))
        elif kind in ("jsonl", "jsonl.gz"):
            flush_group()
            # A gzip stream cannot be entered in the middle: a compressed file is one partition.
            ranges = [(0, None)] if kind == "jsonl.gz" else _jsonl_ranges(p, st.st_size, target)
            for start, end in ranges:
                size = (end or st.st_size) - start
                parts.append(_single(len(parts), "jsonl", str(p), st, start, end, size))
        elif kind == "page":
            group.append((str(p), st.st_size, st.st_mtime_ns))
            if sum(size for _, size, _ in group) >= target:
                flush_group()

    for raw in paths:
        p = Path(raw)
        try:
            st = p.stat()
        except OSError as exc:
            raise PlanError(raw, exc.strerror or type(exc).__name__) from None
        if p.is_dir():
            found = _scan_folder(p)
            inputs.append(
                InputInfo(
                    raw,
                    "folder",
                    sum(s.st_size for _, s in found),
                    max((s.st_mtime for _, s in found), default=st.st_mtime),
                    len(found),
                )
            )
            for f, fst in found:
                add_file(f, fst, classify(f, named=False))
            continue
        kind = classify(p)
        assert kind != "skip", "classify skips only files found in a folder"
        inputs.append(InputInfo(raw, "jsonl" if kind == "jsonl.gz" else kind, st.st_size, st.st_mtime))
        add_file(p, st, kind)
    flush_group()
    return inputs, parts


def _scan_folder(folder: Path) -> list[tuple[Path, os.stat_result]]:
    """Every file under ``folder`` in path order, by the readers' walker (hidden names left out,
    no link to a folder entered, each file once); a folder that cannot be listed is a PlanError."""
    from ..readers.walk import Seen, files_under

    out = []
    for entry in files_under(str(folder), Seen()):
        try:
            if entry.error is not None:
                raise entry.error
            out.append((Path(entry.path), os.stat(entry.path)))
        except OSError as exc:
            raise PlanError(entry.path, exc.strerror or type(exc).__name__) from None
    return out


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()


def _single(
    index: int, kind: PartitionKind, path: str, st: os.stat_result, start: int, end: int | None, size: int
) -> Partition:
    fp = _digest(kind, path, st.st_size, st.st_mtime_ns, start, end)
    return Partition(index, kind, path, start, end, (), size, fp)


def _files_partition(index: int, group: list[tuple[str, int, int]]) -> Partition:
    fp = _digest("files", *(f"{p}:{s}:{m}" for p, s, m in group))
    return Partition(
        index, "files", None, 0, None, tuple(p for p, _, _ in group), sum(s for _, s, _ in group), fp
    )


def _jsonl_ranges(path: Path, size: int, target: int) -> list[tuple[int, int | None]]:
    """Byte ranges of about ``target`` bytes, each starting at a line start."""
    if size <= target:
        return [(0, None)]
    ranges: list[tuple[int, int | None]] = []
    start = 0
    try:
        with path.open("rb") as fh:
            while start < size:
                end = _next_line_start(fh, start + target) if start + target < size else size
                ranges.append((start, end if end < size else None))
                start = end
    except OSError as exc:
        raise PlanError(str(path), exc.strerror or type(exc).__name__) from None
    return ranges


def _next_line_start(fh: Any, pos: int) -> int:
    """The first line start at or after ``pos`` (a line starts after a newline), scanning in chunks."""
    fh.seek(pos - 1)
    offset = pos - 1
    while True:
        chunk = fh.read(_SCAN)
        if not chunk:
            return offset
        nl = chunk.find(b"\n")
        if nl >= 0:
            return offset + nl + 1
        offset += len(chunk)
