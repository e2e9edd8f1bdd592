import pytest

from fairspot.draw.errors import SpecError
from fairspot.draw.manifest import build_manifest
from fairspot.draw.spec import normalize_spec
from fairspot.testing.engine import rows, spec


@pytest.mark.parametrize("ratio", ["1.01", "2", 2])
def test_ratio_above_one(ratio):
    with pytest.raises(SpecError, match="greater than 1"):
        normalize_spec(spec(ratio=ratio))


@pytest.mark.parametrize("ratio", ["-0.1", -1])
def test_ratio_below_zero(ratio):
    with pytest.raises(SpecError, match="negative"):
        normalize_spec(spec(ratio=ratio))


@pytest.mark.parametrize("ratio", [0.05, "5%", "", None])
def test_ratio_must_be_decimal_string(ratio):
    s = spec()
    s["ratio"] = ratio
    with pytest.raises(SpecError, match="ratio"):
        normalize_spec(s)


def test_normalize_is_idempotent_and_fills_defaults():
    norm = normalize_spec(
        spec(ratio="0.050", exclusions=[{"id": "B", "reason": "r"}, {"id": "A", "reason": "r"}])
    )
    assert norm["ratio"] == "0.05"
    assert [e["id"] for e in norm["exclusions"]] == ["A", "B"]
    assert normalize_spec(norm) == norm


@pytest.mark.parametrize(
    "changes,msg",
    [
        ({"colour": "red"}, "unknown key"),
        ({"sample_size": 3}, "exactly one"),
        ({"ratio": None}, "exactly one"),
        ({"design": "pps"}, "weight_column"),
        ({"weight_column": "w"}, "only used by design 'pps'"),
        ({"design": "lottery"}, "design"),
        ({"alternates": -1}, "alternates"),
        ({"sources": []}, "at least one randomness source"),
        ({"draw_id": ""}, "draw_id"),
        ({"stratify_by": ["id"]}, "named twice"),
        ({"exclusions": [{"id": "X"}]}, "exclusion"),
        ({"exclusions": [{"id": "X", "reason": "a"}, {"id": "X", "reason": "b"}]}, "excluded twice"),
        ({"strata": [{"stratum": ["a", "b"], "ratio": "0.1"}]}, "list of 1 strings"),
    ],
)
def test_invalid_specs(changes, msg):
    with pytest.raises(SpecError, match=msg):
        normalize_spec(spec(**changes))


def test_source_declarations_checked():
    bad = [
        ({"name": "a b", "kind": "ceremony", "format": "^[0-9a-f]+$", "fallback": "x"}, "source name"),
        ({"name": "a", "kind": "oracle", "format": "x", "fallback": "x"}, "kind"),
        ({"name": "a", "kind": "ceremony", "fallback": "x"}, "format"),
        ({"name": "a", "kind": "ceremony", "format": "[0-9]*", "fallback": "x"}, "empty value"),
        ({"name": "a", "kind": "ceremony", "format": "([", "fallback": "x"}, "not a valid regular"),
        ({"name": "a", "kind": "ceremony", "format": "^[0-9]+$"}, "fallback"),
        ({"name": "a", "kind": "drand", "fallback": "x"}, "round"),
    ]
    for decl, msg in bad:
        with pytest.raises(SpecError, match=msg):
            normalize_spec(spec(sources=[decl]))


def test_override_naming_a_stratum_without_rows_is_an_error():
    s = spec(strata=[{"stratum": ["Nowhere"], "ratio": "0.5"}])
    with pytest.raises(SpecError, match=r"\['Nowhere'\] named in spec.strata has no rows"):
        build_manifest(rows(), s)


def test_fully_excluded_stratum_is_a_recorded_zero_or_an_error_with_min():
    data = [r for r in rows(12)]
    excl = [{"id": r["id"], "reason": "deregistered"} for r in data if r["township"] == "关堤乡"]
    manifest, _ = build_manifest(data, spec(exclusions=excl))
    zero = next(s for s in manifest["strata"] if s["stratum"] == ["关堤乡"])
    assert zero["N"] == 0 and zero["excluded"] == zero["rows"] == 4
    with pytest.raises(SpecError, match=r"all excluded.*min_per_stratum is 1"):
        build_manifest(data, spec(exclusions=excl, min_per_stratum=1))


def test_exclusion_of_unknown_id():
    with pytest.raises(SpecError, match="not in the population: NOPE"):
        build_manifest(rows(), spec(exclusions=[{"id": "NOPE", "reason": "x"}]))


def test_sample_size_larger_than_stratum():
    with pytest.raises(SpecError, match="exceeds"):
        build_manifest(rows(12), spec(ratio=None, sample_size=5))


def test_annex_is_committed_and_validated():
    from fairspot.draw.errors import SpecError
    from fairspot.draw.spec import normalize_spec

    source = {"name": "c", "kind": "ceremony", "format": "^[0-9a-f]{64}$", "fallback": "new ceremony"}
    base = {"draw_id": "d", "ratio": "0.1", "sources": [source]}
    assert "annex" not in normalize_spec(base)
    spec = normalize_spec({**base, "annex": {"inspector_pool_sha256": "ab" * 32}})
    assert spec["annex"] == {"inspector_pool_sha256": "ab" * 32}
    assert normalize_spec(spec) == spec
    import pytest

    for bad in ({"k": 1}, {"": "x"}, ["x"], {f"k{i}": "v" for i in range(21)}):
        with pytest.raises(SpecError):
            normalize_spec({**base, "annex": bad})
