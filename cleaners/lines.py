"""Line rules: remove the furniture that survives extraction, one text block at a time.

They fire only on short blocks whose whole text is page furniture ("SUBSCRIBE & SAVE",
"By Anna Berg Published", "Your browser doesn't support HTML5"), so that story text
that talks about subscribers, sign-ups or videos stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from . import patterns

SHORT_WORDS = 25
STORY_PARAGRAPH_WORDS = 20  # a block this long is story text: furniture sits before the first or after the last


@dataclass(frozen=True)
class Context:
    """What a rule may know about a block besides its text."""

    index: int
    blocks: list[str]
    previous_removed: str | None  # name of the rule that removed the block just before, if any
    words: int  # the block's length, counted once for all rules
    story: tuple[int, int]  # indexes of the first and the last story-length paragraph
    titles: frozenset[str] = frozenset()  # the page's headline as <title>, og:title and <h1> give it
    authors: frozenset[str] = frozenset()  # the record's author names, folded
    datelines: frozenset[int] = frozenset()  # indexes of the blocks that are only a date

    @property
    def outside_story(self) -> bool:
        """Before the story's first long paragraph or after its last, where bylines and footers sit."""
        first, last = self.story
        return self.index < first or self.index > last


LineRule = Callable[[str, Context], bool]


def _words(text: str) -> int:
    return len(text.split())


_QUOTE_OPENERS = tuple("\"“”„«»‘’‚‹›'—–")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_SENTENCE_OR_LINE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")


def _quoted(text: str) -> bool:
    """Speech ("'Subscribe to the theory ...,' she said", a dialogue dash): what a promo never is."""
    return text.lstrip().startswith(_QUOTE_OPENERS)


def _lead_in(sentence: str) -> bool:
    """A short question before a promo's call: "Want more city news?", "Have a tip?"."""
    return sentence.endswith("?") and _words(sentence) <= 10


def _after_question(text: str) -> list[str]:
    """The text, and what follows a lead-in question ("Want more? Sign up ..."): where a promo's call starts."""
    parts = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return [text, parts[1]] if len(parts) == 2 and _lead_in(parts[0]) else [text]


def _short(limit: int = SHORT_WORDS) -> Callable[[LineRule], LineRule]:
    def wrap(rule: LineRule) -> LineRule:
        def checked(text: str, context: Context) -> bool:
            return context.words <= limit and rule(text, context)
        checked.__doc__ = rule.__doc__
        return checked
    return wrap


@_short()
def subscription_promo(text: str, context: Context) -> bool:
    """"Subscribe to X", "Abonne-toi", "Zapisz się do newslettera", "A free daily email with ..."."""
    if _quoted(text):
        return False
    return any(patterns.CALL_TO_ACTION.match(part) for part in _after_question(text)) or bool(
        patterns.PROMO_STRAPLINE.search(text))


@_short(30)
def teaser_byline(text: str, context: Context) -> bool:
    """"By NAME Published" under a teaser, and a lone "By NAME" line."""
    return bool(patterns.BYLINE.match(text))


@_short(12)
def video_fallback(text: str, context: Context) -> bool:
    """A player's "Your browser doesn't support HTML5", and the video title after it."""
    if patterns.VIDEO_FALLBACK.match(text):
        return True
    return context.previous_removed in {"video_fallback", "media_intro"} and not text.rstrip().endswith((".", "!", "?", "”", '"', ":"))


@_short(30)
def media_intro(text: str, context: Context) -> bool:
    """"Watch related report from X:" introducing an embed."""
    return bool(patterns.MEDIA_INTRO.match(text))


@_short(8)
def share_prompt(text: str, context: Context) -> bool:
    """"Share this article", "Copy link", "Tweet"."""
    return bool(patterns.SHARE_LABEL.match(text))


@_short(4)
def advertisement_label(text: str, context: Context) -> bool:
    """"Advertisement", "Anzeige", "Реклама"."""
    return bool(patterns.ADVERTISEMENT_LABEL.match(text))


@_short()
def read_more_promo(text: str, context: Context) -> bool:
    """"READ MORE: headline", "Lesen Sie auch: headline"."""
    return bool(patterns.READ_MORE_PROMO.match(text))


