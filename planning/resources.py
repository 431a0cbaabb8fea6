"""django-import-export resources of planning/: the XLSX export of the decision register.

The export takes selectors.decisions_register() (joins applied), so it costs one query whatever the number of rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from metodservice.common.widgets import RuDateWidget

from .models import Decision


class DecisionExportResource(resources.ModelResource):
    """The decision register, a decision a row: the meeting (unit, No., date), the question, the decision, who,
    by when, its status and report."""

    unit = fields.Field(attribute="agenda_item__meeting__unit__name", column_name=_("Unit"))
    meeting_number = fields.Field(
        attribute="agenda_item__meeting__number", column_name=_("Meeting No."), widget=widgets.IntegerWidget()
    )
    meeting_date = fields.Field(
        attribute="agenda_item__meeting__date", column_name=_("Meeting date"), widget=RuDateWidget()
    )
    question = fields.Field(attribute="agenda_item__title", column_name=_("Question"))
    text = fields.Field(attribute="text", column_name=_("Decision"))
    responsible = fields.Field(attribute="responsible__full_name", column_name=_("Responsible"))
    deadline = fields.Field(attribute="deadline", column_name=_("Deadline"), widget=RuDateWidget())
    status = fields.Field(attribute="get_status_display", column_name=_("Status"))
    report = fields.Field(attribute="report", column_name=_("Report"))

    class Meta:
        model = Decision
        fields = (
            "unit",
            "meeting_number",
            "meeting_date",
            "question",
            "text",
            "responsible",
            "deadline",
            "status",
            "report",
        )
        export_order = fields
