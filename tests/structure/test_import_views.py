"""Views of the staff import and the XLSX exports, through the test client."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from metodservice.common import tables
from structure import services
from structure.models import Person, SystemRole
from structure.views_io import SESSION_KEY
from tests.factories import ExternalPersonFactory, PersonFactory, UserFactory, person_with_account

pytestmark = pytest.mark.django_db

IMPORT_URL = "structure:people_import"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def login(client, username: str, role: str = SystemRole.METHODIST):
    person = person_with_account(username, role)
    client.force_login(person.user)
    return person


def csv_file(*rows: str, name: str = "staff.csv") -> SimpleUploadedFile:
    text = "\r\n".join(["ФИО;Должность;Дата приёма", *rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("cp1251"), content_type="text/csv")


def sheet_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# ---------------------------------------------------------------- import


def test_import_page_needs_login_and_permission(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    login(client, "teacher", SystemRole.TEACHER)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert client.get(reverse("structure:people_import_template")).status_code == 403


def test_methodist_sees_the_upload_form_and_the_columns(client):
    login(client, "methodist")

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert reverse("structure:people_import_template") in content
    assert "Pedagogical service since" in content
    assert "Преподаватель" in content  # the list of positions


def test_upload_preview_confirm_creates_people(client):
    login(client, "methodist")
    before = Person.objects.count()

    response = client.post(
        reverse(IMPORT_URL), {"file": csv_file("Орлова Вера Павловна;Методист;01.09.2015", "Белов Антон;Тьютор;")}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "2 rows, 0 with errors" in content
    assert 'name="confirm"' in content
    assert "Орлова Вера Павловна" in content
    assert Person.objects.count() == before
    assert SESSION_KEY in client.session

    response = client.post(reverse(IMPORT_URL), {"confirm": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("structure:person_list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Imported staff members: 2"]
    assert Person.objects.count() == before + 2
    assert SESSION_KEY not in client.session

    # A second confirmation has nothing left to import.
    response = client.post(reverse(IMPORT_URL), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse(IMPORT_URL)
    assert Person.objects.count() == before + 2


def test_broken_file_shows_row_errors_and_no_confirm_button(client):
    login(client, "methodist")
    before = Person.objects.count()

    response = client.post(
        reverse(IMPORT_URL),
        {"file": csv_file("Орлова Вера;Методист;31.02.2020", "Белов Антон;Учитель;", "Орлова Вера;Методист;")},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "3 rows, 3 with errors" in content
    assert "table-danger" in content
    assert "invalid date «31.02.2020»" in content
    assert "Unknown position: Учитель" in content
    assert "Duplicate: «Орлова Вера» is already in the file (row 2)" in content
    assert 'name="confirm"' not in content
    assert SESSION_KEY not in client.session

    client.post(reverse(IMPORT_URL), {"confirm": "1"})
    assert Person.objects.count() == before


def test_unreadable_file_is_an_error_on_the_form(client):
    login(client, "methodist")

    response = client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile("staff.xlsx", b"not a workbook")})

    assert response.status_code == 200
    assert "The file cannot be read" in response.content.decode()
    assert response.context["preview"] is None


def test_confirm_refused_when_the_database_changed(client):
    login(client, "methodist")
    client.post(reverse(IMPORT_URL), {"file": csv_file("Орлова Вера;Методист;")})
    PersonFactory(last_name="Орлова", first_name="Вера", patronymic="")  # added after the preview
    before = Person.objects.count()

    response = client.post(reverse(IMPORT_URL), {"confirm": "1"})

    assert response.status_code == 200
    assert "Duplicate: «Орлова Вера» is already in the database" in response.content.decode()
    assert Person.objects.count() == before


def test_import_template_download(client):
    login(client, "methodist")

    response = client.get(reverse("structure:people_import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert sheet_rows(response)[0][:2] == ["Full name", "Position"]


# ---------------------------------------------------------------- exports


def test_people_export_follows_the_list_filter(client):
    login(client, "teacher", SystemRole.TEACHER)
    ExternalPersonFactory(last_name="Внешний")

    response = client.get(reverse("structure:people_export"), {"is_external": "true"})

    assert response.status_code == 200
    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert "filename" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][0] == "Full name"
    assert [row[0] for row in rows[1:]] == ["Внешний Иван Иванович"]


def test_people_export_refused_without_permission(client):
    user = UserFactory(username="nobody")  # an account without a person
    client.force_login(user)
    assert client.get(reverse("structure:people_export")).status_code == 403
    assert client.get(reverse("structure:structure_export")).status_code == 403
    assert client.get(reverse("structure:orders_export")).status_code == 403


def test_orders_export_shows_only_visible_orders(client):
    director = person_with_account("director", SystemRole.DIRECTOR)
    deputy = person_with_account("deputy", SystemRole.DEPUTY)
    services.order_create(author=deputy, title="О черновике", preamble="В целях")
    login(client, "teacher", SystemRole.TEACHER)

    response = client.get(reverse("structure:orders_export"))

    assert response.status_code == 200
    assert sheet_rows(response) == [["Number", "Date", "Title", "Status", "Author", "Signed by", "Acknowledged"]]

    client.force_login(director.user)
    rows = sheet_rows(client.get(reverse("structure:orders_export")))
    assert [row[2] for row in rows[1:]] == ["О черновике"]


@pytest.mark.parametrize("date", ["2024-09-01", "01.09.2024", "not-a-date", "2024-02-31", ""])
def test_structure_export_never_fails_on_the_date(client, date):
    login(client, "teacher", SystemRole.TEACHER)

    response = client.get(reverse("structure:structure_export"), {"date": date})

    assert response.status_code == 200
    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert sheet_rows(response)[0] == ["Unit", "Kind", "Full name", "Role", "Since", "By order"]
