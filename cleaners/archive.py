"""Inputs of the offline cleaner: the pages held in WARC files, HTML files and folders of them.

:func:`read_inputs` turns each input file into :class:`Page` items (a body to clean, its
URL, HTTP ``Content-Type`` and fetch time, and where it came from) and :class:`Skip` items
(a record or file that is not cleaned, with its reason), in file order, reading one
record at a time (memory stays flat whatever the archive's size).

WARC (ISO 28500, ``.warc`` or ``.warc.gz``): every ``response`` record with a 2xx HTTP
status and an HTML (or missing) ``Content-Type`` is a page, with its own
``WARC-Target-URI`` and its ``WARC-Date`` as ``fetched_at``; the body is the payload
with its transfer and content encodings undone. Revisits, non-HTML responses, other
statuses and the other record types are skipped and counted. A gzipped WARC is read
gzip member by gzip member (one record each, as WARC writers make them; a whole WARC
gzipped in one member works too): a member that ends early (a file cut by ``kill -9``
or a full disk) or does not decompress is counted (``truncated_record``,
``corrupt_gzip``) and reading goes on at the next member.

HTML (anything else; ``.gz`` gunzipped): one page per file, with the URL given for it
(else its ``file:`` URI).
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from .decoding import DEFAULT_MAX_BYTES

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
_HTML_MEDIA_TYPES = {"text/html", "application/xhtml+xml"}
_GZIP_MEMBER = b"\x1f\x8b\x08"
_CHUNK = 64 << 10  # compressed bytes fed to zlib at once (a member is ~20% of its page: most take one or two)
_SPOOL_BYTES = 32 << 20  # a gzip member's data beyond this waits in a temporary file, not in memory
MAX_MEMBER_BYTES = 4 << 30  # a gzip member that unpacks to more is taken for a gzip bomb


@dataclass(frozen=True)
class Page:
    """One page to clean."""

    body: bytes
    url: str | None
    content_type: str | None
    fetched_at: str | None
    source: dict[str, Any]  # {"warc": file, "offset": n} or {"path": file}


@dataclass(frozen=True)
class Skip:
    """A record or file that is not cleaned: ``error`` when it is broken, else a record the cleaner does not take."""

    reason: str
    source: dict[str, Any]
    error: bool = False
    message: str = ""
    url: str | None = None


@dataclass(frozen=True)
class InputFile:
    path: Path
    url: str | None = None  # the URL an HTML file's page was fetched from (a WARC's records carry their own)

    @property
    def is_warc(self) -> bool:
        return self.path.name.lower().endswith(WARC_SUFFIXES)


@dataclass
class Progress:
    """Bytes of input read so far, of ``total`` (for a progress line's ETA)."""

    total: int = 0
    done: int = 0


def list_inputs(paths: Iterable[Path], urls: Mapping[Path, str] | None = None, url: str | None = None) -> list[InputFile]:
    """The input files, in the order given; folders are searched recursively (sorted) for WARC and HTML files."""
    urls = urls or {}
    found: list[InputFile] = []
    for path in paths:
        files = (sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES + HTML_SUFFIXES))
                 if path.is_dir() else [path])
        # Without a URL, a page is known by its file: URI (the store keys stories by URL).
        found += [InputFile(file, urls.get(file.resolve(), url) or file.resolve().as_uri()) for file in files]
    return found


def read_urls(path: Path) -> dict[Path, str]:
    """A URL list: ``FILE URL`` per line (blank lines and ``#`` comments skipped); FILE relative to the list's folder."""
    urls: dict[Path, str] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.rsplit(None, 1)  # the URL is the last field: file names may hold spaces
        if len(parts) != 2 or "://" not in parts[1]:
            raise ValueError(f"{path}:{number}: expected 'FILE URL', got {line!r}")
        urls[(path.parent / parts[0]).resolve()] = parts[1]
    return urls


def read_inputs(files: Iterable[InputFile], progress: Progress | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Page | Skip]:
    """Every page (and every skipped record) of the input files, in order."""
    progress = progress if progress is not None else Progress()
    for item in files:
        start = progress.done
        try:
            if item.is_warc:
                yield from _read_warc(item.path, progress, max_bytes)
            else:
                yield _read_html(item, max_bytes)
        except OSError as error:
            yield Skip("unreadable", {"path": str(item.path)}, True, f"{type(error).__name__}: {error.strerror or error}")
        try:
            progress.done = start + item.path.stat().st_size
        except OSError:
            pass


def total_bytes(files: Iterable[InputFile]) -> int:
    total = 0
    for item in files:
        try:
            total += item.path.stat().st_size
        except OSError:
            pass
    return total


def _inflate(read: Callable[[int], bytes], write: Callable[[bytes], object], limit: int) -> int | None:
    """Decompress the gzip member that ``read`` starts at into ``write``: its compressed length, or None when the
    data ends first.

    Raises zlib.error when it does not decompress, and ValueError past ``limit`` bytes of output (a gzip bomb
    is never held whole).
    """
    decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    consumed, size, pending = 0, 0, b""
    while not decompressor.eof:
        if not pending:
            pending = read(_CHUNK)
            if not pending:
                return None
            consumed += len(pending)
        part = decompressor.decompress(pending, _CHUNK)
        pending = decompressor.unconsumed_tail
        size += len(part)
        if size > limit:
            raise ValueError(f"more than {limit} bytes once decompressed")
        write(part)
    return consumed - len(decompressor.unused_data)


