"""Tests for chancery.draws.lottery: RFC 3797 draws, records and the verifier CLI."""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chancery.draws import lottery
from chancery.draws.lottery import (
    Announcement,
    DrawError,
    EntropySource,
    EntropyValue,
    RecordReadError,
    announce,
    canonical_entry,
    canonical_key,
    canonical_pool,
    canonical_value,
    complete_record,
    compute_result,
    describe,
    digest,
    fingerprint,
    main,
    order,
    pair,
    read_record,
    select,
    validate_pool,
    verify_record,
)

LOTTERY_PY = Path(lottery.__file__)
ALMATY_2025 = timezone(timedelta(hours=5))
#: After every source of make_record is known (12 and 13 March 2025).
CONDUCTED = datetime(2025, 3, 20, 12, 0, tzinfo=ALMATY_2025)

# ---------------------------------------------------------------- RFC 3797, section 6
# The worked example: sources "9319", "2 5 12 8 10", "9 18 26 34 41 45"; a pool of 25.
RFC_VALUES = ["9319", "2, 5, 12, 8, 10", "9 18 26 34 41 45"]
RFC_KEY = "9319./2.5.8.10.12./9.18.26.34.41.45./"
RFC_DIGESTS = [  # index 0, 1, ... (the RFC's table numbers them from 1)
    "990DD0A5692A029A98B5E01AA28F3459",
    "3691E55CB63FCC37914430B2F70B5EC6",
    "FE814EDF564C190AC1D25753979990FA",
    "1863CCACEB568C31D7DDBDF1D4E91387",
    "F4AB33DF4889F0AF29C513905BE1D758",
    "13EAEB529F61ACFB9A29D0BA3A60DE4A",
    "992DB77C382CA2BDB9727001F3CDCCD9",
    "63AB4258ECA922976811C7F55C383CE7",
    "DFBC5AC97CED01B3A6E348E3CC63F40D",
    "31CB111C4A4EBE9287CEAE16FE51B909",
    "07FA46C122F164C215BBC72793B189A3",
    "AC52F8D75CCBE2E61AFEB3387637D501",
    "53306F73E14FC0B2FBF434218D25948E",
    "B5D1403501A81F9A47318BE7893B347C",
    "85B10B356AA06663EF1B1B407765100A",
    "3269E6CE559ABD57E2BA6AAB495EB9BD",
]
RFC_SELECTED = [17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22, 5, 18, 9, 1, 4]
RFC_NAMES = [
    "John",
    "Mary",
    "Bashful",
    "Dopey",
    "Sleepy",
    "Grouchy",
    "Doc",
    "Sneazy",
    "Handsome",
    "Cassandra",
    "Pollyanna",
    "Pendragon",
    "Pandora",
    "Faith",
    "Hope",
    "Charity",
    "Lee",
    "Longsuffering",
    "Chastity",
    "Smith",
    "Pride",
    "Sloth",
    "Envy",
    "Anger",
    "Kasczynski",
]
RFC_FIRST_TEN = [
    "Lee",
    "Doc",
    "Mary",
    "Charity",
    "Kasczynski",
    "Envy",
    "Sneazy",
    "Anger",
    "Chastity",
    "Pandora",
]

CHI2_DF4_P001 = 18.467  # chi-square critical values at significance 0.001
CHI2_DF5_P001 = 20.515


