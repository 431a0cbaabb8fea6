from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("structure/", include("structure.urls")),
    path("planning/", include("planning.urls")),
    path("attestation/", include("attestation.urls")),
    path("experience/", include("experience.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "metodservice.views.permission_denied"
handler404 = "metodservice.views.page_not_found"
handler500 = "metodservice.views.server_error"

# Uploaded files are not served from MEDIA_ROOT: each is downloaded through a view that checks who may see it.
