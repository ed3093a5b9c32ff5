"""A fault-injection news site on 127.0.0.1 for crawl tests, and helpers to crawl it.

``FaultServer`` serves, on purpose, everything a crawler meets on the open web:
error statuses (404, 410, 429 and 503 with Retry-After, 500, a 503 asking for an
hour), a response that
stalls, a body that drips one byte a second, a connection reset mid-body, a
truncated gzip body, a gzip bomb, a 50 MB page, a redirect loop and a 30-hop
redirect chain, binary bodies labelled text/html, pages in windows-1251,
Shift_JIS and ISO-8859-1 with missing or wrong charset declarations, malformed
HTML, an empty 200, XML-bomb and external-entity sitemaps and feed, a calendar
trap, a robots.txt that disallows part of the site, and good articles.

    with serve_faults() as server:      # binds 127.0.0.1 on a free port
        server.base_url                 # "http://127.0.0.1:PORT"
        server.hits["/status/404"]      # how often a path was requested

The server is threaded, binds 127.0.0.1 only, and stops itself after
``max_lifetime`` seconds even if nobody stops it. ``site="news"`` serves a plain
site of generated articles instead (the kill-and-resume test; with ``extra_links`` on its
front page, e.g. its ``/slow/stall/<n>`` and ``/slow/drip`` pages, for the fault-cost tests).

``python -m tests.faultserver`` runs it in the foreground.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]
    language: str = "en"
    author: str = "Staff reporter"
    published: str = "2024-03-12T09:30:00+00:00"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


STORIES: dict[str, Story] = {
    "harbour-dredging": Story("Harbour dredging to start in September", (
        "Dredging of the old harbour will begin in September after the port authority approved a contract worth"
        " eleven million euros on Monday, ending years of argument about who should pay for the work.",
        "Silt has built up so quickly since the breakwater was extended that larger fishing boats can only enter the"
        " basin for two hours either side of high tide, and two ferry operators have threatened to move elsewhere.",
        "The contractor will remove about four hundred thousand cubic metres of sediment over eighteen months. Most"
        " of it will be tested for heavy metals and then used to rebuild the eroded dunes north of the town.",
        "Fishermen welcomed the decision but asked the authority to schedule the noisiest work outside the spring"
        " spawning season, when the bay is closed to trawling and the catch is already at its lowest.",
    ), author="Ines Moreau"),
    "library-hours": Story("Central library to open on Sundays from April", (
        "The central library will open on Sunday afternoons from the first week of April, the culture department"
        " announced, after a petition signed by more than six thousand residents asked for longer hours.",
        "The reading rooms, the children's floor and the public computers will be available from noon until five"
        " o'clock. The archive and the rare books collection will stay closed on Sundays for the time being.",
        "Staff unions agreed to the change after the city promised that weekend shifts would be voluntary and paid"
        " at a higher rate, and that two additional librarians would be hired before the summer holidays.",
        "Students preparing for exams were among the loudest supporters of the petition. Many of them said the"
        " library was the only quiet place with reliable internet access that they could reach on foot.",
    ), author="Tomasz Wiercik"),
    "wind-farm": Story("Offshore wind farm wins planning consent", (
        "An offshore wind farm of forty turbines twelve kilometres off the northern cape received planning consent"
        " on Thursday, despite objections from birdwatchers and a sailing club that races in the area.",
        "The developer says the turbines will supply enough electricity for roughly two hundred thousand homes once"
        " they are connected in three years, and that a new substation will be built on the disused airfield.",
        "Ornithologists had warned that the site lies on a migration route used by geese every autumn. The consent"
        " requires the operator to stop the blades on nights when radar shows large flocks approaching the coast.",
        "The sailing club will lose part of its traditional course, but the regional council has offered to mark a"
        " new route closer to the shore and to pay for new buoys and a replacement committee boat.",
    ), author="Saoirse Dunne"),
    "bus-strike": Story("Bus drivers announce three-day strike over rosters", (
        "Bus drivers will strike for three days next week after talks about new shift rosters broke down late on"
        " Wednesday night, the transport union said, leaving most suburban routes without any service.",
        "The dispute is about split shifts, which the operator introduced in January to cover the morning and"
        " evening peaks. Drivers say the long unpaid break in the middle of the day makes their working day too long.",
        "The operator says the rosters are needed to keep the timetable without hiring another ninety drivers, and"
        " it has offered a bonus for every split shift worked. The union rejected that offer as far too small.",
        "Trams and the underground will run normally during the strike. The city has asked employers to let staff"
        " work from home and has opened extra park-and-ride spaces at the three largest tram terminals.",
    ), author="Kwame Asante"),
    "school-meals": Story("Free school meals extended to secondary pupils", (
        "Free lunches will be offered to every secondary school pupil from the autumn term, the education minister"
        " said on Tuesday, extending a scheme that has covered primary schools for the past two years.",
        "The scheme will cost about forty million a year. The ministry says it will be paid for by closing a tax"
        " exemption on company cars that mostly benefited high earners in the capital region.",
        "Head teachers welcomed the plan but warned that many older school buildings have kitchens that are far too"
        " small to cook for a thousand pupils and will need new equipment before the scheme can start.",
        "Nutritionists said the menus should be written with the pupils themselves, because earlier pilot schemes"
        " found that teenagers simply left the canteen and bought food elsewhere when they disliked the meals.",
    ), author="Priya Raman"),
    "bridge-repairs": Story("Swing bridge to close for six weeks of repairs", (
        "The old swing bridge across the canal will close to traffic for six weeks from the middle of May so that"
        " engineers can replace the corroded gears that turn the deck for passing barges.",
        "The bridge, built in 1896, is the only crossing for cars between the two halves of the harbour district."
        " Drivers will face a diversion of about four kilometres through the industrial estate during the works.",
        "A temporary footbridge will be installed next to the swing bridge, and a free shuttle boat will run every"
        " ten minutes between the market square and the railway station while the works continue.",
        "Shopkeepers on the eastern bank fear losing customers during the closure and asked the council to waive"
        " their market fees for the period. The council said it would consider the request next month.",
    ), author="Olaf Brenner"),
    "museum-roof": Story("Natural history museum reopens after roof collapse", (
        "The natural history museum reopened on Saturday, fourteen months after part of its glass roof collapsed"
        " during a winter storm and damaged the hall that houses the whale skeleton.",
        "Conservators spent most of last year cleaning and reassembling the skeleton, which had been hit by falling"
        " panes. Only three of the more than three hundred bones had to be replaced with careful replicas.",
        "The new roof uses laminated glass and a steel frame designed to carry heavy snow. The museum also took the"
        " opportunity to install a lift, so that the upper galleries can now be reached in a wheelchair.",
        "More than four thousand people visited on the first day. The director said admission would stay free"
        " until the end of the month to thank the volunteers and donors who paid for much of the restoration.",
    ), author="Helena Kowalczyk"),
    "orchard-frost": Story("Late frost destroys much of the cherry harvest", (
        "A late frost at the end of April has destroyed up to two thirds of the cherry harvest in the valley,"
        " growers said on Friday, the worst loss since records began more than fifty years ago.",
        "Temperatures fell to four degrees below zero for several hours just as the trees were in full blossom."
        " Growers lit fires and ran sprinklers through the night, but the cold air pooled on the valley floor.",
        "The regional government has promised emergency payments for growers who lost more than half of their"
        " crop. Insurance covers few of them, because premiums have risen steeply after three bad years in a row.",
        "Prices for cherries at the weekly market are expected to double this summer. Some growers are considering"
        " switching to late-flowering apple varieties that are less likely to be caught by spring frosts.",
    ), author="Marta Lindholm"),
    "river-cleanup": Story("Volunteers pull two tonnes of rubbish from the river", (
        "More than three hundred volunteers pulled about two tonnes of rubbish from the river on Sunday in the"
        " largest clean-up the town has organised since the annual event began a decade ago.",
        "Shopping trolleys, bicycles, a motorbike and hundreds of plastic bottles were dragged from the water and"
        " the banks. Divers from the sports club searched the deeper pool below the weir for heavier objects.",
        "Organisers said the amount of plastic had fallen since the deposit scheme for bottles began, but that"
        " they found more disposable vapes and food delivery packaging than in any of the previous years.",
        "The water authority lent boats and collected the rubbish in skips. It will publish an analysis of what was"
        " found and use it to decide where to place new litter traps upstream of the town centre.",
    ), author="Daniel Okafor"),
    "marathon-route": Story("City marathon changes route to avoid roadworks", (
        "The city marathon will follow a new route this year because of roadworks on the ring road, the organisers"
        " said, moving the start and finish from the stadium to the park beside the royal palace.",
        "The new course is flatter than the old one, with only one climb over the river bridge at the halfway"
        " point. Organisers expect faster finishing times and have invited several elite runners from abroad.",
        "Residents of the old town will have to move their cars the evening before the race, because the route now"
        " passes through six narrow streets where parking will be banned from midnight until the late afternoon.",
        "Registration opens on Monday and is limited to twelve thousand runners. Places for the shorter fun run"
        " for children will be given out in a lottery among local schools in the following week.",
    ), author="Lucia Ferrante"),
    "cycle-lanes": Story("Protected cycle lanes planned for the main avenue", (
        "Protected cycle lanes will be built along the whole length of the main avenue next year, the transport"
        " committee decided on Wednesday after a study found cycling on the street had doubled since 2019.",
        "The lanes will be separated from traffic by low concrete kerbs and planters. One of the two car lanes in"
        " each direction will be removed, and delivery bays will be moved into the side streets nearby.",
        "Shop owners were divided. Some said customers arrive by bicycle more often than by car, while others feared"
        " that fewer parking spaces would drive older customers to the shopping centre outside town.",
        "The work is expected to take seven months and will be done section by section, so that buses can keep"
        " running on the avenue throughout. The national cycling fund will pay for half of the total cost.",
    ), author="Jonas Aberg"),
    "council-budget": Story("Council budget draft leaked before the vote", (
        "A draft of the council budget marked confidential has circulated among journalists a week before the"
        " vote, showing plans to cut funding for youth centres and raise parking charges across the city.",
        "The draft proposes closing two of the five youth centres and merging the others, which would save about"
        " two million a year. Parking charges in the centre would rise by a third from the start of next year.",
        "The finance committee said the document was an early version and that several of the proposals had"
        " already been dropped. It asked journalists not to publish details before the official presentation.",
        "Opposition councillors called for the full draft to be published so that residents could comment on it"
        " before the vote rather than after, and said they would table a motion to that effect on Thursday.",
    ), author="Ruth Abernathy"),
}

RUSSIAN = Story("Трамвайную линию продлят до северных районов", (
    "Городской совет во вторник одобрил продление трамвайной линии в северные районы после десяти лет задержек,"
    " которые раздражали жителей и предпринимателей вдоль всего будущего маршрута.",
    "Новая линия добавит четыре километра путей и пять остановок, а первые трамваи пойдут весной, если"
    " строительство начнётся этой осенью, как и планирует городская транспортная компания.",
    "Председатель транспортного комитета назвала это решение самым важным за последние годы и поблагодарила"
    " жителей за терпение во время долгих общественных слушаний и многочисленных обсуждений.",
    "Депутаты оппозиции поставили под сомнение стоимость проекта, которая выросла на треть с момента первой"
    " оценки, и потребовали независимой проверки всех контрактов до начала любых работ.",
), language="ru", author="Анна Петрова")

JAPANESE = Story("路面電車の北部延伸を市議会が承認", (
    "市議会は火曜日、十年に及ぶ遅れの末、路面電車の北部郊外への延伸を承認した。住民や沿線の商店は長く待っていた。",
    "延伸区間は四キロで五つの停留所が新設され、早ければ再来年の春に最初の電車が走る見込みだと市の担当者は述べた。",
    "交通委員会の委員長は、この決定はここ数年で議会が下した最も重要な判断だと語り、住民の忍耐に感謝した。",
    "野党議員は、事業費が当初の見積もりから三分の一も増えたことを問題視し、着工前に契約の独立した検証を求めた。",
    "沿線の商店街では、工事中の売り上げ減少を心配する声もあるが、開業後の来客増加に期待する店主も多いという。",
), language="ja", author="山田 花子")

GERMAN = Story("Größere Fähre für die Überfahrt zur Insel", (
    "Die Gemeinde bekommt ab dem Frühjahr eine größere Fähre für die Überfahrt zur Insel. Das neue Schiff bietet"
    " Platz für achtzig Autos und fünfhundert Fahrgäste und fährt künftig jede halbe Stunde.",
    "Bürgermeisterin Jürgens sagte, die alte Fähre sei im Sommer regelmäßig überfüllt gewesen, und Pendler hätten"
    " oft zwei Überfahrten lang an der Straße warten müssen, bevor sie überhaupt an Bord kamen.",
    "Die Kosten von vierzehn Millionen Euro tragen das Land und der Landkreis gemeinsam. Für die Anleger an beiden"
    " Ufern sind zusätzliche Umbauten nötig, die während der Wintermonate erledigt werden sollen.",
    "Naturschützer begrüßen, dass das Schiff mit Strom aus Batterien fährt, die nachts an der Küste geladen werden."
    " Sie fordern aber, die Geschwindigkeit im Wattenmeer streng zu begrenzen, um Seehunde zu schützen.",
), language="de", author="Jörg Müller")

FRENCH = Story("Le marché couvert rénové rouvre ses portes", (
    "Le marché couvert du centre-ville a rouvert samedi après deux années de travaux, et les habitants se sont"
    " pressés dès l'aube pour découvrir les étals rénovés et la verrière entièrement restaurée.",
    "La rénovation a coûté près de neuf millions d'euros. Elle a permis de remplacer la charpente métallique"
    " rongée par la rouille et d'installer un système de ventilation qui protège mieux les produits frais.",
    "Les commerçants, relogés pendant les travaux sous des tentes sur la place de l'église, se disent soulagés."
    " Plusieurs d'entre eux craignaient de perdre leur clientèle fidèle pendant cette très longue période.",
    "La mairie prévoit d'ouvrir le marché le dimanche matin à partir de l'été et d'accueillir des producteurs"
    " locaux à des tarifs réduits, afin d'attirer une clientèle plus jeune et de soutenir les fermes voisines.",
), language="fr", author="Hélène Côté")

# Where each good story is served on the fault site, and what the crawl must make of it.
ARTICLE_PATHS = {f"/articles/{slug}": slug for slug in
                 ("harbour-dredging", "library-hours", "wind-farm", "bus-strike")}


def article_html(story: Story, *, charset: str | None = "utf-8", head: str = "", body_prefix: str = "",
                 body_suffix: str = "", close_tags: bool = True) -> str:
    """A news article page; ``charset=None`` leaves out the <meta charset> declaration."""
    end_p = "</p>" if close_tags else ""
    paragraphs = "".join(f"<p>{escape(text)}{end_p}\n" for text in story.paragraphs)
    meta_charset = f'<meta charset="{charset}">' if charset else ""
    closing = "</div></article>" if close_tags else ""
    return f"""<!DOCTYPE html>