def naive_draw(pool: list[str], k: int, key: str, algorithm: str, start: int = 0) -> list[str]:
    """Reference: the RFC procedure written literally, popping from a Python list."""
    data = key.encode("ascii" if algorithm == "rfc3797-md5" else "utf-8")
    remaining = list(pool)
    drawn = []
    for index in range(start, start + k):
        packed = index.to_bytes(max(2, (index.bit_length() + 7) // 8), "big")
        if algorithm == "rfc3797-md5":
            hashed = hashlib.md5(packed + data + packed, usedforsecurity=False).digest()
        else:
            hashed = hashlib.sha256(packed + data + packed).digest()
        drawn.append(remaining.pop(int.from_bytes(hashed, "big") % len(remaining)))
    return drawn


def rfc_values() -> list[EntropyValue]:
    return [EntropyValue(f"source {i}", "numbers", v) for i, v in enumerate(RFC_VALUES, 1)]


def test_rfc3797_key_string() -> None:
    assert canonical_key(rfc_values()) == RFC_KEY


def test_rfc3797_digests() -> None:
    got = [digest(RFC_KEY, i, "rfc3797-md5").hex().upper() for i in range(16)]
    assert got == RFC_DIGESTS


def test_rfc3797_remainders_match_the_rfc_table() -> None:
    pool = list(range(1, 26))
    for index, (hex_value, selected) in enumerate(zip(RFC_DIGESTS, RFC_SELECTED, strict=True)):
        divisor = 25 - index
        assert pool.pop(int(hex_value, 16) % divisor) == selected


def test_rfc3797_selection() -> None:
    numbers = [str(n) for n in range(1, 26)]
    assert select(numbers, 16, RFC_KEY, "rfc3797-md5") == [str(n) for n in RFC_SELECTED]
    assert select(RFC_NAMES, 10, RFC_KEY, "rfc3797-md5") == RFC_FIRST_TEN
    assert order(RFC_NAMES, RFC_KEY, "rfc3797-md5")[:11] == [*RFC_FIRST_TEN, "Sloth"]


def test_rfc3797_example_as_a_verified_record() -> None:
    record = make_record(
        "select",
        algorithm="rfc3797-md5",
        pool=[f"{n:02d}" for n in range(1, 26)],
        k=10,
        values=RFC_VALUES,
        forms=("numbers",) * 3,
    )
    assert record["key"] == RFC_KEY
    assert record["result"] == [f"{n:02d}" for n in RFC_SELECTED[:10]]
    assert verify_record(record) == []


# ------------------------------------------------------------------- key strings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9319", "9319./"),
        ("2 5 12 8 10", "2.5.8.10.12./"),
        ("2, 5; 12,\t8\n10", "2.5.8.10.12./"),
        ("007 0 00", "0.0.7./"),
        ("100.0 12.30 0.50", "0.512.3100./"),
        ("3.14150", "3.1415/"),
        ("5. 5", "5.5./"),
        ("１２ ３", "3.12./"),  # full-width digits are NFKC-normalised
    ],
)
def test_numbers_canonical_form(value: str, expected: str) -> None:
    assert canonical_value("numbers", value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12,5", "comma between digits"),
        ("-3", "negative"),
        ("abc", "not a non-negative decimal number"),
        ("1e5", "not a non-negative decimal number"),
        ("", "no numbers given"),
        (" , ", "no numbers given"),
        (".5", "not a non-negative decimal number"),
    ],
)
def test_numbers_errors_name_the_source(value: str, message: str) -> None:
    with pytest.raises(DrawError, match=message) as info:
        canonical_key([EntropyValue("KazLotto 6/49", "numbers", value)])
    assert "KazLotto 6/49" in str(info.value)


def test_text_canonical_form() -> None:
    assert canonical_value("text", "  Tengri News: 12 March! ") == "TENGRINEWS12MARCH/"
    assert canonical_value("text", "Алматы — 2024") == "АЛМАТЫ2024/"
    assert canonical_value("text", "straße") == canonical_value("text", "STRASSE")
    key = canonical_key([EntropyValue("n", "numbers", "3 1"), EntropyValue("t", "text", "ab")])
    assert key == "1.3./AB/"


def test_text_without_letters_is_refused() -> None:
    with pytest.raises(DrawError, match=r"headline.*no letters or digits"):
        canonical_key([EntropyValue("headline", "text", " -- !! ")])


def test_canonical_key_errors() -> None:
    with pytest.raises(DrawError, match="at least one"):
        canonical_key([])
    with pytest.raises(DrawError, match="given twice"):
        canonical_key([EntropyValue("a", "numbers", "1"), EntropyValue("a", "numbers", "2")])
    with pytest.raises(DrawError, match="unknown form 'words'"):
        canonical_key([EntropyValue("a", "words", "1")])


def test_md5_needs_an_ascii_key_and_sha256_does_not() -> None:
    with pytest.raises(DrawError, match="ASCII"):
        order(["a", "b"], "АЛМАТЫ/", "rfc3797-md5")
    assert sorted(order(["a", "b"], "АЛМАТЫ/")) == ["a", "b"]


