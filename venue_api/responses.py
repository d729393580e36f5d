"""Serving a stored zip with an ETag, conditional GET and one HTTP byte range (RFC 9110).

``If-None-Match`` with the file's ETag (its SHA-256 in quotes) answers 304; ``Range:
bytes=a-b`` (one range; ``a-`` and ``-n`` too) answers 206 with ``Content-Range``, or 416 when
the range starts past the end. ``If-Range`` with another ETag, or several ranges, get the whole
file: both are allowed answers, and a resuming client then starts over instead of mixing two
versions of a file.
"""

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import quote_etag

from venue_api.archives import CHUNK, StoredFile

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _etag_matches(header: str, etag: str) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    weakless = [tag.removeprefix("W/") for tag in tags]
    return "*" in tags or etag in weakless


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """``(first, last)`` for one satisfiable range; None to serve the whole file (no or an
    unsupported Range header); False for a syntactically valid but unsatisfiable range."""
    match = RANGE.match(header.replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid: ignored, as RFC 9110 says
    if start >= size:
        return False
    return start, min(end, size - 1)


def _stream(path, start: int, length: int):
    with open(path, "rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def file_response(request, stored: StoredFile) -> HttpResponse:
    etag = quote_etag(stored.sha256)
    common = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-cache",
        "Vary": "Authorization",
    }
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and _etag_matches(if_none_match, etag):
        response = HttpResponse(status=304)
        for key, value in common.items():
            response[key] = value
        return response

    wanted = None
    range_header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if range_header and (not if_range or if_range.strip() == etag):
        wanted = parse_range(range_header, stored.size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stored.size}"
        for key, value in common.items():
            response[key] = value
        return response

    if wanted is None:
        start, length, status = 0, stored.size, 200
    else:
        start, length, status = wanted[0], wanted[1] - wanted[0] + 1, 206
    response = StreamingHttpResponse(
        _stream(stored.path, start, length), status=status, content_type="application/zip"
    )
    response["Content-Length"] = str(length)
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{start + length - 1}/{stored.size}"
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    for key, value in common.items():
        response[key] = value
    return response
