"""The search's results a page at a time, with how many match in the same statement.

Django's Paginator counts before it reads a page: a COUNT over the same joins, distance and
filters as the page itself, and ranking by fit a second COUNT for the listings that fit
everything. Here the page's rows carry both as window counts over all the matches (computed
before the LIMIT), so a page costs one statement; only a page with no rows (nothing matches,
or a page number past the end) falls back to Django's counting.
"""

from django.core.paginator import PageNotAnInteger, Paginator
from django.db.models import Case, Count, QuerySet, Sum, Value, When, Window

_TOTAL, _EXACT = "search_total", "search_exact"


def _whole(number) -> int:
    """What Paginator.validate_number accepts as a page number, before it counts."""
    if isinstance(number, float) and not number.is_integer():
        raise PageNotAnInteger
    try:
        return int(number)
    except (TypeError, ValueError):
        raise PageNotAnInteger from None


class SearchPages(Paginator):
    """Pages of search.for_results(matches). `best_fit`: ranking by fit, the score of a
    listing that fits every preference (search.best_fit), for exact_count()."""

    def __init__(self, matches: QuerySet, per_page: int, *, best_fit: int | None = None):
        super().__init__(matches, per_page)
        self.best_fit = best_fit
        self._exact: int | None = None

    def get_page(self, number):
        try:
            number = _whole(number)
        except PageNotAnInteger:
            number = 1
        if number >= 1:
            rows = self._rows(number)
            if rows:
                self.count = getattr(rows[0], _TOTAL)
                self._exact = getattr(rows[0], _EXACT, None)
                return self._get_page(rows, number, self)
        return super().get_page(number)

    def _rows(self, number: int) -> list:
        counts = {_TOTAL: Window(Count("pk"))}
        # With nothing to rank by (best_fit 0), every listing fits everything it was asked.
        if self.best_fit:
            fits = Case(When(fit=self.best_fit, then=Value(1)), default=Value(0))
            counts[_EXACT] = Window(Sum(fits))
        bottom = (number - 1) * self.per_page
        return list(self.object_list.annotate(**counts)[bottom : bottom + self.per_page])

    def exact_count(self) -> int | None:
        """Of results ranked by fit, how many fit every preference; None when not ranking
        (then every result fits)."""
        if self.best_fit is None:
            return None
        if self.best_fit == 0:
            return self.count
        if self._exact is None:
            self._exact = self.object_list.filter(fit=self.best_fit).count()
        return self._exact
