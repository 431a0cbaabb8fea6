"""The experience item pages: filing, editing and deleting through the forms (no privilege through an extra POST
field), uploads and downloads, the review, the council and publication through the pages, the register card, bad
input answered normally, and the lists' and the item page's pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from experience.models import ExperienceItem, ItemFile, ItemKind, ItemStatus, Review, ReviewOutcome, Stage
from experience.services import items as services
from structure.models import Person
from tests.experience import items_data as data
from tests.security import upload_samples
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

DAY = datetime.timedelta(days=1)


def form_data(world, **overrides) -> dict:
    return {
        "kind": ItemKind.MASTER_CLASS,
        "title": "Мастер-класс «Цифровые тренажёры на уроках»",
        "date": (world.today - 5 * DAY).isoformat(),
        "level": "regional",
        "association": world.association.pk,
        "direction": world.directions[8].pk,
        "topic": "Тренажёры",
        "relevance": "Актуально",
        "novelty": "Новое",
        "results": "Результаты",
        **overrides,
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# ---------------------------------------------------------------- filing through the form


def test_a_teacher_files_an_item_and_extra_fields_grant_nothing(world):
    teacher = client_for(world, "teacher")
    privileged = {
        "status": ItemStatus.PUBLISHED,
        "author": world.people["chair"].pk,
        "is_external": "on",
        "published_by": world.people["methodist"].pk,
        "published_at": "2020-01-01T10:00",
        "council_recommends": "True",
    }
    response = teacher.post(reverse("experience:item_create"), {**form_data(world), **privileged})
    assert response.status_code == 302
    item = ExperienceItem.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert (item.status, item.author, item.is_external, item.published_by, item.published_at) == (
        ItemStatus.DRAFT,
        world.people["teacher"],
        False,
        None,
        None,
    )
    assert item.council_recommends is None and item.level == "regional"

    # editing: the same fields are ignored again
    edit = reverse("experience:item_edit", args=[item.pk])
    response = teacher.post(edit, {**form_data(world, title="Исправленное название"), **privileged})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Исправленное название"
    assert (item.status, item.author_id, item.is_external, item.published_by) == (
        ItemStatus.DRAFT,
        world.people["teacher"].pk,
        False,
        None,
    )


def test_the_form_defaults_to_the_authors_association(world):
    response = client_for(world, "teacher").get(reverse("experience:item_create"))
    assert response.context["form"].initial["association"] == world.association.pk


def test_co_authors_through_the_form_are_colleagues_other_than_the_author(world):
    teacher = client_for(world, "teacher")
    url = reverse("experience:item_create")
    for co_author in (world.people["researcher"].pk, world.people["teacher"].pk, 99999999999999999999):
        response = teacher.post(url, form_data(world, co_authors=[co_author]))
        assert response.status_code == 200 and "co_authors" in response.context["form"].errors
    assert not ExperienceItem.objects.exists()
    response = teacher.post(url, form_data(world, co_authors=[world.people["chair"].pk]))
    assert response.status_code == 302
    assert list(ExperienceItem.objects.get().co_authors.all()) == [world.people["chair"]]


def test_another_units_association_is_refused_on_the_field(world):
    response = client_for(world, "teacher").post(
        reverse("experience:item_create"), form_data(world, association=world.group.pk)
    )
    assert response.status_code == 200 and "association" in response.context["form"].errors
    assert not ExperienceItem.objects.exists()


def test_over_long_input_and_bad_dates_answer_with_the_form(world):
    teacher = client_for(world, "teacher")
    for overrides in ({"title": "Т" * 2000}, {"date": "31.02.2026"}, {"date": "9999-12-31"}, {"kind": "poem"}):
        response = teacher.post(reverse("experience:item_create"), form_data(world, **overrides))
        assert response.status_code == 200, overrides
    assert not ExperienceItem.objects.exists()


def test_a_colleague_cannot_edit_someone_elses_item(world):
    item = data.draft(world)
    chair = client_for(world, "chair")
    assert chair.post(reverse("experience:item_edit", args=[item.pk]), form_data(world)).status_code == 404
    head = client_for(world, "mo_head")
    assert head.post(reverse("experience:item_edit", args=[item.pk]), form_data(world)).status_code == 403
    item.refresh_from_db()
    assert item.title.startswith("Открытый урок")


def test_deleting_through_the_confirmation_page(world):
    item = data.draft(world)
    teacher = client_for(world, "teacher")
    url = reverse("experience:item_delete", args=[item.pk])
    assert teacher.get(url).status_code == 200
    assert ExperienceItem.objects.filter(pk=item.pk).exists()
    response = teacher.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("experience:item_mine")
    assert not ExperienceItem.objects.filter(pk=item.pk).exists()


def test_unknown_ids_answer_404(world):
    teacher = client_for(world, "teacher")
    for name in ("item_detail", "item_edit", "item_card_pdf", "item_file", "item_file_delete"):
        assert teacher.get(reverse(f"experience:{name}", args=[2_000_000_000])).status_code == 404, name


# ---------------------------------------------------------------- uploads and downloads


def upload(client, item, name: str, content: bytes, title: str = "Файл"):
    return client.post(
        reverse("experience:item_file_add", args=[item.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_uploads_are_refused_on_the_field(world, settings):
    item = data.draft(world)
    teacher = client_for(world, "teacher")
    for name, content, code in [
        ("../../x.html", upload_samples.HTML, "file_type"),
        ("x.html", upload_samples.PDF, "extension_mismatch"),
        ("x.svg", upload_samples.SVG, "file_type"),
        ("empty.pdf", b"", "file_empty"),
    ]:
        response = upload(teacher, item, name, content)
        assert response.status_code == 200
        assert code in [e.code for e in response.context["form"].errors.as_data()["file"]], name
    settings.UPLOAD_MAX_BYTES = 50
    response = upload(teacher, item, "big.pdf", upload_samples.PDF + b"0" * 100)
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["file_too_big"]
    assert not ItemFile.objects.exists()


def test_a_dangerous_name_never_reaches_the_disk(world, settings):
    item = data.draft(world)
    response = upload(client_for(world, "teacher"), item, "../../x.pdf", upload_samples.PDF, title="Конспект")
    assert response.status_code == 302
    row = ItemFile.objects.get()
    assert row.original_name == "x.pdf"
    assert ".." not in row.file.name and not row.file.name.endswith("/x.pdf")
    path = row.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))


def test_downloads_are_attachments_for_those_who_see_the_item(world):
    item = data.draft(world)
    row = services.file_add(item=item, by=world.people["teacher"], title="План урока", file=data.pdf_file())
    url = reverse("experience:item_file", args=[row.pk])
    assert client_for(world, "chair").get(url).status_code == 404  # a draft: not the chair's
    response = client_for(world, "mo_head").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    row.refresh_from_db()
    assert row.downloads == 0  # the item is not published


def test_downloads_of_a_published_item_are_counted(world):
    item = data.draft(world)
    row = services.file_add(item=item, by=world.people["teacher"], title="План урока", file=data.pdf_file())
    ExperienceItem.objects.filter(pk=item.pk).update(status=ItemStatus.PUBLISHED)
    url = reverse("experience:item_file", args=[row.pk])
    for role in ("chair", "lab_head", "teacher", "admin"):
        assert client_for(world, role).get(url).status_code == 200
    assert client_for(world, "researcher").get(url).status_code == 404
    row.refresh_from_db()
    assert row.downloads == 3  # the author's own download does not count


def test_links_through_the_page_refuse_other_schemes(world):
    item = data.draft(world)
    teacher = client_for(world, "teacher")
    url = reverse("experience:item_link_add", args=[item.pk])
    response = teacher.post(url, {"url": "javascript:alert(document.cookie)", "title": "Видео"})
    assert response.status_code == 200 and "url" in response.context["form"].errors
    assert teacher.post(url, {"url": "http://fileserver/video/1", "title": "Видео"}).status_code == 302
    assert item.links.get().url == "http://fileserver/video/1"


# ---------------------------------------------------------------- the way through the pages


def test_submitting_an_incomplete_item_shows_the_reason(world):
    item = data.draft(world, topic="")
    response = client_for(world, "teacher").post(reverse("experience:item_submit", args=[item.pk]))
    assert response.status_code == 302 and messages_of(response)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def review_data(**overrides) -> dict:
    return {
        "relevance": "2",
        "novelty": "1",
        "practical_value": "2",
        "presentation": "1",
        "outcome": ReviewOutcome.RECOMMEND,
        "comment": "",
        **overrides,
    }


def test_the_head_reviews_through_the_page(world):
    item = data.submitted(world)
    head = client_for(world, "mo_head")
    url = reverse("experience:item_review", args=[item.pk])
    assert head.get(url).status_code == 200
    response = head.post(url, review_data(relevance="3"))
    assert response.status_code == 200 and "relevance" in response.context["form"].errors
    response = head.post(url, review_data(outcome=ReviewOutcome.RETURN))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["comment"]] == ["comment_required"]
    assert not Review.objects.exists()
    response = head.post(url, review_data(outcome=ReviewOutcome.RETURN, comment="Добавьте анкеты"))
    assert response.status_code == 302 and response["Location"] == reverse("experience:item_review_queue")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    page = client_for(world, "teacher").get(item.get_absolute_url())
    assert page.context["latest_return"].comment == "Добавьте анкеты"
    assert "Добавьте анкеты" in page.content.decode()


def test_the_head_does_not_review_their_own_item(world):
    item = data.submitted(world, co_authors=["mo_head"])
    response = client_for(world, "mo_head").post(reverse("experience:item_review", args=[item.pk]), review_data())
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_the_council_and_publication_through_the_pages(world):
    item = data.reviewed(world)
    meeting = data.council_meeting(world)
    methodist = client_for(world, "methodist")
    council = reverse("experience:item_council", args=[item.pk])
    form = methodist.get(council).context["form"]
    assert list(form.fields["meeting"].queryset) == [meeting]  # not the association's meeting
    response = methodist.post(council, {"meeting": world.meeting.pk})
    assert response.status_code == 200 and "meeting" in response.context["form"].errors
    assert methodist.post(council, {"meeting": meeting.pk}).status_code == 302
    item.refresh_from_db()
    assert item.council_question.meeting == meeting

    data.mark_all(meeting)
    secretary = client_for(world, "secretary")
    outcome = reverse("experience:item_outcome", args=[item.pk])
    response = secretary.post(outcome, {"outcome": ReviewOutcome.RETURN, "comment": ""})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    assert secretary.post(outcome, {"outcome": ReviewOutcome.RECOMMEND}).status_code == 302
    data.sign(meeting)
    item.refresh_from_db()
    assert item.status == ItemStatus.RECOMMENDED

    assert client_for(world, "deputy").post(reverse("experience:item_publish", args=[item.pk])).status_code == 403
    assert methodist.post(reverse("experience:item_publish", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    page = methodist.get(item.get_absolute_url())
    assert meeting.get_absolute_url() in page.content.decode()

    unpublish = reverse("experience:item_unpublish", args=[item.pk])
    assert methodist.post(unpublish, {"reason": ""}).status_code == 200
    assert methodist.post(unpublish, {"reason": "Замена файла"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.RECOMMENDED


def test_outside_experience_through_the_page(world):
    methodist = client_for(world, "methodist")
    url = reverse("experience:item_external_create")
    fields = {
        "kind": ItemKind.GUIDE,
        "title": "Региональная практика наставничества",
        "source": "Региональный центр развития СПО",
        "external_authors": "Иванова И.И.",
        "level": "regional",
        "date": (world.today - 30 * DAY).isoformat(),
        "status": ItemStatus.DRAFT,  # ignored: outside experience is published at once
    }
    response = methodist.post(url, {**fields, "file": SimpleUploadedFile("../../x.html", upload_samples.HTML)})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    response = methodist.post(url, fields)
    assert response.status_code == 200 and "link_url" in response.context["form"].errors
    assert not ExperienceItem.objects.exists()
    response = methodist.post(url, {**fields, "file": data.pdf_file("Практика.pdf"), "file_title": "Практика"})
    assert response.status_code == 302
    item = ExperienceItem.objects.get()
    assert item.is_external and item.status == ItemStatus.PUBLISHED and item.files.get().title == "Практика"
    page = client_for(world, "teacher").get(item.get_absolute_url())
    assert page.status_code == 200
    assert client_for(world, "teacher").post(url, fields).status_code == 403


def test_the_stages_through_the_page(world):
    item = data.draft(world, kind=ItemKind.GENERALISED)
    teacher = client_for(world, "teacher")
    url = reverse("experience:item_stage_add", args=[item.pk])
    assert teacher.get(url).context["form"].initial["stage"] == Stage.IDENTIFICATION
    response = teacher.post(
        url, {"stage": Stage.STUDY, "date": world.today.isoformat(), "responsible": world.people["teacher"].pk}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["stage"]] == ["stage_order"]
    stages = [
        (Stage.IDENTIFICATION, world.today - 20 * DAY),
        (Stage.STUDY, world.today - 10 * DAY),
        (Stage.GENERALISATION, world.today),
    ]
    for stage, day in stages:
        response = teacher.post(url, {"stage": stage, "date": day.isoformat(), "responsible": world.people["chair"].pk})
        assert response.status_code == 302
    page = teacher.get(item.get_absolute_url())
    line = page.context["stages"]
    assert [row["stage"] for row in line] == [
        Stage.IDENTIFICATION,
        Stage.STUDY,
        Stage.GENERALISATION,
        Stage.DISSEMINATION,
        Stage.ADOPTION,
    ]
    assert [row["row"] is not None for row in line] == [True, True, True, False, False]
    assert page.context["next_stage"] == Stage.DISSEMINATION


def test_the_register_card_is_a_pdf(world):
    item = data.published(world, co_authors=["group_lead"])
    response = client_for(world, "chair").get(reverse("experience:item_card_pdf", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_progress_list_survives_bad_filters(world):
    data.reviewed(world)
    methodist = client_for(world, "methodist")
    url = reverse("experience:item_progress")
    for params in (
        {"step": "nonsense", "association": "abc", "direction": "99999999999999999999999", "page": "-1"},
        {"kind": "' OR 1=1 --", "association": "1e10"},
        {"step": "for_council", "association": world.association.pk},
    ):
        response = methodist.get(url, params)
        assert response.status_code == 200, params
    assert len(response.context["page"]) == 1


# ---------------------------------------------------------------- pinned query counts


def many_items(world, count: int, *, prefix: str = "Урок") -> None:
    """`count` items of the teacher in every status, each with two co-authors and a returned review, written
    directly (the lists only read them)."""
    teacher = world.people["teacher"]
    co_authors = [world.people["group_lead"], world.people["chair"]]
    statuses = [ItemStatus.DRAFT, ItemStatus.SUBMITTED, ItemStatus.RETURNED, ItemStatus.REVIEWED]
    items = ExperienceItem.objects.bulk_create(
        [
            ExperienceItem(
                kind=ItemKind.OPEN_LESSON,
                title=f"{prefix} {index}",
                author=teacher,
                association=world.association,
                date=world.today - index * DAY,
                status=statuses[index % len(statuses)],
                submitted_at=timezone.now() if index % len(statuses) else None,
                **data.TEXTS,
            )
            for index in range(count)
        ]
    )
    through = ExperienceItem.co_authors.through
    through.objects.bulk_create(
        [through(experienceitem_id=item.pk, person_id=person.pk) for item in items for person in co_authors]
    )
    Review.objects.bulk_create(
        [
            Review(item=item, reviewer=world.people["mo_head"], outcome=ReviewOutcome.RETURN, comment="Исправить")
            for item in items
        ]
    )


MINE = reverse("experience:item_mine")
QUEUE = reverse("experience:item_review_queue")
PROGRESS = reverse("experience:item_progress")


@pytest.mark.parametrize(
    ("role", "address", "queries"),
    [("teacher", MINE, 9), ("mo_head", QUEUE, 9), ("methodist", PROGRESS, 10), ("deputy", PROGRESS, 10)],
)
def test_the_lists_answer_in_a_fixed_number_of_queries(world, django_assert_num_queries, role, address, queries):
    many_items(world, 40)
    client = client_for(world, role)
    client.get(address)  # warm caches
    with django_assert_num_queries(queries):
        response = client.get(address)
    assert response.status_code == 200 and len(response.context["page"]) > 0
    many_items(world, 40, prefix="Ещё урок")
    with django_assert_num_queries(queries):
        again = client.get(address)
    assert again.context["page"].paginator.count > response.context["page"].paginator.count


def rich_item(world, files: int, reviews: int, co_authors: int) -> ExperienceItem:
    item = data.draft(world, kind=ItemKind.GENERALISED)
    people = Person.objects.bulk_create(
        [
            Person(
                last_name=f"Соавтор{index}",
                first_name="Анна",
                patronymic="Ивановна",
                position=world.people["teacher"].position,
            )
            for index in range(co_authors)
        ]
    )
    for index in range(files):
        services.file_add(item=item, by=world.people["teacher"], title=f"Файл {index}", file=data.pdf_file())
        services.link_add(item=item, by=world.people["teacher"], url=f"https://example.org/{index}")
    Review.objects.bulk_create(
        [
            Review(
                item=item,
                reviewer=world.people["mo_head"],
                outcome=ReviewOutcome.RETURN,
                comment=f"Замечание {i}",
                relevance=1,
                novelty=1,
                practical_value=1,
                presentation=1,
            )
            for i in range(reviews)
        ]
    )
    for stage, days in ((Stage.IDENTIFICATION, 30), (Stage.STUDY, 20), (Stage.GENERALISATION, 10)):
        services.stage_record(
            item=item,
            by=world.people["teacher"],
            stage=stage,
            date=world.today - days * DAY,
            responsible=world.people["mo_head"],
        )
    item.co_authors.add(*people)  # last: the change log's latest rows show it on every item
    return item


#: The item page: the session, the user, the item with its five prefetches, the roles, the change log (one query,
#: metodservice.common.history), the menu's badge — whatever the number of files, links,
#: reviews, co-authors and stages (the head's badge counts plans to approve too).
ITEM_PAGE = {"teacher": 12, "mo_head": 14, "methodist": 12}


@pytest.mark.parametrize("role", sorted(ITEM_PAGE))
def test_the_item_page_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries, role):
    small = rich_item(world, files=2, reviews=2, co_authors=2)
    large = rich_item(world, files=12, reviews=15, co_authors=20)
    client = client_for(world, role)
    for item in (small, large):
        client.get(item.get_absolute_url())
        with django_assert_num_queries(ITEM_PAGE[role]):
            response = client.get(item.get_absolute_url())
        assert response.status_code == 200
        assert len(response.context["reviews"]) == len(item.reviews.all())


PRIVILEGES = {
    "status": ItemStatus.PUBLISHED,
    "author": "0",
    "is_external": "on",
    "published_by": "0",
    "published_at": "2020-01-01T10:00",
    "council_recommends": "True",
    "item": "0",
    "uploaded_by": "0",
    "downloads": "999",
}


def test_no_form_of_the_item_sets_its_status_author_mark_or_publisher(world):
    """Every form an author posts, with the privileged fields added (another person's id among them): the item stays
    the author's draft — or, after submitting, a submitted item — never published, outside or someone else's."""
    item = data.draft(world, kind=ItemKind.GENERALISED)
    teacher = client_for(world, "teacher")
    extras = {**PRIVILEGES, "author": world.people["chair"].pk, "published_by": world.people["methodist"].pk}
    posts = [
        (reverse("experience:item_edit", args=[item.pk]), {**form_data(world, kind=ItemKind.GENERALISED)}),
        (reverse("experience:item_file_add", args=[item.pk]), {"title": "План", "file": data.pdf_file()}),
        (reverse("experience:item_link_add", args=[item.pk]), {"url": "https://example.org/x"}),
        (
            reverse("experience:item_stage_add", args=[item.pk]),
            {"stage": Stage.IDENTIFICATION, "date": world.today.isoformat(), "responsible": world.people["teacher"].pk},
        ),
        (reverse("experience:item_submit", args=[item.pk]), {}),
    ]
    for url, fields in posts:
        assert teacher.post(url, {**fields, **extras}).status_code == 302, url
        item.refresh_from_db()
        assert (item.author, item.is_external, item.published_by, item.published_at) == (
            world.people["teacher"],
            False,
            None,
            None,
        ), url
        assert item.status in (ItemStatus.DRAFT, ItemStatus.SUBMITTED), url
    assert item.status == ItemStatus.SUBMITTED
    row = item.files.get()
    assert (row.uploaded_by, row.downloads) == (world.people["teacher"], 0)
    # the head's review cannot publish it either
    response = client_for(world, "mo_head").post(
        reverse("experience:item_review", args=[item.pk]), {**review_data(), **extras}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED and item.published_by is None
