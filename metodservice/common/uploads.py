"""One safe path for every uploaded file: checked by content, stored under a random name, served as an attachment.

An upload is refused unless
- it is not empty and not larger than the limit of its kind (at most `settings.UPLOAD_MAX_BYTES`);
- libmagic, reading the content, finds one of the types the kind allows (`UploadKind.types`): the name and the
  Content-Type the browser sent are never trusted. Zip containers are opened to tell a Word or Excel document from
  any other archive (and from a macro-enabled one), and an OLE compound file is read whole, because libmagic needs
  its directory to tell .doc from .xls;
- the name's extension agrees with that type (a PDF named x.html is refused: the name is what a colleague's
  computer uses to choose the program that opens the file).

Every refusal is a ValidationError with a code — `file_empty`, `file_too_big`, `file_type`, `extension_mismatch` —
and a message that names the allowed types and the limit. `check_upload` returns a CheckedUpload whose
`stored_file()` carries a fresh random name with only the type's normalised extension: nothing the user typed
reaches the disk. `delete_on_commit` removes a replaced file once the transaction that replaced it has committed.

Files are served only by views that check who may see them, through `attachment_response`: Content-Disposition
attachment, the type found in the content if the kind allows it (else application/octet-stream), nosniff and a
sandboxing Content-Security-Policy, so that even a file stored before these checks existed never runs as the portal.

`SizeCapUploadHandler` (first in FILE_UPLOAD_HANDLERS) passes on at most UPLOAD_MAX_BYTES of each uploaded file and
drops the rest: an over-large file reaches the form truncated but still over the limit, and is refused with the
form's message instead of filling memory or the temporary folder.

Generic: imports no app. A new kind of upload (portfolios, scans, materials) is a new UploadKind here, next to the
others, so that everything the portal accepts is listed in one place.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import threading
import zipfile
from dataclasses import dataclass
from functools import partial
from typing import IO

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.formats import number_format
from django.utils.translation import gettext

KB = 1024
MB = 1024 * 1024
#: libmagic reads this much of a file; OLE compound files (.doc, .xls) are read whole, up to OLE_READ_LIMIT.
HEAD_BYTES = 64 * KB
OLE_READ_LIMIT = 64 * MB
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

OCTET_STREAM = "application/octet-stream"
EMPTY = "application/x-empty"
ZIP = "application/zip"
OLE = "application/x-ole-storage"
MACRO_DOCUMENT = "application/vnd.ms-office.macroenabled"  # any Office or OpenDocument file carrying macros

#: Download headers: never rendered in the portal's page, never sniffed, and if a browser shows it anyway it runs
#: in a sandbox without scripts, plugins or the portal's origin.
ATTACHMENT_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


@dataclass(frozen=True)
class FileType:
    mime: str
    #: Lower-case, with the dot; the first is the one stored names get.
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def label(self) -> str:
        return self.extension[1:].upper()


PDF = FileType("application/pdf", (".pdf",))
PNG = FileType("image/png", (".png",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = FileType("application/vnd.oasis.opendocument.presentation", (".odp",))
DOC = FileType("application/msword", (".doc",))
XLS = FileType("application/vnd.ms-excel", (".xls",))

#: Main parts of Office Open XML packages, by the type they make the package.
_OOXML_PARTS = {"word/document.xml": DOCX.mime, "xl/workbook.xml": XLSX.mime, "ppt/presentation.xml": PPTX.mime}
_ODF_TYPES = {t.mime for t in (ODT, ODS, ODP)} | {
    "application/vnd.oasis.opendocument.graphics",
    "application/vnd.oasis.opendocument.formula",
}
#: Macro code inside a package: VBA in Office Open XML, Basic or scripts in OpenDocument.
_MACRO_PARTS = re.compile(r"(?i)(^|/)vbaProject\.bin$|^Basic/|^Scripts/")


@dataclass(frozen=True)
class UploadKind:
    """What one kind of upload accepts: the types (by content) and, optionally, a limit below UPLOAD_MAX_BYTES."""

    name: str
    types: tuple[FileType, ...]
    max_bytes: int | None = None

    @property
    def limit(self) -> int:
        limit = settings.UPLOAD_MAX_BYTES
        return min(limit, self.max_bytes) if self.max_bytes else limit

    def type_of(self, mime: str) -> FileType | None:
        return next((file_type for file_type in self.types if file_type.mime == mime), None)

    @property
    def accept(self) -> str:
        """For the file input's `accept` attribute: the extensions the kind allows."""
        return ",".join(extension for file_type in self.types for extension in file_type.extensions)

    @property
    def labels(self) -> str:
        return ", ".join(file_type.label for file_type in self.types)

    def rule(self) -> str:
        """The rule, as the form's help text and the end of every refusal states it."""
        return gettext("Allowed formats: %(types)s; size up to %(limit)s.") % {
            "types": self.labels,
            "limit": format_size(self.limit),
        }


