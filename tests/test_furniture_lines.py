"""Furniture in every language the project claims: follow and subscription promos, rights lines, bare bylines.

Each rule has lines it must remove and story sentences that look like them but must stay, in en, de, fr,
es, it, pt, nl, pl, ru and uk.
"""

from __future__ import annotations

import pytest

from cleaners.lines import name_blocks

# Long enough to be story paragraphs: furniture before the first or after the last is "outside the story".
OPENING = ("The city council voted on Tuesday to extend the tram line to the northern suburbs, ending a decade of"
           " delays that had frustrated residents and businesses along the planned route through the old town.")
CLOSING = ("Opposition members questioned the cost, which has risen by a third since the first estimate, and asked"
           " for an independent review of the contracts before any money is spent on the project next year.")


def _rule_for(text: str, *, authors: tuple[str, ...] = (), where: str = "after") -> str | None:
    blocks = [OPENING, text, CLOSING] if where == "between" else [OPENING, CLOSING, text]
    return name_blocks(blocks, authors=authors)[blocks.index(text)]


SOCIAL_FOLLOW = [
    "Follow us on Facebook and Instagram",
    "Follow us",
    "Follow The Daily Planet on X",
    "Want more city news? Follow me on Pinterest to see what I'm pinning.",
    "Catch up on our coverage of the tram works and follow us on Facebook, Instagram and TikTok to stay up to date.",
    "Email Anna Berg at anna@planet.example or follow her on Bluesky. Follow us on Threads and on Mastodon.",
    "Join us on Telegram",
    "Subscribe to our YouTube channel",
    "Subscribe: Apple Podcasts | Google Podcasts | RSS",
    "We're on WhatsApp",
    "Suivez-nous !",
    "Следите за нами",
    "Follow our newsletter for the week's best stories",
    "Suivez notre chaîne pour ne rien manquer",
    "Следите за нашим каналом",
    "Folgen Sie uns auf Instagram",
    "Folge uns auf TikTok!",
    "Folgt uns bei WhatsApp",
    "Abonniere unseren WhatsApp-Kanal",
    "Abonnieren Sie den Tagesspiegel auf Google News",
    "Suivez-nous sur Facebook",
    "Suis-nous sur Instagram",
    "Abonne-toi à notre chaîne YouTube",
    "Retrouvez-nous sur Flipboard",
    "Síguenos en X y en Threads",
    "Sigue a La Voz del Puerto en Google News",
    "Suscríbete a nuestro canal de WhatsApp",
    "Seguici su Facebook",
    "Iscriviti al nostro canale Telegram",
    "Siga-nos no Instagram",
    "Segue o Diário no Twitter",
    "Inscreva-se no nosso canal do YouTube",
    "Volg ons op LinkedIn",
    "Volg NU.nl op Facebook",
    "Abonneer je op ons YouTube-kanaal",
    "Obserwuj nas na Facebooku",
    "Śledź nas w Google News",
    "Subskrybuj nasz kanał na YouTube",
    "Подписывайтесь на наш Telegram-канал",
    "Подпишись на нас в ВК",
    "Следите за нами в Одноклассниках",
    "Читайте нас в Дзене",
    "Мы в Telegram",
    "Присоединяйтесь к нам в Viber",
    "Підписуйтесь на наш канал у Telegram",
    "Стежте за нами у Facebook",
    "Слідкуйте за новинами у Viber",
    "Приєднуйтесь до нас у WhatsApp",
    "Читайте нас у Google News",
]

SUBSCRIPTION_PROMO = [
    "Subscribe to The Daily Planet",
    "Click here to subscribe to The Planet Briefing newsletter",
    "Sign up",
    "Want more from The Daily Planet? Sign up for our newsletter and read smarter.",
    "Abonniere den Newsletter",
    "Jetzt abonnieren",
    "Melden Sie sich für unseren Newsletter an",
    "Abonnez-vous à la lettre d'information",
    "Inscris-toi à la newsletter",
    "S'abonner",
    "Suscríbase a nuestro boletín",
    "Suscribite al newsletter",
    "Regístrate gratis",
    "Iscriviti alla newsletter",
    "Abbonati ora",
    "Assine a nossa newsletter",
    "Inscreva-se na newsletter",
    "Schrijf je in voor de nieuwsbrief",
    "Meld je aan voor onze nieuwsbrief",
    "Zapisz się do newslettera",
    "Zasubskrybuj newsletter",
    "Подпишитесь на рассылку",
    "Подпишись на нашу рассылку",
    "Оформите подписку",
    "Підпишіться на розсилку",
    "Підписатися",
]

