"""Attendance gets a third state, «не отмечено» (present = None): a meeting not yet held has nobody present.

Until now every member of a new meeting was recorded as present by default, so «present» rows of a protocol that
nobody has signed are not a fact unless someone marked them. Such a row becomes «не отмечено» when its meeting is
still ahead (date after today), or when the attendance form never saved it (no changed row in its history: the form
saves every row it shows). Rows marked absent were marked by someone and stay; signed protocols are untouched.
"""

from django.db import migrations, models
from django.utils import timezone


def unmark(apps, schema_editor):
    Attendance = apps.get_model("planning", "Attendance")
    HistoricalAttendance = apps.get_model("planning", "HistoricalAttendance")
    unsigned = Attendance.objects.filter(
        present=True, meeting__chair_signed_at__isnull=True, meeting__secretary_signed_at__isnull=True
    ).exclude(meeting__status="signed")
    ahead = unsigned.filter(meeting__date__gt=timezone.localdate())
    edited = HistoricalAttendance.objects.filter(history_type="~").values("id")
    never_marked = unsigned.exclude(pk__in=edited)
    ids = set(ahead.values_list("pk", flat=True)) | set(never_marked.values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=ids).update(present=None)


def mark_present(apps, schema_editor):
    apps.get_model("planning", "Attendance").objects.filter(present__isnull=True).update(present=True)


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_freeze_signed_documents")]

    operations = [
        migrations.AlterField(
            model_name="attendance",
            name="present",
            field=models.BooleanField(default=None, null=True, verbose_name="present"),
        ),
        migrations.AlterField(
            model_name="historicalattendance",
            name="present",
            field=models.BooleanField(default=None, null=True, verbose_name="present"),
        ),
        migrations.RunPython(unmark, mark_present),
    ]
