"""Published experience items for the catalogue's tests, made directly (the items' own life — filing, review,
publication — is tested by the items area): factory-boy factories and a bulk builder for thousands of items.

`published_item(...)` makes one published item (with co-authors and files with download counts); `bulk_catalogue(...)`
writes `count` items with two co-authors and two files each in a handful of queries (bulk_create).
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from experience.models import ExperienceItem, ItemFile, ItemKind, ItemStatus, Level
from planning.models import WorkDirection
from structure.models import Person
from tests.factories import PersonFactory


class PublishedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceItem
        skip_postgeneration_save = True

    kind = ItemKind.OPEN_LESSON
    title = factory.Sequence(lambda n: f"Методическая разработка № {n}")
    author = factory.SubFactory(PersonFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    level = Level.COLLEGE
    topic = ""
    status = ItemStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=45))

    @factory.post_generation
    def co_authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_authors.set(extracted)


class ItemFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemFile

    item = factory.SubFactory(PublishedItemFactory)
    title = factory.Sequence(lambda n: f"Материалы {n}")
    file = factory.Sequence(lambda n: f"experience/2026/material_{n}.pdf")
    original_name = "Материалы.pdf"
    size = 1024
    downloads = 0
    uploaded_by = factory.LazyAttribute(lambda f: f.item.author)


def published_item(*, downloads: tuple[int, ...] = (), co_authors: tuple[Person, ...] = (), **fields) -> ExperienceItem:
    """A published item with one file per number in `downloads` (its download count)."""
    item = PublishedItemFactory(co_authors=list(co_authors), **fields)
    for number in downloads:
        ItemFileFactory(item=item, downloads=number)
    return item


def direction(code: int) -> WorkDirection:
    return WorkDirection.objects.get(code=code)


def bulk_catalogue(author: Person, co_authors: list[Person], *, count: int = 2000, prefix: str = "Урок") -> None:
    """`count` published items by `author` with two of `co_authors` and two files each, dated over the last years;
    every tenth one outside experience, some drafts in between (never shown)."""
    today = timezone.localdate()
    now = timezone.now()
    kinds = list(ItemKind)
    levels = list(Level)
    items = ExperienceItem.objects.bulk_create(
        [
            ExperienceItem(
                kind=kinds[index % len(kinds)],
                title=f"{prefix} {index}: проектная деятельность на уроках",
                author=author,
                date=today - datetime.timedelta(days=index % 900),
                level=levels[index % len(levels)],
                topic="Формирование общих компетенций",
                relevance="Актуальность обусловлена требованиями ФГОС СПО",
                results="Рост качества знаний обучающихся",
                status=ItemStatus.DRAFT if index % 7 == 0 else ItemStatus.PUBLISHED,
                is_external=index % 10 == 0,
                source="Региональный банк педагогического опыта" if index % 10 == 0 else "",
                external_authors="Петрова А.А." if index % 10 == 0 else "",
                published_at=None if index % 7 == 0 else now - datetime.timedelta(days=index % 400),
            )
            for index in range(count)
        ]
    )
    Through = ExperienceItem.co_authors.through
    Through.objects.bulk_create(
        [
            Through(experienceitem_id=item.pk, person_id=co_authors[(index + shift) % len(co_authors)].pk)
            for index, item in enumerate(items)
            for shift in (0, 1)
        ]
    )
    ItemFile.objects.bulk_create(
        [
            ItemFile(
                item=item,
                title=f"Файл {number}",
                file=f"experience/2026/bulk_{item.pk}_{number}.pdf",
                size=2048,
                downloads=(index * 7 + number) % 50,
                uploaded_by=author,
            )
            for index, item in enumerate(items)
            for number in (1, 2)
        ]
    )
