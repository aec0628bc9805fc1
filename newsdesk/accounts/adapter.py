from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth's behaviour, with the reader's edition's name in its emails."""

    def format_email_subject(self, subject):
        from newsdesk.editions.lookup import default_edition, edition_for_request

        request = self.request
        edition = edition_for_request(request) if request is not None else None
        if edition is None:
            from wagtail.models import Site

            site = Site.objects.filter(is_default_site=True).first()
            edition = default_edition(site) if site else None
        name = edition.site_name if edition else settings.WAGTAIL_SITE_NAME
        return f"[{name}] {subject}"

    def get_login_redirect_url(self, request):
        return _edition_home(request) or super().get_login_redirect_url(request)

    def get_logout_redirect_url(self, request):
        return _edition_home(request) or super().get_logout_redirect_url(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per email address; the newsroom's own
        # login page (NewsroomLoginForm) counts per user name. Keyed on the
        # account itself, both pages share one allowance per account.
        login = (credentials.get("email") or credentials.get("username") or "").strip()
        user = account_for_login(login)
        return f"account:{user.pk}" if user is not None else f"login:{login.lower()}"


def _edition_home(request) -> str | None:
    """The home page of the edition the reader logged in or out from: a reader of
    the Russian edition stays in it, whatever their browser's language."""
    from newsdesk.editions.lookup import edition_for_request

    edition = edition_for_request(request)
    return edition.home.get_url(request) if edition else None


def account_for_login(login: str):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    if not login:
        return None
    users = get_user_model().objects
    if "@" in login:
        address = EmailAddress.objects.filter(email__iexact=login).select_related("user").first()
        return address.user if address else users.filter(email__iexact=login).first()
    return users.filter(username__iexact=login).first()
