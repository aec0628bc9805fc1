from django.conf import settings
from django.middleware.locale import LocaleMiddleware

# Addresses that belong to no edition: their "not found" is final, never a
# redirect to /en/… (an API client asking for a missing article wants a 404).
OUTSIDE_EDITIONS = ("/api/", "/admin/", "/documents/", settings.MEDIA_URL, settings.STATIC_URL)


class EditionLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware: the language from the URL prefix, and a bare
    URL sent to the reader's language, except under the addresses above."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(OUTSIDE_EDITIONS):
            return response
        return super().process_response(request, response)
