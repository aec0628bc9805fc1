"""Runs the background tasks (work an editor's save asks for but should not wait
for) and the periodic jobs (work a clock asks for).

Search indexing of saved pages and images (modelsearch), Wagtail's reference
index and front-end cache purges are django-tasks tasks. django-tasks-db keeps
them as rows written in the same transaction as the change that asked for
them: a rolled-back save leaves no task, a committed one always has its task,
and a task runs only once its change is committed (so the index sees the
page's tags and authors, written after the page row).

Who runs them (setting NEWSDESK_TASK_RUNNER, environment TASK_RUNNER):

- "server", the embedded default: every server process has one runner thread.
  A commit in that process that queued a task wakes it at once (a reporter's
  article is searchable a few milliseconds after Publish returns); every
  SWEEP_SECONDS it also runs tasks queued elsewhere (a `newsdesk` command,
  another process). Claiming a task is exclusive (a locked row on
  PostgreSQL, an exclusive transaction on SQLite), so each runs once however
  many processes look.
- "worker": server processes leave all of it to `newsdesk worker` processes,
  for sites that run a task worker anyway.

Periodic jobs (publishing scheduled pages, and what other apps register with
`every`) run in the same loop. Each takes a lease in the database first, so a
job runs once per interval across all processes and machines.
"""

import io
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 2.0
# Finished tasks are kept this long (what ran, and why one failed), then removed.
KEEP_FINISHED = timedelta(days=3)
PRUNE_EVERY = timedelta(hours=1)
# How long a periodic job's lease is held while it runs (see take_lease).
RUN_GUARD = timedelta(minutes=10)


HOLDER = f"{socket.gethostname()[:40]}-{os.getpid()}"


@dataclass
class PeriodicJob:
    name: str
    seconds: float
    run: Callable[[], object]


periodic_jobs: dict[str, PeriodicJob] = {}


def every(seconds: float, name: str):
    """Register a function as a periodic job, run about every `seconds` by one process."""

    def register(function):
        periodic_jobs[name] = PeriodicJob(name, seconds, function)
        return function

    return register


def take_lease(job: PeriodicJob) -> bool:
    """Whether this process runs the job now.

    The lease is held for RUN_GUARD while the job runs (a long round of wire
    polling must not start twice), then for the job's interval from its end.
    A process that dies mid-run blocks the job for RUN_GUARD at most.
    """
    from .models import PeriodicLease

    now = timezone.now()
    until = now + max(timedelta(seconds=job.seconds), RUN_GUARD)
    taken = PeriodicLease.objects.filter(name=job.name, held_until__lte=now).update(
        held_until=until, holder=HOLDER
    )
    if taken:
        return True
    try:
        with transaction.atomic():
            PeriodicLease.objects.create(name=job.name, held_until=until, holder=HOLDER)
    except IntegrityError:
        return False  # held by another process
    return True


def run_due_jobs() -> list[str]:
    """Run the periodic jobs whose lease this process takes; their names."""
    from .models import PeriodicLease

    ran = []
    for job in list(periodic_jobs.values()):
        if not take_lease(job):
            continue
        error = ""
        try:
            job.run()
        except Exception:
            error = traceback.format_exc()
            logger.exception("periodic job %s failed; it runs again in %ss", job.name, job.seconds)
        finally:
            close_old_connections()
        PeriodicLease.objects.filter(name=job.name, holder=HOLDER).update(
            held_until=timezone.now() + timedelta(seconds=job.seconds), last_error=error
        )
        ran.append(job.name)
    return ran


class TaskRunner:
    def __init__(self):
        self.woken = threading.Event()
        self.thread: threading.Thread | None = None
        self.stopping = False
        self.pruned_at = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._loop, name="newsdesk-tasks", daemon=True)
            self.thread.start()

    def run_here(self) -> None:
        """Run in this thread until stopped (`newsdesk worker`)."""
        self.thread = threading.current_thread()
        self._loop()

    def wake(self) -> None:
        self.woken.set()

    def stop(self) -> None:
        """Finish the task under way, then end the thread (the process is going)."""
        self.stopping = True
        self.woken.set()
        if self.thread is not None:
            self.thread.join()

    def _loop(self) -> None:
        while not self.stopping:
            try:
                run_ready_tasks()
                run_due_jobs()
                self._prune_now_and_then()
            except Exception:  # a database hiccup must not end background work
                logger.exception("tasks: running queued tasks failed; trying again shortly")
            finally:
                close_old_connections()
            self.woken.wait(SWEEP_SECONDS)
            self.woken.clear()

    def _prune_now_and_then(self) -> None:
        now = timezone.now()
        if self.pruned_at is None or now - self.pruned_at > PRUNE_EVERY:
            self.pruned_at = now
            prune_finished_tasks(now - KEEP_FINISHED)


runner = TaskRunner()
_decided = False


def start_task_runner() -> None:
    """Called by newsdesk.asgi on every request: starts the runner at the first."""
    global _decided
    if _decided:
        return
    _decided = True
    if settings.NEWSDESK_TASK_RUNNER == "server":
        runner.start()


def run_ready_tasks() -> int:
    """Run every task that is due, here and now; how many ran."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return 0  # tasks run as they are queued (tests)
    if not DBTaskResult.objects.ready().exists():
        return 0  # the usual answer, from a plain read: no lock taken
    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,  # return once nothing is due
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=HOLDER,
    )
    worker.run()
    return worker._run_tasks


def prune_finished_tasks(before) -> int:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    deleted, _by_model = DBTaskResult.objects.filter(
        finished_at__lt=before, status__in=finished
    ).delete()
    return deleted


def connect_signals() -> None:
    from django_tasks.signals import task_enqueued, task_finished

    task_enqueued.connect(_wake_after_commit, dispatch_uid="newsdesk-wake-task-runner")
    task_finished.connect(_log_failure, dispatch_uid="newsdesk-log-failed-task")


def _wake_after_commit(sender, task_result, **kwargs) -> None:
    if runner.thread is not None:
        transaction.on_commit(runner.wake)


def _log_failure(sender, task_result, **kwargs) -> None:
    from django_tasks import TaskResultStatus

    if task_result.status == TaskResultStatus.FAILED:
        errors = getattr(task_result, "errors", None) or []
        detail = errors[-1].traceback if errors else ""
        logger.error("tasks: %s failed (id %s)\n%s", task_result.task.name, task_result.id, detail)


@every(30, "publish-scheduled")
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come, unpublish expired ones (Wagtail's command):
    on time within a minute, with no cron."""
    from django.core.management import call_command

    call_command("publish_scheduled", stdout=io.StringIO())  # it reports even when idle


@every(6 * 3600, "database-statistics")
def refresh_database_statistics() -> None:
    """Give SQLite's query planner fresh statistics as the site grows.

    Without them SQLite can plan a search's full-text match as the outer loop
    (340 ms instead of 10 ms for a search's count at 20,000 articles:
    docs/performance.md). A full ANALYZE takes about 0.3 s at 100,000
    articles; sampled statistics (analysis_limit) were cheaper but misled the
    planner into sorting a whole section for its feed. PostgreSQL's autovacuum
    keeps its own statistics.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
