"""Staff import: reading CSV/XLSX, per-row errors in the preview, all-or-nothing apply."""

import base64
import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from metodservice.common import tables
from structure import importing
from structure.models import Education, Person, Position
from structure.resources import PersonImportResource, parse_education, split_full_name
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "ФИО",
    "Должность",
    "Дата приёма",
    "В должности с",
    "Педагогический стаж с",
    "Образование",
    "Учёная степень",
    "Награды",
    "Предметы",
    "E-mail",
]


@pytest.fixture(autouse=True)
def _english():
    """Messages in English (the msgids) whatever the project's translations say; Russian headers still match."""
    with translation.override("en"):
        yield


def csv_upload(rows, *, header=HEADER, delimiter=";", encoding="cp1251", name="staff.csv") -> SimpleUploadedFile:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding), content_type="text/csv")


def xlsx_bytes(rows, *, header=HEADER, title_rows=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xlsx_upload(rows, **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile("staff.xlsx", xlsx_bytes(rows, **kwargs), content_type=tables.XLSX_CONTENT_TYPE)


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def errors_by_line(preview) -> dict[int, list[str]]:
    return {row["line"]: row["errors"] for row in preview.rows}


# ---------------------------------------------------------------- valid files


def test_valid_csv_semicolon_cp1251_imports_all_rows():
    uploaded = csv_upload(
        [
            [
                "Ёлкина Мария Петровна",
                "преподаватель",
                "01.09.2015",
                "01.09.2018",
                "2012-09-01",
                "высшее педагогическое, РГПУ им. А. И. Герцена, 2011",
                "кандидат педагогических наук",
                "Почётная грамота",
                "Математика",
                " Elkina@Example.org ",
            ],
            ["ПЕТРОВ ОЛЕГ", "Мастер производственного обучения", "3.2.2020", "", "", "СПО", "", "", "", ""],
            ["Гусейнов Рашид Ахмед оглы", "Методист", "", "", "", "курсы повышения квалификации", "", "", "", ""],
        ]
    )
    before = Person.objects.count()

    preview = importing.preview_people_import(uploaded_file=uploaded)

    assert (preview.total, preview.error_count, preview.is_valid) == (3, 0, True)
    assert Person.objects.count() == before  # a preview writes nothing
    assert preview.rows[0] == {
        "line": 2,
        "full_name": "Ёлкина Мария Петровна",
        "position": "преподаватель",
        "hire_date": "01.09.2015",
        "position_since": "01.09.2018",
        "pedagogical_since": "2012-09-01",
        "education": "высшее педагогическое, РГПУ им. А. И. Герцена, 2011",
        "email": "Elkina@Example.org",
        "errors": [],
    }

    created = importing.apply_people_import(data=preview.data, filename=preview.filename)

    assert created == 3
    assert Person.objects.count() == before + 3
    elkina = Person.objects.get(last_name="Ёлкина")
    assert (elkina.first_name, elkina.patronymic) == ("Мария", "Петровна")
    assert elkina.position == Position.objects.get(name="Преподаватель")
    assert elkina.hire_date == datetime.date(2015, 9, 1)
    assert elkina.position_since == datetime.date(2018, 9, 1)
    assert elkina.pedagogical_since == datetime.date(2012, 9, 1)
    assert elkina.education == Education.HIGHER_PED
    assert elkina.education_details == "высшее педагогическое, РГПУ им. А. И. Герцена, 2011"
    assert elkina.academic_degree == "кандидат педагогических наук"
    assert elkina.awards == "Почётная грамота"
    assert elkina.subjects == "Математика"
    assert elkina.email == "elkina@example.org"
    assert elkina.is_external is False
    assert elkina.user is None
    petrov = Person.objects.get(last_name="Петров")
    assert (petrov.first_name, petrov.patronymic, petrov.hire_date) == ("Олег", "", datetime.date(2020, 2, 3))
    assert (petrov.education, petrov.education_details) == (Education.SECONDARY_VOC, "")
    guseynov = Person.objects.get(last_name="Гусейнов")
    assert guseynov.patronymic == "Ахмед оглы"
    assert (guseynov.education, guseynov.education_details) == (Education.OTHER, "курсы повышения квалификации")
    assert guseynov.history.count() == 1  # saved one by one: django-simple-history records the creation


def test_valid_xlsx_with_date_cells_imports_all_rows():
    uploaded = xlsx_upload(
        [
            [
                "Сергеева Анна Ивановна",
                "Преподаватель",
                datetime.datetime(2010, 9, 1),
                datetime.date(2016, 1, 11),
                "01.09.2008",
                "Высшее",
                None,
                None,
                "История; Обществознание",
                "sergeeva@example.org",
            ],
            ["Кузнецов Павел Андреевич", "Педагог-психолог", 43831, None, None, None, None, None, None, None],
        ]
    )

    preview = importing.preview_people_import(uploaded_file=uploaded)

    assert preview.is_valid, preview.rows
    assert preview.rows[0]["hire_date"] == "01.09.2010"
    assert importing.apply_people_import(data=preview.data, filename=preview.filename) == 2
    sergeeva = Person.objects.get(last_name="Сергеева")
    assert sergeeva.hire_date == datetime.date(2010, 9, 1)
    assert sergeeva.position_since == datetime.date(2016, 1, 11)
    assert sergeeva.pedagogical_since == datetime.date(2008, 9, 1)
    assert (sergeeva.education, sergeeva.education_details) == (Education.HIGHER, "")
    assert sergeeva.subjects == "История; Обществознание"
    kuznetsov = Person.objects.get(last_name="Кузнецов")
    assert kuznetsov.position.name == "Педагог-психолог"
    assert kuznetsov.hire_date == datetime.date(2020, 1, 1)  # an Excel serial number in a date column
    assert kuznetsov.email == ""


def test_xlsx_without_declared_dimension_is_read():
    """Some generators omit the sheet's <dimension>; its rows then come of different lengths."""
    data = xlsx_bytes([["Орлова Вера", "Методист"], ["Белов Антон", "Методист", "01.09.2020"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<dimension[^>]*/>", b"", content)
            target.writestr(info, content)

    preview = importing.preview_data(data=stream.getvalue(), filename="staff.xlsx")

    assert (preview.total, preview.error_count) == (2, 0), preview.rows
    assert preview.rows[1]["hire_date"] == "01.09.2020"


def test_headers_are_matched_loosely_and_title_rows_are_skipped():
    header = [" фио ", "ДОЛЖНОСТЬ", "Дата приема", "Примечание", "e-mail"]
    data = xlsx_bytes(
        [["Орлова Вера", "Воспитатель", "02.03.2021", "что угодно", "orlova@example.org"]],
        header=header,
        title_rows=[["Список сотрудников на 01.09.2025"], []],
    )

    preview = importing.preview_data(data=data, filename="список.xlsx")

    assert preview.is_valid, preview.rows
    assert preview.rows[0]["line"] == 4
    importing.apply_people_import(data=data, filename="список.xlsx")
    orlova = Person.objects.get(last_name="Орлова")
    assert (orlova.hire_date, orlova.email) == (datetime.date(2021, 3, 2), "orlova@example.org")


def test_utf8_csv_with_bom_and_commas_and_english_headers():
    data = ("\ufeff" + "Full name,Position,Hire date\r\nЗайцев Илья Ильич,Методист,15.01.2019\r\n").encode()

    assert importing.apply_people_import(data=data, filename="staff.csv") == 1
    assert Person.objects.get(last_name="Зайцев").hire_date == datetime.date(2019, 1, 15)


def test_russian_headers_match_when_the_interface_is_russian():
    with translation.override("ru"):
        preview = importing.preview_people_import(uploaded_file=csv_upload([["Белова Ольга", "Тьютор"]]))
    assert preview.is_valid, preview.rows


def test_sample_file_imports_cleanly():
    data = importing.people_import_template()

    preview = importing.preview_data(data=data, filename="template.xlsx")

    assert (preview.total, preview.error_count) == (2, 0), preview.rows
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    staff, positions = workbook.worksheets
    assert [cell.value for cell in staff[1]] == [
        str(PersonImportResource.fields[name].column_name)
        for name in (
            "full_name",
            "position",
            "hire_date",
            "position_since",
            "pedagogical_since",
            "education",
            "academic_degree",
            "awards",
            "subjects",
            "email",
        )
    ]
    assert staff["C2"].number_format == "DD.MM.YYYY"
    assert "Преподаватель" in [row[0].value for row in positions.iter_rows(min_row=2)]
    assert staff.data_validations.dataValidation  # the position column offers the list


# ---------------------------------------------------------------- bad rows


def test_broken_file_lists_every_bad_row_and_apply_writes_nothing():
    PersonFactory(last_name="Сидоров", first_name="Пётр", patronymic="Ильич", email="sidorov@example.org")
    uploaded = csv_upload(
        [
            ["Иванова Мария Петровна", "Преподаватель", "01.09.2015", "", "", "", "", "", "", "ivanova@example.org"],
            ["Смирнов Олег", "Преподаватель", "31.02.2020", "", "", "", "", "", "", ""],
            ["Козлов Иван", "Учитель", "", "", "", "", "", "", "", ""],
            ["ИВАНОВА МАРИЯ ПЕТРОВНА", "Методист", "", "", "", "", "", "", "", ""],
            ["Сидоров Петр Ильич", "Методист", "", "", "", "", "", "", "", ""],
            ["Новиков Андрей", "Методист", "", "", "", "", "", "", "", "SIDOROV@example.org"],
            ["Фёдоров", "", "01/09/2015", "", "", "", "", "", "", "not-an-email"],
            ["Петров Игорь", "Преподователь", "", "", "", "", "", "", "", "ivanova@example.org"],
        ]
    )
    before = Person.objects.count()
    history_before = Person.history.count()

    preview = importing.preview_people_import(uploaded_file=uploaded)

    assert (preview.total, preview.error_count, preview.is_valid) == (8, 7, False)
    assert errors_by_line(preview) == {
        2: [],
        3: ["Hire date: invalid date «31.02.2020» (expected DD.MM.YYYY)"],
        4: ["Unknown position: Учитель"],
        5: ["Duplicate: «Иванова Мария Петровна» is already in the file (row 2)"],
        6: ["Duplicate: «Сидоров Петр Ильич» is already in the database"],
        7: ["Duplicate: the e-mail sidorov@example.org already belongs to «Сидоров Пётр Ильич» in the database"],
        8: [
            "Full name: enter at least the last name and the first name: «Фёдоров»",
            "Position: required",
            "Hire date: invalid date «01/09/2015» (expected DD.MM.YYYY)",
            "E-mail: Enter a valid email address.",
        ],
        9: [
            "Unknown position: Преподователь (did you mean «Преподаватель»?)",
            "Duplicate: the e-mail ivanova@example.org is already in the file (row 2)",
        ],
    }
    assert Person.objects.count() == before

    with pytest.raises(ValidationError) as refused:
        importing.apply_people_import(data=preview.data, filename=preview.filename)

    assert refused.value.messages == ["Rows with errors: 7. Nothing was imported."]
    assert Person.objects.count() == before
    assert Person.history.count() == history_before
    assert not Person.objects.filter(last_name="Иванова").exists()


def test_other_row_errors():
    uploaded = csv_upload(
        [
            ["Иванов И.И.", "Методист"],
            ["Иванов2 Иван", "Методист"],
            ["Орлов Олег", "Методист", "01.09.2105"],
            ["О" * 101 + " Олег", "Методист"],
        ],
        header=["ФИО", "Должность", "Дата приёма"],
    )

    preview = importing.preview_people_import(uploaded_file=uploaded)

    assert errors_by_line(preview) == {
        2: ["Full name: write the first name and the patronymic in full, not initials: «Иванов И.И.»"],
        3: ["Full name: the full name contains digits: «Иванов2 Иван»"],
        4: ["Hire date: the date «01.09.2105» is out of range"],
        5: ["Full name: Ensure this value has at most 100 characters (it has 101)."],
    }


def test_blank_lines_do_not_shift_row_numbers():
    data = "ФИО;Должность;Дата приёма\n\nБелов Антон;Методист;1.1.2020\n;;\nЧернов Лев;Методист;32.01.2020\n".encode()

    preview = importing.preview_data(data=data, filename="staff.csv")

    assert preview.total == 2
    assert errors_by_line(preview) == {3: [], 5: ["Hire date: invalid date «32.01.2020» (expected DD.MM.YYYY)"]}


def test_apply_checks_the_database_again():
    preview = importing.preview_people_import(uploaded_file=csv_upload([["Лебедев Артём Олегович", "Методист"]]))
    assert preview.is_valid
    PersonFactory(last_name="Лебедев", first_name="Артем", patronymic="Олегович")  # added meanwhile, ё written as е
    before = Person.objects.count()

    with pytest.raises(ValidationError):
        importing.apply_people_import(data=preview.data, filename=preview.filename)

    assert Person.objects.count() == before


# ---------------------------------------------------------------- unusable files


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "staff.csv", "The file is empty."),
        (b"   \r\n", "staff.csv", "The file is empty."),
        (b"PK\x03\x04 this is not a zip archive", "staff.xlsx", "The file cannot be read"),
        (b"just some text", "staff.xlsx", "The file cannot be read"),
        (b"\x00\x01\x02\x03binary", "staff.csv", "The file cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "staff.xls", "Old Excel files (.xls) are not supported"),
        (b"%PDF-1.4 whatever", "staff.pdf", "Upload a CSV or XLSX file."),
    ],
)
def test_unreadable_files_are_refused(data, name, message):
    with pytest.raises(ValidationError) as refused:
        importing.preview_people_import(uploaded_file=upload(data, name))
    assert refused.value.messages[0].startswith(message)


def test_a_zip_that_is_not_a_workbook_is_refused():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ValidationError) as refused:
        importing.preview_data(data=stream.getvalue(), filename="staff.xlsx")
    assert refused.value.messages[0].startswith("The file cannot be read")


def test_missing_required_columns_are_named():
    uploaded = csv_upload([["01.09.2015", "x@example.org"]], header=["Дата приёма", "E-mail"])
    with pytest.raises(ValidationError) as refused:
        importing.preview_people_import(uploaded_file=uploaded)
    assert refused.value.messages == ["The file has no columns: Full name, Position"]

    with pytest.raises(ValidationError) as refused:
        importing.preview_people_import(uploaded_file=xlsx_upload([["Орлов Олег"]], header=["ФИО"]))
    assert refused.value.messages == ["The file has no columns: Position"]


def test_repeated_column_is_refused():
    uploaded = csv_upload([["Орлов Олег", "Методист", "Методист"]], header=["ФИО", "Должность", "должность"])
    with pytest.raises(ValidationError) as refused:
        importing.preview_people_import(uploaded_file=uploaded)
    assert refused.value.messages == ["These columns appear twice in the file: должность"]


def test_header_without_rows_is_refused():
    with pytest.raises(ValidationError) as refused:
        importing.preview_people_import(uploaded_file=csv_upload([]))
    assert refused.value.messages == ["The file has no rows with data."]


def test_file_over_one_megabyte_is_refused():
    big = csv_upload([["Орлов Олег", "Методист", "x" * 1024]] * 1100, header=["ФИО", "Должность", "Награды"])
    assert big.size > importing.MAX_FILE_SIZE
    with pytest.raises(ValidationError) as refused:
        importing.preview_people_import(uploaded_file=big)
    assert refused.value.messages == ["The file is larger than 1 MB."]
    with pytest.raises(ValidationError):
        importing.encode_for_session(big)
    with pytest.raises(ValidationError):
        importing.apply_people_import(data=b"x" * (importing.MAX_FILE_SIZE + 1), filename="staff.csv")


# ---------------------------------------------------------------- between preview and confirmation


def test_session_round_trip():
    uploaded = csv_upload([["Орлов Олег", "Методист"]], name="кадры.csv")
    content = uploaded.read()
    payload = importing.encode_for_session(uploaded)

    data, filename = importing.decode_from_session(payload)

    assert (data, filename) == (content, "кадры.csv")
    assert importing.apply_people_import(data=data, filename=filename) == 1


@pytest.mark.parametrize(
    "payload",
    [None, {}, {"data": 5}, {"data": "not base64!!", "filename": "x.csv"}, "string"],
)
def test_damaged_session_payload_is_refused(payload):
    with pytest.raises(ValidationError) as refused:
        importing.decode_from_session(payload)
    assert refused.value.messages == ["The uploaded file is no longer available: upload it again."]


def test_oversized_session_payload_is_refused():
    payload = {"filename": "x.csv", "data": base64.b64encode(b"x" * (importing.MAX_FILE_SIZE + 1)).decode()}
    with pytest.raises(ValidationError):
        importing.decode_from_session(payload)


# ---------------------------------------------------------------- cell parsers


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", ("", "")),
        ("высшее", (Education.HIGHER, "")),
        ("Высшее  педагогическое", (Education.HIGHER_PED, "")),
        ("высшее педагогическое (бакалавр)", (Education.HIGHER_PED, "высшее педагогическое (бакалавр)")),
        ("среднее профессиональное педагогическое", (Education.SECONDARY_VOC_PED, "")),
        ("СПО, колледж", (Education.SECONDARY_VOC, "СПО, колледж")),
        ("higher pedagogical", (Education.HIGHER_PED, "")),
        ("высшее техническое", (Education.HIGHER, "высшее техническое")),
        ("воспитатель", (Education.OTHER, "воспитатель")),
    ],
)
def test_parse_education(cell, expected):
    assert parse_education(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("  иванова-петрова   анна ", ("Иванова-Петрова", "Анна", "")),
        ("МакКензи Мария", ("МакКензи", "Мария", "")),
        ("Иванов, Иван Иванович", ("Иванов", "Иван", "Иванович")),
    ],
)
def test_split_full_name(cell, expected):
    assert split_full_name(cell) == expected
