from django.urls import include, path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.listing_list, name="list"),
    path("import/", include("providers.csv_urls")),
    path("feeds/", include("providers.openactive.urls")),
]
