"""The role matrix: every URL pattern of the project, requested as every role, answers the expected status.

A URL pattern that is not in MATRIX fails `test_every_url_is_in_the_matrix`: a new page is not done until its
row says who may open it. Expected statuses: 200 a page, 302 an action done (redirect) or a login redirect,
403 reachable but not permitted, 404 out of reach.
"""

from __future__ import annotations

import importlib
import pkgutil

from django.conf import settings
from django.db import transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.matrix import DRAFTERS, EVERYONE, MANAGEMENT, STAFF_AND_ADMIN, Case, get, post
from tests.planning.world import build_planning
from tests.world import ROLES, STAFF_ROLES, build_world

NOT_DRAFT_VIEWERS = [r for r in STAFF_ROLES if r not in MANAGEMENT] + ["researcher"]
draft = lambda w: {"pk": w.draft.pk}  # noqa: E731
clause = lambda w: {"pk": w.draft.pk, "clause_pk": w.draft.clauses.get().pk}  # noqa: E731
action = lambda w: {"pk": w.draft.pk, "action_pk": w.draft.clauses.get().actions.get().pk}  # noqa: E731
teacher = lambda w: {"pk": w.people["teacher"].pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "dashboard": get(EVERYONE),
    "login": Case(ok=EVERYONE, ok_status=302, anonymous=200),  # a logged-in user is sent on to the dashboard
    "logout": Case(method="post", ok=EVERYONE, ok_status=302, anonymous=302),
    # every account changes its own password; anonymous visitors are sent to the login page
    "password_change": get(EVERYONE),
    "password_change_done": get(EVERYONE),
    # structure
    "structure:overview": get(STAFF_AND_ADMIN),
    "structure:structure_export": get(STAFF_AND_ADMIN),
    "structure:unit_detail": get(STAFF_AND_ADMIN, lambda w: {"pk": w.council.pk}, hidden=["researcher"]),
    "structure:person_list": get(STAFF_AND_ADMIN),
    "structure:person_create": get([*MANAGEMENT, "admin"]),
    "structure:people_export": get(STAFF_AND_ADMIN),
    "structure:people_import": get([*DRAFTERS, "admin"]),
    "structure:people_import_template": get([*DRAFTERS, "admin"]),
    "structure:person_detail": get(STAFF_AND_ADMIN, teacher, hidden=["researcher"]),
    "structure:person_edit": get([*MANAGEMENT, "admin"], teacher, hidden=["researcher"]),
    # orders: a draft is visible to management and admin only
    "structure:order_list": get(EVERYONE),
    "structure:order_create": get(DRAFTERS),
    "structure:orders_export": get(EVERYONE),
    "structure:order_detail": get([*MANAGEMENT, "admin"], draft, hidden=NOT_DRAFT_VIEWERS),
    "structure:order_edit": get(DRAFTERS, draft, hidden=NOT_DRAFT_VIEWERS),
    "structure:order_delete": get(DRAFTERS, draft, hidden=NOT_DRAFT_VIEWERS),
    "structure:clause_add": post(DRAFTERS, draft, hidden=NOT_DRAFT_VIEWERS, data={"text": "Новый пункт"}),
    "structure:clause_edit": get(DRAFTERS, clause, hidden=NOT_DRAFT_VIEWERS),
    "structure:clause_delete": get(DRAFTERS, clause, hidden=NOT_DRAFT_VIEWERS),
    "structure:action_add": get(DRAFTERS, clause, hidden=NOT_DRAFT_VIEWERS),
    "structure:action_delete": post(DRAFTERS, action, hidden=NOT_DRAFT_VIEWERS),
    "structure:order_send": post(DRAFTERS, draft, hidden=NOT_DRAFT_VIEWERS),
    "structure:order_visa": post(
        ["chair"],
        lambda w: {"pk": w.on_approval.pk},
        hidden=[r for r in NOT_DRAFT_VIEWERS if r != "chair"],
        data={"decision": "agree"},
    ),
    "structure:order_sign": post(["director"], lambda w: {"pk": w.on_signing.pk}, hidden=NOT_DRAFT_VIEWERS),
    "structure:order_return": post(
        ["director"], lambda w: {"pk": w.on_signing.pk}, hidden=NOT_DRAFT_VIEWERS, data={"comment": "Исправить"}
    ),
    "structure:order_acknowledge": post(["teacher"], lambda w: {"pk": w.signed.pk}, hidden=["researcher"]),
    # the management, and the teacher the signed order names
    "structure:order_pdf": get([*MANAGEMENT, "teacher"], lambda w: {"pk": w.signed.pk}, hidden=["researcher"]),
    # creative groups
    "structure:group_list": get(STAFF_AND_ADMIN),
    "structure:group_propose": get(STAFF_ROLES),
    "structure:group_join": post(
        [r for r in STAFF_ROLES if r != "group_lead"], lambda w: {"pk": w.proposed_group.pk}, hidden=["researcher"]
    ),
    "structure:group_register": post(DRAFTERS, lambda w: {"pk": w.proposed_group.pk}, hidden=["researcher"]),
    "structure:join_request_decide": post(
        ["group_lead"], lambda w: {"pk": w.join_request.pk}, hidden=["researcher"], data={"decision": "accept"}
    ),
    # the admin site: only the superuser; everyone else is sent to the admin login
    "admin:index": Case(ok=["admin"], others=302),
}


def _area_matrices() -> None:
    """Rows of other apps live beside their tests, in modules named `matrix_*.py` that define MATRIX."""
    for package in pkgutil.walk_packages(tests.__path__, "tests."):
        if package.name.rsplit(".", 1)[-1].startswith("matrix_"):
            area = importlib.import_module(package.name).MATRIX
            clash = set(area) & set(MATRIX)
            assert not clash, f"{package.name} repeats {sorted(clash)}"
            MATRIX.update(area)


_area_matrices()

#: URL namespaces left to their own framework's tests, with the reason.
EXCLUDED_NAMESPACES = {"admin": "Django's admin checks is_staff itself; its index is in the matrix as a sample"}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace in EXCLUDED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix():
    missing = all_url_names() - set(MATRIX)
    assert not missing, f"add these URLs to the role matrix: {sorted(missing)}"


def test_every_url_has_a_name():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in EXCLUDED_NAMESPACES:
                    yield from walk(pattern.url_patterns)
            else:
                yield pattern

    unnamed = [str(p.pattern) for p in walk(get_resolver().url_patterns) if not p.name]
    assert not unnamed


class RoleMatrixTest(TestCase):
    """One test per URL; the college is built once for the class and each request is rolled back."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_planning(build_world())
        # One session per role, logged in once for the class (each test starts from the class's data again).
        cls.sessions = {}
        for role in ROLES:
            if role != "anonymous":
                client = Client()
                client.force_login(cls.world.admin if role == "admin" else cls.world.people[role].user)
                cls.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def check(self, url_name: str) -> None:
        case = MATRIX[url_name]
        url = reverse(url_name, kwargs=case.kwargs(self.world))
        wrong = []
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
            # Each request runs in a savepoint rolled back afterwards, so one role's action doesn't change the next's.
            with transaction.atomic():
                response = getattr(client, case.method)(url, case.data)
                transaction.set_rollback(True)
            if response.status_code != case.expected(role):
                wrong.append(f"{role}: {response.status_code} (expected {case.expected(role)})")
        assert not wrong, f"{case.method.upper()} {url}: " + "; ".join(wrong)


def _make_test(url_name: str):
    def test(self):
        self.check(url_name)

    return test


for _name in MATRIX:
    setattr(RoleMatrixTest, "test_" + _name.replace(":", "__"), _make_test(_name))
