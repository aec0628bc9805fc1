from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsdesk.api.api import api as content_api
from newsdesk.news import routing as news_routing
from newsdesk.news import views as news_views
from newsdesk.search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("newsdesk.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("discussion/", include("newsdesk.discussion.urls")),
    path("", include("newsdesk.distribution.urls")),
    path("search/", search_views.search, name="search"),
    path("readership/", include("newsdesk.readership.urls")),
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

urlpatterns += [
    # The same URL shape as Wagtail's own page-serving pattern, routed faster.
    re_path(r"^((?:[\w\-]+/)*)$", news_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

handler404 = "newsdesk.news.views.page_not_found"
handler500 = "newsdesk.news.views.server_error"
