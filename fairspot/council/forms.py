"""Forms of the joint meeting's pages (input only: the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.accounts.models import Department, User
from fairspot.council.models import (
    ChangeKind,
    LedgerStatus,
    Meeting,
    MeetingStatus,
    MemberKind,
    PostKind,
    Presence,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _units(user):
    """The units a user acts for: the office, any; a department administrator, their own."""
    if user.sees_all_departments:
        return Department.objects.all()
    return Department.objects.filter(pk=user.department_id)


class ChangeForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Unit"), queryset=Department.objects.none())
    kind = forms.ChoiceField(label=_("Change"), choices=ChangeKind.choices)
    post = forms.ChoiceField(
        label=_("Post (for a new holder of a post)"), choices=[("", "—"), *PostKind.choices], required=False
    )
    member_kind = forms.ChoiceField(
        label=_("Joins as"), choices=[("", "—"), *MemberKind.choices], required=False
    )
    new_person = forms.CharField(label=_("New person"), max_length=50, required=False)
    new_title = forms.CharField(label=_("Position"), max_length=100, required=False)
    new_phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    new_user = forms.ModelChoiceField(
        label=_("User account (for a post)"), queryset=User.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _units(user)
        self.fields["new_user"].queryset = User.objects.filter(is_active=True, department__in=_units(user))

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in ("post", "member_kind", "new_person", "new_title", "new_phone", "new_user", "reason")
        }


class DecideChangeForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting that decided"),
        queryset=Meeting.objects.filter(status=MeetingStatus.HELD),
        required=False,
    )
    confirmed = forms.TypedChoiceField(
        label=_("Meeting's decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Confirmed")), ("0", _("Not confirmed"))],
    )


class PlenaryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topic_deadline = forms.DateField(label=_("Topics due by"), widget=DATE)
    report_deadline = forms.DateField(label=_("Progress reports due by"), widget=DATE)


class SpecialRequestForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Requesting unit"), queryset=Department.objects.none())
    title = forms.CharField(label=_("Subject"), max_length=200)
    reason = forms.CharField(label=_("Why the meeting is needed"), widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _units(user)


class ConsentForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Answer"), coerce=lambda v: v == "1", choices=[("1", _("Agree")), ("0", _("Do not agree"))]
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topic_deadline = forms.DateField(label=_("Topics due by"), widget=DATE)


class HoldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)


class TopicForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Unit"), queryset=Department.objects.none())
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(label=_("Explanation"), widget=forms.Textarea, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _units(user)


class ReportForm(TopicForm):
    title = None
    description = None
    progress = forms.CharField(label=_("Work done this half-year"), widget=forms.Textarea)
    problems = forms.CharField(label=_("Problems"), widget=forms.Textarea, required=False)
    plans = forms.CharField(label=_("Next steps"), widget=forms.Textarea, required=False)


class AttendanceForm(forms.Form):
    """One presence and name per unit, the fields named by the unit's code."""

    def __init__(self, *args, departments, initial_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        initial_rows = initial_rows or {}
        for d in self.departments:
            presence, person = initial_rows.get(d.pk, ("", ""))
            self.fields[f"presence_{d.pk}"] = forms.ChoiceField(
                label=str(d), choices=[("", "—"), *Presence.choices], required=False, initial=presence
            )
            self.fields[f"person_{d.pk}"] = forms.CharField(
                label=_("Attended by"), max_length=50, required=False, initial=person
            )

    def rows(self) -> list[tuple]:
        data = self.cleaned_data
        return [
            (d, data[f"presence_{d.pk}"], data[f"person_{d.pk}"])
            for d in self.departments
            if data[f"presence_{d.pk}"]
        ]


class MinutesForm(forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=60)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Agreed matter"), widget=forms.Textarea)
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Department.objects.all(), required=False)


class ItemForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Department.objects.all())
    task = forms.CharField(label=_("Work task"), widget=forms.Textarea)
    owner = forms.CharField(label=_("Person responsible"), max_length=50, required=False)
    owner_phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("unchanged")),
            *[(v, lbl) for v, lbl in LedgerStatus.choices if v != LedgerStatus.CLOSED],
        ],
    )


class SuperviseForm(forms.Form):
    text = forms.CharField(label=_("Supervision note"), widget=forms.Textarea)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[
            ("", _("note only")),
            ("close", _("Close the item (销号)")),
            ("return", _("Send back to the unit")),
        ],
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (JPEG, PNG or PDF)"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
