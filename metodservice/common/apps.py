from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """An app only so that Django finds the template tags (templatetags/portal.py)."""

    name = "metodservice.common"
    label = "common"
    verbose_name = _("Shared helpers")
