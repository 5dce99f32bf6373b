"""Publicly verifiable random draws after RFC 3797, standard library only.

This file is also the verifier that members of the public download.  With Python 3.10
or newer, run::

    python lottery.py RECORD.json

It recomputes an exported draw record and prints ``OK`` with the fingerprint, the
key and the result (exit status 0), the list of problems found (exit status 1), or an
error about a file that cannot be read as one unambiguous JSON object (exit status 2).

The procedure (RFC 3797, "Publicly Verifiable Nominations Committee (NomCom) Random
Selection", sections 4 and 6)
----------------------------------------------------------------------------------
1. The lists and the entropy sources are announced *before* the source values exist.
   Each source has a name, a form ("numbers" or "text") and the date on which its
   value becomes public (for example a national lottery draw).
2. Once they are public, the values are turned into one key string.  Each source
   gives one component and the components are joined in the announced order:

   * ``numbers`` (RFC 3797 section 4): every value is a non-negative decimal number
     written without leading zeros (but with a single ``0`` when the whole part is
     zero) and without trailing zeros in the fraction.  A whole number is followed by
     a period (``100.``) and a fraction keeps its period between the parts
     (``12.3``).  The values of one source are sorted from smallest to largest and
     joined with nothing between them, and the source ends with ``/``.  For example,
     the RFC's sources "9319", "2 5 12 8 10" and "9 18 26 34 41 45" give the key
     ``9319./2.5.8.10.12./9.18.26.34.41.45./``.  The officer may separate the numbers
     with spaces, commas or semicolons.  A decimal must be written with ``.``, and a
     comma between two digits (``12,5``) is refused because it is ambiguous.
   * ``text`` is an extension: RFC 3797 defines the canonical form of numbers only.
     The value is NFKC-normalised and upper-cased, and everything except letters and
     digits (Unicode categories L* and N*) is removed, so that spacing, punctuation
     and case in a transcription do not change the key.  The source then ends with
     ``/``.  For example, "Tengri News: 12 March" gives ``TENGRINEWS12MARCH/``.

3. The ``i``-th random value (i = 0, 1, 2, ...) is the digest of
   ``index || key || index`` read as an unsigned big-endian integer.  ``key`` is the
   key string encoded as UTF-8 (ASCII for ``rfc3797-md5``) and ``index`` is ``i`` as
   a two-byte big-endian counter.
4. Selection: the pool is an ordered list.  Value ``i`` modulo the number of items
   still in the pool is the 0-based position of the next item chosen, which is then
   removed.  ``order`` repeats this until the pool is empty.  ``select`` stops after
   ``k`` items, so its result is always the first ``k`` items of ``order``.

Algorithms
----------
``rfc3797-md5``
    Exactly RFC 3797: MD5 with a two-byte index.  It therefore allows at most 65 536
    random values, the RFC's limit.  It takes ``numbers`` sources only, so the key is
    ASCII as the RFC requires.  It reproduces the RFC's worked example.
``sha256`` (the default for new draws)
    The same construction with SHA-256 in place of MD5.  Indices from 65 536 on are
    written big-endian in the fewest bytes that hold them (65 536 is ``01 00 00``).
    Below 65 536 the encoding is the RFC's two bytes.  The index is still
    unambiguous, because a wider index makes the hashed input longer.

Pairing (``pair``)
------------------
The left side is ordered with random values ``0 .. L-1``.  The right side is then
ordered by continuing the same sequence, with values ``L, L+1, ...``.  The ``i``-th
left item in draw order is paired with right item ``i mod R`` in the right side's
draw order.  So every left item is paired exactly once, and the numbers of left items
given to the right items differ by at most one.  When L > R (for example 14 schools
for 7 embassies), every embassy gets 2 schools.  With 15 schools, a random embassy
(the first one in the right side's draw order) gets the third.  When L == R the
pairing is a bijection.  When L < R, L right items, drawn at random, get one left
item each and the rest get none.  The pairs are listed in the left side's draw order.

When the draw may be conducted
------------------------------
Not before every source's value is public: the draw is refused, and a record is
refused by the verifier, when the day on which it was conducted is earlier than a
source's ``known_on``.  The day is the date part of ``conducted_at`` as written, in
the UTC offset it states; Chancery writes it in the organising office's local time.

Canonical lists
---------------
``canonical_entry`` normalises an entry to NFC, trims it and turns every run of
whitespace into one space.  ``canonical_pool`` does that to every entry, refuses
blank and duplicate entries, and sorts the entries by Unicode code point.  A published
list is the canonical pool, so anyone can rebuild it from the same names.

Record format (version 2, a JSON object)
----------------------------------------
Announced before the draw (``fingerprint`` covers exactly these fields)::

    "version": 2,
    "kind": "order" | "select" | "pair",
    "algorithm": "sha256" | "rfc3797-md5",
    "title": "...",                       (optional)
    "announced_on": "YYYY-MM-DD",         (optional; every known_on must be later)
    "pool": ["...", ...],                 (order and select: a canonical pool)
    "k": 3,                               (select only: how many to draw)
    "left": [...], "right": [...],        (pair only: canonical pools)
    "sources": [{"name": "...", "form": "numbers" | "text",
                 "known_on": "YYYY-MM-DD", "description": "..." (optional)}, ...]

Published with the announcement::

    "fingerprint": SHA-256 (hex) of the canonical JSON of the announced fields

Added after the draw::

    "conducted_at": "YYYY-MM-DDTHH:MM:SS+HH:MM",  (when; ISO 8601 with its UTC offset)
    "values": ["as entered, one string per source", ...],
    "key": "the canonical key string",
    "result": ["...", ...]                (order, select)
            | [["left", "right"], ...]    (pair)

The canonical JSON is ``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` encoded as UTF-8.  Fields that are absent are left out, never
written as null.  Other top-level fields are ignored and are not covered by the
fingerprint.

Version 1 is version 2 without ``conducted_at``, and it still verifies: its records
were conducted before the time of conduct was published, and they cannot be given one
afterwards, because ``version`` is covered by the fingerprint published at the
announcement.  For the same reason a version 2 record cannot pass for version 1 to
hide when it was conducted: in version 2, ``conducted_at`` is required once the
values are in.  When a version 1 record does carry ``conducted_at``, it is checked.

Reading a record
----------------
A record file is UTF-8 text, with or without a byte order mark, holding one JSON
value.  A record is refused when it is ambiguous or not plain JSON: a key given twice
in one object (anywhere in the record), ``NaN`` or ``Infinity``, a number too long to
read, or nesting deeper than a record ever needs (``MAX_DEPTH``).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import operator
import re
import sys
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice, repeat
from typing import Final, Literal, Protocol

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "FORMAT_VERSION",
    "FORMS",
    "KINDS",
    "MAX_DEPTH",
    "VERSIONS",
    "Announcement",
    "DrawError",
    "EntropySource",
    "EntropyValue",
    "RecordReadError",
    "announce",
    "canonical_entry",
    "canonical_json",
    "canonical_key",
    "canonical_pool",
    "canonical_value",
    "complete_record",
    "compute_result",
    "conducted_at_text",
    "describe",
    "digest",
    "fingerprint",
    "main",
    "order",
    "pair",
    "parse_conducted_at",
    "read_record",
    "result_to_json",
    "select",
    "sources_not_known_on",
    "validate_pool",
    "verify_record",
]

FORMAT_VERSION: Final = 2
#: Record versions this verifier reads (see "Record format" above).
VERSIONS: Final = (1, 2)
#: Deepest nesting of arrays and objects accepted in a record file; a record needs 3.
MAX_DEPTH: Final = 32
SHA256: Final = "sha256"
RFC3797_MD5: Final = "rfc3797-md5"
ALGORITHMS: Final = (SHA256, RFC3797_MD5)
DEFAULT_ALGORITHM: Final = SHA256
FORMS: Final = ("numbers", "text")
KINDS: Final = ("order", "select", "pair")
#: RFC 3797's index is a two-byte counter: MD5 draws are limited to this many values.
MD5_MAX_VALUES: Final = 1 << 16
#: Fields covered by the fingerprint (those present in the record).
ANNOUNCED_FIELDS: Final = (
    "version",
    "kind",
    "algorithm",
    "title",
    "announced_on",
    "pool",
    "k",
    "left",
    "right",
    "sources",
)
_LIST_FIELDS: Final = {"order": ("pool",), "select": ("pool",), "pair": ("left", "right")}
_SOURCE_FIELDS: Final = frozenset({"name", "form", "known_on", "description"})
# Selections made between two compactions of the remaining pool (see _draw_positions).
_CHUNK: Final = 1024
# Random values computed together, in C, before the selection uses them (see _random_values).
_BATCH: Final = 1 << 16
_BIG: Final[Literal["big"]] = "big"

_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER_SEPARATORS: Final = re.compile(r"[\s,;]+")
_COMMA_BETWEEN_DIGITS: Final = re.compile(r"[0-9],[0-9]")
_NUMBER_RE: Final = re.compile(r"([0-9]+)(?:\.([0-9]*))?")
_HEX64_RE: Final = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP_RE: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"
)


class DrawError(ValueError):
    """A draw's input is malformed; the message names the part and the problem.

    Errors an officer meets entering a draw (a list's entries, a source's value) also carry
    ``code`` and ``params`` so that an application can word them in its own language."""

    code: str = ""
    params: Mapping[str, object] = {}


def _error(code: str, text: str, **params: object) -> DrawError:
    error = DrawError(text)
    error.code, error.params = code, params
    return error


class Problem(str):
    """One finding of :func:`verify_record`: the English sentence (it *is* the string, so the
    command line prints it as it is), with ``code`` and ``params`` so that an application can
    word it in its own language.  ``params["detail"]``, where present, is the English reason
    the part could not be read."""

    code: str
    params: Mapping[str, object]

    def __new__(cls, code: str, text: str, **params: object) -> Problem:
        problem = super().__new__(cls, text)
        problem.code = code
        problem.params = params
        return problem


class RecordReadError(DrawError):
    """A record file that is not one unambiguous JSON value.

    ``code`` says why ("encoding", "syntax", "duplicate", "constant", "number" or
    "depth") and ``params`` holds the details, so that a caller can word the message
    in its own language.
    """

    def __init__(self, code: str, text: str, **params: object) -> None:
        super().__init__(text)
        self.code = code
        self.params = params


# --------------------------------------------------------------------------- sources


def _check_date(text: object, what: str) -> str:
    if not isinstance(text, str) or not _DATE_RE.fullmatch(text):
        raise DrawError(f"{what} must be a date written YYYY-MM-DD, not {text!r}")
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise DrawError(f"{what} is not a real date: {text!r}") from None
    return text


def _check_form(form: object, what: str) -> str:
    if form not in FORMS:
        raise DrawError(f"{what} has unknown form {form!r}; expected one of {', '.join(FORMS)}")
    assert isinstance(form, str)
    return form


@dataclass(frozen=True, slots=True)
class EntropySource:
    """A public source of randomness, announced before its value is known."""

    name: str
    form: str
    known_on: str
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise DrawError("every entropy source needs a non-blank name")
        what = f"source {self.name!r}"
        _check_form(self.form, what)
        _check_date(self.known_on, f"{what}: known_on")
        if not isinstance(self.description, str):
            raise DrawError(f"{what}: description must be text")

    def to_json(self) -> dict[str, str]:
        """Return the source as it appears in a record's ``sources`` list."""
        data = {"name": self.name, "form": self.form, "known_on": self.known_on}
        if self.description:
            data["description"] = self.description
        return data


