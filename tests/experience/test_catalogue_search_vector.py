"""The catalogue's stored search vector (issue 13) follows every change of what it is made of, whatever writes it:
an item's text, its co-authors, a person's name; and a bulk insert gets its vectors too (PostgreSQL's triggers)."""

from __future__ import annotations

import pytest
from django.db import connection

from experience.models import ExperienceItem
from experience.selectors import catalogue as selectors
from experience.services.search import refresh_search
from tests.experience.catalogue_data import published_item
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's"),
]


def titles(text: str) -> list[str]:
    return [item.title for item in selectors.search(selectors.catalogue_items(), text)]


def test_the_vector_follows_the_text_the_co_authors_and_the_names():
    author = PersonFactory(last_name="Крылова")
    item = published_item(title="Проектная деятельность", author=author)
    assert titles("проектной") == ["Проектная деятельность"]
    assert titles("Крылова") == ["Проектная деятельность"]

    ExperienceItem.objects.filter(pk=item.pk).update(title="Кейс-метод на уроках химии")  # no service, no signal
    assert titles("проектной") == []
    assert titles("химии") == ["Кейс-метод на уроках химии"]

    colleague = PersonFactory(last_name="Зимина")
    item.co_authors.add(colleague)
    assert titles("Зимина") == ["Кейс-метод на уроках химии"]
    item.co_authors.remove(colleague)
    assert titles("Зимина") == []

    author.last_name = "Соколова"  # married: her items are found by the new name
    author.save()
    assert titles("Соколова") == ["Кейс-метод на уроках химии"]
    assert titles("Крылова") == []


def test_a_bulk_insert_and_a_refresh_fill_every_vector():
    author = PersonFactory()
    template = published_item(title="Образец", author=author)
    ExperienceItem.objects.bulk_create(
        [
            ExperienceItem(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in ExperienceItem._meta.concrete_fields
                    if not f.primary_key
                }
                | {"title": f"Лабораторная работа {n}"}
            )
            for n in range(5)
        ]
    )
    assert len(titles("лабораторной")) == 5
    ExperienceItem.objects.update(search_vector=None)
    refresh_search()
    assert not ExperienceItem.objects.filter(search_vector=None).exists()
    assert len(titles("лабораторной")) == 5
