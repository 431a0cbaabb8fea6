from django.urls import path

from . import views, views_io

app_name = "structure"
urlpatterns = [
    path("", views.structure_overview, name="overview"),
    path("export/", views_io.structure_export, name="structure_export"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/export/", views_io.people_export, name="people_export"),
    path("people/import/", views_io.people_import, name="people_import"),
    path("people/import/template/", views_io.people_import_template, name="people_import_template"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/export/", views_io.orders_export, name="orders_export"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("orders/<int:pk>/delete/", views.order_delete, name="order_delete"),
    path("orders/<int:pk>/clauses/add/", views.clause_add, name="clause_add"),
    path("orders/<int:pk>/clauses/<int:clause_pk>/edit/", views.clause_edit, name="clause_edit"),
    path("orders/<int:pk>/clauses/<int:clause_pk>/delete/", views.clause_delete, name="clause_delete"),
    path("orders/<int:pk>/clauses/<int:clause_pk>/actions/add/", views.action_add, name="action_add"),
    path("orders/<int:pk>/actions/<int:action_pk>/delete/", views.action_delete, name="action_delete"),
    path("orders/<int:pk>/send/", views.order_send, name="order_send"),
    path("orders/<int:pk>/visa/", views.order_visa, name="order_visa"),
    path("orders/<int:pk>/sign/", views.order_sign, name="order_sign"),
    path("orders/<int:pk>/return/", views.order_return, name="order_return"),
    path("orders/<int:pk>/acknowledge/", views.order_acknowledge, name="order_acknowledge"),
    path("orders/<int:pk>/pdf/", views.order_pdf, name="order_pdf"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_propose, name="group_propose"),
    path("groups/<int:pk>/join/", views.group_join, name="group_join"),
    path("groups/<int:pk>/register/", views.group_register, name="group_register"),
    path("join-requests/<int:pk>/decide/", views.join_request_decide, name="join_request_decide"),
]
