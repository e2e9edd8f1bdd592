"""Personal data in leads (complainants, free-text parties): who may see it, and masking for everyone else.

Staff of the handling department (its administrators and inspectors) and the joint-meeting office see
the data; anyone else who can read the lead (e.g. an expert account of the department) sees it masked,
in pages and in exports alike. Audit entries only ever hold the masked form.
"""

from fairspot.accounts.models import Role
from fairspot.lib.privacy import mask_name

PERSONAL_FIELDS = ("complainant_name", "complainant_phone", "party_name", "party_address", "party_contact")
HANDLING_ROLES = frozenset({Role.DEPT_ADMIN, Role.INSPECTOR})


def mask_phone(value: str) -> str:
    """``13812341234`` → ``138****1234``; short numbers keep less."""
    value = value.strip()
    if not value:
        return ""
    if len(value) >= 8:
        return f"{value[:3]}****{value[-4:]}"
    if len(value) > 4:
        return f"{value[:1]}****{value[-2:]}"
    return "****"


def mask_address(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    return f"{value[:6]}****" if len(value) > 6 else "****"


MASKS = {
    "complainant_name": mask_name,
    "complainant_phone": mask_phone,
    "party_name": mask_name,
    "party_address": mask_address,
    "party_contact": mask_phone,
}


def sees_personal_data(user, lead) -> bool:
    if not user.is_authenticated:
        return False
    if user.sees_all_departments:
        return True
    return user.department_id == lead.department_id and user.role in HANDLING_ROLES


def masked(lead) -> dict[str, str]:
    return {field: MASKS[field](getattr(lead, field)) for field in PERSONAL_FIELDS}


def personal_data(user, lead) -> dict[str, str]:
    """The lead's personal fields as ``user`` may see them."""
    if sees_personal_data(user, lead):
        return {field: getattr(lead, field) for field in PERSONAL_FIELDS}
    return masked(lead)
