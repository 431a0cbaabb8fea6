"""The competency framework pages: the list and a framework's tree and scale, the CSV download, the edits through
the forms (and their refusals on the fields), a frozen framework offering only its new version, the import page,
and the pinned query counts of the list and the detail."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from attestation.models import Competency, CompetencyFramework, DiagnosticCampaign
from attestation.services import frameworks as services
from planning.models import AcademicYear
from tests.world import build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world]


def url(name: str, **kwargs) -> str:
    return reverse(f"attestation:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


def default() -> CompetencyFramework:
    return CompetencyFramework.objects.get(version=1, name__startswith="Профессиональный стандарт 01.004")


def freeze(framework: CompetencyFramework, today: datetime.date) -> None:
    year, _ = AcademicYear.objects.get_or_create(
        title="2030/2031", defaults={"start": datetime.date(2030, 9, 1), "end": datetime.date(2031, 8, 31)}
    )
    DiagnosticCampaign.objects.create(
        title="Диагностика", year=year, framework=framework, scope="all", starts_on=today, ends_on=today
    )


@pytest.fixture
def draft(world):
    return services.framework_copy(framework=default(), by=world.people["methodist"])


def test_list_and_detail_for_a_teacher(world, draft, today):
    freeze(default(), today)
    client = client_for(world, "teacher")
    page = html(client.get(url("framework_list")))
    assert "01.004" in page and page.count(draft.get_absolute_url()) == 1
    assert url("framework_create") not in page  # the teacher only reads
    page = html(client.get(draft.get_absolute_url()))
    for text in ("A/01.6", "F/02.7", "не проявляется", "продвинутый"):
        assert text in page
    assert url("framework_edit", pk=draft.pk) not in page and url("framework_copy", pk=draft.pk) not in page


def test_export_downloads_the_csv(world):
    response = client_for(world, "teacher").get(url("framework_export", pk=default().pk))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content == services.framework_csv(default())


def test_a_frozen_framework_offers_only_its_new_version(world, today):
    framework = default()
    freeze(framework, today)
    client = client_for(world, "methodist")
    page = html(client.get(framework.get_absolute_url()))
    assert url("framework_copy", pk=framework.pk) in page
    assert url("framework_edit", pk=framework.pk) not in page
    assert url("competency_add", pk=framework.pk) not in page
    response = client.get(url("framework_levels", pk=framework.pk))
    assert response.status_code == 302 and response["Location"] == framework.get_absolute_url()
    response = client.post(url("framework_copy", pk=framework.pk))
    copy = CompetencyFramework.objects.get(based_on=framework)
    assert response["Location"] == copy.get_absolute_url() and copy.version == 2


def test_editing_through_the_forms(world, draft):
    client = client_for(world, "methodist")
    function = Competency.objects.get(framework=draft, code="A/01.6")
    response = client.post(
        url("competency_add", pk=draft.pk),
        {"kind": "indicator", "parent": function.pk, "code": "A/01.6.1", "name": "Проводит занятия"},
    )
    assert response.status_code == 302
    indicator = Competency.objects.get(framework=draft, code="A/01.6.1")
    assert indicator.parent == function
    # a refusal lands on its field, nothing written
    response = client.post(
        url("competency_add", pk=draft.pk), {"kind": "indicator", "parent": "", "code": "A/01.6.2", "name": "Х"}
    )
    assert response.status_code == 200 and response.context["form"].has_error("parent", "missing_parent")
    response = client.post(
        url("competency_edit", pk=indicator.pk),
        {"kind": "indicator", "parent": function.pk, "code": "A/02.6", "name": "Х"},
    )
    assert response.context["form"].has_error("code", "duplicate_code")
    response = client.post(url("competency_delete", pk=indicator.pk))
    assert response.status_code == 302 and not Competency.objects.filter(pk=indicator.pk).exists()
    response = client.post(url("framework_edit", pk=draft.pk), {"name": "Модель колледжа", "source": ""})
    draft.refresh_from_db()
    assert draft.name == "Модель колледжа"


def test_the_level_scale_form(world, draft):
    client = client_for(world, "deputy")
    data = {"levels-TOTAL_FORMS": "10", "levels-INITIAL_FORMS": "0"}
    for index in range(10):
        data[f"levels-{index}-name"] = ["нет", "", "да"][index] if index < 3 else ""
        data[f"levels-{index}-descriptor"] = ""
    response = client.post(url("framework_levels", pk=draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [level["name"] for level in draft.levels] == ["нет", "да"]
    data["levels-2-name"] = ""
    response = client.post(url("framework_levels", pk=draft.pk), data)
    assert response.status_code == 200 and response.context["errors"]


def test_the_import_page(world):
    client = client_for(world, "methodist")
    good = "code;name;kind;parent_code\r\nA;Раз;generalised;\r\nA/1;Два;function;A\r\n".encode("utf-8-sig")
    response = client.post(
        url("framework_import"), {"name": "Импорт", "source": "", "file": SimpleUploadedFile("a.csv", good)}
    )
    framework = CompetencyFramework.objects.get(name="Импорт")
    assert response["Location"] == framework.get_absolute_url()
    assert framework.competencies.count() == 2
    bad = "code;name;kind;parent_code\r\nA;Раз;generalised;\r\nA;Два;generalised;\r\n".encode()
    response = client.post(url("framework_reimport", pk=framework.pk), {"file": SimpleUploadedFile("b.csv", bad)})
    assert response.status_code == 200 and response.context["form"].has_error("file", "duplicate_code")
    assert framework.competencies.count() == 2


class PinnedQueriesTest(TestCase):
    """The list and the detail answer in a fixed number of queries: the default framework, two copies, and twenty
    more frameworks of 40 competencies (indicators included) with campaigns."""

    LIST = 5
    DETAIL = 7

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        original = CompetencyFramework.objects.get(version=1, name__startswith="Профессиональный стандарт 01.004")
        cls.copy = services.framework_copy(framework=original, by=None)
        services.framework_copy(framework=cls.copy, by=None)
        for function in Competency.objects.filter(framework=cls.copy, kind="function"):
            Competency.objects.create(
                framework=cls.copy, parent=function, code=f"{function.code}.1", name="Индикатор", kind="indicator"
            )
        for indicator in Competency.objects.filter(framework=cls.copy, kind="indicator"):  # a log of changes
            services.competency_update(
                competency=indicator, code=indicator.code + "a", name="Иной", kind="indicator", parent=indicator.parent
            )
        year = AcademicYear.objects.create(
            title="2030/2031", start=datetime.date(2030, 9, 1), end=datetime.date(2031, 8, 31)
        )
        for index in range(20):
            framework = services.framework_create(name=f"Модель {index}", by=None)
            Competency.objects.bulk_create(
                Competency(framework=framework, code=f"G{n}", name="Функция", kind="generalised", position=n)
                for n in range(40)
            )
            DiagnosticCampaign.objects.create(
                title="Д", year=year, framework=framework, scope="all", starts_on=year.start, ends_on=year.end
            )

    def test_counts(self):
        # The session, the user, the roles (1), the menu's badge (1); the list
        # in one query; the detail: the framework (with its counts), its competencies, and the change log (the
        # framework's rows and its competencies' rows, the previous rows of the changed ones).
        client = client_for(self.world, "methodist")
        for target, queries in ((url("framework_list"), self.LIST), (self.copy.get_absolute_url(), self.DETAIL)):
            with self.subTest(url=target):
                client.get(target)
                with self.assertNumQueries(queries):
                    response = client.get(target)
                self.assertEqual(response.status_code, 200)

    def test_the_count_does_not_grow(self):
        client = client_for(self.world, "methodist")
        client.get(url("framework_list"))
        for _index in range(5):
            services.framework_copy(framework=self.copy, by=None)
        for function in Competency.objects.filter(framework=self.copy, kind="indicator"):
            services.competency_update(
                competency=function, code=function.code + "x", name="Другой", kind="indicator", parent=function.parent
            )
        for target, queries in ((url("framework_list"), self.LIST), (self.copy.get_absolute_url(), self.DETAIL)):
            with self.subTest(url=target), self.assertNumQueries(queries):
                client.get(target)
