from tests.providers.conftest import reference_data  # noqa: F401  (activity types for listings)
