"""The commit's fast path: a population given as row tuples (``RowTuples``), written and counted in
one pass, commits the same bundle as the same rows given as mappings, and a row that breaks a rule of
the canonical file is refused, with nothing written."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import DrawError, RowTuples, commit_bundle
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
    digest_b = commit_bundle(b, spec, RowTuples(tuple(columns), iter(rows)))
    return (digest_a, read_bundle(a)), (digest_b, read_bundle(b))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=300), seed=st.integers(0, 10**6), cut=st.integers(0, 50))
def test_same_bundle_as_mappings(tmp_path_factory, n, seed, cut):
    rows = _rows(n, seed)
    exclusions = [{"id": r[0], "reason": "deregistered"} for r in rows[: min(cut, n - 1)]]
    one, other = _bundles(tmp_path_factory.mktemp("b"), rows, exclusions)
    assert one == other  # the same digest and every file byte for byte


def test_the_bundle_is_the_same_whatever_the_row_order(tmp_path):
    rows = _rows(100, 3)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    columns = ("id", "industry", "town")
    spec = {**SPEC, "exclusions": [{"id": rows[5][0], "reason": "r"}]}
    commit_bundle(tmp_path / "a", spec, RowTuples(columns, iter(rows)))
    commit_bundle(tmp_path / "b", spec, RowTuples(columns, iter(shuffled)))
    assert read_bundle(tmp_path / "a") == read_bundle(tmp_path / "b")
    assert read_bundle(tmp_path / "a")["population.csv"].startswith(b"id,industry,town\n")


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (("ID0000001", "A", "东城镇"), "duplicate id 'ID0000001'"),
        (("ID0000002", "C", "北区"), "duplicate id 'ID0000002'"),  # the same id in another stratum
        (("bad id", "A", "东城镇"), "identifier 'bad id' is not valid"),
        (("ID,9", "A", "东城镇"), "is not valid"),
        (("ID\n9", "A", "东城镇"), "is not valid"),
        ((9, "A", "东城镇"), "identifier 9 is not valid"),
        (("ID9999999", "A", " 空格"), "white space"),
        (("ID9999999", "A", ""), "empty value"),
        (("ID9999999", "A", "东\n城"), "control character"),
        (("ID9999999", "A", "\ud800"), "not valid Unicode"),
        (("ID9999999", "A"), "stratification fields"),
        (("ID9999999", "A", "东城镇", "x"), "stratification fields"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_written(tmp_path, bad, says):
    rows = [("ID0000001", "A", "东城镇"), ("ID0000002", "B", "南区"), bad]
    spec = {**SPEC, "exclusions": []}
    with pytest.raises(DrawError, match=says):
        commit_bundle(tmp_path / "x", spec, RowTuples(("id", "industry", "town"), iter(rows)))
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


@pytest.mark.parametrize("chunk", [2, 3, 100_000])
def test_a_duplicate_is_found_across_chunks(monkeypatch, tmp_path, chunk):
    from fairspot.draw import rows as row_tuples

    monkeypatch.setattr(row_tuples, "_CHUNK", chunk)
    rows = [(f"ID{i}", "A", "南区") for i in range(7)] + [("ID4", "B", "东城镇")]
    spec = {**SPEC, "exclusions": []}
    with pytest.raises(DrawError, match="duplicate id 'ID4'"):
        commit_bundle(tmp_path / "x", spec, RowTuples(("id", "industry", "town"), iter(rows)))
    commit_bundle(tmp_path / "y", spec, RowTuples(("id", "industry", "town"), iter(rows[:-1])))


@pytest.mark.parametrize(
    ("columns", "rows", "exclusions", "says"),
    [
        (("id", "town", "industry"), [("ID1", "南区", "A")], [], "the spec gives id, industry, town"),
        (("id", "industry", "town"), [], [], "no rows"),
        (
            ("id", "industry", "town"),
            [("ID1", "A", "南区")],
            ["ID2", "ID3"],
            "not in the population: ID2, ID3",
        ),
    ],
)
def test_what_the_rows_lack_is_refused(tmp_path, columns, rows, exclusions, says):
    spec = {**SPEC, "exclusions": [{"id": i, "reason": "r"} for i in exclusions]}
    with pytest.raises(DrawError, match=says):
        commit_bundle(tmp_path / "x", spec, RowTuples(columns, iter(rows)))
    assert not (tmp_path / "x").exists()


PPS = {k: v for k, v in SPEC.items() if k != "ratio"}
PPS.update(
    protocol="fairspot-draw/2", design="pps", weight_column="weight", stratify_by=["town"], sample_size=2
)


def test_weighted_rows_commit_the_same_bundle_as_mappings(tmp_path):
    rows = [(f"ID{i}", TOWNS[i % 2], ["1", "2.5", "10"][i % 3]) for i in range(30)]
    columns = ("id", "town", "weight")
    spec = {**PPS, "exclusions": [{"id": "ID3", "reason": "r"}]}
    a = commit_bundle(tmp_path / "a", spec, [dict(zip(columns, r, strict=True)) for r in rows])
    b = commit_bundle(tmp_path / "b", spec, RowTuples(columns, iter(reversed(rows))))
    assert a == b and read_bundle(tmp_path / "a") == read_bundle(tmp_path / "b")


@pytest.mark.parametrize("weight", ["0", "2.50", "01", "-1", "1e3", 2])
def test_a_weight_that_is_not_canonical_is_refused(tmp_path, weight):
    rows = [("ID1", "南区", "1"), ("ID2", "南区", weight)]
    with pytest.raises(DrawError, match="not a canonical decimal"):
        commit_bundle(
            tmp_path / "x", {**PPS, "exclusions": []}, RowTuples(("id", "town", "weight"), iter(rows))
        )
    assert not (tmp_path / "x").exists()
