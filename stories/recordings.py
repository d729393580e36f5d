"""Serving a testimony's recording: byte ranges (so players can seek), the right type, and
no copies in shared caches (a withdrawn testimony must be gone from the next request).

Django's own file responses do not answer ``Range`` requests; players need them to seek in
audio and video. This follows RFC 9110: one range per request (a player asks for one), a
``Range`` header that is not valid is ignored (the whole file, 200), a valid range that the
file cannot satisfy gets 416 with ``Content-Range: bytes */size``, and ``If-Range`` with a
stale validator gets the whole file.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_etags, quote_etag

CHUNK = 64 * 1024
RANGE_RE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")

# By file name: only types a browser plays, never anything it would render as a document.
CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
}


def content_type_for(name: str, media_kind: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".webm":
        return "video/webm" if media_kind == "video" else "audio/webm"
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """The inclusive byte range ``header`` asks for in a file of ``size`` bytes.

    Returns ``None`` when the header is absent or not valid (serve the whole file) and
    ``False`` when it is valid but cannot be satisfied (416).
    """
    match = RANGE_RE.match(header.replace(" ", "")) if header else None
    if not match:
        return None  # several ranges, other units or bad syntax: ignored, as RFC 9110 says
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # an invalid range-spec: the header is ignored
    if start >= size:
        return False
    return start, min(end, size - 1)


def _file_chunks(field_file, start: int, length: int):
    with field_file.open("rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def serve_recording(request, field_file, *, content_type: str, etag: str, modified=None):
    """A response with the file (or the asked range) of ``field_file``."""
    size = field_file.size
    etag = quote_etag(etag)
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        # Browsers may keep it but must ask again each time; shared caches must not keep it.
        "Cache-Control": "private, no-cache",
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
    }
    if modified is not None:
        headers["Last-Modified"] = http_date(modified.timestamp())
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and etag in parse_etags(if_none_match):
        return HttpResponse(status=304, headers=headers)

    wanted = parse_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if wanted is not None and if_range and if_range.strip() != etag:
        wanted = None  # the client's copy is stale: send it all
    if wanted is False:
        headers["Content-Range"] = f"bytes */{size}"
        return HttpResponse(status=416, headers=headers)

    start, end = wanted if wanted else (0, size - 1)
    length = max(end - start + 1, 0)
    status = 206 if wanted else 200
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(length)
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type, headers=headers)
        response["Content-Length"] = str(length)
        return response
    return StreamingHttpResponse(
        _file_chunks(field_file, start, length),
        status=status,
        content_type=content_type,
        headers=headers,
    )