@dataclass(frozen=True, slots=True)
class EntropyValue:
    """The value of one entropy source as entered by an officer, with its declared form."""

    name: str
    form: str
    value: str


def _canonical_numbers(value: str, what: str, source: str = "") -> str:
    text = unicodedata.normalize("NFKC", value)
    if _COMMA_BETWEEN_DIGITS.search(text):
        raise _error(
            "comma_in_number",
            f"{what}: {value!r} has a comma between digits; write decimals with '.' "
            "and separate numbers with spaces",
            source=source,
            value=value,
        )
    tokens = [token for token in _NUMBER_SEPARATORS.split(text) if token]
    if not tokens:
        raise _error("no_numbers", f"{what}: no numbers given", source=source)
    numbers: list[str] = []
    for token in tokens:
        match = _NUMBER_RE.fullmatch(token)
        if match is None:
            if token.startswith("-"):
                raise _error(
                    "negative_number",
                    f"{what}: {token!r}: negative numbers are not allowed",
                    source=source,
                    value=token,
                )
            raise _error(
                "not_a_number",
                f"{what}: {token!r} is not a non-negative decimal number",
                source=source,
                value=token,
            )
        whole = match.group(1).lstrip("0") or "0"
        fraction = (match.group(2) or "").rstrip("0")
        numbers.append(f"{whole}.{fraction}")
    numbers.sort(key=Decimal)
    return "".join(numbers) + "/"


