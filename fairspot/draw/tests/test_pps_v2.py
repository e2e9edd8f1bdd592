"""fairspot-draw/2: versioning, the systematic πps result, floors, ratios by a column's values, the class
table and the staff-side class snapshot, and the bad inputs of issue 13 (each refused, naming where)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairspot.draw import (
    DrawError,
    SpecError,
    build_manifest,
    commit_bundle,
    draw,
    reveal_bundle,
    verify_bundle,
)
from fairspot.draw.canonical import PROTOCOL, PROTOCOL_V2
from fairspot.draw.classes import class_snapshot_bytes
from fairspot.draw.pps import cap_inclusion
from fairspot.draw.systematic import inclusion_probabilities, systematic_pick
from fairspot.testing.engine import SOURCES, rows, spec


def v2(**kw):
    return spec(protocol=PROTOCOL_V2, **kw)


def pps(**kw):
    return v2(design="pps", weight_column="w", **kw)


def test_a_v1_spec_with_protocol_2_is_valid_and_srs_selects_the_same_targets():
    m1, pop = build_manifest(rows(60), spec())
    m2, _ = build_manifest(rows(60), v2())
    assert m1["protocol"] == PROTOCOL and m2["protocol"] == PROTOCOL_V2
    assert {k: v for k, v in m1.items() if k != "protocol"} == {
        k: v for k, v in m2.items() if k != "protocol"
    }
    # same rule: given the same seed the v2 srs selection is the v1 selection
    r1, r2 = draw(m1, pop, SOURCES), draw(m2, pop, SOURCES)
    assert r2["protocol"] == PROTOCOL_V2 and r1["seed"] != r2["seed"]  # the version is in the manifest digest
    from fairspot.draw.sampling import _srs
    from fairspot.draw.seed import key_hasher

    seed = bytes.fromhex(r1["seed"])
    for entry, s1 in zip(m1["strata"], r1["strata"], strict=True):
        again = _srs(pop_ids(pop, entry), set(), key_hasher(seed), s1["n"], 2, entry)
        assert again["selected"] == s1["selected"]


def pop_ids(data, entry):
    from fairspot.draw import parse_canonical_population

    return parse_canonical_population(data, stratify_by=["township"]).groups[tuple(entry["stratum"])]


def test_v2_pps_result_reports_exact_pi_and_verifies(tmp_path):
    out = tmp_path / "b"
    commit_bundle(out, pps(ratio="0.3", min_inclusion="1/10", alternates=2), rows(60))
    result = reveal_bundle(out, SOURCES)
    report = verify_bundle(out)
    assert report.ok, report.text()
    assert "protocol fairspot-draw/2" in report.text()
    for stratum in result["strata"]:
        assert stratum["min_inclusion"] == "1/10" and len(stratum["start_u"]) == 64
        assert len(stratum["selected"]) == stratum["n"] and len(stratum["alternates"]) == 2
        chosen = {t["id"] for t in stratum["selected"]}
        assert not chosen & {t["id"] for t in stratum["alternates"]}
        keys = [t["key"] for t in stratum["selected"]]
        assert keys == sorted(keys)  # the systematic pass runs in key order
        for t in stratum["selected"] + stratum["alternates"]:
            assert Fraction(t["inclusion_probability"]) >= Fraction(1, 10) * stratum["n"] / Fraction(
                stratum["expected_n"]
            )
    # tampering with a published π is caught
    text = (out / "result.json").read_text(encoding="utf-8")
    pi = result["strata"][0]["selected"][0]["inclusion_probability"]
    (out / "result.json").write_text(text.replace(f'"{pi}"', '"1/7"', 1), encoding="utf-8")
    assert not verify_bundle(out).ok


def test_without_floor_pi_equals_the_capped_target_pi_of_v1():
    weights = [100, 1, 1, 2, 3, 5, 8, 13]
    nums, den = inclusion_probabilities(weights, 3)
    cap = cap_inclusion(weights, 3)
    assert cap.certain == [0] and nums[0] == den
    assert [Fraction(a, den) for a in nums[1:]] == [Fraction(cap.n_rest * w, cap.w_rest) for w in weights[1:]]


def test_floor_lifts_small_weights_and_keeps_the_rest_proportional():
    nums, den = inclusion_probabilities([1, 1, 1, 1, 1, 1, 10, 30], 2, Fraction(1, 10))
    pis = [Fraction(a, den) for a in nums]
    assert pis[:6] == [Fraction(1, 10)] * 6 and sum(pis) == 2
    assert pis[7] == 1 and pis[6] == Fraction(4, 10)  # 30 is a certainty; 10 takes what is left


def test_systematic_pick_is_exact_at_the_boundaries():
    # two units of π = 1/2 each, n = 1: the start u < 1/2 picks the first, u ≥ 1/2 the second
    half = 1 << 255
    assert systematic_pick([0, 1], [1, 1], 2, half - 1) == [0]
    assert systematic_pick([0, 1], [1, 1], 2, half) == [1]
    assert systematic_pick([0, 1, 2], [3, 3, 3], 3, 0) == [0, 1, 2]  # certainties, whatever u
    assert systematic_pick([0, 1, 2], [2, 2, 2], 3, (1 << 256) - 1) == [1, 2]


@pytest.mark.parametrize(
    ("extra", "where", "words"),
    [
        ({"min_inclusion": "0"}, "spec.min_inclusion", "greater than 0"),
        ({"min_inclusion": "-1/10"}, "spec.min_inclusion", "fraction like"),
        ({"min_inclusion": "1/2"}, "spec.min_inclusion", "above the sampling ratio"),
        ({"min_inclusion": 0.1}, "spec.min_inclusion", "fraction like"),
        (
            {"strata": [{"stratum": ["关堤乡"], "ratio": "0.1", "min_inclusion": "1/5"}]},
            "spec.strata[0]",
            "above",
        ),
    ],
)
def test_bad_floors_are_refused_naming_where(extra, where, words):
    with pytest.raises(SpecError) as err:
        build_manifest(rows(60), pps(ratio="0.3", **extra))
    assert err.value.where.startswith(where) and words in err.value.message


def test_floor_above_n_over_N_of_a_sample_size_stratum_is_refused():
    with pytest.raises(SpecError) as err:
        build_manifest(rows(60), pps(ratio=None, sample_size=2, min_inclusion="1/5"))
    assert err.value.where.startswith("stratum") and "above the stratum's sampling ratio" in err.value.message


def test_floor_needs_v2_and_pps():
    with pytest.raises(SpecError, match=r"need.*fairspot-draw/2"):
        build_manifest(rows(60), spec(design="pps", weight_column="w", min_inclusion="1/100"))
    with pytest.raises(SpecError, match="applies to design 'pps'"):
        build_manifest(rows(60), v2(min_inclusion="1/100"))


@pytest.mark.parametrize("weight", ["0", "-1", "0.000"])
def test_weights_of_zero_or_below_are_refused_naming_the_row(weight):
    data = rows(10)
    data[3]["w"] = weight
    with pytest.raises(DrawError) as err:
        build_manifest(data, pps(ratio="0.3", min_inclusion="1/100"))
    assert err.value.where == "row 4" and "weight" in err.value.message


def class_rows(n=60):
    out = []
    for i, row in enumerate(rows(n)):
        code = "ABCD"[i % 4]
        out.append({**row, "risk": code, "w": {"A": "1", "B": "2", "C": "4", "D": "8"}[code]})
    return out


def test_ratio_by_sets_a_ratio_per_class_as_a_stratified_design():
    s = v2(
        stratify_by=["township", "risk"],
        ratio="0.02",
        ratio_by={"column": "risk", "ratios": {"D": "0.3", "C": "0.1"}},
    )
    manifest, _ = build_manifest(class_rows(), s)
    ratios = {tuple(e["stratum"]): e["ratio"] for e in manifest["strata"]}
    assert (
        ratios[("关堤乡", "D")] == "0.3"
        and ratios[("关堤乡", "C")] == "0.1"
        and ratios[("关堤乡", "A")] == "0.02"
    )
    with pytest.raises(SpecError, match="no row in the population: E"):
        build_manifest(class_rows(), {**s, "ratio_by": {"column": "risk", "ratios": {"E": "0.5"}}})
    with pytest.raises(SpecError, match="not one of stratify_by"):
        build_manifest(class_rows(), {**s, "ratio_by": {"column": "w", "ratios": {"1": "0.5"}}})


TABLE = [{"class": c, "weight": w} for c, w in zip("ABCD", ["1", "2", "4", "8"], strict=True)]


def test_class_snapshot_verifies_for_staff_and_a_change_after_commit_is_named(tmp_path):
    data = class_rows()
    snapshot = class_snapshot_bytes({r["id"]: r["risk"] for r in data})
    import hashlib

    s = pps(
        ratio="0.3",
        min_inclusion="1/100",
        class_table=TABLE,
        class_snapshot_sha256=hashlib.sha256(snapshot).hexdigest(),
    )
    public = [{k: v for k, v in r.items() if k != "risk"} for r in data]  # the public file has no class
    out = tmp_path / "b"
    commit_bundle(out, s, public)
    reveal_bundle(out, SOURCES)
    assert b"risk" not in (out / "population.csv").read_bytes()
    assert verify_bundle(out).ok  # anyone, without the classes
    report = verify_bundle(out, classes=snapshot)
    assert report.ok and "class snapshot matches" in report.text()
    changed = snapshot.replace(b",A\n", b",B\n", 1)
    report = verify_bundle(out, classes=changed)
    assert (
        not report.ok
        and report.mismatch.startswith("classes.csv")
        and "changed after the commit" in report.mismatch
    )


def test_class_table_is_checked_against_the_weights():
    data = class_rows()
    data[0]["w"] = "3"  # class A says 1
    snapshot = class_snapshot_bytes({r["id"]: r["risk"] for r in data})
    import hashlib

    from fairspot.draw.classes import check_class_snapshot

    s = pps(ratio="0.3", class_table=TABLE, class_snapshot_sha256=hashlib.sha256(snapshot).hexdigest())
    manifest, pop = build_manifest(data, s)
    from fairspot.draw import parse_canonical_population

    population = parse_canonical_population(pop, stratify_by=["township"], weight_column="w")
    with pytest.raises(DrawError, match="class A has weight 1"):
        check_class_snapshot(manifest, population, snapshot)


def test_class_table_and_digest_go_together():
    with pytest.raises(SpecError, match="together"):
        build_manifest(rows(60), pps(ratio="0.3", class_table=TABLE))
    with pytest.raises(SpecError, match="64 lower-case hex"):
        build_manifest(rows(60), pps(ratio="0.3", class_table=TABLE, class_snapshot_sha256="x"))


def test_matching_stays_v1():
    from fairspot.testing.engine import small_problem

    with pytest.raises(SpecError):
        commit_bundle("/nonexistent/never-written", {**small_problem(), "protocol": PROTOCOL_V2})


def _pick_by_walking(order, numerators, denominator, start):
    """The definition, unit by unit: a unit is picked when the running sum passes the current point."""
    step, point = denominator << 256, start * denominator
    threshold, total, picked = point >> 256, 0, []
    for pos, j in enumerate(order):
        total += numerators[j]
        if total > threshold:
            picked.append(pos)
            point += step
            threshold = point >> 256
    return picked


@given(
    st.lists(st.integers(1, 10**6), min_size=1, max_size=60),
    st.integers(0, 2**256 - 1),
    st.randoms(use_true_random=False),
)
def test_systematic_pick_by_bisection_equals_walking_the_units(weights, start, rnd):
    """The bisection over running sums picks exactly the units the unit-by-unit walk picks."""
    n = rnd.randint(0, len(weights))
    numerators, denominator = inclusion_probabilities(weights, n)
    order = list(range(len(weights)))
    rnd.shuffle(order)
    picked = systematic_pick(order, numerators, denominator, start)
    assert picked == _pick_by_walking(order, numerators, denominator, start)
    assert len(picked) == n
