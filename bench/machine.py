"""How fast this machine is, by two fixed pieces of work, printed above the pages' table:
the figures of runs on different machines compare only through these. Stop 28's table and
stop 29's were a virtual machine apart, and the same code's CPU differed by half."""

import statistics
import time

from django.db import connection
from django.template import Context, Template

# Enough of what a page does in Python: a queryset built and compiled, a template rendered.
_TEMPLATE = Template(
    "{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.n|floatformat:1 }}</td>"
    "{% if row.n > 3 %}<td>{{ row.name|upper }}</td>{% endif %}</tr>{% endfor %}"
)
_ROWS = [{"name": f"Row <{n}>", "n": n / 3} for n in range(200)]


def _python_work() -> None:
    from referrals.models import Referral

    for n in range(20):
        queryset = Referral.objects.filter(status="sent", service_id=n).select_related("activity")
        str(queryset.order_by("-sent_at").query)
    _TEMPLATE.render(Context({"rows": _ROWS}))


def _round_trip() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _median_ms(work, runs: int) -> float:
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def line() -> str:
    return (
        f"Machine: fixed Python work {_median_ms(_python_work, 30):.1f} ms, "
        f"database round trip {_median_ms(_round_trip, 200):.2f} ms (bench/machine.py)"
    )
