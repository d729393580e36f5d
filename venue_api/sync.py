"""The reference client of the venue API: bring a venue's kiosk folder up to date, safely.

Layout of the destination folder (the package format's "kiosk state"):

- ``versions/<n>/``      verified, unpacked packages (``<n>-<k>`` when revocations were applied
                         to an installed version later)
- ``current``            a symlink to one of them, swapped atomically (``os.replace``)
- ``downloads/*.part``   partial downloads, resumed with HTTP Range on the next run
- ``kiosk-state.js``     read by the kiosk page; ``state.json`` for this client and for staff

Nothing a kiosk can see changes until a new folder is complete and verified: the signature of
``manifest.json`` with the pinned public key, then the size and SHA-256 of every listed file,
no file that is not listed, no path leaving the folder. Any failure leaves ``current`` as it
was and raises :class:`SyncError` with a one-line message.

Revoked content (withdrawn or expired consent): the manifest's list and the server's current
list are both applied. A revoked ``(kind, id)`` removes files in a folder named for the kind
(``testimonies/``, ``voices/``, ``portraits/``, ``objects/``…) whose name (before the first dot)
or sub-folder is the id, and records with that ``id`` (in a list under a key or file named for
the kind, or with ``"kind"`` set) or a ``<kind>_id`` pointing at it from ``data/*.json`` and
``kiosk/data/*.js``.
"""

import contextlib
import datetime
import email.utils
import fcntl
import hashlib
import http.client
import json
import os
import re
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from touring import signing

FORMAT = "trafficking-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
API_PATH = "/api/venue/v1"
CHUNK = 256 * 1024
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)
TIMEOUT = 30
KIND_FOLDERS = {
    "testimony": {"testimonies"},
    "voice": {"voices", "portraits"},
    "object": {"objects"},
}
# Which kind a list of records holds, by its key or file name.
LIST_KINDS = {
    "testimonies": "testimony",
    "stories": "testimony",
    "voices": "voice",
    "objects": "object",
}
JS_ASSIGNMENT = re.compile(r"^(?P<head>[\w.$]+\s*=\s*)(?P<body>[\[{].*?);?\s*$", re.DOTALL)


class SyncError(Exception):
    """A sync that did not happen; the message is one line for the operator."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status, when the server refused


def local_now() -> datetime.datetime:
    """This machine's clock (a function, so tests can set it wrong)."""
    return datetime.datetime.now(datetime.UTC)


# --- Talking to the server ----------------------------------------------------------


class Remote:
    """The venue API at ``url`` (the site, or the API root), with one venue's token."""

    def __init__(self, url: str, token: str, timeout: float = TIMEOUT):
        url = url.rstrip("/")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise SyncError(f"Not an http(s) URL: {url!r}.")
        self.base = url if url.endswith(API_PATH) else url + API_PATH
        self.token = token
        self.timeout = timeout
        self.server_time: datetime.datetime | None = None

    def open(self, path: str, headers: dict | None = None, *, allow: tuple = ()):
        """The response to GET ``path``; HTTP errors other than the ``allow``-ed statuses and
        network failures become :class:`SyncError`."""
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.base + path,
            headers={"Authorization": f"Bearer {self.token}", **(headers or {})},
        )
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
        except urllib.error.HTTPError as error:
            self._note_date(error.headers)
            if error.code in allow:
                return error
            error.close()
            raise SyncError(self._explain(error), status=error.code) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise SyncError(
                f"Could not reach the museum's server at {self.base}: {reason}."
            ) from None
        self._note_date(response.headers)
        return response

    def json(self, path: str, *, allow: tuple = ()):
        response = self.open(path, {"Accept": "application/json"}, allow=allow)
        with response:
            try:
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                raise SyncError(f"The connection to the server broke: {error}.") from None
        if response.status in allow:
            return response.status, None
        try:
            return response.status, json.loads(body)
        except ValueError:
            raise SyncError(f"The server sent something that is not JSON for {path}.") from None

    def _note_date(self, headers) -> None:
        value = headers.get("Date") if headers else None
        if value:
            with contextlib.suppress(TypeError, ValueError):
                self.server_time = email.utils.parsedate_to_datetime(value)

    def _explain(self, error: urllib.error.HTTPError) -> str:
        if error.code == 401:
            return "The server refused the token (HTTP 401): it is wrong, revoked or expired."
        if error.code == 404:
            return "The server does not know that package version (HTTP 404)."
        if error.code == 429:
            wait = error.headers.get("Retry-After", "?")
            return f"The server is limiting requests (HTTP 429); try again in {wait} s."
        return f"The server answered HTTP {error.code} {error.reason}."


