"""Included at /directory/import/ inside the providers namespace."""

from django.urls import path

from . import csv_views

urlpatterns = [
    path("", csv_views.csv_upload, name="csv_upload"),
    path("template.csv", csv_views.csv_template, name="csv_template"),
    path("export.csv", csv_views.csv_export, name="csv_export"),
    path("<uuid:token>/", csv_views.csv_preview, name="csv_preview"),
    path("<uuid:token>/confirm/", csv_views.csv_confirm, name="csv_confirm"),
    path("<uuid:token>/done/", csv_views.csv_done, name="csv_done"),
]