def test_unknown_algorithm_and_empty_key() -> None:
    with pytest.raises(DrawError, match="unknown algorithm 'sha1'"):
        order(["a"], "k/", "sha1")
    with pytest.raises(DrawError, match="key string is empty"):
        order(["a"], "")


# ----------------------------------------------------------------------- pools


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        ([], "pool is empty"),
        (["a", ""], "pool entry 2 is blank"),
        (["a", " \t"], "pool entry 2 is blank"),
        (["a", "b", "a"], r"duplicate entry 'a' \(positions 1 and 3\)"),
        (["a", 3], "pool entry 2 is not text"),
        ("abc", "must be a list"),
    ],
)
def test_pool_validation(pool: Any, message: str) -> None:
    with pytest.raises(DrawError, match=message):
        validate_pool(pool)
    with pytest.raises(DrawError, match=message):
        order(pool, RFC_KEY)


def test_canonical_pool() -> None:
    decomposed = "Zhu\u0301ldyz"  # combining acute accent; NFC composes it
    assert canonical_entry(f"  {decomposed}\u00a0  Bank ") == "Zhúldyz Bank"
    assert canonical_pool(["b", " a ", "Ä", "B", "Z"]) == ["B", "Z", "a", "b", "Ä"]
    with pytest.raises(DrawError, match="duplicate entry"):
        canonical_pool(["Almaty  School", "Almaty School"])
    with pytest.raises(DrawError, match="entry 2 is blank"):
        canonical_pool(["a", "   "])
    with pytest.raises(DrawError, match="empty"):
        canonical_pool([])


def test_select_count_errors() -> None:
    pool = ["a", "b", "c"]
    with pytest.raises(DrawError, match="cannot select 4 entries"):
        select(pool, 4, RFC_KEY)
    with pytest.raises(DrawError, match="negative"):
        select(pool, -1, RFC_KEY)
    with pytest.raises(DrawError, match="whole number"):
        select(pool, True, RFC_KEY)
    assert select(pool, 0, RFC_KEY) == []


# --------------------------------------------------------------------- drawing

POOL_SIZES = st.integers(min_value=1, max_value=60)
KEYS = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1)
ALGORITHMS = st.sampled_from(["sha256", "rfc3797-md5"])


@settings(max_examples=150, deadline=None)
@given(n=POOL_SIZES, key=KEYS, algorithm=ALGORITHMS)
def test_order_matches_the_naive_procedure(n: int, key: str, algorithm: str) -> None:
    pool = [f"entry {i}" for i in range(n)]
    drawn = order(pool, key, algorithm)
    assert drawn == naive_draw(pool, n, key, algorithm)
    assert sorted(drawn) == sorted(pool)


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    n=st.integers(min_value=1, max_value=300),
    chunk=st.integers(min_value=1, max_value=9),
    start=st.sampled_from([0, 7, 65_530]),
)
def test_chunked_positions_match_the_naive_procedure(
    data: st.DataObject, n: int, chunk: int, start: int
) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    key = data.draw(KEYS)
    positions = lottery._draw_positions(n, k, key.encode(), "sha256", start=start, chunk=chunk)
    expected = naive_draw([str(i) for i in range(n)], k, key, "sha256", start=start)
    assert [str(position) for position in positions] == expected


@pytest.mark.parametrize(
    ("start", "count", "batch"),
    [(0, 70, 16), (65_500, 100, 7), (65_536 - 3, 5, 1), (16_777_216 - 40, 80, 32)],
)
def test_random_values_are_the_digests_across_index_widths_and_batches(
    start: int, count: int, batch: int
) -> None:
    # The values are hashed in batches that never span a change of index width
    # (2 bytes below 65 536, 3 bytes below 2**24, then 4): each one is still
    # int(digest(key, index)) modulo the items left, as the naive procedure computes.
    n = count + 5
    values = list(lottery._random_values(n, count, b"k/", "sha256", start, batch=batch))
    expected = [
        int.from_bytes(digest("k/", index), "big") % (n - step)
        for step, index in enumerate(range(start, start + count))
    ]
    assert values == expected


def test_md5_values_up_to_the_last_two_byte_index() -> None:
    values = list(lottery._random_values(40, 30, b"k/", "rfc3797-md5", 65_536 - 30, batch=8))
    expected = [
        int.from_bytes(digest("k/", index, "rfc3797-md5"), "big") % (40 - step)
        for step, index in enumerate(range(65_536 - 30, 65_536))
    ]
    assert values == expected


