"""One partition: read its records, extract them, write its shards. Runs in a worker process.

The function is module-level and its argument and result are small picklable dataclasses, so
the same code runs under ``concurrent.futures`` (spawn) and Dask. The spaCy pipeline is loaded
once per process (``load_pipeline`` caches it); documents stream from the reader through
``extract_many`` into the shard writer, so a worker's memory does not grow with the partition.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import socket
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from ..model import ErrorItem
from ..settings import Settings
from .partitions import Partition
from .shards import ROWS_PER_GROUP, ShardWriter, flatten

log = logging.getLogger(__name__)

#: Failed documents listed per partition in the manifest (the rest are counted; all are in the shards).
MAX_LISTED_FAILURES = 50
#: Test hook: ``part-00003:/tmp/marker`` makes the worker exit abruptly on that partition, once.
CRASH_ENV = "CLAIMLEDGER_BATCH_CRASH_ONCE"


@dataclass(frozen=True, slots=True)
class PartitionTask:
    """What a worker needs: the partition, where to write, and the settings of the run."""

    partition: Partition
    out_dir: str
    settings: Settings
    rows_per_group: int = ROWS_PER_GROUP


@dataclass(slots=True)
class PartitionResult:
    """What a worker reports back: counts and failures only, never document text."""

    id: str
    status: str  # done | failed
    counts: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    failures_total: int = 0
    error: dict[str, str] | None = None
    fatal: bool = False
    seconds: float = 0.0
    #: CPU seconds of the worker and its HTML helper on this partition (see :func:`cpu_seconds`).
    cpu_seconds: float = 0.0
    max_rss_mb: float = 0.0
    #: Peak RSS of the worker's live helper processes (the HTML parser), from /proc (Linux).
    children_rss_mb: float = 0.0
    worker: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "counts": self.counts,
            "documents": self.documents,
            "failures": self.failures,
            "failures_total": self.failures_total,
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "max_rss_mb": round(self.max_rss_mb, 1),
            "children_rss_mb": round(self.children_rss_mb, 1),
            "worker": self.worker,
        }


def init_worker(settings: Settings) -> None:
    """Process initialiser: load the pipeline once, before the first partition arrives.

    The worker ends when the coordinator dies (killed, say): the pool's queues would keep it
    waiting for ever, holding a loaded pipeline, and with it the resource tracker that shares
    its pipe. A pipeline that cannot load is not raised here (a failing initialiser breaks the
    whole pool without a word): ``run_partition`` meets it again and reports it as fatal.
    """
    from ..ledger.writer import exit_with_parent
    from ..nlp.load import PipelineError, load_pipeline

    # Ctrl-C reaches every process of the terminal's group: the parent stops the pool and says how
    # to resume; a worker interrupted mid-task would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Started with SIGINT blocked (engines._ctrl_c_held): one that came meanwhile was just discarded.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    starter = multiprocessing.parent_process()  # None when not started by multiprocessing
    exit_with_parent(parent=starter.pid if starter is not None else None)
    try:
        load_pipeline(settings)
    except PipelineError as exc:
        log.error("%s", exc)


def run_partition(task: PartitionTask) -> PartitionResult:
    """Read, extract and write one partition; never raises for a document or a reader problem.

    Per-document failures are rows of the documents table (status and coded errors). A reader
    that breaks off keeps what it read, and the partition is reported failed (CL-E050) so that
    a re-run retries it. Only a dead process escapes: the engine reports that one.
    """
    from ..extract import extract_many
    from ..nlp.load import PipelineError, load_pipeline

    p = task.partition
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    result = PartitionResult(p.id, "done", worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        nlp = load_pipeline(task.settings)
    except PipelineError as exc:
        result.status, result.fatal = "failed", True
        result.error = {"code": str(exc)[:7], "message": str(exc)}
        return _finish(result, started, cpu_started)
    docs: Counter[str] = Counter()
    stream = _SafeRecords(_records(p, task.settings))
    writer: ShardWriter | None = None
    try:
        writer = ShardWriter(Path(task.out_dir), p.id, task.rows_per_group)
        for seq, doc in enumerate(extract_many(stream, task.settings, nlp)):
            writer.add(flatten(doc, p.index, seq))
            docs[doc.status] += 1
            if doc.status == "failed":
                result.failures_total += 1
                if len(result.failures) < MAX_LISTED_FAILURES:
                    # The last error is the one that stopped the document (earlier ones are warnings).
                    last = doc.errors[-1] if doc.errors else ErrorItem("CL-E099", "failed")
                    result.failures.append({"source": doc.source, "code": last.code, "message": last.message})
            _crash_hook(p.id)
        result.counts = writer.commit()
    except Exception as exc:  # a bug or an unwritable output: the partition fails, a re-run retries it
        if writer is not None:
            writer.abort()
        log.exception("partition %s failed", p.id)
        result.status = "failed"
        reason = f"{type(exc).__name__}: {exc}"[:300]
        result.error = errors.PARTITION_FAILED.item(
            partition=p.id, slice=p.describe(), reason=reason
        ).to_dict()
        result.error["traceback"] = traceback.format_exc(limit=5)[-2000:]
        return _finish(result, started, cpu_started, docs)
    if stream.error is not None:
        result.status = "failed"
        result.error = errors.PARTITION_FAILED.item(
            partition=p.id,
            slice=p.describe(),
            reason=f"reading stopped after {sum(docs.values())} record(s): {stream.error}",
        ).to_dict()
    return _finish(result, started, cpu_started, docs)


def _finish(
    result: PartitionResult, started: float, cpu_started: float, docs: Counter[str] | None = None
) -> PartitionResult:
    result.documents = dict(sorted((docs or {}).items()))
    result.seconds = time.perf_counter() - started
    # A helper restarted mid-partition takes its CPU time with it: never report less than nothing.
    result.cpu_seconds = max(0.0, cpu_seconds() - cpu_started)
    # ru_maxrss is the process's peak so far, in KiB on Linux: the figure that must stay flat.
    result.max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.children_rss_mb = _children_peak_mb()
    return result


class _SafeRecords:
    """The reader's records; an exception from the reader ends the stream and is kept."""

    def __init__(self, records: Iterator[Any]) -> None:
        self._it = records
        self.error: str | None = None

    def __iter__(self) -> Iterator[Any]:
        while True:
            try:
                rec = next(self._it)
            except StopIteration:
                return
            except Exception as exc:  # recorded on the partition; what was read is kept
                log.exception("reader failed")
                self.error = f"{type(exc).__name__}: {exc}"[:300]
                return
            yield rec


