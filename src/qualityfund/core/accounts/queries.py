"""What the identity change pages and endpoints read, each in a fixed number of queries."""

from .identity import label, shown
from .models import IdentityChangeRequest, Organisation


def identity_changes(status: str = ""):
    """Identity change requests, newest first (pending ones when ``status`` says so)."""
    rows = IdentityChangeRequest.objects.select_related("organisation", "requested_by",
                                                        "decided_by")
    return rows.filter(status=status) if status else rows


def history(organisation: Organisation):
    """The organisation's identity change requests, newest first: with their old and new
    values, the history of the organisation's identity."""
    return identity_changes().filter(organisation=organisation)


def change_rows(change: IdentityChangeRequest) -> list[dict]:
    """``[{"field", "label", "from", "to"}]`` as people read them (the trust level by name)."""
    return [{"field": name, "label": label(name), "from": shown(name, values["from"]),
             "to": shown(name, values["to"])} for name, values in change.changes.items()]
