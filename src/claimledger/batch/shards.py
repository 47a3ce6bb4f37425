"""The Parquet shards: the JSON contract of one document flattened into six tables.

Every row carries ``part`` and ``seq`` (the partition and the document's position in it: unique
per document of the run) and ``doc_id`` (the sha256 of the text: the same text read twice has
the same id). Child rows carry ``idx``, their position in the document's list, and every span its
``start``/``end`` into ``documents.text``. A shard is written in row groups of
``ROWS_PER_GROUP`` documents, so neither the writer nor a reader holds a whole partition.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Document

#: Documents per row group (and per flush of the writer): bounds a worker's and a loader's memory.
ROWS_PER_GROUP = 64

_KEY = [("part", pa.int32()), ("seq", pa.int32()), ("doc_id", pa.string())]
_SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32())])
_ERROR = pa.struct([("code", pa.string()), ("message", pa.string())])


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in [*_KEY, *cols]])


SCHEMAS: dict[str, pa.Schema] = {
    "documents": _schema(
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", pa.string()),
        ("language", pa.string()),
        ("status", pa.string()),
        ("errors", pa.list_(_ERROR)),
        ("provenance", pa.string()),
        ("text", pa.large_string()),
    ),
    "sections": _schema(
        ("idx", pa.int32()),
        ("kind", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.large_string()),
    ),
    "speakers": _schema(
        ("speaker_id", pa.string()),
        ("name", pa.string()),
        ("type", pa.string()),
        ("description", pa.string()),
        ("role", pa.string()),
        ("affiliation", pa.string()),
        ("mentions", pa.list_(_SPAN)),
    ),
    "quotes": _schema(
        ("idx", pa.int32()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("kind", pa.string()),
        ("cue", pa.string()),
        ("speaker_id", pa.string()),
        ("speaker_name", pa.string()),
        ("speaker_type", pa.string()),
        ("speaker_description", pa.string()),
        ("section", pa.string()),
    ),
    "numbers": _schema(
        ("idx", pa.int32()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("low", pa.float64()),
        ("high", pa.float64()),
        ("approximate", pa.bool_()),
        ("unit", pa.string()),
        ("counts", pa.string()),
        ("category", pa.string()),
        ("claimant_type", pa.string()),
        ("claimant_id", pa.string()),
        ("claimant_name", pa.string()),
        ("claimant_description", pa.string()),
        ("hedge", pa.string()),
        ("section", pa.string()),
    ),
    "anonymous_sources": _schema(
        ("idx", pa.int32()),
        ("speaker_id", pa.string()),
        ("description", pa.string()),
        ("reason", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ),
}
TABLES = tuple(SCHEMAS)


def shard_path(out_dir: Path, table: str, partition_id: str) -> Path:
    """Where one table's shard of one partition lives: ``OUT/quotes/part-00012.parquet``."""
    return out_dir / table / f"{partition_id}.parquet"


def flatten(doc: Document, part: int, seq: int) -> dict[str, list]:
    """The rows of one document, table by table (the JSON contract, flattened)."""
    d = doc.to_dict()
    key = {"part": part, "seq": seq, "doc_id": d["id"]}
    prov = d.get("provenance")
    rows: dict[str, list] = {
        "documents": [
            {
                **key,
                **{k: d[k] for k in _DOCUMENT_FIELDS},
                "provenance": json.dumps(prov, sort_keys=True, ensure_ascii=False) if prov else None,
            }
        ],
        "sections": [{**key, "idx": i, **s} for i, s in enumerate(d["sections"])],
        "speakers": [
            {
                **key,
                "speaker_id": s["id"],
                **{k: s[k] for k in ("name", "type", "description", "role", "affiliation")},
                "mentions": [{"start": a, "end": b} for a, b in s["mentions"]],
            }
            for s in d["speakers"]
        ],
        "quotes": [],
        "numbers": [],
        "anonymous_sources": [{**key, "idx": i, **a} for i, a in enumerate(d["anonymous_sources"])],
    }
    for i, q in enumerate(d["quotes"]):
        sp = q.pop("speaker") or {}
        rows["quotes"].append({**key, "idx": i, **q, **{f"speaker_{k}": sp.get(k) for k in _REF}})
    for i, n in enumerate(d["numbers"]):
        cl = n.pop("claimant")
        rows["numbers"].append(
            {
                **key,
                "idx": i,
                **n,
                "claimant_type": cl["type"],
                **{f"claimant_{k}": cl.get(k) for k in _CLAIMANT},
            }
        )
    return rows


_DOCUMENT_FIELDS = ("source", "url", "title", "published", "language", "status", "errors", "text")
_REF = ("id", "name", "type", "description")
_CLAIMANT = ("id", "name", "description")


