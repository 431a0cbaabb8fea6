"""Reference data: staff positions. Teaching positions follow the federal nomenclature
(Постановление Правительства РФ от 21.02.2022 № 225); management positions are the college's own."""

from django.db import migrations

POSITIONS = [
    # name, system role, teaching position
    ("Директор", "director", False),
    ("Заместитель директора по учебно-методической работе", "deputy", False),
    ("Заместитель директора по учебной работе", "other", False),
    ("Заместитель директора по учебно-воспитательной работе", "other", False),
    ("Заместитель директора по учебно-производственной работе", "other", False),
    ("Заведующий отделением", "other", False),
    ("Методист", "methodist", True),
    ("Старший методист", "methodist", True),
    ("Преподаватель", "teacher", True),
    ("Мастер производственного обучения", "teacher", True),
    ("Старший мастер", "teacher", True),
    ("Преподаватель-организатор основ безопасности и защиты Родины", "teacher", True),
    ("Руководитель физического воспитания", "teacher", True),
    ("Педагог-организатор", "teacher", True),
    ("Педагог дополнительного образования", "teacher", True),
    ("Социальный педагог", "teacher", True),
    ("Педагог-психолог", "teacher", True),
    ("Воспитатель", "teacher", True),
    ("Тьютор", "teacher", True),
    ("Советник директора по воспитанию и взаимодействию с детскими общественными объединениями", "teacher", True),
    ("Концертмейстер", "teacher", True),
    ("Педагог-библиотекарь", "teacher", True),
]


def add_positions(apps, schema_editor):
    Position = apps.get_model("structure", "Position")
    for name, role, pedagogical in POSITIONS:
        Position.objects.update_or_create(name=name, defaults={"system_role": role, "is_pedagogical": pedagogical})


class Migration(migrations.Migration):
    dependencies = [("structure", "0001_initial")]
    operations = [migrations.RunPython(add_positions, migrations.RunPython.noop)]
