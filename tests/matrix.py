"""The role-matrix vocabulary shared by tests/test_role_matrix.py and the per-area `matrix_*.py` modules.

A `Case` says, for one URL, which roles get which status: `ok` roles get `ok_status`, `hidden` roles 404,
anonymous visitors `anonymous` (a login redirect), every other logged-in role `others` (403 by default).
`kwargs(world)` gives the URL's arguments from the world of tests/world.py and tests/planning/world.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import ROLES, STAFF_ROLES, World

EVERYONE = [r for r in ROLES if r != "anonymous"]
DRAFTERS = ["deputy", "methodist"]
MANAGEMENT = ["director", "deputy", "methodist"]


STAFF_AND_ADMIN = [*STAFF_ROLES, "admin"]


@dataclass
class Case:
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: dict = field(default_factory=dict)
    ok: list[str] = field(default_factory=list)  # roles that get `ok_status`
    ok_status: int = 200
    hidden: list[str] = field(default_factory=list)  # roles that get 404
    anonymous: int = 302  # login redirect
    others: int = 403  # everybody else logged in

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return self.anonymous
        if role in self.ok:
            return self.ok_status
        if role in self.hidden:
            return 404
        return self.others


def post(ok, kwargs, hidden=(), data=None, ok_status=302) -> Case:
    return Case(kwargs=kwargs, method="post", ok=list(ok), hidden=list(hidden), data=data or {}, ok_status=ok_status)


def get(ok, kwargs=lambda w: {}, hidden=()) -> Case:
    return Case(kwargs=kwargs, ok=list(ok), hidden=list(hidden))
