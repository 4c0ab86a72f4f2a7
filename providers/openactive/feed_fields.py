"""What a feed owns on a listing it made. Those fields are read-only on the edit pages, marked
"From feed …", since each harvest brings the publisher's version. What partnership staff add
(access notes, referral contact, suitability and access support the feed cannot express,
intensity, format) is theirs: harvests never write it."""

ACTIVITY_FIELDS = (
    "name",
    "activity_type",
    "description",
    "venue",
    "delivery_mode",
    "online_url",
    "weekly_times",
    "is_free",
    "price_full",
    "price_concession",
    "capacity",
    "takes_referrals",  # feeds are signposting only (importer)
)
VENUE_FIELDS = ("name", "address_line_1", "address_line_2", "town", "postcode")


def feed_of(instance):
    """The live feed that made the listing, or None."""
    if not instance.pk or not instance.feed_id:
        return None
    feed = instance.feed
    return feed if feed.removed_at is None else None


def lock_feed_fields(form, names, *, initial=None) -> None:
    """Make the feed's fields read-only on `form`: a disabled field shows and keeps the saved
    value whatever is posted. `initial` gives values of non-model fields (weekly times)."""
    feed = feed_of(form.instance)
    if feed is None:
        return
    form.feed = feed
    for name, value in (initial or {}).items():
        form.initial[name] = value
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.disabled, field.required = True, False
        field.help_text = f"From feed {feed.name}. The publisher changes this, in their system"
