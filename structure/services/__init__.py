"""Every write that changes orders, the structure and creative groups; one module per area: the engine that
applies an order's actions, drafting, the approval and signing workflow, people and their absence periods, creative
groups. The public services are re-exported here: callers use `services.order_sign(…)` and
`from structure.services import PERSON_FIELDS`."""

from .absences import absence_delete, absence_save
from .drafting import (
    action_add,
    action_delete,
    clause_add,
    clause_delete,
    clause_update,
    order_create,
    order_delete,
    order_update,
)
from .engine import validate_order_actions
from .groups import group_join_request, group_propose, group_registration_order, join_request_decide
from .people import PERSON_FIELDS, person_save
from .workflow import order_acknowledge, order_return, order_send, order_sign, order_visa

__all__ = [
    "PERSON_FIELDS",
    "absence_delete",
    "absence_save",
    "action_add",
    "action_delete",
    "clause_add",
    "clause_delete",
    "clause_update",
    "group_join_request",
    "group_propose",
    "group_registration_order",
    "join_request_decide",
    "order_acknowledge",
    "order_create",
    "order_delete",
    "order_return",
    "order_send",
    "order_sign",
    "order_update",
    "order_visa",
    "person_save",
    "validate_order_actions",
]
