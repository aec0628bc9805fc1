"""The site as a WSGI application, for `bench/pages.py --server granian-wsgi` only.

The project ships an ASGI entry point (newsdesk/asgi.py); this lets the
benchmark compare Granian's WSGI interface, which runs Django's synchronous
views on its own threads without the per-request thread hand-off of ASGI.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")

application = get_wsgi_application()