@_short(10)
def comment_widget(text: str, context: Context) -> bool:
    """"42 comments", "Join the conversation", "Log in to comment"."""
    return bool(patterns.COMMENT_WIDGET.match(text))


def _follows(sentence: str, start: int = 0) -> bool:
    """A call at ``start`` that sends readers to a network: a follow, join or subscribe verb, its object, the network.

    Inside a sentence (``start`` > 0) only a call to follow "us" or "our ..." counts.
    """
    call = patterns.FOLLOW_CALL.match(sentence, start)
    if call is None:
        return False
    rest = sentence[call.end():]
    network = patterns.NETWORK.search(rest)
    words = [word.strip(".,:;!?()\"“”«»") for word in rest[:network.start() if network else len(rest)].split()]
    named = [word for word in words if word and not patterns.FOLLOW_FILLER.match(word)]
    us = call["us"] is not None or bool(named and patterns.FOLLOW_OBJECT.match(named[0]))
    if network is None:  # "Follow us", "Suivez-nous !", "Следите за нами"; "Follow our newsletter" (not "Subscribe to")
        alone = len(words) <= 1 and call["subscribe"] is None
        channel = call["follow"] is not None and len(named) >= 2 and bool(patterns.PROMO_CHANNEL.match(named[1]))
        return start == 0 and us and (alone or channel)
    if len(named) > 5 or start and not us:
        return False
    if call["follow"] is not None:  # "Follow The Daily Planet on X": a named account too
        return us or not named or named[0][:1].isupper()
    return us or call["subscribe"] is not None


def _clause_starts(sentence: str) -> tuple[int, ...]:
    return (0, *(clause.end() for clause in patterns.CLAUSE_START.finditer(sentence)))


@_short(40)
def social_follow(text: str, context: Context) -> bool:
    """"Follow us on Facebook", "Suivez-nous", "Подписывайтесь на наш Telegram-канал", "Follow our newsletter"."""
    if _quoted(text):
        return False
    announce = patterns.ON_NETWORK.match(text)
    if announce and context.words <= 8 and patterns.NETWORK.match(text, announce.end()):
        return True
    sentences = _SENTENCE_OR_LINE_END.split(text.strip())
    calls = [any(_follows(sentence, start) for start in _clause_starts(sentence)) for sentence in sentences]
    # The whole block is the promo: its other sentences only lead in ("Want more?") or give contact details.
    return any(calls) and all(call or _lead_in(sentence) or patterns.CONTACT.search(sentence)
                              for sentence, call in zip(sentences, calls, strict=True))


@_short(40)
def copyright_notice(text: str, context: Context) -> bool:
    """"© 2024 The Daily Planet", "(c) dpa", "Alle Rechte vorbehalten.", "Reproduction interdite."."""
    if patterns.COPYRIGHT_MARK.match(text) or patterns.REPRINT_NOTICE.match(text):
        return True
    return (context.outside_story or context.words <= 12) and bool(patterns.RIGHTS_NOTICE.search(text))


@_short(12)
def byline_name(text: str, context: Context) -> bool:
    """A line that is only the record's author name(s), maybe with their role, before or after the story:
    "Anna Berg", "Von Anna Berg und Jan Holm", "Anna Berg, Transport Editor"."""
    if not context.authors or not context.outside_story:
        return False
    parts = [fold(part.strip(" .:–—-")) for part in patterns.NAME_SEPARATOR.split(patterns.BYLINE_LABEL.sub("", text))]
    parts = [part for part in parts if part]
    named = [_is_author(part, context.authors) for part in parts]
    return any(named) and all(name or patterns.BYLINE_ROLE.match(part) for part, name in zip(parts, named, strict=True))


def _is_author(part: str, authors: frozenset[str]) -> bool:
    """One of the authors, maybe followed by a role ("Anna Berg Editor"), or the first two or more words of one
    (the metadata may have glued a role to the name)."""
    for author in authors:
        if part == author or " " in part and author.startswith(f"{part} "):
            return True
        if part.startswith(f"{author} ") and patterns.BYLINE_ROLE.match(part[len(author) + 1:]):
            return True
    return False


