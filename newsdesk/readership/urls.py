from django.urls import path

from . import views

app_name = "readership"
# Under each edition's language prefix: the edition's most read.
urlpatterns = [
    path("most-read/", views.most_read_list, name="most_read"),
]
# At the site's root: the read beacon, which carries no language.
site_urlpatterns = [
    path("read", views.read_beacon, name="read"),
]
