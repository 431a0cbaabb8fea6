"""Uploads (metodservice.common.uploads) on the plan item's evidence: every class of bad file is refused by its content
with its code, and nothing is saved — no file in MEDIA_ROOT, the item and its history unchanged; good files of
every allowed type are stored under random names; the download is an attachment of a safe type, for those who may
see the plan only; a replaced file is removed after the commit and the history shows the change."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from metodservice.common import tables, uploads
from planning import services
from planning.models import ItemStatus, PlanItem
from structure import importing
from tests.security import upload_samples as samples

#: The world's academic year and the item's deadline follow from this day, not from today.
CLOCK = datetime.datetime(2025, 10, 15, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
STORED_NAME = re.compile(r"^plan_evidence/2025/[0-9a-f]{24}\.(\w+)$")

# The tests run on the clock of the world: from CLOCK on.
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=CLOCK)]


@pytest.fixture
def item(world) -> PlanItem:
    return world.teacher_item  # on the approved service plan; the teacher is responsible


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def state(item: PlanItem) -> tuple:
    item = PlanItem.objects.get(pk=item.pk)
    return (
        item.status,
        item.report,
        item.evidence_file.name,
        item.evidence_link,
        item.status_changed_at,
        item.history.count(),
    )


def mark(item: PlanItem, name: str, data: bytes, **kwargs) -> PlanItem:
    return services.item_mark(
        item=item,
        status=ItemStatus.DONE,
        report="Урок проведён",
        evidence_file=SimpleUploadedFile(name, data, content_type="application/pdf"),  # the browser's word: ignored
        **kwargs,
    )


def refusal_code(error: ValidationError) -> str:
    (refusal,) = error.error_dict["evidence_file"]
    return refusal.code


# ---------------------------------------------------------------- refused, nothing saved

BAD_FILES = [
    pytest.param("page.html", samples.HTML, "file_type", id="html"),
    pytest.param("page.htm", samples.HTML, "file_type", id="htm"),
    pytest.param("drawing.svg", samples.SVG, "file_type", id="svg"),
    pytest.param("script.js", samples.JS, "file_type", id="js"),
    pytest.param("data.xml", samples.XML, "file_type", id="xml"),
    pytest.param("notes.txt", samples.TEXT, "file_type", id="plain text"),
    pytest.param("setup.exe", samples.EXE, "file_type", id="exe"),
    pytest.param("tool", samples.ELF, "file_type", id="elf"),
    pytest.param("report.pdf", samples.ELF, "file_type", id="elf renamed .pdf"),
    pytest.param("report.html", samples.PDF, "extension_mismatch", id="pdf renamed .html"),
    pytest.param("report.pdf", samples.HTML, "file_type", id="html renamed .pdf"),
    pytest.param("drawing.png", samples.SVG, "file_type", id="svg renamed .png"),
    pytest.param("report.docx", samples.PDF, "extension_mismatch", id="pdf renamed .docx"),
    pytest.param("report", samples.PDF, "extension_mismatch", id="pdf without extension"),
    pytest.param("evidence.zip", samples.zip_of([("a.html", samples.HTML)]), "file_type", id="zip"),
    pytest.param("report.docx", samples.zip_of([("a.html", samples.HTML)]), "file_type", id="zip renamed .docx"),
    pytest.param("report.docx", samples.ooxml("word/document.xml", macros=True), "file_type", id="docx with macros"),
    pytest.param("report.doc", samples.compound_file("Other"), "file_type", id="unknown OLE file"),
    pytest.param("report.pdf", b"", "file_empty", id="empty"),
]


@pytest.mark.parametrize(("name", "data", "code"), BAD_FILES)
def test_bad_upload_is_refused_with_its_code_and_nothing_is_saved(item, name, data, code):
    before = state(item)

    with pytest.raises(ValidationError) as refused:
        mark(item, name, data)

    assert refusal_code(refused.value) == code
    (message,) = refused.value.message_dict["evidence_file"]
    assert uploads.EVIDENCE.rule() in message, "the refusal names the allowed types and the limit"
    assert "PDF" in message and "DOCX" in message
    assert state(item) == before
    assert media_files() == []


def test_too_big_by_one_byte_is_refused_and_the_limit_itself_accepted(item, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    before = state(item)

    with pytest.raises(ValidationError) as refused:
        mark(item, "report.pdf", samples.PDF.ljust(4097, b" "))

    assert refusal_code(refused.value) == "file_too_big"
    assert uploads.format_size(4096) in refused.value.message_dict["evidence_file"][0]
    assert state(item) == before
    assert media_files() == []

    mark(item, "report.pdf", samples.PDF.ljust(4096, b" "))
    assert len(media_files()) == 1


def test_limit_is_the_upload_max_bytes_setting(settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    assert uploads.EVIDENCE.limit == 5 * 1024 * 1024
    assert uploads.format_size(uploads.EVIDENCE.limit) in uploads.EVIDENCE.rule()


def test_other_refusals_of_the_service_save_no_file_either(item):
    before = state(item)
    with pytest.raises(ValidationError) as refused:
        mark(item, "report.pdf", samples.PDF, evidence_link="ftp://fileserver/report")
    assert "evidence_link" in refused.value.message_dict
    assert state(item) == before
    assert media_files() == []


# ---------------------------------------------------------------- accepted

GOOD_FILES = [
    pytest.param("Протокол заседания.pdf", samples.PDF, "pdf", id="pdf"),
    pytest.param("photo.PNG", samples.png(), "png", id="png"),
    pytest.param("photo.jpeg", samples.jpeg(), "jpg", id="jpeg"),
    pytest.param("report.docx", samples.ooxml("word/document.xml"), "docx", id="docx"),
    pytest.param("report.docx", samples.ooxml("word/document.xml", first="_rels/.rels"), "docx", id="docx-rels-first"),
    pytest.param("table.xlsx", samples.ooxml("xl/workbook.xml"), "xlsx", id="xlsx"),
    pytest.param("slides.pptx", samples.ooxml("ppt/presentation.xml"), "pptx", id="pptx"),
    pytest.param("report.odt", samples.odf("text"), "odt", id="odt"),
    pytest.param("table.ods", samples.odf("spreadsheet"), "ods", id="ods"),
    pytest.param("slides.odp", samples.odf("presentation"), "odp", id="odp"),
    pytest.param("report.doc", samples.compound_file("WordDocument", b"x" * 300_000), "doc", id="doc"),
    pytest.param("table.xls", samples.compound_file("Workbook"), "xls", id="xls"),
]


@pytest.mark.parametrize(("name", "data", "extension"), GOOD_FILES)
def test_good_file_is_stored_under_a_random_name_with_its_type_extension(item, name, data, extension):
    marked = mark(item, name, data)

    match = STORED_NAME.match(marked.evidence_file.name)
    assert match, marked.evidence_file.name
    assert match.group(1) == extension
    assert [path.name for path in media_files()] == [Path(marked.evidence_file.name).name]
    assert media_files()[0].read_bytes() == data
    assert marked.status == ItemStatus.DONE
    assert name in marked.history.first().history_change_reason


def test_good_pdf_through_the_form(item, client):
    client.force_login(item.responsible.get().user)
    url = reverse("planning:item_mark", args=[item.plan_id, item.pk])

    page = client.get(url).content.decode()
    assert f'accept="{uploads.EVIDENCE.accept}"' in page
    assert uploads.EVIDENCE.rule() in page

    response = client.post(
        url,
        {
            "status": ItemStatus.DONE,
            "report": "Проведено",
            "evidence_file": SimpleUploadedFile("отчёт.pdf", samples.PDF),
        },
    )

    assert response.status_code == 302
    assert STORED_NAME.match(PlanItem.objects.get(pk=item.pk).evidence_file.name)


def test_a_file_bigger_than_the_memory_threshold_is_stored_whole(item, client):
    """Over FILE_UPLOAD_MAX_MEMORY_SIZE the upload arrives as a temporary file; under the limit it passes the cap."""
    client.force_login(item.responsible.get().user)
    data = samples.PDF + b" " * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        reverse("planning:item_mark", args=[item.plan_id, item.pk]),
        {"status": ItemStatus.DONE, "report": "Проведено", "evidence_file": SimpleUploadedFile("scan.pdf", data)},
    )

    assert response.status_code == 302
    (stored,) = media_files()
    assert stored.read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("page.html", samples.HTML, "file_type"),
        ("report.html", samples.PDF, "extension_mismatch"),
        ("report.pdf", b"", "file_empty"),
    ],
)
def test_form_shows_the_refusal_on_the_file_field(item, client, name, data, code):
    client.force_login(item.responsible.get().user)
    before = state(item)

    response = client.post(
        reverse("planning:item_mark", args=[item.plan_id, item.pk]),
        {"status": ItemStatus.DONE, "report": "Проведено", "evidence_file": SimpleUploadedFile(name, data)},
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["evidence_file"]
    assert error.code == code
    assert uploads.EVIDENCE.rule() in response.content.decode()
    assert state(item) == before
    assert media_files() == []


def test_over_large_upload_gets_the_form_message_not_an_error_page(item, client, settings):
    """3 MB against a 64 KB limit: bigger than FILE_UPLOAD_MAX_MEMORY_SIZE, so it goes through the size cap into
    a temporary file, truncated, and is refused by the service like any other."""
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    client.force_login(item.responsible.get().user)
    before = state(item)
    big = samples.PDF + b" " * (3 * 1024 * 1024)

    response = client.post(
        reverse("planning:item_mark", args=[item.plan_id, item.pk]),
        {"status": ItemStatus.DONE, "report": "Проведено", "evidence_file": SimpleUploadedFile("big.pdf", big)},
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["evidence_file"]
    assert error.code == "file_too_big"
    assert uploads.format_size(64 * 1024) in response.content.decode()
    assert state(item) == before
    assert media_files() == []


def test_size_cap_handler_passes_chunks_up_to_the_limit_and_drops_the_rest(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = uploads.SizeCapUploadHandler()
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    assert handler.receive_data_chunk(b"x" * 600, 1000) == b"x" * 600  # the chunk that crosses the limit
    assert handler.receive_data_chunk(b"x" * 600, 1600) is None
    assert handler.file_complete(2200) is None


# ---------------------------------------------------------------- download

DOWNLOAD_READERS = ["director", "deputy", "methodist", "chair", "teacher"]


def download(world, item, username: str):
    client = Client()
    client.force_login(world.people[username].user)
    return client.get(reverse("planning:item_evidence", args=[item.plan_id, item.pk]))


def assert_safe_attachment(response, content_type: str, extension: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;"), disposition
    assert re.search(rf"filename\*?=.*\{extension}\"?$", disposition), disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("username", DOWNLOAD_READERS)
def test_download_is_an_attachment_of_the_detected_type(world, item, username):
    mark(item, "Протокол.pdf", samples.PDF)

    body = assert_safe_attachment(download(world, item, username), "application/pdf", ".pdf")

    assert body == samples.PDF


def test_download_refused_to_outsiders_as_before(world, item):
    mark(item, "Протокол.pdf", samples.PDF)
    url = reverse("planning:item_evidence", args=[item.plan_id, item.pk])

    assert download(world, item, "researcher").status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().get(settings.MEDIA_URL + PlanItem.objects.get(pk=item.pk).evidence_file.name).status_code in {
        302,
        404,
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [("evidence.html", samples.HTML), ("evidence.svg", samples.SVG), ("evidence.js", samples.JS)],
)
def test_a_file_stored_before_the_checks_is_served_as_octet_stream(world, item, name, data):
    """Files uploaded before the checks existed were never checked: what the content is decides, not the name."""
    item.evidence_file.save(name, ContentFile(data), save=True)

    body = assert_safe_attachment(download(world, item, "director"), "application/octet-stream", ".bin")

    assert body == data


def test_missing_file_is_404(world, item):
    marked = mark(item, "Протокол.pdf", samples.PDF)
    Path(marked.evidence_file.path).unlink()
    assert download(world, item, "director").status_code == 404


# ---------------------------------------------------------------- replacement


def test_replaced_file_is_removed_after_commit_and_the_history_shows_the_change(
    item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = mark(item, "Протокол.pdf", samples.PDF)
    old_name = first.evidence_file.name
    assert [path.name for path in media_files()] == [Path(old_name).name]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = services.item_mark(
            item=item,
            status=ItemStatus.DONE,
            report="Урок проведён, добавлено фото",
            evidence_file=SimpleUploadedFile("Фото доски.png", samples.png()),
        )
        assert len(media_files()) == 2, "the old file stays until the commit"
    new_name = second.evidence_file.name

    assert len(callbacks) == 1
    assert new_name != old_name and new_name.endswith(".png")
    assert [path.name for path in media_files()] == [Path(new_name).name]
    latest = second.history.first()
    delta = latest.diff_against(latest.prev_record)
    (change,) = [change for change in delta.changes if change.field == "evidence_file"]
    assert (change.old, change.new) == (old_name, new_name)
    assert "Фото доски.png" in latest.history_change_reason


def test_old_file_stays_when_the_replacement_rolls_back(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = mark(item, "Протокол.pdf", samples.PDF)
    old_path = Path(first.evidence_file.path)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mark(item, "Фото.png", samples.png())
        raise RuntimeError("the request failed after the service")

    assert callbacks == []
    assert old_path.exists()
    assert PlanItem.objects.get(pk=item.pk).evidence_file.name == first.evidence_file.name


def test_marking_without_a_new_file_keeps_the_old_one(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = mark(item, "Протокол.pdf", samples.PDF)
        again = services.item_mark(item=item, status=ItemStatus.POSTPONED, report="Перенесено")
    assert again.evidence_file.name == first.evidence_file.name
    assert len(media_files()) == 1


# ---------------------------------------------------------------- the staff import uses the same checks


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("staff.csv", samples.HTML, id="html named .csv"),
        pytest.param("staff.csv", samples.SVG, id="svg named .csv"),
        pytest.param("staff.csv", samples.XML, id="xml named .csv"),
        pytest.param("staff.xlsx", samples.ooxml("word/document.xml"), id="docx named .xlsx"),
        pytest.param("staff.xlsx", samples.odf("spreadsheet"), id="ods named .xlsx"),
        pytest.param("staff.csv", samples.PDF, id="pdf named .csv"),
        pytest.param("staff.csv", samples.EXE, id="exe named .csv"),
    ],
)
def test_import_refuses_what_is_not_a_table_by_its_content(name, data):
    with pytest.raises(ValidationError) as refused:
        importing.preview_data(data=data, filename=name)
    assert refused.value.code == "file_type"


def test_import_takes_any_plain_text_to_the_csv_reader():
    """libmagic guesses languages in plain text: lines starting with «c» make "FORTRAN"; the CSV reader decides."""
    for data, guess in [(b"c;d\nc  x;y\nC  zz;q\n", "text/x-fortran"), (b"#include;d\nx;y\n", "text/x-c")]:
        assert uploads.detect_type(data) == guess
        assert tables.load_dataset(data, "staff.csv").headers == data.split(b"\n")[0].decode().split(";")


def test_import_size_limit_is_the_shared_check():
    big = SimpleUploadedFile("staff.csv", b"x" * (importing.MAX_FILE_SIZE + 1))
    with pytest.raises(ValidationError) as refused:
        importing.read_upload(big)
    assert refused.value.code == "file_too_big"
    assert uploads.format_size(importing.MAX_FILE_SIZE) in refused.value.messages[0]


def test_a_deleted_items_file_is_removed_after_commit(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mark(item, "Протокол.pdf", samples.PDF)
    services.plan_start_amendment(plan=item.plan, reason="Мероприятие отменено приказом")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=item)
        assert len(media_files()) == 1, "the file stays until the deletion is committed"
    assert media_files() == []
