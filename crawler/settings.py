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
# The frontier (crawler/frontier/): pending, leased and done requests with the duplicate filter, in SQLite
# (in JOBDIR: a crawl stopped in any way, kill -9 included, resumes where it stopped).
SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler"
# local: SQLite in JOBDIR (in memory without one); redis: one frontier shared by the workers of a run, at scrapy-redis's
# REDIS_URL (or REDIS_HOST/REDIS_PORT/REDIS_PARAMS; none: localhost:6379).
CLEANCRAWL_FRONTIER = "local"
CLEANCRAWL_RUN_ID = ""  # the shared frontier's run (its Redis key prefix); empty: the spider's name
SCHEDULER_PERSIST = False  # scrapy-redis's meaning: False deletes a finished run's keys (requests, fingerprints)
CLEANCRAWL_SITE_LIMIT_ENABLED = True  # redis: CONCURRENT_REQUESTS_PER_DOMAIN and DOWNLOAD_DELAY hold for all workers
CLEANCRAWL_FRONTIER_LEASE_SECONDS = 300.0
CLEANCRAWL_FRONTIER_POLL_SECONDS = 1.0  # an idle worker of a shared run looks for work this often until the run ends
# Requests in flight (fetched, not yet through the pipelines); 0: CONCURRENT_REQUESTS with a JOBDIR or a shared
# frontier, else no limit.
CLEANCRAWL_FRONTIER_MAX_LEASED = 0

# Bad input: bounded downloads, few redirects, retries for transient failures.
DOWNLOAD_TIMEOUT = 20  # a stalled or dripping page is given up after this, and retried once
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the final failure is logged once, at WARNING, with its reason (logformatter.py)
CLEANCRAWL_RETRY_TIMEOUT_TIMES = 1  # timeouts: each try costs DOWNLOAD_TIMEOUT, fewer retries than a 503
CLEANCRAWL_HOST_FAULTS_ENABLED = True
CLEANCRAWL_HOST_GIVE_UP_AFTER = 5  # timeouts, refused connections or DNS failures in a row: the host is given up
CLEANCRAWL_HOST_BACKOFF_MAX_DELAY = 30.0  # seconds between requests to a host that keeps timing out, at most
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
CLEANCRAWL_RETRY_AFTER_MAX = 60.0  # seconds a 429/503's Retry-After may make a retry wait; longer: not retried

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# The address guard again where connections resolve host names (DNS rebinding cannot pass the middleware's check).
TWISTED_DNS_RESOLVER = "crawler.middlewares.address_guard.GuardedResolver"

ITEM_PIPELINES = {
    "crawler.pipelines.clean.CleanPipeline": 100,
    "crawler.pipelines.filter.ArticleFilterPipeline": 200,
    "crawler.pipelines.templates.SiteTemplatePipeline": 250,
    "crawler.pipelines.store.StorePipeline": 300,
}
DOWNLOADER_MIDDLEWARES = {
    # Before RobotsTxtMiddleware (100): not even robots.txt is fetched from a refused address.
    "crawler.middlewares.address_guard.AddressGuardMiddleware": 50,
    # Scrapy's, with robots.txt fetched once per site for all workers of a shared frontier.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.shared_robots.SharedRobotsTxtMiddleware": 100,
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
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.TimeoutAwareRetryMiddleware": 550,
    # Just inside it: sees every failed try; backs off or gives up hosts that keep failing.
    "crawler.middlewares.host_faults.HostFaultsMiddleware": 560,
    # Next to the downloader: each try takes a token of its site shared by every worker of a run (redis frontier only).
    "crawler.middlewares.site_limit.SharedSiteLimitMiddleware": 940,
    # At the downloader end (after HttpCompression 590, Cookies 700, DownloaderStats 850): the exchange as on the wire.
    "crawler.middlewares.warc.WarcMiddleware": 950,
}
EXTENSIONS = {
    "crawler.extensions.state.CrawlState": 0,
    "crawler.extensions.summary.CrawlSummary": 900,
    "crawler.extensions.statsfile.StatsFile": 1000,  # after CoreStats: the final stats, as JSON
    # kill -9 safety: feeds get what the store saved but they lack.
    "crawler.feedstorage.FeedRecovery": 20,
}

# Output: JSON lines through Scrapy's feed exports, appended run after run (the store
# makes sure an article is exported once, and again only when its text changes).
FEEDS = {
    "output/articles.jsonl": {"format": "jsonlines", "encoding": "utf8", "overwrite": False},
}
FEED_EXPORT_ENCODING = "utf-8"
# Unbuffered appends (an article in the store is in the feed file too, even after kill -9), fsynced off the reactor.
# Every local form: a plain relative or absolute path (scheme ""), file://, and a Windows drive path (Scrapy falls
# back to the "file" storage for a scheme it does not know, such as "c").
FEED_STORAGES = {"": "crawler.feedstorage.DurableFileFeedStorage", "file": "crawler.feedstorage.DurableFileFeedStorage"}
CLEANCRAWL_FEED_FSYNC = True
FEED_EXPORT_FIELDS = list(FIELDS)
FEED_URI_PARAMS = "crawler.workers.feed_uri_params"  # adds %(worker)s to Scrapy's feed URI placeholders

CLEANCRAWL_STORE_PATH = "output/articles.sqlite3"
CLEANCRAWL_STORE_URL = ""  # postgresql://... (shared by several workers) or sqlite:///path; wins over the path
CLEANCRAWL_WORKER_ID = ""  # this crawl process in feed URIs (%(worker)s) and the store; empty: <host>-<pid>
CLEANCRAWL_CONDITIONAL_ENABLED = True  # skip or conditionally request articles saved by earlier runs
CLEANCRAWL_WORKERS = -1  # cleaning processes; -1: one per core; 0: a thread in the crawl process
CLEANCRAWL_CLEAN_TIMEOUT = 60.0
CLEANCRAWL_LANGUAGES: list[str] = []  # ISO 639-1 codes to keep; empty keeps every language
CLEANCRAWL_ALLOWED_PRIVATE_HOSTS: list[str] = []  # hosts allowed to resolve to non-public addresses
# Site templates: blocks of at most MAX_WORDS words seen on MIN_PAGES distinct pages of a site are removed.
CLEANCRAWL_TEMPLATE_ENABLED = True
CLEANCRAWL_TEMPLATE_MIN_PAGES = 5
CLEANCRAWL_TEMPLATE_MAX_WORDS = 30
CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS = 5000  # per site; the rarest, least recently seen are aged out
CLEANCRAWL_TEMPLATE_HOLD_PAGES = 10  # an article waits for this many more pages of its site before it is judged
CLEANCRAWL_TEMPLATE_HOLD_SECONDS = 30.0  # and never longer than this
CLEANCRAWL_WARC_PATH = ""  # folder for WARC files of every response and request (empty: off)
CLEANCRAWL_WARC_MAX_SIZE = 1_000_000_000  # bytes: a WARC file reaching this size is closed, the next one opened
CLEANCRAWL_WARC_QUEUE = 64  # exchanges waiting for the WARC writer thread at most
CLEANCRAWL_STATS_PATH = ""  # write the final stats as JSON to this file (empty: off)

LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.CleanLogFormatter"
