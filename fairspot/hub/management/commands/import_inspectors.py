from fairspot.hub.commands import ImportCommand


class Command(ImportCommand):
    help = "Import inspectors from CSV or XLSX: all rows or none; the report names every bad row."
    kind = "inspectors"