# --- Checking a package --------------------------------------------------------------


def unsafe_path(name: str) -> bool:
    """True for names that must never be written: absolute, ``..``, backslashes, drives,
    directory entries, empty segments."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or name.endswith("/"):
        return True
    parts = name.split("/")
    if ":" in parts[0]:
        return True
    return any(part in {"", ".", ".."} for part in parts)


@dataclass
class Package:
    """An open, signature-checked package (or delta) zip."""

    archive: zipfile.ZipFile
    manifest: dict
    manifest_bytes: bytes
    signature: bytes

    @property
    def files(self) -> list[dict]:
        return self.manifest["files"]


def open_verified(path: Path, public_key: str, *, version: int, venue: str | None) -> Package:
    """Open ``path`` and check the signature, the manifest and the list of entries."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise SyncError("The package is not a readable zip (damaged or tampered).") from None
    try:
        names = archive.namelist()
        if len(names) != len(set(names)):
            raise SyncError("The package holds the same path twice; refused.")
        for name in names:
            if unsafe_path(name):
                raise SyncError(f"The package holds an unsafe path {name!r}; refused.")
        try:
            manifest_bytes = archive.read(MANIFEST)
            signature = archive.read(SIGNATURE)
        except KeyError:
            raise SyncError("The package has no manifest.json or manifest.sig.") from None
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise SyncError(f"The package's manifest cannot be read: {error}.") from None
        try:
            signing.verify(public_key, manifest_bytes, signature)
        except signing.SignatureError:
            raise SyncError(
                "The package signature does not verify with the pinned public key "
                "(tampered, or signed with another key)."
            ) from None
        try:
            manifest = json.loads(manifest_bytes)
            files = {entry["path"]: entry for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError):
            raise SyncError("The package's manifest is not valid.") from None
        if manifest.get("format") != FORMAT:
            raise SyncError(f"Unknown package format {manifest.get('format')!r}.")
        if manifest.get("version") != version:
            raise SyncError(
                f"The server announced version {version} but sent version "
                f"{manifest.get('version')}."
            )
        slug = (manifest.get("venue") or {}).get("slug")
        if venue and slug != venue:
            raise SyncError(
                f"The package is for venue {slug!r} but this folder holds venue {venue!r}: "
                "is the token another venue's?"
            )
        for name in files:
            if unsafe_path(name) or name in {MANIFEST, SIGNATURE}:
                raise SyncError(f"The manifest lists an unsafe path {name!r}; refused.")
        unlisted = sorted(set(names) - set(files) - {MANIFEST, SIGNATURE})
        if unlisted:
            raise SyncError(f"The package holds a file its manifest does not list: {unlisted[0]}.")
    except BaseException:
        archive.close()
        raise
    return Package(archive, manifest, manifest_bytes, signature)


class NeedsFullPackage(Exception):
    """A delta cannot be completed from the installed copy (a file is missing or changed)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def unpack(package: Package, folder: Path, base: Path | None = None) -> None:
    """Write every listed file into ``folder``, checking size and SHA-256; files a delta lacks
    come from ``base`` (the installed version) and are checked the same way."""
    members = set(package.archive.namelist())
    for entry in package.files:
        name, size, sha = entry["path"], int(entry["size"]), entry["sha256"]
        target = folder.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in members:
            info = package.archive.getinfo(name)
            if info.file_size != size:
                raise SyncError(f"{name} has the wrong size in the package (tampered?).")
            try:
                with package.archive.open(info) as source:
                    written = copy_out(source, target)
            except (zipfile.BadZipFile, EOFError, zlib.error) as error:
                raise SyncError(
                    f"{name} cannot be unpacked ({error}); the zip is damaged."
                ) from None
            if written != sha:
                raise SyncError(f"{name} does not match its SHA-256 in the manifest (tampered?).")
            continue
        if base is None:
            raise SyncError(f"The package lacks {name}, which its manifest lists.")
        source = base.joinpath(*name.split("/"))
        if not source.is_file() or source.stat().st_size != size or file_sha256(source) != sha:
            raise NeedsFullPackage(name)
        link_or_copy(source, target)


def copy_out(source, target: Path) -> str:
    """Write ``source`` to the new file ``target``; return the SHA-256 of what was written."""
    digest = hashlib.sha256()
    with open(target, "xb") as sink:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            sink.write(chunk)
    return digest.hexdigest()


def link_or_copy(source: Path, target: Path) -> None:
    """Unchanged files are hard links to the installed copy where the file system allows: no
    extra space, and nothing here ever writes into an existing file (only replaces it)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# --- Revoked content ------------------------------------------------------------------