def test_pair_right_side_crosses_the_two_byte_index() -> None:
    # pair() numbers the right side's values after the left side's: here they start
    # below 65 536 and continue with three-byte indices.
    left = [f"l{i:05d}" for i in range(65_530)]
    right = [f"r{i:02d}" for i in range(12)]
    expected_right = naive_draw(right, 12, "k/", "sha256", start=65_530)
    pairs = lottery.pair(left, right, "k/")
    assert [right_item for _, right_item in pairs[:12]] == expected_right


def test_large_order_matches_the_naive_procedure() -> None:
    pool = [f"{i:05d}" for i in range(20_000)]
    assert order(pool, "large./") == naive_draw(pool, len(pool), "large./", "sha256")


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=POOL_SIZES, key=KEYS, algorithm=ALGORITHMS)
def test_select_is_a_prefix_of_order(data: st.DataObject, n: int, key: str, algorithm: str) -> None:
    pool = [f"p{i}" for i in range(n)]
    k = data.draw(st.integers(min_value=0, max_value=n))
    chosen = select(pool, k, key, algorithm)
    assert len(chosen) == k == len(set(chosen))
    assert chosen == order(pool, key, algorithm)[:k]


def test_draws_are_deterministic_and_depend_on_the_key() -> None:
    pool = [f"candidate {i}" for i in range(50)]
    assert order(pool, "1./") == order(list(pool), "1./")
    assert order(pool, "1./") != order(pool, "2./")
    assert order(pool, "1./", "sha256") != order(pool, "1./", "rfc3797-md5")


def test_sha256_index_grows_beyond_two_bytes() -> None:
    wide = b"\x01\x00\x00"
    assert digest("k/", 65_536) == hashlib.sha256(wide + b"k/" + wide).digest()
    narrow = b"\xff\xff"
    assert digest("k/", 65_535) == hashlib.sha256(narrow + b"k/" + narrow).digest()


def test_md5_is_limited_to_the_rfc_two_byte_index() -> None:
    assert len(digest("k/", 65_535, "rfc3797-md5")) == 16
    with pytest.raises(DrawError, match="at most 65536"):
        digest("k/", 65_536, "rfc3797-md5")
    with pytest.raises(DrawError, match="use the sha256 algorithm"):
        order([str(i) for i in range(65_537)], "k/", "rfc3797-md5")


# ------------------------------------------------------------------------ pairs


@settings(max_examples=150, deadline=None)
@given(
    n_left=st.integers(min_value=1, max_value=40),
    n_right=st.integers(min_value=1, max_value=40),
    key=KEYS,
    algorithm=ALGORITHMS,
)
def test_pair_properties(n_left: int, n_right: int, key: str, algorithm: str) -> None:
    left = [f"school {i}" for i in range(n_left)]
    right = [f"embassy {i}" for i in range(n_right)]
    pairs = pair(left, right, key, algorithm)
    assert sorted(school for school, _ in pairs) == sorted(left)  # each left exactly once
    loads = Counter(embassy for _, embassy in pairs)
    counts = [loads.get(embassy, 0) for embassy in right]
    assert max(counts) - min(counts) <= 1
    if n_left <= n_right:
        assert len(loads) == n_left  # an injection: no right item used twice
    # The documented construction: left in draw order against right in draw order,
    # continuing the random sequence, with the right side cycled.
    left_order = naive_draw(left, n_left, key, algorithm)
    right_order = naive_draw(right, min(n_left, n_right), key, algorithm, start=n_left)
    assert pairs == [(s, right_order[i % len(right_order)]) for i, s in enumerate(left_order)]


def test_pair_fourteen_schools_with_seven_embassies() -> None:
    schools = [f"School {i}" for i in range(14)]
    embassies = [f"Embassy {c}" for c in "ABCDEFG"]
    loads = Counter(embassy for _, embassy in pair(schools, embassies, "7./14./"))
    assert loads == dict.fromkeys(embassies, 2)


