from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    """The joint meeting (联席会议): members, meetings, minutes, decisions and the task ledger."""

    name = "fairspot.council"
    label = "council"
    verbose_name = _("Joint meeting")
