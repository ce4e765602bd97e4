"""A stored file never outlives the transaction that wrote it: a service that writes a file
and then fails leaves nothing in the store; one that commits keeps its file. What a crash
leaves behind is swept once it is an hour old."""

import hashlib
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import MaterialFile
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding import services as funding
from qualityfund.core.runtime import files
from tests import factories
from tests.core.funding.builders import consulted_plan


def stored() -> list[str]:
    try:
        return list(files.walk(default_storage))
    except FileNotFoundError:
        return []


def upload(application, user):
    return applications.upload_material(application, "pledge",
                                        factories.upload("承诺书.pdf"), by=user)


def test_an_upload_in_a_transaction_that_then_fails_a_rule_leaves_no_file(
        make_application, applicant):
    application = make_application("honors")
    with pytest.raises(RuleViolation), transaction.atomic():
        upload(application, applicant)
        assert len(stored()) == 1
        raise RuleViolation("后一步的规则不满足")
    assert stored() == [] and not MaterialFile.objects.exists()

    kept = upload(application, applicant)
    assert stored() == [kept.file.name]
    with default_storage.open(kept.file.name) as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == kept.sha256


def test_only_the_files_of_the_savepoint_that_rolled_back_go(make_application, applicant):
    application = make_application("honors")
    with transaction.atomic():
        first = upload(application, applicant)
        with pytest.raises(RuleViolation), transaction.atomic():
            upload(application, applicant)
            raise RuleViolation("后一步的规则不满足")
    assert stored() == [first.file.name]


def test_the_minutes_of_a_decision_that_fails_leave_no_file(guide, officer, director):
    plan = consulted_plan(guide, officer)

    def decide():
        return funding.record_decision(
            plan, meeting_date=timezone.localdate(), decision="同意", by=director,
            minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()))

    with pytest.raises(RuleViolation), transaction.atomic():
        decide()
        raise RuleViolation("后一步的规则不满足")
    assert stored() == []
    plan.refresh_from_db()
    assert not plan.minutes

    decided = decide()
    assert stored() == [decided.minutes.name]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_removes_its_file_and_a_committed_one_keeps_it(
        make_application, applicant):
    application = make_application("honors")
    with pytest.raises(RuleViolation), transaction.atomic():  # the outermost transaction
        upload(application, applicant)
        raise RuleViolation("后一步的规则不满足")
    assert stored() == []
    kept = upload(application, applicant)
    assert stored() == [kept.file.name]


def test_the_sweep_removes_only_old_files_no_row_names(make_application, applicant):
    kept = upload(make_application("honors"), applicant)
    orphan = default_storage.save("materials/9999/left-by-a-crash", ContentFile(b"x"))
    recent = default_storage.save("materials/9999/transaction-still-open", ContentFile(b"x"))
    cache = default_storage.save("previews/abc/90-1.png", ContentFile(b"x"))
    two_hours_ago = time.time() - 7200
    for name in (kept.file.name, orphan, cache):
        os.utime(default_storage.path(name), (two_hours_ago, two_hours_ago))

    assert files.sweep() == [orphan]
    assert sorted(stored()) == sorted([kept.file.name, recent, cache])
    assert files.sweep(now=timezone.now() + timedelta(hours=2)) == [recent]
