"""Near-duplicate (syndicated) copies of one article, found with MinHash LSH (datasketch).

A document's *signature* is a MinHash of the word 5-grams of its article text (headline and body
sections only: the caller leaves out a blogger's commentary, reader comments and page furniture, so a
syndicated copy with its own navigation and a reposting intro still matches its original). The
signature is stored as bytes in the ledger, and :class:`NearDuplicateIndex` is rebuilt from the stored
signatures without re-reading any text. Documents are grouped into *clusters*; a cluster's id is the
id of its first document (see :func:`assign_cluster`).

Why these figures: at :data:`THRESHOLD` 0.5 with :data:`NUM_PERM` 128, datasketch found 474 of 475
planted near-duplicates among 10,000 documents (GUIDE.md, section 6). A copy that trims a few
paragraphs keeps most of its 5-grams, while a different article on the same story shares only
stock phrases and names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = [
    "MAX_CHARS",
    "NUM_PERM",
    "SEED",
    "SHINGLE",
    "THRESHOLD",
    "NearDuplicateIndex",
    "assign_cluster",
    "shingles",
    "signature",
    "signatures",
    "similarity",
]

#: Permutations per MinHash: the signature is ``NUM_PERM`` uint64 values (1 KiB), and the Jaccard
#: estimate has a standard error of about ``1/sqrt(NUM_PERM)`` (0.09).
NUM_PERM: int = 128
#: Estimated Jaccard similarity of the 5-gram sets at or above which two documents are copies.
THRESHOLD: float = 0.5
#: Words per shingle. Five words are specific enough that two different articles on the same event
#: share few of them, and short enough that a changed word spoils only five shingles.
SHINGLE: int = 5
#: Characters of text that are shingled; a 10 MB page costs the same as a long article.
MAX_CHARS: int = 200_000
#: MinHash seed and hashing scheme. Hash values carry no trace of either, so both are pinned here:
#: changing them makes every stored signature incomparable with new ones.
SEED: int = 1
SCHEME = "affine64"

_SIG_DTYPE = np.dtype("<u8")  # little-endian uint64: the stored bytes read the same on any machine
_SIG_BYTES = NUM_PERM * _SIG_DTYPE.itemsize
_EMPTY = np.iinfo(np.uint64).max  # every slot of a MinHash that saw no shingle
_EMPTY_SIG = b"\xff" * _SIG_BYTES  # the signature of a text without words
# MurmurHash3's 64-bit finaliser (shift, multipliers), as datasketch's affine64 scheme applies it.
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_MIX = np.uint64(1_099_511_628_211)  # odd multiplier (FNV prime) combining word hashes into shingles
_WORD_RE = re.compile(r"\w+")  # letters and digits: punctuation and quote marks (straight or curly) drop


def shingles(text: str) -> set[str]:
    """The word :data:`SHINGLE`-grams of ``text``, lowercased and stripped of punctuation.

    Only the first :data:`MAX_CHARS` characters are read. A text of fewer than :data:`SHINGLE` words
    gives a single shingle of all its words, and a text without words gives the empty set.
    """
    words = _WORD_RE.findall(text[:MAX_CHARS].lower())
    if not words:
        return set()
    if len(words) < SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _word_hash(word: str) -> int:
    """A stable 64-bit hash of one word."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


# Word hashes, cached: a corpus reuses its vocabulary. Bounded: cleared when it grows too big.
_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_MAX = 1 << 18


def _word_hashes(words: list[str]) -> np.ndarray:
    cache = _WORD_HASHES
    new = set(words).difference(cache)
    if len(cache) + len(new) > _WORD_HASHES_MAX:
        cache.clear()
        new = set(words)
    for w in new:
        cache[w] = _word_hash(w)
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the :func:`shingles` (repeated shingles repeat), computed from word hashes.

    Hashing each word once and combining the hashes of a window (a polynomial, wrapping at
    2**64) gives the same set semantics as hashing the shingle strings, at a fraction of the cost.
    """
    words = _WORD_RE.findall(text[:MAX_CHARS].lower())
    if not words:
        return np.empty(0, dtype=np.uint64)
    wh = _word_hashes(words)
    n = max(1, len(words) - SHINGLE + 1)
    width = min(SHINGLE, len(words))
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(width):
            acc = acc * _MIX + wh[k : k + n]
    return acc


def _minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash values of 64-bit hashes: what datasketch's ``MinHash.update_batch`` computes
    for the affine64 scheme (a MurmurHash3 finaliser, then ``a * h + b`` per permutation, wrapping
    at 2**64; tests check that they agree), without its loop over the values in Python.
    Repeated hashes change nothing, so they need not be removed."""
    if hashes.size == 0:
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    shift, m1, m2 = _FMIX64
    with np.errstate(over="ignore"):
        h = hashes ^ (hashes >> shift)
        h = h * m1
        h ^= h >> shift
        h = h * m2
        h ^= h >> shift
        a, b = _permutations()
        return (h[:, None] * a + b).min(axis=0)


def signature(text: str) -> bytes:
    """The MinHash of ``text``'s :func:`shingles` as ``NUM_PERM`` little-endian uint64 values (bytes).

    Pass the article text only (headline and body sections). A text without words gives the
    all-empty signature, which :func:`similarity` treats as similar to nothing.
    """
    return _minhash(_shingle_hashes(text)).astype(_SIG_DTYPE).tobytes()


