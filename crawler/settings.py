"""Scrapy settings of cleancrawl. Every one can be overridden with ``-s NAME=VALUE``.

The project's own settings carry the ``CLEANCRAWL_`` prefix; the README documents them.
"""

from __future__ import annotations

from cleaners import FIELDS

BOT_NAME = "cleancrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: obey robots.txt, identify ourselves, adapt to the server's latency.
ROBOTSTXT_OBEY = True
USER_AGENT = "cleancrawl/1.0 (+https://github.com/cleancrawl/cleancrawl; news archive crawler)"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
CONCURRENT_ITEMS = 16  # a page yields one item: Scrapy's 100 only adds idle tasks per response
DEPTH_LIMIT = 4
DEPTH_PRIORITY = 1  # breadth first: index pages before deep archives
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# Bad input: bounded downloads, few redirects, retries for transient failures.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
CLEANCRAWL_RETRY_AFTER_MAX = 60.0  # seconds a 429/503's Retry-After may make a retry wait; longer: not retried

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# The address guard again where connections resolve host names (DNS rebinding cannot pass the middleware's check).
TWISTED_DNS_RESOLVER = "crawler.middlewares.address_guard.GuardedResolver"

ITEM_PIPELINES = {
    "crawler.pipelines.clean.CleanPipeline": 100,
    "crawler.pipelines.filter.ArticleFilterPipeline": 200,
    "crawler.pipelines.store.StorePipeline": 300,
}
DOWNLOADER_MIDDLEWARES = {
    # Before RobotsTxtMiddleware (100): not even robots.txt is fetched from a refused address.
    "crawler.middlewares.address_guard.AddressGuardMiddleware": 50,
    "crawler.middlewares.conditional.ConditionalFetchMiddleware": 580,
    # Outermost: counts every final response and failure per seed site (the summary's reasons).
    "crawler.middlewares.outcomes.DownloadOutcomesMiddleware": 40,
    # Scrapy's own, with the drops they make silently counted (and truncated gzip bodies refused).
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.outcomes.CountedRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.outcomes.CheckedHttpCompressionMiddleware": 590,
    # Just outside RetryMiddleware (550): waits what a 429/503's Retry-After asks before the retry.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 555,
    # At the downloader end (after HttpCompression 590, Cookies 700, DownloaderStats 850): the exchange as on the wire.
    "crawler.middlewares.warc.WarcMiddleware": 950,
}
EXTENSIONS = {
    "crawler.extensions.state.CrawlState": 0,
    "crawler.extensions.summary.CrawlSummary": 900,
    "crawler.extensions.statsfile.StatsFile": 1000,  # after CoreStats: the final stats, as JSON
    # kill -9 safety: a JOBDIR left by a dead crawl is reset; feeds get what the store saved but they lack.
    "crawler.extensions.jobdir.CrashSafeJobdir": 10,
    "crawler.feedstorage.FeedRecovery": 20,
}

# Output: JSON lines through Scrapy's feed exports, appended run after run (the store
# makes sure an article is exported once, and again only when its text changes).
FEEDS = {
    "output/articles.jsonl": {"format": "jsonlines", "encoding": "utf8", "overwrite": False},
}
FEED_EXPORT_ENCODING = "utf-8"
# Unbuffered appends (an article in the store is in the feed file too, even after kill -9), fsynced off the reactor.
FEED_STORAGES = {"file": "crawler.feedstorage.DurableFileFeedStorage"}
CLEANCRAWL_FEED_FSYNC = True
FEED_EXPORT_FIELDS = list(FIELDS)

CLEANCRAWL_STORE_PATH = "output/articles.sqlite3"
CLEANCRAWL_CONDITIONAL_ENABLED = True  # skip or conditionally request articles saved by earlier runs
CLEANCRAWL_WORKERS = -1  # cleaning processes; -1: one per core; 0: a thread in the crawl process
CLEANCRAWL_CLEAN_TIMEOUT = 60.0
CLEANCRAWL_LANGUAGES: list[str] = []  # ISO 639-1 codes to keep; empty keeps every language
CLEANCRAWL_ALLOWED_PRIVATE_HOSTS: list[str] = []  # hosts allowed to resolve to non-public addresses
CLEANCRAWL_WARC_PATH = ""  # folder for WARC files of every response and request (empty: off)
CLEANCRAWL_WARC_MAX_SIZE = 1_000_000_000  # bytes: a WARC file reaching this size is closed, the next one opened
CLEANCRAWL_WARC_QUEUE = 64  # exchanges waiting for the WARC writer thread at most
CLEANCRAWL_STATS_PATH = ""  # write the final stats as JSON to this file (empty: off)

LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.CleanLogFormatter"
