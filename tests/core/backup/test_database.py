"""The backup reads every table as of one instant, while the platform keeps writing."""

import threading

import pytest
from django.db import connection

from qualityfund.core.accounts.models import Organisation
from qualityfund.core.backup import BackupError, database
from tests import factories


def write_elsewhere():
    """An organisation registered by another request (its own connection) and committed."""
    def register():
        try:
            factories.make_organisation("深圳市快照期间注册有限公司")
        finally:
            connection.close()

    writer = threading.Thread(target=register)
    writer.start()
    writer.join()


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_does_not_see_what_is_written_while_it_is_read(organisation):
    with database.snapshot("default") as alias:
        assert Organisation.objects.using(alias).count() == 1
        write_elsewhere()
        assert Organisation.objects.using(alias).count() == 1
    assert Organisation.objects.count() == 2  # it was committed meanwhile


def test_a_snapshot_cannot_be_taken_inside_a_transaction(db):
    with (pytest.raises(BackupError, match="备份须在事务之外进行"),
          database.snapshot("default")):
        pass
