from fairspot.hub.commands import ImportCommand


class Command(ImportCommand):
    help = "Import targets from CSV or XLSX: all rows or none; the report names every bad row."
    kind = "targets"
