"""A real HTTP server for RPDE pages, and builders for items based on OpenActive's examples."""

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
BODYPUMP = "https://openactive.io/activity-list#5e78bcbe-36db-425a-9064-bf96d09cc351"
YOGA_LABEL = "Yoga"


def example_data(name: str) -> dict:
    """The `data` of the first item in one of OpenActive's example pages."""
    page = json.loads((HERE / f"{name}_example_1.json").read_text(encoding="utf-8"))
    return page["items"][0]["data"]


def session_series(item_id, modified, *, name=None, **changes) -> dict:
    """An updated SessionSeries item: OpenActive's split example, with its own id and name."""
    data = copy.deepcopy(example_data("sessionseries-split"))
    data["@id"] = f"https://example.org/api/session-series/{item_id}"
    data["identifier"] = str(item_id)
    data["name"] = f"Series {item_id}" if name is None else name
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return updated(item_id, modified, data, kind="SessionSeries")


def facility_use(item_id, modified, **changes) -> dict:
    data = copy.deepcopy(example_data("facilityuse"))
    data["@id"] = f"https://example.org/api/facility-uses/{item_id}"
    data.update(changes)
    return updated(item_id, modified, data, kind="FacilityUse")


def scheduled_session(item_id, modified, *, series_id, start, end, **changes) -> dict:
    data = copy.deepcopy(example_data("scheduledsession-split"))
    data["@id"] = f"https://example.org/api/session-series/{series_id}#/subEvent/{item_id}"
    data["identifier"] = str(item_id)
    data["superEvent"] = f"https://example.org/api/session-series/{series_id}"
    data["startDate"], data["endDate"] = start, end
    data.update(changes)
    return updated(item_id, modified, data, kind="ScheduledSession")


def updated(item_id, modified, data, *, kind) -> dict:
    return {
        "state": "updated",
        "kind": kind,
        "id": str(item_id),
        "modified": modified,
        "data": data,
    }


def deleted(item_id, modified, *, kind="SessionSeries") -> dict:
    return {"state": "deleted", "kind": kind, "id": str(item_id), "modified": modified}


class FeedServer:
    """Serves whatever each test publishes, at http://127.0.0.1:<port>/<path>."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.lstrip("/")
                server.requests.append(path)
                status, body, delay = server.routes.get(path, (404, b"Not found", 0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the harvester gave up waiting, as the timeout test intends

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def page(self, path: str, items: list, *, next_path: str | None = None) -> str:
        """Publish an RPDE page; with no next_path it is the last page (next = itself)."""
        body = {"next": self.url(next_path or path), "items": items, "license": "CC-BY-4.0"}
        self.raw(path, json.dumps(body))
        return self.url(path)

    def chain(self, prefix: str, pages: list[list]) -> str:
        """Publish pages prefix-1, prefix-2… ending with an empty page; returns the first URL."""
        paths = [f"{prefix}-{number}" for number in range(1, len(pages) + 2)]
        for number, items in enumerate(pages):
            self.page(paths[number], items, next_path=paths[number + 1])
        self.page(paths[-1], [])
        return self.url(paths[0])

    def raw(self, path: str, body, *, status: int = 200, delay: float = 0) -> str:
        data = body if isinstance(body, bytes) else body.encode()
        self.routes[path] = (status, data, delay)
        return self.url(path)
