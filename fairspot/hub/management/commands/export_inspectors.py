from fairspot.hub.commands import ExportCommand


class Command(ExportCommand):
    help = "Export inspectors as CSV or XLSX in the format import_inspectors reads."
    kind = "inspectors"
