"""Permissions of attestation/: the portfolio.

- Seeing a person's portfolios, a portfolio, its PDF and its documents: whoever sees the person's attestation
  records (attestation.selectors.people.sees_person_records) — the person; the director, the deputy, the methodist
  and the administrator; the heads of the subject associations the person belongs to today.
- Having portfolios of one's own («Моё портфолио») and creating one: every staff member, for themself.
- Changing a portfolio (title, period), picking its entries, adding and deleting its documents, deleting it: its
  person only. A portfolio is the teacher's own account of their work, submitted with their application; the
  methodist sees it and its PDF but neither writes it nor chooses for the teacher what it shows (a teacher who
  needs help gets it at the teacher's own screen).
"""

from __future__ import annotations

import rules

from structure.rules import is_staff_member
from structure.selectors import roles_of

from ..selectors import people


@rules.predicate
def sees_person(user, person) -> bool:
    return person is not None and people.sees_person_records(roles_of(user), person.pk)


@rules.predicate
def sees_portfolio(user, portfolio) -> bool:
    return portfolio is not None and people.sees_person_records(roles_of(user), portfolio.person_id)


@rules.predicate
def owns_portfolio(user, portfolio) -> bool:
    me = roles_of(user).person
    return portfolio is not None and me is not None and portfolio.person_id == me.pk


rules.add_perm("attestation.view_own_portfolios", is_staff_member)
rules.add_perm("attestation.add_portfolio", is_staff_member)
rules.add_perm("attestation.view_person_portfolios", sees_person)  # obj: the person
rules.add_perm("attestation.view_portfolio", sees_portfolio)
rules.add_perm("attestation.change_portfolio", owns_portfolio)  # title, period, picks, documents
rules.add_perm("attestation.delete_portfolio", owns_portfolio)
