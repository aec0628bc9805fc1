from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth's behaviour, with our site's name in its emails."""

    def format_email_subject(self, subject):
        from wagtail.models import Site

        from newsdesk.news.models import SiteSettings

        site = Site.objects.filter(is_default_site=True).first()
        name = SiteSettings.for_site(site).site_name if site else settings.WAGTAIL_SITE_NAME
        return f"[{name}] {subject}"
