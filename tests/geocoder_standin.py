"""A stand-in for the national address service (the BAN's API): a thread on 127.0.0.1 answering
`/search/` as the real one does, with canned addresses, so that no test reaches the network.

The communes and their town halls are data/lozere/communes.csv's; « 1 rue de l'Essai » is the
made-up address of tests/directory.py's made-up place; the scores are made up; the address
outside Lozère is there to be left out.
"""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


def feature(label, kind, lat, lon, citycode, score, name="", postcode="", city=""):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": score,
            "type": kind,
            "name": name or label,
            "postcode": postcode,
            "citycode": citycode,
            "city": city or label,
        },
    }


ESSAI = feature(
    "1 rue de l'Essai 48400 Florac Trois Rivières",
    "housenumber",
    44.3251,
    3.5952,
    "48061",
    0.92,
    name="1 rue de l'Essai",
    postcode="48400",
    city="Florac Trois Rivières",
)
FLORAC = feature(
    "Florac Trois Rivières", "municipality", 44.32392, 3.59402, "48061", 0.61, postcode="48400"
)
MENDE = feature("Mende", "municipality", 44.51782, 3.50117, "48095", 0.58, postcode="48000")
OUTSIDE = feature(
    "Adresse hors de la Lozère (exemple de test)", "street", 48.85, 2.35, "75056", 0.5
)
FEATURES = [ESSAI, FLORAC, MENDE, OUTSIDE]


class StandIn:
    """The server: `mode` says how it answers ("ok", "slow", "error", "garbage"); `requests` holds
    the query of each request it received."""

    def __init__(self, port=0, delay=2.0):
        self.mode = "ok"
        self.delay = delay
        self.requests = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                stand_in.requests.append(query)
                if parts.path != "/search/":
                    return self.answer(404, b'{"code": 404}')
                if stand_in.mode == "error":
                    return self.answer(503, b"Service Unavailable")
                if stand_in.mode == "garbage":
                    return self.answer(200, b"<html>maintenance</html>")
                if stand_in.mode == "slow":
                    time.sleep(stand_in.delay)
                features = [
                    item
                    for item in FEATURES
                    if query.get("citycode") in (None, item["properties"]["citycode"])
                ][: int(query.get("limit", 5))]
                body = {"type": "FeatureCollection", "query": query.get("q"), "features": features}
                return self.answer(200, json.dumps(body).encode())

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The client may have given up waiting (the « slow » mode).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ban(settings):
    """The address search switched on, asking the stand-in (a timeout of half a second)."""
    stand_in = StandIn()
    settings.SOLOZERE_GEOCODER_URL = stand_in.url
    settings.SOLOZERE_GEOCODER_TIMEOUT = 0.5
    yield stand_in
    stand_in.close()


if __name__ == "__main__":  # to try the form by hand: python -m tests.geocoder_standin PORT
    import sys

    running = StandIn(int(sys.argv[1]))
    print(f"Stand-in address service on {running.url}")
    running.thread.join()
