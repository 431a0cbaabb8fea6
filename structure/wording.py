"""The wording of an order's structural actions: each action as the Russian text the signed order prints.

Document text covered by the signature hash, not UI chrome, so it is Russian and not translated. Imports no model
(only the kinds, structure.choices), so that structure.models can use it without a cycle.

How an order reads (ГОСТ Р 7.0.97 and the usage of Russian orders):

* One person: the verb, the unit's kind in the case the verb needs, the name declined (pytrovich) and the position
  after it in the same case: «Назначить руководителем творческой группы «Цифровая дидактика» Медведеву Инну
  Анатольевну, преподавателя.» A name the rules can't be trusted with (not Cyrillic, a patronymic of several words
  such as «Рафик оглы», a gender neither the first name nor the patronymic tells and the person's override does not
  set) keeps the nominative after a colon: «Назначить руководителем …: Мамедов Эльчин Рафик оглы, преподаватель.»
* Several people included in (excluded from) one unit in a row: one sub-clause in the colon form, «Включить в
  состав …: Иванова М.П., преподаватель; Петров А.С., методист.»; more than APPENDIX_THRESHOLD go to an appendix
  («Утвердить состав … (приложение № 1).», the list on a page of its own).
* A sub-clause never repeats its clause: under «Включить в состав комиссии:» it names only the people; an action
  the clause already states in full (the clause «Создать творческую группу «X» в следующем составе:» and the
  creation of X) is not printed again.
* Quotes inside quotes are „…“: «Цифровая „школа“».

The text of every action is frozen into `Action.text` at signing (`describe_action`), so a signed order reads and
hashes the same forever; everything else here (`printed_order`) only lays out those frozen texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from metodservice.common.agreement import FEMALE, MALE

from .choices import ActionKind, MemberRole, UnitKind

if TYPE_CHECKING:
    from .models import Action, Person

#: More people than this in one list go to an appendix of the order.
APPENDIX_THRESHOLD = 5
#: Separates a sub-clause from the appendix it refers to inside one frozen action text.
APPENDIX_BREAK = "\n\n"


# ---------------------------------------------------------------- quotes


def inner_quotes(text: str) -> str:
    """Quotes inside a quoted text as Russian typography wants them: «…» and "…" become „…“."""
    text = re.sub(r'"([^"]*)"', "„\\1“", text)
    return text.replace("«", "„").replace("»", "“")


def quoted(text: str) -> str:
    """«text», its own quotes turned into „…“: «Цифровая „школа“»."""
    return f"«{inner_quotes(text)}»"


# ---------------------------------------------------------------- people


@cache
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@cache
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


@lru_cache(maxsize=4096)
def gender_of_name(first_name: str, patronymic: str = "") -> str:
    """The grammatical gender a name tells (metodservice.common.agreement.MALE or FEMALE): the patronymic decides
    («Ивановна», «Рафик оглы»), the first name when there is no patronymic or it tells nothing; "" when neither
    tells (or they disagree)."""
    first_name, patronymic = first_name.strip(), patronymic.strip()
    if not first_name and not patronymic:
        return ""
    gender = _detector().detect(firstname=first_name or None, middlename=patronymic or None)
    return {Gender.MALE: MALE, Gender.FEMALE: FEMALE}.get(gender, "")


_CYRILLIC_WORD = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*$")


@lru_cache(maxsize=4096)
def _name_in(case: Case, last_name: str, first_name: str, patronymic: str = "", gender: str = "") -> str | None:
    parts = [(NamePart.LASTNAME, last_name), (NamePart.FIRSTNAME, first_name)]
    if patronymic:
        parts.append((NamePart.MIDDLENAME, patronymic))
    if not all(_CYRILLIC_WORD.match(value) for _part, value in parts):
        return None
    gender = gender or gender_of_name(first_name, patronymic)
    if gender not in (MALE, FEMALE):
        return None
    pytrovich_gender = Gender.MALE if gender == MALE else Gender.FEMALE
    return " ".join(_maker().make(part, pytrovich_gender, case, value) for part, value in parts)


def name_accusative(last_name: str, first_name: str, patronymic: str = "", gender: str = "") -> str | None:
    """«Медведеву Инну Анатольевну», or None for a name the rules can't be trusted with: not Cyrillic, a
    patronymic of several words («Рафик оглы»), a gender neither the first name nor the patronymic tells.
    `gender` (MALE or FEMALE, the person's override) is used instead of the one the name tells."""
    return _name_in(Case.ACCUSATIVE, last_name, first_name, patronymic, gender)


def name_genitive(last_name: str, first_name: str, patronymic: str = "", gender: str = "") -> str | None:
    """«Медведевой Инны Анатольевны» («об аттестации …»), or None as name_accusative."""
    return _name_in(Case.GENITIVE, last_name, first_name, patronymic, gender)


_ADJECTIVE_ENDINGS = (
    ("кий", "кого"),
    ("гий", "гого"),
    ("хий", "хого"),
    ("ый", "ого"),
    ("ой", "ого"),
    ("ий", "его"),
    ("ая", "ую"),
    ("яя", "юю"),
)
#: Adjectives that are themselves the noun of a position: «Заведующий отделением».
_SUBSTANTIVES = {"заведующий", "заведующая", "управляющий", "управляющая"}
_CONSONANT_END = re.compile(r"[бвгджзклмнпрстфхцчшщ]$")


def _noun_accusative(word: str) -> str | None:
    """An animate noun of a position in the accusative: мастер → мастера, преподаватель → преподавателя."""
    if _CONSONANT_END.search(word):
        return word + "а"
    if word.endswith(("ь", "й")):
        return word[:-1] + "я"
    if word.endswith("а"):
        return word[:-1] + "у"
    if word.endswith("я"):
        return word[:-1] + "ю"
    return None


@lru_cache(maxsize=512)
def position_accusative(position: str) -> str | None:
    """A position after a declined name: «Старший мастер» → «старшего мастера», «Заместитель директора по …» →
    «заместителя директора по …». The adjectives before the head noun and the noun (each part of «педагог-психолог»)
    change; what follows it is already in its own case. None when the head can't be found."""
    words = position.split()
    if not words or words[0].isupper():
        return None
    result: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        adjective = next(
            (lower[: -len(end)] + new for end, new in _ADJECTIVE_ENDINGS if "-" not in lower and lower.endswith(end)),
            None,
        )
        if adjective is not None and (lower in _SUBSTANTIVES or index == len(words) - 1):
            # «Заведующий (отделением)»: an adjective used as the noun is the head itself.
            result.append(adjective)
            result.extend(words[index + 1 :])
            return " ".join(result)
        if adjective is not None:
            result.append(adjective)
            continue
        declined = [_noun_accusative(part) for part in lower.split("-")]
        if any(part is None for part in declined):
            return None
        result.append("-".join(part for part in declined if part))
        result.extend(words[index + 1 :])
        return " ".join(result)
    return None


def _lower_first(text: str) -> str:
    """«Преподаватель» → «преподаватель», an abbreviation stays: «ОБЗР»."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _short(person: Person) -> str:
    return person.short_name


def _detail(person: Person) -> str:
    """What follows the name: the position, or an external's organisation in brackets."""
    if person.position is not None:
        return f", {_lower_first(person.position.name)}"
    if person.organisation:
        return f" ({person.organisation})"
    return ""


def person_accusative(person: Person) -> str | None:
    """«Медведеву Инну Анатольевну, преподавателя»; None when the name or the position does not decline."""
    name = name_accusative(person.last_name, person.first_name, person.patronymic, person.grammatical_gender)
    if name is None:
        return None
    if person.position is None:
        return name + _detail(person)
    position = position_accusative(person.position.name)
    return None if position is None else f"{name}, {position}"


def person_nominative(person: Person, *, short: bool = False) -> str:
    """«Медведева Инна Анатольевна, преподаватель» (or «Медведева И.А., преподаватель»)."""
    return (_short(person) if short else person.full_name) + _detail(person)


# ---------------------------------------------------------------- units and roles


@dataclass(frozen=True)
class KindForms:
    nominative: str
    genitive: str
    accusative: str
    #: Abbreviations that name the kind at the start of a unit's name («ПЦК …», «МО …»): the name is used as is.
    abbreviations: tuple[str, ...] = ()


KIND_FORMS: dict[str, KindForms] = {
    UnitKind.SERVICE: KindForms("методическая служба", "методической службы", "методическую службу"),
    UnitKind.COUNCIL: KindForms("методический совет", "методического совета", "методический совет"),
    UnitKind.ASSOCIATION_CYCLE: KindForms(
        "предметно-цикловая комиссия", "предметно-цикловой комиссии", "предметно-цикловую комиссию", ("ПЦК", "МО")
    ),
    UnitKind.ASSOCIATION_EDUCATIONAL: KindForms(
        "методическое объединение", "методического объединения", "методическое объединение", ("МО", "ПЦК")
    ),
    UnitKind.CREATIVE_GROUP: KindForms("творческая группа", "творческой группы", "творческую группу"),
    UnitKind.LAB: KindForms(
        "экспериментальная лаборатория", "экспериментальной лаборатории", "экспериментальную лабораторию"
    ),
    UnitKind.ATTESTATION_COMMISSION: KindForms(
        "аттестационная комиссия", "аттестационной комиссии", "аттестационную комиссию"
    ),
}

#: Units whose head is a chair (председатель), not a head (руководитель).
CHAIRED_KINDS = {UnitKind.COUNCIL, UnitKind.ASSOCIATION_CYCLE, UnitKind.ATTESTATION_COMMISSION}


def unit_phrase(kind: str, name: str, case: str) -> str:
    """The unit in `case` ("genitive" or "accusative"): «творческой группы «Цифровая дидактика»». A name that starts
    with its kind declines itself («Методический совет техникума» → «методического совета техникума»), one that
    starts with an abbreviation stays («ПЦК общеобразовательных дисциплин»)."""
    forms = KIND_FORMS.get(kind)
    if forms is None:
        return quoted(name)
    lower = name.lower()
    if lower == forms.nominative or lower.startswith(forms.nominative + " "):
        return getattr(forms, case) + name[len(forms.nominative) :]
    if name.split(" ", 1)[0] in forms.abbreviations:
        return name
    return f"{getattr(forms, case)} {quoted(name)}"


def role_instrumental(role: str, kind: str) -> str:
    chair = kind in CHAIRED_KINDS
    return {
        MemberRole.HEAD: "председателем" if chair else "руководителем",
        MemberRole.DEPUTY: "заместителем председателя" if chair else "заместителем руководителя",
        MemberRole.SECRETARY: "секретарём",
        MemberRole.MEMBER: "членом",
    }.get(role, role)


def role_nominative(role: str, kind: str) -> str:
    chair = kind in CHAIRED_KINDS
    return {
        MemberRole.HEAD: "председатель" if chair else "руководитель",
        MemberRole.DEPUTY: "заместитель председателя" if chair else "заместитель руководителя",
        MemberRole.SECRETARY: "секретарь",
        MemberRole.MEMBER: "член",
    }.get(role, role)


# ---------------------------------------------------------------- one action


@dataclass(frozen=True)
class Sentence:
    """An action as a sentence: the verb and what it acts on (`lead`), and the person, if any."""

    verb: str
    lead: str
    person: Person | None = None

    def full(self) -> str:
        if self.person is None:
            return f"{self.lead}."
        declined = person_accusative(self.person)
        if declined is None:
            return f"{self.lead}: {person_nominative(self.person)}."
        return f"{self.lead} {declined}."

    def object_only(self) -> str:
        """Only the person, under a clause that already says the verb and the unit."""
        if self.person is None:
            return self.full()
        return (person_accusative(self.person) or person_nominative(self.person)) + "."


def _unit_of(action: Action, case: str) -> str:
    unit = action.unit
    return unit_phrase(unit.kind, unit.name, case) if unit is not None else "—"


def sentence(action: Action) -> Sentence:
    unit = action.unit
    match action.kind:
        case ActionKind.CREATE_UNIT:
            return Sentence("Создать", f"Создать {_unit_of(action, 'accusative')}")
        case ActionKind.APPOINT:
            role = role_instrumental(action.role, unit.kind if unit else "")
            return Sentence("Назначить", f"Назначить {role} {_unit_of(action, 'genitive')}", action.person)
        case ActionKind.INCLUDE:
            return Sentence("Включить", f"Включить в состав {_unit_of(action, 'genitive')}", action.person)
        case ActionKind.EXCLUDE:
            return Sentence("Исключить", f"Исключить из состава {_unit_of(action, 'genitive')}", action.person)
        case ActionKind.RENAME:
            new = unit_phrase(unit.kind, action.new_name, "accusative") if unit else quoted(action.new_name)
            return Sentence("Переименовать", f"Переименовать {_unit_of(action, 'accusative')} в {new}")
        case ActionKind.DISSOLVE:
            return Sentence("Упразднить", f"Упразднить {_unit_of(action, 'accusative')}")
        case ActionKind.CANCEL_ORDER:
            target = action.target_order
            if target is None:
                return Sentence("Отменить", "Отменить приказ")
            return Sentence(
                "Отменить",
                f"Отменить приказ от {target.date:%d.%m.%Y} № {target.registration_number} {quoted(target.title)}",
            )
    return Sentence(action.kind, action.kind)


def describe_standalone(action: Action) -> str:
    """The action as a sentence of its own, whatever its clause says (the draft's list of structural actions)."""
    return sentence(action).full()


# ---------------------------------------------------------------- an action in its clause


def _first_word(text: str) -> str:
    words = text.split()
    return words[0].lower().strip(".,:;") if words else ""


def _plain(text: str) -> str:
    """For comparing wordings: lower case, one kind of quotes, single spaces."""
    return " ".join(text.lower().replace("„", "«").replace("“", "»").split())


def _states(clause_text: str, action: Action, alone: bool) -> bool:
    """Whether the clause already says what the action does, so that a sub-clause would repeat it."""
    said = sentence(action)
    if _first_word(clause_text) != said.verb.lower():
        return False
    text = _plain(clause_text)
    unit = action.unit
    if action.kind == ActionKind.CREATE_UNIT and unit is not None:
        # The clause names the unit as the sub-clause would: its kind and name («творческую группу «X»»), a name
        # that starts with its kind, or the kind spelled out before an abbreviated name («ПЦК …»).
        forms = KIND_FORMS.get(unit.kind)
        names = {_plain(unit_phrase(unit.kind, unit.name, "accusative"))}
        first, _space, rest = unit.name.partition(" ")
        if forms is not None and rest and first in forms.abbreviations:
            names.add(_plain(f"{forms.accusative} {rest}"))
        return any(name in text for name in names)
    if not alone or clause_text.rstrip().endswith(":"):
        return False
    person = action.person
    if person is not None:
        declined = name_accusative(person.last_name, person.first_name, person.patronymic, person.grammatical_gender)
        surnames = {person.last_name.lower(), (declined or person.last_name).split()[0].lower()}
        return any(re.search(rf"\b{re.escape(surname)}\b", text) for surname in surnames)
    if action.kind == ActionKind.CANCEL_ORDER and action.target_order is not None:
        return action.target_order.registration_number.lower() in text
    return unit is not None and _plain(unit.name) in text


def _runs(actions: Sequence[Action]) -> list[list[Action]]:
    """Consecutive inclusions into (exclusions from) one unit form a run; any other action is a run of one."""
    runs: list[list[Action]] = []
    for action in actions:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and action.kind in (ActionKind.INCLUDE, ActionKind.EXCLUDE)
            and action.kind == previous.kind
            and action.unit_id == previous.unit_id
        ):
            runs[-1].append(action)
        else:
            runs.append([action])
    return runs