def _canonical_text(value: str, what: str, source: str = "") -> str:
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).upper())
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    if not kept:
        raise _error(
            "no_letters",
            f"{what}: {value!r} contains no letters or digits",
            source=source,
            value=value,
        )
    return kept + "/"


def canonical_value(form: str, value: str, source: str = "") -> str:
    """Return one source's component of the key string, ending with '/'."""
    what = f"source {source!r} ({form})" if source else f"{form} value"
    _check_form(form, what)
    if not isinstance(value, str):
        raise DrawError(f"{what}: the value must be text, not {type(value).__name__}")
    if form == "numbers":
        return _canonical_numbers(value, what, source)
    return _canonical_text(value, what, source)


def canonical_key(values: Sequence[EntropyValue]) -> str:
    """Build the RFC 3797 key string from the source values, in announced order."""
    if not values:
        raise DrawError("at least one entropy source value is needed")
    seen: set[str] = set()
    parts = []
    for item in values:
        if item.name in seen:
            raise DrawError(f"source {item.name!r} is given twice")
        seen.add(item.name)
        parts.append(canonical_value(item.form, item.value, item.name))
    return "".join(parts)


def sources_not_known_on(
    sources: Iterable[EntropySource], day: datetime.date
) -> list[EntropySource]:
    """Return the sources whose values are not public yet on ``day`` (known_on later)."""
    return [source for source in sources if source.known_on > day.isoformat()]


def conducted_at_text(moment: datetime.datetime) -> str:
    """Return a moment as a record's ``conducted_at``: ISO 8601 to the second, with offset."""
    if moment.utcoffset() is None:
        raise DrawError("the time of conduct needs a time zone (a UTC offset)")
    return moment.isoformat(timespec="seconds")


def parse_conducted_at(text: object) -> datetime.datetime:
    """Read a record's ``conducted_at``; raise DrawError unless it is ISO 8601 with an offset."""
    if not isinstance(text, str) or not _TIMESTAMP_RE.fullmatch(text):
        raise DrawError(
            f"field 'conducted_at' must be a time written YYYY-MM-DDTHH:MM:SS+HH:MM, not {text!r}"
        )
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        raise DrawError(f"field 'conducted_at' is not a real time: {text!r}") from None


def _check_conducted(sources: Iterable[EntropySource], moment: datetime.datetime) -> None:
    early = sources_not_known_on(sources, moment.date())
    if early:
        names = ", ".join(f"{source.name!r} (known on {source.known_on})" for source in early)
        raise DrawError(
            f"the draw was conducted on {moment.date().isoformat()}, before the value of "
            f"{names} was public: whoever conducted it could have chosen the values"
        )


# ----------------------------------------------------------------------------- pools


def canonical_entry(entry: str) -> str:
    """Return an entry's canonical spelling: NFC, trimmed, inner whitespace as one space."""
    return " ".join(unicodedata.normalize("NFC", entry).split())


def canonical_pool(entries: Iterable[str], what: str = "pool") -> list[str]:
    """Return the canonical published list: canonical entries sorted by code point."""
    first_seen: dict[str, str] = {}
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, str):
            raise DrawError(f"{what} entry {position} is not text")
        canonical = canonical_entry(entry)
        if not canonical:
            raise _error(
                "blank_entry", f"{what} entry {position} is blank", list=what, position=position
            )
        if canonical in first_seen:
            raise _error(
                "duplicate_entry",
                f"{what} has a duplicate entry: {entry!r} is the same as {first_seen[canonical]!r}",
                list=what,
                entry=entry,
                same_as=first_seen[canonical],
            )
        first_seen[canonical] = entry
    if not first_seen:
        raise _error("empty_list", f"{what} is empty", list=what)
    return sorted(first_seen)


