"""Who may reach a budget period: the roles are checked by the views' decorators (the officer
writes; the board and the auditors read); the period must belong to the user's förbund."""

from django.shortcuts import get_object_or_404

from budget.models import Budget


def get_budget_for_user(request, pk) -> Budget:
    """The period with its förbund, if it belongs to the user's förbund; 404 otherwise, so
    another förbund's periods are not even known to exist (one query). The förbund is the
    request's, not joined again (issue #12)."""
    budget = get_object_or_404(Budget.objects.for_association(request.association), pk=pk)
    budget.association = request.association
    return budget
