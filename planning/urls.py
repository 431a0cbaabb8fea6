from django.urls import path

from .views import assignments, calendar, documents, meetings, plans, verify, years

app_name = "planning"
urlpatterns = [
    # academic years and the single methodological theme (views/years.py)
    path("years/", years.year_list, name="year_list"),
    path("years/new/", years.year_create, name="year_create"),
    path("years/<int:pk>/edit/", years.year_edit, name="year_edit"),
    path("years/<int:pk>/make-current/", years.year_make_current, name="year_make_current"),
    path("themes/new/", years.theme_create, name="theme_create"),
    path("themes/<int:pk>/edit/", years.theme_edit, name="theme_edit"),
    # plans (views/plans.py)
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/mine/", plans.my_items, name="my_items"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/add/", plans.item_add, name="item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/edit/", plans.item_edit, name="item_edit"),
    path("plans/<int:pk>/items/<int:item_pk>/delete/", plans.item_delete, name="item_delete"),
    path("plans/<int:pk>/items/<int:item_pk>/mark/", plans.item_mark, name="item_mark"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan_return"),
    path("plans/<int:pk>/amend/", plans.plan_amend, name="plan_amend"),
    path("stats/", plans.execution_stats, name="execution_stats"),
    # documents: PDF and XLSX (views/documents.py)
    path("plans/<int:pk>/pdf/", documents.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/versions/<int:number>/", plans.version_detail, name="version_detail"),
    path("plans/<int:pk>/versions/<int:number>/pdf/", documents.version_pdf, name="version_pdf"),
    path("plans/<int:pk>/xlsx/", documents.plan_xlsx, name="plan_xlsx"),
    path("meetings/<int:pk>/pdf/", documents.protocol_pdf, name="protocol_pdf"),
    path("plans/<int:pk>/items/<int:item_pk>/evidence/", documents.item_evidence, name="item_evidence"),
    path("decisions/export/", documents.decisions_xlsx, name="decisions_xlsx"),
    # verification pages, the targets of the QR codes on signed and approved documents (views/verify.py)
    path("plans/<int:pk>/verify/<str:digest>/", verify.plan_verify, name="plan_verify"),
    path("meetings/<int:pk>/verify/<str:digest>/", verify.protocol_verify, name="protocol_verify"),
    # meetings, protocols, decisions (views/meetings.py)
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_edit, name="attendance_edit"),
    path("meetings/<int:pk>/guests/add/", meetings.guest_add, name="guest_add"),
    path("meetings/<int:pk>/guests/<int:guest_pk>/delete/", meetings.guest_delete, name="guest_delete"),
    path("meetings/<int:pk>/agenda/add/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/edit/", meetings.agenda_edit, name="agenda_edit"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/delete/", meetings.agenda_delete, name="agenda_delete"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/decisions/add/", meetings.decision_add, name="decision_add"),
    path("meetings/<int:pk>/decisions/<int:decision_pk>/delete/", meetings.decision_delete, name="decision_delete"),
    path("meetings/<int:pk>/sign/", meetings.protocol_sign, name="protocol_sign"),
    path("decisions/", meetings.decision_list, name="decision_list"),
    path("decisions/<int:pk>/mark/", meetings.decision_mark, name="decision_mark"),
    # assignments of the pedagogical council and the director to the service (views/assignments.py)
    path("assignments/", assignments.assignment_list, name="assignment_list"),
    path("assignments/new/", assignments.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/answer/", assignments.assignment_answer, name="assignment_answer"),
    path("assignments/<int:pk>/cancel/", assignments.assignment_cancel, name="assignment_cancel"),
    path("decisions/<int:pk>/pass/", assignments.decision_pass, name="decision_pass"),
    # calendar and the personal iCal feed (views/calendar.py)
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/feed/", calendar.feed_settings, name="feed_settings"),
    path("calendar/ical/<str:token>.ics", calendar.ical_feed, name="ical_feed"),
]