def unflatten(rows: dict[str, list[dict[str, Any]]]) -> Document:
    """The inverse of :func:`flatten`: one document's rows back to a :class:`Document`."""
    (doc,) = rows["documents"]
    d: dict[str, Any] = {k: doc[k] for k in ("source", "url", "title", "published", "status", "text")}
    d["id"] = doc["doc_id"]
    d["language"] = doc.get("language") or "und"  # shards written before the column had none
    d["provenance"] = json.loads(doc["provenance"]) if doc["provenance"] else {}
    d["errors"] = list(doc["errors"] or [])
    d["sections"] = [{k: s[k] for k in ("kind", "start", "end", "text")} for s in rows["sections"]]
    d["speakers"] = [
        {
            "id": s["speaker_id"],
            **{k: s[k] for k in ("name", "type", "description", "role", "affiliation")},
            "mentions": [[m["start"], m["end"]] for m in s["mentions"] or []],
        }
        for s in rows["speakers"]
    ]
    d["quotes"] = [
        {
            **{k: q[k] for k in ("text", "start", "end", "kind", "cue", "section")},
            "speaker": {k: q[f"speaker_{k}"] for k in _REF} if q["speaker_id"] else None,
        }
        for q in rows["quotes"]
    ]
    d["numbers"] = [
        {
            **{
                k: n[k]
                for k in ("text", "start", "end", "low", "high", "approximate", "unit", "counts", "category")
            },
            **{k: n[k] for k in ("hedge", "section")},
            "claimant": {"type": n["claimant_type"], **{k: n[f"claimant_{k}"] for k in _CLAIMANT}},
        }
        for n in rows["numbers"]
    ]
    d["anonymous_sources"] = [
        {k: a[k] for k in ("speaker_id", "description", "reason", "start", "end")}
        for a in rows["anonymous_sources"]
    ]
    return Document.from_dict(d)


class ShardWriter:
    """The six shards of one partition, written incrementally and renamed into place at the end.

    Rows go to temporary files beside their final names (``.part-00012.parquet.tmp``) in row
    groups of ``rows_per_group`` documents; :meth:`commit` fsyncs and renames each, so a reader
    (or a re-run) sees either a whole shard or none.
    """

    def __init__(self, out_dir: Path, partition_id: str, rows_per_group: int = ROWS_PER_GROUP) -> None:
        self.final = {t: shard_path(out_dir, t, partition_id) for t in TABLES}
        self.tmp = {t: p.with_name(f".{p.name}.tmp") for t, p in self.final.items()}
        self.rows_per_group = rows_per_group
        self.counts = dict.fromkeys(TABLES, 0)
        self._pending: dict[str, list[dict]] = {t: [] for t in TABLES}
        self._docs = 0
        self._writers: dict[str, pq.ParquetWriter] = {}
        for t, p in self.tmp.items():
            p.parent.mkdir(parents=True, exist_ok=True)
            # Fixed options so that the same rows give the same bytes (no timestamps in Parquet).
            self._writers[t] = pq.ParquetWriter(p, SCHEMAS[t], compression="zstd", write_statistics=True)

    def add(self, rows: dict[str, list[dict]]) -> None:
        """One document's rows; flushed as a row group every ``rows_per_group`` documents."""
        for t, rs in rows.items():
            self._pending[t].extend(rs)
        self._docs += 1
        if self._docs % self.rows_per_group == 0:
            self._flush()

    def _flush(self) -> None:
        for t, rs in self._pending.items():
            if rs:
                self._writers[t].write_table(pa.Table.from_pylist(rs, schema=SCHEMAS[t]))
                self.counts[t] += len(rs)
                rs.clear()

    def commit(self) -> dict[str, int]:
        """Close, fsync and rename every shard into place; returns rows per table."""
        self._flush()
        for w in self._writers.values():
            w.close()
        self._writers.clear()
        for t, tmp in self.tmp.items():
            _fsync(tmp)
            os.replace(tmp, self.final[t])
        for d in {p.parent for p in self.final.values()}:
            _fsync_dir(d)
        return dict(self.counts)

    def abort(self) -> None:
        """Drop the temporary files (after an error); finished shards of earlier runs stay."""
        for w in self._writers.values():
            w.close()
        self._writers.clear()
        for tmp in self.tmp.values():
            tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def iter_documents(out_dir: Path, partition_id: str, batch_rows: int = 4096) -> Iterator[Document]:
    """The documents of one partition's shards, rebuilt in order, streaming row groups.

    Every table is sorted by ``seq``; the tables are read side by side (a merge on ``seq``), so
    memory holds a few row batches, never the whole shard.
    """
    streams = {
        t: _rows(pq.ParquetFile(shard_path(out_dir, t, partition_id)), batch_rows)
        for t in TABLES
        if t != "documents"
    }
    heads: dict[str, dict | None] = {t: next(s, None) for t, s in streams.items()}
    for doc_row in _rows(pq.ParquetFile(shard_path(out_dir, "documents", partition_id)), batch_rows):
        seq = doc_row["seq"]
        rows: dict[str, list[dict]] = {"documents": [doc_row]}
        for t, stream in streams.items():
            mine = rows[t] = []
            while (head := heads[t]) is not None and head["seq"] == seq:
                mine.append(head)
                heads[t] = next(stream, None)
        yield unflatten(rows)


def _rows(pf: pq.ParquetFile, batch_rows: int) -> Iterator[dict[str, Any]]:
    for batch in pf.iter_batches(batch_size=batch_rows):
        yield from batch.to_pylist()