def _find_member(file: IO[bytes], start: int) -> int | None:
    """The offset of the next gzip header at or after ``start``."""
    file.seek(start)
    at, tail = start, b""
    while chunk := file.read(_CHUNK):
        found = (tail + chunk).find(_GZIP_MEMBER)
        if found >= 0:
            return at - len(tail) + found
        at += len(chunk)
        tail = chunk[-(len(_GZIP_MEMBER) - 1) :]  # a header across two chunks
    return None


# --- HTML files ---------------------------------------------------------------------------


def _read_html(item: InputFile, max_bytes: int) -> Page | Skip:
    source = {"path": str(item.path)}
    raw = item.path.read_bytes()
    body = raw
    if item.path.name.lower().endswith(".gz"):
        out = BytesIO()
        try:
            end = _inflate(BytesIO(raw).read, out.write, max_bytes)
        except zlib.error as error:
            return Skip("corrupt_gzip", source, True, str(error))
        except ValueError as error:
            return Skip("too_large", source, True, str(error))
        if end is None:
            return Skip("truncated_gzip", source, True, "the gzip data ends early")
        body = out.getvalue()
    return Page(body, item.url, None, None, source)


# --- WARC files ---------------------------------------------------------------------------


def _fetched_at(warc_date: str | None) -> str | None:
    """WARC-Date as the crawl writes fetched_at (``2026-12-01T11:47:48+00:00``)."""
    if not warc_date:
        return None
    try:
        moment = datetime.fromisoformat(warc_date)
    except ValueError:
        return None
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC).isoformat(timespec="seconds")


def _page(record: ArcWarcRecord, source: dict[str, Any], max_bytes: int) -> Page | Skip:
    kind, url = record.rec_type, record.rec_headers.get_header("WARC-Target-URI")
    if kind != "response":
        return Skip(kind or "unknown_record", source, url=url)
    headers = record.http_headers
    if headers is None:
        return Skip("not_http", source, url=url)
    status = headers.get_statuscode() or ""
    if not status.startswith("2"):
        return Skip("http_status", source, message=f"HTTP {status}", url=url)
    content_type = headers.get_header("Content-Type")
    media_type = content_type.split(";", 1)[0].strip().lower() if content_type else None
    if media_type and media_type not in _HTML_MEDIA_TYPES:
        return Skip("non_html", source, message=media_type, url=url)
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Skip("too_large", source, True, f"the body has more than {max_bytes} bytes", url)
    if getattr(record.raw_stream, "limit", 0) > 0:  # the record ends before its Content-Length
        return Skip("truncated_record", source, True, "the record ends before its Content-Length", url)
    return Page(body, url, content_type, _fetched_at(record.rec_headers.get_header("WARC-Date")), source)


def _records(stream: IO[bytes], name: str, base: int | None, max_bytes: int) -> Iterator[Page | Skip]:
    """The records of an uncompressed WARC stream; offsets are ``base`` (one gzip member) or the stream's own."""
    records = ArchiveIterator(stream, ensure_http_headers=False)
    offset = base or 0
    try:
        for record in records:
            offset = base if base is not None else records.offset
            yield _page(record, {"warc": name, "offset": offset}, max_bytes)
    except Exception as error:  # warcio, a broken chunked or compressed payload: one bad record, never a crash
        yield Skip("invalid_record", {"warc": name, "offset": offset}, True, f"{type(error).__name__}: {error}")


def _read_warc(path: Path, progress: Progress, max_bytes: int) -> Iterator[Page | Skip]:
    name = str(path)
    with path.open("rb") as file:
        start = progress.done
        if path.name.lower().endswith(".gz"):
            for item in _gzip_members(file, name, max_bytes):
                progress.done = start + file.tell()
                yield item
            return
        for item in _records(file, name, None, max_bytes):
            progress.done = start + file.tell()
            yield item


def _gzip_members(file: IO[bytes], name: str, max_bytes: int) -> Iterator[Page | Skip]:
    """The records of each gzip member in turn: one each as WARC writers make them, or several (a whole WARC gzipped).

    The file is read in chunks (not mapped: a mapping's pages would count in the process's memory as it is read).
    """
    at, resyncing = 0, False
    while True:
        file.seek(at)
        if not file.read(1):
            return
        file.seek(at)
        source = {"warc": name, "offset": at}
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as member:
            try:
                length = _inflate(file.read, member.write, MAX_MEMBER_BYTES)
            except (zlib.error, ValueError) as error:
                if not resyncing:  # one count per damaged stretch, however many false starts inside it
                    yield Skip("corrupt_gzip" if isinstance(error, zlib.error) else "too_large", source, True, str(error))
                resyncing = True
                found = _find_member(file, at + 1)
                if found is None:
                    return
                at = found
                continue
            if length is None:
                if not resyncing:
                    yield Skip("truncated_record", source, True, "the file ends inside this gzip member")
                return
            resyncing, at = False, at + length
            member.seek(0)
            yield from _records(member, name, source["offset"], max_bytes)
