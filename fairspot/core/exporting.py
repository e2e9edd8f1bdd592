"""HTTP responses for list exports (every list page offers CSV and XLSX)."""

import tempfile
from datetime import date

from django.http import FileResponse, Http404

from fairspot.lib.export import content_type, write_csv, write_xlsx


def export_response(base_name: str, header: list[str], rows, fmt: str) -> FileResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404("unknown export format")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    (write_csv if fmt == "csv" else write_xlsx)(handle, header, rows)
    handle.seek(0)
    name = f"{base_name}-{date.today():%Y%m%d}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type(fmt))
