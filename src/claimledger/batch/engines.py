"""Engines run partitions: local processes (default) or Dask distributed (optional extra).

Both run the same module-level :func:`~claimledger.batch.worker.run_partition` and yield
``(task, result, attempts)`` as partitions finish, in completion order. A partition whose worker
process dies is retried (``RETRIES`` times) before it is reported as lost (CL-E051).
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Protocol

from .. import errors
from ..settings import Settings
from .worker import PartitionResult, PartitionTask, init_worker, run_partition

log = logging.getLogger(__name__)

#: Retries of a partition whose worker died (or, on Dask, raised) before it is reported lost.
RETRIES = 2



@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT blocked, not lost) while worker processes may be started.

    A worker inherits the blocked signal, so a Ctrl-C that reaches the terminal's process group
    while it is still importing stays pending there until ``init_worker`` ignores it, instead of
    a KeyboardInterrupt traceback from its start-up. The mask is the calling thread's: the
    command itself still gets the Ctrl-C (through another thread, or on leaving the block).
    """
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)

class EngineMissing(RuntimeError):
    """The Dask extra is not installed (CL-E053)."""


class Engine(Protocol):
    """Runs partition tasks and yields their results as they finish."""

    name: str
    workers: int

    def run(self, tasks: list[PartitionTask]) -> Iterator[tuple[PartitionTask, PartitionResult, int]]: ...

    def close(self) -> None: ...


def _lost(task: PartitionTask, reason: str, attempts: int) -> PartitionResult:
    p = task.partition
    item = errors.WORKER_LOST.item(partition=p.id, slice=p.describe(), reason=reason, attempts=attempts)
    return PartitionResult(p.id, "failed", error=item.to_dict())


class LocalEngine:
    """A pool of ``workers`` spawned processes, each loading the pipeline once.

    At most ``workers`` partitions are in flight, so when a process dies (the pool is then
    broken for every partition in it) only those are charged an attempt and resubmitted to a
    fresh pool; the coordinator holds tasks, never results larger than counts.
    """

    name = "processes"

    def __init__(self, workers: int, settings: Settings, start_method: str = "spawn") -> None:
        self.workers = max(1, workers)
        self.settings = settings
        # spawn: the coordinator may have threads (progress display); forking those is unsafe.
        self._ctx = multiprocessing.get_context(start_method)
        self._pool: ProcessPoolExecutor | None = None
        self._attempts: dict[str, int] = {}

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers, mp_context=self._ctx, initializer=init_worker, initargs=(self.settings,)
        )

    def run(self, tasks: list[PartitionTask]) -> Iterator[tuple[PartitionTask, PartitionResult, int]]:
        queue = deque(tasks)
        self._attempts = {}
        running: dict[Future, PartitionTask] = {}
        self._pool = self._new_pool()
        while queue or running:
            while queue and len(running) < self.workers:
                task = queue.popleft()
                self._attempts[task.partition.id] = self._attempts.get(task.partition.id, 0) + 1
                with _ctrl_c_held():  # a submit may start a worker process
                    running[self._pool.submit(run_partition, task)] = task
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                # Every partition of a broken pool fails with it: settle them all, then a fresh pool.
                done, _ = wait(running)
                yield from self._settle(done, running, queue)
                self._restart()
            else:
                yield from self._settle(done, running, queue)

    def _settle(
        self, done: set[Future], running: dict[Future, PartitionTask], queue: deque[PartitionTask]
    ) -> Iterator[tuple[PartitionTask, PartitionResult, int]]:
        for fut in done:
            task = running.pop(fut)
            pid = task.partition.id
            n = self._attempts[pid]
            exc = fut.exception()
            if exc is None:
                yield task, fut.result(), n
            elif isinstance(exc, BrokenProcessPool) and n <= RETRIES:
                log.warning(
                    "a worker process died while %s was running; retrying it (attempt %d)", pid, n + 1
                )
                queue.appendleft(task)
            elif isinstance(exc, BrokenProcessPool):
                yield task, _lost(task, "the process exited abruptly", n), n
            else:  # run_partition catches everything itself: this is a pickling or pool error
                yield task, _lost(task, f"{type(exc).__name__}: {exc}"[:300], n), n

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskEngine:
    """Partitions as Dask futures: ``client.submit`` each, ``as_completed``, ``retries=RETRIES``.

    With ``scheduler`` (``tcp://host:port``) it joins an existing cluster, whose workers must see
    the inputs and the output folder at the same paths; without, it starts a ``LocalCluster`` of
    ``workers`` single-threaded worker processes bound to 127.0.0.1. A worker that dies mid-
    partition has its partition rescheduled on another worker by the scheduler.
    """

    name = "dask"

    def __init__(self, workers: int, settings: Settings, scheduler: str | None = None) -> None:
        try:
            import dask
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            item = errors.ENGINE_MISSING.item()
            raise EngineMissing(f"{item.code}: {item.message}") from exc
        self.settings = settings
        self._cluster: Any = None
        if scheduler:
            self._client = Client(scheduler)
            self.workers = len(self._client.scheduler_info().get("workers", {})) or workers
        else:
            # Non-daemonic workers may start processes of their own (the HTML parser's deadline).
            dask.config.set({"distributed.worker.daemon": False})
            self._cluster = LocalCluster(
                n_workers=max(1, workers),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
            self.workers = max(1, workers)

    def run(self, tasks: list[PartitionTask]) -> Iterator[tuple[PartitionTask, PartitionResult, int]]:
        from dask.distributed import as_completed

        run_id = uuid.uuid4().hex[:8]
        futures = {
            self._client.submit(
                run_partition, t, key=f"claimledger-{t.partition.id}-{run_id}", retries=RETRIES, pure=False
            ): t
            for t in tasks
        }
        for fut in as_completed(futures):
            task = futures.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:  # KilledWorker after the scheduler's retries, or a lost connection
                result = _lost(task, f"{type(exc).__name__}: {exc}"[:300], RETRIES + 1)
            fut.release()
            yield task, result, 1

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
