"""Views of experience/: the life of an experience item.

- «Мой опыт» (`item_mine`): the user's items (author or co-author) in every status, returned ones first with the
  comment to answer; «На рецензию» (`item_review_queue`): the submitted items of the associations the user heads;
  the methodist's list of items in progress (`item_progress`), filtered by step, kind, association and direction.
- An item's page (`item_detail`): everything it holds — authors, the register card's fields, files (downloaded through
  `item_file`, never from MEDIA_ROOT) and links, the reviews with their rubric, the council's question with a link
  to its meeting, the stage line of generalised experience, the change log — and the actions the user may take.
- Filing and editing (`item_create`, `item_edit`), deleting after a confirmation page (`item_delete`); outside
  experience (`item_external_create`); submitting, reviewing, the council's agenda and outcome, publishing and
  unpublishing; the stages; files and links; the item's register card as a PDF (`item_card_pdf`).

An item out of the user's reach answers 404; an action the user may not take 403; a refusal of the service comes back
as a message (or on the form's fields) with nothing written.
"""

from __future__ import annotations

import datetime

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common import uploads
from metodservice.common.documents import document_response
from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from planning.signing import protocol_verification
from structure.selectors import roles_of
from structure.viewtools import me as _me

from ..forms.items import (
    CouncilForm,
    ExternalItemForm,
    FileForm,
    ItemForm,
    LinkForm,
    OutcomeForm,
    ProgressFilterForm,
    ReviewForm,
    StageForm,
    UnpublishForm,
)
from ..models import (
    RUBRIC,
    RUBRIC_MAX,
    STAGE_ORDER,
    ExperienceItem,
    ItemFile,
    ItemKind,
    ItemLink,
    ItemStage,
    ItemStatus,
    ReviewOutcome,
    Stage,
)
from ..selectors import items as selectors
from ..services import items as services

# ---------------------------------------------------------------- fetching


def _action_queryset():
    return ExperienceItem.objects.select_related("author", "association", "council_question__meeting__unit")


def _visible(request: HttpRequest, pk: int, queryset=None) -> ExperienceItem:
    item = get_object_or_404(queryset if queryset is not None else _action_queryset(), pk=pk)
    if not rules.has_perm("experience.view_item", request.user, item):
        raise Http404
    return item


def _permitted(request: HttpRequest, pk: int, perm: str) -> ExperienceItem:
    item = _visible(request, pk)
    _require(request, perm, item)
    return item


# ---------------------------------------------------------------- lists


@require_GET
def item_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.list_my_items")
    me = _me(request)
    page = _page(request, selectors.my_items(me))
    context = {
        "page": page,
        "returned": selectors.needs_me(roles_of(request.user), today=timezone.localdate())["items_returned"].count(),
    }
    return render(request, "experience/items/mine.html", context)


