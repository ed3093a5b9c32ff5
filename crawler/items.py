"""Items: a fetched page on its way to the cleaners, and the clean article that is saved."""

from __future__ import annotations

from dataclasses import dataclass

import scrapy

from cleaners import FIELDS


@dataclass
class Page:
    """A downloaded page, before cleaning. Never exported: the clean pipeline replaces it."""

    url: str
    body: bytes
    content_type: str | None
    fetched_at: str
    site: str


# Article field, never saved or exported: the page's block fingerprints, from the cleaning
# worker to SiteTemplatePipeline (which deletes it).
BLOCK_FINGERPRINTS = "block_fingerprints"


class Article(scrapy.Item):
    """The clean record (fields and meaning: ``cleaners/record.schema.json``)."""

    fields = {name: scrapy.Field() for name in (*FIELDS, BLOCK_FINGERPRINTS)}  # noqa: RUF012 (scrapy.Item reads this mapping)
