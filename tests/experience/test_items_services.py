"""The services of experience items (experience.services.items): the way of an item and every refusal, each with
its code and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from experience.models import (
    ExperienceItem,
    ItemFile,
    ItemKind,
    ItemLink,
    ItemStage,
    ItemStatus,
    LessonVisit,
    Review,
    Stage,
)
from experience.services import items as services
from planning.models import AgendaItem
from tests.experience import items_data as data
from tests.experience.items_data import codes
from tests.security import upload_samples

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

DAY = datetime.timedelta(days=1)


def refused(code: str, function, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        function(**kwargs)
    assert code in codes(info.value), codes(info.value)
    return info.value


def item_kwargs(world, **overrides) -> dict:
    return {
        "kind": ItemKind.MASTER_CLASS,
        "title": "Мастер-класс «Цифровые тренажёры»",
        "date": world.today - 10 * DAY,
        "level": "college",
        "association": world.association,
        **data.TEXTS,
        **overrides,
    }


# ---------------------------------------------------------------- filing


def test_a_teacher_files_a_draft_with_co_authors(world):
    item = data.draft(world, co_authors=["group_lead"])
    assert item.status == ItemStatus.DRAFT
    assert item.author == world.people["teacher"]
    assert list(item.co_authors.all()) == [world.people["group_lead"]]
    assert not item.is_external and item.published_by is None


def test_an_external_researcher_files_nothing(world):
    refused("not_staff", services.item_create, by=world.people["researcher"], **item_kwargs(world))
    assert not ExperienceItem.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": "   "}, "required"),
        ({"title": "Т" * 501}, "too_long"),
        ({"kind": "poem"}, "wrong_kind"),
        ({"level": "galactic"}, "wrong_level"),
        ({"date": None}, "required"),
        ({"date": datetime.date(1900, 1, 1)}, "date_out_of_range"),
        ({"date": datetime.date(9999, 12, 31)}, "date_out_of_range"),
        ({"relevance": "а" * 20_001}, "too_long"),
    ],
)
def test_filing_refuses_bad_fields(world, overrides, code):
    refused(code, services.item_create, by=world.people["teacher"], **item_kwargs(world, **overrides))
    assert not ExperienceItem.objects.exists()


def test_the_association_is_a_subject_association_active_today(world):
    for unit in (world.group, world.council, world.proposed_group):
        refused(
            "not_association", services.item_create, by=world.people["teacher"], **item_kwargs(world, association=unit)
        )
    assert not ExperienceItem.objects.exists()


def test_co_authors_are_staff_and_not_the_author(world):
    teacher = world.people["teacher"]
    kwargs = item_kwargs(world)
    refused("co_author_not_staff", services.item_create, by=teacher, co_authors=[world.people["researcher"]], **kwargs)
    refused("co_author_is_author", services.item_create, by=teacher, co_authors=[teacher], **kwargs)
    assert not ExperienceItem.objects.exists()


def test_authors_edit_a_draft_and_a_returned_item_only(world):
    item = data.draft(world, co_authors=["group_lead"])
    edited = services.item_update(
        item=item,
        by=world.people["group_lead"],
        co_authors=[world.people["group_lead"], world.people["chair"]],
        **item_kwargs(world, title="Новое название"),
    )
    assert edited.title == "Новое название" and edited.author == world.people["teacher"]
    assert set(edited.co_authors.all()) == {world.people["group_lead"], world.people["chair"]}
    refused("not_author", services.item_update, item=item, by=world.people["mo_head"], **item_kwargs(world))
    refused("not_author", services.item_delete, item=item, by=world.people["methodist"])
    services.item_submit(item=item, by=world.people["teacher"])
    refused("not_editable", services.item_update, item=item, by=world.people["teacher"], **item_kwargs(world))
    refused("not_editable", services.item_delete, item=item, by=world.people["teacher"])
    item.refresh_from_db()
    assert item.title == "Новое название"

    back = data.returned(world)
    services.item_update(item=back, by=world.people["teacher"], **item_kwargs(world, title="Исправлено"))
    services.item_delete(item=back, by=world.people["teacher"])
    assert not ExperienceItem.objects.filter(pk=back.pk).exists()


def test_deleting_removes_the_files_after_commit(world, django_capture_on_commit_callbacks):
    item = data.draft(world)
    row = services.file_add(item=item, by=world.people["teacher"], title="План", file=data.pdf_file())
    storage, name = row.file.storage, row.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=item, by=world.people["teacher"])
    assert not storage.exists(name)


def test_an_item_lesson_visits_refer_to_stays(world):
    item = data.draft(world)
    LessonVisit.objects.create(
        visitor=world.people["chair"], visited=world.people["teacher"], item=item, date=world.today, lesson="История"
    )
    refused("item_in_use", services.item_delete, item=item, by=world.people["teacher"])
    assert ExperienceItem.objects.filter(pk=item.pk).exists()


# ---------------------------------------------------------------- submission and review


@pytest.mark.parametrize("field", ["topic", "relevance", "results"])
def test_submitting_an_incomplete_item_is_refused(world, field):
    item = data.draft(world, **{field: ""})
    error = refused("incomplete", services.item_submit, item=item, by=world.people["teacher"])
    assert error.messages
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_submitting_without_an_association_is_refused(world):
    item = data.draft(world, association=None)
    refused("no_association", services.item_submit, item=item, by=world.people["teacher"])


def test_only_the_authors_submit(world):
    item = data.draft(world)
    refused("not_author", services.item_submit, item=item, by=world.people["mo_head"])
    services.item_submit(item=item, by=world.people["teacher"])
    refused("not_editable", services.item_submit, item=item, by=world.people["teacher"])


def test_the_head_recommends_to_the_council(world):
    item = data.submitted(world)
    review = data.review(world, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED
    assert (review.relevance, review.novelty, review.practical_value, review.presentation, review.total) == (
        2,
        1,
        2,
        2,
        7,
    )


def test_the_head_returns_with_a_comment_and_the_author_resubmits(world):
    item = data.returned(world)
    assert item.status == ItemStatus.RETURNED
    services.item_update(item=item, by=world.people["teacher"], **item_kwargs(world, results="Анкеты: 95% довольны."))
    item = services.item_submit(item=item, by=world.people["teacher"])
    assert item.status == ItemStatus.SUBMITTED
    data.review(world, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED and item.reviews.count() == 2


def test_a_return_needs_a_comment(world):
    item = data.submitted(world)
    refused("comment_required", data.review, world=world, item=item, outcome="return", comment="  ")
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED and not Review.objects.exists()


@pytest.mark.parametrize(
    ("scores", "code"),
    [
        ((3, 1, 1, 1), "rubric_range"),
        ((-1, 1, 1, 1), "rubric_range"),
        ((None, 1, 1, 1), "rubric_required"),
        ((True, 1, 1, 1), "rubric_range"),
    ],
)
def test_the_rubric_is_0_to_2(world, scores, code):
    item = data.submitted(world)
    refused(code, data.review, world=world, item=item, scores=scores)
    assert not Review.objects.exists()


def test_a_wrong_outcome_is_refused(world):
    item = data.submitted(world)
    refused("wrong_outcome", data.review, world=world, item=item, outcome="publish")


def test_nobody_reviews_their_own_item(world):
    own = data.submitted(world, "mo_head")
    refused("own_item", data.review, world=world, item=own)
    co_authored = data.submitted(world, co_authors=["mo_head"])
    refused("own_item", data.review, world=world, item=co_authored)
    assert not Review.objects.exists()


def test_only_the_head_of_the_items_association_reviews(world):
    item = data.submitted(world)
    for role in ("group_lead", "methodist", "chair"):
        refused(
            "not_head",
            services.item_review,
            item=item,
            by=world.people[role],
            outcome="recommend",
            relevance=1,
            novelty=1,
            practical_value=1,
            presentation=1,
        )
    refused("not_submitted", data.review, world=world, item=data.draft(world))


# ---------------------------------------------------------------- the council


def test_the_methodist_puts_a_reviewed_item_on_the_councils_agenda(world):
    item = data.on_agenda(world)
    question = item.council_question
    assert question.meeting.unit == world.council
    assert question.speaker == world.people["teacher"]
    assert "Индустриализация" in question.title and question.title.startswith("О рекомендации")


def test_the_agenda_refusals(world):
    methodist = world.people["methodist"]
    meeting = data.council_meeting(world)
    refused("not_reviewed", services.council_add, item=data.submitted(world), meeting=meeting, by=methodist)
    item = data.reviewed(world)
    refused("not_methodist", services.council_add, item=item, meeting=meeting, by=world.people["chair"])
    refused("not_council", services.council_add, item=item, meeting=world.meeting, by=methodist)
    past = data.council_meeting(world, world.today - 5 * DAY)
    refused("meeting_past", services.council_add, item=item, meeting=past, by=methodist)
    item.refresh_from_db()
    assert item.council_question is None and not AgendaItem.objects.filter(meeting__unit=world.council).exists()


def test_an_item_moves_to_another_meeting_and_comes_off(world):
    item = data.on_agenda(world)
    first = item.council_question
    later = data.council_meeting(world, world.today + 7 * DAY)
    item = services.council_add(item=item, meeting=later, by=world.people["deputy"])
    assert item.council_question.meeting == later
    assert not AgendaItem.objects.filter(pk=first.pk).exists()
    item = services.council_remove(item=item, by=world.people["deputy"])
    assert item.council_question is None and item.status == ItemStatus.REVIEWED
    assert not AgendaItem.objects.filter(meeting=later).exists()
    refused("not_on_agenda", services.council_remove, item=item, by=world.people["methodist"])


def test_the_outcome_refusals(world):
    item = data.on_agenda(world)
    meeting = item.council_question.meeting
    refused("not_recorder", services.council_outcome, item=item, by=world.people["teacher"], recommends=True)
    refused("comment_required", services.council_outcome, item=item, by=world.people["chair"], recommends=False)
    data.mark_all(meeting)
    future = data.on_agenda(world, data.council_meeting(world, world.today + 3 * DAY), title="Будущий урок")
    refused("meeting_not_held", services.council_outcome, item=future, by=world.people["methodist"], recommends=True)
    refused(
        "not_on_agenda",
        services.council_outcome,
        item=data.reviewed(world),
        by=world.people["methodist"],
        recommends=True,
    )
    item.refresh_from_db()
    assert item.council_recommends is None and not Review.objects.filter(by_council=True).exists()


def test_the_outcome_is_written_as_the_decision_and_may_be_corrected(world):
    item = data.decided(world, recommends=False)
    question = AgendaItem.objects.get(pk=item.council_question_id)
    assert question.decided.startswith("Вернуть материалы") and "новизны" in question.decided
    assert Review.objects.filter(item=item, by_council=True, outcome="return").count() == 1
    item = services.council_outcome(item=item, by=world.people["chair"], recommends=True)
    question.refresh_from_db()
    assert question.decided.startswith("Рекомендовать")
    assert list(Review.objects.filter(item=item, by_council=True).values_list("outcome", flat=True)) == ["recommend"]
    assert item.status == ItemStatus.REVIEWED and item.council_recommends is True


@pytest.mark.parametrize(
    ("votes", "recommends", "ok"),
    [
        ((2, 1, 0), True, True),
        ((1, 1, 1), True, False),
        ((2, 0, 1), True, True),
        ((1, 1, 0), True, False),
        ((1, 2, 0), False, True),
        ((3, 0, 0), False, False),
        ((0, 0, 3), False, True),
    ],
)
def test_the_outcome_follows_the_recorded_vote(world, votes, recommends, ok):
    item = data.on_agenda(world)
    question = AgendaItem.objects.select_related("meeting").get(pk=item.council_question_id)
    data.mark_all(question.meeting)
    from planning import services as planning

    planning.agenda_update(
        item=question,
        title=question.title,
        speaker=question.speaker,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstained=votes[2],
    )
    kwargs = {"item": item, "by": world.people["methodist"], "recommends": recommends, "comment": "Замечания"}
    if ok:
        assert services.council_outcome(**kwargs).council_recommends is recommends
    else:
        refused("experience_vote", services.council_outcome, **kwargs)


def test_signing_the_protocol_recommends_and_the_methodist_publishes(world):
    item = data.recommended(world)
    assert item.status == ItemStatus.RECOMMENDED
    refused("not_methodist", services.item_publish, item=item, by=world.people["deputy"])
    item = services.item_publish(item=item, by=world.people["methodist"])
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_by == world.people["methodist"] and item.published_at is not None
    refused("already_published", services.item_publish, item=item, by=world.people["methodist"])


def test_signing_a_return_returns_the_item_to_its_author(world):
    item = data.decided(world, recommends=False)
    data.sign(item.council_question.meeting)
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    assert item.reviews.filter(by_council=True).get().comment == "Доработать описание новизны."
    resubmitted = services.item_submit(item=item, by=world.people["teacher"])
    assert resubmitted.council_question is None and resubmitted.council_recommends is None


def test_publishing_without_a_signed_council_decision_is_refused(world):
    methodist = world.people["methodist"]
    for item in (data.draft(world), data.reviewed(world), data.decided(world)):
        refused("no_council_decision", services.item_publish, item=item, by=methodist)
    # one signature of two: the protocol is not signed yet
    item = data.decided(world, title="Второй урок")
    meeting = item.council_question.meeting
    from planning import services as planning

    planning.protocol_sign(meeting=meeting, person=meeting.chair)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED
    refused("no_council_decision", services.item_publish, item=item, by=methodist)


def test_unpublishing_needs_a_reason_and_leaves_the_recommendation(world):
    item = data.published(world)
    methodist = world.people["methodist"]
    refused("reason_required", services.item_unpublish, item=item, by=methodist, reason=" ")
    refused("not_methodist", services.item_unpublish, item=item, by=world.people["deputy"], reason="Ошибка")
    item = services.item_unpublish(item=item, by=methodist, reason="Автор просил заменить файл")
    assert item.status == ItemStatus.RECOMMENDED and item.published_at is None and item.published_by is None
    refused("not_published", services.item_unpublish, item=item, by=methodist, reason="Ещё раз")
    assert services.item_publish(item=item, by=methodist).status == ItemStatus.PUBLISHED
    reasons = list(item.history.values_list("history_change_reason", flat=True))
    assert any((reason or "").endswith("Автор просил заменить файл") for reason in reasons)


# ---------------------------------------------------------------- outside experience


def test_the_methodist_adds_outside_experience_published_at_once(world):
    item = data.external(world, file=data.pdf_file("Рекомендации.pdf"), file_title="Текст рекомендаций")
    assert item.is_external and item.status == ItemStatus.PUBLISHED
    assert item.published_by == world.people["methodist"] and item.published_at is not None
    assert item.links.get().url == "https://example.org/practices/1"
    assert item.files.get().title == "Текст рекомендаций"
    refused("external_item", services.item_unpublish, item=item, by=world.people["methodist"], reason="Нет")
    refused("external_item", services.item_submit, item=item, by=world.people["methodist"])


def test_outside_experience_refusals(world):
    with pytest.raises(ValidationError) as info:
        services.external_create(
            by=world.people["deputy"],
            kind=ItemKind.GUIDE,
            title="Т",
            source="И",
            date=world.today,
            link_url="https://example.org",
        )
    assert codes(info.value) == ["not_methodist"]
    refused("source_required", data.external, world=world, source="  ")
    refused("link_or_file", data.external, world=world, link_url="")
    refused("evidence_link", data.external, world=world, link_url="javascript:alert(1)")
    refused(
        "file_type", data.external, world=world, link_url="", file=SimpleUploadedFile("x.html", upload_samples.HTML)
    )
    assert not ExperienceItem.objects.exists() and not ItemFile.objects.exists()


def test_the_methodist_edits_and_deletes_outside_experience(world):
    item = data.external(world)
    methodist = world.people["methodist"]
    kwargs = {"kind": ItemKind.CASE, "title": "Кейсы", "source": "Журнал «СПО»", "date": world.today}
    refused("not_methodist", services.external_update, item=item, by=world.people["teacher"], **kwargs)
    refused("not_external", services.external_update, item=data.draft(world), by=methodist, **kwargs)
    assert services.external_update(item=item, by=methodist, **kwargs).source == "Журнал «СПО»"
    refused("not_methodist", services.item_delete, item=item, by=world.people["deputy"])
    services.item_delete(item=item, by=methodist)
    assert not ExperienceItem.objects.filter(pk=item.pk).exists()


# ---------------------------------------------------------------- stages


def stage(world, item, stage_value, day, by="teacher", responsible="teacher"):
    return services.stage_record(
        item=item,
        by=world.people[by],
        stage=stage_value,
        date=day,
        responsible=world.people[responsible],
        note="Заметка",
    )


def test_stages_are_recorded_in_order(world):
    item = data.draft(world, kind=ItemKind.GENERALISED)
    today = world.today
    stage(world, item, Stage.IDENTIFICATION, today - 30 * DAY)
    stage(world, item, Stage.STUDY, today - 30 * DAY, by="mo_head", responsible="mo_head")
    refused("stage_recorded", stage, world=world, item=item, stage_value=Stage.STUDY, day=today)
    refused("stage_order", stage, world=world, item=item, stage_value=Stage.ADOPTION, day=today)
    refused("stage_date", stage, world=world, item=item, stage_value=Stage.GENERALISATION, day=today - 31 * DAY)
    refused("stage_in_future", stage, world=world, item=item, stage_value=Stage.GENERALISATION, day=today + DAY)
    refused(
        "responsible_not_staff",
        stage,
        world=world,
        item=item,
        stage_value=Stage.GENERALISATION,
        day=today,
        responsible="researcher",
    )
    refused("unknown_stage", stage, world=world, item=item, stage_value="dreaming", day=today)
    refused(
        "not_stage_recorder", stage, world=world, item=item, stage_value=Stage.GENERALISATION, day=today, by="methodist"
    )
    assert list(item.stages.values_list("stage", flat=True)) == [Stage.IDENTIFICATION, Stage.STUDY]


def test_stages_only_for_generalised_experience_and_the_last_one_is_deleted(world):
    refused(
        "not_generalised", stage, world=world, item=data.draft(world), stage_value=Stage.IDENTIFICATION, day=world.today
    )
    item = data.draft(world, kind=ItemKind.GENERALISED)
    first = stage(world, item, Stage.IDENTIFICATION, world.today - 3 * DAY)
    second = stage(world, item, Stage.STUDY, world.today)
    refused("stage_not_last", services.stage_delete, stage=first, by=world.people["teacher"])
    services.stage_delete(stage=second, by=world.people["teacher"])
    assert list(ItemStage.objects.filter(item=item)) == [first]


# ---------------------------------------------------------------- files, links, downloads


def test_files_are_checked_and_stored_under_a_random_name(world):
    item = data.draft(world)
    teacher = world.people["teacher"]
    row = services.file_add(item=item, by=teacher, title="Конспект", file=data.pdf_file("../../x.pdf"))
    assert row.original_name == "x.pdf" and "x.pdf" not in row.file.name and ".." not in row.file.name
    assert row.file.name.startswith("experience/") and row.size == len(upload_samples.PDF)
    refused(
        "file_type",
        services.file_add,
        item=item,
        by=teacher,
        title="Вред",
        file=SimpleUploadedFile("../../x.html", upload_samples.HTML),
    )
    refused(
        "extension_mismatch",
        services.file_add,
        item=item,
        by=teacher,
        title="Переименован",
        file=SimpleUploadedFile("x.html", upload_samples.PDF),
    )
    refused("required", services.file_add, item=item, by=teacher, title="", file=data.pdf_file())
    refused("not_author", services.file_add, item=item, by=world.people["methodist"], title="Т", file=data.pdf_file())
    assert ItemFile.objects.filter(item=item).count() == 1


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    item = data.draft(world)
    refused(
        "file_too_big",
        services.file_add,
        item=item,
        by=world.people["teacher"],
        title="Большой",
        file=SimpleUploadedFile("big.pdf", upload_samples.PDF + b"0" * 200),
    )
    assert not ItemFile.objects.exists()


def test_an_item_holds_a_limited_number_of_files_and_links(world, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILES", 1)
    monkeypatch.setattr(services, "MAX_LINKS", 1)
    item = data.draft(world)
    teacher = world.people["teacher"]
    services.file_add(item=item, by=teacher, title="1", file=data.pdf_file())
    refused("too_many_files", services.file_add, item=item, by=teacher, title="2", file=data.pdf_file())
    services.link_add(item=item, by=teacher, url="http://fileserver/lessons/1")
    refused("too_many_links", services.link_add, item=item, by=teacher, url="https://example.org")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://server/x", "file:///etc/passwd", "http://", "https://a b"]
)
def test_links_are_http_or_https_only(world, url):
    item = data.draft(world)
    refused("evidence_link", services.link_add, item=item, by=world.people["teacher"], url=url)
    assert not ItemLink.objects.exists()


def test_files_and_links_change_only_while_editable(world):
    item = data.submitted(world)
    refused("not_editable", services.link_add, item=item, by=world.people["teacher"], url="https://example.org")
    refused("not_editable", services.file_add, item=item, by=world.people["teacher"], title="Т", file=data.pdf_file())


def test_downloads_count_readers_of_published_items_only(world):
    item = data.draft(world, co_authors=["group_lead"])
    row = services.file_add(item=item, by=world.people["teacher"], title="План", file=data.pdf_file())
    assert services.file_downloaded(file=row, by=world.people["chair"]) is False  # not published
    ExperienceItem.objects.filter(pk=item.pk).update(status=ItemStatus.PUBLISHED)
    row = ItemFile.objects.select_related("item").get(pk=row.pk)
    assert services.file_downloaded(file=row, by=world.people["teacher"]) is False  # its author
    assert services.file_downloaded(file=row, by=world.people["group_lead"]) is False  # its co-author
    assert services.file_downloaded(file=row, by=world.people["chair"]) is True
    assert services.file_downloaded(file=row, by=None) is True  # the administrator
    row.refresh_from_db()
    assert row.downloads == 2


# ---------------------------------------------------------------- an item written by the association's head

FULL_RUBRIC = {"relevance": 2, "novelty": 1, "practical_value": 2, "presentation": 2}


def test_the_methodist_reviews_an_item_its_associations_head_wrote(world):
    """The head cannot review their own item and nobody else heads the association: the methodist reviews it."""
    import rules

    from experience.selectors.items import review_queue
    from structure.selectors import roles_of

    head, methodist = world.people["mo_head"], world.people["methodist"]
    item = data.submitted(world, "mo_head")
    assert not rules.has_perm("experience.review_item", head.user, item)
    assert rules.has_perm("experience.review_item", methodist.user, item)
    assert item in review_queue(roles_of(methodist.user))
    assert item not in review_queue(roles_of(head.user))
    refused("own_item", services.item_review, item=item, by=head, outcome="recommend", **FULL_RUBRIC)
    services.item_review(item=item, by=methodist, outcome="recommend", **FULL_RUBRIC)
    item.refresh_from_db()
    assert item.status == "reviewed"


def test_the_methodist_does_not_review_a_teachers_item(world):
    import rules

    item = data.submitted(world, "teacher")
    methodist = world.people["methodist"]
    assert not rules.has_perm("experience.review_item", methodist.user, item)
    refused("not_head", services.item_review, item=item, by=methodist, outcome="recommend", **FULL_RUBRIC)
    refused(
        "methodist_reviews",
        services.item_review,
        item=data.submitted(world, "mo_head", title="Ещё"),
        by=world.people["chair"],
        outcome="recommend",
        **FULL_RUBRIC,
    )
