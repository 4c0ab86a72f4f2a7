"""What a provider must never see of the person in tests/referrals/inbox/conftest.py."""

NHS_NUMBER = "9434765919"
PRESENTING = "Generalised anxiety disorder"


def assert_nothing_clinical(html):
    assert NHS_NUMBER not in html and "943 476 5919" not in html
    assert "1987" not in html and "5 June" not in html
    assert PRESENTING not in html
    assert "SCREENSECRET" not in html and "PAR-Q" not in html
    assert "Step 2" not in html and "Step 3" not in html
