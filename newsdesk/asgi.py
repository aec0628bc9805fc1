"""The ASGI application: Django for pages, and the live streams served beside it.

Live streams (/live/<id>/events) are answered by newsdesk.live.stream directly,
without Django's request cycle; everything else goes to Django.

Django's pages are synchronous, and Django's own ASGI handler hands every
request and every middleware hook between threads (a new thread per
request), which cost ~4 ms of CPU per request here and left a database
connection behind with each thread. Pages therefore go through Django's WSGI
handler on a fixed pool of threads per worker (a2wsgi): the same Django, the
same middleware, a small fraction of the overhead, and database connections
that persist per thread. Measurements: docs/performance.md. Background
work of the embedded default (publishing scheduled live entries, running
queued tasks such as search indexing) starts with the first request in each
worker process.
"""

import gc
import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")

PAGE_THREADS = int(os.environ.get("WEB_THREADS", "4"))
django_application = WSGIMiddleware(get_wsgi_application(), workers=PAGE_THREADS)

from newsdesk.live.background import start_background_work  # noqa: E402
from newsdesk.live.stream import STREAM_PATH, live_stream  # noqa: E402
from newsdesk.worker.runner import start_task_runner  # noqa: E402


def application(scope, receive, send):
    """The ASGI entry point. A plain function that returns the request's coroutine:
    an open live stream is then one coroutine (live_stream's), not two, and no
    frame of ours keeps the request's scope for the hours a stream may last."""
    if scope["type"] == "http":
        # Granian calls this on its event loop, where the background work starts.
        start_background_work()
        start_task_runner()
        match = STREAM_PATH.match(scope["path"])
        if match:
            return live_stream(scope, receive, send, int(match.group(1)))
    return _django(scope, receive, send)


async def _django(scope, receive, send):
    # a2wsgi reads request bodies with run_coroutine_threadsafe, which wants
    # a coroutine; Granian's receive() gives a native awaitable instead.
    async def receive_coroutine():
        return await receive()

    await django_application(scope, receive_coroutine, send)


# Everything loaded so far (Django, Wagtail: ~150,000 tracked objects) lives as
# long as the process. Out of the cyclic collector's sight, it is not walked
# again on every collection, which otherwise took ~15% of a worker's time
# while it wrote events to its readers.
gc.collect()
gc.freeze()
