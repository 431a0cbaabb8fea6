"""The demo's items part (experience/demo_items.py) on the demo college's structure and planning: items in every
status, the `teacher`'s and `mo_head`'s work waiting, two signed council protocols and an upcoming meeting,
generalised experience with three stages, outside experience, real PDF files.

`ItemsDemoChecks` are written as the other apps' demo checks (a mixin with `prepare`) so that the lead may add them to
tests.test_seed_demo.SeededTest; `ItemsDemoTest` runs them here on structure + planning + this part."""

from __future__ import annotations

import contextlib

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from experience.models import ExperienceItem, ItemFile, ItemKind, ItemStatus
from experience.selectors.items import needs_me
from metodservice.common.uploads import EXPERIENCE_MATERIAL, detect_type
from structure.models import UnitKind, User
from structure.selectors import roles_of


class ItemsDemoChecks:
    @classmethod
    def prepare(cls, output: str = "") -> None:
        cls.today = timezone.localdate()

    def roles(self, username: str):
        return roles_of(User.objects.get(username=username))

    def test_items_in_every_status(self):
        statuses = set(ExperienceItem.objects.values_list("status", flat=True))
        assert statuses == set(ItemStatus.values)
        assert 15 <= ExperienceItem.objects.count() <= 25
        assert ExperienceItem.objects.filter(is_external=True, status=ItemStatus.PUBLISHED).count() == 2
        assert ExperienceItem.objects.filter(status=ItemStatus.PUBLISHED, is_external=False).count() >= 6

    def test_what_waits_for_the_demo_accounts(self):
        head = needs_me(self.roles("mo_head"), today=self.today)
        assert {i.author.user.username if i.author.user else i.author.last_name for i in head["items_to_review"]} >= {
            "teacher"
        }
        teacher = needs_me(self.roles("teacher"), today=self.today)
        assert teacher["items_returned"].count() == 1
        methodist = needs_me(self.roles("methodist"), today=self.today)
        assert methodist["items_for_council"].count() == 1 and methodist["items_to_publish"].count() == 1

    def test_the_council(self):
        on_agenda = ExperienceItem.objects.get(status=ItemStatus.REVIEWED, council_question__isnull=False)
        meeting = on_agenda.council_question.meeting
        assert meeting.unit.kind == UnitKind.COUNCIL and meeting.date >= self.today and not meeting.is_signed
        recommended = ExperienceItem.objects.filter(status__in=[ItemStatus.RECOMMENDED, ItemStatus.PUBLISHED])
        assert all(i.council_question.meeting.is_signed for i in recommended.filter(is_external=False))
        returned = ExperienceItem.objects.get(status=ItemStatus.RETURNED, reviews__by_council=True)
        assert returned.council_question.meeting.is_signed

    def test_generalised_experience_has_three_stages(self):
        item = ExperienceItem.objects.get(kind=ItemKind.GENERALISED)
        assert item.stages.count() == 3

    def test_files_are_real_pdfs(self):
        files = list(ItemFile.objects.all())
        assert len(files) >= 10
        media = getattr(self, "media", None)  # where the demo was seeded, if not MEDIA_ROOT
        with override_settings(MEDIA_ROOT=media) if media else contextlib.nullcontext():
            for row in files[:3]:
                with row.file.open("rb") as handle:
                    assert EXPERIENCE_MATERIAL.type_of(detect_type(handle)).extension == ".pdf"

    def test_the_pages_open(self):
        from django.test import Client

        client = Client()
        client.force_login(User.objects.get(username="teacher"))
        assert client.get(reverse("experience:item_mine")).status_code == 200
        for item in ExperienceItem.objects.filter(author__user__username="teacher"):
            assert client.get(item.get_absolute_url()).status_code == 200

    def test_council_meeting_numbers_follow_their_dates(self):
        from planning.models import Meeting

        meetings = Meeting.objects.filter(unit__kind=UnitKind.COUNCIL).order_by("year", "number")
        by_year: dict[int, list] = {}
        for meeting in meetings:
            by_year.setdefault(meeting.year_id, []).append(meeting.date)
        for dates in by_year.values():
            assert dates == sorted(dates), dates
