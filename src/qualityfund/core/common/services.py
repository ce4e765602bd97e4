"""Service functions of the audit trail itself."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import audit
from .models import AuditVerification
from .permissions import require
from .tasks import enqueue, verify_audit

# A request still unanswered after this long is taken as lost, and another may be made.
PENDING_FOR = timedelta(hours=1)


def request_verification(by) -> AuditVerification:
    """Verify the whole chain in the background; while one request is pending, asking again
    returns it instead of queueing more work."""
    require(by, "common.view_auditrecord")
    with transaction.atomic():
        pending = AuditVerification.objects.filter(
            finished_at__isnull=True, requested_at__gte=timezone.now() - PENDING_FOR).first()
        if pending:
            return pending
        verification = AuditVerification.objects.create(requested_by=by)
        audit.record(by, "audit.verify", verification)
        enqueue(verify_audit, verification.pk)
    return verification
