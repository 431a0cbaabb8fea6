"""The ten work directions of the regulation on the methodological service (section 3), with fixed codes."""

from django.db import migrations

DIRECTIONS = [
    (1, "Информационно-аналитическая деятельность"),
    (2, "Диагностическая деятельность"),
    (3, "Учебно-методическая деятельность"),
    (4, "Прогностическая деятельность"),
    (5, "Исследовательская и инновационная деятельность"),
    (6, "Деятельность методического кабинета"),
    (7, "Научно-методическая деятельность"),
    (8, "Изучение, распространение и внедрение передового педагогического опыта"),
    (9, "Аттестация педагогических работников"),
    (10, "Повышение квалификации педагогических работников"),
]


def add_directions(apps, schema_editor):
    WorkDirection = apps.get_model("planning", "WorkDirection")
    for code, name in DIRECTIONS:
        WorkDirection.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(add_directions, migrations.RunPython.noop)]
