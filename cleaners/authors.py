"""Author names from bylines: labels, roles, credentials and dates stripped, the name kept.

A byline is what the page declares ("By Ana Ruiz, Staff Writer", "Author: Tom Vale Tech
Reporter", "Written by the Editorial Team"): the name survives, the furniture around
it goes. An organisation named as the author is kept only when no person is named.
"""

from __future__ import annotations

import re
from html import unescape

_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august"
           r"|september|october|november|december)")
# Text before the name: "By", "Written by", "Author:", "View all posts by", in the claimed languages.
_LABEL = re.compile(
    r"^(?:about|meet|more\s+(?:from|about|by)|view\s+all\s+(?:posts|articles|stories)\s+by"
    r"|read\s+more\s+(?:about|from|by)|(?:this\s+(?:post|article|story)\s+was\s+)?"
    r"(?:posted|written|authored|article|story|words|text|report(?:ed)?|recipe|photos?)\s+by"
    r"|by|the\s+author|authors?|(?:geschrieben\s+)?von|autor(?:in)?|verfasst\s+von|(?:écrit\s+)?par|auteur"
    r"|(?:escrito\s+)?por"
    r"|autor[ae]?|(?:scritto\s+)?da|di|autore|door|geschreven\s+door|napisał[a]?|autorka|автор|от|від)\b\s*[:：|-]?\s*",
    re.I,
)
# "16 December 2025 by Sam O'Brien": a label after a dateline or a section name starts the name.
_INNER_LABEL = re.compile(r"(?:^|\s)(?:by|von|par|por|door)\s+(?=(?-i:[A-ZÀ-ÖØ-ÞА-ЯІЇЄ]))", re.I)
# Someone else than the author, and everything after: "Reviewed by X", "Fact checked by Y".
_OTHER_ROLE = re.compile(r"\s*(?:(?:medically\s+|expert\s+)?reviewed|fact[-\s]?checked|edited|researched|illustrated"
                         r"|photograph(?:s|ed))\s+by\b.*$", re.I)
# A date, a publishing verb, a reading time or share buttons after the name: "Supermove February 8, 2022 • 10 min".
_DATE_TAIL = re.compile(
    r"\s*[,|·•–-]?\s*(?:\b(?:last\s+)?(?:updated|update|published|posted|modified|veröffentlicht|aktualisiert|publié"
    r"|mis\s+à\s+jour|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|opublikowano|опубликовано|обновлено"
    rf"|опубліковано)\b|\bon\s+\w+\s+\d|\b{_MONTHS}\.?\s+\d|(?<!\w)\d+(?![^\W\d])"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?:facebook|twitter|tweet|linkedin|instagram|pinterest|pin|whatsapp|e-?mail)\b).*$",
    re.I,
)
_TRAILING_WORD = re.compile(r"\s+(?:on|at|in|from|am|le|el|il)$")  # a date's preposition left behind
_TRAILING_MONTH = re.compile(rf"\s+{_MONTHS}\.?$", re.I)
# Job titles after the name. Without a separator the qualifiers are a closed list: a free word before a
# role may be a surname ("Tom Vale Tech Reporter"); after a comma or a dash any words may qualify it.
_QUALIFIER = (r"(?:sr\.?|jr\.?|vp|senior|junior|staff|contributing|freelance|guest|chief|deputy|associate|assistant"
              r"|managing|executive|lead|head|former|special|digital|tech(?:nology)?|news|sports?|political|business"
              r"|science|health|travel|food|culture|features?|investigative|foreign|local|national|international"
              r"|content|commerce|shopping|social|media|video|audio|data|research|editorial|founding|co|general|legal"
              r"|financial|certified|registered|product|marketing|ai|seo)")
_ROLE_NOUN = (r"(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|photographer|author|blogger"
              r"|producer|analyst|reviewer|expert|strategist|specialist|consultant|founder|co-founder|owner|ceo|cto|cmo"
              r"|president|director|manager|intern|critic|host|presenter|anchor|marketer|coordinator|officer|engineer"
              r"|developer|designer|researcher|scientist|advis[eo]r|attorney|lawyer|dietitian|nutritionist|therapist"
              r"|coach|trainer|redakteur(?:in)?|korrespondent(?:in)?|autor(?:in)?|journaliste|rédact(?:eur|rice)"
              r"|correspondant(?:e)?|chroniqueu(?:r|se)|periodista|redactor[a]?|corresponsal|redattore|redattrice"
              r"|giornalista|inviat[oa]|jornalista|redator[a]?|correspondente|redacteur|verslaggever|dziennikarz"
              r"|dziennikarka|redaktor|korespondent(?:ka)?|корреспондент|журналист(?:ка)?|редактор|кореспондент"
              r"|журналіст(?:ка)?|обозреватель|оглядач)")
