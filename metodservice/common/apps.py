from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """An app so that Django finds the template tags (templatetags/portal.py); its ready() sets what Django lets a
    project set only there."""

    name = "metodservice.common"
    label = "common"
    verbose_name = _("Shared helpers")

    def ready(self) -> None:
        # Django 6.1's empty choice of every select ("- Select an option -") has no Russian translation in Django's
        # own catalog; Django reads this module attribute each time, and asks projects to set it in ready().
        fields.BLANK_CHOICE_LABEL = _("- choose -")
