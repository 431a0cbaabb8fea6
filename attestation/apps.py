from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttestationConfig(AppConfig):
    name = "attestation"
    verbose_name = _("Attestation and professional development")

    def ready(self) -> None:
        # The individual plan (planning, below this app) prints the teacher's category and last professional
        # development: planning asks the providers registered here, never importing attestation.
        from planning.selectors.documents import register_person_facts
        from planning.services import guards

        from .selectors import conformity as conformity_selectors
        from .selectors.records import person_facts
        from .services import conformity

        register_person_facts(person_facts)
        # A conformity case's question lives in the commission's protocol: planning's pages may not change its
        # decision and votes, delete it, move the sitting too soon, nor sign a protocol where the decision no longer
        # holds (attestation.services.conformity, the guards' section).
        guards.register_agenda_guard(conformity.guard_agenda_item)
        guards.register_meeting_guard(conformity.guard_meeting_date)
        guards.register_protocol_check(conformity.check_protocol)
        guards.register_protocol_signed(conformity.protocol_signed)
        guards.register_agenda_owner(conformity_selectors.owned_questions)
