"""Words that agree with a person's grammatical gender: «Орлова … направила», «Петров … направил».

A gender is MALE, FEMALE or "" (unknown: the text keeps the form that fits both, «направил(а)»). A person knows its
own (`structure.models.Person.grammatical_gender`: an override, else found from the patronymic and the first name);
a frozen record stores the value. A translated text comes in three entries: the neutral msgid, and the same msgid
with the context "masculine" and with "feminine" — written as literals (`pgettext("feminine", "…")`,
`{% translate "…" context "feminine" %}`), or makemessages does not find them.
"""

from __future__ import annotations

MALE = "male"
FEMALE = "female"


def agree[T](gender: str, *, masculine: T, feminine: T, neutral: T) -> T:
    """The form of a text that agrees with `gender`; `neutral` when the gender is not known."""
    if gender == MALE:
        return masculine
    if gender == FEMALE:
        return feminine
    return neutral
