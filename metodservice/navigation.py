"""The portal's main menu: areas of the service, each a drop-down of the pages a user may open.

One place for the whole menu (the apps keep their permissions in their rules.py; this module only names the pages
and asks the rules). An area shows when at least one of its pages is allowed; the area of the current page is
marked. The apps that arrive later (reports) add their pages here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Page:
    label: str | Promise
    url_name: str
    perm: str
    # The view names (namespace:name) that belong to this page, besides its own; a prefix ends with "*".
    also: tuple[str, ...] = ()

    def matches(self, view_name: str) -> bool:
        names = (self.url_name, *self.also)
        return any(view_name.startswith(n[:-1]) if n.endswith("*") else view_name == n for n in names)


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    pages: tuple[Page, ...]


AREAS: tuple[Area, ...] = (
    Area(
        "structure",
        _("Structure"),
        (
            Page(
                _("Structure of the service"),
                "structure:overview",
                "structure.view_structure",
                ("structure:unit_*", "structure:structure_export"),
            ),
            Page(
                _("Orders"),
                "structure:order_list",
                "structure.list_orders",
                ("structure:order_*", "structure:clause_*", "structure:action_*"),
            ),
            Page(
                _("Creative groups"),
                "structure:group_list",
                "structure.list_people",
                ("structure:group_*", "structure:join_request_*"),
            ),
        ),
    ),
    Area(
        "staff",
        _("Staff and attestation"),
        (
            Page(
                _("Staff"),
                "structure:person_list",
                "structure.list_people",
                # A person's absence periods and categories are edited from the person's page.
                ("structure:person_*", "structure:people_*", "structure:absence_*", "attestation:category_*"),
            ),
            # Everyone on the staff: the methodist sees the whole staff, a teacher their own row (attestation.rules.schedule).
            Page(
                _("Attestation schedule"),
                "attestation:schedule",
                "attestation.view_schedule",
                ("attestation:schedule_*",),
            ),
            # Professional development: everyone on the staff keeps their own records; management and the heads
            # of subject associations also see the staff's compliance (attestation.rules.training).
            Page(
                _("My professional development"),
                "attestation:training_mine",
                "attestation.view_own_trainings",
                (
                    "attestation:training_add",
                    "attestation:training_detail",
                    "attestation:training_edit",
                    "attestation:training_delete",
                ),
            ),
            Page(
                _("Professional development of the staff"),
                "attestation:training_compliance",
                "attestation.list_training_compliance",
                ("attestation:training_pending", "attestation:training_person"),
            ),
            # Attestation cases: everyone on the staff has their own (and applies for a category there); management,
            # the administrator and the heads of associations list the cases they see (attestation.rules.cases).
            Page(
                _("My attestation"),
                "attestation:case_mine",
                "attestation.view_own_cases",
                ("attestation:case_open_category",),
            ),
            Page(
                _("Attestation cases"),
                "attestation:case_list",
                "attestation.list_cases",
                (
                    "attestation:case_detail",
                    "attestation:case_petition",
                    "attestation:case_submit",
                    "attestation:case_sitting",
                    "attestation:case_decide",
                    "attestation:case_withdraw",
                    "attestation:case_portfolio_pdf",
                    "attestation:case_document*",
                    "attestation:conformity_*",
                ),
            ),
            # The portfolio: the teacher's own, assembled from what the portal holds (attestation.rules.portfolio).
            Page(
                _("My portfolio"),
                "attestation:portfolio_mine",
                "attestation.view_own_portfolios",
                ("attestation:portfolio_*",),
            ),
            # Diagnostics campaigns for management; everyone's own assessments to make (attestation.rules.campaigns).
            Page(
                _("Diagnostics campaigns"),
                "attestation:campaign_list",
                "attestation.list_campaigns",
                ("attestation:campaign_*",),
            ),
            Page(
                _("My assessments"),
                "attestation:assessment_mine",
                "attestation.view_my_assessments",
                ("attestation:assessment_form",),
            ),
            # Competency diagnostics (attestation.rules.frameworks, .results): the frameworks for everyone on the staff
            # (edited by the methodist and the deputy), one's own results, a unit's for its head, the college's for
            # management.
            Page(
                _("Competency frameworks"),
                "attestation:framework_list",
                "attestation.view_frameworks",
                ("attestation:framework_*", "attestation:competency_*"),
            ),
            Page(
                _("My diagnostics results"),
                "attestation:results_mine",
                "attestation.view_own_results",
                ("attestation:results_person", "attestation:results_card", "attestation:suggestion*"),
            ),
            Page(
                _("Diagnostics results of the units"),
                "attestation:results_units",
                "attestation.list_unit_results",
                ("attestation:results_xlsx",),
            ),
            Page(
                _("Diagnostics results of the college"),
                "attestation:results_college",
                "attestation.view_college_results",
                ("attestation:results_college_pdf",),
            ),
        ),
    ),
    Area(
        "planning",
        _("Planning"),
        (
            Page(
                _("Plans"),
                "planning:plan_list",
                "planning.list_plans",
                ("planning:plan_*", "planning:item_*"),
            ),
            Page(
                _("Meetings"),
                "planning:meeting_list",
                "planning.list_meetings",
                (
                    "planning:meeting_*",
                    "planning:attendance_*",
                    "planning:guest_*",
                    "planning:agenda_*",
                    "planning:protocol_*",
                ),
            ),
            Page(_("Execution statistics"), "planning:execution_stats", "planning.view_stats"),
            Page(
                _("Register of decisions"),
                "planning:decision_list",
                "planning.list_decisions",
                ("planning:decision_list", "planning:decision_mark", "planning:decisions_*"),
            ),
            Page(
                _("Assignments to the service"),
                "planning:assignment_list",
                "planning.list_assignments",
                ("planning:assignment_*", "planning:decision_pass"),
            ),
            Page(
                _("Calendar"), "planning:calendar", "planning.view_calendar", ("planning:calendar*", "planning:feed_*")
            ),
            Page(
                _("Years and theme"),
                "planning:year_list",
                "planning.view_years",
                ("planning:year_*", "planning:theme_*"),
            ),
        ),
    ),
    # Best practice and the methodological cabinet (experience/): the catalogue for everyone on the staff, one's own
    # items and visits, the heads' review queue, the methodist's items on their way, the lab's experiments.
    Area(
        "experience",
        _("Best practice"),
        (
            Page(
                _("Methodological cabinet"),
                "experience:catalogue",
                "experience.view_catalogue",
                ("experience:catalogue_xlsx", "experience:author"),
            ),
            Page(
                _("My experience"),
                "experience:item_mine",
                "experience.list_my_items",
                (
                    "experience:item_create",
                    "experience:item_detail",
                    "experience:item_edit",
                    "experience:item_delete",
                    "experience:item_submit",
                    "experience:item_stage_*",
                    "experience:item_file*",
                    "experience:item_link*",
                    "experience:item_card_pdf",
                ),
            ),
            Page(
                _("Experience to review"),
                "experience:item_review_queue",
                "experience.list_review_queue",
                ("experience:item_review",),
            ),
            Page(
                _("Experience in progress"),
                "experience:item_progress",
                "experience.list_items_in_progress",
                (
                    "experience:item_council*",
                    "experience:item_outcome",
                    "experience:item_publish",
                    "experience:item_unpublish",
                    "experience:item_external_create",
                ),
            ),
            Page(
                _("My lesson visits"),
                "experience:visit_mine",
                "experience.view_own_visits",
                (
                    "experience:visit_add",
                    "experience:visit_edit",
                    "experience:visit_cancel",
                    "experience:visit_detail",
                    "experience:visit_fill",
                    "experience:adoption_*",
                ),
            ),
            Page(
                _("Log of lesson visits"),
                "experience:visit_log",
                "experience.list_visits",
                ("experience:visit_log_xlsx",),
            ),
            Page(_("Dissemination of experience"), "experience:dissemination", "experience.view_dissemination_report"),
            Page(
                _("Experimental lab"),
                "experience:experiment_list",
                "experience.list_experiments",
                ("experience:experiment_*",),
            ),
        ),
    ),
    # Reports for the pedagogical council (reports.rules): prepared by the deputy and the head of the service.
    Area(
        "reports",
        _("Reports"),
        (
            Page(
                _("Annual report on methodological work"),
                "reports:annual_list",
                "reports.view_annual_reports",
                ("reports:annual*", "reports:frozen*"),
            ),
            Page(_("Reports for the council"), "reports:index", "reports.view_annual_reports", ("reports:small*",)),
        ),
    ),
)


@dataclass
class MenuArea:
    key: str
    label: str | Promise
    items: list[dict] = field(default_factory=list)
    current: bool = False

    @property
    def url(self) -> str:
        """Where the area's own link leads without JavaScript (the drop-down needs it): its first page."""
        return self.items[0]["url"]


def menu_for(user, view_name: str) -> list[MenuArea]:
    """The areas and pages `user` may open, the current ones marked. The rules' own predicates, as the views use."""
    menu = []
    for area in AREAS:
        shown = MenuArea(area.key, area.label)
        for page in area.pages:
            if not rules.has_perm(page.perm, user):
                continue
            current = page.matches(view_name)
            shown.current |= current
            shown.items.append({"label": page.label, "url": reverse(page.url_name), "current": current})
        if shown.items:
            menu.append(shown)
    return menu


def navigation(request) -> dict:
    """Context processor: `main_menu`, computed only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {"main_menu": lambda: menu_for(user, view_name)}
