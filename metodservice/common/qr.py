"""The QR code of a fixed document (ГОСТ Р 7.0.97-2025: a requisite at the bottom right of page 1).

A signed order, a signed protocol and an approved plan carry a QR code leading to the document's verification page
in the portal: ``PORTAL_URL`` + the page's path, which names the document and the first `DIGEST_LENGTH` hex digits
of the SHA-256 it was printed with. The page (behind the login, for those who may see the document) compares that
digest with the stored hash and the stored hash with the content recomputed from the database, so a printed copy
is checked against the original: an older edition, a changed printout or a record changed after signing each shows
as such. The code is vector SVG (segno), embedded inline in the HTML that WeasyPrint turns into the PDF: nothing
is fetched. Imports no app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .signing import Verification

__all__ = ["DIGEST_LENGTH", "PrintedCheck", "digest_of", "document_url", "portal_url", "printed_from", "qr_svg"]

#: Hex digits of the SHA-256 in a printed link: 64 bits tell editions apart and keep the code small enough to
#: scan at 22 mm (version 5, 37×37 modules, for a typical link).
DIGEST_LENGTH = 16

_HEX = re.compile(r"[0-9a-f]+")


def digest_of(content_hash: str) -> str:
    """The part of a document's SHA-256 that its printed link carries."""
    return content_hash[:DIGEST_LENGTH].lower()


def printed_from(digest: str, content_hash: str) -> bool:
    """Whether a link's digest (at least `DIGEST_LENGTH` hex digits, any case) is the start of `content_hash`."""
    digest = digest.lower()
    return (
        len(digest) >= DIGEST_LENGTH
        and _HEX.fullmatch(digest) is not None
        and bool(content_hash)
        and content_hash.lower().startswith(digest)
    )


def portal_url(path: str) -> str:
    """An absolute link for paper: the portal's public address (settings.PORTAL_URL) and a path of the portal."""
    return settings.PORTAL_URL.rstrip("/") + path


def document_url(url_name: str, pk: int, content_hash: str) -> str:
    """The absolute verification link of a document: its page `url_name` with the document's pk and digest."""
    return portal_url(reverse(url_name, kwargs={"pk": pk, "digest": digest_of(content_hash)}))


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code (error correction M, the quiet zone of 4 modules) sized by CSS: no width or height,
    a viewBox instead. Dark modules only, as one path: a vector drawing in the PDF, not a picture."""
    code = segno.make(data, error="m", micro=False, boost_error=False)
    svg = code.svg_inline(omitsize=True, border=4, dark="#000", light=None, svgclass="qr-code", lineclass=None)
    return mark_safe(svg)  # noqa: S308 — segno's own markup; the data is inside path coordinates only


@dataclass(frozen=True)
class PrintedCheck:
    """A printed copy checked against the original: the digest its link carries, and the stored document's own
    verification (stored SHA-256 against the content recomputed from the database)."""

    printed: str
    verification: Verification

    @property
    def printed_matches(self) -> bool:
        """The copy was printed from this document as stored: its digest is the stored hash's start."""
        return printed_from(self.printed, self.verification.stored)

    @property
    def intact(self) -> bool:
        """The stored document still matches the hash stored when it was signed or approved."""
        return self.verification.ok

    @property
    def ok(self) -> bool:
        return self.printed_matches and self.intact
