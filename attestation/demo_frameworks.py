"""Demo competency frameworks on top of the demo college: the default framework of professional standard 01.004
(migration 0004) stays as loaded — the campaigns of the demo freeze it —, and the methodist (Соколова) has begun its
version 2, a copy to which she added indicators under the labour functions the college diagnoses most (A/01.6,
A/02.6, E/02.6) and a clearer scale name. Built through attestation.services.frameworks like everything users do.
Development only: called by metodservice/demo.py (`build_frameworks_demo(builder)`), before the campaigns' part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Competency, CompetencyFramework, CompetencyKind
from .services import frameworks as services

if TYPE_CHECKING:
    from structure.demo import Builder

DEFAULT_NAME_START = "Профессиональный стандарт 01.004"
INDICATORS = {
    "A/01.6": [
        ("A/01.6.1", "Планирует учебные занятия с учётом особенностей обучающихся"),
        ("A/01.6.2", "Применяет активные и интерактивные формы обучения"),
    ],
    "A/02.6": [
        ("A/02.6.1", "Разрабатывает фонды оценочных средств"),
        ("A/02.6.2", "Анализирует результаты контроля и корректирует обучение"),
    ],
    "E/02.6": [("E/02.6.1", "Консультирует коллег по методическим вопросам")],
}


def build_frameworks_demo(b: Builder) -> CompetencyFramework:
    methodist = b.p("sokolova")
    original = CompetencyFramework.objects.get(version=1, name__startswith=DEFAULT_NAME_START)
    draft = services.framework_copy(framework=original, by=methodist)
    functions = {c.code: c for c in Competency.objects.filter(framework=draft, code__in=INDICATORS)}
    for function_code, indicators in INDICATORS.items():
        for code, name in indicators:
            services.competency_add(
                framework=draft, code=code, name=name, kind=CompetencyKind.INDICATOR, parent=functions[function_code]
            )
    levels = [dict(level) for level in draft.levels]
    levels[0]["name"] = "не владеет"
    return services.framework_set_levels(framework=draft, levels=levels)
