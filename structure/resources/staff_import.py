"""The staff import: PersonImportResource, new staff members from a table.

The staff import file (CSV or XLSX, first sheet) has a header row and one person a row:

* «ФИО» (required): last name, first name and patronymic in one cell; the patronymic may be omitted.
* «Должность» (required): the name of a Position, compared without regard to case, extra spaces and ё/е.
* «Дата приёма», «В должности с», «Педагогический стаж с»: DD.MM.YYYY, YYYY-MM-DD or an Excel date cell.
* «Образование»: one of the Education levels, alone or followed by details («высшее педагогическое, РГПУ им.
  А. И. Герцена, 2005»). A recognised level sets `education`; when the cell says more than the level, the
  whole cell is also kept in `education_details`. A cell that names no known level is imported as
  Education.OTHER with the text in `education_details`, so nothing typed is lost.
* «Учёная степень», «Награды», «Предметы», «E-mail»: free text; the e-mail must be valid.

Headers are matched without regard to case, extra spaces and ё/е against the header in the active language,
its English msgid and the Russian spellings in HEADER_ALIASES (a Russian file imports whatever language the
interface runs in); columns nobody knows are ignored, and title rows above the header row are skipped.
Every row is checked before anything is written: a person already in the file or in the database (same
full name, or same e-mail) is a row error. Imported people are staff members without accounts."""

from __future__ import annotations

import datetime
from collections import OrderedDict

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from metodservice.common.widgets import EmailWidget, RuDateWidget, TextWidget, display_value

from ..models import Person, SystemRole
from ..rules import may_grant_position
from ..selectors import Roles
from ..services.people import PERSON_FIELDS, person_save
from .cells import EducationField, FullNameField, PositionWidget, RowMessage, _header_key, normalize

#: Name of the column the import adds to each row: the row's number in the file (the header row is 1).
LINE = "__line__"


#: Rows above the header row that may hold a title («Список сотрудников …»).
HEADER_SEARCH_ROWS = 10


#: Russian header spellings accepted besides the translated header and its English msgid.
HEADER_ALIASES = {
    "full_name": ("ФИО", "Ф.И.О.", "Ф. И. О.", "Фамилия Имя Отчество", "Фамилия, имя, отчество", "Сотрудник"),
    "position": ("Должность", "Занимаемая должность"),
    "hire_date": ("Дата приёма", "Дата приёма на работу", "Принят"),
    "position_since": ("В должности с", "В занимаемой должности с", "Дата назначения на должность"),
    "pedagogical_since": ("Педагогический стаж с", "Педстаж с", "Начало педагогического стажа"),
    "education": ("Образование", "Уровень образования"),
    "academic_degree": ("Учёная степень", "Учёная степень, звание"),
    "awards": ("Награды", "Почётные звания и награды", "Звания и награды"),
    "subjects": ("Предметы", "Преподаваемые предметы", "Преподаваемые дисциплины", "Дисциплины"),
    "email": ("E-mail", "Email", "Эл. почта", "Электронная почта", "Адрес электронной почты"),
}


