from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from .models import AcademicYear
        from .selectors.years import forget_current_year

        def forget(**kwargs) -> None:
            # Now for this process's next read, and again at commit: a read between the save and the commit
            # still saw the old year from another connection.
            forget_current_year()
            transaction.on_commit(forget_current_year)

        post_save.connect(forget, sender=AcademicYear, dispatch_uid="planning.forget_current_year.save", weak=False)
        post_delete.connect(forget, sender=AcademicYear, dispatch_uid="planning.forget_current_year.delete", weak=False)
