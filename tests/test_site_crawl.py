"""Every page every role can reach answers, speaks Russian, is valid HTML, and shows no link that refuses its reader.

For each role of the test college (tests/world.py with the planning data of tests/planning/world.py, and a signed
protocol and a marked item with its evidence file added here) a session starts on the dashboard (anonymous: on
the login page) and follows every internal link, GET only (tests/crawl.py says how the crawl is bounded). On every
page it visits:

- the page answers 200;
- no link on it answers 403, 404 or 405 to the same role, or sends it to the login page (each distinct link target
  is requested once per role, downloads included);
- its visible text (with the titles, placeholders and labels a user sees or hears) has no Latin-letter word
  outside the short allow-list of tests/crawl.py;
- its HTML has no error by the W3C Nu validator (`vnu-jar` from npm, `npm ci`; Java from Debian,
  default-jre-headless), run once over all saved pages at the end. Without Java or the jar that part is skipped,
  except on CI (CI=true), where it fails.

There is no list of pages here: a page added later is crawled as soon as some page links to it. The test runs once
per session (it is not `dated`: what it checks does not depend on the day, and it takes a while); the number of
pages and links it checked per role is printed at the end of the run (tests/conftest.py, `summary`).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from attestation.models import Competency
from attestation.services.records import category_save
from planning import selectors, services
from planning.models import ItemStatus
from structure import services as structure_services
from structure.models import ActionKind, Person, User
from tests.crawl import Crawl, internal, latin_words, parse_page, pattern_of, vnu_command, vnu_errors
from tests.factories import signed_order
from tests.security import upload_samples
from tests.test_visibility_matches_rules import add_visibility_cases
from tests.world import ROLES, client_for

# The world of tests/test_visibility_matches_rules.py: each role has things it may and may not open (plans of
# others, a lab the researcher has left, an order on approval), so a link to something refused would show.
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=8, extend=add_visibility_cases)]


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def complete(world) -> None:
    """What the world lacks for the crawl to meet every kind of page: a signed protocol (its PDF and its
    verification page), an executed item with an evidence file (made in the test: the file must be under the
    test's MEDIA_ROOT), the teacher's absence period and category, and a member of the lab included by an order
    that does not name the external researcher, who sees the lab's page but not that order."""
    people = world.people
    include = {"kind": ActionKind.INCLUDE, "unit": world.lab, "person": people["secretary"]}
    signed_order(people["director"], people["deputy"], [include], title="О включении в состав лаборатории")
    meeting = services.meeting_create(unit=world.council, year=world.year, date=world.today, created_by=people["chair"])
    services.attendance_set(
        meeting=meeting, rows=[(person, True, "") for person, _present, _reason in selectors.attendance_rows(meeting)]
    )
    item = services.agenda_add(meeting=meeting, title="О плане работы ПЦК", plan=world.association_plan)
    services.agenda_update(item=item, title=item.title, plan=world.association_plan, decided="Рекомендовать план.")
    services.protocol_sign(meeting=meeting, person=people["chair"])
    services.protocol_sign(meeting=meeting, person=people["secretary"])
    services.item_mark(
        item=world.teacher_item,
        status=ItemStatus.DONE,
        report="Урок проведён",
        evidence_file=SimpleUploadedFile("Фото доски.png", upload_samples.png()),
    )
    # The teacher's record for attestation: an absence period and a category, so the person page shows them to whom
    # it may and the pages that change them are crawled (by the deputy and the methodist).
    structure_services.absence_save(
        person=people["teacher"], kind="parental", start=world.today - timedelta(days=400), end=world.today
    )
    category_save(person=people["teacher"], kind="first", set_on=world.today - timedelta(days=365))


def client_of(world, role: str) -> Client:
    return Client() if role == "anonymous" else client_for(world, role)


def latin_data() -> tuple[str, ...]:
    """The test college's own strings in Latin letters, which are data, not words of the interface: the logins
    (`teacher`, shown where a person's account is), the surnames made of them («Фамилия-mo_head») and the codes of
    the professional standard's functions («A/01.6»)."""
    logins = User.objects.values_list("username", flat=True)
    surnames = Person.objects.filter(last_name__regex=r"[A-Za-z]").values_list("last_name", flat=True)
    codes = Competency.objects.values_list("code", flat=True).distinct()
    return (*surnames, *logins, *codes)


CANARY = '<!doctype html><html lang="ru"><head><title>Т</title></head><body><p>Нет<div></p></body></html>'


class _LaidOutElsewhere:
    """WeasyPrint's HTML, without the layout: the crawl asks whether a PDF link answers, and the PDF's template is
    still rendered (a fault in it answers 500); what the PDFs hold is tested by their own tests. A third of the
    crawl's time otherwise."""

    def __init__(self, **kwargs) -> None:
        pass

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7\n%%EOF\n"


#: The roles are crawled in two halves, two tests that pytest-xdist runs side by side (the crawl is the suite's
#: longest test; tests/conftest.py starts it first).
PARTS = 2


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"half-{part + 1}")
def test_every_page_of_every_role(world, tmp_path: Path, request, monkeypatch, part: int) -> None:
    monkeypatch.setattr("metodservice.common.pdf.HTML", _LaidOutElsewhere)
    complete(world)
    started = time.monotonic()
    pages_dir, data = tmp_path / "pages", latin_data()
    crawls = []
    for role in ROLES[part::PARTS]:
        start = "/accounts/login/" if role == "anonymous" else "/"
        crawl = Crawl(role=role, client=client_of(world, role), pages_dir=pages_dir, start=start, data=data)
        crawls.append(crawl.run())
    crawled = time.monotonic() - started

    problems = [f"{crawl.role}: {problem}" for crawl in crawls for problem in crawl.problems]
    command = vnu_command()
    if command is not None:
        # A page known to be invalid goes along: the validator must name it, or the run proves nothing.
        canary = pages_dir / "canary.html"
        canary.write_text(CANARY, encoding="utf-8")
        by_file = {path: (crawl.role, url) for crawl in crawls for url, path in crawl.pages.items()}
        invalid: dict[tuple[str, str], list[str]] = defaultdict(list)
        errors = vnu_errors(command, pages_dir)
        assert any(error["file"] == canary for error in errors), "the validator did not report the invalid page"
        for error in errors:
            if error["file"] == canary:
                continue
            role, url = by_file.get(error["file"], ("?", str(error["file"])))
            invalid[(role, url)].append(f"line {error.get('lastLine', '?')}: {error['message']}")
        problems += [f"{role}: {url}: invalid HTML: {'; '.join(found)}" for (role, url), found in invalid.items()]

    pages, links = sum(len(c.pages) for c in crawls), sum(len(c.links) for c in crawls)
    validated = "validated by vnu" if command is not None else "NOT validated (no Java or vnu.jar)"
    report = [f"site crawl, half {part + 1}: {pages} pages and {links} links checked in {crawled:.0f} s, {validated}"]
    report += [f"  {c.role}: {len(c.pages)} pages, {len(c.links)} links" for c in crawls]
    request.node.user_properties += [("summary", line) for line in report]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert all(crawl.pages for crawl in crawls)
    if command is None:
        message = "vnu.jar or Java missing: run `npm ci --ignore-scripts` and apt-get install default-jre-headless"
        if _on_ci():
            pytest.fail(message + " (required on CI)", pytrace=False)
        pytest.skip(message)


