"""A batch killed with SIGKILL leaves no process behind: workers, their helpers, the resource tracker."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

LINE = "“We counted {n} boats at pier {j},” said harbour master Ola Brandt on Monday.\n"
PAGE = (
    "<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>{paras}</article>"
    "</body></html>"
)


def _pages(folder: Path, n: int) -> None:
    """Enough pages, text and HTML, to keep two workers and their HTML helpers busy for a while."""
    folder.mkdir()
    for i in range(n):
        if i % 3:
            (folder / f"p{i:03d}.txt").write_text("".join(LINE.format(n=i + j, j=j) for j in range(30)))
        else:
            paras = "".join(f"<p>{LINE.format(n=i + j, j=j)}</p>" for j in range(20))
            (folder / f"p{i:03d}.html").write_text(PAGE.format(i=i, paras=paras))


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death watch is tested on Linux")
def test_killed_batch_leaves_no_process_behind(tmp_path):
    _pages(tmp_path / "pages", 240)
    exe = Path(sys.executable).with_name("claimledger")
    cmd = [str(exe), "-q", "batch", "pages", "--out", "shards", "--workers", "2", "--partition-bytes", "4000"]
    batch = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs: list[psutil.Process] = []
    try:
        # Two workers and the resource tracker are started with the pool; then wait (up to a
        # minute) for a worker's HTML helper, so that grandchildren are killed orphans too.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and batch.poll() is None:
            procs = _descendants(batch.pid)
            grandchildren = [p for p in procs if p.ppid() != batch.pid]
            if len(procs) >= 3 and (grandchildren or time.monotonic() > deadline - 30):
                break
            time.sleep(0.2)
        assert batch.poll() is None, "the batch ended before it could be killed: give it more pages"
        procs = _descendants(batch.pid)  # the pid list, captured just before the kill
        assert len(procs) >= 3, procs
        batch.send_signal(signal.SIGKILL)
        batch.wait(10)
        _, alive = psutil.wait_procs(procs, timeout=20)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
    finally:
        if batch.poll() is None:
            batch.kill()
        for p in procs:  # a failed run must not leave its orphans to the next tests
            if p.is_running():
                p.kill()
