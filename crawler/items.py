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


# Article field, never saved or exported: the page's BlockMarks, from the cleaning worker to
# SiteTemplatePipeline (which deletes it).
BLOCK_FINGERPRINTS = "block_fingerprints"


@dataclass(frozen=True)
class BlockMarks:
    """What the site template memory learns from a cleaned page."""

    fingerprints: list[str]  # of the page's candidate blocks, before the worker removed any
    template_size: int  # how many of its site's template fingerprints the worker removed blocks by


class Article(scrapy.Item):
    """The clean record (fields and meaning: ``cleaners/record.schema.json``)."""

    fields = {name: scrapy.Field() for name in (*FIELDS, BLOCK_FINGERPRINTS)}  # noqa: RUF012 (scrapy.Item reads this mapping)
