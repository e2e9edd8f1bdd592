"""The commit's fast path: a population written as its canonical file from row tuples
(``canonical_rows_bytes`` + ``CanonicalRows``) commits the same bundle as the same rows given as
mappings, and a row that breaks a rule is refused as the mappings would be."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import CanonicalRows, DrawError, canonical_rows_bytes, commit_bundle
from fairspot.draw.bundle import read_bundle
from fairspot.draw.canonical import canonical_json

SPEC = {
    "draw_id": "T-1",
    "title": "t",
    "created_at": "2026-12-05T10:00:00+08:00",
    "stratify_by": ["industry", "town"],
    "ratio": "0.1",
    "alternates": 1,
    "sources": [
        {
            "name": "ceremony",
            "kind": "ceremony",
            "format": "^[0-9a-f]{32}$",
            "description": "d",
            "fallback": "f",
        }
    ],
}
TOWNS = ["东城镇", "西城,镇", 'say "x"', "南区"]


def _rows(n: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    ids = rng.sample(range(10**6), n)
    return [(f"ID{i:07d}", rng.choice("ABC"), rng.choice(TOWNS)) for i in ids]


def _bundles(tmp_path, rows, exclusions):
    spec = {**SPEC, "exclusions": exclusions}
    a, b = tmp_path / "a", tmp_path / "b"
    columns = ["id", "industry", "town"]
    mappings = [dict(zip(columns, r, strict=True)) for r in rows]
    digest_a = commit_bundle(a, spec, mappings)
    digest_b = commit_bundle(b, spec, CanonicalRows(canonical_rows_bytes(columns, iter(rows))))
    return (digest_a, read_bundle(a)), (digest_b, read_bundle(b))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=300), seed=st.integers(0, 10**6), cut=st.integers(0, 50))
def test_same_bundle_as_mappings(tmp_path_factory, n, seed, cut):
    rows = _rows(n, seed)
    exclusions = [{"id": r[0], "reason": "deregistered"} for r in rows[: min(cut, n - 1)]]
    one, other = _bundles(tmp_path_factory.mktemp("b"), rows, exclusions)
    assert one == other  # the same digest and every file byte for byte


def test_the_file_is_canonical_whatever_the_row_order():
    rows = _rows(100, 3)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    columns = ["id", "industry", "town"]
    assert canonical_rows_bytes(columns, iter(rows)) == canonical_rows_bytes(columns, iter(shuffled))
    assert canonical_rows_bytes(columns, iter(rows[:1])).startswith(b"id,industry,town\n")


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (("ID0000001", "A", "东城镇"), "duplicate id"),
        (("bad id", "A", "东城镇"), "id"),
        (("ID9999999", "A", " 空格"), "white space"),
        (("ID9999999", "A"), "stratification fields"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_written(tmp_path, bad, says):
    rows = [("ID0000001", "A", "东城镇"), ("ID0000002", "B", "南区"), bad]
    spec = {**SPEC, "exclusions": []}
    data = canonical_rows_bytes(["id", "industry", "town"], iter(rows))
    with pytest.raises(DrawError, match=says):
        commit_bundle(tmp_path / "x", spec, CanonicalRows(data))
    assert not (tmp_path / "x").exists()


def test_the_manifest_lists_exclusions_canonically():
    exclusions = [{"id": f"ID{i}", "reason": "r"} for i in range(3)]
    assert canonical_json({"e": exclusions}) == (
        b'{"e":[{"id":"ID0","reason":"r"},{"id":"ID1","reason":"r"},{"id":"ID2","reason":"r"}]}'
    )


def test_a_bad_id_is_named_by_its_line_when_checked_in_chunks(monkeypatch):
    from fairspot.draw import population
    from fairspot.draw.errors import PopulationError

    monkeypatch.setattr(population, "_ID_CHUNK", 2)
    data = b"id\nA1\nA2\nA3\nA4 x\nA5\n"  # the fourth row, on line 5, in the second chunk
    with pytest.raises(PopulationError) as error:
        population.parse_canonical_population(data)
    assert error.value.where == "population.csv line 5"
