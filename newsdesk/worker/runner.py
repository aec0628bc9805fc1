"""Runs the background tasks: work an editor's save asks for but should not wait for.

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
- "worker": server processes leave tasks to `newsdesk worker` processes
  (django-tasks-db's db_worker), for sites that run a task worker anyway.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 2.0
# Finished tasks are kept this long (what ran, and why one failed), then removed.
KEEP_FINISHED = timedelta(days=3)
PRUNE_EVERY = timedelta(hours=1)


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
    if settings.NEWSDESK_TASK_RUNNER == "server" and _queues_in_database():
        runner.start()


def _queues_in_database() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def run_ready_tasks() -> int:
    """Run every task that is due, here and now; how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

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
        worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
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
