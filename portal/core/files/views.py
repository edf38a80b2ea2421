"""Handing out private files: streamed from local disk, or a redirect to a signed URL that
expires within minutes when the private storage is S3. Always a download, never sniffed."""

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from .. import audit
from .access import can_read
from .models import PrivateFile


def serve_private_file(storage, name: str, download_name: str, content_type: str):
    """The response that hands the file `name` of `storage` out as the download
    `download_name`; audited."""
    audit.record(audit.Kind.DOWNLOAD, target=download_name)
    if hasattr(storage, "bucket_name"):
        url = storage.url(name, parameters={
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(download_name)}",
            "ResponseContentType": content_type,
        })
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(storage.open(name, "rb"), as_attachment=True, filename=download_name,
                                content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(request, file_id):
    """A private file, for whoever `can_read` it; anyone else gets 404."""
    private_file = get_object_or_404(PrivateFile, pk=file_id)
    if not can_read(request.user, private_file):
        raise Http404
    return serve_private_file(private_file.file.storage, private_file.file.name, private_file.original_name,
                              private_file.content_type)