def _appendix(run: list[Action], clause_actions: Sequence[Action], number: int, created: set[int | None]) -> str:
    first = run[0]
    unit = first.unit
    unit_genitive = _unit_of(first, "genitive")
    rows: list[str] = []
    if first.kind == ActionKind.INCLUDE and unit is not None and unit.pk in created:
        line = f"Утвердить состав {unit_genitive} (приложение № {number})."
        title = f"Состав {unit_genitive}"
        appointed = [a for a in clause_actions if a.kind == ActionKind.APPOINT and a.unit_id == first.unit_id]
        rows += [f"{person_nominative(a.person)} — {role_nominative(a.role, unit.kind)}" for a in appointed if a.person]
    else:
        line = f"{sentence(first).lead} по списку (приложение № {number})."
        verb = "включаемых в состав" if first.kind == ActionKind.INCLUDE else "исключаемых из состава"
        title = f"Список {verb} {unit_genitive}"
    rows += [person_nominative(a.person) for a in run if a.person is not None]
    numbered = [f"{index}. {row}" for index, row in enumerate(rows, start=1)]
    return APPENDIX_BREAK.join([line, "\n".join([title, *numbered])])


def clause_wording(
    clause_text: str, actions: Sequence[Action], *, appendices_before: int = 0, created: Iterable[int | None] = ()
) -> dict[int, str]:
    """The text of each action (by pk) of one clause, as its sub-clauses print it. Actions of one run share their
    text (printed once); an action the clause already states gets the clause's own text (not printed again)."""
    created = set(created)
    texts: dict[int, str] = {}
    colon = clause_text.rstrip().endswith(":")
    verb = _first_word(clause_text)
    appendices = appendices_before
    for run in _runs(actions):
        first = run[0]
        said = sentence(first)
        under_lead = colon and verb == said.verb.lower() and first.kind in (ActionKind.INCLUDE, ActionKind.EXCLUDE)
        if len(run) > APPENDIX_THRESHOLD:
            appendices += 1
            text = _appendix(run, actions, appendices, created)
        elif len(run) > 1:
            people = "; ".join(person_nominative(a.person, short=True) for a in run if a.person is not None)
            text = f"{people}." if under_lead else f"{said.lead}: {people}."
        elif _states(clause_text, first, alone=len(actions) == 1):
            text = clause_text
        else:
            text = said.object_only() if under_lead else said.full()
        for action in run:
            texts[action.pk] = text
    return texts


