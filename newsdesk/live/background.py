"""Work each server process does on its own in the embedded default.

Publishing scheduled live entries and the demo's periodic entry need a clock,
not a request. Every worker runs the loop; publish_due_entries claims each
entry under a row lock, so an entry is published once however many run it.
"""

import asyncio
import logging

from asgiref.sync import sync_to_async
from django.conf import settings

logger = logging.getLogger(__name__)

SCHEDULE_CHECK_SECONDS = 5
_started = False


def start_background_work() -> None:
    global _started
    if _started:
        return
    _started = True
    from .broker import hub
    from .stream import close_stalled_connections

    close_stalled_connections()
    hub.attach()
    asyncio.get_running_loop().create_task(_scheduler())


async def _scheduler() -> None:
    from .services import publish_due_entries

    demo_interval = getattr(settings, "NEWSDESK_LIVE_DEMO_INTERVAL", 0)
    waited = 0.0
    while True:
        await asyncio.sleep(SCHEDULE_CHECK_SECONDS)
        waited += SCHEDULE_CHECK_SECONDS
        try:
            await sync_to_async(publish_due_entries)()
            if demo_interval and waited >= demo_interval:
                waited = 0.0
                from newsdesk.demo.live import post_demo_entry

                await sync_to_async(post_demo_entry)(min_interval=demo_interval)
        except Exception:
            logger.exception("live: background work failed; trying again shortly")
