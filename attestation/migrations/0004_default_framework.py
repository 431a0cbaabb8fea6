"""The default competency framework: professional standard 01.004 (DOMAIN.md, «Competency framework»), generalised
labour functions and their labour functions with their codes, and the default 0–3 level scale. The college checks
the codes and may edit the framework; a copy becomes a new version."""

from django.db import migrations

NAME = (
    "Профессиональный стандарт 01.004 «Педагог профессионального обучения, профессионального образования и "
    "дополнительного профессионального образования»"
)
SOURCE = "Приказ Минтруда России от 08.09.2015 № 608н"

TREE = [
    (
        "A",
        "Преподавание по программам профессионального обучения, среднего профессионального образования и "
        "дополнительным профессиональным программам",
        [
            ("A/01.6", "Организация учебной деятельности обучающихся"),
            ("A/02.6", "Педагогический контроль и оценка освоения образовательной программы"),
            (
                "A/03.6",
                "Разработка программно-методического обеспечения учебных предметов, курсов, дисциплин (модулей)",
            ),
        ],
    ),
    (
        "B",
        "Организация и проведение учебно-производственного процесса",
        [
            ("B/01.5", "Организация учебно-производственной деятельности обучающихся"),
            ("B/02.5", "Педагогический контроль и оценка освоения квалификации рабочего, служащего"),
            ("B/03.5", "Разработка программно-методического обеспечения учебной и производственной практики"),
        ],
    ),
    (
        "C",
        "Организационно-педагогическое сопровождение группы (курса) обучающихся по программам СПО",
        [
            ("C/01.6", "Создание педагогических условий для развития группы (курса) обучающихся"),
            ("C/02.6", "Социально-педагогическая поддержка обучающихся в образовательной деятельности"),
        ],
    ),
    (
        "D",
        "Проведение профориентационных мероприятий",
        [
            ("D/01.6", "Информирование и консультирование по вопросам профессионального самоопределения"),
            ("D/02.6", "Проведение практико-ориентированных профориентационных мероприятий"),
            ("D/03.6", "Организационно-методическое обеспечение профориентационной деятельности"),
        ],
    ),
    (
        "E",
        "Организационно-методическое обеспечение реализации программ профессионального обучения, СПО и ДПП",
        [
            ("E/01.6", "Изучение требований рынка труда и обучающихся к качеству образования"),
            ("E/02.6", "Организационно-педагогическое сопровождение методической деятельности преподавателей"),
            ("E/03.6", "Мониторинг и оценка качества реализации преподавателями программ"),
        ],
    ),
    (
        "F",
        "Научно-методическое и учебно-методическое обеспечение реализации программ",
        [
            ("F/01.7", "Разработка научно-методических и учебно-методических материалов"),
            ("F/02.7", "Рецензирование и экспертиза научно-методических и учебно-методических материалов"),
        ],
    ),
]


def add_default_framework(apps, schema_editor):
    """Idempotent: tests.reference puts it back after a transactional test flushed the database."""
    Framework = apps.get_model("attestation", "CompetencyFramework")
    Competency = apps.get_model("attestation", "Competency")
    if Framework.objects.filter(name=NAME, version=1).exists():
        return
    framework = Framework.objects.create(
        name=NAME,
        version=1,
        source=SOURCE,
        levels=[
            {
                "value": 0,
                "name": "не проявляется",
                "descriptor": "Действие не выполняется или выполняется с грубыми ошибками.",
            },
            {
                "value": 1,
                "name": "начальный",
                "descriptor": "Выполняет с помощью коллег, по образцу, в типовых ситуациях.",
            },
            {"value": 2, "name": "базовый", "descriptor": "Выполняет самостоятельно и уверенно в типовых ситуациях."},
            {
                "value": 3,
                "name": "продвинутый",
                "descriptor": "Выполняет в нестандартных ситуациях, обобщает опыт, помогает коллегам.",
            },
        ],
    )
    position = 0
    for code, name, functions in TREE:
        position += 1
        parent = Competency.objects.create(
            framework=framework, code=code, name=name, kind="generalised", position=position
        )
        for function_code, function_name in functions:
            position += 1
            Competency.objects.create(
                framework=framework,
                parent=parent,
                code=function_code,
                name=function_name,
                kind="function",
                position=position,
            )


def unload(apps, schema_editor):
    apps.get_model("attestation", "CompetencyFramework").objects.filter(name=NAME, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("attestation", "0003_diagnostics")]
    operations = [migrations.RunPython(add_default_framework, unload)]
