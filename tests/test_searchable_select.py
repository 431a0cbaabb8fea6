"""People and units are picked by searching: every form field (and list filter) that picks people or units is a
SearchableSelect, a plain <select> with all its options that static/js/searchable.js turns into a Tom Select picker.

These tests hold without a browser: the widget's markup, the option labels «Фамилия И.О. — position, unit», a fixed
number of queries for a long list of people, a form posted as a plain select posts it, and a scan of every form and
filter class of the apps (those written later too) for a people or unit field with another widget.
The browser side is tests/browser/test_searchable_select.py.
"""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from metodservice.common.widgets import SearchableSelect, SearchableSelectMultiple
from planning.forms.plans import ItemForm
from planning.models import Plan, PlanLevel
from structure.forms import ActionForm, OrderForm, person_choice_label
from structure.models import Approval, Order, OrderStatus, Person, Unit, UnitKind
from structure.selectors import people_for_picker
from tests.factories import PersonFactory, create_unit
from tests.world import client_for

pytestmark = [pytest.mark.django_db]

#: The project's apps: every module of theirs with "forms" or "filters" in its name is scanned.
APPS = ["structure", "planning", "attestation", "experience", "metodservice"]


# ---------------------------------------------------------------- the widget


def test_the_widget_is_a_plain_select_with_every_option_and_the_pickers_words():
    widget = SearchableSelect(choices=[("", "—"), ("1", "Орлова А.С. — Преподаватель"), ("2", "Петров П.П.")])
    html = widget.render("person", "2", attrs={"id": "id_person"})
    assert html.startswith('<select name="person"')
    assert "data-searchable" in html
    assert 'id="id_person"' in html
    assert "multiple" not in html
    for value, label in (("", "—"), ("1", "Орлова А.С. — Преподаватель")):
        assert f'<option value="{value}">{label}</option>' in html
    assert '<option value="2" selected>Петров П.П.</option>' in html
    # The picker's words, in the user's language (Russian from the merged translations).
    assert 'data-placeholder="Начните вводить для поиска"' in html
    assert 'data-no-results="Ничего не найдено"' in html
    assert 'data-remove-label="Убрать из выбранных"' in html


def test_the_multiple_widget_is_a_tall_multiple_select_and_takes_its_own_placeholder():
    widget = SearchableSelectMultiple(choices=[(str(n), f"Человек {n}") for n in range(1, 40)], placeholder="Кого?")
    html = widget.render("people", ["3", "7"], attrs={"id": "id_people"})
    assert html.startswith('<select name="people"')
    assert " multiple" in html and 'size="10"' in html and "data-searchable" in html
    assert 'data-placeholder="Кого?"' in html
    assert html.count("<option ") == 39
    assert html.count(" selected>") == 2


def test_the_widget_posts_like_a_plain_select():
    widget = SearchableSelectMultiple(choices=[("1", "a"), ("2", "b")])
    assert widget.value_from_datadict(QueryDict("people=1&people=2"), {}, "people") == ["1", "2"]
    assert SearchableSelect().value_from_datadict(QueryDict("person=2"), {}, "person") == "2"


# ---------------------------------------------------------------- labels


@pytest.mark.world
def test_a_person_is_offered_with_name_position_and_unit(world):
    people = world.people
    people_by_pk = {person.pk: person for person in people_for_picker(Person.objects.all())}
    # A member of a subject association, of a council, of nothing; an external researcher of the lab.
    assert person_choice_label(people_by_pk[people["mo_head"].pk]) == (
        f"{people['mo_head'].short_name} — Преподаватель, ПЦК общепрофессиональных дисциплин"
    )
    assert person_choice_label(people_by_pk[people["methodist"].pk]) == (
        f"{people['methodist'].short_name} — Методист, Методический совет"
    )
    assert person_choice_label(people_by_pk[people["director"].pk]) == f"{people['director'].short_name} — Директор"
    assert person_choice_label(people_by_pk[people["researcher"].pk]) == (
        f"{people['researcher'].short_name} — Педагогический университет, Экспериментальная лаборатория"
    )
    assert people["mo_head"].short_name.startswith("Фамилия-mo_head И.")  # «Фамилия И.О.»


@pytest.mark.world
def test_of_several_units_the_subject_association_is_named(world):
    people = world.people
    # mo_head heads the association; a creative group whose name sorts first takes them as a member too.
    create_unit(
        people["director"],
        people["deputy"],
        UnitKind.CREATIVE_GROUP,
        "Аналитика",
        head=people["group_lead"],
        members=[people["mo_head"]],
    )
    person = people_for_picker(Person.objects.filter(pk=people["mo_head"].pk)).get()
    assert person_choice_label(person).endswith("ПЦК общепрофессиональных дисциплин")
    # Without the prefetch the label asks the database, and says the same.
    assert person_choice_label(Person.objects.get(pk=person.pk)) == person_choice_label(person)


@pytest.mark.world
def test_a_unit_is_offered_with_its_kind(world):
    form = ActionForm(order=world.draft)
    labels = dict((str(value), label) for value, label in form.fields["unit"].choices)
    assert labels[str(world.group.pk)] == "Цифровая дидактика — творческая группа"
    assert isinstance(form.fields["unit"].widget, SearchableSelect)


