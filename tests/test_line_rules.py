"""Line rules on the two real clutter examples in ../shared/seeds and on story text that looks like clutter."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners.lines import remove_lines

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _seed_lines(name: str) -> list[str]:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"shared seeds not present at {SEEDS}")
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_the_week_example_keeps_exactly_the_story() -> None:
    lines = _seed_lines("000_0835fd92cc65cec6.txt")
    body = lines[2:]  # headline and standfirst are metadata, not body
    story = [line for line in body if line.startswith((
        "Russia and Ukraine have agreed", '"A roadmap will be', "President Putin said", "EU negotiator",
        "The Kremlin has been accused", "In June Poroshenko", "In a separate development", "A final decision"))]
    assert len(story) == 8
    kept, removed = remove_lines(body)
    assert kept == story
    assert removed["teaser_byline"] == 11
    assert removed["teaser_card"] == 22
    assert removed["subscription_promo"] >= 4
    assert removed["promo_strapline"] == 1


def test_the_voa_example_keeps_exactly_the_story() -> None:
    lines = _seed_lines("004_16a8776fb6891093.txt")
    body = lines[1:]
    kept, removed = remove_lines(body)
    clutter = {body[0], "Watch related report from VOA's Carla Babb:", "Your browser doesn’t support HTML5",
               "European, US Leaders in Diplomatic Push for Peace in Ukraine"}
    assert kept == [line for line in body if line not in clutter]
    assert "Deals under way" in kept and "Lethal aid" in kept
    assert removed == {"photo_caption": 1, "media_intro": 1, "video_fallback": 2}


FIRES = {
    "subscription_promo": ["Subscribe to The Daily Planet", "SUBSCRIBE & SAVE", "Sign up for our free newsletters",
                           "Newsletter abonnieren", "Abonnez-vous à notre newsletter", "Подпишитесь на нашу рассылку",
                           "Get the best stories delivered straight to your inbox",
                           "Get Rail Monthly delivered through your letterbox every month. 12 issues for £11.99."],
    "teaser_byline": ["By Anna Berg Published", "By Richard Windsor, The Daily Planet UK Published 3 hours ago", "By Jane Doe"],
    "media_intro": ["Watch related report from Regional Voice's Carla Babb:", "Смотрите видео:"],
    "video_fallback": ["Your browser doesn't support HTML5", "Your browser does not support the video tag.",
                       "Ваш браузер не поддерживает HTML5", "Ihr Browser unterstützt dieses Video nicht"],
    "share_prompt": ["Share this article", "Copy link", "Share on Facebook", "Order Reprints", "Print Article"],
    "advertisement_label": ["Advertisement", "ADVERTISEMENT", "Anzeige", "Реклама"],
    "read_more_promo": ["READ MORE: Council approves tram extension", "Lesen Sie auch: Der Hafen wird erweitert",
                        "Читайте также: Мэр подал в отставку", "Also on planet.example Mayor resigns after vote",
                        "DON'T MISS: Harbour bridge to close for repairs", "See more: Tram fares rise in June"],
    "comment_widget": ["42 comments", "Join the conversation", "Log in or register to comment"],
    "social_follow": ["Follow us on Facebook and Instagram", "Folgen Sie uns auf Twitter"],
    "tag_line": ["Tags: transport; city council", "Themen: Verkehr, Stadtrat"],
    "photo_credit": ["Photo: Jan Berg/Reuters", "(Getty Images)"],
    "separator": ["-", "• • •"],
    "reading_time": ["3 min read", "Tempo de leitura: 2 minutos", "Lesezeit: 4 Min."],
    "related_heading": ["You may also like...", "Most read in world news", "More:", "Don't miss:"],
    "related_link_list": ["DON'T MISS\nHarbour bridge to close for repairs [LATEST]\nTram fares rise in June [INSIGHT]",
                          "Related\nCouncil approves tram extension\nWhy the bridge repairs keep slipping"],
    "post_meta": ["05/10/2018 - Publicado por: Ana Ruiz - Categoria: Saúde - Tags: hospital, vacinas",
                  "Posted by Anna Berg | Category: Transport", "Publié par Jean Roy - Catégories : Politique"],
    "copyright_notice": ["This copy is for your personal, non-commercial use only. To order presentation-ready copies "
                         "for distribution to your colleagues, clients or customers visit https://reprints.example."],
    "dateline": ["November 20, 2019 - 11:28 AMT", "5:45 AM PST 11/19/2019 by Patrick Shanley",
                 "sexta-feira, 22 de outubro de 2010 às 20:13", "Updated: 14.05.2024, 09:30 Uhr"],
    "contributor_credit": ["Reporting by Jane Roe; Editing by John Doe", "Additional reporting by Joseph Hudak",
                           "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
                           "SOURCE: News agencies", "Written by Jane Roe"],
    "link_promo": ["Follow our full coverage of the election at https://news.example/election",
                   "More city news: https://news.example/city"],
}


@pytest.mark.parametrize(("rule", "text"), [(rule, text) for rule, texts in FIRES.items() for text in texts])
def test_rule_fires(rule: str, text: str) -> None:
    story = "The council voted on Tuesday to extend the tram line to the northern suburbs after years of delay."
    kept, removed = remove_lines([story, text, story + " Work starts in May."])
    assert text not in kept
    assert removed.get(rule) == 1, removed


def test_a_series_of_dates_is_data() -> None:
    # A table's rows or an events list: every date stays; one dateline above a story goes.
    story = ["The council voted on Tuesday to extend the tram line to the northern suburbs after years of delay."]
    rows = ["1/1/2023 +13.1%", "2/1/2023 +12.4%", "3/1/2023 +11.9%"]
    assert remove_lines([*story, *rows])[0] == [*story, *rows]
    events = ["March 16, 2026", "Tram depot open day", "March 17, 2026", "Council meeting", "March 18, 2026"]
    assert remove_lines([*story, *events])[0] == [*story, *events]
    assert remove_lines(["March 16, 2026 - 11:28 AM", *story])[0] == story


def test_author_bio_fires_only_at_the_end() -> None:
    bio = "Maria Lopez is a reporter covering transport and the environment for The Daily Planet."
    story = ["The council voted on Tuesday to extend the tram line.", "Work starts in May, officials said."]
    assert remove_lines([*story, bio])[0] == story
    assert bio in remove_lines([bio, *story, *story, *story])[0]


def test_repeated_story_lines_are_kept() -> None:
    chant = "Build the tram, build it now, the crowd chanted outside the town hall."
    blocks = ["Story opening paragraph about the tram vote.", chant, "The vote passed by 31 to 12.", chant]
    assert remove_lines(blocks)[0] == blocks


def test_a_repeated_headline_at_the_top_is_removed() -> None:
    title = "Council approves tram extension after decade of delays"
    blocks = [title, "The city council voted on Tuesday to extend the tram line.", "Work starts in May.", title]
    kept, removed = remove_lines(blocks, titles={title})
    assert kept == blocks[1:] and removed == {"repeated_headline": 1}


LOOKALIKES = [
    "Sign-ups for the bike scheme rose by 40 percent in the first month.",
    "Nobody was injured.",
    "Subscribers to the council's text-alert service were told to boil their water.",
    "By Thursday, published figures showed the scheme had paid for itself.",
    "Share prices fell 3 percent on Tuesday.",
    "Read more widely, the report suggests the problem is national.",
    "Comments made by the minister on Friday drew criticism.",
    "The video, posted on Tuesday, shows the driver leaving the scene.",
    "Advertisement regulators said the campaign broke the code.",
    "Follow-up inspections found the same faults in three depots.",
    "Reaction",
    "'We are not giving up,' she said.",
    "Watch out for falling branches, the council warned residents on Sunday.",
    "Abonnenten des Wasserversorgers wurden per SMS gewarnt.",
    "Подписчики канала узнали о решении первыми.",
    "The mayor, left, and her deputy signed the agreement.",
    "On May 3, 2024, the council met again to vote on the plan.",
    "Rockledge 14 11 6 15 — 44",
    "The vote was 31 to 12.",
    "The reading time for the bill was set at 30 minutes by the Speaker.",
    "More than 3,000 residents signed up in the first week.",
    "Reporters were told to leave the building before the vote.",
    "Sources close to the mayor said she would not resign.",
    "Video: 4K/30p, Full HD 120p",
    "Don't miss the final chapter, the mayor told readers of her memoir, because it explains everything.",
    "Related\nThe council said the two projects were related.\nBoth will be finished next year.",
    "The category tags were posted by volunteers in the hall",
    "Parcels were delivered to your door within two days, the courier's chief executive claimed.",
    "This copy of the report was leaked to the press on Monday.",
]


def test_lookalikes_survive_together() -> None:
    kept, removed = remove_lines(LOOKALIKES)
    lost = [text for text in LOOKALIKES if text not in kept]
    # Only the caption-style sentence with ", left," may go: a sentence written like a caption is one.
    assert lost == ["The mayor, left, and her deputy signed the agreement."], removed
