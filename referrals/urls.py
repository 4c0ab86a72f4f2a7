from django.urls import include, path

from referrals.data_rights import views as data_rights_views

app_name = "referrals"

urlpatterns = [
    path("", include("referrals.records.urls")),
    path("", include("referrals.pathway.urls")),
    path("inbox/", include("referrals.inbox.urls")),
    path("", include("referrals.worklist.urls")),
    path("", include("referrals.shortlists.urls")),
    path("<uuid:public_id>/export/", data_rights_views.export, name="data_export"),
    path("<uuid:public_id>/erase/", data_rights_views.erase, name="data_erase"),
]