def signatures(texts: list[str]) -> list[bytes]:
    """:func:`signature` of each text (one call for many: cheap to send to a helper process)."""
    return [signature(t) for t in texts]


@lru_cache(maxsize=1)
def _permutations():
    """The (seeded, pinned) MinHash permutations, built once per process."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def _values(sig: bytes) -> np.ndarray:
    """The hash values of a stored signature, checking its size."""
    if len(sig) != _SIG_BYTES:
        raise ValueError(
            f"a signature has {_SIG_BYTES} bytes ({NUM_PERM} uint64 values), got {len(sig)}; "
            "was it made by claimledger.ledger.dedup.signature() with the same NUM_PERM?"
        )
    return np.frombuffer(sig, dtype=_SIG_DTYPE)


def _is_empty(values: np.ndarray) -> bool:
    return bool(np.all(values == _EMPTY))


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of the shingle sets behind two signatures (0.0-1.0).

    A signature of a text without words is similar to nothing (0.0), so empty pages never cluster.
    """
    va, vb = _values(a), _values(b)
    if _is_empty(va) or _is_empty(vb):
        return 0.0
    return float(np.count_nonzero(va == vb)) / NUM_PERM


@lru_cache(maxsize=4)
def _banding(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH chooses for ``threshold`` and :data:`NUM_PERM`."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


class NearDuplicateIndex:
    """An in-memory LSH index of document signatures, answering "which stored documents are copies?".

    The signature is cut into bands of rows (the numbers datasketch's ``MinHashLSH`` chooses for the
    threshold); documents sharing any band are candidates, and each candidate is then checked with
    :func:`similarity`, so :meth:`query` returns only documents at or above the threshold. The bands
    are plain dictionaries keyed by the band's bytes. datasketch's index does the same behind
    pluggable storage (Redis, Cassandra) that triples the cost of a bulk load's per-document query
    and insert (measured over 50,000 random signatures: 0.12 ms against 0.04 ms).
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        bands, rows = _banding(threshold)
        width = rows * _SIG_DTYPE.itemsize
        self._cuts = [(b * width, (b + 1) * width) for b in range(bands)]
        self._bands: list[dict[bytes, list[str]]] = [{} for _ in range(bands)]
        self._sigs: dict[str, bytes] = {}

    @classmethod
    def from_signatures(
        cls, items: Iterable[tuple[str, bytes]], threshold: float = THRESHOLD
    ) -> NearDuplicateIndex:
        """An index of stored ``(doc_id, signature)`` pairs (no text is re-read)."""
        index = cls(threshold)
        for doc_id, sig in items:
            if doc_id in index._sigs:
                raise ValueError(f"document id {doc_id!r} appears twice in the signatures")
            index.add(doc_id, sig)
        return index

    def _keys(self, sig: bytes) -> list[bytes]:
        return [sig[a:b] for a, b in self._cuts]

    def add(self, doc_id: str, sig: bytes) -> None:
        """Index ``doc_id``; adding an id again replaces its signature (a re-ingested document)."""
        sig = bytes(sig)
        _values(sig)  # validate before touching the index
        if doc_id in self._sigs:
            self._remove(doc_id)
        self._sigs[doc_id] = sig
        if sig == _EMPTY_SIG:  # similar to nothing: never a candidate
            return
        for band, key in zip(self._bands, self._keys(sig), strict=True):
            band.setdefault(key, []).append(doc_id)

    def _remove(self, doc_id: str) -> None:
        for band, key in zip(self._bands, self._keys(self._sigs.pop(doc_id)), strict=True):
            bucket = band.get(key)
            if bucket and doc_id in bucket:
                bucket.remove(doc_id)
                if not bucket:
                    del band[key]

    def query(self, sig: bytes) -> list[str]:
        """Ids of indexed documents with similarity at or above the threshold, most similar first."""
        sig = bytes(sig)
        _values(sig)  # a signature of the wrong size is an error, not a miss
        if sig == _EMPTY_SIG:
            return []
        found: set[str] = set()
        for band, key in zip(self._bands, self._keys(sig), strict=True):
            if bucket := band.get(key):
                found.update(bucket)
        scored = [(similarity(sig, self._sigs[d]), d) for d in found]
        return [d for s, d in sorted(scored, key=lambda x: (-x[0], x[1])) if s >= self.threshold]

    def similarity_to(self, sig: bytes, doc_id: str) -> float:
        """The similarity of ``sig`` to the indexed document ``doc_id`` (``KeyError`` if absent)."""
        return similarity(sig, self._sigs[doc_id])

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._sigs

    def __len__(self) -> int:
        return len(self._sigs)


def assign_cluster(index: NearDuplicateIndex, doc_id: str, sig: bytes, cluster_of: Mapping[str, str]) -> str:
    """The cluster of a new document, which is then added to ``index``.

    That is the cluster of the most similar indexed document (``cluster_of[best]``, or ``best`` itself
    when the mapping does not know it), or a new cluster named ``doc_id`` when nothing is similar
    enough. The document itself is never its own match, so re-assigning a document is safe.
    """
    matches = [d for d in index.query(sig) if d != doc_id]
    # query() sorts most similar first (ties by id), so the choice is deterministic.
    cluster = cluster_of.get(matches[0], matches[0]) if matches else doc_id
    index.add(doc_id, sig)
    return cluster