def order_wording(clauses: Iterable[tuple[str, Sequence[Action]]]) -> dict[int, str]:
    """The text of every action of an order (by pk) from its clauses in order, each with its actions in order."""
    clauses = [(text, list(actions)) for text, actions in clauses]
    created = {a.unit_id for _text, actions in clauses for a in actions if a.kind == ActionKind.CREATE_UNIT}
    texts: dict[int, str] = {}
    appendices = 0
    for text, actions in clauses:
        wording = clause_wording(text, actions, appendices_before=appendices, created=created)
        appendices += len({t for t in wording.values() if APPENDIX_BREAK in t})
        texts.update(wording)
    return texts


def describe_action(action: Action) -> str:
    """The action's text in its order, as the order prints it; frozen into `Action.text` at signing.

    Reads the order's actions in one query (the wording of an action depends on its clause and on the appendices
    before it); a page showing a whole order uses `order_wording` on prefetched rows instead."""
    if action.pk is None:
        return describe_standalone(action)
    model: Any = type(action)
    actions = list(
        model._default_manager.filter(clause__order_id=action.clause.order_id)
        .select_related("clause", "unit", "person__position", "target_order")
        .order_by("clause__position", "clause_id", "position", "pk")
    )
    clauses: dict[int, tuple[str, list[Action]]] = {}
    for each in actions:
        clauses.setdefault(each.clause_id, (each.clause.text, []))[1].append(each)
    return order_wording(clauses.values()).get(action.pk) or describe_standalone(action)


