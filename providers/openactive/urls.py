from django.urls import path

from . import views

# Included at /directory/feeds/ inside the "providers" namespace.
urlpatterns = [
    path("", views.feed_list, name="feed_list"),
    path("add/", views.feed_add, name="feed_add"),
    path("<uuid:public_id>/", views.feed_detail, name="feed_detail"),
    path("<uuid:public_id>/harvest/", views.feed_harvest_now, name="feed_harvest"),
    path("<uuid:public_id>/pause/", views.feed_pause_view, name="feed_pause"),
    path("<uuid:public_id>/resume/", views.feed_resume_view, name="feed_resume"),
    path("<uuid:public_id>/remove/", views.feed_remove_view, name="feed_remove"),
]
