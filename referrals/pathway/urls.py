from django.urls import path

from referrals.pathway import views as referral_views

urlpatterns = [
    path("<uuid:public_id>/find/", referral_views.find_for, name="find_for"),
    path(
        "<uuid:public_id>/refer/<uuid:activity_public_id>/",
        referral_views.refer,
        name="refer",
    ),
    path("referrals/<uuid:public_id>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:public_id>/move/", referral_views.referral_move, name="referral_move"),
]