<html lang="{story.language}"><head>{meta_charset}<title>{escape(story.title)} | The Fault Line</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="The Fault Line">
<meta property="article:published_time" content="{story.published}">
<meta name="author" content="{escape(story.author)}">{head}</head>
<body><header><nav><a href="/">Home</a> <a href="/calendar/2024-01-01">Events</a></nav></header>
{body_prefix}<main><article><h1>{escape(story.title)}</h1>
<p class="byline">By {escape(story.author)}</p>
<div class="article-body">
{paragraphs}{closing}</main>{body_suffix}
<footer><p>The Fault Line, 1 Test Street</p></footer></body></html>"""


# Generated articles of the plain "news" site (kill and resume): distinct random English-like text.
_WORDS = sorted({word.strip(".,;'\"").lower() for story in STORIES.values() for text in story.paragraphs
                 for word in text.split() if word.isascii() and len(word) > 2})


def generated_story(number: int) -> Story:
    rng = random.Random(f"cleancrawl-news-{number}")
    paragraphs = []
    for _ in range(4):
        sentences = []
        for _ in range(rng.randint(2, 3)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    title = " ".join(rng.choice(_WORDS) for _ in range(6)).capitalize()
    return Story(f"Story {number}: {title}", tuple(paragraphs), author="Wire staff",
                 published=f"2024-02-{1 + number % 28:02d}T08:00:00+00:00")


# --------------------------------------------------------------------------- bodies

_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
_PDF = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
MB = 1024 * 1024


def gzip_bomb(unpacked_mib: int = 1024) -> bytes:
    """A gzip body that unpacks to ``unpacked_mib`` MiB of zeros: one 1 MiB member, repeated (about 1 KB each)."""
    member = gzip.compress(bytes(MB), compresslevel=9, mtime=0)
    return member * unpacked_mib


def truncated_gzip(body: bytes, keep: float = 0.5) -> bytes:
    packed = gzip.compress(body, mtime=0)
    return packed[: int(len(packed) * keep)]


def billion_laughs(base_url: str) -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n  {chr(10).join(entities)}\n]>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<url><loc>{base_url}/laughs/&lol9;</loc></url>\n</urlset>\n").encode()


# --------------------------------------------------------------------------- server


class FaultServer(ThreadingHTTPServer):
    """The fault site (``site="faults"``) or a plain news site (``site="news"``) on 127.0.0.1."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, *, site: str = "faults", articles: int = 24, delay: float = 0.0,
                 max_lifetime: float = 300.0, port: int = 0) -> None:
        super().__init__((HOST, port), _Handler)
        self.site = site
        self.article_count = articles
        self.delay = delay  # seconds added to every page of the plain site
        # More links on the plain site's front page (its stalling pages, other hosts), set once the port is known.
        self.extra_links: tuple[str, ...] = ()
        self.base_url = f"http://{HOST}:{self.server_address[1]}"
        self.hits: Counter[str] = Counter()
        self.log: list[str] = []
        self.times: dict[str, list[float]] = {}  # path -> monotonic times of its requests
        self.in_flight = 0  # requests received and not yet answered, and the most there ever were at once
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.max_lifetime = max_lifetime
        self._secret_dir = tempfile.TemporaryDirectory(prefix="faultserver-")
        self.secret = f"XXE-SECRET-{random.randrange(16**12):012x}"
        self.secret_path = Path(self._secret_dir.name, "secret.txt")
        self.secret_path.write_text(self.secret + "\n", encoding="ascii")
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Timer | None = None
        self._bomb: bytes | None = None

    # lifecycle
    def start(self) -> FaultServer:
        self._thread = threading.Thread(target=self.serve_forever, name="faultserver", daemon=True)
        self._thread.start()
        # Stops itself: a crashed test run cannot leave the server running.
        self._watchdog = threading.Timer(self.max_lifetime, self.stop)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()  # releases stalled and dripping handlers
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.cancel()
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._secret_dir.cleanup()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet about clients that hang up (the crawler aborts big, slow and broken responses on purpose)."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)) and not self.stopping.is_set():
            super().handle_error(request, client_address)

    def record(self, path: str) -> None:
        with self.lock:
            self.hits[path] += 1
            self.log.append(path)
            self.times.setdefault(path, []).append(time.monotonic())

    def hit_count(self) -> int:
        with self.lock:
            return len(self.log)

    def bomb(self) -> bytes:
        with self.lock:
            if self._bomb is None:
                self._bomb = gzip_bomb()
            return self._bomb

    # what the tests check against
    def expected_articles(self) -> dict[str, Story]:
        """URL path -> story of every page the crawl must save as an article."""
        if self.site == "news":
            return {f"/news/{n:03d}": generated_story(n) for n in range(self.article_count)}
        return {
            **{path: STORIES[slug] for path, slug in ARTICLE_PATHS.items()},
            "/flaky/school-meals": STORIES["school-meals"],
            "/articles/cycle-lanes": STORIES["cycle-lanes"],  # the end of a three-hop redirect chain
            "/malformed/unclosed": STORIES["bridge-repairs"],
            "/malformed/nul": STORIES["orchard-frost"],
            "/charset/cp1251-undeclared": RUSSIAN,
            "/charset/sjis-wrong-header": JAPANESE,
            "/charset/latin1-undeclared": GERMAN,
            "/charset/latin1-wrong-meta": FRENCH,
        }


