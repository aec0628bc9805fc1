from django.urls import path

from . import views

app_name = "discussion"
urlpatterns = [
    path("counts", views.comment_counts, name="counts"),
    path("<int:page_id>/", views.discussion_page, name="page"),
    path("<int:page_id>/panel", views.panel, name="panel"),
    path("<int:page_id>/comments", views.post_comment, name="post"),
    path("comments/<int:comment_id>/edit", views.edit_comment, name="edit"),
    path("comments/<int:comment_id>/delete", views.delete_comment, name="delete"),
    path("comments/<int:comment_id>/report", views.report_comment, name="report"),
]
