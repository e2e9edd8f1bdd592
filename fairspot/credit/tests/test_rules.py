"""The published rules: points, thresholds, the riskier of two classes."""

from fairspot.credit.rules import Facts, class_for, riskier, score


def test_thresholds():
    assert [class_for(p) for p in (0, 9, 10, 29, 30, 59, 60, 200)] == list("AABBCCDD")


def test_points_add_up_with_their_evidence_and_caps():
    facts = Facts(problems=3, open_cases=2, abnormal=True, report="missing", hazard=2)
    facts.evidence["result_problem"] = ["2026-03-01 A01"]
    points, cls, reasons = score(facts)
    # 2 results × 30 (at most two count) + one open case 25 + abnormal 30 + missing report 20 + hazard 2 × 10
    assert points == 60 + 25 + 30 + 20 + 20 and cls == "D"
    by_rule = {r["rule"]: r for r in reasons}
    assert by_rule["result_problem"] == {
        "rule": "result_problem",
        "times": 2,
        "points": 60,
        "evidence": ["2026-03-01 A01"],
    }
    assert set(by_rule) == {"result_problem", "open_case", "abnormal", "report_missing", "industry_hazard"}


def test_a_clean_record_in_a_low_hazard_industry_is_a():
    assert score(Facts(hazard=0)) == (0, "A", [])
    assert score(Facts())[1] == "B"  # a general-hazard industry: 10 points


def test_riskier():
    assert riskier("B", "") == "B" and riskier("", "C") == "C" and riskier("D", "A") == "D"
    assert riskier("", "") == ""
