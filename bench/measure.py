"""The in-process half of the benchmark: which pages each role has, and what each costs (Django's test client).

Runs inside Django (bench/settings.py on a generated database: `python -m bench.run measure`, which bench/run.py
starts once per scale). Three steps:

1. **Discovery** (`discover`): for each account (the demo's usernames), the main pages — the dashboard and the
   pages of its menu (metodservice.navigation, by the same rules as the menu itself) — and, from the links those
   pages show, one page of each kind of detail (an order, a plan, a meeting, a person…: a URL whose route ends in
   an object's key), measured with the first account that reaches it. The links of the main and the detail pages
   give the exports (routes with `export` or `xlsx`) and the documents (routes ending in `pdf/` or `.pdf`).
2. **Timing** (`time_url`): warm-up requests, one request whose SQL statements are counted (not timed: counting
   slows it), then the timed ones; status, size, queries, median and p95, and the ratio to the floor's median
   (bench/urls.py) timed in the same process.
3. **Documents** (`time_document`): the PDF response timed as a page, with the HTML it rendered recorded on the
   way (metodservice.common.pdf.HTML wrapped), then WeasyPrint alone on that HTML, as many times.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from bench import report

FLOOR_URL = "/bench/floor/"
#: Never requested: leaving the session, the admin, files.
SKIPPED = ("/accounts/", "/admin/", "/media/", "/static/", FLOOR_URL)
#: A detail page of each kind is tried at most this many times (a link may answer 403 to whoever tries it).
DETAIL_TRIES = 3


# ---------------------------------------------------------------- links and kinds of URLs


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    """The internal links of a page (path and query, no fragment), each once, in order."""
    parser = _Links()
    parser.feed(html)
    found: dict[str, None] = {}
    for href in parser.hrefs:
        parts = urlsplit(urljoin("http://testserver" + base, href.strip()))
        if parts.scheme not in {"http", "https"} or parts.netloc != "testserver" or href.startswith("#"):
            continue
        url = parts.path + ("?" + parts.query if parts.query else "")
        if not url.startswith(SKIPPED):
            found[url] = None
    return list(found)


def kind_of(url: str) -> tuple[str, str] | None:
    """("document" | "export" | "detail", view name) for a URL the benchmark measures, else None."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    route = match.route
    if route.endswith(("pdf/", ".pdf")):
        return "document", match.view_name
    if "export" in route or "xlsx" in route:
        return "export", match.view_name
    if route.endswith(">/") and not parts.query:
        return "detail", match.view_name
    return None


# ---------------------------------------------------------------- the accounts and their main pages


def accounts(usernames: Iterable[str] | None = None) -> list[tuple[str, object]]:
    """(role, user) for each of the demo's usernames that exists, in the demo's order; the role is the username."""
    from structure.demo_data import USERNAMES
    from structure.models import User

    wanted = list(usernames or USERNAMES)
    users = {user.username: user for user in User.objects.filter(username__in=wanted, is_active=True)}
    return [(name, users[name]) for name in wanted if name in users]


def main_pages(user) -> list[tuple[str, str, str]]:
    """(view name, URL, label) of the user's dashboard and menu pages, labels in English (the msgids)."""
    from metodservice.navigation import menu_for

    pages = [("dashboard", "/", "Dashboard")]
    with translation.override("en"):
        for area in menu_for(user, ""):
            for item in area.items:
                pages.append((resolve(item["url"]).view_name, item["url"], str(item["label"])))
    return pages


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _get(client: Client, url: str, hops: int = 3):
    """GET following redirects within the site: (final URL, response)."""
    response = client.get(url)
    while response.status_code in {301, 302, 303, 307, 308} and hops:
        target = urlsplit(urljoin("http://testserver" + url, response["Location"]))
        if target.netloc != "testserver":
            break
        url, hops = target.path + ("?" + target.query if target.query else ""), hops - 1
        response = client.get(url)
    return url, response


def _html(response) -> str | None:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code != 200 or content_type != "text/html" or getattr(response, "streaming", False):
        return None
    return response.content.decode(response.charset or "utf-8")


