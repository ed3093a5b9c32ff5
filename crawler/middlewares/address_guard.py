"""AddressGuardMiddleware: the crawler fetches public http(s) addresses only.

Seeds, followed links and redirects that resolve to loopback, private, link-local,
multicast, reserved or cloud-metadata addresses are refused unless their host is
listed in ``CLEANCRAWL_ALLOWED_PRIVATE_HOSTS`` (the demo and tests list 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.to_thread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class AddressGuardMiddleware:
    """Refuses non-http(s) URLs and hosts that resolve to non-public addresses."""

    def __init__(self, crawler: Crawler, allowed_hosts: set[str]) -> None:
        self.crawler = crawler
        self.allowed_hosts = allowed_hosts

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("CLEANCRAWL_ADDRESS_GUARD_ENABLED", True):
            raise NotConfigured("CLEANCRAWL_ADDRESS_GUARD_ENABLED is off")
        allowed = {host.strip().lower() for host in crawler.settings.getlist("CLEANCRAWL_ALLOWED_PRIVATE_HOSTS")}
        return cls(crawler, allowed)

    def _refuse(self, reason: str, request: Request) -> None:
        self.crawler.stats.inc_value(f"cleancrawl/address_guard/{reason}")
        raise IgnoreRequest(f"address guard: {reason}: {request.url}")

    async def process_request(self, request: Request) -> Any:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            self._refuse("scheme", request)
        host = (parts.hostname or "").lower()
        if not host:
            self._refuse("no_host", request)
        if host in self.allowed_hosts:
            return None
        try:
            addresses = [host] if _is_ip(host) else await resolve(host, parts.port or 80)
        except OSError:
            return None  # let the download fail with Scrapy's own DNS error, counted by Scrapy
        if not all(_is_public(address) for address in addresses):
            self._refuse("private_address", request)
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
