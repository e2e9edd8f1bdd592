"""The composition of the joint meeting and its changes: proposed by a unit, effective only when the
office records that a held meeting confirmed them (联席会议成员因工作变动需要调整的，由所在单位提出，
联席会议确定)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.council.models import (
    ChangeKind,
    ChangeStatus,
    Meeting,
    MeetingStatus,
    Member,
    MemberChange,
    MemberKind,
    Post,
    PostKind,
)
from fairspot.council.rules import require_council_office, require_unit

CHANGE_FIELDS = ("post", "member_kind", "new_person", "new_title", "new_phone", "new_user", "reason")


@transaction.atomic
def composition_establish(*, actor, since: date, posts: list[dict], members: list[dict]) -> None:
    """Enter the composition the founding notice sets up (once: later changes go through meetings).
    ``posts``: dicts of Post fields; ``members``: dicts of Member fields."""
    require_council_office(actor)
    if Post.objects.exists() or Member.objects.exists():
        raise DomainError(
            _("The joint meeting's composition is entered already; change it through a meeting.")
        )
    if not any(p.get("kind") == PostKind.CONVENOR for p in posts):
        raise DomainError(_("Name the convenor."))
    for values in posts:
        Post.objects.create(since=since, **values)
    for values in members:
        Member.objects.create(since=since, **values)
    record(
        actor,
        "council.composition.established",
        object_type="council.member",
        object_repr=_("Composition of the joint meeting"),
        data={"posts": [p["person"] for p in posts], "members": [m["department"].code for m in members]},
    )


def current_member(department_id: int) -> Member | None:
    return Member.objects.filter(department_id=department_id, active=True).first()


def _current_holder(kind: str, department_id: int) -> Post | None:
    posts = Post.objects.filter(kind=kind, active=True)
    if kind == PostKind.DEPUTY:  # several deputies: the unit's own
        posts = posts.filter(department_id=department_id)
    return posts.order_by("pk").first()


def _check_change(change: MemberChange) -> None:
    member = current_member(change.department_id)
    if not change.reason.strip():
        raise DomainError(_("Give the reason for the change."), field="reason")
    if change.kind == ChangeKind.JOIN:
        if member is not None:
            raise DomainError(_("This unit is a member already."))
        if change.member_kind not in MemberKind.values:
            raise DomainError(
                _("Say whether the unit joins as a member or an attending unit."), field="member_kind"
            )
    elif member is None and change.kind != ChangeKind.POST:
        raise DomainError(_("This unit is not a member of the joint meeting."))
    if change.kind == ChangeKind.POST and change.post not in PostKind.values:
        raise DomainError(_("Choose the post."), field="post")
    if change.kind != ChangeKind.LEAVE and not change.new_person.strip():
        raise DomainError(_("Name the new person."), field="new_person")
    if change.kind == ChangeKind.LEADER:
        change.old_person = member.leader
    elif change.kind == ChangeKind.LIAISON:
        change.old_person = member.liaison
    elif change.kind == ChangeKind.POST:
        holder = _current_holder(change.post, change.department_id)
        change.old_person = holder.person if holder else ""


@transaction.atomic
def change_propose(*, actor, department, kind: str, values: dict) -> MemberChange:
    """A unit (its administrators, or the office for it) proposes a change of its members."""
    require_unit(actor, department.pk)
    if kind not in ChangeKind.values:
        raise DomainError(_("Unknown kind of change."), field="kind")
    unknown = set(values) - set(CHANGE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    change = MemberChange(department=department, kind=kind, proposed_by=actor, **values)
    for field in ("new_person", "new_title", "new_phone", "reason"):
        setattr(change, field, (getattr(change, field) or "").strip())
    _check_change(change)
    change.save()
    record(
        actor,
        "council.change.proposed",
        change,
        data={"kind": kind, "from": change.old_person, "to": change.new_person},
        department_id=department.pk,
    )
    return change


def _apply(change: MemberChange, on: date) -> None:
    member = current_member(change.department_id)
    if change.kind == ChangeKind.JOIN:
        Member.objects.update_or_create(
            department_id=change.department_id,
            defaults={
                "kind": change.member_kind,
                "leader": change.new_person,
                "leader_title": change.new_title,
                "liaison": "",
                "liaison_phone": "",
                "active": True,
                "since": on,
            },
        )
    elif change.kind == ChangeKind.LEAVE:
        member.active = False
        member.save(update_fields=["active"])
    elif change.kind == ChangeKind.LEADER:
        member.leader, member.leader_title = change.new_person, change.new_title or member.leader_title
        member.save(update_fields=["leader", "leader_title"])
    elif change.kind == ChangeKind.LIAISON:
        member.liaison, member.liaison_phone = change.new_person, change.new_phone
        member.save(update_fields=["liaison", "liaison_phone"])
    else:
        holder = _current_holder(change.post, change.department_id)
        if holder is not None:
            holder.active = False
            holder.save(update_fields=["active"])
        Post.objects.create(
            kind=change.post,
            person=change.new_person,
            title=change.new_title,
            department_id=change.department_id,
            user=change.new_user,
            since=on,
        )


@transaction.atomic
def change_decide(
    *, actor, change: MemberChange, meeting: Meeting | None, confirmed: bool = True
) -> MemberChange:
    """The office records the meeting's decision on a proposed change; a confirmed one takes effect."""
    require_council_office(actor)
    change = MemberChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PROPOSED:
        raise DomainError(_("This change was decided already."))
    if meeting is None:
        raise DomainError(
            _("A change of members takes effect only when a meeting confirms it: name the meeting."),
            field="meeting",
        )
    if meeting.status != MeetingStatus.HELD or meeting.held_on is None:
        raise DomainError(_("Only a meeting that has been held can confirm a change."), field="meeting")
    if meeting.held_on < timezone.localdate(change.proposed_at):
        raise DomainError(_("The meeting was held before the change was proposed."), field="meeting")
    if confirmed:
        _check_change(change)  # still possible as the composition stands now
        _apply(change, meeting.held_on)
    change.status = ChangeStatus.CONFIRMED if confirmed else ChangeStatus.REJECTED
    change.meeting, change.decided_by, change.decided_at = meeting, actor, timezone.now()
    change.save()
    record(
        actor,
        "council.change.confirmed" if confirmed else "council.change.rejected",
        change,
        data={"meeting": meeting.title, "from": change.old_person, "to": change.new_person},
        department_id=change.department_id,
    )
    return change
