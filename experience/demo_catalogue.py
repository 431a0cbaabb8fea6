"""The catalogue's part of the demo: it needs no items of its own — it shows what experience/demo_items.py published —,
only that what it shows looks lived in:

- every file of a published item that nobody has downloaded yet (the outside experience the methodist added) gets a
  download count that grows with the weeks since the item was published (made up from the title: every seeding is
  the same);
- «New this month» (published in the last 30 days) is never empty: when fewer than MIN_NEW items were published
  lately, the latest ones are moved forward to days of the last three weeks — only forward, so a publication never
  comes before the council's recommendation.

Touches only published items, and nothing when there are none. Development only: called by experience/demo.py
(`build_catalogue_demo(builder)`) after the items' part.
"""

from __future__ import annotations

import datetime
import zlib
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import ExperienceItem, ItemFile
from .selectors.catalogue import NEW_DAYS

if TYPE_CHECKING:
    from structure.demo import Builder

DAY = datetime.timedelta(days=1)
#: «New this month» shows at least this many items (when there are that many published).
MIN_NEW = 3
#: How many days ago the latest items were published, when they are moved forward.
RECENT_DAYS = (3, 9, 16)


def _downloads(title: str, weeks: int) -> int:
    return min(80, 2 + weeks + zlib.crc32(title.encode()) % 9)


def build_catalogue_demo(b: Builder) -> None:
    published = list(ExperienceItem.objects.published().order_by("-published_at", "-pk"))
    if not published:
        return
    now = timezone.now()

    # New this month: the latest items, moved forward (never back) into the last three weeks.
    recent = [item for item in published if item.published_at and item.published_at >= now - NEW_DAYS * DAY]
    if len(recent) < MIN_NEW:
        for item, days in zip(published[:MIN_NEW], RECENT_DAYS, strict=False):
            moment = min(b.at(b.today - days * DAY, 15), now)
            if item.published_at is None or item.published_at < moment:
                ExperienceItem.objects.filter(pk=item.pk).update(published_at=moment)
                item.published_at = moment

    # Downloads of the files nobody has downloaded yet.
    files = list(ItemFile.objects.filter(item__in=published, downloads=0).select_related("item"))
    for file in files:
        since = file.item.published_at or now
        file.downloads = _downloads(file.item.title + file.title, max(0, (now - since).days) // 7)
    ItemFile.objects.bulk_update(files, ["downloads"])
