from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from planning.services import guards

        from . import selectors, services

        # A frozen report presented at a meeting shows beside its question in the meeting's protocol, and the
        # question stays on the agenda.
        guards.register_agenda_owner(selectors.owned_questions)
        guards.register_agenda_guard(services.guard_agenda_item)
