from django.urls import include, path

from . import search_views, views

app_name = "providers"

urlpatterns = [
    path("", views.listing_list, name="list"),
    path("search/", search_views.search_page, name="search"),
    path("shortlist/", search_views.shortlist_page, name="shortlist"),
    path("shortlist/<uuid:public_id>/add/", search_views.shortlist_add, name="shortlist_add"),
    path(
        "shortlist/<uuid:public_id>/remove/",
        search_views.shortlist_remove,
        name="shortlist_remove",
    ),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<uuid:public_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<uuid:public_id>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<uuid:public_id>/venues/new/", views.venue_create, name="venue_create"),
    path(
        "providers/<uuid:public_id>/activities/new/", views.activity_create, name="activity_create"
    ),
    path("venues/<uuid:public_id>/", views.venue_detail, name="venue_detail"),
    path("venues/<uuid:public_id>/edit/", views.venue_edit, name="venue_edit"),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("<str:kind>/<uuid:public_id>/verify/", views.listing_verify, name="listing_verify"),
    path("<str:kind>/<uuid:public_id>/archive/", views.listing_archive, name="listing_archive"),
    path("<str:kind>/<uuid:public_id>/restore/", views.listing_restore, name="listing_restore"),
    path("import/", include("providers.csv_urls")),
    path("feeds/", include("providers.openactive.urls")),
]