COPYRIGHT_NOTICE = [
    "© 2024 The Daily Planet",
    "Copyright 2024 The Daily Planet. All rights reserved.",
    "Copyright © 2023 Planet Radio. All rights reserved. Visit our terms of use for further information.",
    "© 2019 Regional Press. All Rights Reserved."
    " This material may not be published, broadcast, rewritten, or redistributed.",
    "copyright Planet Gallery 2019 - ISSN: 1234-5678",
    "(c) dpa",
    "(c) dpa-infocom, dpa:240514-99-123456/2",
    "© AFP",
    "All rights reserved.",
    "Alle Rechte vorbehalten.",
    "© 2024 dpa. Alle Rechte vorbehalten.",
    "Tous droits réservés",
    "Reproduction interdite.",
    "© AFP. Tous droits de reproduction réservés.",
    "Todos los derechos reservados.",
    "Prohibida su reproducción total o parcial.",
    "Tutti i diritti riservati",
    "Riproduzione riservata ©",
    "Todos os direitos reservados.",
    "Alle rechten voorbehouden.",
    "Wszelkie prawa zastrzeżone.",
    "Все права защищены.",
    "© 2024 ТАСС. Перепечатка запрещена.",
    "Усі права захищені.",
    "Всі права захищені. Передрук заборонено.",
]

BYLINE_NAME = [
    "Anna Berg",
    "By Anna Berg and Jan Holm",
    "Von Anna Berg und Jan Holm",
    "Par Anna Berg",
    "Por Anna Berg y Jan Holm",
    "di Anna Berg",
    "Door Anna Berg",
    "Anna Berg, Jan Holm",
    "Anna Berg, Transport Editor",
    "Anna Berg Redakteurin",
    "Автор: Анна Берг, корреспондент",
    "Przez Anna Berg, dziennikarka",
]


@pytest.mark.parametrize("text", SOCIAL_FOLLOW)
def test_social_follow_fires(text: str) -> None:
    assert _rule_for(text) == "social_follow"


@pytest.mark.parametrize("text", SUBSCRIPTION_PROMO)
def test_subscription_promo_fires(text: str) -> None:
    assert _rule_for(text) == "subscription_promo"


@pytest.mark.parametrize("text", COPYRIGHT_NOTICE)
def test_copyright_notice_fires(text: str) -> None:
    assert _rule_for(text) == "copyright_notice"


@pytest.mark.parametrize("text", BYLINE_NAME)
def test_byline_name_fires(text: str) -> None:
    assert _rule_for(text, authors=("Anna Berg", "Jan Holm", "Анна Берг")) in {"byline_name", "teaser_byline"}


def test_byline_name_fires_when_the_metadata_adds_a_role() -> None:
    assert _rule_for("Anna Berg", authors=("Anna Berg Transport Editor",)) == "byline_name"
    assert _rule_for("Berg", authors=("Anna Berg Transport Editor",)) is None  # one word is no name
    assert _rule_for("Transport Editor", authors=("Anna Berg Transport Editor",)) is None  # nor is the role


def test_byline_name_fires_before_the_story() -> None:
    blocks = ["Анна Берг", OPENING, CLOSING]
    assert name_blocks(blocks, authors=["Анна Берг"]) == ["byline_name", None, None]