@require_GET
def item_review_queue(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.list_review_queue")
    page = _page(request, selectors.review_queue(roles_of(request.user)))
    return render(request, "experience/items/review_queue.html", {"page": page})


@require_GET
def item_progress(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.list_items_in_progress")
    form = ProgressFilterForm(request.GET or None)
    filters = form.filters()
    page = _page(request, selectors.items_in_progress(**filters))
    counts = selectors.step_counts()
    steps = [(value, label, counts.get(value)) for value, label in form.fields["step"].choices if value]
    context = {
        "form": form,
        "page": page,
        "steps": steps,
        "step": filters["step"],
        "can_add_external": rules.has_perm("experience.add_external_item", request.user),
    }
    return render(request, "experience/items/progress.html", context)


# ---------------------------------------------------------------- an item


def _stage_line(item: ExperienceItem) -> list[dict]:
    recorded = {row.stage: row for row in item.stages.all()}
    return [{"stage": stage, "label": Stage(stage).label, "row": recorded.get(stage)} for stage in STAGE_ORDER]


def _rubric_rows(review) -> list[tuple[str, int | None]]:
    return [(label, getattr(review, name)) for name, label in RUBRIC]


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk, selectors.item_detail())
    user = request.user
    perms = {
        "change": "experience.change_item",
        "delete": "experience.delete_item",
        "submit": "experience.submit_item",
        "review": "experience.review_item",
        "council": "experience.council_item",
        "uncouncil": "experience.uncouncil_item",
        "outcome": "experience.record_outcome",
        "publish": "experience.publish_item",
        "unpublish": "experience.unpublish_item",
        "stage": "experience.record_stage",
    }
    can = {key: rules.has_perm(perm, user, item) for key, perm in perms.items()}
    reviews = list(item.reviews.all())
    for review in reviews:
        review.rubric = _rubric_rows(review)
    latest_return = next((r for r in reviews if r.outcome == ReviewOutcome.RETURN), None)
    question = item.council_question
    stages = _stage_line(item) if item.kind == ItemKind.GENERALISED else []
    recorded = [row["stage"] for row in stages if row["row"] is not None]
    last_stage = None
    if recorded:
        last_stage = max(item.stages.all(), key=lambda row: STAGE_ORDER.index(Stage(row.stage)))
    context = {
        "item": item,
        "can": can,
        "co_authors": list(item.co_authors.all()),
        "files": list(item.files.all()),
        "links": list(item.links.all()),
        "reviews": reviews,
        "rubric_max": RUBRIC_MAX * len(RUBRIC),
        "latest_return": latest_return if item.status == ItemStatus.RETURNED else None,
        "question": question,
        "meeting": question.meeting if question is not None else None,
        "vote_carries": services.vote_carries(question) if question is not None else None,
        "stages": stages,
        "next_stage": services.next_stage(recorded) if stages else None,
        "last_stage": last_stage,
        "history": history_rows(
            item,
            Related("files", name="title"),
            Related("links", name="url"),
            Related("reviews", name="outcome"),
            Related("stages", name="stage"),
        ),
    }
    return render(request, "experience/items/detail.html", context)


def item_create(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.add_item")
    me = _me(request)
    form = ItemForm(request.POST or None, author=me)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(
                request,
                _("The item has been saved as a draft. Attach its files and links, then submit it for review."),
            )
            return redirect(item)
    return render(request, "experience/items/form.html", {"form": form, "cancel_url": reverse("experience:item_mine")})


def item_external_create(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.add_external_item")
    me = _me(request)
    form = ExternalItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.external_create(by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The outside experience has been published in the catalogue."))
            return redirect(item)
    context = {"form": form, "external": True, "cancel_url": reverse("experience:item_progress")}
    return render(request, "experience/items/form.html", context)


def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    _require(request, "experience.change_item", item)
    me = _me(request)
    form: ItemForm | ExternalItemForm
    if item.is_external:
        form = ExternalItemForm(request.POST or None, item=item)
        update = services.external_update
    else:
        form = ItemForm(request.POST or None, author=item.author, item=item)
        update = services.item_update  # type: ignore[assignment]
    if request.method == "POST" and form.is_valid():
        try:
            update(item=item, by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(item)
    context = {"form": form, "item": item, "external": item.is_external, "cancel_url": item.get_absolute_url()}
    return render(request, "experience/items/form.html", context)


def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.delete_item")
    if request.method == "POST":
        try:
            services.item_delete(item=item, by=_me(request))
        except ValidationError as error:
            _report(request, error)
            return redirect(item)
        messages.success(request, _("The item has been deleted."))
        return redirect("experience:item_progress" if item.is_external else "experience:item_mine")
    context = {"item": item, "files": item.files.count(), "reviews": item.reviews.count()}
    return render(request, "experience/items/confirm_delete.html", context)


# ---------------------------------------------------------------- its way: submit, review, council, publication


@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.submit_item")
    _attempt(
        request,
        lambda: services.item_submit(item=item, by=_me(request)),
        _("The item has been submitted: the head of the association reviews it."),
    )
    return redirect(item)


def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk, selectors.item_detail())
    _require(request, "experience.review_item", item)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.item_review(item=item, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            if review.outcome == ReviewOutcome.RECOMMEND:
                messages.success(request, _("The item is recommended to the methodological council."))
            else:
                messages.success(request, _("The item has been returned to the author with your comment."))
            return redirect("experience:item_review_queue")
    context = {"form": form, "item": item, "files": list(item.files.all()), "links": list(item.links.all())}
    return render(request, "experience/items/review_form.html", context)


def item_council(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.council_item")
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_add(item=item, meeting=form.cleaned_data["meeting"], by=_me(request))
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The item is on the agenda of the methodological council."))
            return redirect(item)
    return render(request, "experience/items/council_form.html", {"form": form, "item": item})


@require_POST
def item_council_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.uncouncil_item")
    _attempt(
        request,
        lambda: services.council_remove(item=item, by=_me(request)),
        _("The item has been taken off the council's agenda."),
    )
    return redirect(item)


def item_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.record_outcome")
    initial = {}
    if item.council_recommends is not None:
        initial["outcome"] = ReviewOutcome.RECOMMEND if item.council_recommends else ReviewOutcome.RETURN
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_outcome(item=item, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(
                request, _("The council's outcome has been recorded; it takes effect when the protocol is signed.")
            )
            return redirect(item)
    question = item.council_question
    context = {"form": form, "item": item, "question": question, "meeting": question.meeting if question else None}
    return render(request, "experience/items/outcome_form.html", context)


@require_POST
def item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.publish_item")
    _attempt(
        request,
        lambda: services.item_publish(item=item, by=_me(request)),
        _("The item has been published in the catalogue."),
    )
    return redirect(item)


def item_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.unpublish_item")
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_unpublish(item=item, by=_me(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The item has left the catalogue; it may be published again."))
            return redirect(item)
    return render(request, "experience/items/unpublish_form.html", {"form": form, "item": item})


# ---------------------------------------------------------------- stages of generalised experience


def item_stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.record_stage")
    me = _me(request)
    recorded = list(item.stages.values_list("stage", flat=True))
    form = StageForm(request.POST or None, next_stage=services.next_stage(recorded), responsible=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_record(item=item, by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The stage has been recorded."))
            return redirect(reverse("experience:item_detail", kwargs={"pk": item.pk}) + "#stages")
    return render(request, "experience/items/stage_form.html", {"form": form, "item": item})


@require_POST
def item_stage_delete(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.record_stage")
    stage = get_object_or_404(ItemStage, pk=stage_pk, item=item)
    _attempt(
        request,
        lambda: services.stage_delete(stage=stage, by=_me(request)),
        _("The stage has been deleted."),
    )
    return redirect(reverse("experience:item_detail", kwargs={"pk": item.pk}) + "#stages")


# ---------------------------------------------------------------- files and links


def _files_url(item: ExperienceItem) -> str:
    return reverse("experience:item_detail", kwargs={"pk": item.pk}) + "#files"


def item_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.change_item")
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_add(item=item, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The file has been uploaded."))
            return redirect(_files_url(item))
    return render(request, "experience/items/file_form.html", {"form": form, "item": item})


def _visible_file(request: HttpRequest, pk: int) -> ItemFile:
    row = get_object_or_404(ItemFile.objects.select_related("item__council_question__meeting"), pk=pk)
    if not rules.has_perm("experience.view_item", request.user, row.item):
        raise Http404
    return row


@require_GET
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """A file of an item, to those who see the item, always as an attachment; a reader's download of a published
    item's file is counted."""
    row = _visible_file(request, pk)
    response = uploads.attachment_response(row.file, kind=uploads.EXPERIENCE_MATERIAL, filename=row.title[:100])
    services.file_downloaded(file=row, by=roles_of(request.user).person)
    return response


def item_file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = _visible_file(request, pk)
    _require(request, "experience.change_item", row.item)
    if request.method == "POST":
        _attempt(request, lambda: services.file_delete(file=row, by=_me(request)), _("The file has been deleted."))
        return redirect(_files_url(row.item))
    return render(request, "experience/items/file_confirm_delete.html", {"file": row, "item": row.item})


def item_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _permitted(request, pk, "experience.change_item")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_add(item=item, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The link has been added."))
            return redirect(_files_url(item))
    return render(request, "experience/items/link_form.html", {"form": form, "item": item})


@require_POST
def item_link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ItemLink.objects.select_related("item__council_question__meeting"), pk=pk)
    if not rules.has_perm("experience.view_item", request.user, link.item):
        raise Http404
    _require(request, "experience.change_item", link.item)
    _attempt(request, lambda: services.link_delete(link=link, by=_me(request)), _("The link has been deleted."))
    return redirect(_files_url(link.item))


# ---------------------------------------------------------------- the register card (PDF, Russian)

#: The document's words for the kinds and levels (the card is printed in Russian whatever the interface language).
KIND_RU = {
    ItemKind.OPEN_LESSON: "открытый урок",
    ItemKind.MASTER_CLASS: "мастер-класс",
    ItemKind.TALK: "выступление на конференции, семинаре",
    ItemKind.PUBLICATION: "публикация",
    ItemKind.PROGRAMME: "методическая разработка: программа",
    ItemKind.GUIDE: "методическая разработка: методическое пособие, рекомендации",
    ItemKind.ASSESSMENT_FUND: "методическая разработка: фонд оценочных средств",
    ItemKind.CASE: "методическая разработка: кейс",
    ItemKind.CONTEST: "профессиональный конкурс",
    ItemKind.GENERALISED: "обобщённый опыт",
}
LEVEL_RU = {
    "college": "техникум",
    "municipal": "муниципальный",
    "regional": "региональный",
    "federal": "федеральный",
    "international": "международный",
}
STAGE_RU = {
    Stage.IDENTIFICATION: "выявление",
    Stage.STUDY: "изучение",
    Stage.GENERALISATION: "обобщение и описание",
    Stage.DISSEMINATION: "распространение",
    Stage.ADOPTION: "внедрение",
}
RUBRIC_RU = {
    "relevance": "актуальность",
    "novelty": "новизна",
    "practical_value": "практическая значимость",
    "presentation": "качество оформления",
}


def frozen_question(item: ExperienceItem) -> dict | None:
    """The item's question as the council's protocol froze it at its first signature (planning.signing
    .protocol_content: title, РЕШИЛИ, votes), found by its position on the agenda (by its title if the positions
    moved); None while nobody has signed. Never the live agenda row: the card prints what was signed."""
    question = item.council_question
    if question is None or question.meeting.snapshot is None:
        return None
    agenda = question.meeting.snapshot.get("agenda") or []
    position = question.position
    if 1 <= position <= len(agenda) and agenda[position - 1].get("title") == question.title:
        return agenda[position - 1]
    return next((row for row in agenda if row.get("title") == question.title), None)


def _votes_text(votes: dict | None) -> str:
    if not votes:
        return ""
    return (
        f"; голосовали: за — {votes.get('for', 0)}, против — {votes.get('against', 0)}, "
        f"воздержались — {votes.get('abstained', 0)}"
    )


def council_decision_text(item: ExperienceItem) -> str:
    """The council's decision as the signed protocol says it (Russian, for the card): its РЕШИЛИ, the protocol's
    number and date and the votes, from the protocol's snapshot (Meeting.snapshot), never from the live agenda row
    nor the item's own fields; before the protocol is signed, that the question is on the agenda."""
    question = item.council_question
    if item.is_external:
        return "не требуется (внешний опыт, включён в каталог методистом)"
    if question is None:
        return "не рассматривался"
    meeting = question.meeting
    if not meeting.is_signed:
        protocol = f"протокол № {meeting.number} от {meeting.date:%d.%m.%Y}"
        return f"вопрос включён в повестку заседания методического совета ({protocol}; протокол не подписан)"
    snapshot = meeting.snapshot or {}
    frozen = frozen_question(item)
    try:
        day = f"{datetime.date.fromisoformat(snapshot['date']):%d.%m.%Y}"
    except (KeyError, TypeError, ValueError):
        day = ""
    if frozen is None or not day:
        return "протокол подписан, но решение по вопросу в подписанном протоколе не найдено"
    protocol = f"протокол № {snapshot.get('number', '')} от {day}"
    decided = (frozen.get("decided") or "").strip() or "решение не записано"
    return f"{decided} ({protocol}{_votes_text(frozen.get('votes'))})"


def council_protocol(item: ExperienceItem) -> dict | None:
    """The signed protocol the card's decision comes from: its hash and the result of checking it (as
    attestation's extract prints them); None when the card prints no signed decision."""
    question = item.council_question
    if item.is_external or question is None or not question.meeting.is_signed or frozen_question(item) is None:
        return None
    meeting = question.meeting
    return {"content_hash": meeting.content_hash, "verification": protocol_verification(meeting)}


@require_GET
def item_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk, selectors.item_detail())
    head_review = next((r for r in item.reviews.all() if not r.by_council), None)
    stages = {row.stage: row for row in item.stages.all()}
    context = {
        "college": settings.COLLEGE_NAME,
        "item": item,
        "co_authors": list(item.co_authors.all()),
        "kind": KIND_RU.get(item.kind, item.kind),
        "level": LEVEL_RU.get(item.level, item.level),
        "review": head_review,
        "rubric": [(RUBRIC_RU[name], getattr(head_review, name)) for name, _label in RUBRIC] if head_review else [],
        "rubric_max": RUBRIC_MAX * len(RUBRIC),
        "decision": council_decision_text(item),
        "protocol": council_protocol(item),
        "stages": [(STAGE_RU[stage], stages.get(stage)) for stage in STAGE_ORDER]
        if item.kind == ItemKind.GENERALISED
        else [],
        "files": list(item.files.all()),
        "links": list(item.links.all()),
        "today": timezone.localdate(),
    }
    name = f"Карта опыта — {item.author.short_name if not item.is_external else 'внешний опыт'} — {item.title[:60]}.pdf"
    return document_response(request, "experience/items/card_pdf.html", context, name)


urls: list[URLPattern] = [
    path("items/mine/", item_mine, name="item_mine"),
    path("items/review/", item_review_queue, name="item_review_queue"),
    path("items/progress/", item_progress, name="item_progress"),
    path("items/new/", item_create, name="item_create"),
    path("items/outside/new/", item_external_create, name="item_external_create"),
    path("items/<int:pk>/", item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", item_delete, name="item_delete"),
    path("items/<int:pk>/submit/", item_submit, name="item_submit"),
    path("items/<int:pk>/review/", item_review, name="item_review"),
    path("items/<int:pk>/council/", item_council, name="item_council"),
    path("items/<int:pk>/council/remove/", item_council_remove, name="item_council_remove"),
    path("items/<int:pk>/outcome/", item_outcome, name="item_outcome"),
    path("items/<int:pk>/publish/", item_publish, name="item_publish"),
    path("items/<int:pk>/unpublish/", item_unpublish, name="item_unpublish"),
    path("items/<int:pk>/stages/add/", item_stage_add, name="item_stage_add"),
    path("items/<int:pk>/stages/<int:stage_pk>/delete/", item_stage_delete, name="item_stage_delete"),
    path("items/<int:pk>/files/add/", item_file_add, name="item_file_add"),
    path("items/<int:pk>/links/add/", item_link_add, name="item_link_add"),
    path("items/<int:pk>/card.pdf", item_card_pdf, name="item_card_pdf"),
    path("items/files/<int:pk>/", item_file, name="item_file"),
    path("items/files/<int:pk>/delete/", item_file_delete, name="item_file_delete"),
    path("items/links/<int:pk>/delete/", item_link_delete, name="item_link_delete"),
]
