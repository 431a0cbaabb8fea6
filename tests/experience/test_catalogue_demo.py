"""The demo's catalogue part (experience/demo_catalogue.py): download counts for files nobody downloaded, «New this
month» never empty, publications only moved forward, nothing done without published items.

`CatalogueDemoChecks` are written as the other apps' demo checks (a mixin with `prepare`) so that the lead may add
them to tests.test_seed_demo.SeededTest, on the whole demo."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experience.demo_catalogue import MIN_NEW, build_catalogue_demo
from experience.models import ExperienceItem, ItemFile, ItemStatus
from experience.selectors import catalogue as selectors
from structure.demo import Builder
from tests.experience.catalogue_data import published_item

DAY = datetime.timedelta(days=1)


class CatalogueDemoChecks:
    """On the seeded demo: the catalogue has what a newcomer should see."""

    @classmethod
    def prepare(cls, output: str = "") -> None:
        pass

    def test_the_catalogue_looks_lived_in(self):
        published = ExperienceItem.objects.published()
        assert published.count() >= MIN_NEW
        assert selectors.published_within(published).count() >= MIN_NEW
        assert not ItemFile.objects.filter(item__in=published, downloads=0).exists()
        assert published.filter(is_external=True).exists()

    def test_the_methodist_finds_a_published_item_by_a_word_form(self):
        self.client.force_login(self._user("methodist"))  # type: ignore[attr-defined]
        response = self.client.get(reverse("experience:catalogue"), {"q": "урок"})  # type: ignore[attr-defined]
        assert response.status_code == 200 and response.context["page"].paginator.count >= 1

    @staticmethod
    def _user(username: str):
        from structure.models import User

        return User.objects.get(username=username)


def builder() -> Builder:
    return Builder(timezone.localdate())


@pytest.mark.django_db
def test_nothing_to_do_without_published_items():
    draft = published_item(status=ItemStatus.DRAFT, published_at=None, downloads=(0,))
    build_catalogue_demo(builder())
    draft.refresh_from_db()
    assert draft.published_at is None
    assert ItemFile.objects.get(item=draft).downloads == 0


@pytest.mark.django_db
def test_files_get_downloads_and_the_latest_items_become_new():
    now = timezone.now()
    old = [published_item(title=f"Урок {n}", published_at=now - (60 + n) * DAY, downloads=(0, 5)) for n in range(5)]
    draft = published_item(status=ItemStatus.DRAFT, published_at=None, downloads=(0,))
    build_catalogue_demo(builder())
    published = ExperienceItem.objects.published()
    assert selectors.published_within(published).count() == MIN_NEW
    moved = ExperienceItem.objects.filter(pk__in=[item.pk for item in old[:MIN_NEW]])
    assert all(item.published_at >= now - 30 * DAY for item in moved)
    for item in old:
        assert ExperienceItem.objects.get(pk=item.pk).published_at >= item.published_at  # only ever forward
    assert not ItemFile.objects.filter(item__in=published, downloads=0).exists()
    assert sorted(ItemFile.objects.filter(item=old[0]).values_list("downloads", flat=True))[-1] == 5  # kept
    assert ItemFile.objects.get(item=draft).downloads == 0


@pytest.mark.django_db
def test_enough_new_items_are_left_alone():
    now = timezone.now()
    recent = [published_item(published_at=now - (n + 1) * DAY) for n in range(MIN_NEW)]
    old = published_item(published_at=now - 90 * DAY)
    build_catalogue_demo(builder())
    for item in [*recent, old]:
        assert ExperienceItem.objects.get(pk=item.pk).published_at == item.published_at


@pytest.mark.django_db
def test_the_demo_is_the_same_every_time():
    now = timezone.now()
    item = published_item(title="Мастер-класс", published_at=now - 70 * DAY, downloads=(0,))
    build_catalogue_demo(builder())
    first = ItemFile.objects.get(item=item).downloads
    ItemFile.objects.filter(item=item).update(downloads=0)
    build_catalogue_demo(builder())
    assert ItemFile.objects.get(item=item).downloads == first > 0
