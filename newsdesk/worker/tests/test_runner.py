"""Background tasks through the real database queue (django-tasks-db), as a server runs them."""

import threading

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from newsdesk.news.models import ArticlePage
from newsdesk.testing import make_article
from newsdesk.worker import runner as runner_module
from newsdesk.worker.models import PeriodicLease
from newsdesk.worker.runner import (
    TaskRunner,
    every,
    prune_finished_tasks,
    run_due_jobs,
    run_ready_tasks,
)

QUEUED_IN_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def found(word: str) -> list[str]:
    return [page.title for page in ArticlePage.objects.live().search(word)]


@pytest.fixture
def queue_in_database(settings):
    settings.TASKS = QUEUED_IN_DATABASE


def test_publishing_queues_the_indexing_and_the_runner_makes_the_article_searchable(
    queue_in_database, world
):
    article = make_article(world, title="Lighthouse keepers strike on the cape", publish=False)
    article.tags.add("Maritime")
    article.save_revision().publish()

    # Publish returned without indexing: the editor did not wait for it.
    assert found("lighthouse") == []
    assert DBTaskResult.objects.ready().filter(task_path__startswith="modelsearch").exists()

    assert run_ready_tasks() > 0

    assert found("lighthouse") == ["Lighthouse keepers strike on the cape"]
    assert found("maritime") == ["Lighthouse keepers strike on the cape"]  # tags, written last
    assert not DBTaskResult.objects.ready().exists()
    assert run_ready_tasks() == 0


def test_a_rolled_back_publish_leaves_no_task(queue_in_database, world):
    article = make_article(world, title="Harbour pilots", publish=False)
    queued = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.save_revision().publish()
        raise RuntimeError("the editor's request failed after the publish")

    assert DBTaskResult.objects.count() == queued


def test_unpublishing_takes_the_article_out_of_reader_search(queue_in_database, world):
    article = make_article(world, title="Ferry timetable changes")
    run_ready_tasks()
    assert found("ferry") == ["Ferry timetable changes"]

    article.unpublish()
    run_ready_tasks()

    assert found("ferry") == []


def test_finished_tasks_are_pruned_once_old(queue_in_database, world):
    make_article(world, title="Tide tables")
    run_ready_tasks()
    finished = DBTaskResult.objects.exclude(finished_at=None).count()
    assert finished > 0

    assert prune_finished_tasks(before=time_ago(0)) == finished
    assert not DBTaskResult.objects.exclude(finished_at=None).exists()


def time_ago(seconds):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(seconds=seconds)


def test_a_commit_that_queued_a_task_wakes_this_processs_runner_at_once(
    queue_in_database, world, monkeypatch, django_capture_on_commit_callbacks
):
    runner = TaskRunner()
    runner.thread = threading.current_thread()  # as if started: only its wake-up is tested
    monkeypatch.setattr(runner_module, "runner", runner)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_article(world, title="Snowfall closes the mountain pass")
        assert not runner.woken.is_set()  # not before the commit: the task is not visible yet
    for callback in callbacks:
        callback()

    assert runner.woken.is_set()
    # What the woken runner does first:
    assert run_ready_tasks() > 0
    assert found("snowfall") == ["Snowfall closes the mountain pass"]


def test_a_runner_thread_runs_tasks_and_stops_cleanly(queue_in_database, monkeypatch):
    ran = threading.Event()
    monkeypatch.setattr(runner_module, "run_ready_tasks", ran.set)
    monkeypatch.setattr(runner_module, "run_due_jobs", lambda: [])
    runner = TaskRunner()
    runner.start()
    try:
        assert ran.wait(5)
    finally:
        runner.stop()
    assert not runner.thread.is_alive()


@pytest.fixture
def clock_jobs(monkeypatch):
    """An empty registry of periodic jobs for the test to fill."""
    jobs = {}
    monkeypatch.setattr(runner_module, "periodic_jobs", jobs)
    return jobs


def test_a_periodic_job_runs_once_per_interval_however_many_processes_look(db, clock_jobs):
    runs = []
    every(60, "count")(lambda: runs.append(1))

    assert run_due_jobs() == ["count"]
    assert run_due_jobs() == []  # another process, a moment later: the lease is held
    PeriodicLease.objects.filter(name="count").update(held_until=time_ago(1))
    assert run_due_jobs() == ["count"]  # the interval has passed

    assert len(runs) == 2


def test_a_failing_periodic_job_is_logged_and_tried_again_next_time(db, clock_jobs, caplog):
    def broken():
        raise ValueError("the wire source answered nonsense")

    every(60, "broken")(broken)

    assert run_due_jobs() == ["broken"]

    assert "periodic job broken failed" in caplog.text
    lease = PeriodicLease.objects.get(name="broken")
    assert "the wire source answered nonsense" in lease.last_error


def test_scheduled_articles_go_live_without_cron(db, world):
    article = make_article(world, title="Budget published at noon", publish=False)
    article.go_live_at = time_ago(-3600)
    revision = article.save_revision()
    revision.publish()  # scheduling: the page stays a draft until its time
    article.refresh_from_db()
    assert not article.live
    # An hour passes.
    moment = time_ago(5)
    revision.content["go_live_at"] = moment.isoformat()
    revision.approved_go_live_at = moment
    revision.save(update_fields=["content", "approved_go_live_at"])

    assert "publish-scheduled" in run_due_jobs()

    article.refresh_from_db()
    assert article.live
    assert found_live("Budget published at noon")


def found_live(title):
    return ArticlePage.objects.live().filter(title=title).exists()


def test_the_statistics_job_gives_sqlite_its_planner_statistics(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's autovacuum analyses by itself")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        runner_module.refresh_database_statistics()
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page'")
        assert cursor.fetchone()[0] > 0