def test_pair_extra_load_falls_on_a_random_right_item() -> None:
    schools = [f"School {i}" for i in range(15)]
    embassies = [f"Embassy {c}" for c in "ABCDEFG"]
    heavier = set()
    for seed in range(40):
        loads = Counter(e for _, e in pair(schools, embassies, f"{seed}./"))
        assert sorted(loads.values()) == [2, 2, 2, 2, 2, 2, 3]
        heavier.add(loads.most_common(1)[0][0])
    assert len(heavier) > 3


def test_pair_validates_both_sides() -> None:
    with pytest.raises(DrawError, match="right is empty"):
        pair(["a"], [], "1./")
    with pytest.raises(DrawError, match="left has a duplicate entry"):
        pair(["a", "a"], ["x"], "1./")


# ------------------------------------------------------------------- uniformity


def chi_square(counts: list[int], expected: float) -> float:
    return sum((count - expected) ** 2 / expected for count in counts)


@pytest.mark.parametrize("algorithm", ["sha256", "rfc3797-md5"])
def test_position_of_an_item_is_uniform(algorithm: str) -> None:
    pool = ["a", "b", "c", "d", "e"]
    positions = Counter(order(pool, f"{i}./", algorithm).index("c") for i in range(5000))
    assert chi_square([positions[p] for p in range(5)], 1000) < CHI2_DF4_P001


@pytest.mark.parametrize("algorithm", ["sha256", "rfc3797-md5"])
def test_permutations_are_uniform(algorithm: str) -> None:
    perms = Counter(tuple(order(["x", "y", "z"], f"u{i}/", algorithm)) for i in range(6000))
    assert len(perms) == 6
    assert chi_square(list(perms.values()), 1000) < CHI2_DF5_P001


# ---------------------------------------------------------------------- records

SOURCE_NAMES = ["KazLotto 6/49", "Tengri headline", "Third source"]


def make_record(
    kind: str,
    *,
    algorithm: str = "sha256",
    pool: list[str] | None = None,
    k: int | None = None,
    left: list[str] | None = None,
    right: list[str] | None = None,
    values: list[str] | None = None,
    forms: tuple[str, ...] = ("numbers", "text"),
) -> dict[str, Any]:
    sources = tuple(
        EntropySource(SOURCE_NAMES[i], form, f"2025-03-{12 + i:02d}", description="public")
        for i, form in enumerate(forms)
    )
    announcement = Announcement(
        kind=kind,
        sources=sources,
        algorithm=algorithm,
        pool=tuple(pool or ()),
        k=k,
        left=tuple(left or ()),
        right=tuple(right or ()),
        title="Internship placements 2025",
        announced_on="2025-03-01",
    )
    published = announce(announcement)
    assert verify_record(published) == ["missing field 'values': the draw has not been made yet"]
    return complete_record(
        published, values or ["4 8 15 16 23 42", "Курс тенге: 512,3"], conducted_at=CONDUCTED
    )


POOL = canonical_pool(["Aigerim", "Bauyrzhan", "Dana", "Erlan", "Zhanar", "Ainur", "Timur"])
SCHOOLS = canonical_pool([f"School No. {i}" for i in range(1, 16)])
EMBASSIES = canonical_pool(["Berlin", "Tokyo", "Ankara", "Seoul", "Paris", "Rome", "Delhi"])


def records() -> dict[str, dict[str, Any]]:
    return {
        "order": make_record("order", pool=POOL),
        "select": make_record("select", pool=POOL, k=3),
        "pair": make_record("pair", left=SCHOOLS, right=EMBASSIES),
    }


@pytest.mark.parametrize("kind", ["order", "select", "pair"])
def test_complete_records_verify(kind: str) -> None:
    record = records()[kind]
    assert verify_record(record) == []
    assert verify_record(json.loads(json.dumps(record))) == []
    result = compute_result(record)
    assert lottery.result_to_json(result) == record["result"]
    if kind == "pair":
        assert all(isinstance(item, tuple) for item in result)


def test_record_contents() -> None:
    record = records()["select"]
    assert record["key"] == "4.8.15.16.23.42./КУРСТЕНГЕ5123/"
    assert record["result"] == select(POOL, 3, record["key"])
    assert record["fingerprint"] == fingerprint(record)


