from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsdesk.api.api import api as content_api
from newsdesk.discussion import urls as discussion_urls
from newsdesk.distribution import urls as distribution_urls
from newsdesk.news import routing as news_routing
from newsdesk.news import views as news_views
from newsdesk.readership import urls as readership_urls
from newsdesk.search import views as search_views

# Outside the language editions: the newsroom, the API, machine endpoints.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("discussion/", include((discussion_urls.site_urlpatterns, "discussion_site"))),
    path("", include((distribution_urls.site_urlpatterns, "distribution_site"))),
    path("readership/", include((readership_urls.site_urlpatterns, "readership_site"))),
    path("api/v1/", content_api.urls),
    path("healthz", news_views.healthz, name="healthz"),
    path("robots.txt", news_views.robots_txt, name="robots_txt"),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_static,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# Each language edition under its prefix (/en/, /ru/); a bare URL is sent to
# the reader's language by LocaleMiddleware.
urlpatterns += i18n_patterns(
    path("accounts/", include("newsdesk.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("discussion/", include("newsdesk.discussion.urls")),
    path("", include("newsdesk.distribution.urls")),
    path("search/", search_views.search, name="search"),
    path("readership/", include("newsdesk.readership.urls")),
    # The same URL shape as Wagtail's own page-serving pattern, routed faster.
    re_path(r"^((?:[\w\-]+/)*)$", news_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
)

handler404 = "newsdesk.news.views.page_not_found"
handler500 = "newsdesk.news.views.server_error"
