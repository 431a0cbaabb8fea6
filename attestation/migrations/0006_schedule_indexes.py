# Written by hand (issue 13): the indexes the schedule and the compliance list of everyone read
# (attestation.selectors.schedule.with_status, attestation.selectors.training.with_compliance).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attestation", "0005_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trainingrecord",
            index=models.Index(fields=["status", "kind", "end", "person"], name="training_compliance"),
        ),
        migrations.AddIndex(
            model_name="attestationcase",
            index=models.Index(fields=["kind", "decision", "decided_on", "person"], name="case_decided"),
        ),
    ]
