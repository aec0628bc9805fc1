"""Readers posting comments over plain HTTP: one keep-alive connection per reader (stdlib only).

Used by the discussion benchmark (bench/discussion.py) and its concurrency
test (e2e/test_discussion_concurrency.py). Each Poster is one logged-in
reader: it opens the discussion page once, as a reader would, for the
CSRF cookie, then posts with `Accept: application/json` and keeps every
answer (status, JSON, time taken).
"""

import http.client
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import quote_plus

HOST = "127.0.0.1"
TIMEOUT = 60  # a post not answered by then is counted as unanswered, not as refused
# The discussion pages and forms live under the English edition's prefix.
DISCUSSIONS = "/en/discussion"


@dataclass
class Answer:
    reader: int
    text: str
    status: int  # 0: no answer (connection error or time-out)
    body: dict | None  # the JSON answer; None when the answer was not JSON
    seconds: float
    error: str = ""

    @property
    def accepted(self) -> bool:
        return self.status == 201 and bool(self.body and self.body.get("id"))

    @property
    def reason(self) -> str:
        """Why a post was refused, as the reader is told ("" when accepted or unanswered)."""
        return (self.body or {}).get("error", "") if 400 <= self.status < 500 else ""


class Poster:
    def __init__(
        self, port: int, page_id: int, reader: dict, *, cookies: dict, source: str | None = None
    ):
        self.port = port
        self.page_id = page_id
        self.reader = reader["id"]
        self.session = reader["session"]
        self.cookie_names = cookies
        self.source = source
        self.csrf = ""
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                HOST,
                self.port,
                timeout=TIMEOUT,
                source_address=(self.source, 0) if self.source else None,
            )
        return self.connection

    def connect(self) -> None:
        """Open the connection now, so that the first request need not wait for it."""
        self._connect().connect()

    def _cookie_header(self) -> str:
        cookies = {self.cookie_names["session_cookie"]: self.session}
        if self.csrf:
            cookies[self.cookie_names["csrf_cookie"]] = self.csrf
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def _request(self, method: str, path: str, body: bytes | None, headers: dict):
        headers = {"Cookie": self._cookie_header(), **headers}
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=headers)
            except (ConnectionResetError, BrokenPipeError):
                # The server had closed this idle keep-alive connection: the
                # request never reached it, so it is sent again on a new one.
                self.close()
                if attempt == 2:
                    raise
                continue
            try:
                response = connection.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError):
                # Closed after the request went out: a GET is asked again, a
                # post is not (the server may have taken it).
                self.close()
                if attempt == 2 or method == "POST":
                    raise
        raise AssertionError("unreachable")

    def open_discussion(self) -> None:
        """GET the discussion page: the CSRF cookie, and a check that the session is logged in."""
        response, page = self._request("GET", f"{DISCUSSIONS}/{self.page_id}/", None, {})
        if response.status != 200:
            raise RuntimeError(f"the discussion page answered {response.status}")
        name = re.escape(self.cookie_names["csrf_cookie"])
        for header in response.headers.get_all("Set-Cookie") or []:
            match = re.match(rf"{name}=([^;]+)", header)
            if match:
                self.csrf = match.group(1)
        if not self.csrf or b"discussion__form" not in page:
            raise RuntimeError(f"reader {self.reader} is not offered the comment form")

    def post(self, text: str) -> Answer:
        body = f"text={quote_plus(text)}".encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf,
        }
        started = time.perf_counter()
        try:
            response, raw = self._request(
                "POST", f"{DISCUSSIONS}/{self.page_id}/comments", body, headers
            )
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Answer(self.reader, text, 0, None, time.perf_counter() - started, repr(error))
        seconds = time.perf_counter() - started
        answer = None
        if "application/json" in (response.headers.get("Content-Type") or ""):
            try:
                answer = json.loads(raw)
            except ValueError:
                answer = None
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        return Answer(self.reader, text, response.status, answer, seconds)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share in 0..1) of values, or None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]
