"""``OUT/manifest.json``: what a batch run read, how it was split, and what became of each part.

Only the coordinator writes it, and always atomically (temporary file in the same folder,
fsync, rename), so a run killed at any moment leaves the previous whole manifest. A partition
counts as finished when its entry says ``done`` for the same input slice (paths, ranges, sizes,
modification times), the run's output-affecting settings and versions are the same, and its six
shard files exist; anything else is (re)done.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..settings import Settings
from .partitions import InputInfo, Partition
from .shards import TABLES, shard_path
from .worker import PartitionResult

MANIFEST = "manifest.json"
FORMAT = 1
#: Settings that change what a partition's shards contain (``batch_size`` does not).
OUTPUT_SETTINGS = (
    "pipeline",
    "pipeline_version",
    "max_input_bytes",
    "max_text_chars",
    "max_unit_chars",
    "max_decoded_bytes",
    "max_decompression_ratio",
    "doc_timeout_s",
    "partition_bytes",
)


def versions(settings: Settings) -> dict[str, str | None]:
    """claimledger's, spaCy's and the pipeline package's versions (read without loading spaCy)."""

    def dist(*names: str) -> str | None:
        for n in names:
            try:
                return metadata.version(n)
            except metadata.PackageNotFoundError:
                continue
        return None

    return {
        "claimledger": __version__,
        "spacy": dist("spacy"),
        "pipeline": settings.pipeline,
        "pipeline_version": dist(settings.pipeline, settings.pipeline.replace("_", "-")),
    }


@dataclass
class Manifest:
    """The manifest of one output folder, in memory; :meth:`save` writes it atomically."""

    out_dir: Path
    settings: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    partitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The folder's manifest, or an empty one when there is none (or it is not ours)."""
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(out_dir)
        except (OSError, ValueError) as exc:
            raise ManifestError(f"cannot read {path}: {exc}; move it away to start the run afresh") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ManifestError(f"{path} is not a claimledger batch manifest (format {FORMAT})")
        return cls(
            out_dir,
            data.get("settings", {}),
            data.get("versions", {}),
            data.get("inputs", []),
            {p["id"]: p for p in data.get("partitions", [])},
            data.get("runs", []),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "versions": self.versions,
            "settings": self.settings,
            "fingerprint": self.fingerprint(),
            "inputs": self.inputs,
            "partitions": list(self.partitions.values()),
            "runs": self.runs,
        }

    def fingerprint(self) -> str:
        """sha256 of the output-affecting settings and the versions: shards of another are redone."""
        blob = json.dumps({"s": self.settings, "v": self.versions}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    def begin(self, settings: Settings, inputs: list[InputInfo], partitions: list[Partition]) -> None:
        """Adopt this run's settings, versions and plan; entries of a different slice are reset."""
        new_settings = {k: getattr(settings, k) for k in OUTPUT_SETTINGS}
        new_versions = versions(settings)
        if (new_settings, new_versions) != (self.settings, self.versions):
            self.partitions = {}  # other settings or versions: nothing of before can be reused
        self.settings, self.versions = new_settings, new_versions
        self.inputs = [i.to_dict() for i in inputs]
        kept: dict[str, dict[str, Any]] = {}
        for p in partitions:
            old = self.partitions.get(p.id)
            if old is not None and old.get("fingerprint") == p.fingerprint:
                kept[p.id] = old
            else:
                kept[p.id] = {
                    "id": p.id,
                    "input": p.slice(),
                    "fingerprint": p.fingerprint,
                    "status": "pending",
                }
        self.partitions = kept

    def is_complete(self, p: Partition) -> bool:
        """Done before, for the same slice, and every shard file still there."""
        entry = self.partitions.get(p.id, {})
        return (
            entry.get("status") == "done"
            and entry.get("fingerprint") == p.fingerprint
            and all(shard_path(self.out_dir, t, p.id).is_file() for t in TABLES)
        )

    def record(self, result: PartitionResult, attempts: int) -> None:
        """A partition's result (from a worker, or a lost worker's error)."""
        entry = self.partitions[result.id]
        entry.update(result.to_dict())
        entry["attempts"] = entry.get("attempts", 0) + attempts
        entry["finished"] = _now()

    def add_run(self, summary: dict[str, Any]) -> None:
        self.runs.append(summary)

    def save(self) -> None:
        """Write atomically: a temporary file in the same folder, fsync, rename, fsync the folder."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_dict(), indent=1, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".tmp", dir=self.out_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dfd = os.open(self.out_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


class ManifestError(RuntimeError):
    """The output folder's manifest cannot be read or is not a batch manifest."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
