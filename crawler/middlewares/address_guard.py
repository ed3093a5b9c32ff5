"""AddressGuardMiddleware: the crawler fetches public http(s) addresses only.

Seeds, followed links and redirects that resolve to loopback, private, link-local,
multicast, reserved or cloud-metadata addresses are refused unless their host is
listed in ``CLEANCRAWL_ALLOWED_PRIVATE_HOSTS`` (the demo and tests list 127.0.0.1).

The middleware resolves a host name before the download; the download resolves it
again. :class:`GuardedResolver` (``TWISTED_DNS_RESOLVER``) checks that second answer,
the address the connection really uses, so a name that changes its answer in between
(DNS rebinding) cannot reach a private address either.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred
    from typing_extensions import Self

logger = logging.getLogger(__name__)


class AddressRefused(IgnoreRequest):
    """A request the guard refused; ``reason`` is the stats slug (``cleancrawl/address_guard/<reason>``)."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"address guard: {reason}: {url}")
        self.reason = f"address_guard/{reason}"


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
        return cls(crawler, allowed_hosts(crawler.settings))

    def _refuse(self, reason: str, request: Request) -> None:
        self.crawler.stats.inc_value(f"cleancrawl/address_guard/{reason}")
        raise AddressRefused(reason, request.url)

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


def allowed_hosts(settings: Any) -> set[str]:
    return {host.strip().lower() for host in settings.getlist("CLEANCRAWL_ALLOWED_PRIVATE_HOSTS") if host.strip()}


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's default resolver, refusing non-public answers for hosts not in ``CLEANCRAWL_ALLOWED_PRIVATE_HOSTS``.

    The refusal is a DNS lookup error whose message starts with "address guard:"; the
    download fails with it (counted as ``cleancrawl/failed/address_guard/private_address``).
    """

    enabled = True
    allowed: frozenset[str] = frozenset()
    # Host names refused so far: Twisted turns the refusal into a plain "no results" DNS error, so the
    # outcomes middleware looks the name up here to count it as the guard's.
    refused: set[str] = set()  # noqa: RUF012

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Self:  # the CrawlerProcess: settings, no stats
        resolver = super().from_crawler(crawler, reactor)
        resolver.enabled = crawler.settings.getbool("CLEANCRAWL_ADDRESS_GUARD_ENABLED", True)
        resolver.allowed = frozenset(allowed_hosts(crawler.settings))
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802 (Twisted's name)
        answer = super().getHostByName(name, timeout)
        if self.enabled and name.lower() not in self.allowed:
            answer.addCallback(self._check, name)
        return answer

    @classmethod
    def _check(cls, address: str, name: str) -> str:
        if _is_public(address):
            return address
        cls.refused.add(name.lower())
        logger.warning("address guard: %s resolved to the non-public address %s at connection time", name, address)
        raise DNSLookupError(f"address guard: {name} resolved to the non-public address {address}")
