"""The site crawl (tests/test_site_crawl.py): a role's session follows every internal link from its first page.

What a crawl checks on each page it visits, and on each link such a page shows, is in `Crawl`; the visible Latin
words are found by `latin_words`; the HTML is checked by the W3C Nu validator (`vnu`) over the saved pages, in one
run at the end (a JVM starts slowly).

The crawl is bounded by URL *patterns*, not by URLs: a pattern is the route the URL resolves to plus the sorted
names of its query parameters (`structure/people/<int:pk>/`, `planning/plans/ ?page`), and at most
`VISITS_PER_PATTERN` URLs of one pattern are visited (parsed, checked, their links followed). Every distinct link
target a visited page shows is still requested once per role, downloads included, to see that it does not refuse.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(os.environ.get("METOD_VNU_JAR", ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
VISITS_PER_PATTERN = 2
#: Not crawled: the Django admin (its own check, test_admin_index_speaks_russian) and the media files.
NOT_CRAWLED = ("/admin/", "/media/", "/static/")
#: Requested neither as a page nor as a link: leaving the session.
NEVER_REQUESTED = ("/accounts/logout/",)
#: A link answering one of these refuses the user (or is broken); 405: a link to an action that takes only POST.
REFUSALS = {403, 404, 405, 410}

# ---------------------------------------------------------------- Latin words

#: Latin words a Russian user may meet in the portal's own text, and why. Everything else in Latin letters is an
#: untranslated word. Keep it short: a word belongs here only if Russian staff write it in Latin letters themselves.
ALLOWED_LATIN = {
    # file formats, named as staff know them («Скачать PDF», «файл XLSX», «PNG, JPG, DOCX…»)
    *("PDF", "XLSX", "XLS", "CSV", "ICS", "PNG", "JPG", "JPEG", "DOC", "DOCX", "PPTX", "ODT", "ODS", "ODP"),
    # standards and programs that have no Russian name: the calendar feed (iCal) and where to add it, the
    # spreadsheet and the encodings a table of people is imported in, the QR code and the digest of a signed document
    *("iCal", "Outlook", "Google", "Android", "iPhone", "iPad", "Excel", "Windows", "UTF", "QR", "SHA", "URL", "ID"),
    "e-mail",
    "E-mail",
}
#: Roman numerals: quarters and stages («II квартал», «I этап»), written in Latin capitals in Russian too.
ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
#: Data, not words: addresses (e-mail, web, a file name with an extension) are cut out of the text before the check.
DATA = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail address
    r"|\bhttps?://\S+"  # web address
    r"|\b[\w-]+\.(pdf|xlsx|xls|csv|ics|docx?|odt|png|jpe?g)\b"  # a file's name
    r"|\b([a-z0-9-]+\.)+(com|ru|org|net|local)\b"  # a host's name
    r"|\b[0-9a-f]{16,}\b",  # a digest (SHA-256) or a token
    re.IGNORECASE,
)
LATIN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
#: Attributes whose text a user sees or hears (a tooltip, a placeholder, a screen reader's label, a button's value).
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}


def latin_words(text: str, data: Iterable[str] = ()) -> list[str]:
    """The Latin-letter words of `text` that are neither allowed nor data, in order of appearance, each once.
    `data`: strings the test college holds (names, logins, competency codes) that are cut out of the text first,
    each only where it stands alone (the code «E» is not cut out of «E-mail», nor «A» out of «SHA-256»)."""
    for value in sorted(set(data), key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", " ", text)
    found: dict[str, None] = {}
    for word in LATIN_WORD.findall(DATA.sub(" ", text)):
        if word not in ALLOWED_LATIN and not ROMAN.match(word):
            found[word] = None
    return list(found)


class _PageParser(HTMLParser):
    """The links (a[href]) and the visible text of a page: no <script>, <style>, <template>, no markup."""

    INVISIBLE = {"script", "style", "template", "head"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self.title: list[str] = []
        self.options: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.text.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
            self.text.append(values["value"] or "")
        if tag == "option":
            self.options.append("")
        if tag not in self.VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title.append(data)  # shown as the window's and the tab's name
        elif not self.INVISIBLE.intersection(self._stack):
            self.text.append(data)
            if "option" in self._stack and self.options:
                self.options[-1] += data


@dataclasses.dataclass
class Parsed:
    links: list[str]
    text: str
    options: list[str]  # the text of each <option>


def parse_page(html: str) -> Parsed:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return Parsed(links=parser.links, text=" ".join(parser.title + parser.text), options=parser.options)


#: The blank choice Django and django-filter label «---------» unless told otherwise: not Latin, not a word either;
#: a Russian form says what choosing nothing means («все», «не выбрано»).
DASHES = re.compile(r"^\s*-{3,}\s*$")


# ---------------------------------------------------------------- the crawl


def pattern_of(url: str) -> str:
    """The URL's pattern: its route and the sorted names of its query parameters."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return route + (" ?" + "&".join(keys) if keys else "")


