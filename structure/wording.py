"""The wording of an order's structural actions: each action as the Russian sentence the signed order prints.

Document text covered by the signature hash, not UI chrome, so it is Russian and not translated. Imports no model
(only the kinds, structure.choices), so that structure.models can use it without a cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .choices import ActionKind, MemberRole, UnitKind

if TYPE_CHECKING:
    from .models import Action

UNIT_KIND_ACCUSATIVE = {
    UnitKind.SERVICE: "методическую службу",
    UnitKind.COUNCIL: "методический совет",
    UnitKind.ASSOCIATION_CYCLE: "методическое объединение (предметно-цикловую комиссию)",
    UnitKind.ASSOCIATION_EDUCATIONAL: "методическое объединение по воспитательной работе",
    UnitKind.CREATIVE_GROUP: "творческую группу",
    UnitKind.LAB: "экспериментальную лабораторию",
    UnitKind.ATTESTATION_COMMISSION: "аттестационную комиссию",
    UnitKind.OTHER: "",
}

ROLE_INSTRUMENTAL = {
    MemberRole.HEAD: "руководителем",
    MemberRole.DEPUTY: "заместителем руководителя",
    MemberRole.SECRETARY: "секретарём",
    MemberRole.MEMBER: "членом",
}


def describe_action(action: Action) -> str:
    """The action as a Russian sentence of the order's text (first person, imperative).

    This is document text covered by the signature hash, not UI chrome, so it is Russian and not translated.
    Names stay in the nominative after a colon («Включить в состав «…»: Иванова Мария Петровна.»), the form
    Russian orders use for lists, so no name has to be declined."""
    unit = action.unit
    unit_label = f"«{unit.name}»" if unit else "—"
    person = action.person.full_name if action.person else "—"
    match action.kind:
        case ActionKind.CREATE_UNIT:
            kind = UNIT_KIND_ACCUSATIVE.get(unit.kind, "") if unit else ""
            return " ".join(part for part in ("Создать", kind, unit_label) if part) + "."
        case ActionKind.APPOINT:
            return f"Назначить {ROLE_INSTRUMENTAL.get(action.role, action.role)} {unit_label}: {person}."
        case ActionKind.INCLUDE:
            return f"Включить в состав {unit_label}: {person}."
        case ActionKind.EXCLUDE:
            return f"Исключить из состава {unit_label}: {person}."
        case ActionKind.RENAME:
            return f"Переименовать {unit_label} в «{action.new_name}»."
        case ActionKind.DISSOLVE:
            return f"Упразднить {unit_label}."
        case ActionKind.CANCEL_ORDER:
            target = action.target_order
            if target is None:
                return "Отменить приказ."
            return f"Отменить приказ от {target.date:%d.%m.%Y} № {target.registration_number} «{target.title}»."
    return action.kind
