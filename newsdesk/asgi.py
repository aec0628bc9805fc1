"""The ASGI application: Django for pages, and the live streams served beside it.

Live streams (/live/<id>/events) are answered by newsdesk.live.stream directly,
without Django's request cycle; everything else goes to Django. Background
work of the embedded default (publishing scheduled live entries) starts with
the first request in each worker process.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")

django_application = get_asgi_application()

from newsdesk.live.background import start_background_work  # noqa: E402
from newsdesk.live.stream import STREAM_PATH, live_stream  # noqa: E402


async def application(scope, receive, send):
    if scope["type"] == "http":
        start_background_work()
        match = STREAM_PATH.match(scope["path"])
        if match:
            await live_stream(scope, receive, send, int(match.group(1)))
            return
    await django_application(scope, receive, send)
