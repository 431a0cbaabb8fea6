"""The staff import (staff_import, a django-import-export resource reading its cells in cells) and the columns of the
XLSX exports of people, orders and the structure (exports, streamed by metodservice.common.xlsx). The public names are
re-exported here."""

from .cells import (
    EDUCATION_ALIASES,
    NAME_PARTICLES,
    EducationField,
    FullNameField,
    PositionWidget,
    RowMessage,
    education_display,
    normalize,
    parse_education,
    split_full_name,
)
from .exports import (
    MEMBERSHIP_COLUMNS,
    ORDER_COLUMNS,
    PERSON_COLUMNS,
    memberships_on,
    orders_table,
    people_table,
    structure_table,
    with_current_memberships,
)
from .staff_import import (
    HEADER_ALIASES,
    HEADER_SEARCH_ROWS,
    IMPORT_COLUMNS,
    LINE,
    MODEL_FIELD_COLUMNS,
    REQUIRED_COLUMNS,
    PersonImportResource,
)

__all__ = [
    "EDUCATION_ALIASES",
    "EducationField",
    "FullNameField",
    "HEADER_ALIASES",
    "HEADER_SEARCH_ROWS",
    "IMPORT_COLUMNS",
    "LINE",
    "MODEL_FIELD_COLUMNS",
    "MEMBERSHIP_COLUMNS",
    "NAME_PARTICLES",
    "ORDER_COLUMNS",
    "PERSON_COLUMNS",
    "PersonImportResource",
    "PositionWidget",
    "REQUIRED_COLUMNS",
    "RowMessage",
    "education_display",
    "memberships_on",
    "normalize",
    "orders_table",
    "parse_education",
    "people_table",
    "split_full_name",
    "structure_table",
    "with_current_memberships",
]
