from django.urls import path

from . import views

app_name = "distribution"
urlpatterns = [
    path("latest.<str:fmt>", views.feed, {"kind": "latest"}, name="latest"),
    path("section/<slug:slug>.<str:fmt>", views.feed, {"kind": "section"}, name="section"),
    path("tag/<slug:slug>.<str:fmt>", views.feed, {"kind": "tag"}, name="tag"),
    path("author/<slug:slug>.<str:fmt>", views.feed, {"kind": "author"}, name="author"),
]
