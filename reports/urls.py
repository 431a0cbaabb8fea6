from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("small/<slug:key>/", views.small_report, name="small"),
    path("small/<slug:key>/pdf/", views.small_report_pdf, name="small_pdf"),
    path("small/<slug:key>/xlsx/", views.small_report_xlsx, name="small_xlsx"),
    path("annual/", views.annual_list, name="annual_list"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>/pdf/", views.annual_pdf, name="annual_pdf"),
    path("annual/<int:year>/edit/", views.annual_edit, name="annual_edit"),
    path("annual/<int:year>/freeze/", views.annual_freeze, name="annual_freeze"),
    path("frozen/<int:pk>/", views.frozen, name="frozen"),
    path("frozen/<int:pk>/pdf/", views.frozen_pdf, name="frozen_pdf"),
]