# Story text that names networks, subscriptions, copyright or the author: every one must stay.
LOOKALIKES = [
    # en
    "Russia's regulator blocked the Telegram channel of the opposition newspaper on Monday.",
    "Follow the instructions on Facebook's help page to delete an account, the regulator advised.",
    "Follow these steps to report a scam on WhatsApp:",
    "Subscribe to the theory that prices will fall, and you will wait forever.",
    '"Subscribe to the theory that markets correct themselves and you will lose money," she said.',
    "Many economists subscribe to the theory that the rise is temporary.",
    "Copyright law in the EU was rewritten in 2019 after years of lobbying.",
    "Copyright Complexity in a Fragmented World",
    "(c) 2019 figures show that the number of passengers rose by a third in the first year of the new timetable.",
    "The label argued that all rights reserved under the 1976 act had passed to the estate.",
    "Anna Berg, who covered the first vote in 2014, said the mood had changed.",
    "Anna Berg, a former editor, said the plan was sound.",
    "Transport Editor",
    "TikTok",
    "Instagram and Facebook",
    "Join the conversation about the tram on our forum.",
    "Watch Biden's speech on YouTube.",
    "Follow our guide to the new tram routes, which start running in May.",
    "Follow the channel's coverage of the vote through the night.",
    "Sign-ups for the bike scheme rose by 40 percent in the first month.",
    "Click here to read the full report, the council's website told visitors on Monday.",
    # de
    "Folgen Sie der Debatte im Stadtrat, sagte die Bürgermeisterin, dann verstehen Sie die Sorgen der Anwohner.",
    "Die Behörde sperrte den Telegram-Kanal der Gruppe am Montag.",
    "Melden Sie sich bei der Polizei, wenn Sie etwas gesehen haben.",
    "Das Urheberrecht schützt Fotos, Texte und Musik siebzig Jahre über den Tod hinaus.",
    "Laut Anna Berg, die die Abstimmung beobachtet hat, war die Mehrheit knapp.",
    # fr
    "Selon Anna Berg, qui suit le dossier depuis 2014, le vote était serré.",
    "Suivez les consignes de la préfecture, a insisté le maire.",
    "S'abonner à un quotidien coûte de plus en plus cher aux ménages.",
    "Le tribunal a jugé que le droit d'auteur ne couvrait pas la photo.",
    # es
    "Sigue la investigación sobre el canal de Telegram cerrado por la policía.",
    "Los suscriptores de la plataforma recibieron un aviso el martes.",
    "El tribunal dijo que los derechos de autor de la foto pertenecen al fotógrafo.",
    "Síguenos, gritaban los manifestantes mientras cruzaban el puente hacia el ayuntamiento.",
    # it
    "Il diritto d'autore sulle fotografie dura settant'anni, ha ricordato il giudice.",
    "Abbonati Netflix in crescita del dieci per cento nel trimestre.",
    "Seguire la vicenda su Telegram è diventato difficile dopo il blocco.",
    # pt
    "Assine o contrato só depois de ler todas as cláusulas, aconselha o advogado.",
    "Siga as instruções da Proteção Civil, pediu o autarca.",
    "Os direitos de autor da fotografia pertencem ao fotógrafo, decidiu o tribunal.",
    # nl
    "Volgens de politie werd het Telegram-kanaal van de groep maandag offline gehaald.",
    "Volg de aanwijzingen van de brandweer, zei de burgemeester.",
    "Het auteursrecht op de foto ligt bij de fotograaf, oordeelde de rechter.",
    # pl
    "Obserwuj pogodę przed wyjazdem, radzą ratownicy górscy.",
    "Prawa autorskie do zdjęcia należą do fotografa, orzekł sąd.",
    "Według Anny Berg, która obserwowała głosowanie, większość była niewielka.",
    # ru
    "По словам Анны Берг, следившей за голосованием, перевес был минимальным.",
    "Все права защищены законом, напомнил судья, и авторское право на фото принадлежит фотографу.",
    "Подписчики Telegram-канала узнали о решении первыми.",
    "Подписаться под этим заявлением отказались двенадцать депутатов.",
    "Роскомнадзор заблокировал Telegram-канал издания в понедельник.",
    # uk
    "Стежте за дорогою, попередили водіїв у поліції.",
    "Підписники каналу у Telegram дізналися про рішення першими.",
    "Суд визнав, що авторські права на фото належать фотографу.",
]


@pytest.mark.parametrize("text", LOOKALIKES)
@pytest.mark.parametrize("where", ["between", "after"])
def test_story_lookalikes_stay(text: str, where: str) -> None:
    assert _rule_for(text, authors=("Anna Berg",), where=where) is None


def test_a_name_inside_the_story_stays() -> None:
    blocks = [OPENING, "Anna Berg", CLOSING]  # an interview's speaker heading, say: between story paragraphs
    assert name_blocks(blocks, authors=["Anna Berg"]) == [None, None, None]
