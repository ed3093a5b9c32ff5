"""SharedSiteLimitMiddleware: a site's concurrency and delay hold for the whole run, not per crawl process.

With a shared frontier (``CLEANCRAWL_FRONTIER=redis``) three workers would each open
``CONCURRENT_REQUESTS_PER_DOMAIN`` connections to a site and each keep their own ``DOWNLOAD_DELAY``.
So every request first takes a token of its site (Scrapy's downloader slot: the host) from Redis: at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` tokens are out per site, across all workers, and a token is given at least
``DOWNLOAD_DELAY`` after the previous one. A token is given back with the response (or the failure); a worker
killed with tokens out loses them after ``DOWNLOAD_TIMEOUT`` + 5 s (their expiry), so a site is never blocked
for good. Within a worker, one request per site asks Redis at a time (the others wait their turn in an
asyncio lock); it polls in an asyncio sleep (the reactor goes on) from 10 ms, doubling up to 250 ms, with
jitter (waiting workers take turns). Each try and retry takes its own token (this middleware sits next to
the downloader). Each worker's own per-site limit (and AutoThrottle) still applies on top.

Two round-trips per request when the site has a free token (take, give back), more while it has none.
Stats: ``cleancrawl/site_limit/waits`` (requests that waited for a token), ``cleancrawl/site_limit/wait_seconds``
(their total wait).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ..frontier.redis import connect_async, run_id

if TYPE_CHECKING:
    import redis.asyncio
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

TOKEN = "cleancrawl/site_limit_token"  # request.meta: the (key, token) it holds
MAX_POLL = 0.25  # seconds between two asks for a token of a busy site, at most
MIN_WAIT = 0.005  # a shorter wait (a round-trip) is not counted as waiting

# KEYS: the site's tokens (sorted set: token -> expiry), its next free time. ARGV: token, limit, delay, ttl.
# Returns '0' (taken) or the seconds to wait (a string: Redis turns Lua numbers into integers).
_TAKE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.6f', now))
local free_at = tonumber(redis.call('GET', KEYS[2]) or '0')
if free_at > now then return string.format('%.6f', free_at - now) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return '-1' end
redis.call('ZADD', KEYS[1], string.format('%.6f', now + tonumber(ARGV[4])), ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4]) * 1000))
if tonumber(ARGV[3]) > 0 then
    local delay = tonumber(ARGV[3])
    redis.call('SET', KEYS[2], string.format('%.6f', now + delay), 'PX', math.ceil(delay * 1000))
end
return '0'
"""
_GIVE_BACK = "return redis.call('ZREM', KEYS[1], ARGV[1])"  # a script too: every round-trip is one EVALSHA


class SharedSiteLimitMiddleware:
    def __init__(self, crawler: Crawler, client: redis.asyncio.Redis, run: str, limit: int, delay: float,
                 ttl: float) -> None:
        self.crawler = crawler
        self.client = client
        self.run = run
        self.limit = limit
        self.delay = delay
        self.ttl = ttl
        self.take = client.register_script(_TAKE)
        self.give_back = client.register_script(_GIVE_BACK)
        self.turns: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)  # site -> this worker's next asker
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        shared = settings.get("CLEANCRAWL_FRONTIER") == "redis"
        if not shared or not settings.getbool("CLEANCRAWL_SITE_LIMIT_ENABLED", True):
            raise NotConfigured  # off in a one-process crawl (Scrapy's own per-domain limit applies): no warning
        return cls(crawler, connect_async(settings), run_id(crawler),
                   settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), settings.getfloat("DOWNLOAD_DELAY"),
                   settings.getfloat("DOWNLOAD_TIMEOUT") + 5)

    async def process_request(self, request: Request) -> None:
        assert self.crawler.engine is not None
        site = self.crawler.engine.downloader.get_slot_key(request)
        keys = [f"{self.run}:site:{site}:tokens", f"{self.run}:site:{site}:free_at"]
        token = uuid.uuid4().hex
        backoff = 0.01
        began = asyncio.get_running_loop().time()
        async with self.turns[site]:
            while (wait := float(await self.take(keys=keys, args=[token, self.limit, self.delay, self.ttl]))) != 0:
                pause = wait if wait > 0 else random.uniform(backoff / 2, backoff)
                backoff = min(backoff * 2, MAX_POLL)
                await asyncio.sleep(pause)
        waited = asyncio.get_running_loop().time() - began
        request.meta[TOKEN] = (keys[0], token)
        if waited > MIN_WAIT:
            stats = self.crawler.stats
            stats.inc_value("cleancrawl/site_limit/waits")
            stats.inc_value("cleancrawl/site_limit/wait_seconds", round(waited, 3))

    async def _give_back(self, request: Request) -> None:
        held = request.meta.pop(TOKEN, None)
        if held is not None:
            key, token = held
            await self.give_back(keys=[key], args=[token])

    async def process_response(self, request: Request, response: Response) -> Response:
        await self._give_back(request)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        await self._give_back(request)

    async def spider_closed(self) -> None:
        await self.client.aclose()
