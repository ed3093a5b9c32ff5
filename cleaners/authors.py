"""Author names from bylines: labels, roles, credentials and dates stripped, the name kept.

A byline is what the page declares ("By Ana Ruiz, Staff Writer", "Author: Tom Vale Tech
Reporter", "Written by the Editorial Team"): the name survives, the furniture around
it goes. An organisation named as the author is kept only when no person is named.
"""

from __future__ import annotations

import re
from html import unescape

# Text before the name: "By", "Written by", "Author:", "View all posts by", in the claimed languages.
_LABEL = re.compile(
    r"^(?:about|meet|more\s+from|view\s+all\s+(?:posts|articles|stories)\s+by|read\s+more\s+(?:about|from|by)"
    r"|(?:posted|written|authored|article|story|words|text|report(?:ed)?|recipe|photos?)\s+by|by|the\s+author|authors?"
    r"|(?:geschrieben\s+)?von|autor(?:in)?|verfasst\s+von|(?:écrit\s+)?par|auteur|(?:escrito\s+)?por|autor[ae]?"
    r"|(?:scritto\s+)?da|di|autore|door|geschreven\s+door|auteur|napisał[a]?|autorka|автор|от|від)\b\s*[:：|-]?\s*",
    re.I,
)
# Someone else than the author, and everything after: "Reviewed by X", "Fact checked by Y".
_OTHER_ROLE = re.compile(r"\s*(?:(?:medically\s+|expert\s+)?reviewed|fact[-\s]?checked|edited|illustrated|photograph(?:s|ed))\s+by\b.*$", re.I)
# A date or a publishing verb after the name: "Supermove February 8", "Lead Reviewer Updated Feb".
_DATE_TAIL = re.compile(
    r"\s*[,|·•–-]?\s*(?:\b(?:last\s+)?(?:updated|published|posted|modified|veröffentlicht|aktualisiert|publié|mis\s+à\s+jour"
    r"|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|opublikowano|опубликовано|обновлено|опубліковано)\b"
    r"|\bon\s+\w+\s+\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\d+\s+(?:min|minutes?|hours?|days?)\b).*$",
    re.I,
)
# Job titles after the name (qualifiers are a closed list: a free word before a role may be a surname).
_QUALIFIER = (r"(?:sr\.?|jr\.?|vp|senior|junior|staff|contributing|freelance|guest|chief|deputy|associate|assistant|managing|executive|lead"
              r"|head|former|special|digital|tech(?:nology)?|news|sports?|political|business|science|health|travel|food"
              r"|culture|features?|investigative|foreign|local|national|international|content|commerce|shopping|social"
              r"|media|video|audio|data|research|editorial|founding|co|general|legal|financial|certified|registered)")
_ROLE_NOUN = (r"(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|photographer|author|blogger"
              r"|producer|analyst|reviewer|expert|strategist|specialist|consultant|founder|co-founder|owner|ceo|cto|cmo"
              r"|president|director|manager|intern|critic|host|presenter|anchor|redakteur(?:in)?|korrespondent(?:in)?"
              r"|autor(?:in)?|journaliste|rédact(?:eur|rice)|correspondant(?:e)?|chroniqueu(?:r|se)|periodista|redactor[a]?"
              r"|corresponsal|redattore|redattrice|giornalista|inviat[oa]|jornalista|redator[a]?|correspondente|redacteur"
              r"|verslaggever|correspondent|dziennikarz|dziennikarka|redaktor|korespondent(?:ka)?|корреспондент|журналист(?:ка)?"
              r"|редактор|кореспондент|журналіст(?:ка)?|обозреватель|оглядач)")
