"""UK postcodes and distances, without any online lookup."""

import math
import re
from dataclasses import dataclass

from django.db.models import Avg, Case, CharField, F, FloatField, Func, Value, When
from django.db.models.functions import Left, StrIndex

from .models import Outcode

# GOV.UK / Royal Mail format rules: outward code (area + district) then inward code.
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
EARTH_RADIUS_KM = 6371.0


class PostcodeError(ValueError):
    pass


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def normalise_postcode(raw: str, *, allow_district: bool = False) -> str:
    """'sw1a1aa' -> 'SW1A 1AA'. With allow_district, a district alone ('SW1A') is accepted.

    Raises PostcodeError with a message fit to show to the person who typed it.
    """
    compact = re.sub(r"\s+", "", raw or "")
    if not compact:
        raise PostcodeError("Enter a postcode")
    # Checked before upper(): the long s and the dotless i upper-case to "S" and "I", so
    # other scripts' letters could otherwise turn into a valid-looking postcode.
    if not compact.isascii():
        raise PostcodeError("Postcode must only include letters and numbers, like LS1 4AP")
    compact = compact.upper()
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _FULL.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if allow_district and _OUTWARD.match(compact):
        return compact
    if not re.match(r"^[A-Z0-9]+$", compact):
        raise PostcodeError("Postcode must only include letters and numbers, like LS1 4AP")
    raise PostcodeError("Enter a real postcode, like LS1 4AP")


def outcode_of(postcode: str) -> str:
    return postcode.split(" ")[0] if " " in postcode else postcode


POSTCODE_NOT_RECORDED = "Not recorded"


def postcode_district(postcode_field: str) -> Case:
    """outcode_of() in a query: the district of a stored postcode. The service users' index
    serviceuser_postcode_district is on this expression; a query uses it only while the two
    are the same, so change them together."""
    return Case(
        When(
            **{f"{postcode_field}__contains": " "},
            then=Left(postcode_field, StrIndex(postcode_field, Value(" ")) - 1),
        ),
        When(**{postcode_field: ""}, then=Value(POSTCODE_NOT_RECORDED)),
        default=F(postcode_field),
        output_field=CharField(),
    )


def centroid_for(postcode: str) -> Point | None:
    """The postcode district's centre, or None for a district the table does not know."""
    row = (
        Outcode.objects.filter(outcode=outcode_of(postcode)).values("latitude", "longitude").first()
    )
    return Point(row["latitude"], row["longitude"]) if row else None


def area_of(postcode: str) -> str:
    """'LS6 1AB' -> 'LS': the postcode area, the letters before the district number."""
    letters = re.match(r"^[A-Z]*", outcode_of(postcode))
    return letters.group(0) if letters else ""


def area_centroid_for(postcode: str) -> Point | None:
    """The middle of the postcode area's known districts: where a venue in a district the
    table does not know yet (a new one, like E20 once was) is placed, so it can still be
    found by distance, marked approximate."""
    area = area_of(postcode)
    if not area:
        return None
    centre = Outcode.objects.filter(outcode__regex=rf"^{area}[0-9]").aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if centre["latitude"] is None:
        return None
    return Point(centre["latitude"], centre["longitude"])


def distance_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class GreatCircleKm(Func):
    """distance_km() in SQL, from `centre` to a latitude and a longitude column: the same
    statement Django's Radians, Sin, Cos, Power, Sqrt and Least wrote for it, as one
    expression instead of a tree of some thirty that each search resolved, compiled twice
    (the distance and its limit) and hashed again for the ordering."""

    output_field = FloatField()

    def __init__(self, latitude, longitude, *, centre: Point):
        super().__init__(latitude, longitude)
        self.centre = centre

    def as_sql(self, compiler, connection, **extra_context):
        (lat, lat_params), (lon, lon_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        least = "MIN" if connection.vendor == "sqlite" else "LEAST"
        sql = (
            f"(%s * ASIN({least}(%s, SQRT((POWER(SIN(((RADIANS({lat}) - RADIANS(%s)) / %s)), %s)"
            f" + ((COS(RADIANS(%s)) * COS(RADIANS({lat}))) * POWER(SIN(((RADIANS({lon})"
            " - RADIANS(%s)) / %s)), %s)))))))"
        )
        # Each constant as Value() passed it (an integer adapted as IntegerField does).
        two = connection.ops.adapt_integerfield_value(2, "IntegerField")
        centre_lat, centre_lon = self.centre.latitude, self.centre.longitude
        latitude = [*lat_params, centre_lat, two, two, centre_lat, *lat_params]
        return sql, [2 * EARTH_RADIUS_KM, 1.0, *latitude, *lon_params, centre_lon, two, two]


def bounding_box(centre: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: a cheap index prefilter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = math.degrees(
        radius_km / (EARTH_RADIUS_KM * max(0.01, math.cos(math.radians(centre.latitude))))
    )
    return (
        centre.latitude - dlat,
        centre.latitude + dlat,
        centre.longitude - dlon,
        centre.longitude + dlon,
    )