# Links whose path tries to climb out of a folder, should anything derive a file name from a URL.
TRAVERSAL_PATHS = ["/..%2F..%2F..%2Fescape.html", "/%2e%2e/%2e%2e/escape.html", "/a/../../../../escape.html",
                   "/..\\..\\escape.html", "/%00escape.html", "/" + "long" * 100 + ".html"]


def guard_targets(server: FaultServer) -> list[str]:
    """What /guard/links links to: loopback hosts other than 127.0.0.1 (directly and through redirects) and other schemes."""
    port = server.server_address[1]
    return [
        f"http://localhost:{port}/articles/wind-farm",
        f"http://[::1]:{port}/articles/bus-strike",
        f"http://127.0.0.2:{port}/articles/library-hours",
        f"http://2130706433:{port}/articles/harbour-dredging",  # 127.0.0.1 written as one decimal number
        f"http://[::ffff:127.0.0.1]:{port}/articles/cycle-lanes",
        f"/redirect/to?u=http://localhost:{port}/articles/marathon-route",
        f"/redirect/to?u=http://[::1]:{port}/articles/museum-roof",
        "/redirect/to?u=file:///etc/hostname",
        f"ftp://127.0.0.1:{port}/ftp-file",
        f"file://{server.secret_path}",
        "/articles/school-meals-guarded",
    ]


