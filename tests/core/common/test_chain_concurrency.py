"""Hundreds of submissions at a deadline each write audit records: the chain must not make
them queue behind one lock. Writer threads, each on its own database connection, commit
audit records while the sealer is stopped in the middle of a run (PostgreSQL) and while it
seals in a loop beside them; then every record is linked exactly once and the chain verifies.

On SQLite (the embedded runtime, one writer at a time by design) the same writers and sealer
run on a file database; the sealer cannot be stopped mid-run there without stopping every
writer too, so that part is PostgreSQL's.
"""

import random
import statistics
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction

from qualityfund.core.common import audit, chain
from qualityfund.core.common.models import AuditLink, AuditRecord

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]
TRANSACTIONS, RECORDS = 20, 3
# Writer threads: PostgreSQL takes many at once; SQLite, one writer at a time, serves a few
# (more only wait longer for its file lock, which is not what this test is about).
WRITERS = {"postgresql": 32, "sqlite": 4}


@contextmanager
def connected(settings_dict):
    """This thread on its own connection to the shared database."""
    original = connections["default"]
    connections["default"] = original.__class__(dict(settings_dict), "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """Settings of a database every thread opens: PostgreSQL's test database, or a migrated
    SQLite file (the in-memory test database cannot take concurrent writers)."""
    settings_dict = dict(connections["default"].settings_dict)
    if connections["default"].vendor == "postgresql":
        yield settings_dict
        return
    settings_dict["NAME"] = str(tmp_path / "concurrency.sqlite3")
    with django_db_blocker.unblock(), connected(settings_dict):
        call_command("migrate", verbosity=0)
        yield settings_dict


class Run:
    def __init__(self, settings_dict, writers: int):
        self.settings_dict = settings_dict
        self.count = writers
        self.latencies: list[float] = []
        self.errors: list[BaseException] = []
        self.lock = threading.Lock()

    def thread(self, target, *args) -> threading.Thread:
        def body():
            try:
                with connected(self.settings_dict):
                    target(*args)
            except (DatabaseError, AssertionError) as exc:  # reported by the test
                with self.lock:
                    self.errors.append(exc)
        started = threading.Thread(target=body)
        started.start()
        return started

    def writer(self, number: int) -> None:
        rng = random.Random(number)
        for t in range(TRANSACTIONS):
            began = time.perf_counter()
            with transaction.atomic():
                for r in range(RECORDS):
                    audit.record(None, "application.submitted", writer=number, txn=t, rec=r)
                time.sleep(rng.random() / 500)  # the rest of a submission's work
            with self.lock:
                self.latencies.append(time.perf_counter() - began)

    def writers(self) -> float:
        began = time.perf_counter()
        for started in [self.thread(self.writer, n) for n in range(self.count)]:
            started.join(timeout=120)
        return time.perf_counter() - began


def _hold_the_sealer(holding: threading.Event, release: threading.Event) -> None:
    """A sealer stopped in the middle of its run: its lock taken, its transaction open."""
    with transaction.atomic():
        chain.lock()
        holding.set()
        assert release.wait(timeout=120), "never released"


def _seal_in_a_loop(stop: threading.Event, runs: list[int]) -> None:
    """The background sealer as commits keep asking for it."""
    while not stop.wait(0.01):
        runs.append(chain.seal())


def test_writers_never_wait_for_the_sealer_and_every_record_is_linked_once(database):
    with connected(database):
        vendor = connections["default"].vendor
    run, figures = Run(database, WRITERS[vendor]), []
    if vendor == "postgresql":
        holding, release = threading.Event(), threading.Event()
        holder = run.thread(_hold_the_sealer, holding, release)
        assert holding.wait(timeout=30)
        took = run.writers()  # every writer commits while the sealer holds its lock
        still_held = holder.is_alive()
        release.set()
        holder.join(timeout=30)
        assert still_held and not run.errors, run.errors
        figures.append(f"sealer held: {run.count * TRANSACTIONS} transactions committed in "
                       f"{took:.2f} s, slowest {max(run.latencies) * 1000:.0f} ms")
    stop, runs = threading.Event(), []
    sealer = run.thread(_seal_in_a_loop, stop, runs)
    latencies_before = len(run.latencies)
    took = run.writers()
    stop.set()
    sealer.join(timeout=60)
    assert not run.errors, run.errors  # a deadlock would be here
    beside = run.latencies[latencies_before:]
    figures.append(f"sealer sealing: {run.count} writers, {len(beside)} transactions in {took:.2f} s, median "
                   f"{statistics.median(beside) * 1000:.0f} ms, slowest "
                   f"{max(beside) * 1000:.0f} ms; {len(runs)} sealer runs linked "
                   f"{sum(runs)} records meanwhile")

    with connected(database):
        chain.seal(full=True)
        verdict = chain.verify()
        records = set(AuditRecord.objects.values_list("id", flat=True))
        linked = list(AuditLink.objects.order_by("seq").values_list("seq", "record_id"))
    phases = 2 if vendor == "postgresql" else 1
    assert len(records) == phases * run.count * TRANSACTIONS * RECORDS
    assert [seq for seq, _ in linked] == list(range(1, len(records) + 1))
    assert sorted(record for _, record in linked) == sorted(records)  # each exactly once
    assert verdict.ok and verdict.checked == len(records), verdict.problem
    print(f"\n[{vendor}, {run.count} writers] " + "\n".join(figures) + f"\nchain verified: {verdict.checked} rings")