@_short()
def tag_line(text: str, context: Context) -> bool:
    """"Tags: transport; city council"."""
    return bool(patterns.TAG_LIST.match(text))


@_short(12)
def photo_credit(text: str, context: Context) -> bool:
    """"Photo: Getty Images", "(Reuters)" alone."""
    return bool(patterns.CREDIT.match(text))


@_short(80)
def author_bio(text: str, context: Context) -> bool:
    """"NAME is a reporter covering ..." at the end of the story."""
    return context.index >= len(context.blocks) - 3 and bool(patterns.AUTHOR_BIO.match(text))


@_short(60)
def photo_caption(text: str, context: Context) -> bool:
    """A caption left in the text: "X, center, meets Y, left, in Moscow, Feb. 6, 2015"."""
    return bool(patterns.CAPTION_POSITION.search(text) or (context.index == 0 and patterns.CAPTION_DATELINE.search(text)))


def separator(text: str, context: Context) -> bool:
    """A block with no word at all ("-", "•", "***" between teasers)."""
    return patterns.WORD.search(text) is None


@_short(8)
def reading_time(text: str, context: Context) -> bool:
    """"3 min read", "Tempo de leitura: 2 minutos"."""
    return bool(patterns.READING_TIME.match(text))


@_short(30)
def post_meta(text: str, context: Context) -> bool:
    """A blog post's meta line: "05/10/2018 - Publicado por: Ana - Categoria: Saúde - Tags: x"."""
    return (context.outside_story and not text.rstrip().endswith((".", "!", "?"))
            and len({match.group().strip(" |·•/–—-:").casefold() for match in patterns.POST_META_FIELD.finditer(text)}) >= 2)


HEADLINE_MAX_WORDS = 20


@_short(80)
def related_link_list(text: str, context: Context) -> bool:
    """A teaser heading with its headlines in one paragraph: "DON'T MISS" and a headline per line."""
    heading, *lines = text.split("\n")
    return (len(lines) >= 2 and bool(patterns.RELATED_HEADING.match(heading))
            and all(_words(line) <= HEADLINE_MAX_WORDS and not line.rstrip().endswith(".") for line in lines))


@_short(8)
def related_heading(text: str, context: Context) -> bool:
    """A heading left over from a teaser list: "You may also like...", "Most read in world news", "More:"."""
    ends_like_heading = text.rstrip().endswith((":", "…", "..."))
    return bool(patterns.RELATED_HEADING.match(text)) and (ends_like_heading or context.words >= 2)


DATELINE_MAX_WORDS = 15
DATELINES_MAX = 2  # a story has a dateline or two; more dates alone are its data (a table's rows, an events list)


def _is_dateline(text: str) -> bool:
    if len(patterns.DATE_TOKEN.findall(text)) < 2 or not patterns.DATE_ANCHOR.search(text):
        return False
    rest = patterns.DATELINE_FILLER.sub(" ", patterns.DATE_TOKEN.sub(" ", text))
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 1


def dateline(text: str, context: Context) -> bool:
    """A block that is only a date and time, maybe with "by NAME": "November 20, 2019 - 11:28 AMT"."""
    return context.index in context.datelines and len(context.datelines) <= DATELINES_MAX


@_short(60)
def contributor_credit(text: str, context: Context) -> bool:
    """"Reporting by X; Editing by Y", "Jane Doe contributed to this report.", "Source: News agencies"."""
    return bool(patterns.CONTRIBUTOR_CREDIT.search(text))


@_short()
def link_promo(text: str, context: Context) -> bool:
    """"Follow our full coverage at https://...": a short call to go to another address."""
    return bool(patterns.LINK_PROMO.match(text))


def repeated_headline(text: str, context: Context) -> bool:
    """The headline again at the top of the body: the record keeps it in ``title``."""
    return context.index < 3 and fold(text) in context.titles