#: Evidence of plan execution: documents and pictures a colleague opens in an office suite or an image viewer.
#: Not plain text (libmagic calls any script or HTML fragment "text/plain", and the report field holds text),
#: not archives (their content escapes the check; a set of files is given as a link to the college's file
#: server), never HTML, SVG, XML, scripts or programs.
EVIDENCE = UploadKind("evidence", (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS))

#: The scan of a professional-development document (удостоверение, диплом, справка): a PDF or a photo of it.
TRAINING_SCAN = UploadKind("training_scan", (PDF, JPEG, PNG))

#: A signed document of an attestation case (заявление, ходатайство, представление, the regional order): a PDF, a
#: photo of it, or the office document it was written in.
CASE_DOCUMENT = UploadKind("case_document", (PDF, JPEG, PNG, DOCX, ODT, DOC))

#: A file of an experience item (a lesson plan, a presentation, a guide, a programme, photos of a master class):
#: documents, presentations and pictures; never archives, HTML or scripts.
EXPERIENCE_MATERIAL = UploadKind("experience_material", (PDF, DOCX, ODT, DOC, PPTX, ODP, XLSX, ODS, XLS, JPEG, PNG))

#: A document in a portfolio (a diploma, a letter of thanks, a publication, a certificate of a contest).
PORTFOLIO_DOCUMENT = UploadKind("portfolio_document", (PDF, JPEG, PNG, DOCX, ODT, DOC, PPTX, ODP))


def format_size(size: int) -> str:
    """A size as people write it: «20 MB», «1,5 MB», «512 KB»."""
    if size >= MB:
        value, template = size / MB, gettext("%(size)s MB")
    elif size >= KB:
        value, template = size / KB, gettext("%(size)s KB")
    else:
        return gettext("%(size)s B") % {"size": size}
    value = round(value, 1)
    return template % {"size": number_format(value, decimal_pos=0 if value == int(value) else 1)}


# ---------------------------------------------------------------- the type by content

_ole_magic: magic.Magic | None = None
_ole_magic_lock = threading.Lock()


def _ole_mime(data: bytes) -> str:
    """libmagic reads at most 7 MB of a buffer by default; a compound file's directory may lie beyond that."""
    global _ole_magic
    with _ole_magic_lock:
        if _ole_magic is None:
            _ole_magic = magic.Magic(mime=True)
            _ole_magic.setparam(magic.MAGIC_PARAM_BYTES_MAX, OLE_READ_LIMIT)
    return _ole_magic.from_buffer(data)


def _zip_type(stream) -> str:
    """What a zip container is, from its entries: an OpenDocument file names its type in the `mimetype` entry,
    an Office Open XML package has [Content_Types].xml and a main part; anything else is an archive."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if any(_MACRO_PARTS.search(name) for name in names):
                return MACRO_DOCUMENT
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else ZIP
            if "[Content_Types].xml" in names:
                found = {_OOXML_PARTS[name] for name in names if name in _OOXML_PARTS}
                if len(found) == 1:
                    return found.pop()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError, NotImplementedError):
        return OCTET_STREAM
    return ZIP


def detect_type(source) -> str:
    """The MIME type of a file by its content: bytes, or a binary file object that can seek (rewound after)."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    stream.seek(0)
    try:
        head = stream.read(HEAD_BYTES)
        if not head:
            return EMPTY
        if head.startswith(ZIP_MAGIC):
            stream.seek(0)
            return _zip_type(stream)
        if head.startswith(OLE_MAGIC):
            stream.seek(0)
            mime = _ole_mime(stream.read(OLE_READ_LIMIT))
            return mime if mime in {DOC.mime, XLS.mime} else OLE
        return magic.from_buffer(head, mime=True)
    except magic.MagicException:
        return OCTET_STREAM  # libmagic gave up: a type nobody allows
    finally:
        stream.seek(0)