def validate_pool(pool: Sequence[str], what: str = "pool") -> None:
    """Raise DrawError unless the pool is a non-empty list of distinct non-blank strings."""
    if isinstance(pool, str) or not isinstance(pool, Sequence):
        raise DrawError(f"{what} must be a list of entries")
    if not pool:
        raise DrawError(f"{what} is empty")
    # Fast path in C for large pools; the loops below only run to word an error.
    distinct = set(pool) if set(map(type, pool)) == {str} else None
    if distinct is None or "" in distinct or any(map(str.isspace, pool)):
        for position, entry in enumerate(pool, start=1):
            if not isinstance(entry, str):
                raise DrawError(f"{what} entry {position} is not text")
            if not entry or entry.isspace():
                raise DrawError(f"{what} entry {position} is blank")
        distinct = set(pool)  # only str subclasses got here
    if len(distinct) != len(pool):
        positions: dict[str, int] = {}
        for position, entry in enumerate(pool, start=1):
            if entry in positions:
                raise DrawError(
                    f"{what} has a duplicate entry {entry!r} "
                    f"(positions {positions[entry]} and {position})"
                )
            positions[entry] = position


# --------------------------------------------------------------------------- drawing


def _check_algorithm(algorithm: object) -> str:
    if algorithm not in ALGORITHMS:
        raise DrawError(f"unknown algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}")
    assert isinstance(algorithm, str)
    return algorithm


def _key_bytes(key: str, algorithm: str) -> bytes:
    _check_algorithm(algorithm)
    if not isinstance(key, str) or not key:
        raise DrawError("the key string is empty")
    if algorithm == RFC3797_MD5:
        try:
            return key.encode("ascii")
        except UnicodeEncodeError:
            raise DrawError(
                "rfc3797-md5 needs an ASCII key string (RFC 3797 section 4); "
                "use the sha256 algorithm for text sources in other scripts"
            ) from None
    return key.encode("utf-8")


class _Hash(Protocol):
    def digest(self) -> bytes: ...


def _hash_function(algorithm: str) -> Callable[[bytes], _Hash]:
    if algorithm == RFC3797_MD5:
        return functools.partial(hashlib.md5, usedforsecurity=False)
    return hashlib.sha256


