from django.urls import path

from . import views

app_name = "readership"
urlpatterns = [
    path("read", views.read_beacon, name="read"),
    path("most-read/", views.most_read_list, name="most_read"),
]