def revoked_keys(items) -> set[tuple[str, str]]:
    return {(str(item["kind"]), str(item["id"])) for item in items}


def _file_is_revoked(parts: list[str], keys: set[tuple[str, str]]) -> bool:
    for index, part in enumerate(parts[:-1]):
        for kind, ident in keys:
            if part not in KIND_FOLDERS.get(kind, {kind + "s"}):
                continue
            following = parts[index + 1]
            last = index + 1 == len(parts) - 1
            if following == ident or (last and following.split(".")[0] == ident):
                return True
    return False


def _record_is_revoked(record, list_kind: str | None, keys) -> bool:
    """A record is revoked if it is a revoked item, or hangs on one (``"voice": 3`` or
    ``"voice_id": 3`` in a testimony or a perspective's position when voice 3 is revoked)."""
    if not isinstance(record, dict):
        return False
    kind = record.get("kind") or list_kind
    if "id" in record and (str(kind), str(record["id"])) in keys:
        return True
    for ref_kind, ident in keys:
        for name in (ref_kind, f"{ref_kind}_id"):
            value = record.get(name)
            if isinstance(value, int | str) and str(value) == ident:
                return True
    return False


def prune(node, keys, list_kind: str | None = None):
    """``node`` without the revoked records, at any depth."""
    if isinstance(node, list):
        return [
            prune(item, keys, list_kind)
            for item in node
            if not _record_is_revoked(item, list_kind, keys)
        ]
    if isinstance(node, dict):
        return {key: prune(value, keys, LIST_KINDS.get(key)) for key, value in node.items()}
    return node


