"""PDF documents rendered from Django templates with WeasyPrint.

Rendering never touches the network: the URL fetcher given to WeasyPrint accepts only ``data:`` URLs and
``file:`` URLs inside the project (templates, static files). Fonts are system fonts found through fontconfig and
embedded (subset) into the PDF by WeasyPrint.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from weasyprint import HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

__all__ = ["LocalOnlyURLFetcher", "html_to_pdf", "pdf_response", "render_pdf"]


def _allowed_roots() -> list[Path]:
    """Folders a template may load files from: the project and the static files folders."""
    roots = [Path(settings.BASE_DIR)]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    for entry in getattr(settings, "STATICFILES_DIRS", ()):
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [root.resolve() for root in roots]


class LocalOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that refuses everything but ``data:`` and local files under the allowed roots."""

    def __init__(self, roots: list[Path] | None = None, **kwargs) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, **kwargs)
        self._roots = roots if roots is not None else _allowed_roots()

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                logger.warning("PDF rendering refused a file outside the project: %s", url)
                raise ValueError(f"File outside the allowed folders: {url}")
        elif scheme != "data":
            logger.warning("PDF rendering refused a non-local URL: %s", url)
            raise ValueError(f"Only local files may be loaded while rendering a PDF: {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """HTML to PDF with WeasyPrint. Relative URLs resolve against BASE_DIR; only local files are read."""
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalOnlyURLFetcher())
    return document.write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to HTML, then the HTML to PDF (in this process: for a worker's task, a command or
    a test; a web view asks for a background document instead, metodservice.common.documents)."""
    return html_to_pdf(render_to_string(template_name, context))


# Transliteration for the ASCII fallback filename of old clients (the UTF-8 name is given as well).
_LATIN = ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p"]
_LATIN += ["r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN, strict=True))


def _ascii_filename(filename: str) -> str:
    result = []
    for char in filename:
        lower = char.lower()
        if lower in _TRANSLIT:
            latin = _TRANSLIT[lower]
            result.append(latin.capitalize() if char != lower else latin)
        else:
            result.append(char)
    ascii_name = unicodedata.normalize("NFKD", "".join(result)).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "document"
    return ascii_name if "." in ascii_name else f"{ascii_name}.pdf"


def _clean_filename(filename: str) -> str:
    """No path separators, quotes or control characters in a header value."""
    cleaned = "".join(" " if unicodedata.category(c).startswith("C") else c for c in filename)
    cleaned = re.sub(r'[\\/"]+', "_", cleaned).strip()
    return cleaned or "document.pdf"


def pdf_response(pdf: bytes, filename: str, *, as_attachment: bool = False) -> HttpResponse:
    """An HTTP response showing the PDF in the browser (or downloading it), named in UTF-8 by RFC 5987/6266."""
    filename = _clean_filename(filename)
    disposition = "attachment" if as_attachment else "inline"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{_ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Content-Length"] = str(len(pdf))
    patch_cache_control(response, private=True, no_cache=True)
    return response
