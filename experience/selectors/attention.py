"""What in experience/ waits for this user to act: the dashboard's rows and the menu's badge (metodservice.attention)
count the same querysets.

- `items_to_review`: submitted items of the associations the user heads (experience.selectors.items);
- `items_returned`: the user's items returned with a comment;
- `items_for_council`, `items_to_publish`: for the methodist, items recommended by an association and on no
  council's agenda yet, and items the council recommended, waiting for publication;
- `visits_to_fill`: the user's lesson visits whose day has come, the observation not filled
  (experience.selectors.visits);
- `measurements_due`: for a lab's head, stages ended in the last 30 days with an indicator not measured
  (experience.selectors.lab).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import QuerySet

from structure.selectors import Roles

from . import items, lab, visits

#: How many rows of each list the dashboard shows; the card's badge counts them all.
DASHBOARD_LIMIT = 10


def needs_me(roles: Roles, *, today: datetime.date) -> dict[str, QuerySet]:
    rows: dict[str, QuerySet] = {}
    rows.update(items.needs_me(roles, today=today))
    rows.update(visits.needs_me(roles, today=today))
    rows.update(lab.needs_me(roles, today=today))
    return rows


def dashboard_rows(roles: Roles, *, today: datetime.date, counts: Mapping[str, int] | None = None) -> dict:
    """The rows as lists for the dashboard (at most DASHBOARD_LIMIT each) with their full counts: two queries per
    list that is not empty, one per empty one, none for a list the user cannot have. With `counts`
    (metodservice.attention.row_counts: every list's size, in one query) one query per list that is not empty. The
    dashboard names an item's title and author only: the lists' prefetches (co-authors, for their own pages) are
    left out."""
    rows: dict = {}
    for key, queryset in needs_me(roles, today=today).items():
        queryset = queryset.prefetch_related(None)
        if counts is not None:
            count = counts.get(key, 0)
            rows[key] = list(queryset[:DASHBOARD_LIMIT]) if count else []
            rows[key + "_count"] = count
            continue
        shown = list(queryset[: DASHBOARD_LIMIT + 1])
        count = len(shown) if len(shown) <= DASHBOARD_LIMIT else queryset.count()
        rows[key] = shown[:DASHBOARD_LIMIT]
        rows[key + "_count"] = count
    return rows