def test_fingerprint_is_sha256_of_canonical_json() -> None:
    record = {
        "version": 1,
        "kind": "order",
        "algorithm": "sha256",
        "pool": ["Ä", "b"],
        "sources": [{"name": "s", "form": "numbers", "known_on": "2025-01-02"}],
        "fingerprint": "ignored",
        "values": ["1"],
        "unrelated": True,
    }
    text = (
        '{"algorithm":"sha256","kind":"order","pool":["Ä","b"],"sources":'
        '[{"form":"numbers","known_on":"2025-01-02","name":"s"}],"version":1}'
    )
    assert fingerprint(record) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def tamper_pool(record: dict[str, Any]) -> None:
    record["pool"][0] = "Aaron"


def tamper_source(record: dict[str, Any]) -> None:
    record["sources"][0]["known_on"] = "2025-03-20"


def tamper_algorithm(record: dict[str, Any]) -> None:
    record["algorithm"] = "rfc3797-md5"


def tamper_values(record: dict[str, Any]) -> None:
    record["values"][0] = "4 8 15 16 23 43"


def tamper_key(record: dict[str, Any]) -> None:
    record["key"] = record["key"].replace("42", "43")


def tamper_result(record: dict[str, Any]) -> None:
    record["result"][0], record["result"][1] = record["result"][1], record["result"][0]


def tamper_fingerprint(record: dict[str, Any]) -> None:
    record["fingerprint"] = "0" * 64


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (tamper_pool, {"fingerprint mismatch", "result mismatch"}),
        (tamper_source, {"fingerprint mismatch"}),
        (tamper_algorithm, {"invalid announcement"}),
        (tamper_values, {"key mismatch", "result mismatch"}),
        (tamper_key, {"key mismatch"}),
        (tamper_result, {"result mismatch"}),
        (tamper_fingerprint, {"fingerprint mismatch"}),
    ],
)
def test_verify_detects_tampering(tamper: Any, expected: set[str]) -> None:
    record = copy.deepcopy(records()["order"])
    tamper(record)
    problems = verify_record(record)
    assert {problem.split(":")[0] for problem in problems} == expected, problems


def test_tampered_algorithm_with_numbers_only_gives_a_result_mismatch() -> None:
    record = make_record("order", pool=POOL, values=["1 2 3"], forms=("numbers",))
    record["algorithm"] = "rfc3797-md5"
    kinds = {problem.split(":")[0] for problem in verify_record(record)}
    assert kinds == {"fingerprint mismatch", "result mismatch"}


def test_verify_messages_are_specific() -> None:
    record = copy.deepcopy(records()["pair"])
    record["result"][2][1] = "Nowhere"
    (problem,) = verify_record(record)
    assert "at position 3 the record has" in problem and "'Nowhere'" in problem
    record = copy.deepcopy(records()["select"])
    record["result"].append("Timur")
    (problem,) = verify_record(record)
    assert "lists 4 item(s) but the draw gives 3" in problem


def test_verify_rejects_non_canonical_lists_even_with_a_matching_fingerprint() -> None:
    record = copy.deepcopy(records()["order"])
    record["pool"] = list(reversed(record["pool"]))
    record["fingerprint"] = fingerprint(record)
    record["result"] = lottery.result_to_json(compute_result(record))
    (problem,) = verify_record(record)
    assert problem.startswith("list 'pool' is not in canonical form")


def test_verify_checks_source_dates_against_the_announcement() -> None:
    record = copy.deepcopy(records()["order"])
    record["sources"][1]["known_on"] = "2025-02-28"
    record["fingerprint"] = fingerprint(record)
    (problem,) = verify_record(record)
    assert "'Tengri headline' was known on 2025-02-28, not after" in problem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("kind"), "missing field 'kind'"),
        (lambda r: r.update(kind="shuffle"), "unknown kind 'shuffle'"),
        (lambda r: r.update(version=3), "unsupported record version 3"),
        (lambda r: r.update(k=2), "field 'k' does not belong to a 'order' draw"),
        (lambda r: r.update(left=["a"]), "field 'left' does not belong"),
        (lambda r: r["pool"].append(r["pool"][0]), "pool has a duplicate entry"),
        (lambda r: r["sources"][0].update(form="dice"), "unknown form 'dice'"),
        (lambda r: r["sources"][0].update(known_on="12.03.2025"), "YYYY-MM-DD"),
        (lambda r: r["sources"][0].update(url="x"), "unknown field"),
        (lambda r: r.update(sources=[]), "at least one entropy source"),
    ],
)
def test_verify_reports_invalid_announcements(change: Any, message: str) -> None:
    record = copy.deepcopy(records()["order"])
    change(record)
    (problem,) = verify_record(record)
    assert problem.startswith("invalid announcement") and message in problem