def internal(href: str, base: str) -> str | None:
    """The path and query of an internal link, without its fragment; None for another site, mailto:, a bare #."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + query if query else "")


@dataclasses.dataclass
class Answer:
    """What a GET answered, after following the redirects within the site."""

    status: int
    content_type: str
    final_url: str
    html: str | None  # the body of a 200 text/html answer


@dataclasses.dataclass
class Crawl:
    """One role's crawl. `problems` lists what is wrong, one line each, naming the page."""

    role: str
    client: Client
    pages_dir: Path
    start: str = "/"
    data: tuple[str, ...] = ()  # the test college's own strings in Latin letters (latin_words)
    pages: dict[str, Path] = dataclasses.field(default_factory=dict)  # visited URL → the saved HTML
    links: set[str] = dataclasses.field(default_factory=set)  # distinct link targets checked
    problems: list[str] = dataclasses.field(default_factory=list)
    _answers: dict[str, Answer] = dataclasses.field(default_factory=dict)

    def get(self, url: str) -> Answer:
        if url not in self._answers:
            self._answers[url] = self._get(url)
        return self._answers[url]

    def _get(self, url: str, hops: int = 5) -> Answer:
        response: HttpResponse = self.client.get(url)
        status = response.status_code
        if status in {301, 302, 303, 307, 308} and hops:
            target = internal(response["Location"], url)
            if target is not None:
                return self.get(target) if target != url else Answer(status, "", url, None)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        html = None
        if status == 200 and content_type == "text/html" and not getattr(response, "streaming", False):
            html = response.content.decode(response.charset or "utf-8")
        return Answer(status, content_type, url, html)

    def run(self) -> Crawl:
        queue = collections.deque([self.start])
        queued = {self.start}
        visits: collections.Counter[str] = collections.Counter()
        while queue:
            url = queue.popleft()
            pattern = pattern_of(url)
            if visits[pattern] >= VISITS_PER_PATTERN:
                continue
            answer = self.get(url)
            if answer.status != 200:
                if url == self.start:
                    self.problems.append(f"{url}: the first page answers {answer.status}")
                continue  # the page that links here has said so
            if answer.html is None or answer.final_url in self.pages or _not_crawled(answer.final_url):
                continue  # a download, a page seen under another address, or the admin
            if answer.final_url != url and visits[pattern_of(answer.final_url)] >= VISITS_PER_PATTERN:
                continue
            visits[pattern_of(answer.final_url)] += 1
            for link in self.visit(answer.final_url, answer.html):
                if link not in queued and not _not_crawled(link):
                    queued.add(link)
                    queue.append(link)
        return self

    def visit(self, url: str, html: str) -> list[str]:
        """Check one page, save it for the validator, and return its internal links."""
        path = self.pages_dir / self.role / f"{len(self.pages):03d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.pages[url] = path
        parsed = parse_page(html)
        words = latin_words(parsed.text, self.data)
        if words:
            self.problems.append(f"{url}: Latin words {', '.join(words[:15])}{' …' if len(words) > 15 else ''}")
        if any(DASHES.match(option) for option in parsed.options):
            self.problems.append(f"{url}: a choice reads «---------»")
        links = []
        for href in dict.fromkeys(parsed.links):
            link = internal(href, url)
            if link is None or link.startswith(NEVER_REQUESTED):
                continue
            links.append(link)
            self.links.add(link)
            answer = self.get(link)
            if answer.status in REFUSALS or answer.status >= 500:
                self.problems.append(f"{url}: the link {link} answers {answer.status}")
            elif answer.final_url.startswith("/accounts/login/") and self.role != "anonymous":
                self.problems.append(f"{url}: the link {link} sends the user to the login page")
        return links


def _not_crawled(url: str) -> bool:
    return url.startswith(NOT_CRAWLED) or url.startswith(NEVER_REQUESTED)


# ---------------------------------------------------------------- the W3C Nu validator


def vnu_command() -> list[str] | None:
    """The validator's command line, or None when Java or the jar (`npm ci` installs it) is missing."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        return None
    return [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def vnu_errors(command: list[str], folder: Path) -> list[dict]:
    """The validator's errors for every .html file under `folder`, each with its file's path in `file`."""
    result = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=600, check=False)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"the validator failed (exit {result.returncode}):\n{result.stderr[-2000:]}") from None
    errors = []
    for message in messages:
        if message.get("type") in {"error", "non-document-error"}:
            message["file"] = Path(urlsplit(message.get("url", "")).path)
            errors.append(message)
    return errors
