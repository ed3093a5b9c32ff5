"""Bad input ends in a specific CleanError or a correct record, never a crash."""

from __future__ import annotations

import pytest

from cleaners import CleanError, DocumentTooLarge, EmptyDocument, NotHTML, clean
from cleaners.decoding import detect_encoding
from tests.markup import STORY, page

URL = "https://planet.example/a"


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        (b"", None, EmptyDocument),
        (b"   \n\t ", "text/html", EmptyDocument),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "text/html", NotHTML),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/html; charset=utf-8", NotHTML),
        (bytes(range(256)) * 8, None, NotHTML),
        (page().encode(), "image/jpeg", NotHTML),
        (page().encode(), "application/pdf", NotHTML),
    ],
)
def test_unusable_bodies_raise_a_specific_error(body: bytes, content_type: str | None, error: type[CleanError]) -> None:
    with pytest.raises(error) as raised:
        clean(body, URL, content_type=content_type)
    assert raised.value.reason == error.reason
    assert str(raised.value)


def test_huge_page_is_refused_before_parsing() -> None:
    with pytest.raises(DocumentTooLarge, match="more than the limit"):
        clean(page().encode() + b"<!-- padding -->" * 100_000, URL, max_bytes=1_000_000)


RUSSIAN = [
    "Городской совет во вторник одобрил продление трамвайной линии в северные районы после десяти лет задержек.",
    "Новая линия добавит четыре километра путей и пять остановок, первые трамваи пойдут весной.",
    "Председатель транспортного комитета назвала это решение самым важным за последние годы.",
]
JAPANESE = [
    "市議会は火曜日、十年に及ぶ遅れの末、路面電車の北部郊外への延伸を承認した。住民や沿線の商店は長く待っていた。",
    "延伸区間は四キロで五つの停留所が新設され、早ければ再来年の春に最初の電車が走る見込みだと市の担当者は述べた。",
    "交通委員会の委員長は、この決定はここ数年で議会が下した最も重要な判断だと語り、住民の忍耐に感謝した。",
]


def _undeclared(story: list[str], encoding: str) -> bytes:
    return page(story=story).replace('<meta charset="utf-8">', "").encode(encoding)


@pytest.mark.parametrize(("story", "encoding"), [(RUSSIAN, "windows-1251"), (JAPANESE, "shift_jis")])
def test_undeclared_charset_is_detected(story: list[str], encoding: str) -> None:
    record = clean(_undeclared(story, encoding), URL, content_type="text/html")
    assert story[0] in record["text"]


def test_declaration_late_in_the_page_is_honoured() -> None:
    html = page(story=RUSSIAN).replace('<meta charset="utf-8">', "")
    html = html.replace("</body>", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></body>')
    assert detect_encoding(html.encode("windows-1251")) == "cp1251"
    assert RUSSIAN[1] in clean(html.encode("windows-1251"), URL)["text"]


def test_header_charset_wins_over_the_declaration() -> None:
    html = page(story=RUSSIAN).replace('<meta charset="utf-8">', '<meta charset="koi8-r">')
    record = clean(html.encode("windows-1251"), URL, content_type="text/html; charset=windows-1251")
    assert RUSSIAN[0] in record["text"]


def test_a_wrong_latin1_label_on_utf8_bytes_falls_back_to_utf8() -> None:
    html = page(story=RUSSIAN)
    record = clean(html.encode("utf-8"), URL, content_type="text/html; charset=iso-8859-1")
    assert RUSSIAN[2] in record["text"]


def test_a_wrong_utf8_label_on_cp1251_bytes_uses_the_page_declaration() -> None:
    html = page(story=RUSSIAN).replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    record = clean(html.encode("windows-1251"), URL, content_type="text/html; charset=utf-8")
    assert RUSSIAN[0] in record["text"]


def test_malformed_html_still_yields_the_story() -> None:
    html = page().replace("</p>", "").replace("</div>", "").replace("</article>", "")
    record = clean(html.encode(), URL)
    assert STORY[3] in record["text"]


def test_nul_bytes_are_removed() -> None:
    html = page().replace("tram line", "tram\x00 line")
    record = clean(html.encode(), URL)
    assert "\x00" not in record["text"]
    assert record["is_article"]


def test_deeply_nested_markup_does_not_crash() -> None:
    html = page("<div>" * 10_000 + "<p>Deep text.</p>" + "</div>" * 10_000)
    try:
        record = clean(html.encode(), URL)
    except CleanError as error:  # a specific error is acceptable; a crash is not
        assert error.reason
    else:
        assert STORY[0] in record["text"]