@pytest.mark.world(extra_staff=30)
def test_the_order_form_offers_30_people_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = client_for(world, "deputy")
    url = reverse("structure:order_create")
    client.get(url)  # warm caches (content types, sessions)
    # session, user, roles (the person with their memberships); the approvers: the people with their positions, and
    # their memberships today with the units (one query for all of them).
    with django_assert_num_queries(QUERIES_ORDER_FORM) as captured:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    approvers = response.context["form"].fields["approvers"].queryset
    assert approvers.count() >= 35
    assert html.count("data-searchable") == 1
    assert sum(1 for person in approvers if f">{person.short_name} — " in html) == approvers.count()
    # Ten more people in units: not one query more.
    more = PersonFactory.create_batch(10)
    director, deputy = world.people["director"], world.people["deputy"]
    create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "Ещё группа", head=more[0], members=more[1:])
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(url)
    assert all(f">{person.short_name} — Преподаватель, Ещё группа<" in response.content.decode() for person in more)


QUERIES_ORDER_FORM = 6  # 5 for the form (above), one for the menu's badge (metodservice.attention)


# ---------------------------------------------------------------- a form posted without JavaScript


@pytest.mark.world
def test_the_order_form_posted_as_a_plain_select_saves_both_approvers(world):
    chair, secretary = world.people["chair"], world.people["secretary"]
    response = client_for(world, "deputy").post(
        reverse("structure:order_create"),
        {
            "title": "О проведении недели методики",
            "preamble": "В целях",
            "control_text": "Контроль за исполнением приказа оставляю за собой.",
            "approvers": [chair.pk, secretary.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    order = Order.objects.get(title="О проведении недели методики")
    assert order.status == OrderStatus.DRAFT
    assert set(Approval.objects.filter(order=order).values_list("person", flat=True)) == {chair.pk, secretary.pk}


@pytest.mark.world
def test_an_unknown_person_posted_is_refused_on_the_field(world):
    response = client_for(world, "deputy").post(
        reverse("structure:order_create"),
        {
            "title": "О проверке",
            "preamble": "В целях",
            "control_text": "Контроль оставляю за собой.",
            "approvers": [999_999],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["approvers"][0].startswith("Выберите корректный вариант")
    assert not Order.objects.filter(title="О проверке").exists()


@pytest.mark.world
def test_the_plan_item_form_no_longer_asks_for_ctrl_click(world):
    form = ItemForm(plan=Plan(level=PlanLevel.SERVICE))
    field = form.fields["responsible"]
    assert isinstance(field.widget, SearchableSelectMultiple)
    assert "Ctrl" not in str(field.help_text)


# ---------------------------------------------------------------- every people or unit field of every form


def _project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            leaf = info.name.rsplit(".", 1)[-1]
            if "forms" in info.name.split(".") or leaf.startswith(("forms", "filters")):
                yield importlib.import_module(info.name)


def _classes(base: type) -> list[type]:
    modules = {module.__name__ for module in _project_modules()}
    found, stack = [], [base]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__ in modules:
                found.append(cls)
    return found


def _model_of(queryset) -> type | None:
    if callable(queryset) and not isinstance(queryset, QuerySet):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        queryset = queryset(request)
    return getattr(queryset, "model", None)


PICKED = (Person, Unit)


def test_every_form_field_that_picks_people_or_units_is_searchable():
    checked, wrong = [], []
    for form_class in _classes(forms.BaseForm):
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.ModelChoiceField) and _model_of(field.queryset) in PICKED:
                checked.append(f"{form_class.__name__}.{name}")
                # A hidden field is no picker: it carries the id a link gave (a person's page → the filtered log),
                # beside a surname search (region scale: a select of 3,000 people would weigh 600 KB).
                if not isinstance(field.widget, SearchableSelect | forms.HiddenInput):
                    wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert not wrong, f"people or unit fields with a plain widget: {wrong}"
    # The fields known today are among those checked (the scan finds forms at all).
    for known in ("OrderForm.approvers", "ActionForm.unit", "ActionForm.person", "ItemForm.responsible"):
        assert known in checked
    assert len(checked) >= 12, checked


def test_every_list_filter_that_picks_people_or_units_is_searchable():
    checked, wrong = [], []
    for filterset in _classes(django_filters.FilterSet):
        for name, flt in filterset.base_filters.items():
            if not isinstance(flt, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                continue
            if _model_of(flt.extra.get("queryset")) not in PICKED:
                continue
            checked.append(f"{filterset.__name__}.{name}")
            # The widget the filter's form field gets: the filter's own, else its field class's default.
            widget = flt.extra.get("widget") or flt.field_class(queryset=Unit.objects.none()).widget
            widget_class = widget if isinstance(widget, type) else type(widget)
            if not issubclass(widget_class, SearchableSelect | forms.HiddenInput):
                wrong.append(f"{filterset.__module__}.{filterset.__name__}.{name}")
    assert not wrong, f"people or unit filters with a plain widget: {wrong}"
    assert {"PlanFilter.unit", "MeetingFilter.unit", "DecisionFilter.unit"} <= set(checked)


def test_the_scan_would_see_a_plain_people_field():
    class Plain(forms.Form):
        person = forms.ModelChoiceField(queryset=Person.objects.none())

    assert _model_of(Plain.base_fields["person"].queryset) is Person
    assert not isinstance(Plain.base_fields["person"].widget, SearchableSelect)


@pytest.mark.world
def test_the_order_actions_person_and_unit_render_searchable(world):
    form = ActionForm(order=world.draft)
    html = str(form["person"]) + str(form["unit"])
    assert html.count("data-searchable") == 2
    assert 'data-placeholder="Начните вводить фамилию"' in html
    assert 'data-placeholder="Начните вводить название"' in html


@pytest.mark.world
def test_order_form_initial_approvers_are_selected(world):
    order = world.on_approval
    form = OrderForm(instance=order)
    html = str(form["approvers"])
    assert f'<option value="{world.people["chair"].pk}" selected>' in html
