import pytest

from newsdesk.wire.fetch import FetchError, fetch
from newsdesk.wire.models import WireSource
from newsdesk.wire.parsers import MAX_DOCUMENT_BYTES
from newsdesk.wire.services import source_ingest

from .documents import ninjs, ninjs_item


def test_it_fetches_from_loopback_only_when_the_source_allows_private_addresses(wire_server):
    url = wire_server.serve("/feed.json", b"[]")
    assert fetch(url, allow_private=True) == b"[]"
    with pytest.raises(FetchError, match="private, loopback"):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed",
        "http://0.0.0.0/",
        "http://192.168.0.10/",
    ],
)
def test_it_refuses_private_link_local_and_reserved_addresses(url):
    with pytest.raises(FetchError, match="refused"):
        fetch(url, timeout=1)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "http://u:p@x.org/"])
def test_it_refuses_other_schemes_and_credentials(url):
    with pytest.raises(FetchError, match="refused"):
        fetch(url)


def test_it_follows_a_redirect_on_the_same_host(wire_server):
    wire_server.serve("/moved", b"", status=302, Location="/feed.json")
    wire_server.serve("/feed.json", b"[1]")
    assert fetch(wire_server.url("/moved"), allow_private=True) == b"[1]"


def test_it_refuses_a_redirect_to_another_host(wire_server):
    # "localhost" is another host name than 127.0.0.1, though the same machine.
    wire_server.serve("/feed.json", b"[]")
    wire_server.serve(
        "/moved", b"", status=301, Location=wire_server.url("/feed.json", host="localhost")
    )
    with pytest.raises(FetchError, match="redirects to another host"):
        fetch(wire_server.url("/moved"), allow_private=True)


def test_it_refuses_a_redirect_loop(wire_server):
    wire_server.serve("/loop", b"", status=302, Location="/loop")
    with pytest.raises(FetchError, match="redirects"):
        fetch(wire_server.url("/loop"), allow_private=True)


def test_it_reports_http_errors_and_unreachable_hosts(wire_server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(wire_server.url("/missing"), allow_private=True)
    wire_server.server.server_close()  # nothing listens on the port any more
    with pytest.raises(FetchError, match="unreachable"):
        fetch(wire_server.url("/gone"), allow_private=True, timeout=2)


def _http_source(url, **fields):
    return WireSource.objects.create(
        name="Northwind", kind="ninjs", location=url, allow_private_addresses=True, **fields
    )


def test_a_real_http_source_is_ingested(db, wire_server):
    source = _http_source(wire_server.serve("/wire", ninjs(ninjs_item())))
    counts = source_ingest(source=source)
    assert (counts.new, counts.errors) == (1, 0)
    assert source.items.get().headline == "Harbour strike ends"
    source.refresh_from_db()
    assert source.last_status == "1 new, 0 updated, 0 unchanged, 0 errors"
    assert source.last_polled_at is not None


def test_a_source_without_private_addresses_is_refused_and_the_refusal_shown(db, wire_server):
    source = _http_source(wire_server.serve("/wire", ninjs(ninjs_item())))
    source.allow_private_addresses = False
    source.save()
    counts = source_ingest(source=source)
    assert (counts.new, counts.errors) == (0, 1)
    source.refresh_from_db()
    assert "private, loopback" in source.last_error
    assert "private, loopback" in source.problems.get().message
    assert not source.items.exists()


def test_an_oversize_document_is_refused_and_logged(db, wire_server):
    source = _http_source(wire_server.serve("/huge", b"[" + b" " * MAX_DOCUMENT_BYTES + b"]"))
    counts = source_ingest(source=source)
    assert counts.errors == 1
    source.refresh_from_db()
    assert "byte limit" in source.last_error
    assert "byte limit" in source.problems.get().message