_ROLE_TAIL = re.compile(rf"(?:\s*[,|–-]\s*|\s+)(?:{_QUALIFIER}[\s-]+){{0,3}}{_ROLE_NOUN}s?(?:\s+(?:at|of|for|bei|chez|de|di|en)\s+.*)?$", re.I)
_ROLE_ONLY = re.compile(rf"^(?:(?:{_QUALIFIER}|the|our|a)[\s-]+){{0,3}}{_ROLE_NOUN}s?(?:\s+(?:at|of|for)\s+.*)?$", re.I)
# Degrees and certifications written after a name: "Shelby Loos, DVM", "Genevieve Carlton, Ph.D.".
_CREDENTIAL = re.compile(
    r"^(?:md|do|phd|ph\s?d|rn|bsn|msn|ms|msc|bsc|ba|ma|mba|rd|ldn|cdn|dvm|vmd|lvt|cpa|cfp|cfa|jd|esq|jr|sr|ii|iii|iv"
    r"|dacvb|facp|faclm|fand|frcp|mph|lcsw|lmft|pharmd|np|pa-c|e-ryt\s*\d*|ryt\s*\d*)$",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:;|\||,|\band\b|&|\+|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bi\b|\boraz\b|\bи\b|\bі\b)\s*", re.I)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|\be-?mail\b|\bcontact\b|\bfollow\b|\bsubscribe\b|\bsign\s+up\b|\bshare\b", re.I)
# Accounts and placeholders a CMS writes where a name should be.
_PLACEHOLDERS = frozenset({"admin", "administrator", "webmaster", "editor", "editors", "user", "guest", "redaktion",
                           "undefined", "null", "none", "unknown", "anonymous", "name", "author", "staff", "team"})
_CALENDAR_WORDS = frozenset({"january", "february", "march", "april", "june", "july", "august", "september", "october",
                             "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                             "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                             "sunday", "today", "yesterday"})
_HANDLE = re.compile(r"\w\.\w")  # "jane.doe", "example.com", "page.head.author": an account or a template key
MAX_NAME_WORDS = 6


def _strip_label(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _LABEL.sub("", text, count=1).strip(" .,:-–|")
    return text


def _clean_name(part: str) -> str | None:
    """The name in one byline part, or None when it holds no name."""
    name = _strip_label(part.strip(" .,:;-–|·•"))
    name = _DATE_TAIL.sub("", name).strip(" .,:-–|")
    if _ROLE_ONLY.match(name):
        return None
    # "SFist Contributor", "Luxury Travel Expert": a role that leaves one word is part of the name.
    while (shorter := _ROLE_TAIL.sub("", name).strip(" .,:-–|")) != name and len(shorter.split()) > 1:
        name = shorter
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or _ROLE_ONLY.match(name) or _CREDENTIAL.match(name.replace(".", "")):
        return None
    if _NOT_A_NAME.search(name) or len(words) == 1 and (any(ch.isdigit() for ch in name) or _HANDLE.search(name)):
        return None
    if name.casefold() in _PLACEHOLDERS or len(words) == 1 and (name.casefold() in _CALENDAR_WORDS or len(name) < 3):
        return None
    return name.title() if name.isupper() and len(name) > 4 else name


def byline_names(candidates: list[str]) -> list[str]:
    """Every name in the bylines, in order, once each."""
    names: list[str] = []
    for candidate in candidates:
        if _NOT_A_NAME.match(candidate.strip()):
            continue  # a profile URL or an address: no name in it
        text = _OTHER_ROLE.sub("", " ".join(unescape(unescape(candidate)).split()))
        for part in _SPLIT.split(_strip_label(text)):
            name = _clean_name(part)
            if name and name not in names:
                names.append(name)
    return names


def is_organisation(name: str, site: str | None, publisher: str | None) -> bool:
    """True for the site's or publisher's own name (or a name containing it: "Podium Staff")."""
    folded = name.casefold()
    return any(other and (folded == other.casefold() or other.casefold() in folded or folded in other.casefold())
               for other in (site, publisher))


def clean_authors(candidates: list[str], site: str | None, publisher: str | None) -> list[str]:
    """Person names; the site's own name only when the byline names nobody else."""
    names = byline_names(candidates)
    people = [name for name in names if not is_organisation(name, site, publisher)]
    return people or names