def _index(server: FaultServer) -> bytes:
    links = [
        "/articles/harbour-dredging", "/articles/library-hours", "/articles/wind-farm", "/articles/bus-strike",
        "/flaky/school-meals", "/redirect/short/1",
        "/status/404", "/status/410", "/status/429", "/status/503", "/status/500", "/status/403", "/maintenance",
        "/slow/stall", "/slow/drip", "/broken/reset", "/broken/truncated-gzip", "/bomb/gzip",
        "/big/50mb", "/big/50mb-unsized", "/redirect/loop/a", "/redirect/chain/1",
        "/binary/png", "/binary/pdf", "/binary/noise",
        "/charset/cp1251-undeclared", "/charset/sjis-wrong-header", "/charset/latin1-undeclared",
        "/charset/latin1-wrong-meta",
        "/malformed/unclosed", "/malformed/nested", "/malformed/nul", "/empty",
        "/calendar/2024-01-01", "/private/embargoed-budget",
    ]
    items = "".join(f'<li><a href="{path}">Read the story at {path} in full today</a></li>\n' for path in links)
    return (f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The Fault Line</title>
<link rel="alternate" type="application/rss+xml" href="/feed-xxe.rss"></head>
<body><h1>The Fault Line: every way a page can fail</h1><ul>{items}</ul></body></html>""").encode()


def _news_index(server: FaultServer, page: int) -> bytes:
    per_page = 6
    numbers = range(page * per_page, min((page + 1) * per_page, server.article_count))
    items = "".join(f'<li><a href="/news/{n:03d}">{escape(generated_story(n).title)}</a></li>' for n in numbers)
    if page == 0:
        items += "".join(f'<li><a href="{escape(link)}">More news</a></li>' for link in server.extra_links)
    following = (f'<a href="/archive/page/{page + 1}">Older stories</a>'
                 if (page + 1) * per_page < server.article_count else "")
    return (f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Wire news, page {page}</title>
</head><body><h1>Latest stories</h1><ul>{items}</ul>{following}</body></html>""").encode()


