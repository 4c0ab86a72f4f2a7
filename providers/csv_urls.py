"""Included at /directory/import/ inside the providers namespace."""

from django.urls import path

from . import csv_views

urlpatterns = [
    path("", csv_views.csv_upload, name="csv_upload"),
    path("template.csv", csv_views.csv_template, name="csv_template"),
    path("export.csv", csv_views.csv_export, name="csv_export"),
    path("<uuid:job_id>/import/", csv_views.csv_import, name="csv_import"),
]
