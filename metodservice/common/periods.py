"""A period as the portal and its documents print it: «12.10.2026 – 15.10.2026», one date for a one-day period
(«12.10.2026», never «12.10.2026 – 12.10.2026»), «с 12.10.2026» without an end, «по 15.10.2026» without a start.
In templates: `{{ start|period:end }}` (metodservice.common.templatetags.portal)."""

from __future__ import annotations

import datetime

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

#: How a date of a period is written.
DATE_FORMAT = "d.m.Y"


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):  # a datetime is a date too
        return date_format(value, DATE_FORMAT)
    return str(value)


def format_period(start, end) -> str:
    """The period from `start` to `end` (dates, or texts such as academic years «2026/2027»); "" when neither is
    given. Two ends that print the same (the same day) print once."""
    first, last = _shown(start), _shown(end)
    if first and last:
        return first if first == last else f"{first} – {last}"
    if first:
        return gettext("from %(start)s") % {"start": first}
    if last:
        return gettext("until %(end)s") % {"end": last}
    return ""
