"""Reads of the competency frameworks: the list with the counts of competencies and campaigns (one query, whatever
the number of frameworks), a framework's tree in one query for its competencies, and whether a framework is frozen
(used in a campaign: then every change goes into a new version, attestation.services.frameworks.framework_copy).

Everyone on the staff sees every framework (attestation/rules/frameworks.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Competency, CompetencyFramework, CompetencyKind, DiagnosticCampaign


def _count_of(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) per framework (two joined counts would multiply each other)."""
    counted = queryset.filter(framework=OuterRef("pk")).order_by().values("framework").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def frameworks() -> QuerySet[CompetencyFramework]:
    """Every framework with `competency_count` and `campaign_count` (frozen when > 0), by name then newest version."""
    return CompetencyFramework.objects.select_related("based_on").annotate(
        competency_count=_count_of(Competency.objects.all()),
        campaign_count=_count_of(DiagnosticCampaign.objects.all()),
    )


def framework_detail() -> QuerySet[CompetencyFramework]:
    return frameworks().select_related("created_by")


def is_frozen(framework: CompetencyFramework) -> bool:
    """Used in a campaign. Reads the annotation when the framework came from `frameworks()`."""
    count = getattr(framework, "campaign_count", None)
    if count is not None:
        return count > 0
    return DiagnosticCampaign.objects.filter(framework=framework).exists()


@dataclass
class Node:
    """A competency of the tree with its children, in the order of their positions."""

    competency: Competency
    children: list[Node] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.competency.code


def competencies(framework: CompetencyFramework) -> QuerySet[Competency]:
    return Competency.objects.filter(framework=framework).order_by("position", "code", "pk")


def tree(framework: CompetencyFramework, items: list[Competency] | None = None) -> list[Node]:
    """The framework's roots (generalised functions) with their functions and indicators. A node whose parent is
    missing (only a database edited by hand) is shown as a root rather than lost."""
    if items is None:
        items = list(competencies(framework))
    nodes = {item.pk: Node(item) for item in items}
    roots: list[Node] = []
    for item in items:
        node = nodes[item.pk]
        parent = nodes.get(item.parent_id) if item.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def walk(roots: list[Node]) -> list[tuple[int, Node]]:
    """The tree in reading order: (depth, node), parents before their children."""
    rows: list[tuple[int, Node]] = []

    def visit(nodes: list[Node], depth: int) -> None:
        for node in nodes:
            rows.append((depth, node))
            visit(node.children, depth + 1)

    visit(roots, 0)
    return rows


def parent_choices(framework: CompetencyFramework, *, exclude: Competency | None = None) -> QuerySet[Competency]:
    """What a competency may hang under: the framework's generalised functions and functions."""
    queryset = competencies(framework).filter(kind__in=[CompetencyKind.GENERALISED, CompetencyKind.FUNCTION])
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset
