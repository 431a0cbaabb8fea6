"""The sections of the annual report, in the order of DOMAIN.md («Отчёт о методической работе»): each a key, a
title, the selector that computes it (reports.selectors) and the template part that prints it, on the page and in
the PDF alike (templates/reports/annual/sections/<key>.html). Sections can be switched off for a shorter report;
the conclusions and the tasks for next year are written by hand and always close it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pygal
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodservice.common.charts import config as chart_config
from metodservice.common.charts import kept, self_contained
from planning.models import AcademicYear

from . import selectors


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    compute: Callable[..., dict]  # (year, day, shared) -> the section's data

    @property
    def template(self) -> str:
        return f"reports/annual/sections/{self.key}.html"


SECTIONS: tuple[Section, ...] = (
    Section("theme", gettext_lazy("The single methodological theme"), selectors.theme_section),
    Section("structure", gettext_lazy("The structure of the methodological service"), selectors.structure_section),
    Section(
        "council",
        gettext_lazy("Work of the methodological council and the subject associations"),
        selectors.council_section,
    ),
    Section(
        "assignments",
        gettext_lazy("Decisions of the pedagogical council and the director's assignments"),
        selectors.assignments_section,
    ),
    Section("execution", gettext_lazy("Execution of the plans"), selectors.execution_section),
    Section("materials", gettext_lazy("Methodological materials produced"), selectors.materials_section),
    Section("attestation", gettext_lazy("Attestation of the teaching staff"), selectors.attestation_section),
    Section("training", gettext_lazy("Professional development and internships"), selectors.training_section),
    Section("diagnostics", gettext_lazy("Diagnostics of professional competence"), selectors.diagnostics_section),
    Section(
        "dissemination",
        gettext_lazy("Open lessons, master classes, talks, publications and contests"),
        selectors.dissemination_section,
    ),
    Section("experiments", gettext_lazy("Experimental work"), selectors.experiments_section),
    Section(
        "composition", gettext_lazy("The qualitative composition of the teaching staff"), selectors.composition_section
    ),
)
KEYS = [section.key for section in SECTIONS]
BY_KEY = {section.key: section for section in SECTIONS}


@dataclass
class Computed:
    section: Section
    number: int
    data: dict


def compute(year: AcademicYear, day: datetime.date, keys: list[str]) -> list[Computed]:
    """The sections of `keys` (in the report's order), numbered as printed, with their figures and charts."""
    chosen = [section for section in SECTIONS if section.key in keys]
    result = []
    shared: selectors.Shared = {}
    for number, section in enumerate(chosen, 1):
        data = section.compute(year, day, shared)
        data.update(_charts(section.key, data, year))
        result.append(Computed(section, number, data))
    return result


#: How long the figures of a live report are kept (the page and its PDF; settings.REPORT_FIGURES_SECONDS, 0: not
#: kept): a region's report is half a second of counting (3,000 teachers' attestation records); a frozen copy is
#: always counted afresh.
FIGURES_SECONDS = 60


def compute_kept(year: AcademicYear, day: datetime.date, keys: list[str]) -> tuple[list[Computed], datetime.datetime]:
    """compute(), kept in the cache for FIGURES_SECONDS per year, day and sections; with the moment it was counted
    (the page says it)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    seconds = int(getattr(settings, "REPORT_FIGURES_SECONDS", FIGURES_SECONDS))
    key = f"reports:annual:{year.pk}:{day.isoformat()}:{','.join(keys)}"
    found = cache.get(key) if seconds else None
    if found is None:
        found = (compute(year, day, keys), timezone.now())
        if seconds:
            cache.set(key, found, seconds)
    return found


# ---------------------------------------------------------------- charts (SVG: the same on the page and in the PDF)


def _charts(key: str, data: dict, year: AcademicYear) -> dict:
    if key == "execution" and data["total"].total:
        return {"chart": execution_chart(data, year)}
    if key == "composition" and data["staff"]:
        return {"charts": composition_charts(data)}
    return {}


def execution_chart(data: dict, year: AcademicYear) -> SafeString:
    """The share of done items by direction (the execution section's data)."""
    rows = data["by_direction"]
    return _execution_chart(
        labels=[row.label.split(".")[0] for row in rows],
        percents=[row.percent for row in rows],
        title=_("Plan execution by direction, %(year)s, %%") % {"year": year.title},
    )


def composition_charts(data: dict) -> list[SafeString]:
    """A bar chart of each table of the composition section."""
    return [
        _composition_chart(
            labels=[label for label, _count in table.rows],
            counts=[count for _label, count in table.rows],
            title=str(table.title),
        )
        for table in data["tables"]
    ]


@kept
def _execution_chart(*, labels: list, percents: list, title: str) -> SafeString:
    chart = pygal.Bar(**chart_config(width=760, height=340, show_legend=False, range=(0, 100)))
    chart.x_labels = labels
    chart.x_title = _("Direction of work (its number)")
    chart.add(_("Done, %"), percents)
    return self_contained(chart.render(is_unicode=True), label=title)


@kept
def _composition_chart(*, labels: list, counts: list, title: str) -> SafeString:
    chart = pygal.HorizontalBar(**chart_config(width=760, height=60 + 34 * len(labels), show_legend=False))
    chart.title = title
    chart.x_labels = labels
    chart.add(_("People"), counts)
    return self_contained(chart.render(is_unicode=True), label=title)
