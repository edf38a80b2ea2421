"""Handing out private files: streamed from local disk, or a redirect to a signed URL that
expires within minutes when the private storage is S3. Always a download, never sniffed."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponseRedirect

from . import audit


def serve_private_file(field_file, download_name: str, content_type: str):
    audit.record(audit.Kind.DOWNLOAD, target=download_name)
    storage = field_file.storage
    if hasattr(storage, "bucket_name"):
        url = storage.url(field_file.name, parameters={
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(download_name)}",
            "ResponseContentType": content_type,
        })
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name,
                                content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
