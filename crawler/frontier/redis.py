"""RedisFrontier: one frontier shared by every crawl process of a run, in Redis (``CLEANCRAWL_FRONTIER=redis``).

The connection is scrapy-redis's (``REDIS_URL``, or ``REDIS_HOST``/``REDIS_PORT``/``REDIS_PARAMS``), and so are
the key names and the queue design: a run's keys start with ``CLEANCRAWL_RUN_ID`` (default: the spider's name, as
scrapy-redis's ``%(spider)s:requests``); ``<run>:requests`` is a sorted set ordered by priority (scrapy-redis's
``PriorityQueue``) and ``<run>:dupefilter`` the set of request fingerprints (its ``RFPDupeFilter``). What is ours:
requests are JSON (:mod:`.serialization`), never pickles; a popped request stays in ``<run>:entries``, leased
(``<run>:leases``: key -> deadline, ``<run>:owners``: key -> owner) until it is done, so a dead worker loses
nothing; the fingerprint and the entry are written in the same script (a fingerprint never outlives its request).

Every method is one Lua script: atomic on the server, one round-trip. Deadlines are the server's ``TIME``. The
scripts declare the keys they touch (``KEYS``), so they run on one Redis server (not a Redis Cluster, whose
shards would split a run's keys; a hash tag in ``CLEANCRAWL_RUN_ID``, ``{news}``, keeps them on one shard).

The run's start-up: a worker reading its seeds is in ``<run>:starting`` (owner -> deadline, renewed by the
heartbeat) from :meth:`starting` until :meth:`started`; the run is not drained while anyone is starting, so no
worker leaves before every seed was pushed. ``SCHEDULER_PERSIST`` (scrapy-redis's meaning): False (default), the
run's keys are deleted by the worker that closes a drained run (a run started again with the same id fetches
everything again); True, they are kept (the same id later fetches only URLs never seen).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy.settings import BaseSettings
from scrapy_redis.connection import get_redis_from_settings

from .backend import Entry, Lease

if TYPE_CHECKING:
    import redis
    import redis.asyncio
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)

# The run's keys, in the order every script receives them (KEYS[1..7]).
KEY_NAMES = ("requests", "entries", "dupefilter", "seq", "leases", "owners", "starting")

# Shared by the scripts: the server's clock; an entry's value "<priority> <request>"; its queue score (best first:
# highest priority, then oldest push; %.0f: exact integers, as Lua's tostring would round big numbers).
_PRELUDE = """
local requests, entries, dupefilter, seq, leases, owners, starting = unpack(KEYS)
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local function score(key, priority)
    return string.format('%.0f', -tonumber(priority) * 4294967296 + tonumber(key))
end
local function requeue(key)
    local value = redis.call('HGET', entries, key)
    redis.call('ZREM', leases, key)
    redis.call('HDEL', owners, key)
    if value then
        redis.call('ZADD', requests, score(key, string.match(value, '^(%S+)')), key)
    end