def _prune_json(text: str, keys, kind: str | None) -> str | None:
    """The JSON document without revoked records, or None if nothing changed."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    pruned = prune(data, keys, kind)
    if pruned == data:
        return None
    return json.dumps(pruned, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def _prune_js_line(line: str, keys, kind: str | None) -> str:
    """``window.X.y = {json};`` (the kiosk's data files) with revoked records left out."""
    match = JS_ASSIGNMENT.match(line)
    if not match:
        return line
    body = _prune_json(match["body"], keys, kind)
    if body is None:
        return line
    compact = json.dumps(
        json.loads(body), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).replace("</", "<\\/")
    return match["head"] + compact + ";\n"


def _replace_text(path: Path, text: str) -> None:
    """A new file in place of the old (never writing into it: it may be a hard link)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def apply_revocations(folder: Path, items, *, dry_run: bool = False) -> list[str]:
    """Remove revoked content from ``folder``; return the paths removed or rewritten (with
    ``dry_run``, only those that would be)."""
    keys = revoked_keys(items)
    if not keys:
        return []
    changed = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        parts = relative.split("/")
        if _file_is_revoked(parts, keys):
            if not dry_run:
                path.unlink()
            changed.append(relative)
            continue
        in_data = parts[0] == "data" and path.suffix == ".json"
        in_kiosk_data = parts[:2] == ["kiosk", "data"] and path.suffix == ".js"
        if not (in_data or in_kiosk_data):
            continue
        text = path.read_text(encoding="utf-8")
        kind = LIST_KINDS.get(PurePosixPath(relative).stem)
        if in_data:
            pruned = _prune_json(text, keys, kind)
        else:
            lines = text.splitlines(keepends=True)
            pruned_lines = [_prune_js_line(line, keys, kind) for line in lines]
            pruned = "".join(pruned_lines) if pruned_lines != lines else None
        if pruned is not None:
            if not dry_run:
                _replace_text(path, pruned)
            changed.append(relative)
    return changed


# --- The destination folder --------------------------------------------------------------


@dataclass
class Destination:
    root: Path

    def __post_init__(self):
        self.versions = self.root / "versions"
        self.downloads = self.root / "downloads"
        self.current = self.root / "current"
        self.state_file = self.root / "state.json"

    def prepare(self) -> None:
        try:
            for folder in (self.root, self.versions, self.downloads):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SyncError(f"Cannot use {self.root}: {error.strerror}.") from None
        if self.current.exists() and not self.current.is_symlink():
            raise SyncError(f"{self.current} is not a symlink: move it away first.")

    def state(self) -> dict:
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}
        folder = state.get("folder")
        if not folder or not self.current.is_symlink() or not (self.root / folder).is_dir():
            return {}
        if os.readlink(self.current) != folder:
            return {}
        return state

    def new_folder_name(self, version: int) -> str:
        name, counter = str(version), 1
        while (self.versions / name).exists():
            counter += 1
            name = f"{version}-{counter}"
        return name

    def point_current_to(self, relative: str) -> None:
        tmp = self.root / f".current.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        os.symlink(relative, tmp)
        os.replace(tmp, self.current)

    def write_state(self, state: dict) -> None:
        kiosk = {
            "package_revoked": state["package_revoked"],
            "version": state["version"],
            "synced_at": state["synced_at"],
        }
        _atomic_write(
            self.root / "kiosk-state.js",
            "window.KIOSK_STATE = " + json.dumps(kiosk, sort_keys=True) + ";\n",
        )
        _atomic_write(self.state_file, json.dumps(state, indent=2, sort_keys=True) + "\n")

    def clean(self, keep: set[str]) -> None:
        """Remove versions except ``keep`` (current and previous) and unfinished folders."""
        for child in self.versions.iterdir():
            if f"versions/{child.name}" not in keep:
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()

    @contextlib.contextmanager
    def lock(self):
        with open(self.root / ".sync.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise SyncError(f"Another venue_sync is working on {self.root}.") from None
            yield


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- Downloading -----------------------------------------------------------------------


def download(
    remote: Remote,
    path: str,
    part: Path,
    *,
    expected_sha: str | None,
    label: str,
    progress: Callable[[str, int, int], None],
) -> Path:
    """Fetch ``path`` into ``part``, resuming what an earlier run left there (``Range`` with
    ``If-Range``: if the file changed on the server, it starts over)."""
    etag_file = part.with_name(part.name + ".etag")
    have = part.stat().st_size if part.exists() else 0
    etag = etag_file.read_text().strip() if etag_file.exists() else ""
    headers = {}
    if have and etag:
        headers = {"Range": f"bytes={have}-", "If-Range": etag}
    response = remote.open(path, headers, allow=(416,))
    if response.status == 416:  # the part is already whole, or longer than the file
        response.close()
        part.unlink(missing_ok=True)
        etag_file.unlink(missing_ok=True)
        return download(
            remote, path, part, expected_sha=expected_sha, label=label, progress=progress
        )
    etag = response.headers.get("ETag", "")
    start = 0
    if response.status == 206:
        match = re.match(r"bytes (\d+)-\d+/(\d+)", response.headers.get("Content-Range", ""))
        start = int(match[1]) if match else -1
        if start != have:
            response.close()
            raise SyncError("The server resumed the download at the wrong place; run again.")
    try:
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        length = -1
    total = start + length if length >= 0 else -1
    etag_file.write_text(etag)
    done = start
    try:
        with response, open(part, "ab" if start else "wb") as sink:
            progress(label, done, total)
            while chunk := response.read(CHUNK):
                sink.write(chunk)
                done += len(chunk)
                progress(label, done, total)
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, OSError) and error.errno is not None and not _network(error):
            raise SyncError(f"Cannot write {part}: {error.strerror}.") from None
        raise SyncError(
            f"The download of {label} broke off after {done} of {total} bytes ({error}); "
            "run venue_sync again to resume."
        ) from None
    if total >= 0 and done != total:
        raise SyncError(
            f"The download of {label} is incomplete ({done} of {total} bytes); "
            "run venue_sync again to resume."
        )
    want = expected_sha or etag.strip('"')
    if want and file_sha256(part) != want:
        part.unlink(missing_ok=True)
        etag_file.unlink(missing_ok=True)
        raise SyncError(
            f"The download of {label} does not match its checksum (damaged in transit); "
            "it was discarded, run venue_sync again."
        )
    return part


def _network(error: OSError) -> bool:
    import errno

    return error.errno in {
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EPIPE,
        errno.ETIMEDOUT,
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ECONNREFUSED,
    }


def terminal_progress(stream=None) -> Callable[[str, int, int], None]:
    """A one-line bar on a terminal; start and end lines otherwise (logs, tests)."""
    stream = stream or sys.stderr
    tty = stream.isatty()
    shown = {}

    def show(label: str, done: int, total: int) -> None:
        if total > 0:
            percent = min(100, done * 100 // total)
            text = f"{label}: {percent:3d}% ({done / 1e6:.1f} of {total / 1e6:.1f} MB)"
        else:
            percent = -1
            text = f"{label}: {done / 1e6:.1f} MB"
        if tty:
            filled = max(0, percent) * 30 // 100
            stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {text}")
            if done == total:
                stream.write("\n")
        elif shown.get(label) is None or (done == total and shown[label] != done):
            stream.write(text + "\n")
            shown[label] = done
        stream.flush()

    return show


# --- The sync ------------------------------------------------------------------------------


@dataclass
class Result:
    version: int | None
    changed: bool
    messages: list[str] = field(default_factory=list)


class Sync:
    """One run of the client against one destination folder."""

    def __init__(self, url, token, dest, public_key, *, venue=None, progress=None, warn=None):
        self.remote = Remote(url, token)
        self.venue = venue  # the venue slug this folder is for, if the operator names it
        self.dest = Destination(Path(dest).resolve())
        self.public_key = public_key
        self.progress = progress or terminal_progress()
        self.warn = warn or (lambda message: sys.stderr.write(message + "\n"))
        self.messages: list[str] = []

    def run(self) -> Result:
        try:
            signing.load_public_key(self.public_key)
        except signing.SigningKeyError as error:
            raise SyncError(f"The public key cannot be used: {error}") from None
        self.dest.prepare()
        try:
            with self.dest.lock():
                return self._run()
        except OSError as error:
            # Anything the steps above do not explain (e.g. a full disk while swapping or
            # writing the state): the kiosk keeps what ``current`` pointed at.
            raise SyncError(
                f"Could not update {self.dest.root}: {error.strerror or error}."
            ) from None

    def _run(self) -> Result:
        state = self.dest.state()
        _status, latest = self.remote.json("/packages/latest", allow=(404,))
        server_now = self._server_now()
        _status, listing = self.remote.json("/packages")
        _status, revocations = self.remote.json("/revocations")
        known = {item["number"]: item for item in listing}
        current = state.get("version")
        revoked_items = revocations.get("revoked", [])

        if latest is None and current is None:
            raise SyncError("The server has no package for this venue yet.")
        if latest is not None and not (
            current == latest["number"] and state.get("sha256") == latest["sha256"]
        ):
            self._check_valid(latest, server_now)
            state = self._install(latest, state, known, revoked_items, server_now)
            changed = True
        else:
            state, changed = self._reapply(state, revoked_items)
            if not changed:
                self.messages.append(f"Already up to date (version {current}).")
        installed = known.get(state["version"])
        state["package_revoked"] = bool(installed is None or installed["revoked"])
        if state["package_revoked"]:
            self.warn(
                f"The museum has revoked package version {state['version']}: the kiosk hides "
                "consent-bound content until a new package is installed."
            )
        state["synced_at"] = _iso(local_now())
        state["server_time"] = _iso(server_now)
        self.dest.write_state(state)
        self.dest.clean({state["folder"], state.get("previous_folder") or ""})
        for leftover in self.dest.downloads.glob("*"):
            if changed:
                leftover.unlink(missing_ok=True)
        return Result(state["version"], changed, self.messages)

    def _server_now(self) -> datetime.datetime:
        """The server's clock when this machine's is far off (validity is the server's)."""
        mine = local_now()
        theirs = self.remote.server_time
        if theirs is None:
            return mine
        skew = theirs - mine
        if abs(skew) > CLOCK_TOLERANCE:
            self.warn(
                f"Warning: this computer's clock differs from the server's by "
                f"{abs(skew.total_seconds()) / 3600:.1f} hours; validity is judged by the "
                "server's time. Set the clock right: the kiosk judges expiry by it."
            )
        return theirs

    def _check_valid(self, latest: dict, server_now: datetime.datetime) -> None:
        until = latest.get("valid_until")
        if until and datetime.date.fromisoformat(until) < server_now.date():
            raise SyncError(
                f"Package version {latest['number']} expired on {until} (server date "
                f"{server_now.date()}); it was not installed."
            )

    def _install(self, latest, state, known, revoked_items, server_now) -> dict:
        number = latest["number"]
        current = state.get("version")
        unpacked = None
        if current is not None and current in known and current != number:
            try:
                delta = self._fetch_delta(number, current)
                unpacked = self._unpack(delta, number, state, self.dest.root / state["folder"])
            except NeedsFullPackage as missing:
                self.warn(f"{missing} differs in the installed copy: downloading in full.")
            except SyncError as error:
                if error.status not in {404, 410} and not (error.status or 0) >= 500:
                    raise
                self.warn(f"No delta ({error}): downloading in full.")
        if unpacked is None:
            package_file = download(
                self.remote,
                f"/packages/{number}/download",
                self.dest.downloads / f"v{number}.zip.part",
                expected_sha=latest["sha256"],
                label=f"Package version {number}",
                progress=self.progress,
            )
            unpacked = self._unpack(package_file, number, state, None)
        new_state = {
            "format": FORMAT,
            "version": number,
            "sha256": latest["sha256"],
            "valid_until": latest.get("valid_until"),
            "previous_folder": state.get("folder"),
            "previous_version": current,
        }
        manifest, tmp = unpacked
        try:
            items = list(manifest.get("revoked", [])) + list(revoked_items)
            removed = apply_revocations(tmp, items)
            name = self.dest.new_folder_name(number)
            os.rename(tmp, self.dest.versions / name)
        except OSError as error:
            shutil.rmtree(tmp, ignore_errors=True)
            raise SyncError(f"Could not write the new version: {error.strerror}.") from None
        new_state.update(
            venue=manifest["venue"]["slug"],
            folder=f"versions/{name}",
            revoked_applied=sorted(f"{k}:{i}" for k, i in revoked_keys(items)),
            removed=removed,
        )
        self.dest.point_current_to(new_state["folder"])
        self.messages.append(f"Installed version {number}.")
        return new_state

    def _fetch_delta(self, number: int, current: int) -> Path:
        return download(
            self.remote,
            f"/packages/{number}/delta?from={current}",
            self.dest.downloads / f"v{current}-to-v{number}.zip.part",
            expected_sha=None,
            label=f"Changes from version {current} to {number}",
            progress=self.progress,
        )

    def _unpack(self, package_file: Path, number: int, state: dict, base: Path | None):
        """Verify ``package_file`` and unpack it into ``versions/<n>.tmp``; a file that fails
        verification is discarded (a next run downloads it again)."""
        tmp = self.dest.versions / f"{number}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            package = open_verified(
                package_file,
                self.public_key,
                version=number,
                venue=self.venue or state.get("venue"),
            )
            try:
                tmp.mkdir(parents=True)
                unpack(package, tmp, base)
            finally:
                package.archive.close()
        except OSError as error:
            shutil.rmtree(tmp, ignore_errors=True)
            raise SyncError(
                f"Could not write the new version to {self.dest.root}: {error.strerror}; "
                "the installed version is unchanged."
            ) from None
        except (SyncError, NeedsFullPackage):
            shutil.rmtree(tmp, ignore_errors=True)
            package_file.unlink(missing_ok=True)
            package_file.with_name(package_file.name + ".etag").unlink(missing_ok=True)
            raise
        return package.manifest, tmp

    def _reapply(self, state: dict, revoked_items) -> tuple[dict, bool]:
        """New revocations for the installed version: a new folder without them, swapped in."""
        keys = revoked_keys(revoked_items)
        applied = set(state.get("revoked_applied", []))
        new = {f"{k}:{i}" for k, i in keys} - applied
        if not new:
            return state, False
        source = self.dest.root / state["folder"]
        if not apply_revocations(source, revoked_items, dry_run=True):
            # Nothing of it is in this package: remember, and leave the folder alone.
            return {**state, "revoked_applied": sorted(applied | new)}, False
        name = self.dest.new_folder_name(state["version"])
        tmp = self.dest.versions / f"{name}.tmp"
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(source, tmp, copy_function=lambda s, d: link_or_copy(Path(s), Path(d)))
            removed = apply_revocations(tmp, revoked_items)
            os.rename(tmp, self.dest.versions / name)
        except OSError as error:
            shutil.rmtree(tmp, ignore_errors=True)
            raise SyncError(f"Could not remove revoked content: {error.strerror}.") from None
        state = {
            **state,
            "folder": f"versions/{name}",
            "previous_folder": state["folder"],
            "previous_version": state["version"],
            "revoked_applied": sorted(applied | new),
            "removed": sorted(set(state.get("removed", [])) | set(removed)),
        }
        self.dest.point_current_to(state["folder"])
        self.messages.append(
            f"Removed revoked content from version {state['version']} ({len(removed)} files)."
        )
        return state, True


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