def test_verify_reports_invalid_values() -> None:
    record = copy.deepcopy(records()["order"])
    record["values"] = ["1 2 3"]
    assert verify_record(record) == ["invalid values: 1 value(s) given for 2 announced source(s)"]
    record["values"] = ["1 2 x", "text"]
    (problem,) = verify_record(record)
    assert "source 'KazLotto 6/49' (numbers): 'x' is not a non-negative" in problem
    assert verify_record([1, 2]) == ["the record is not a JSON object"]


def test_compute_result_errors() -> None:
    record = copy.deepcopy(records()["select"])
    del record["values"]
    with pytest.raises(DrawError, match="missing field 'values'"):
        compute_result(record)


def test_announce_and_complete_guard_their_inputs() -> None:
    source = EntropySource("s", "numbers", "2025-01-02")
    with pytest.raises(DrawError, match="canonical pool"):
        announce(Announcement(kind="order", sources=(source,), pool=("b", "a")))
    published = announce(Announcement(kind="order", sources=(source,), pool=("a", "b")))
    published["pool"] = ["a", "c"]
    with pytest.raises(DrawError, match="fingerprint does not match"):
        complete_record(published, ["1"], conducted_at=CONDUCTED)
    with pytest.raises(DrawError, match="not a real date"):
        EntropySource("s", "numbers", "2025-02-30")
    with pytest.raises(DrawError, match="a select draw needs 'k'"):
        Announcement(kind="select", sources=(source,), pool=("a",))


# ------------------------------------------------------------------ time of conduct


def test_the_record_states_when_it_was_conducted() -> None:
    record = records()["order"]
    assert record["version"] == 2
    assert record["conducted_at"] == "2025-03-20T12:00:00+05:00"
    assert record["fingerprint"] == fingerprint(record)  # not part of the announcement


def test_a_draw_cannot_be_conducted_before_every_source_is_known() -> None:
    published = announce(
        Announcement(
            kind="order",
            pool=("a", "b"),
            sources=(
                EntropySource("KazLotto", "numbers", "2025-03-12"),
                EntropySource("Tengri headline", "text", "2025-03-13"),
            ),
        )
    )
    with pytest.raises(DrawError, match=r"'Tengri headline' \(known on 2025-03-13\)") as error:
        complete_record(
            published, ["1 2", "x"], conducted_at=datetime(2025, 3, 12, 23, 59, tzinfo=ALMATY_2025)
        )
    assert "KazLotto" not in str(error.value)
    midnight = datetime(2025, 3, 13, 0, 0, tzinfo=ALMATY_2025)
    assert verify_record(complete_record(published, ["1 2", "x"], conducted_at=midnight)) == []
    with pytest.raises(DrawError, match="time zone"):
        complete_record(published, ["1 2", "x"], conducted_at=datetime(2025, 3, 20))


@pytest.mark.parametrize(
    ("conducted_at", "message"),
    [
        ("2025-03-12T23:59:59+05:00", "conducted on 2025-03-12, before the value of 'Tengri"),
        ("2025-03-20", "must be a time written YYYY-MM-DDTHH:MM:SS+HH:MM"),
        ("2025-03-20T12:00:00", "must be a time written"),
        ("2025-03-20T12:00:00.5+05:00", "must be a time written"),  # Python 3.10 cannot read it
        ("2025-02-30T12:00:00+05:00", "not a real time"),
        (None, "must be a time written"),
    ],
)
def test_verify_refuses_a_bad_or_early_time_of_conduct(conducted_at: Any, message: str) -> None:
    record = copy.deepcopy(records()["order"])
    record["conducted_at"] = conducted_at
    (problem,) = verify_record(record)
    assert message in problem


def test_a_version_2_record_must_say_when_it_was_conducted() -> None:
    record = copy.deepcopy(records()["order"])
    del record["conducted_at"]
    assert verify_record(record) == [
        "missing field 'conducted_at': a version 2 record states when the draw was conducted"
    ]


