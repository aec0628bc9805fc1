from django.utils.functional import SimpleLazyObject

from .chrome import chrome_for_request


def site_chrome(request):
    """`site_settings` and `site_sections` for every template, looked up only when shown."""
    return {
        "site_settings": SimpleLazyObject(lambda: chrome_for_request(request).settings),
        "site_sections": SimpleLazyObject(lambda: chrome_for_request(request).sections),
    }
