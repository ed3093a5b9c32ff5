"""Bytes to text: the charset comes from the HTTP header, then the page's own
declaration (wherever it stands), then detection."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes
from w3lib.encoding import http_content_type_encoding, read_bom, resolve_encoding

from .errors import DocumentTooLarge, EmptyDocument, NotHTML

# Magic numbers of formats that servers mislabel as text/html.
_BINARY_SIGNATURES = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b",
    b"RIFF", b"\x00\x00\x01\x00", b"OggS", b"ID3", b"fLaC", b"\x7fELF", b"BZh",
)
_HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""")
# Single-byte Latin labels that servers send by default whatever the page is in.
_DEFAULT_LABELS = {"cp1252", "iso8859-1", "ascii"}

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def check_body(body: bytes, content_type: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Raise a specific :class:`CleanError` for bodies that are not an HTML page."""
    if not body.strip():
        raise EmptyDocument("the body is empty")
    if len(body) > max_bytes:
        raise DocumentTooLarge(f"the body has {len(body)} bytes, more than the limit of {max_bytes}")
    media_type = _media_type(content_type)
    if media_type and media_type not in _HTML_MEDIA_TYPES:
        raise NotHTML(f"the content type is {media_type}, not HTML")
    head = body[:4096]
    for signature in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise NotHTML(f"the body is binary (starts with {signature!r}), not HTML")
    encoding, _ = read_bom(head)
    if encoding is None and len(_CONTROL_BYTES.findall(head)) > len(head) * 0.05:
        raise NotHTML("the body is binary: too many control bytes for a text page")


def declared_encoding(body: bytes) -> str | None:
    """The charset that the page declares in a <meta> tag or XML declaration."""
    match = _XML_DECLARATION.match(body[:512]) or _META_CHARSET.search(body)
    return resolve_encoding(match.group(1).decode("ascii")) if match else None


def _decoded(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """The charset of an HTML body, and the body decoded with it when choosing it took a decoding."""
    bom_encoding, _ = read_bom(body)
    if bom_encoding:
        return bom_encoding, None
    for label in (http_content_type_encoding(content_type), declared_encoding(body)):
        if not label:
            continue
        # Valid UTF-8 with multibyte sequences is almost never accidental.
        if label in _DEFAULT_LABELS and not body.isascii() and (text := _decoded(body, "utf-8")) is not None:
            return "utf-8", text
        if (text := _decoded(body, label)) is not None:
            return label, text
    if body.isascii():
        return "utf-8", None
    if (text := _decoded(body, "utf-8")) is not None:
        return "utf-8", text
    best = from_bytes(body[:65536]).best()
    detected = resolve_encoding(best.encoding) if best else None
    return detected or "cp1252", None


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """Choose the charset of an HTML body."""
    return _detect(body, content_type)[0]


def decode_html(body: bytes, content_type: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Return the page as text and the encoding used; raise a :class:`CleanError` for unusable bodies."""
    check_body(body, content_type, max_bytes)
    encoding, text = _detect(body, content_type)
    if text is None:  # not decoded yet (or with a BOM, which is not part of the text)
        bom_encoding, bom = read_bom(body)
        text = body[len(bom):].decode(encoding, errors="replace") if bom_encoding and bom else body.decode(
            encoding, errors="replace")
    # Searching a non-ASCII str for NUL takes longer than decoding it: a NUL character comes from a zero byte
    # in every ASCII-compatible charset (UTF-16 and UTF-32 bodies are full of them), UTF-7 aside.
    if b"\x00" in body or encoding == "utf-7":
        text = text.replace("\x00", "")
    if not text.strip():
        raise EmptyDocument("the body has no text once decoded")
    return text, encoding
