from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttestationConfig(AppConfig):
    name = "attestation"
    verbose_name = _("Attestation and professional development")

    def ready(self) -> None:
        # The individual plan (planning, below this app) prints the teacher's category and last professional
        # development: planning asks the providers registered here, never importing attestation.
        from planning.selectors.documents import register_person_facts

        from .selectors.records import person_facts

        register_person_facts(person_facts)
