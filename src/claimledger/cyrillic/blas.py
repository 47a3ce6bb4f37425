"""One BLAS thread while the Russian models run.

natasha's slovnet models multiply small matrices with numpy. numpy's OpenBLAS starts a thread per
core for each product, and on a machine whose cores are busy those threads wait on each other:
measured on two busy cores, ~300-word Russian pages went from about 1 to about 8 per second with
one thread. The thread count is lowered only around the models' calls and then put back, so other
numpy work in the process (the English pipeline) keeps its setting. Without a recognisable
OpenBLAS (another BLAS, a different numpy build) this does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

#: (getter, setter) symbol names of the OpenBLAS builds numpy wheels ship, newest first.
_SYMBOLS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


@cache
def _controls() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy comes with the models
        return None
    root = Path(numpy.__file__).resolve().parent
    for folder in (root.parent / "numpy.libs", root / ".libs", root.parent / "numpy" / ".dylibs"):
        for lib in sorted(folder.glob("*openblas*")) if folder.is_dir() else []:
            try:
                dll = ctypes.CDLL(str(lib))  # the copy numpy already loaded: same handle
            except OSError:
                continue
            for get, put in _SYMBOLS:
                if hasattr(dll, get) and hasattr(dll, put):
                    getter, setter = getattr(dll, get), getattr(dll, put)
                    getter.restype, setter.argtypes = ctypes.c_int, [ctypes.c_int]
                    return getter, setter
    return None


@contextmanager
def single_thread() -> Iterator[None]:
    """Run the block with one OpenBLAS thread, then restore the previous count."""
    controls = _controls()
    if controls is None:
        yield
        return
    getter, setter = controls
    before = getter()
    setter(1)
    try:
        yield
    finally:
        setter(before)