#: The import's columns, in the order of the sample file, the help and the error messages.
IMPORT_COLUMNS = (
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


REQUIRED_COLUMNS = ("full_name", "position")


#: Model fields → the import column they come from (for model validation messages).
MODEL_FIELD_COLUMNS = {"last_name": "full_name", "first_name": "full_name", "patronymic": "full_name"}


class PersonImportResource(resources.ModelResource):
    """New staff members from a table; never updates anybody (force_init_instance)."""

    full_name = FullNameField(attribute="full_name", column_name=_("Full name"))
    position = fields.Field(attribute="position", column_name=_("Position"), widget=PositionWidget())
    hire_date = fields.Field(attribute="hire_date", column_name=_("Hire date"), widget=RuDateWidget())
    position_since = fields.Field(
        attribute="position_since", column_name=_("In the position since"), widget=RuDateWidget()
    )
    pedagogical_since = fields.Field(
        attribute="pedagogical_since", column_name=_("Pedagogical service since"), widget=RuDateWidget()
    )
    education = EducationField(attribute="education", column_name=_("Education"))
    academic_degree = fields.Field(attribute="academic_degree", column_name=_("Academic degree"), widget=TextWidget())
    awards = fields.Field(attribute="awards", column_name=_("Awards"), widget=TextWidget())
    subjects = fields.Field(attribute="subjects", column_name=_("Subjects"), widget=TextWidget())
    email = fields.Field(attribute="email", column_name=_("E-mail"), widget=EmailWidget())

    class Meta:
        model = Person
        fields = IMPORT_COLUMNS
        import_order = IMPORT_COLUMNS
        force_init_instance = True  # every row is a new person; duplicates are row errors
        skip_diff = True
        store_row_values = True  # the preview shows the cells as typed
        use_transactions = True
        clean_model_instances = True

    def __init__(self, *, by: Roles | None = None, **kwargs):
        super().__init__(**kwargs)
        # Who imports: a row may set only a position they may grant (rules.may_grant_position); without a
        # known importer, ordinary positions only.
        self.by = by or Roles(system=SystemRole.METHODIST)
        # Headers in the language of this request; rows are keyed by them after prepare_dataset().
        for field in self.fields.values():
            field.column_name = str(field.column_name)
        self._line = 0
        self._names_in_file: dict[tuple, int] = {}
        self._emails_in_file: dict[str, int] = {}
        self._names_in_db: set[tuple] = set()
        self._emails_in_db: dict[str, str] = {}

    # ------------------------------------------------------------ the file's columns

    def header(self, name: str) -> str:
        return self.fields[name].column_name

    def header_keys(self) -> dict[str, str]:
        """Normalised header spelling → resource field name."""
        keys: dict[str, str] = {}
        for name in IMPORT_COLUMNS:
            with translation.override("en"):
                english = str(type(self).fields[name].column_name)
            for spelling in (self.header(name), english, *HEADER_ALIASES[name]):
                keys.setdefault(_header_key(spelling), name)
        return keys

    @staticmethod
    def _map_headers(cells, keys: dict[str, str]) -> tuple[dict[int, str], list[str]]:
        """Column index → field name for the cells that are known headers, and the headers seen twice."""
        found: dict[int, str] = {}
        repeated: list[str] = []
        for index, cell in enumerate(cells):
            name = keys.get(_header_key(cell))
            if name is None:
                continue
            if name in found.values():
                repeated.append(display_value(cell))
            else:
                found[index] = name
        return found, repeated

    def prepare_dataset(self, dataset: tablib.Dataset) -> tablib.Dataset:
        """Find the header row, rename known columns to this resource's headers, number the rows and drop
        blank ones. Raises ValidationError naming the required columns the file lacks."""
        keys = self.header_keys()
        # Candidate header rows: the first row of the file (line 1), then dataset[i] (line i + 2).
        candidates = [list(dataset.headers or [])] + [list(row) for row in dataset[: HEADER_SEARCH_ROWS - 1]]
        offset, found, repeated = 0, {}, []
        for index, cells in enumerate(candidates):
            mapped, twice = self._map_headers(cells, keys)
            if all(name in mapped.values() for name in REQUIRED_COLUMNS):
                offset, found, repeated = index, mapped, twice
                break
            if len(mapped) > len(found):
                offset, found, repeated = index, mapped, twice
        missing = [self.header(name) for name in REQUIRED_COLUMNS if name not in found.values()]
        if missing:
            raise ValidationError(gettext("The file has no columns: %(columns)s") % {"columns": ", ".join(missing)})
        if repeated:
            raise ValidationError(
                gettext("These columns appear twice in the file: %(columns)s") % {"columns": ", ".join(repeated)}
            )
        width = len(candidates[offset])
        headers = [self.header(found[i]) if i in found else f"__ignored_{i}" for i in range(width)]
        prepared = tablib.Dataset(headers=[*headers, LINE])
        # The rows after the header row are dataset[offset:]; dataset[i] is line i + 2 of the file.
        for i in range(offset, len(dataset)):
            cells = list(dataset[i])[:width]
            cells += [None] * (width - len(cells))
            if all(display_value(cell) == "" for cell in cells):
                continue
            prepared.append([*cells, i + 2])
        return prepared

    # ------------------------------------------------------------ per-row checks

    def before_import(self, dataset, **kwargs):
        self._names_in_file.clear()
        self._emails_in_file.clear()
        self._names_in_db.clear()
        self._emails_in_db.clear()
        for last, first, patronymic, email in Person.objects.values_list(
            "last_name", "first_name", "patronymic", "email"
        ):
            self._names_in_db.add(self._name_key(last, first, patronymic))
            if email:
                self._emails_in_db[email.casefold()] = " ".join(p for p in (last, first, patronymic) if p)

    def before_import_row(self, row, **kwargs):
        self._line = row.get(LINE) or kwargs.get("row_number", 0) + 1

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except RowMessage:
            raise
        except ValueError as error:
            raise ValueError(
                gettext("%(column)s: %(message)s") % {"column": field.column_name, "message": error}
            ) from error

    @staticmethod
    def _name_key(last: str, first: str, patronymic: str) -> tuple[str, str, str]:
        return normalize(last), normalize(first), normalize(patronymic)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Cell errors, then the model's own validation, then duplicates; messages in column order."""
        by_column: dict[str, list[str]] = OrderedDict((name, []) for name in IMPORT_COLUMNS)
        by_column[NON_FIELD_ERRORS] = []
        for key, errors in (import_validation_errors or {}).items():
            by_column.setdefault(key, []).extend(ValidationError(errors).messages)
        failed = {key for key, messages in by_column.items() if messages}

        exclude = set(failed) | {"position", "education", "education_details", "user", "organisation"}
        if "full_name" in failed:
            exclude |= {"last_name", "first_name", "patronymic"}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for model_field, messages in error.message_dict.items():
                column = MODEL_FIELD_COLUMNS.get(model_field, model_field)
                header = self.fields[column].column_name if column in self.fields else ""
                for message in messages:
                    by_column.setdefault(column, []).append(
                        gettext("%(column)s: %(message)s") % {"column": header, "message": message}
                        if header
                        else message
                    )

        if not by_column["full_name"]:
            self._check_name(instance, by_column["full_name"])
        if instance.email and not by_column["email"]:
            self._check_email(instance.email, by_column["email"])

        position = instance.position if instance.position_id else None
        if position is not None and not by_column["position"] and not may_grant_position(self.by, position):
            by_column["position"].append(
                gettext("You may not assign the position «%(position)s»: it is above yours.")
                % {"position": position.name}
            )

        messages = {key: value for key, value in by_column.items() if value}
        if messages:
            raise ValidationError(messages)

    def do_instance_save(self, instance, is_create):
        """Every person is written by the service the person form uses (structure.services.person_save): the same
        checks of the position against who imports, and history that names them."""
        saved = person_save(by=self.by, **{name: getattr(instance, name) for name in PERSON_FIELDS})
        instance.pk = saved.pk

    def _check_name(self, instance: Person, messages: list[str]) -> None:
        key = self._name_key(instance.last_name, instance.first_name, instance.patronymic)
        name = instance.full_name
        if key in self._names_in_file:
            messages.append(
                gettext("Duplicate: «%(name)s» is already in the file (row %(line)s)")
                % {"name": name, "line": self._names_in_file[key]}
            )
        else:
            self._names_in_file[key] = self._line
        if key in self._names_in_db:
            messages.append(gettext("Duplicate: «%(name)s» is already in the database") % {"name": name})

    def _check_email(self, email: str, messages: list[str]) -> None:
        key = email.casefold()
        if key in self._emails_in_file:
            messages.append(
                gettext("Duplicate: the e-mail %(email)s is already in the file (row %(line)s)")
                % {"email": email, "line": self._emails_in_file[key]}
            )
        else:
            self._emails_in_file[key] = self._line
        if key in self._emails_in_db:
            messages.append(
                gettext("Duplicate: the e-mail %(email)s already belongs to «%(name)s» in the database")
                % {"email": email, "name": self._emails_in_db[key]}
            )

    # ------------------------------------------------------------ help for the upload page and the sample

    @classmethod
    def columns_help(cls) -> list[dict]:
        """The expected columns for the upload page: header, required, what to write."""
        date_help = _("A date: DD.MM.YYYY (also YYYY-MM-DD or an Excel date cell).")
        descriptions = {
            "full_name": _(
                "Last name, first name and patronymic in one cell, e.g. «Иванова Мария Петровна»; "
                "the patronymic may be omitted."
            ),
            "position": _("Exactly as in the list of positions below (case does not matter)."),
            "hire_date": date_help,
            "position_since": date_help,
            "pedagogical_since": date_help,
            "education": _(
                "A level of education, optionally followed by details after a comma: "
                "«высшее педагогическое, РГПУ им. А. И. Герцена, 2005». Other text is kept as «other» education."
            ),
            "academic_degree": _("Free text."),
            "awards": _("Free text."),
            "subjects": _("Free text."),
            "email": _("A valid address that nobody in the portal uses yet."),
        }
        return [
            {
                "header": str(cls.fields[name].column_name),
                "required": name in REQUIRED_COLUMNS,
                "description": descriptions[name],
            }
            for name in IMPORT_COLUMNS
        ]

    @classmethod
    def sample_dataset(cls) -> tablib.Dataset:
        """Headers and two example rows: the downloadable template."""
        headers = [str(cls.fields[name].column_name) for name in IMPORT_COLUMNS]
        dataset = tablib.Dataset(headers=headers)
        dataset.append(
            [
                "Петрова Анна Сергеевна",
                "Преподаватель",
                datetime.date(2015, 9, 1),
                datetime.date(2018, 9, 1),
                datetime.date(2012, 9, 1),
                "высшее педагогическое, РГПУ им. А. И. Герцена, 2011",
                "",
                "Почётная грамота Министерства просвещения РФ",
                "Математика; Информатика",
                "petrova@example.org",
            ]
        )
        dataset.append(
            [
                "Смирнов Олег",
                "Мастер производственного обучения",
                datetime.date(2020, 2, 3),
                datetime.date(2020, 2, 3),
                datetime.date(2020, 2, 3),
                "среднее профессиональное",
                "",
                "",
                "Учебная практика",
                "",
            ]
        )
        return dataset