@dataclasses.dataclass
class Target:
    """One URL to measure, with the role that measures it."""

    kind: str  # main | detail | export | document
    view: str
    url: str
    role: str
    label: str
    variant: str = ""  # "largest": chosen from the data, not from a page's first link

    @property
    def key(self) -> str:
        if self.kind == "main":
            return f"{self.view}|{self.role}"
        return f"{self.view}|{self.variant}" if self.variant else self.view


@dataclasses.dataclass
class Discovery:
    main: list[Target] = dataclasses.field(default_factory=list)
    details: dict[str, Target] = dataclasses.field(default_factory=dict)  # view name → the one measured
    exports: dict[str, Target] = dataclasses.field(default_factory=dict)
    documents: dict[str, Target] = dataclasses.field(default_factory=dict)
    #: role → the detail pages that role reached, {"url", "name": view name} (the load run's mix)
    details_of: dict[str, list[dict]] = dataclasses.field(default_factory=dict)

    def main_of(self, role: str) -> list[Target]:
        return [target for target in self.main if target.role == role]


def discover(roles: list[tuple[str, object]]) -> Discovery:
    """The main pages of every role, one detail page of each kind reachable from them, and the exports and
    documents linked from both (see the module's docstring)."""
    found = Discovery()
    for role, user in roles:
        client = client_for(user)
        candidates: list[tuple[str, str]] = []  # (view, url) of details, in the order the main pages show them
        for view, url, label in main_pages(user):
            final, response = _get(client, url)
            found.main.append(Target("main", view, final, role, label))
            html = _html(response)
            if html is None:
                continue
            for link in links_of(html, final):
                kind = kind_of(link)
                if kind is None:
                    continue
                if kind[0] == "detail":
                    candidates.append((kind[1], link))
                else:
                    _note_download(found, kind, link, role)
        by_view: dict[str, list[str]] = {}
        for view, url in candidates:
            if url not in by_view.setdefault(view, []):
                by_view[view].append(url)
        reached: list[dict] = []
        for view, urls in by_view.items():
            for url in urls[:DETAIL_TRIES]:
                html = _html(client.get(url))
                if html is None:
                    continue  # refused to this role, or not a page: the next link of the kind
                reached.append({"url": url, "name": view})
                if view not in found.details:
                    found.details[view] = Target("detail", view, url, role, view)
                    for link in links_of(html, url):
                        kind = kind_of(link)
                        if kind is not None and kind[0] != "detail":
                            _note_download(found, kind, link, role)
                break
        found.details_of[role] = reached
    return found


def fixed_targets(roles: list[tuple[str, object]]) -> tuple[list[Target], list[Target]]:
    """The documents and the page the first links do not reliably reach: the approved plan with the most items (its
    page, its PDF as it stands, its approved version's PDF stored when approved) and the signed order with the most
    actions (its PDF, stored when signed), each measured by the first role allowed to see it. (details, documents)"""
    import rules
    from django.db.models import Count
    from django.urls import reverse

    from planning.models import Plan, PlanStatus
    from structure.models import Order, OrderStatus

    details, documents = [], []
    plan = Plan.objects.filter(status=PlanStatus.APPROVED).annotate(size=Count("items")).order_by("-size", "pk").first()
    order = (
        Order.objects.filter(status=OrderStatus.SIGNED)
        .annotate(size=Count("clauses__actions"))
        .order_by("-size", "-pk")
        .first()
    )
    version = plan.versions.filter(number=plan.version).first() if plan is not None else None
    for obj, perm, views in (
        (plan, "planning.view_plan", [("planning:plan_detail", details), ("planning:plan_pdf", documents)]),
        (order, "structure.view_order", [("structure:order_pdf", documents)]),
    ):
        if obj is None:
            continue
        role = next((role for role, user in roles if rules.has_perm(perm, user, obj)), None)
        if role is None:
            continue
        what = "the largest approved plan" if obj is plan else "the largest signed order"
        for view, found in views:
            kind = "detail" if found is details else "document"
            found.append(Target(kind, view, reverse(view, args=[obj.pk]), role, f"{view}, {what}", "largest"))
        if obj is plan and version is not None:
            url = reverse("planning:version_pdf", args=[plan.pk, version.number])
            documents.append(Target("document", "planning:version_pdf", url, role, f"planning:version_pdf, {what}",
                                    "largest"))  # fmt: skip
    return details, documents