_ROLE_OF = r"(?:\s+(?:at|of|for|bei|chez|de|di|en)\s+.*)?"
_ROLE_AFTER_SEPARATOR = re.compile(rf"\s*[,|–—-]\s*(?:[\w.&-]+\s+){{0,3}}{_ROLE_NOUN}s?{_ROLE_OF}$", re.I)
_ROLE_TAIL = re.compile(rf"\s+(?:{_QUALIFIER}[\s-]+){{0,3}}{_ROLE_NOUN}s?{_ROLE_OF}$", re.I)
_ROLE_ONLY = re.compile(rf"^(?:(?:{_QUALIFIER}|the|our|a)[\s-]+){{0,3}}{_ROLE_NOUN}s?{_ROLE_OF}$", re.I)
_ENDS_WITH_ROLE = re.compile(rf"^(?:[\w.&-]+\s+){{0,3}}{_ROLE_NOUN}s?{_ROLE_OF}$", re.I)
# Degrees and certifications written after a name: "Shelby Loos, DVM", "Genevieve Carlton, Ph.D.".
_CREDENTIAL = re.compile(
    r"^(?:md|do|phd|ph\s?d|rn|bsn|msn|ms|msc|bsc|ba|ma|mba|rd|ldn|cdn|dvm|vmd|lvt|cpa|cfp|cfa|jd|esq|jr|sr|ii|iii|iv"
    r"|dacvb|facp|faclm|fand|frcp|mph|lcsw|lmft|pharmd|np|pa-c|e-ryt|ryt)$",
    re.I,
)
_SPLIT = re.compile(
    r"\s*(?:;|\||,|[•●·▪]|\band\b|&|\+|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bi\b|\boraz\b|\bи\b|\bі\b)\s*", re.I)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|\bcontact\b|\bfollow\b|\bsubscribe\b|\bsign\s+up\b|\bshare\b|\bbio\b"
                         r"|\blearn\b|\beditorial\s+(?:polic|process|guidelines|standards)", re.I)
_HANDLE = re.compile(r"\w\.\w")  # "jane.doe", "example.com", "page.head.author": an account or a template key
# Accounts and placeholders a CMS writes where a name should be.
_PLACEHOLDERS = frozenset({"admin", "administrator", "webmaster", "editor", "editors", "user", "guest", "redaktion",
                           "undefined", "null", "none", "unknown", "anonymous", "name", "author", "staff", "team"})
_CALENDAR_WORDS = frozenset({"january", "february", "march", "april", "june", "july", "august", "september", "october",
                             "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                             "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                             "sunday", "today", "yesterday"})
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "del", "della", "la", "le", "du", "dos", "das",
                        "do", "bin", "ibn", "al", "el", "ter", "zu", "y", "e"})
_STRIP = " .,:;-–—|·•»«›"
MAX_NAME_WORDS = 5


def _strip_label(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _LABEL.sub("", text, count=1).strip(_STRIP)
    return text


def _clean_name(part: str) -> str | None:
    """The name in one byline part, or None when it holds no name."""
    name = _DATE_TAIL.sub("", _strip_label(part.strip(_STRIP))).strip(_STRIP)
    if _ROLE_ONLY.match(name):
        return None
    name = _ROLE_AFTER_SEPARATOR.sub("", name).strip(_STRIP)
    # "SFist Contributor", "Luxury Travel Expert": a role that would leave one word is part of the name.
    while (shorter := _ROLE_TAIL.sub("", name).strip(_STRIP)) != name and len(shorter.split()) > 1:
        name = shorter
    if len(name.split()) > 2:  # "Luke Kim December": a date's leftover ("Tom May" keeps his surname)
        name = _TRAILING_MONTH.sub("", name)
    while len(name.split()) > 2 and _CREDENTIAL.match(name.rsplit(None, 1)[1].replace(".", "")):
        name = name.rsplit(None, 1)[0]  # "Cara Dumaplin RN"
    name = _TRAILING_WORD.sub("", name)
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or _CREDENTIAL.match(name.replace(".", "").replace(" ", "")):
        return None
    if _NOT_A_NAME.search(name) or len(words) == 1 and (_HANDLE.search(name) or any(c.isdigit() for c in name)):
        return None
    if name.casefold() in _PLACEHOLDERS or len(words) == 1 and (name.casefold() in _CALENDAR_WORDS or len(name) < 3):
        return None
    return name.title() if name.isupper() and len(name) > 4 else name


def _is_capitalised(name: str) -> bool:
    return all(word[0].isupper() or not word[0].isalpha() or word in _PARTICLES for word in name.split())


def byline_names(candidates: list[str], *, visible: bool = False) -> list[str]:
    """Every name in the bylines, in order, once each.

    A ``visible`` byline is page text: its names must be capitalised ("By Friday, the council ..." names nobody).
    """
    names: list[str] = []
    for candidate in candidates:
        if _NOT_A_NAME.match(candidate.strip()):
            continue  # a profile URL or an address: no name in it
        text = _OTHER_ROLE.sub("", " ".join(unescape(unescape(candidate)).split()))
        if (inner := _INNER_LABEL.search(text)) and inner.start() > 0:
            text = text[inner.end():]
        for index, part in enumerate(_SPLIT.split(_DATE_TAIL.sub("", _strip_label(text)))):
            if index and _ENDS_WITH_ROLE.match(part.strip(_STRIP)):
                continue  # "Sofia Kondrat, EdTech Content Writer": the role of the name before it
            name = _clean_name(part)
            if name and name not in names and (not visible or _is_capitalised(name)):
                names.append(name)
    return names


def is_organisation(name: str, site: str | None, publisher: str | None) -> bool:
    """True for the site's or publisher's own name (or a name containing it: "Podium Staff")."""
    folded = name.casefold()
    return any(other and (folded == other.casefold() or other.casefold() in folded or folded in other.casefold())
               for other in (site, publisher))


def clean_authors(candidates: list[str], site: str | None, publisher: str | None, *,
                  visible: bool = False) -> list[str]:
    """Person names; the site's own name only when the byline names nobody else."""
    names = byline_names(candidates, visible=visible)
    people = [name for name in names if not is_organisation(name, site, publisher)]
    return people or names
