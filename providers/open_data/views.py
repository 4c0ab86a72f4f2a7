"""Open data: the directory as an Open Referral UK API and an OpenActive RPDE feed.

Public and read-only by design; in-house offers of Talking Therapies services never appear.
"""

import uuid
from urllib.parse import urlencode

from providers.open_data import feed_json, feed_rows, kept_items, openactive, oruk, selectors
from providers.open_data.http import ApiError, json_response, json_text_response, open_data_view

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
FEED_PAGE_SIZE = 500


def _digits(raw: str, *, most: int) -> int | None:
    # The length check comes first: int() of thousands of digits is slow, then refused.
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(most)) and int(raw) <= most:
        return int(raw)
    return None


def _whole_number(request, name: str, *, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    number = _digits(raw, most=high)
    if number is None or number < low:
        raise ApiError(400, f"{name} must be a whole number from {low} to {high}")
    return number


def _uuid(raw: str, *, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a UUID, like {uuid.UUID(int=0)}") from None


@open_data_view
def oruk_root(request):
    return json_response(oruk.API_INFO)


@open_data_view
def oruk_services(request):
    page_number = _whole_number(request, "page", default=1, low=1, high=1_000_000)
    per_page = _whole_number(
        request, "per_page", default=DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE
    )
    # `search` is the profile's name for it; `text` is accepted too.
    text = (request.GET.get("search") or request.GET.get("text") or "").strip()
    term = request.GET.get("taxonomy_term_id", "").strip()
    services = selectors.matching_services(
        text=text, taxonomy_term_id=_uuid(term, name="taxonomy_term_id") if term else None
    )
    index = selectors.service_index(services, cache_key=f"{text}|{term}")
    offset = (page_number - 1) * per_page
    activities = selectors.service_page(services, index, offset=offset, limit=per_page)
    return json_response(
        oruk.page(
            items=[oruk.service_summary(activity) for activity in activities],
            total_items=index.total,
            page_number=page_number,
            per_page=per_page,
        )
    )


@open_data_view
def oruk_service(request, service_id: str):
    try:
        public_id = uuid.UUID(service_id)
    except ValueError:
        public_id = None
    activity = selectors.service_detail(public_id) if public_id else None
    if activity is None:
        raise ApiError(404, f"No published service has the id {service_id}")
    regions = selectors.regions_for([activity])
    return json_response(oruk.service_full(activity, regions=regions))


def _feed_cursor(request):
    timestamp = request.GET.get("afterTimestamp", "").strip()
    after_id = request.GET.get("afterId", "").strip()
    if not timestamp and not after_id:
        return None
    if not (timestamp and after_id):
        raise ApiError(400, "afterTimestamp and afterId must be given together")
    number = _digits(timestamp, most=openactive.LATEST_MODIFIED)
    if number is None:
        raise ApiError(400, "afterTimestamp must be the modified value of an item in this feed")
    return openactive.modified_moment(number), _uuid(after_id, name="afterId")


@open_data_view
def openactive_session_series(request):
    after = _feed_cursor(request)
    links = openactive.Links(absolute=request.build_absolute_uri)
    written_with = kept_items.written_with(links.root())
    activities = feed_rows.feed_page(after=after, limit=FEED_PAGE_SIZE, kept_with=written_with)
    if activities:
        last = activities[-1]
        cursor = {"afterTimestamp": last.modified, "afterId": str(last.public_id)}
    elif after:
        cursor = {"afterTimestamp": openactive.modified_number(after[0]), "afterId": after[1]}
    else:
        cursor = {}
    # On the last page `next` is this page again: harvesters poll it for new changes.
    next_url = links.feed() + (f"?{urlencode(cursor)}" if cursor else "")
    regions = selectors.regions_for(
        [item for item in activities if isinstance(item, feed_rows.FeedActivity)]
    )
    page, fresh = feed_json.page_json(activities, next_url=next_url, links=links, regions=regions)
    kept_items.keep(
        [(activity, text) for activity, text in fresh if kept_items.keepable(activity)],
        written_with=written_with,
    )
    return json_text_response(page)