def _records(p: Partition, settings: Settings) -> Iterator[Any]:
    """The reader for the partition's kind (imported here: workers only need their own)."""
    if p.kind == "warc":
        from ..readers.warc import read_warc

        assert p.path is not None, "a WARC partition names its file"
        return iter(read_warc(p.path, settings))
    if p.kind == "jsonl":
        from ..readers.jsonl import read_jsonl

        assert p.path is not None, "a JSON Lines partition names its file"
        return iter(read_jsonl(p.path, settings, start=p.start, end=p.end))
    from ..readers import read_inputs

    return iter(read_inputs(list(p.files), settings))


def _child_pids() -> list[str]:
    """Pids of this process's live children (the HTML parser), from /proc; [] where it is missing."""
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return []
    pids: list[str] = []
    for tid in tasks:
        try:
            pids += Path(f"/proc/self/task/{tid}/children").read_text().split()
        except OSError:
            continue
    return pids


def _children_peak_mb() -> float:
    """Sum of the peak RSS (VmHWM) of the live children; informative only (0 without /proc)."""
    total = 0.0
    for pid in _child_pids():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its live children, in seconds.

    Unlike wall time, it does not change when other jobs share the cores: docs per CPU-second is
    the per-core rate to plan with.
    """
    t = os.times()
    total = t.user + t.system
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in _child_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _crash_hook(partition_id: str) -> None:
    """Test-only: die like a killed process on the named partition, the first time only."""
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    target, _, marker = spec.partition(":")
    if target == partition_id and marker and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(70)
