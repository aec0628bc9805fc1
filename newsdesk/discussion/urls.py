from django.urls import path

from . import views

app_name = "discussion"
# Under each edition's language prefix: pages and forms a reader reads.
urlpatterns = [
    path("<int:page_id>/", views.discussion_page, name="page"),
    path("<int:page_id>/panel", views.panel, name="panel"),
    path("<int:page_id>/comments", views.post_comment, name="post"),
    path("comments/<int:comment_id>/edit", views.edit_comment, name="edit"),
    path("comments/<int:comment_id>/delete", views.delete_comment, name="delete"),
    path("comments/<int:comment_id>/report", views.report_comment, name="report"),
]
# At the site's root: numbers only, the same in every language.
site_urlpatterns = [
    path("counts", views.comment_counts, name="counts"),
]