LINE_RULES: tuple[tuple[str, LineRule], ...] = (
    ("repeated_headline", repeated_headline),
    ("reading_time", reading_time),
    ("related_heading", related_heading),
    ("related_link_list", related_link_list),
    ("post_meta", post_meta),
    ("dateline", dateline),
    ("contributor_credit", contributor_credit),
    ("link_promo", link_promo),
    ("social_follow", social_follow),
    ("subscription_promo", subscription_promo),
    ("teaser_byline", teaser_byline),
    ("byline_name", byline_name),
    ("media_intro", media_intro),
    ("video_fallback", video_fallback),
    ("share_prompt", share_prompt),
    ("advertisement_label", advertisement_label),
    ("read_more_promo", read_more_promo),
    ("comment_widget", comment_widget),
    ("tag_line", tag_line),
    ("copyright_notice", copyright_notice),
    ("photo_credit", photo_credit),
    ("author_bio", author_bio),
    ("photo_caption", photo_caption),
    ("separator", separator),
)

# Rules whose removed blocks mark the short text between them as part of the same furniture.
_PROMO_RULES = frozenset({"subscription_promo"})
_CARD_EDGES = frozenset({"teaser_byline", "separator", "subscription_promo", "read_more_promo"})
RUN_MAX_WORDS = 35


def _short_run(words: list[int], names: list[str | None], start: int, limit: int) -> int:
    """End (exclusive) of the run of at most ``limit`` kept short blocks starting at ``start``."""
    end = start
    while end < len(words) and names[end] is None and end - start < limit and words[end] <= RUN_MAX_WORDS:
        end += 1
    return end


def _mark_runs(words: list[int], names: list[str | None], skip_rules: Collection[str]) -> None:
    """teaser_card: headline and kicker lines before a teaser's byline;
    promo_strapline: short lines between two parts of one promo box."""
    start = 0
    while start < len(words):
        if names[start] is not None:
            start += 1
            continue
        end = _short_run(words, names, start, 3)
        before = names[start - 1] if start else None
        after = names[end] if end < len(words) else None
        if (end > start and after == "teaser_byline" and (start == 0 or before in _CARD_EDGES)
                and "teaser_card" not in skip_rules):
            names[start:end] = ["teaser_card"] * (end - start)
        elif (end > start and end - start <= 2 and before in _PROMO_RULES and after in _PROMO_RULES
              and "promo_strapline" not in skip_rules):
            names[start:end] = ["promo_strapline"] * (end - start)
        start = max(end, start + 1)


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _story_span(words: list[int]) -> tuple[int, int]:
    """First and last story-length paragraph; the whole text when none is that long (nothing is outside it)."""
    long = [index for index, count in enumerate(words) if count >= STORY_PARAGRAPH_WORDS]
    return (long[0], long[-1]) if long else (0, len(words) - 1)


def name_blocks(blocks: list[str], titles: Iterable[str] = (), authors: Iterable[str] = (),
                skip_rules: Collection[str] = ()) -> list[str | None]:
    """The rule (but those in ``skip_rules``) that removes each block, or None for story text."""
    folded = frozenset(fold(title) for title in titles if title)
    names_of_authors = frozenset(fold(author) for author in authors if author)
    rules = [(name, rule) for name, rule in LINE_RULES if name not in skip_rules]
    words = [_words(text) for text in blocks]
    story = _story_span(words)
    datelines = frozenset(index for index, (text, count) in enumerate(zip(blocks, words, strict=True))
                          if count <= DATELINE_MAX_WORDS and _is_dateline(text))
    names: list[str | None] = []
    for index, text in enumerate(blocks):
        context = Context(index, blocks, names[-1] if names else None, words[index], story, folded, names_of_authors,
                          datelines)
        names.append(next((name for name, rule in rules if rule(text, context)), None))
    _mark_runs(words, names, skip_rules)
    return names


def remove_lines(blocks: list[str], titles: Iterable[str] = (), authors: Iterable[str] = (),
                 skip_rules: Collection[str] = ()) -> tuple[list[str], dict[str, int]]:
    """Return the blocks that are story text, and how many each rule (but those in ``skip_rules``) removed."""
    names = name_blocks(blocks, titles, authors, skip_rules)
    removed: dict[str, int] = {}
    for name in filter(None, names):
        removed[name] = removed.get(name, 0) + 1
    return [text for text, name in zip(blocks, names, strict=True) if name is None], removed
