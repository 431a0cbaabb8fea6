"""django-axes under a Russian name: its app has no verbose_name, so the admin showed the section as «AXES»."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login attempts")
