from fairspot.hub.commands import ExportCommand


class Command(ExportCommand):
    help = "Export items as CSV or XLSX in the format import_items reads."
    kind = "items"
