"""cleancrawl's Scrapy project: spiders, items, pipelines, middlewares and settings."""