end
"""

# ARGV: fingerprint ('' : not filtered), priority, request; repeated. Returns 1/0 per entry, then the pending count.
_PUSH = """
local added = {}
for i = 1, #ARGV, 3 do
    if ARGV[i] == '' or redis.call('SADD', dupefilter, ARGV[i]) == 1 then
        local key = redis.call('INCR', seq)
        redis.call('HSET', entries, key, ARGV[i + 1] .. ' ' .. ARGV[i + 2])
        redis.call('ZADD', requests, score(key, ARGV[i + 1]), key)
        added[#added + 1] = 1
    else
        added[#added + 1] = 0
    end
end
added[#added + 1] = redis.call('ZCARD', requests)
return added
"""

# ARGV: owner, count, seconds. Returns key, value pairs, then the pending count.
_LEASE = """
local out = {}
local deadline = string.format('%.6f', now + tonumber(ARGV[3]))
for _, key in ipairs(redis.call('ZRANGE', requests, 0, tonumber(ARGV[2]) - 1)) do
    redis.call('ZREM', requests, key)
    redis.call('ZADD', leases, deadline, key)
    redis.call('HSET', owners, key, ARGV[1])
    out[#out + 1] = key
    out[#out + 1] = redis.call('HGET', entries, key)
end
out[#out + 1] = redis.call('ZCARD', requests)
return out
"""

# ARGV: keys. Whatever state they are in (leased, or pending again after their owner was taken for dead), the
# request was fully processed: it is forgotten. Returns the pending count.
_DONE = """
for _, key in ipairs(ARGV) do
    redis.call('ZREM', requests, key)
    redis.call('ZREM', leases, key)
    redis.call('HDEL', owners, key)
    redis.call('HDEL', entries, key)
end
return redis.call('ZCARD', requests)
"""

# ARGV: owner, seconds. Renews the owner's leases (and its start-up). A worker holds few leases (its
# CLEANCRAWL_FRONTIER_MAX_LEASED), so the owners hash is small. Returns how many leases it holds.
_HEARTBEAT = """
local deadline = string.format('%.6f', now + tonumber(ARGV[2]))
local held = 0
local pairs_ = redis.call('HGETALL', owners)
for i = 1, #pairs_, 2 do
    if pairs_[i + 1] == ARGV[1] then
        redis.call('ZADD', leases, 'XX', deadline, pairs_[i])
        held = held + 1
    end
end
redis.call('ZADD', starting, 'XX', deadline, ARGV[1])
return held
"""

# Returns how many leases went back to pending, then the pending count.
_RELEASE_EXPIRED = """
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', string.format('%.6f', now))
for _, key in ipairs(expired) do requeue(key) end
return {#expired, redis.call('ZCARD', requests)}
"""

# ARGV: owner. Returns how many leases went back to pending, then the pending count.
_RELEASE_OWNER = """
local released = 0
local pairs_ = redis.call('HGETALL', owners)
for i = 1, #pairs_, 2 do
    if pairs_[i + 1] == ARGV[1] then
        requeue(pairs_[i])
        released = released + 1
    end
end
return {released, redis.call('ZCARD', requests)}
"""

# ARGV: owner, seconds (starting) / owner (started).
_STARTING = """
redis.call('ZADD', starting, string.format('%.6f', now + tonumber(ARGV[2])), ARGV[1])
return redis.call('ZCARD', requests)
"""
_STARTED = """
redis.call('ZREM', starting, ARGV[1])
return redis.call('ZCARD', requests)
"""

# Drained: nothing pending, nothing leased, nobody still reading seeds (a start-up whose deadline passed is a dead
# worker's). ARGV[1] '1': delete the run's keys when it is drained (SCHEDULER_PERSIST off). Returns 1 or 0.
_DRAINED = """
redis.call('ZREMRANGEBYSCORE', starting, '-inf', string.format('%.6f', now))
local drained = redis.call('ZCARD', requests) == 0 and redis.call('ZCARD', leases) == 0
    and redis.call('ZCARD', starting) == 0
if drained and ARGV[1] == '1' then
    redis.call('DEL', unpack(KEYS))
end
return drained and 1 or 0
"""


class FrontierUnavailable(RuntimeError):
    """The shared frontier's Redis cannot be reached (or refuses us) when the crawl starts."""


def connect(settings: BaseSettings) -> redis.Redis:
    """scrapy-redis's client from the settings (``REDIS_URL``, ``REDIS_HOST``, ``REDIS_PORT``, ``REDIS_PARAMS``)."""
    return get_redis_from_settings(settings)


def connect_async(settings: BaseSettings) -> redis.asyncio.Redis:
    """The same, as an asyncio client: for downloader middlewares, which must not make the reactor wait."""
    copy = BaseSettings(settings.copy_to_dict())
    copy.set("REDIS_PARAMS", {**settings.getdict("REDIS_PARAMS"), "redis_cls": "redis.asyncio.Redis"})
    return get_redis_from_settings(copy)


def run_id(crawler: Crawler) -> str:
    """The run's key prefix: ``CLEANCRAWL_RUN_ID``, else the spider's name (every worker of a run must agree)."""
    assert crawler.spidercls is not None
    return crawler.settings.get("CLEANCRAWL_RUN_ID") or crawler.spidercls.name


class RedisFrontier:
    """:class:`.backend.FrontierBackend` in Redis, shared by every worker of the run ``run`` (the key prefix)."""

    def __init__(self, client: redis.Redis, run: str, *, persist: bool = False) -> None:
        self.client = client
        self.run = run
        self.persist = persist
        self.keys = [f"{run}:{name}" for name in KEY_NAMES]
        self._scripts = {name: client.register_script(_PRELUDE + body) for name, body in (
            ("push", _PUSH), ("lease", _LEASE), ("done", _DONE), ("heartbeat", _HEARTBEAT),
            ("release_expired", _RELEASE_EXPIRED), ("release_owner", _RELEASE_OWNER),
            ("starting", _STARTING), ("started", _STARTED), ("drained", _DRAINED))}
        self._pending = 0  # as of this worker's last call: every script answers it

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        client = connect(crawler.settings)
        frontier = cls(client, run_id(crawler), persist=crawler.settings.getbool("SCHEDULER_PERSIST"))
        try:
            released = frontier.release_expired()  # leases of workers that died since the run's last heartbeat
        except RedisError as error:
            where = client.get_connection_kwargs()
            raise FrontierUnavailable(f"CLEANCRAWL_FRONTIER=redis: the Redis at {where.get('host')}:{where.get('port')}"
                                      f" cannot be used ({error})") from error
        if released:
            crawler.stats.inc_value("cleancrawl/frontier/released", released)
        logger.info("Shared frontier in Redis, run %r: %d requests pending", frontier.run, frontier.pending())
        return frontier

    def _call(self, name: str, *args: Any) -> Any:
        return self._scripts[name](keys=self.keys, args=args)

    def push(self, entries: Sequence[Entry]) -> list[bool]:
        if not entries:
            return []
        args: list[Any] = []
        for entry in entries:
            args += [entry.fingerprint.hex() if entry.fingerprint is not None else "", entry.priority, entry.data]
        *added, self._pending = self._call("push", *args)
        return [bool(flag) for flag in added]

    def lease(self, owner: str, count: int, seconds: float) -> list[Lease]:
        *pairs, self._pending = self._call("lease", owner, count, seconds)
        leases = []
        for key, value in zip(pairs[::2], pairs[1::2], strict=True):
            priority, _, data = value.decode("utf-8").partition(" ")
            leases.append(Lease(key.decode("ascii"), data, int(priority)))
        return leases

    def done(self, keys: Sequence[str]) -> None:
        if keys:
            self._pending = self._call("done", *keys)

    def heartbeat(self, owner: str, seconds: float) -> int:
        return int(self._call("heartbeat", owner, seconds))

    def release_expired(self) -> int:
        released, self._pending = self._call("release_expired")
        return int(released)

    def release_owner(self, owner: str) -> int:
        released, self._pending = self._call("release_owner", owner)
        return int(released)

    def starting(self, owner: str, seconds: float) -> None:
        self._pending = self._call("starting", owner, seconds)

    def started(self, owner: str) -> None:
        self._pending = self._call("started", owner)

    def pending(self) -> int:
        """Pending entries as of this worker's last call (others push and lease meanwhile: a hint; the run's end
        is decided by :meth:`is_drained`, which asks the server)."""
        return int(self._pending)

    def is_drained(self) -> bool:
        return bool(self._call("drained", "0"))

    def close(self) -> None:
        if not self.persist:
            self._call("drained", "1")  # deletes the run's keys if it is over, in the same atomic check
        self.client.close()