def test_version_1_records_still_verify_and_cannot_pass_for_version_2() -> None:
    announcement = Announcement(
        kind="order",
        pool=("a", "b", "c"),
        version=1,
        sources=(EntropySource("KazLotto", "numbers", "2025-03-12"),),
    )
    record = complete_record(announce(announcement), ["7 1"], conducted_at=CONDUCTED)
    old = {name: value for name, value in record.items() if name != "conducted_at"}
    assert verify_record(old) == []
    assert "conducted at: not recorded (a version 1 record)" in describe(old)
    early = {**record, "conducted_at": "2025-03-11T12:00:00+05:00"}
    assert "before the value of 'KazLotto'" in verify_record(early)[0]
    assert "fingerprint mismatch" in verify_record({**old, "version": 2})[0]


# ---------------------------------------------------------------------- reading


def test_read_record_skips_a_byte_order_mark() -> None:
    text = json.dumps(records()["pair"], ensure_ascii=False)
    assert read_record(b"\xef\xbb\xbf" + text.encode()) == json.loads(text)
    assert read_record("\ufeff" + text) == read_record(text.encode()) == json.loads(text)


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        ('{"result": [], "result": []}', "duplicate", "the key 'result' appears twice"),
        ('{"sources": [{"name": "a", "name": "b"}]}', "duplicate", "the key 'name' appears twice"),
        ('{"k": NaN}', "constant", "NaN is not a JSON number"),
        ('{"k": -Infinity}', "constant", "-Infinity is not a JSON number"),
        ("[" * 100_000 + "]" * 100_000, "depth", "nested too deeply"),
        ("[" * 33 + "]" * 33, "depth", "nested too deeply"),
        ('{"k": ' + "9" * 5000 + "}", "number", "cannot be read"),
        ("{nope", "syntax", "not valid JSON (line 1, column 2)"),
        ("", "syntax", "not valid JSON"),
        (b'{"title": "\xff"}', "encoding", "not UTF-8"),
    ],
)
def test_read_record_refuses_what_is_ambiguous_or_not_plain_json(
    data: str | bytes, code: str, message: str
) -> None:
    with pytest.raises(RecordReadError, match=message.replace("(", r"\(").replace(")", r"\)")) as e:
        read_record(data)
    assert e.value.code == code


def test_read_record_accepts_the_deepest_allowed_nesting() -> None:
    assert read_record("[" * 32 + "]" * 32) is not None


# -------------------------------------------------------------------------- CLI


@pytest.fixture
def record_files(tmp_path: Path) -> dict[str, Path]:
    good = records()["pair"]
    bad = copy.deepcopy(good)
    tamper_result(bad)
    files = {
        "good": tmp_path / "good.json",
        "bad": tmp_path / "bad.json",
        "invalid": tmp_path / "invalid.json",
        "dupkey": tmp_path / "dupkey.json",
        "missing": tmp_path / "missing.json",
    }
    files["good"].write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    files["bad"].write_text(json.dumps(bad), encoding="utf-8")
    files["invalid"].write_text("{not json", encoding="utf-8")
    files["dupkey"].write_text('{"result": [], "result": []}', encoding="utf-8")
    return files


def test_main_exit_codes(record_files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(record_files["good"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK:") and "key: 4.8.15.16.23.42./КУРСТЕНГЕ5123/" in out
    assert main([str(record_files["bad"])]) == 1
    out = capsys.readouterr().out
    assert out.startswith("MISMATCH:") and "result mismatch" in out
    for name in ("invalid", "dupkey", "missing"):
        assert main([str(record_files[name])]) == 2, name
        assert capsys.readouterr().err.startswith("error:")
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err
    assert main(["--help"]) == 0


@pytest.mark.parametrize(("name", "status"), [("good", 0), ("bad", 1), ("invalid", 2)])
def test_script_runs_standalone(record_files: dict[str, Path], name: str, status: int) -> None:
    completed = subprocess.run(
        [sys.executable, "-I", str(LOTTERY_PY), str(record_files[name])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
    assert completed.returncode == status, completed.stderr
    if status == 0:
        assert completed.stdout.startswith("OK:")


def test_module_uses_the_standard_library_only() -> None:
    tree = ast.parse(LOTTERY_PY.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module is not None
            imported.add(node.module.split(".")[0])
    assert imported <= sys.stdlib_module_names | {"__future__"}
