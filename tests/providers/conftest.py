import pytest

from providers.reference_data import load_all


@pytest.fixture(autouse=True)
def reference_data(request):
    """The Activity List and postcode centroids come from a data migration; a transactional
    test's flush removes them, so put them back (a no-op when they are there)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    load_all()
