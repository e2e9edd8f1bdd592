from fairspot.hub.commands import ExportCommand


class Command(ExportCommand):
    help = "Export the expert pool as CSV or XLSX."
    kind = "experts"