# ---------------------------------------------------------------- checking an upload


def size_error(limit: int) -> ValidationError:
    return ValidationError(
        gettext("The file is larger than %(limit)s.") % {"limit": format_size(limit)}, code="file_too_big"
    )


def read_limited(uploaded_file, limit: int) -> bytes:
    """The whole content of a small upload (an import table), refusing one over `limit` before reading it all."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise size_error(limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise size_error(limit)
    return data


def _file_size(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, os.SEEK_END)
        size = uploaded_file.tell()
        uploaded_file.seek(0)
    return size


def original_name(uploaded_file) -> str:
    """The name the user's file had, for the record only: base name, no control or direction-changing
    characters, at most 100 characters."""
    name = os.path.basename(str(getattr(uploaded_file, "name", "") or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", name).strip()
    return name[:100]


def random_name(extension: str) -> str:
    return f"{secrets.token_hex(12)}{extension}"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed check_upload(): its type by content, its size and the name the user gave it."""

    file: IO[bytes]
    type: FileType
    size: int
    original_name: str

    def stored_file(self) -> File:
        """The content under a fresh random name with only the type's extension, for a FileField to save."""
        self.file.seek(0)
        return File(self.file, name=random_name(self.type.extension))


def _refusal(kind: UploadKind, reason: str, code: str) -> ValidationError:
    return ValidationError(f"{reason} {kind.rule()}", code=code)


def check_upload(uploaded_file, kind: UploadKind) -> CheckedUpload:
    """Check an uploaded file against its kind; ValidationError (code file_empty, file_too_big, file_type or
    extension_mismatch) with the reason and the kind's rule. Nothing is written anywhere."""
    size = _file_size(uploaded_file)
    if size == 0:
        raise _refusal(kind, gettext("The file is empty."), "file_empty")
    if size > kind.limit:
        raise _refusal(kind, size_error(kind.limit).messages[0], "file_too_big")
    mime = detect_type(uploaded_file)
    if mime == EMPTY:
        raise _refusal(kind, gettext("The file is empty."), "file_empty")
    file_type = kind.type_of(mime)
    if file_type is None:
        raise _refusal(kind, gettext("Files of this type are not accepted."), "file_type")
    name = original_name(uploaded_file)
    if os.path.splitext(name)[1].lower() not in file_type.extensions:
        raise _refusal(
            kind,
            gettext(
                "The file's name does not match its content: this is a %(type)s file, so its name must end in %(extension)s."
            )
            % {"type": file_type.label, "extension": file_type.extension},
            "extension_mismatch",
        )
    return CheckedUpload(file=uploaded_file, type=file_type, size=size, original_name=name)


def delete_on_commit(storage, name: str) -> None:
    """Remove a replaced file once the replacement is committed; if the transaction rolls back, the old file,
    still referenced, stays. A file that cannot be removed is left behind rather than failing other callbacks."""
    if name:
        transaction.on_commit(partial(storage.delete, name), robust=True)


# ---------------------------------------------------------------- serving


def attachment_response(field_file, *, kind: UploadKind, filename: str) -> FileResponse:
    """A stored file as a download: `filename` (without extension) gets the extension of the type found in the
    content; a type the kind does not allow goes out as application/octet-stream with «.bin». 404 if the file
    is gone."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    file_type = kind.type_of(detect_type(handle))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename + (file_type.extension if file_type else ".bin"),
        content_type=file_type.mime if file_type else OCTET_STREAM,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- receiving


class SizeCapUploadHandler(FileUploadHandler):
    """Passes on each uploaded file's chunks while they start within UPLOAD_MAX_BYTES and drops the rest: the next
    handlers (memory, temporary file) receive at most the limit plus one chunk, so an over-large file arrives
    truncated but still over the limit and is refused by check_upload() with the form's message. The request
    body is still read to the end, so the browser gets that page rather than a reset connection."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        return raw_data if start <= settings.UPLOAD_MAX_BYTES else None

    def file_complete(self, file_size: int) -> None:
        return None
