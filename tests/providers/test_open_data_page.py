"""The open data page: what is published, where, and under which licence."""

from django.urls import reverse

from tests.providers.factories import ActivityFactory, ProviderFactory


def test_the_open_data_page_links_both_outputs_with_the_licence(client, partnership):
    ActivityFactory(venue__provider=ProviderFactory(partnership=partnership))
    page = client.get(reverse("open_data:page"))

    assert page.status_code == 200
    content = page.content.decode()
    assert f'href="{reverse("open_data:oruk_services")}"' in content
    assert f'href="{reverse("open_data:openactive_session_series")}"' in content
    assert "https://creativecommons.org/licenses/by/4.0/" in content
    assert "1 activity is published now" in content


def test_the_open_data_page_counts_only_what_is_published(client, cast):
    from tests.providers.factories import VenueFactory

    in_house = ProviderFactory(partnership=None, organisation=cast["clinician"].organisation)
    ActivityFactory(venue=VenueFactory(provider=in_house))
    content = client.get(reverse("open_data:page")).content.decode()
    assert "0 activities are published now" in content


def test_the_footer_links_the_open_data_page(client):
    content = client.get(reverse("core:accessibility")).content.decode()
    assert f'href="{reverse("open_data:page")}">Open data</a>' in content


def test_the_open_data_page_takes_only_get(client):
    assert client.post(reverse("open_data:page")).status_code == 405
