"""Reading the cells of the staff import: the comparison key, the position widget, the full name and the
education columns (each filling several model fields)."""

from __future__ import annotations

import difflib
import functools

from django.utils import translation
from django.utils.translation import gettext
from import_export import fields, widgets

from metodservice.common.widgets import display_value

from ..models import Education, Person, Position


def normalize(text) -> str:
    """Comparison key for headers, names and labels: case-folded, ё→е, single spaces."""
    text = str(text or "").replace("ё", "е").replace("Ё", "Е")
    return " ".join(text.split()).casefold()


def _header_key(text) -> str:
    return normalize(text).strip(" :*")


class RowMessage(ValueError):
    """A cell error whose text is a whole row message: it is shown without the «Column: » prefix."""


class PositionWidget(widgets.ForeignKeyWidget):
    """A Position by its exact name, without regard to case, spaces and ё/е; all positions are read once."""

    def __init__(self, **kwargs):
        super().__init__(Position, field="name", **kwargs)
        self._by_key: dict[str, Position] | None = None

    def clean(self, value, row=None, **kwargs):
        name = " ".join(display_value(value).split())
        if not name:
            raise ValueError(gettext("required"))
        return super().clean(name, row, **kwargs)

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        if self._by_key is None:
            self._by_key = {normalize(p.name): p for p in self.get_queryset(value, row, **kwargs)}
        position = self._by_key.get(normalize(value))
        if position is not None:
            return position
        names = {key: p.name for key, p in self._by_key.items()}
        close = difflib.get_close_matches(normalize(value), list(names), n=1, cutoff=0.75)
        if close:
            raise RowMessage(
                gettext("Unknown position: %(name)s (did you mean «%(suggestion)s»?)")
                % {"name": value, "suggestion": names[close[0]]}
            )
        raise RowMessage(gettext("Unknown position: %(name)s") % {"name": value})


NAME_PARTICLES = {"оглы", "кызы", "улы", "уулу", "угли", "кизи"}


def _name_case(word: str) -> str:
    """«ИВАНОВА-ПЕТРОВА» and «иванова-петрова» become «Иванова-Петрова»; mixed case is kept as typed."""
    if word.casefold() in NAME_PARTICLES:
        return word.lower()
    if word.isupper() or word.islower():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def split_full_name(value) -> tuple[str, str, str]:
    """«Фамилия Имя Отчество» → (last, first, patronymic). Raises ValueError with the reason."""
    text = " ".join(display_value(value).replace(",", " ").split())
    if not text:
        raise ValueError(gettext("required"))
    if any(char.isdigit() for char in text):
        raise ValueError(gettext("the full name contains digits: «%(value)s»") % {"value": text})
    parts = text.split(" ")
    if len(parts) < 2:
        raise ValueError(gettext("enter at least the last name and the first name: «%(value)s»") % {"value": text})
    if any(part.endswith(".") and len(part) <= 4 for part in parts[1:]):
        raise ValueError(
            gettext("write the first name and the patronymic in full, not initials: «%(value)s»") % {"value": text}
        )
    last, first, *rest = (_name_case(part) for part in parts)
    return last, first, " ".join(rest)


class FullNameField(fields.Field):
    """The «ФИО» column: one cell for last_name, first_name and patronymic."""

    def clean(self, row, **kwargs):
        return split_full_name(row.get(self.column_name))

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.last_name, instance.first_name, instance.patronymic = self.clean(row, **kwargs)


#: Russian spellings of the education levels besides their labels (normalised: lower case, е for ё).
EDUCATION_ALIASES = {
    Education.HIGHER: ("высшее", "высшее профессиональное", "во", "впо"),
    Education.HIGHER_PED: ("высшее педагогическое", "высшее профессиональное педагогическое"),
    Education.SECONDARY_VOC: ("среднее профессиональное", "среднее специальное", "спо", "ссо"),
    Education.SECONDARY_VOC_PED: (
        "среднее профессиональное педагогическое",
        "среднее специальное педагогическое",
        "среднее педагогическое",
    ),
    Education.OTHER: ("другое", "иное"),
}


@functools.lru_cache(maxsize=8)
def _education_aliases(language: str | None) -> list[tuple[str, str]]:
    """(alias, level) in `language`, longest first so that «высшее педагогическое» wins over «высшее»."""
    pairs: dict[str, str] = {}
    for level in Education:
        with translation.override("en"):
            english = str(level.label)
        for alias in (level.value, str(level.label), english, *EDUCATION_ALIASES.get(level, ())):
            pairs.setdefault(normalize(alias), level.value)
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def parse_education(value) -> tuple[str, str]:
    """An «Образование» cell → (education level, education details); see the module docstring."""
    text = " ".join(display_value(value).split())
    if not text:
        return "", ""
    key = normalize(text)
    for alias, level in _education_aliases(translation.get_language()):
        if key == alias:
            return level, ""
        if key.startswith(alias) and not key[len(alias)].isalnum():
            return level, text
    return Education.OTHER.value, text


class EducationField(fields.Field):
    """The «Образование» column: fills `education` and `education_details`."""

    def clean(self, row, **kwargs):
        return parse_education(row.get(self.column_name))

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.education, instance.education_details = self.clean(row, **kwargs)


def education_display(person: Person) -> str:
    """What the import reads back: the details when there are any, else the level."""
    return person.education_details or (person.get_education_display() if person.education else "")
