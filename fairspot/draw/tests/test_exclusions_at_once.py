"""Exclusions checked at once (``spec._exclusions_at_once``, a province's millions at C speed) give
what the item-by-item loop gives: the same list in the same order, or the same refusal naming the
same item."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import spec as spec_module
from fairspot.draw.errors import SpecError

GOOD_ID = st.from_regex(r"[0-9A-Z]{1,4}", fullmatch=True)
GOOD = st.builds(lambda i, r: {"id": i, "reason": r}, GOOD_ID, st.sampled_from(["deregistered", "r"]))
BAD = st.one_of(
    st.builds(
        lambda i: {"id": i, "reason": "r"}, st.sampled_from(["", "a b", "A\nB", "Ä1", "x" * 129, 7, None])
    ),
    st.builds(lambda i, r: {"id": i, "reason": r}, GOOD_ID, st.sampled_from([" ", "", 3, None])),
    st.sampled_from([{"id": "Z1"}, {"id": "Z2", "reason": "r", "x": 1}, ("Z3", "r"), "Z4"]),
)


@st.composite
def exclusion_lists(draw):
    """Mostly well-formed lists (ids may repeat), with at most one bad item somewhere."""
    items = draw(st.lists(GOOD, max_size=10))
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), draw(BAD))
    return items


def _outcome(items, at_once: bool, monkeypatch):
    if not at_once:
        monkeypatch.setattr(spec_module, "_exclusions_at_once", lambda items: None)
    try:
        return ("ok", spec_module._exclusions(items))
    except SpecError as exc:
        return ("refused", str(exc))
    finally:
        monkeypatch.undo()


@settings(max_examples=300, deadline=None)
@given(items=exclusion_lists())
def test_at_once_gives_what_the_loop_gives(items):
    with pytest.MonkeyPatch.context() as mp:
        loop = _outcome(items, False, mp)
    with pytest.MonkeyPatch.context() as mp:
        fast = _outcome(items, True, mp)
    assert fast == loop


def test_the_common_case_is_taken_at_once():
    items = [{"id": f"ID{i:03d}", "reason": "annual_cap"} for i in reversed(range(300))]
    ordered = spec_module._exclusions_at_once(items)
    assert ordered == sorted(items, key=lambda e: e["id"])
    assert ordered[0] is items[-1]  # the same objects, not copies
    assert spec_module._exclusions_at_once([*items, {"id": "ID007", "reason": "r"}]) is None  # twice
