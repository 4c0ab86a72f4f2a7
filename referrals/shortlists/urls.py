from django.urls import path

from referrals.shortlists import views

urlpatterns = [
    path(
        "<uuid:public_id>/shortlist/add/<uuid:activity_public_id>/",
        views.shortlist_add,
        name="shortlist_add",
    ),
    path(
        "<uuid:public_id>/shortlist/<int:item_id>/note/",
        views.shortlist_note,
        name="shortlist_note",
    ),
    path(
        "<uuid:public_id>/shortlist/<int:item_id>/remove/",
        views.shortlist_remove,
        name="shortlist_remove",
    ),
    path("<uuid:public_id>/shortlist/print/", views.shortlist_print, name="shortlist_print"),
]
