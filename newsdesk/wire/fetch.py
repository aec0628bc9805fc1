"""Fetching untrusted URLs without letting them reach the newsroom's own network.

The host is resolved here and the connection goes to the address that was
checked (a second lookup could answer differently). Redirects are followed
by hand, only to the same host, and checked again. Bodies are read in
chunks and refused past the size limit.
"""

import http.client
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

from .parsers import MAX_DOCUMENT_BYTES

TIMEOUT_SECONDS = 15
MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "newsdesk-wire/1.0"


class FetchError(Exception):
    """The source could not be fetched; the message says why, for its admin page."""


def _allowed(address: str, *, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_private:
        return not (ip.is_multicast or ip.is_unspecified)
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to, after checking every address the name has."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host}: {error.strerror}") from error
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _allowed(a, allow_private=allow_private)]
    if refused or not addresses:
        raise FetchError(
            f"refused: {host} resolves to a private, loopback, link-local or reserved "
            f"address ({', '.join(refused)}); the source does not allow private addresses"
        )
    return addresses[0]


def _split(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"refused: {url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise FetchError("refused: URLs with credentials in them are not fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(f"refused: bad port in {url!r}") from error
    return parts, port


def _request(url: str, *, allow_private: bool, max_bytes: int, timeout: float):
    parts, port = _split(url)
    address = resolve(parts.hostname, port, allow_private=allow_private)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, port, timeout=timeout)

    def connect_to_checked_address(target, timeout=timeout, source_address=None):
        return socket.create_connection((address, target[1]), timeout, source_address)

    # HTTPSConnection still verifies the certificate against the host name.
    connection._create_connection = connect_to_checked_address
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location", ""), b""
        if response.status != 200:
            raise FetchError(f"{url} answered HTTP {response.status} {response.reason}")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{url} refused: {declared} bytes, over the {max_bytes} byte limit")
        chunks, size = [], 0
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url} refused: more than the {max_bytes} byte limit")
            chunks.append(chunk)
        return 200, "", b"".join(chunks)
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{url} unreachable: {error}") from error
    finally:
        connection.close()


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    timeout: float = TIMEOUT_SECONDS,
) -> bytes:
    """The body at url, fetched safely; FetchError with a readable reason otherwise."""
    host = _split(url)[0].hostname
    for _hop in range(MAX_REDIRECTS + 1):
        status, location, body = _request(
            url, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout
        )
        if status == 200:
            return body
        target = urljoin(url, location)
        target_host = urlsplit(target).hostname
        if target_host != host:
            raise FetchError(
                f"{url} redirects to another host ({target_host}); only {host} is fetched"
            )
        url = target
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
