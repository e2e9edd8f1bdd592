"""Composition changes: proposed by the unit, effective only when a held meeting confirms them."""

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.council import services
from fairspot.council.models import ChangeKind, ChangeStatus, Member, MemberChange, Post, PostKind
from fairspot.council.rules import is_convenor
from fairspot.testing import council as helpers

pytestmark = pytest.mark.django_db


def test_the_composition_is_entered_once(council, office, departments):
    assert Member.objects.filter(active=True).count() == 2
    assert Post.objects.get(kind=PostKind.CONVENOR).person == "甲召集"
    with pytest.raises(DomainError):
        helpers.establish(office, departments, None)


def test_a_unit_proposes_a_new_leader_and_a_held_meeting_confirms_it(held, market_admin, office, departments):
    change = services.change_propose(
        actor=market_admin,
        department=departments["market"],
        kind=ChangeKind.LEADER,
        values={"new_person": "新分管", "new_title": "副组长", "reason": "工作变动"},
    )
    assert change.old_person == "市场监管分管"
    member = Member.objects.get(department=departments["market"])
    assert member.leader == "市场监管分管"  # not yet: proposed only
    change = services.change_decide(actor=office, change=change, meeting=held.meeting)
    member.refresh_from_db()
    assert member.leader == "新分管" and member.leader_title == "副组长"
    assert change.status == ChangeStatus.CONFIRMED and change.meeting == held.meeting
    assert AuditEntry.objects.filter(action="council.change.confirmed").exists()


def test_a_change_no_meeting_confirmed_is_refused(council, market_admin, office, departments):
    change = services.change_propose(
        actor=market_admin,
        department=departments["market"],
        kind=ChangeKind.LIAISON,
        values={"new_person": "新联络", "new_phone": "0373-1234567", "reason": "调岗"},
    )
    with pytest.raises(DomainError, match="meeting confirms it"):
        services.change_decide(actor=office, change=change, meeting=None)
    scheduled = helpers.plenary(office)  # scheduled, not held
    with pytest.raises(DomainError, match="has been held"):
        services.change_decide(actor=office, change=change, meeting=scheduled)
    assert Member.objects.get(department=departments["market"]).liaison == "联络员"
    assert MemberChange.objects.get().status == ChangeStatus.PROPOSED


def test_a_unit_proposes_changes_of_its_own_members_only(council, fire_admin, departments):
    with pytest.raises(PermissionDenied):
        services.change_propose(
            actor=fire_admin,
            department=departments["market"],
            kind=ChangeKind.LEAVE,
            values={"reason": "x"},
        )


def test_a_new_convenor_takes_over_the_post_and_its_account(
    held, market_admin, office, departments, convenor
):
    change = services.change_propose(
        actor=market_admin,
        department=departments["market"],
        kind=ChangeKind.POST,
        values={
            "post": PostKind.CONVENOR,
            "new_person": "新召集",
            "new_user": market_admin,
            "reason": "换届",
        },
    )
    services.change_decide(actor=office, change=change, meeting=held.meeting)
    assert is_convenor(market_admin) and not is_convenor(convenor)
    assert list(
        Post.objects.filter(kind=PostKind.CONVENOR, active=False).values_list("person", flat=True)
    ) == ["甲召集"]


def test_bad_proposals_name_the_problem(council, market_admin, departments):
    with pytest.raises(DomainError, match="reason"):
        services.change_propose(
            actor=market_admin,
            department=departments["market"],
            kind=ChangeKind.LEADER,
            values={"new_person": "某", "reason": " "},
        )
    with pytest.raises(DomainError, match="member already"):
        services.change_propose(
            actor=market_admin,
            department=departments["market"],
            kind=ChangeKind.JOIN,
            values={"new_person": "某", "member_kind": "member", "reason": "加入"},
        )