# ---------------------------------------------------------------- the order laid out from frozen texts


@dataclass(frozen=True)
class SubClause:
    number: str
    text: str


@dataclass(frozen=True)
class Appendix:
    number: int
    title: str
    rows: list[str]


@dataclass
class PrintedClause:
    number: int
    text: str
    subclauses: list[SubClause] = field(default_factory=list)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).rstrip(".:") == " ".join(b.split()).rstrip(".:")


def printed_order(clauses: Iterable[tuple[int, str, Sequence[str]]]) -> tuple[list[PrintedClause], list[Appendix]]:
    """Lay out an order from its clauses (number, text, the texts of its actions in order): a run of actions
    sharing one text prints once, an action reading as its clause is not printed again, and an appendix goes to
    the end of the order. Reads only the given (frozen) texts."""
    printed: list[PrintedClause] = []
    appendices: list[Appendix] = []
    for number, text, action_texts in clauses:
        clause = PrintedClause(number=number, text=text)
        previous = None
        for action_text in action_texts:
            if action_text == previous or _same(action_text, text):
                previous = action_text
                continue
            previous = action_text
            line, _break, appendix = action_text.partition(APPENDIX_BREAK)
            if appendix:
                title, *rows = appendix.split("\n")
                appendices.append(Appendix(number=len(appendices) + 1, title=title, rows=rows))
            clause.subclauses.append(SubClause(number=f"{number}.{len(clause.subclauses) + 1}", text=line))
        printed.append(clause)
    return printed, appendices
