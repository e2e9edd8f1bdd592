from fairspot.hub.commands import ExportCommand


class Command(ExportCommand):
    help = "Export targets as CSV or XLSX in the format import_targets reads."
    kind = "targets"
