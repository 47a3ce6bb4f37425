"""Finding files: folders walked and recursive globs expanded by one walker that cannot loop.

The walker goes depth-first in name order (the order ``sorted(Path.rglob("*"))`` gives), leaves
out hidden names, never enters a symbolic link to a folder (an ``up -> ..`` link would lead out of
the tree and, two of them, round it for ever) and reports a folder it cannot list instead of
passing over it. Callers read each file once, by device and inode (:class:`Seen`).

``glob.glob(recursive=True)`` follows links to folders under ``**``, and ``Path.rglob`` drops
folders it cannot list without a word; neither option exists in the standard library of the
Python versions supported, hence this module.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace

#: Characters that make an input a glob pattern.
GLOB_CHARS = frozenset("*?[")
#: Errors of a link that leads nowhere (or round in a loop): left out, as ``Path.is_file`` does.
_DANGLING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP})


@dataclass(frozen=True, slots=True)
class Entry:
    """A file or folder found, or one that could not be listed or examined (``error``)."""

    path: str
    #: Path components below the walked root.
    parts: tuple[str, ...] = ()
    is_dir: bool = False
    #: (device, inode) of a file (of its target, for a link): the same file reached twice has the same key.
    key: tuple[int, int] | None = None
    error: OSError | None = None


class Seen:
    """Files and errors already handed out in one input (a folder or a glob): each comes once."""

    def __init__(self) -> None:
        self._keys: set[object] = set()

    def first(self, entry: Entry) -> bool:
        """True the first time a file (by device and inode) or an error (by path) is met."""
        key = entry.key if entry.error is None else ("error", entry.path)
        if key is None:
            return True
        if key in self._keys:
            return False
        self._keys.add(key)
        return True


def walk(root: str) -> Iterator[Entry]:
    """Every file and folder under ``root`` (not ``root`` itself), depth-first in name order.

    Hidden names (``.x``) are left out and links to folders are not entered; a link to a file is
    a file. A folder that cannot be listed, ``root`` included, is yielded with its ``error``.
    Sockets, FIFOs and broken links are left out.
    """
    listing = _listing(root)
    if isinstance(listing, OSError):
        yield Entry(root, error=listing)
        return
    folders = {_key(root)}  # folders met: a bind mount cannot take the walk round in a loop
    stack: list[tuple[tuple[str, ...], Iterator[os.DirEntry[str]]]] = [((), iter(listing))]
    while stack:
        parts, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        here = (*parts, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                key = _key(entry.path)
                if key is not None and key in folders:
                    continue
                folders.add(key)
                yield Entry(entry.path, here, is_dir=True)
                sub = _listing(entry.path)
                if isinstance(sub, OSError):
                    yield Entry(entry.path, here, is_dir=True, error=sub)
                else:
                    stack.append((here, iter(sub)))
            elif entry.is_file():  # follows a link to a file
                st = entry.stat()
                yield Entry(entry.path, here, key=(st.st_dev, st.st_ino))
        except OSError as exc:
            if exc.errno not in _DANGLING:  # a link to nowhere is left out like any broken link
                yield Entry(entry.path, here, error=exc)


def files_under(folder: str, seen: Seen) -> Iterator[Entry]:
    """The files under ``folder`` not yet in ``seen``, and the folders that could not be listed."""
    for entry in walk(folder):
        if (entry.error is not None or not entry.is_dir) and seen.first(entry):
            yield entry


def expand(pattern: str) -> Iterator[Entry]:
    """What a glob pattern matches: files and folders, and folders under ``**`` that could not be listed.

    Without ``**`` this is :func:`glob.glob` (sorted): the depth is the pattern's, so nothing can
    loop. With ``**`` the tree below the pattern's literal start is walked (:func:`walk`, so no
    link to a folder is followed) and each path is matched component by component.
    """
    parts = pattern.split(os.sep)
    if "**" not in parts:
        for path in sorted(glob.glob(pattern)):
            yield _entry(path)
        return
    while parts[-1] == "":  # "pages/**/": the folders it matches are read whole anyway
        parts.pop()
    literal = 0
    while literal < len(parts) and not GLOB_CHARS & set(parts[literal]):
        literal += 1
    root = os.sep.join(parts[:literal]) or (os.sep if pattern.startswith(os.sep) else "")
    rest = tuple(parts[literal:])
    if not os.path.isdir(root or "."):
        return
    for entry in walk(root or "."):
        if entry.error is not None or _matches(entry.parts, rest):
            # Relative to the working folder, paths read as glob.glob writes them: no "./" before.
            yield entry if root else replace(entry, path=os.sep.join(entry.parts) or ".")


def _matches(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Whether path components match pattern components, ``**`` standing for any number of folders."""
    # Positions in the pattern reachable after each component: a set, so repeated ``**`` stay linear.
    states = _closure({0}, pattern)
    for part in parts:
        nxt = set()
        for i in states:
            if i < len(pattern):
                if pattern[i] == "**":
                    nxt.add(i)
                elif fnmatch.fnmatchcase(part, pattern[i]):
                    nxt.add(i + 1)
        states = _closure(nxt, pattern)
        if not states:
            return False
    return len(pattern) in states


def _closure(states: set[int], pattern: tuple[str, ...]) -> set[int]:
    """``states`` plus the positions after any ``**`` they stand on (``**`` may match no folder)."""
    out, todo = set(states), list(states)
    while todo:
        i = todo.pop()
        if i < len(pattern) and pattern[i] == "**" and i + 1 not in out:
            out.add(i + 1)
            todo.append(i + 1)
    return out


def _listing(folder: str) -> list[os.DirEntry[str]] | OSError:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return exc


def _key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _entry(path: str) -> Entry:
    """An :class:`Entry` for a path found by :func:`glob.glob`."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return Entry(path, error=exc)
    is_dir = os.path.isdir(path)
    return Entry(path, is_dir=is_dir, key=None if is_dir else (st.st_dev, st.st_ino))