def _sitemap(base_url: str, paths: Sequence[str]) -> bytes:
    urls = "".join(f"<url><loc>{base_url}{path}</loc><lastmod>2024-03-12</lastmod></url>\n" for path in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n').encode()


def _xxe_doctype(server: FaultServer, root: str) -> str:
    return (f'<!DOCTYPE {root} [\n'
            f'  <!ENTITY xxe SYSTEM "file://{server.secret_path}">\n'
            f'  <!ENTITY probe SYSTEM "{server.base_url}/xxe-probe/entity">\n'
            f'  <!ENTITY % remote SYSTEM "{server.base_url}/xxe-probe/dtd">\n'
            f'  %remote;\n]>\n')


def _xxe_sitemap(server: FaultServer) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{_xxe_doctype(server, "urlset")}'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<url><loc>{server.base_url}/xxe/&xxe;</loc></url>\n"
            f"<url><loc>&probe;</loc></url>\n</urlset>\n").encode()


def _xxe_feed(server: FaultServer) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{_xxe_doctype(server, "rss")}'
            f'<rss version="2.0"><channel><title>The Fault Line</title><link>{server.base_url}/</link>\n'
            f"<item><title>Secret</title><link>{server.base_url}/xxe-feed/&xxe;</link></item>\n"
            f"<item><title>Probe</title><link>&probe;</link></item>\n"
            f"</channel></rss>\n").encode()


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer
    _unanswered = False
    server_version = "faultserver/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet; the server keeps its own log of paths

    # helpers
    def _send(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._answered()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _wait(self, seconds: float) -> bool:
        """Sleep unless the server stops; False when it stopped."""
        return not self.server.stopping.wait(seconds)

    def _reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0), not a FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def _stream(self, total: int, sized: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if sized:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = b"<p>" + b"padding text " * 5000 + b"</p>\n"
        sent = 0
        try:
            self.wfile.write(b"<!DOCTYPE html><html><body>")
            while sent < total and not self.server.stopping.is_set():
                piece = chunk[: total - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except OSError:
            self.close_connection = True  # the crawler hung up, as it should

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        path = parts.path
        server = self.server
        server.record(path)
        with server.lock:
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        self._unanswered = True
        try:
            if server.site == "news":
                self._news(path)
            else:
                self._faults(path, parse_qs(parts.query))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self._answered()

    def _answered(self) -> None:
        """Out of ``in_flight`` before the body is written: the client cannot send its next request before that."""
        if self._unanswered:
            self._unanswered = False
            with self.server.lock:
                self.server.in_flight -= 1

    # the plain site
    def _news(self, path: str) -> None:
        server = self.server
        if server.delay and path != "/robots.txt":
            self._wait(server.delay)
        if path == "/robots.txt":
            self._send(200, f"User-agent: *\nAllow: /\nSitemap: {server.base_url}/sitemap.xml\n".encode(), "text/plain")
        elif path == "/sitemap.xml":
            self._send(200, _sitemap(server.base_url, list(server.expected_articles())), "application/xml")
        elif path == "/":
            self._send(200, _news_index(server, 0))
        elif path.startswith("/archive/page/") and path.rpartition("/")[2].isdigit():
            self._send(200, _news_index(server, int(path.rpartition("/")[2])))
        elif path in server.expected_articles():
            self._send(200, article_html(server.expected_articles()[path]).encode())
        elif path.startswith("/slow/stall"):  # /slow/stall/<n>: as many distinct stalling URLs as needed
            self.stall()
        elif path == "/slow/drip":
            self.drip()
        else:
            self._send(404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")

    # the fault site
    def _faults(self, path: str, query: dict[str, list[str]]) -> None:  # noqa: C901, PLR0912
        server = self.server
        base = server.base_url
        route = _ROUTES.get(path)
        if route is not None:
            route(self)
        elif path in ARTICLE_PATHS:
            self._send(200, article_html(STORIES[ARTICLE_PATHS[path]]).encode())
        elif path.startswith("/status/") and path[8:].isdigit():
            status = int(path[8:])
            headers = {"Retry-After": "1"} if status in (429, 503) else {}
            self._send(status, f"<!DOCTYPE html><title>{status}</title><h1>Error {status}</h1>".encode(),
                       headers=headers)
        elif path.startswith("/redirect/chain/"):
            hop = int(path.rpartition("/")[2] or 0)
            target = "/articles/marathon-route" if hop >= 30 else f"/redirect/chain/{hop + 1}"
            self._send(302, b"", None, {"Location": target})
        elif path.startswith("/redirect/short/"):
            hop = int(path.rpartition("/")[2] or 0)
            target = "/articles/cycle-lanes" if hop >= 3 else f"/redirect/short/{hop + 1}"
            self._send(301, b"", None, {"Location": base + target})
        elif path == "/redirect/loop/a":
            self._send(302, b"", None, {"Location": "/redirect/loop/b"})
        elif path == "/redirect/loop/b":
            self._send(302, b"", None, {"Location": "/redirect/loop/a"})
        elif path == "/articles/school-meals-guarded":
            self._send(200, article_html(STORIES["school-meals"]).encode())
        elif path in ("/articles/marathon-route", "/articles/cycle-lanes"):
            self._send(200, article_html(STORIES[path.rpartition("/")[2]]).encode())
        elif path.startswith("/calendar/"):
            self._calendar(path.rpartition("/")[2])
        elif path == "/redirect/to" and query.get("u"):
            self._send(302, b"", None, {"Location": query["u"][0]})
        else:
            self._send(404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")

    def _calendar(self, day: str) -> None:
        try:
            current = date.fromisoformat(day)
        except ValueError:
            self._send(404, b"<!DOCTYPE html><title>Not found</title>")
            return
        following = current + timedelta(days=1)
        body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Events on {current}</title></head><body>"
                f"<h1>What's on: {current:%A %d %B %Y}</h1><p>No events are listed for this day.</p>"
                f'<a href="/calendar/{following}">Next day</a> <a href="/calendar/{current - timedelta(days=1)}">'
                f"Previous day</a></body></html>")
        self._send(200, body.encode())

    # individual faults
    def robots(self) -> None:
        base = self.server.base_url
        body = (f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n"
                f"Sitemap: {base}/sitemap-laughs.xml\nSitemap: {base}/sitemap-xxe.xml\n")
        self._send(200, body.encode(), "text/plain")

    def index(self) -> None:
        self._send(200, _index(self.server))

    def sitemap(self) -> None:
        self._send(200, _sitemap(self.server.base_url, list(ARTICLE_PATHS)), "application/xml")

    def sitemap_laughs(self) -> None:
        self._send(200, billion_laughs(self.server.base_url), "application/xml")

    def sitemap_xxe(self) -> None:
        self._send(200, _xxe_sitemap(self.server), "application/xml")

    def feed_xxe(self) -> None:
        self._send(200, _xxe_feed(self.server), "application/rss+xml")

    def flaky(self) -> None:
        # 429 with Retry-After on the first request, the article afterwards: a retry must save it.
        if self.server.hits["/flaky/school-meals"] <= 1:
            self._send(429, b"<!DOCTYPE html><title>Slow down</title>", headers={"Retry-After": "1"})
        else:
            self._send(200, article_html(STORIES["school-meals"]).encode())

    def maintenance(self) -> None:
        self._send(503, b"<!DOCTYPE html><title>Down for maintenance</title>", headers={"Retry-After": "3600"})

    def stall(self) -> None:
        self._wait(60)  # far past the crawl's DOWNLOAD_TIMEOUT
        if not self.server.stopping.is_set():
            self._send(200, b"<!DOCTYPE html><title>Too late</title>")

    def drip(self) -> None:
        body = article_html(STORIES["museum-roof"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            if not self._wait(1.0):
                break
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def reset(self) -> None:
        body = article_html(STORIES["museum-roof"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) * 4))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self._reset()

    def truncated(self) -> None:
        body = truncated_gzip(article_html(STORIES["river-cleanup"]).encode())
        self._send(200, body, headers={"Content-Encoding": "gzip"})

    def gzip_bomb(self) -> None:
        self._send(200, self.server.bomb(), headers={"Content-Encoding": "gzip"})

    def big_sized(self) -> None:
        self._stream(50 * MB, sized=True)

    def big_unsized(self) -> None:
        self._stream(50 * MB, sized=False)

    def png(self) -> None:
        self._send(200, _PNG + bytes(range(256)) * 16)

    def pdf(self) -> None:
        self._send(200, _PDF, "text/html")

    def noise(self) -> None:
        self._send(200, random.Random(7).randbytes(20_000), "text/html")

    def cp1251(self) -> None:
        self._send(200, article_html(RUSSIAN, charset=None).encode("windows-1251"), "text/html")

    def sjis(self) -> None:
        self._send(200, article_html(JAPANESE, charset=None).encode("shift_jis"), "text/html; charset=iso-8859-1")

    def latin1(self) -> None:
        self._send(200, article_html(GERMAN, charset=None).encode("iso-8859-1"), "text/html")

    def latin1_wrong_meta(self) -> None:
        self._send(200, article_html(FRENCH, charset="utf-8").encode("iso-8859-1"), "text/html")

    def unclosed(self) -> None:
        html = article_html(STORIES["bridge-repairs"], close_tags=False)
        html = html.replace("</body></html>", "").replace("</footer>", "").replace("</nav>", "<div><span><b>")
        self._send(200, html.encode())

    def nested(self) -> None:
        html = article_html(STORIES["museum-roof"], body_prefix="<div>" * 10_000, body_suffix="</div>" * 10_000)
        self._send(200, html.encode())

    def nul(self) -> None:
        html = article_html(STORIES["orchard-frost"]).replace(" cherry ", " cherry\x00 ").replace("<main>", "<main>\x00")
        self._send(200, html.encode())

    def empty(self) -> None:
        self._send(200, b"")

    def private(self) -> None:
        self._send(200, article_html(STORIES["council-budget"]).encode())

    def guard_links(self) -> None:
        """Links, redirects and a sitemap to loopback hosts other than 127.0.0.1 and to other schemes."""
        links = "".join(f'<li><a href="{escape(url)}">Follow this link to another story now</a></li>'
                        for url in [*guard_targets(self.server), *TRAVERSAL_PATHS])
        body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Guard</title></head><body><ul>{links}</ul>"
                f"</body></html>")
        self._send(200, body.encode())

    def guard_sitemap(self) -> None:
        port = self.server.server_address[1]
        urls = [f"file://{self.server.secret_path}", f"ftp://127.0.0.1:{port}/ftp-file", "data:text/html,<p>data</p>",
                f"http://[::1]:{port}/articles/wind-farm", f"http://localhost:{port}/articles/bus-strike"]
        entries = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
        self._send(200, (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         f"{entries}</urlset>").encode(), "application/xml")

    def xxe_probe(self) -> None:
        self._send(200, b"<!ENTITY leak 'probe'>", "application/xml-dtd")


_ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/": _Handler.index,
    "/robots.txt": _Handler.robots,
    "/sitemap.xml": _Handler.sitemap,
    "/sitemap-laughs.xml": _Handler.sitemap_laughs,
    "/sitemap-xxe.xml": _Handler.sitemap_xxe,
    "/feed-xxe.rss": _Handler.feed_xxe,
    "/flaky/school-meals": _Handler.flaky,
    "/maintenance": _Handler.maintenance,
    "/slow/stall": _Handler.stall,
    "/slow/drip": _Handler.drip,
    "/broken/reset": _Handler.reset,
    "/broken/truncated-gzip": _Handler.truncated,
    "/bomb/gzip": _Handler.gzip_bomb,
    "/big/50mb": _Handler.big_sized,
    "/big/50mb-unsized": _Handler.big_unsized,
    "/binary/png": _Handler.png,
    "/binary/pdf": _Handler.pdf,
    "/binary/noise": _Handler.noise,
    "/charset/cp1251-undeclared": _Handler.cp1251,
    "/charset/sjis-wrong-header": _Handler.sjis,
    "/charset/latin1-undeclared": _Handler.latin1,
    "/charset/latin1-wrong-meta": _Handler.latin1_wrong_meta,
    "/malformed/unclosed": _Handler.unclosed,
    "/malformed/nested": _Handler.nested,
    "/malformed/nul": _Handler.nul,
    "/empty": _Handler.empty,
    "/private/embargoed-budget": _Handler.private,
    "/guard/links": _Handler.guard_links,
    "/guard/sitemap.xml": _Handler.guard_sitemap,
    "/xxe-probe/entity": _Handler.xxe_probe,
    "/xxe-probe/dtd": _Handler.xxe_probe,
}


@contextmanager
def serve_faults(**kwargs: Any) -> Iterator[FaultServer]:
    """Run a :class:`FaultServer` in daemon threads; stop it on exit."""
    server = FaultServer(**kwargs).start()
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- crawling it


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    stats: dict[str, Any]
    records: list[dict[str, Any]]
    output: Path

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    def matching(self, prefix: str) -> dict[str, int]:
        return {key: value for key, value in self.stats.items() if key.startswith(prefix)}


# Fast, bounded crawl settings for tests: no politeness delays, short timeouts, one retry.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "CLEANCRAWL_WORKERS": "1",
    "CLEANCRAWL_CLEAN_TIMEOUT": "30",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "False",
}


def crawl_command(output: Path, *, url: str | None = None, seeds: Path | None = None,
                  settings: dict[str, str] | None = None) -> list[str]:
    """``python -m scrapy crawl news`` writing everything under ``output``."""
    feeds = {str(output / "articles.jsonl"): {"format": "jsonlines", "encoding": "utf8", "overwrite": False}}
    merged = {
        **FAST_SETTINGS,
        "FEEDS": json.dumps(feeds),
        "CLEANCRAWL_STORE_PATH": str(output / "articles.sqlite3"),
        "CLEANCRAWL_STATS_PATH": str(output / "stats.json"),
        "LOG_FILE": str(output / "crawl.log"),
        **(settings or {}),
    }
    spider_args = ["-a", f"url={url}"] if url else ["-a", f"seeds={seeds}"]
    command = [sys.executable, "-m", "scrapy", "crawl", "news", *spider_args]
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    return command


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def run_crawl(output: Path, *, timeout: float = 120, root: Path = PROJECT_ROOT, **kwargs: Any) -> CrawlResult:
    """A crawl subprocess in ``root`` (this checkout, or another one to compare versions)."""
    output.mkdir(parents=True, exist_ok=True)
    stats_path = output / "stats.json"
    stats_path.unlink(missing_ok=True)
    completed = subprocess.run(crawl_command(output, **kwargs), cwd=root, capture_output=True, text=True,
                               timeout=timeout, check=False, env=crawl_env())
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    return CrawlResult(completed.returncode, completed.stdout, completed.stderr, stats,
                       read_jsonl(output / "articles.jsonl"), output)


def crawl_env() -> dict[str, str]:
    """The environment of a crawl subprocess: no proxies (every request must stay on 127.0.0.1)."""
    env = {key: value for key, value in os.environ.items()
           if key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env["PYTHONHASHSEED"] = "0"
    return env


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve the fault-injection site on 127.0.0.1.")
    parser.add_argument("--site", choices=("faults", "news"), default="faults")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serve_faults(site=args.site, port=args.port, max_lifetime=3600) as server:
        print(server.base_url, flush=True)
        try:
            while not server.stopping.wait(1):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
