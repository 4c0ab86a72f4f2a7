from django.urls import include, path

app_name = "referrals"

urlpatterns = [
    path("", include("referrals.urls_records")),
    path("", include("referrals.urls_referrals")),
    path("inbox/", include("referrals.urls_inbox")),
]
