from django.urls import path

from . import views

app_name = "distribution"
# Under each edition's language prefix (/en/feeds/latest.rss): its own feeds and sitemaps.
urlpatterns = [
    path("feeds/latest.<str:fmt>", views.feed, {"kind": "latest"}, name="latest"),
    path("feeds/section/<slug:slug>.<str:fmt>", views.feed, {"kind": "section"}, name="section"),
    path("feeds/tag/<slug:slug>.<str:fmt>", views.feed, {"kind": "tag"}, name="tag"),
    path("feeds/author/<slug:slug>.<str:fmt>", views.feed, {"kind": "author"}, name="author"),
    path("feeds/live/<int:page_id>.<str:fmt>", views.live_feed, name="live"),
    path("sitemaps/news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemaps/<slug:section>.xml", views.sitemap, name="sitemap"),
]
# At the site's root: the one sitemap index robots.txt names, listing every edition's sitemaps.
site_urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
]
