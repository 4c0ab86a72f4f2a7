"""The open data page: what we publish, where, and under which licence, for people who
build finders (Active Partnerships' websites, social prescribing tools)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from providers.open_data import openactive, oruk, selectors


@login_not_required
@require_GET
def open_data_page(request):
    return render(
        request,
        "open_data/index.html",
        {
            "published": selectors.published_activities().count(),
            "openactive_licence": openactive.LICENSE,
            "oruk": oruk.API_INFO,
        },
    )
