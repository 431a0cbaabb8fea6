"""django-import-export resources: the staff import (staff_import, reading its cells in cells) and the XLSX exports
of people, orders and the structure (exports). The public names are re-exported here."""

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
    MembershipExportResource,
    OrderExportResource,
    PersonExportResource,
    memberships_on,
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
    "MembershipExportResource",
    "NAME_PARTICLES",
    "OrderExportResource",
    "PersonExportResource",
    "PersonImportResource",
    "PositionWidget",
    "REQUIRED_COLUMNS",
    "RowMessage",
    "education_display",
    "memberships_on",
    "normalize",
    "parse_education",
    "split_full_name",
    "with_current_memberships",
]