def _note_download(found: Discovery, kind: tuple[str, str], url: str, role: str) -> None:
    registry = found.exports if kind[0] == "export" else found.documents
    if kind[1] not in registry:
        registry[kind[1]] = Target(kind[0], kind[1], url, role, kind[1])


# ---------------------------------------------------------------- timing


def _fetch(client: Client, url: str):
    """One GET, read to the end (a streamed export is timed until its last byte): (response, body size)."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response, size


def time_url(client: Client, url: str, *, requests: int, warmup: int, floor_ms: float | None = None) -> dict:
    """Warm-up, one counted request, `requests` timed ones: status, content type, size, queries, median, p95."""
    for _ in range(warmup):
        _fetch(client, url)
    with CaptureQueriesContext(connection) as queries:
        response, size = _fetch(client, url)
    count = len(queries.captured_queries)  # now: the next request empties the connection's log
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        _fetch(client, url)
        samples.append(time.perf_counter() - started)
    row = {
        "url": url,
        "status": response.status_code,
        "content_type": response.get("Content-Type", "").split(";")[0].strip(),
        "bytes": size,
        "kb": round(size / 1024, 1),
        "queries": count,
        **report.summary(samples),
    }
    x_floor = report.ratio(row["median_ms"], floor_ms)
    row["x_floor"] = None if x_floor is None else round(x_floor, 2)
    return row


class _RecordingHTML:
    """Stands for weasyprint.HTML inside metodservice.common.pdf: records the HTML and base URL of the last document
    laid out in this process and lays it out with the real WeasyPrint."""

    def __init__(self, real: Callable) -> None:
        self.real = real
        self.html: str | None = None
        self.base_url: str | None = None

    def __call__(self, *args, **kwargs):
        self.html, self.base_url = kwargs.get("string"), kwargs.get("base_url")
        return self.real(*args, **kwargs)


def _store_fixed(view: str, kwargs: dict) -> bool:
    """A signed order's and an approved plan version's PDF are rendered once, when fixed, by the document worker
    (or `manage.py store_documents`), and served as stored. The generator leaves that queue to a worker that does
    not run here: the one document measured is stored now, as the worker would. True when one was stored."""
    from django.db.models import F

    if view == "structure:order_pdf":
        from structure.models import Order
        from structure.tasks import store_order_pdf

        order = Order.objects.filter(pk=kwargs["pk"]).first()
        if order is not None and order.is_signed and not order.pdf:
            store_order_pdf.call(order.pk)
            return True
    elif view == "planning:version_pdf":
        from planning.models import PlanStatus, PlanVersion
        from planning.tasks import store_version_pdf

        version = PlanVersion.objects.filter(
            plan_id=kwargs["pk"],
            number=kwargs["number"],
            plan__version=F("number"),
            plan__status=PlanStatus.APPROVED,
            pdf="",
        ).first()
        if version is not None:
            store_version_pdf.call(version.pk)
            return True
    return False


def _answer(row: dict) -> str:
    if row["content_type"] == "application/pdf":
        return "PDF"
    if row["status"] in {301, 302, 303}:
        return "job page" if row.get("location_view") == "document_job" else f"redirect to {row.get('location_view')}"
    return f"{row['status']} {row['content_type']}"


def time_document(client: Client, url: str, *, requests: int, warmup: int) -> dict:
    """A document: the web request timed as a page (the time it holds a web worker), then the layout of the
    document's HTML as the document worker does it (metodservice.common.pdf.html_to_pdf) and WeasyPrint alone on
    the same HTML (`HTML(string=html, base_url=…).write_pdf()`), as many times each.

    The request answers with the job's page (the document rendered to HTML in the request, laid out by the
    worker: the HTML is read from the job), with the stored PDF of a fixed document (its HTML is recorded when it
    is stored, here), or with the PDF itself (rendered in the request: recorded on the way)."""
    import weasyprint
    from django.conf import settings

    from metodservice.common import pdf
    from metodservice.common.models import DocumentJob

    match = resolve(urlsplit(url).path)
    last_job = DocumentJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    since = timezone.now()
    fixing, serving = _RecordingHTML(weasyprint.HTML), _RecordingHTML(weasyprint.HTML)
    with mock.patch.object(pdf, "HTML", fixing):
        _store_fixed(match.view_name, match.kwargs)
    with mock.patch.object(pdf, "HTML", serving):
        row = time_url(client, url, requests=requests, warmup=warmup)
        response = client.get(url)
    if response.status_code in {301, 302, 303}:
        try:
            row["location_view"] = resolve(urlsplit(response["Location"]).path).view_name
        except Resolver404:
            row["location_view"] = response["Location"]
    row["answer"] = _answer(row)
    if row["answer"] == "PDF" and serving.html is None:
        row["answer"] = "stored PDF"  # nothing laid out while serving it
    job = DocumentJob.objects.filter(pk__gt=last_job).exclude(html="").order_by("-pk").first()
    if job is not None:
        html, base_url = job.html, str(settings.BASE_DIR)
    else:
        recorded = serving if serving.html is not None else fixing
        html, base_url = recorded.html, recorded.base_url
    _forget_jobs(last_job, since)
    row["html_kb"] = round(len(html or "") / 1024, 1)
    row.update(layout_ms=None, weasyprint_ms=None, x_weasyprint=None)
    if html is None:
        return row
    pdf.html_to_pdf(html)  # warm: fonts, the stylesheet
    layout, bare = [], []
    for _ in range(requests):
        started = time.perf_counter()
        pdf.html_to_pdf(html)
        layout.append(time.perf_counter() - started)
        started = time.perf_counter()
        weasyprint.HTML(string=html, base_url=base_url).write_pdf()
        bare.append(time.perf_counter() - started)
    row["layout_ms"] = report.summary(layout)["median_ms"]
    row["weasyprint_ms"] = report.summary(bare)["median_ms"]
    if row["answer"] == "job page":
        # the whole document: its HTML in the request (with the job recorded), its layout by the worker
        total = row["median_ms"] + row["layout_ms"]
    elif row["answer"] == "PDF":
        total = row["median_ms"]
    else:
        total = None  # a stored PDF costs its layout once, when fixed
    x = report.ratio(total, row["weasyprint_ms"])
    row["x_weasyprint"] = None if x is None else round(x, 2)
    return row


def _forget_jobs(after: int, since) -> None:
    """The jobs the measurement queued (no worker runs here) and their entries in the queue go."""
    from django_tasks_db.models import DBTaskResult

    from metodservice.common.models import DocumentJob

    DocumentJob.objects.filter(pk__gt=after).delete()
    DBTaskResult.objects.filter(task_path__endswith=".render_document", enqueued_at__gte=since).delete()


def time_floor(user, *, requests: int, warmup: int) -> dict:
    return time_url(client_for(user), FLOOR_URL, requests=requests, warmup=warmup)


# ---------------------------------------------------------------- one scale


def _write_targets(roles: list[tuple[str, object]], per_role: int = 4) -> dict[str, list[dict]]:
    """What each role writes in the load run, through the real forms: marks an item of an approved plan it is
    responsible for, edits an item of a plan it may change, records the status of a decision it answers for."""
    import rules
    from django.urls import reverse

    from planning.models import EDITABLE_PLAN_STATUSES, Decision, DecisionStatus, PlanItem
    from structure.models import Person

    writes: dict[str, list[dict]] = {}
    for role, user in roles:
        person = Person.objects.filter(user=user).first()
        if person is None:
            continue
        found: list[dict] = []
        marks = PlanItem.objects.filter(responsible=person).select_related("plan").order_by("-plan__year__start", "pk")
        for item in marks[:50]:
            if rules.has_perm("planning.mark_item", user, item):
                found.append({"kind": "mark_item", "url": reverse("planning:item_mark", args=[item.plan_id, item.pk])})
                if len(found) >= per_role:
                    break
        edits = PlanItem.objects.filter(plan__status__in=EDITABLE_PLAN_STATUSES).select_related("plan")
        edits = edits.filter(responsible=person).order_by("-plan__year__start", "pk")
        count = 0
        for item in edits[:50]:
            if rules.has_perm("planning.change_plan", user, item.plan):
                found.append({"kind": "edit_item", "url": reverse("planning:item_edit", args=[item.plan_id, item.pk])})
                count += 1
                if count >= per_role:
                    break
        decisions = Decision.objects.filter(responsible=person, status=DecisionStatus.OPEN)
        count = 0
        for decision in decisions.select_related("agenda_item__meeting__unit").order_by("-pk")[:50]:
            if rules.has_perm("planning.mark_decision", user, decision):
                found.append({"kind": "mark_decision", "url": reverse("planning:decision_mark", args=[decision.pk])})
                count += 1
                if count >= per_role:
                    break
        if found:
            writes[role] = found
    return writes


def measure_scale(
    *, requests: int, warmup: int, doc_requests: int, usernames: list[str] | None = None, log: Callable = print
) -> dict:
    """Discover and time everything for the database DATABASE_URL names; the load run's plan too."""
    roles = accounts(usernames)
    if not roles:
        raise SystemExit("none of the demo's accounts is in this database: was the generator run?")
    by_role = dict(roles)
    started = time.monotonic()
    found = discover(roles)
    log(
        f"  discovered {len(found.main)} main pages of {len(roles)} roles, {len(found.details)} kinds of detail, "
        f"{len(found.exports)} exports, {len(found.documents)} documents ({time.monotonic() - started:.0f} s)"
    )
    largest_details, largest_documents = fixed_targets(roles)
    floor_user = by_role.get("teacher") or roles[0][1]
    floor = time_floor(floor_user, requests=max(requests, 50), warmup=warmup)
    log(f"  floor: {floor['median_ms']:.1f} ms, {floor['queries']} queries")

    clients: dict[str, Client] = {}

    def client(role: str) -> Client:
        if role not in clients:
            clients[role] = client_for(by_role[role])
        return clients[role]

    def row(target: Target, measured: dict) -> dict:
        return {"key": target.key, "kind": target.kind, "view": target.view, "role": target.role,
                "label": target.label, **measured}  # fmt: skip

    pages, exports, documents = [], [], []
    targets = [*found.main, *found.details.values(), *largest_details]
    for number, target in enumerate(targets, 1):
        measured = time_url(client(target.role), target.url, requests=requests, warmup=warmup,
                            floor_ms=floor["median_ms"])  # fmt: skip
        pages.append(row(target, measured))
        log(f"  [{number}/{len(targets)}] {target.role} {target.url}: {measured['status']}, "
            f"{measured['queries']} q, {measured['median_ms']:.1f} ms")  # fmt: skip
    for target in found.exports.values():
        measured = time_url(client(target.role), target.url, requests=requests, warmup=warmup,
                            floor_ms=floor["median_ms"])  # fmt: skip
        exports.append(row(target, measured))
        log(f"  export {target.url}: {measured['status']}, {measured['median_ms']:.0f} ms")
    for target in [*found.documents.values(), *largest_documents]:
        measured = time_document(client(target.role), target.url, requests=doc_requests, warmup=1)
        documents.append(row(target, measured))
        log(f"  document {target.url}: {measured['answer']}, request {measured['median_ms']:.0f} ms, "
            f"layout {measured['layout_ms']} ms, WeasyPrint {measured['weasyprint_ms']} ms")  # fmt: skip
    return {
        "floor": floor,
        "pages": pages,
        "exports": exports,
        "documents": documents,
        "load_plan": {
            "pages": {
                role: [{"url": t.url, "name": t.view} for t in found.main_of(role) if _ok(pages, t)]
                for role, _user in roles
            },
            "details": found.details_of,
            "writes": _write_targets(roles),
        },
        "seconds": round(time.monotonic() - started),
    }


def _ok(pages: list[dict], target: Target) -> bool:
    return any(page["key"] == target.key and page["status"] == 200 for page in pages)