def _index_bytes(index: int) -> bytes:
    if index < 0x10000:
        return index.to_bytes(2, "big")
    return index.to_bytes((index.bit_length() + 7) // 8, "big")


def _check_capacity(values_needed: int, algorithm: str) -> None:
    if algorithm == RFC3797_MD5 and values_needed > MD5_MAX_VALUES:
        raise DrawError(
            f"rfc3797-md5 allows at most {MD5_MAX_VALUES} random values (a two-byte "
            f"index); this draw needs {values_needed}: use the sha256 algorithm"
        )


def digest(key: str, index: int, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Return the digest of index || key || index, the index-th random value as bytes."""
    key_bytes = _key_bytes(key, algorithm)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise DrawError(f"the index must be a non-negative integer, not {index!r}")
    _check_capacity(index + 1, algorithm)
    packed = _index_bytes(index)
    return _hash_function(algorithm)(packed + key_bytes + packed).digest()


def _random_values(
    n: int, k: int, key_bytes: bytes, algorithm: str, start: int = 0, batch: int = _BATCH
) -> Iterator[int]:
    """Yield the k positions drawn from a pool of n, each counted among the items still in it.

    The value for index i = start, start + 1, ... is digest(i || key || i) modulo the
    items left at that step.  Hashing does not depend on what was selected, so each
    batch is computed by C-level iteration (map) with no bytecode per value; a batch
    never spans a change of the index width (2 bytes below 65 536, then the fewest).
    """
    new_hash = _hash_function(algorithm)
    digest_of = type(new_hash(b"")).digest

    def batches() -> Iterator[Iterator[int]]:
        index, stop, left = start, start + k, n
        while index < stop:
            width = len(_index_bytes(index))
            end = min(stop, 1 << (8 * width), index + batch)
            packed = list(map(int.to_bytes, range(index, end), repeat(width), repeat(_BIG)))
            hashes = map(new_hash, map(key_bytes.join, zip(packed, packed, strict=True)))
            values = map(int.from_bytes, map(digest_of, hashes), repeat(_BIG))
            yield map(operator.mod, values, range(left, left - (end - index), -1))
            left -= end - index
            index = end

    return chain.from_iterable(batches())


def _without(alive: memoryview, taken: list[int], typecode: Literal["i", "q"]) -> memoryview:
    """Return alive without the (sorted, distinct) positions taken, copied in C by slices."""
    starts = [0]
    starts += map((1).__add__, taken)
    ends = [*taken, len(alive)]
    pieces: Iterator[memoryview] = map(alive.__getitem__, map(slice, starts, ends))
    return memoryview(b"".join(pieces)).cast(typecode)


def _draw_positions(
    n: int,
    k: int,
    key_bytes: bytes,
    algorithm: str,
    start: int = 0,
    chunk: int = _CHUNK,
) -> list[int]:
    """Return the original positions of the first k items the RFC procedure takes from n.

    Same output as the naive "pop position r from a list" loop, in O(n log n) time in
    practice.  The random values come from _random_values.  Selections are made in
    chunks.  Inside a chunk, positions refer to the list of survivors at the start of
    the chunk, and ``taken`` holds (sorted) the positions taken so far.  The r-th free
    position is the fixed point of p = r + #{t in taken : t <= p}, reached from
    p = r by iteration (the count only grows, and it stops at the first free position
    with r free ones before it, so at exactly the naive answer).  Between chunks the
    survivors are compacted with C-level slicing and joining.
    """
    values = _random_values(n, k, key_bytes, algorithm, start)
    typecode: Literal["i", "q"] = "i" if n < 1 << (8 * array("i").itemsize - 1) else "q"
    alive = memoryview(array(typecode, range(n)))
    bisect = bisect_right
    picked: list[int] = []
    remaining = n
    while len(picked) < k:
        # Keep the taken positions sparse (at most 1/8 of the survivors) so the
        # fixed-point iteration stays short.
        size = min(chunk, k - len(picked), max(1, remaining >> 3))
        taken: list[int] = []
        chosen: list[int] = []
        insert, append = taken.insert, chosen.append
        for wanted in islice(values, size):
            count = bisect(taken, wanted)
            covered = bisect(taken, wanted + count, count)
            while covered != count:
                count = covered
                covered = bisect(taken, wanted + count, count)
            position = wanted + count
            insert(count, position)
            append(position)
        picked.extend(map(alive.__getitem__, chosen))
        remaining -= size
        if len(picked) < k:
            alive = _without(alive, taken, typecode)
    return picked


def _check_count(k: object, n: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int):
        raise DrawError(f"the number to select must be a whole number, not {k!r}")
    if k < 0:
        raise DrawError(f"cannot select a negative number of entries ({k})")
    if k > n:
        raise DrawError(f"cannot select {k} entries: the pool has only {n}")
    return k


def order(pool: Sequence[str], key: str, algorithm: str = DEFAULT_ALGORITHM) -> list[str]:
    """Return the whole pool in draw order (the RFC 3797 procedure run to the end)."""
    validate_pool(pool)
    key_bytes = _key_bytes(key, algorithm)
    _check_capacity(len(pool), algorithm)
    return list(map(pool.__getitem__, _draw_positions(len(pool), len(pool), key_bytes, algorithm)))


def select(pool: Sequence[str], k: int, key: str, algorithm: str = DEFAULT_ALGORITHM) -> list[str]:
    """Return the first k entries drawn from the pool by the RFC 3797 procedure."""
    validate_pool(pool)
    count = _check_count(k, len(pool))
    key_bytes = _key_bytes(key, algorithm)
    _check_capacity(count, algorithm)
    return list(map(pool.__getitem__, _draw_positions(len(pool), count, key_bytes, algorithm)))


def pair(
    left: Sequence[str],
    right: Sequence[str],
    key: str,
    algorithm: str = DEFAULT_ALGORITHM,
) -> list[tuple[str, str]]:
    """Pair every left entry with a right entry; right loads differ by at most one."""
    validate_pool(left, "left")
    validate_pool(right, "right")
    key_bytes = _key_bytes(key, algorithm)
    n_left, n_right = len(left), len(right)
    drawn_right = min(n_left, n_right)
    _check_capacity(n_left + drawn_right, algorithm)
    left_order = _draw_positions(n_left, n_left, key_bytes, algorithm)
    right_order = _draw_positions(n_right, drawn_right, key_bytes, algorithm, start=n_left)
    return [
        (left[position], right[right_order[i % drawn_right]])
        for i, position in enumerate(left_order)
    ]


# --------------------------------------------------------------------------- records


def _str_list(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise DrawError(f"field {what!r} must be a list of text entries")
    validate_pool(value, what)
    return tuple(value)


@dataclass(frozen=True, slots=True)
class Announcement:
    """What is published before the draw: the lists, the sources and the algorithm."""

    kind: str
    sources: tuple[EntropySource, ...]
    algorithm: str = DEFAULT_ALGORITHM
    pool: tuple[str, ...] = ()
    k: int | None = None
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    title: str | None = None
    announced_on: str | None = None
    version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        if self.version not in VERSIONS:
            raise DrawError(
                f"unsupported record version {self.version!r}; this verifier reads "
                f"versions {', '.join(map(str, VERSIONS))}"
            )
        if self.kind not in KINDS:
            raise DrawError(f"unknown kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        _check_algorithm(self.algorithm)
        if not self.sources:
            raise DrawError("at least one entropy source must be announced")
        names = [source.name for source in self.sources]
        if len(set(names)) != len(names):
            raise DrawError("two entropy sources have the same name")
        if self.algorithm == RFC3797_MD5:
            for source in self.sources:
                if source.form != "numbers":
                    raise DrawError(
                        f"source {source.name!r}: rfc3797-md5 follows RFC 3797 strictly and "
                        "takes 'numbers' sources only; use sha256 for 'text' sources"
                    )
        if self.title is not None and not isinstance(self.title, str):
            raise DrawError("the title must be text")
        if self.announced_on is not None:
            _check_date(self.announced_on, "announced_on")
        if self.kind == "pair":
            validate_pool(self.left, "left")
            validate_pool(self.right, "right")
            if self.pool or self.k is not None:
                raise DrawError("a pair draw has 'left' and 'right', not 'pool' or 'k'")
            _check_capacity(len(self.left) + min(len(self.left), len(self.right)), self.algorithm)
            return
        validate_pool(self.pool, "pool")
        if self.left or self.right:
            raise DrawError(f"an {self.kind} draw has a 'pool', not 'left' or 'right'")
        if self.kind == "select":
            if self.k is None:
                raise DrawError("a select draw needs 'k', the number to select")
            _check_count(self.k, len(self.pool))
            _check_capacity(self.k, self.algorithm)
        else:
            if self.k is not None:
                raise DrawError("an order draw has no 'k'")
            _check_capacity(len(self.pool), self.algorithm)

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Announcement:
        """Read and validate the announced fields of a record; raise DrawError if bad."""
        if not isinstance(record, Mapping):
            raise DrawError("the record must be a JSON object")
        for name in ("version", "kind", "algorithm", "sources"):
            if name not in record:
                raise DrawError(f"missing field {name!r}")
        version = record["version"]
        if isinstance(version, bool) or not isinstance(version, int):
            raise DrawError(f"field 'version' must be a whole number, not {version!r}")
        kind = record["kind"]
        if not isinstance(kind, str) or kind not in KINDS:
            raise DrawError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        allowed = {*_LIST_FIELDS[kind], *(("k",) if kind == "select" else ())}
        for name in ("pool", "left", "right", "k"):
            if name in record and name not in allowed:
                raise DrawError(f"field {name!r} does not belong to a {kind!r} draw")
        lists: dict[str, tuple[str, ...]] = {}
        for name in _LIST_FIELDS[kind]:
            if name not in record:
                raise DrawError(f"missing field {name!r}")
            lists[name] = _str_list(record[name], name)
        k = record.get("k")
        if kind == "select" and "k" not in record:
            raise DrawError("missing field 'k'")
        if k is not None and (isinstance(k, bool) or not isinstance(k, int)):
            raise DrawError(f"field 'k' must be a whole number, not {k!r}")
        title = record.get("title")
        if title is not None and not isinstance(title, str):
            raise DrawError("field 'title' must be text")
        announced_on = record.get("announced_on")
        if announced_on is not None:
            announced_on = _check_date(announced_on, "field 'announced_on'")
        raw_sources = record["sources"]
        if not isinstance(raw_sources, list):
            raise DrawError("field 'sources' must be a list")
        sources = []
        for position, raw in enumerate(raw_sources, start=1):
            if not isinstance(raw, dict):
                raise DrawError(f"source {position} must be an object")
            unknown = sorted(set(raw) - _SOURCE_FIELDS)
            if unknown:
                raise DrawError(f"source {position} has unknown field(s): {', '.join(unknown)}")
            for name in ("name", "form", "known_on"):
                if name not in raw:
                    raise DrawError(f"source {position} is missing {name!r}")
            sources.append(
                EntropySource(
                    name=raw["name"],
                    form=raw["form"],
                    known_on=raw["known_on"],
                    description=raw.get("description", ""),
                )
            )
        return cls(
            kind=kind,
            sources=tuple(sources),
            algorithm=_check_algorithm(record["algorithm"]),
            pool=lists.get("pool", ()),
            k=k,
            left=lists.get("left", ()),
            right=lists.get("right", ()),
            title=title,
            announced_on=announced_on,
            version=version,
        )

    def to_record(self) -> dict[str, object]:
        """Return the announced fields as a JSON-ready dict (absent fields left out)."""
        data: dict[str, object] = {
            "version": self.version,
            "kind": self.kind,
            "algorithm": self.algorithm,
            "sources": [source.to_json() for source in self.sources],
        }
        if self.title is not None:
            data["title"] = self.title
        if self.announced_on is not None:
            data["announced_on"] = self.announced_on
        for name in _LIST_FIELDS[self.kind]:
            data[name] = list(getattr(self, name))
        if self.kind == "select":
            data["k"] = self.k
        return data

    def values_for(self, values: Sequence[str]) -> list[EntropyValue]:
        """Match entered values to the announced sources, one string per source."""
        if isinstance(values, str) or not isinstance(values, Sequence):
            raise DrawError("the values must be a list with one text value per source")
        if len(values) != len(self.sources):
            raise DrawError(
                f"{len(values)} value(s) given for {len(self.sources)} announced source(s)"
            )
        result = []
        for source, value in zip(self.sources, values, strict=True):
            if not isinstance(value, str):
                raise DrawError(f"source {source.name!r}: the value must be text")
            result.append(EntropyValue(source.name, source.form, value))
        return result

    def draw(self, key: str) -> list[str] | list[tuple[str, str]]:
        """Run the announced draw with the given key string."""
        if self.kind == "pair":
            return pair(self.left, self.right, key, self.algorithm)
        if self.kind == "select":
            assert self.k is not None
            return select(self.pool, self.k, key, self.algorithm)
        return order(self.pool, key, self.algorithm)


def canonical_json(value: object) -> bytes:
    """Serialise to canonical JSON: sorted keys, no spaces, UTF-8, no NaN."""
    try:
        text = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise DrawError(f"the record cannot be written as JSON: {exc}") from None
    return text.encode("utf-8")


def fingerprint(record: Mapping[str, object]) -> str:
    """Return the SHA-256 hex digest of the canonical JSON of the announced fields."""
    announced = {name: record[name] for name in ANNOUNCED_FIELDS if name in record}
    return hashlib.sha256(canonical_json(announced)).hexdigest()


def announce(announcement: Announcement) -> dict[str, object]:
    """Return the record to publish before the draw: announced fields plus fingerprint."""
    for name in _LIST_FIELDS[announcement.kind]:
        entries = getattr(announcement, name)
        if list(entries) != canonical_pool(entries, name):
            raise DrawError(f"list {name!r} must be a canonical pool (use canonical_pool)")
    record = announcement.to_record()
    record["fingerprint"] = fingerprint(record)
    return record


def result_to_json(result: Sequence[str] | Sequence[tuple[str, str]]) -> list[object]:
    """Return a draw result as stored in a record (pairs become two-item lists)."""
    return [list(item) if isinstance(item, tuple) else item for item in result]


def complete_record(
    record: Mapping[str, object],
    values: Sequence[str],
    *,
    conducted_at: datetime.datetime,
) -> dict[str, object]:
    """Return the record with the time of conduct, the values, the key and the result added.

    Refused (DrawError) when ``conducted_at``, in its own time zone, falls on a day
    before a source's ``known_on``.
    """
    announcement = Announcement.from_record(record)
    recorded = record.get("fingerprint")
    if recorded != fingerprint(record):
        raise DrawError("the record's fingerprint does not match its announced fields")
    when = conducted_at_text(conducted_at)
    _check_conducted(announcement.sources, conducted_at)
    key = canonical_key(announcement.values_for(values))
    completed = dict(record)
    completed["conducted_at"] = when
    completed["values"] = list(values)
    completed["key"] = key
    completed["result"] = result_to_json(announcement.draw(key))
    return completed


def compute_result(record: Mapping[str, object]) -> list[str] | list[tuple[str, str]]:
    """Recompute a draw's result from its announced fields and entered values."""
    announcement = Announcement.from_record(record)
    if "values" not in record:
        raise DrawError("missing field 'values'")
    values = record["values"]
    if not isinstance(values, list):
        raise DrawError("field 'values' must be a list")
    return announcement.draw(canonical_key(announcement.values_for(values)))


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def _difference(recorded: list[object], computed: list[object]) -> dict[str, object]:
    """Where two results first differ: position and both values, or the two lengths."""
    for position, (got, want) in enumerate(zip(recorded, computed, strict=False), start=1):
        if got != want:
            return {"position": position, "recorded": _shown(got), "computed": _shown(want)}
    return {"recorded_count": len(recorded), "computed_count": len(computed)}


def _first_difference(recorded: list[object], computed: list[object]) -> str:
    for position, (got, want) in enumerate(zip(recorded, computed, strict=False), start=1):
        if got != want:
            return (
                f"at position {position} the record has {_shown(got)} but the draw "
                f"gives {_shown(want)}"
            )
    return f"the record lists {len(recorded)} item(s) but the draw gives {len(computed)}"


def _conduct_problems(record: Mapping[str, object], announcement: Announcement) -> list[Problem]:
    if "conducted_at" not in record:
        if announcement.version == 1:
            return []
        return [
            Problem(
                "missing_conducted_at",
                f"missing field 'conducted_at': a version {announcement.version} record states "
                "when the draw was conducted",
                version=announcement.version,
            )
        ]
    try:
        moment = parse_conducted_at(record["conducted_at"])
    except DrawError as exc:
        return [Problem("invalid_conducted_at", str(exc), detail=str(exc))]
    early = sources_not_known_on(announcement.sources, moment.date())
    try:
        _check_conducted(announcement.sources, moment)
    except DrawError as exc:
        return [
            Problem(
                "conducted_early",
                str(exc),
                day=moment.date().isoformat(),
                sources=tuple((source.name, source.known_on) for source in early),
            )
        ]
    return []


def verify_record(record: object) -> list[Problem]:
    """Check an exported record; return the problems found (an empty list means verified)."""
    if not isinstance(record, Mapping):
        return [Problem("not_an_object", "the record is not a JSON object")]
    try:
        announcement = Announcement.from_record(record)
    except DrawError as exc:
        return [Problem("invalid_announcement", f"invalid announcement: {exc}", detail=str(exc))]
    problems: list[Problem] = []

    recorded_fp = record.get("fingerprint")
    computed_fp = fingerprint(record)
    if recorded_fp is None:
        problems.append(
            Problem("missing_field", "missing field 'fingerprint'", field="fingerprint")
        )
    elif not isinstance(recorded_fp, str) or recorded_fp.lower() != computed_fp:
        problems.append(
            Problem(
                "fingerprint_mismatch",
                "fingerprint mismatch: the announced fields (lists, sources, algorithm, ...) "
                f"hash to {computed_fp}, but the record states {recorded_fp!r}: "
                "the lists or sources were changed after the announcement, or the "
                "fingerprint was altered",
                computed=computed_fp,
                recorded=str(recorded_fp),
            )
        )

    for name in _LIST_FIELDS[announcement.kind]:
        entries = list(getattr(announcement, name))
        try:
            canonical = canonical_pool(entries, name)
        except DrawError as exc:
            problems.append(
                Problem(
                    "list_unreadable",
                    f"list {name!r} is not canonical: {exc}",
                    list=name,
                    detail=str(exc),
                )
            )
            continue
        if entries != canonical:
            problems.append(
                Problem(
                    "list_not_canonical",
                    f"list {name!r} is not in canonical form (entries NFC-normalised with "
                    "single spaces, sorted by code point)",
                    list=name,
                )
            )

    if announcement.announced_on is not None:
        for source in announcement.sources:
            if source.known_on <= announcement.announced_on:
                problems.append(
                    Problem(
                        "source_known_early",
                        f"source {source.name!r} was known on {source.known_on}, not after "
                        f"the announcement on {announcement.announced_on}",
                        source=source.name,
                        known_on=source.known_on,
                        announced_on=announcement.announced_on,
                    )
                )

    if "values" not in record:
        problems.append(
            Problem("not_drawn", "missing field 'values': the draw has not been made yet")
        )
        return problems
    problems.extend(_conduct_problems(record, announcement))
    values = record["values"]
    try:
        if not isinstance(values, list):
            raise DrawError("field 'values' must be a list")
        key = canonical_key(announcement.values_for(values))
    except DrawError as exc:
        problems.append(Problem("invalid_values", f"invalid values: {exc}", detail=str(exc)))
        return problems

    recorded_key = record.get("key")
    if recorded_key is None:
        problems.append(Problem("missing_field", "missing field 'key'", field="key"))
    elif recorded_key != key:
        problems.append(
            Problem(
                "key_mismatch",
                f"key mismatch: the published values give the key string {key!r}, but the "
                f"record states {recorded_key!r}",
                computed=key,
                recorded=str(recorded_key),
            )
        )

    try:
        computed = result_to_json(announcement.draw(key))
    except DrawError as exc:
        problems.append(
            Problem("cannot_recompute", f"cannot recompute the result: {exc}", detail=str(exc))
        )
        return problems
    recorded = record.get("result")
    if recorded is None:
        problems.append(Problem("missing_field", "missing field 'result'", field="result"))
    elif not isinstance(recorded, list):
        problems.append(Problem("result_not_list", "field 'result' must be a list"))
    elif recorded != computed:
        problems.append(
            Problem(
                "result_mismatch",
                "result mismatch: the recorded result is not what the published lists and "
                f"values give; {_first_difference(recorded, computed)}",
                difference=_difference(recorded, computed),
            )
        )
    return problems


# ------------------------------------------------------------------------------- CLI

USAGE: Final = (
    "usage: python lottery.py RECORD.json\n"
    "Recompute an exported draw record and check it (RFC 3797 random selection).\n"
    "Exit status: 0 verified, 1 problems found, 2 unreadable file or invalid JSON."
)
_SHOWN_RESULTS: Final = 100


def _emit(text: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    try:
        print(text, file=stream)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {}
    for name, value in pairs:
        if name in data:
            raise RecordReadError(
                "duplicate",
                f"the key {name!r} appears twice in one JSON object, so the record is ambiguous",
                key=name,
            )
        data[name] = value
    return data


def _refuse_constant(name: str) -> object:
    raise RecordReadError("constant", f"{name} is not a JSON number", constant=name)


def _too_deep(value: object, limit: int) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        assert isinstance(children, Iterable)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _nested_too_deeply() -> RecordReadError:
    return RecordReadError(
        "depth",
        f"its arrays and objects are nested too deeply (a record needs at most {MAX_DEPTH} levels)",
        limit=MAX_DEPTH,
    )


def read_record(data: bytes | str) -> object:
    """Parse a record file as one unambiguous JSON value; raise RecordReadError if it is not.

    The one reading of records shared by every verifier.  A leading UTF-8 byte order mark
    is skipped (editors on Windows add one); a duplicate key anywhere, NaN or Infinity, and
    nesting deeper than MAX_DEPTH are refused.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RecordReadError(
                "encoding", f"it is not UTF-8 text (byte {exc.start})", position=exc.start
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    try:
        value = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse_constant
        )
    except RecordReadError:
        raise
    except json.JSONDecodeError as exc:
        raise RecordReadError(
            "syntax",
            f"it is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
            line=exc.lineno,
            column=exc.colno,
            message=exc.msg,
        ) from None
    except RecursionError:
        raise _nested_too_deeply() from None
    except ValueError as exc:
        raise RecordReadError("number", f"a number in it cannot be read: {exc}") from None
    if isinstance(value, dict | list) and _too_deep(value, MAX_DEPTH):
        raise _nested_too_deeply()
    return value


def describe(record: Mapping[str, object]) -> list[str]:
    """Return the lines that present a verified record: the draw, fingerprint, key, result."""
    lines = []
    if isinstance(record.get("title"), str):
        lines.append(f"title: {record['title']}")
    kind = record["kind"]
    if kind == "select":
        pool = record["pool"]
        assert isinstance(pool, list)
        lines.append(f"draw: select {record['k']} of {len(pool)}")
    elif kind == "pair":
        left, right = record["left"], record["right"]
        assert isinstance(left, list) and isinstance(right, list)
        lines.append(f"draw: pair {len(left)} left with {len(right)} right")
    else:
        pool = record["pool"]
        assert isinstance(pool, list)
        lines.append(f"draw: order {len(pool)}")
    lines.append(f"algorithm: {record['algorithm']}")
    if "announced_on" in record:
        lines.append(f"announced on: {record['announced_on']}")
    if "conducted_at" in record:
        lines.append(f"conducted at: {record['conducted_at']}")
    else:
        lines.append("conducted at: not recorded (a version 1 record)")
    lines.append(f"fingerprint: {record['fingerprint']}")
    lines.append(f"key: {record['key']}")
    result = record["result"]
    assert isinstance(result, list)
    lines.append("result:")
    for position, item in enumerate(result[:_SHOWN_RESULTS], start=1):
        shown = " <-> ".join(item) if isinstance(item, list) else str(item)
        lines.append(f"  {position}. {shown}")
    if len(result) > _SHOWN_RESULTS:
        lines.append(f"  ... and {len(result) - _SHOWN_RESULTS} more (see the record)")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Verify the record file named on the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["-h"], ["--help"]):
        _emit(USAGE)
        return 0
    if len(args) != 1:
        _emit(USAGE, error=True)
        return 2
    path = args[0]
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        _emit(f"error: cannot read {path}: {exc.strerror or exc}", error=True)
        return 2
    try:
        record = read_record(data)
    except RecordReadError as exc:
        _emit(f"error: {path} cannot be verified: {exc}", error=True)
        return 2
    problems = verify_record(record)
    if problems:
        _emit(f"MISMATCH: {path} does not verify:")
        for problem in problems:
            _emit(f"  - {problem}")
        return 1
    assert isinstance(record, dict)
    _emit(f"OK: {path} verifies; the result follows from the announced lists and values.")
    for line in describe(record):
        _emit(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
