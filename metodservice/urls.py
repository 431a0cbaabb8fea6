from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from metodservice.common import documents

from . import views, views_notifications

# The admin's own titles say "Django administration"; staff see the portal's name.
admin.site.site_header = _("Methodological service: administration")
admin.site.site_title = _("Methodological service: administration")
admin.site.index_title = _("Accounts and reference data")
# The task queue's records (django-tasks-db) are the worker's business, not the administrator's, and its admin has no
# Russian: the queue is watched from the command line (README, "Production").
admin.site.unregister(DBTaskResult)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    # A user changes their own password; Django's views check the old one and run AUTH_PASSWORD_VALIDATORS.
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("structure/", include("structure.urls")),
    path("planning/", include("planning.urls")),
    path("attestation/", include("attestation.urls")),
    path("experience/", include("experience.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views_notifications.notification_read, name="notification_read"),
    path("notifications/read/", views_notifications.notification_read_all, name="notification_read_all"),
    path("notifications/email/", views_notifications.notification_email, name="notification_email"),
    path("documents/<int:pk>/", documents.job_page, name="document_job"),
    path("documents/<int:pk>/file/", documents.job_file, name="document_job_file"),
    path("admin/", admin.site.urls),
]

handler400 = "metodservice.views.bad_request"
handler403 = "metodservice.views.permission_denied"
handler404 = "metodservice.views.page_not_found"
handler500 = "metodservice.views.server_error"

# Uploaded files are not served from MEDIA_ROOT: each is downloaded through a view that checks who may see it.
