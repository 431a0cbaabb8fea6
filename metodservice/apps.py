from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetodserviceConfig(AppConfig):
    name = "metodservice"
    verbose_name = _("Portal")
