from django.urls import include, path

from . import data_rights_views

app_name = "referrals"

urlpatterns = [
    path("", include("referrals.urls_records")),
    path("", include("referrals.urls_referrals")),
    path("inbox/", include("referrals.urls_inbox")),
    path("<uuid:public_id>/export/", data_rights_views.export, name="data_export"),
    path("<uuid:public_id>/erase/", data_rights_views.erase, name="data_erase"),
]