def test_admin_index_speaks_russian(world) -> None:
    """The Django admin is not crawled (its pages are Django's); its index, the administrator's first page, is
    checked for English words here."""
    response = client_for(world, "admin").get("/admin/")
    assert response.status_code == 200
    assert latin_words(parse_page(response.content.decode()).text, latin_data()) == []


# ---------------------------------------------------------------- the crawl's own tools


def test_latin_words_are_found_outside_the_allow_list_and_the_data() -> None:
    text = (
        "Скачать PDF и XLSX · iCal · II квартал · SHA-256: 9f86d081884c7d659a2feaa0c55ad015 · почта ivanova@example.org"
        " · http://fileserver/x · отчёт.docx · Фамилия-mo_head · Submitted by Иванова; - Select an option -"
    )
    assert latin_words(text, data=["Фамилия-mo_head"]) == ["Submitted", "by", "Select", "an", "option"]


def test_the_parser_reads_what_a_user_sees_and_the_links() -> None:
    html = (
        '<html><head><title>Планы</title><style>p{x:y}</style><script>var a = "b";</script></head><body>'
        '<a href="/x/?b=2&a=1#top" title="Open">План</a><input type="submit" value="Save">'
        '<input placeholder="Type here"><select><option value="">---------</option><option>все</option></select>'
        "<template><p>hidden</p></template></body></html>"
    )
    page = parse_page(html)
    assert page.links == ["/x/?b=2&a=1#top"]
    assert latin_words(page.text) == ["Open", "Save", "Type", "here"]
    assert page.options == ["---------", "все"]


def test_a_url_pattern_is_its_route_and_query_names() -> None:
    assert pattern_of("/structure/people/12/") == "structure/people/<int:pk>/"
    assert pattern_of("/planning/plans/?year=2&page=3") == pattern_of("/planning/plans/?page=9&year=1")
    assert internal("edit/#top", "/structure/people/12/") == "/structure/people/12/edit/"
    assert internal("https://example.org/", "/") is None
    assert internal("mailto:a@b.ru", "/") is None
