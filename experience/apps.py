from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperienceConfig(AppConfig):
    name = "experience"
    verbose_name = _("Best practice")

    def ready(self) -> None:
        from planning.services import guards

        from .selectors import items as item_selectors
        from .services import items

        # An experience item's question lives in the methodological council's protocol: planning's pages may not
        # delete it, retitle it nor change the council's recorded outcome, and a protocol is signed only with an
        # outcome for every item on it that agrees with the vote; the signature gives the items their outcome
        # (experience.services.items, the guards' section).
        guards.register_agenda_guard(items.guard_agenda_item)
        guards.register_protocol_check(items.check_protocol)
        guards.register_protocol_signed(items.protocol_signed)
        guards.register_agenda_owner(item_selectors.owned_questions)
