"""Hand-written news pages in ten languages: a story with the furniture real pages leave around it.

Each page has a byline line that is only the author's name, follow and subscription promos, and a
copyright or agency rights line, all inside the article so that extraction keeps them and the line
rules must remove them. Every story also holds a sentence that looks like furniture and must stay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class StoryPage:
    language: str
    headline: str
    author: str
    story: tuple[str, ...]
    furniture: tuple[str, ...]  # after the story, in this order

    def html(self) -> str:
        jsonld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": self.headline,
                             "author": {"@type": "Person", "name": self.author}, "datePublished": "2024-05-14"},
                            ensure_ascii=False)
        story = "".join(f"<p>{escape(text)}</p>" for text in self.story)
        furniture = "".join(f"<p>{escape(text)}</p>" for text in self.furniture)
        return f"""<!DOCTYPE html>
<html lang="{self.language}"><head><meta charset="utf-8"><title>{escape(self.headline)} | Planet</title>
<meta property="og:type" content="article"><script type="application/ld+json">{jsonld}</script></head>
<body><header><nav><a href="/">Planet</a> <a href="/city">City</a> <a href="/world">World</a></nav></header>
<main><article><h1>{escape(self.headline)}</h1><p>{escape(self.author)}</p>
{story}{furniture}</article></main>
<footer><a href="/about">About</a> <a href="/contact">Contact</a></footer></body></html>"""


PAGES = (
    StoryPage(
        "en", "Harbour ferry returns after two-year repair", "Anna Berg",
        ("The harbour ferry returned to service on Monday after a two-year repair that cost the city almost twice"
         " the original estimate, and the first crossing of the morning was full within minutes of the ticket office"
         " opening.",
         "“Subscribe to the theory that old boats are not worth saving and you will never build anything that"
         " lasts,” said the shipyard's director, who had argued for the repair against the advice of two consultants.",
         "The council had considered selling the vessel in 2022, when a survey found corrosion in the hull and the"
         " engines, but residents of the islands collected more than eight thousand signatures to keep it running.",
         "Timetables for the summer will be published next week, and the operator said fares would stay at last year's"
         " level until at least the end of the season, despite the higher cost of fuel."),
        ("Follow us on Facebook, Instagram and Threads",
         "Want more from the harbour? Sign up for our free newsletter.",
         "© 2024 Planet Media. All rights reserved."),
    ),
    StoryPage(
        "de", "Stadtrat beschließt neue Straßenbahnlinie", "Jan Holm",
        ("Der Stadtrat hat am Dienstag mit großer Mehrheit den Bau einer neuen Straßenbahnlinie in den Norden der"
         " Stadt beschlossen, nachdem die Planungen wegen Klagen von Anwohnern fast zehn Jahre lang stillgestanden"
         " hatten.",
         "Folgen Sie der Debatte im Rathaus, sagte die Bürgermeisterin vor der Abstimmung, dann verstehen Sie, warum"
         " die Anwohner so lange skeptisch waren und warum die Verwaltung die Trasse zweimal geändert hat.",
         "Die Bauarbeiten sollen im Herbst beginnen und etwa drei Jahre dauern; die Verkehrsbetriebe rechnen damit,"
         " dass die ersten Züge im Frühjahr 2028 fahren, wenn die Lieferung der Fahrzeuge rechtzeitig erfolgt."),
        ("Folgen Sie uns auf Instagram und WhatsApp",
         "Abonniere unseren Newsletter",
         "© dpa-infocom, dpa:240514-99-123456/2",
         "Alle Rechte vorbehalten."),
    ),
    StoryPage(
        "fr", "Le port de plaisance agrandi malgré les recours", "Claire Morel",
        ("Le conseil municipal a approuvé jeudi soir l'agrandissement du port de plaisance, un projet contesté"
         " depuis des années par les associations de riverains et par plusieurs pêcheurs du quartier.",
         "Les travaux doivent commencer en janvier et dureront deux ans, selon la mairie, qui promet que la plage"
         " restera ouverte au public pendant tout le chantier et que les arbres abattus seront remplacés.",
         "Un avocat des riverains a rappelé que le droit d'auteur protège aussi les plans d'un architecte, et que"
         " le projet reprenait selon lui les dessins d'un concours annulé en 2019 sans que leur auteur soit payé."),
        ("Suivez-nous sur Facebook",
         "Abonne-toi à notre chaîne WhatsApp",
         "© AFP. Tous droits de reproduction réservés."),
    ),
    StoryPage(
        "es", "El ayuntamiento amplía el carril bici del centro", "Lucía Ortega",
        ("El ayuntamiento aprobó el martes la ampliación del carril bici del centro, que crecerá doce kilómetros"
         " y unirá por primera vez la estación de tren con la universidad y el hospital provincial.",
         "La policía cerró la semana pasada un canal de Telegram en el que se vendían bicicletas robadas, y el"
         " concejal de movilidad dijo que el nuevo carril tendrá aparcamientos vigilados en todas sus paradas.",
         "Las obras empezarán en septiembre y costarán unos ocho millones de euros, financiados en parte con"
         " fondos europeos, según el presupuesto presentado por el equipo de gobierno municipal."),
        ("Síguenos en X y en Instagram",
         "Suscríbete a nuestro boletín",
         "Todos los derechos reservados."),
    ),
    StoryPage(
        "it", "Riapre il ponte sul fiume dopo i lavori", "Marco Rossi",
        ("Il ponte sul fiume è stato riaperto al traffico lunedì mattina, dopo diciotto mesi di lavori che"
         " hanno costretto migliaia di pendolari a lunghe deviazioni attraverso le campagne della provincia.",
         "Gli abbonati del trasporto pubblico potranno di nuovo usare la linea diretta per la stazione, ha detto"
         " l'assessore, che ha ringraziato i residenti per la pazienza dimostrata durante tutto il cantiere.",
         "Secondo il comune la spesa finale è stata di undici milioni di euro, un milione in più del previsto a"
         " causa dell'aumento dei prezzi dell'acciaio e di due mesi di ritardo dovuti alle piene dell'inverno."),
        ("Seguici su Facebook e Instagram",
         "Iscriviti alla newsletter",
         "Riproduzione riservata ©"),
    ),
    StoryPage(
        "pt", "Câmara aprova nova linha de elétrico", "João Silva",
        ("A câmara municipal aprovou na terça-feira a construção de uma nova linha de elétrico entre o centro"
         " histórico e os bairros da zona oriental, um projeto discutido há mais de uma década.",
         "Siga as instruções da proteção civil durante as obras, pediu o vereador, que anunciou cortes de"
         " trânsito em várias ruas a partir de outubro e novos percursos para os autocarros da cidade.",
         "A obra custará cerca de cem milhões de euros e deverá estar concluída em 2028, segundo o calendário"
         " apresentado aos moradores numa sessão pública que durou mais de três horas."),
        ("Siga-nos no Instagram e no Facebook",
         "Inscreva-se no nosso canal do YouTube",
         "Todos os direitos reservados."),
    ),
    StoryPage(
        "nl", "Gemeente bouwt nieuwe fietsbrug over het kanaal", "Pieter de Vries",
        ("De gemeenteraad heeft dinsdag ingestemd met de bouw van een nieuwe fietsbrug over het kanaal, die de"
         " wijken aan de oostkant van de stad een directe verbinding met het centrum en het station geeft.",
         "Volgens de wethouder fietsen nu dagelijks ruim twaalfduizend mensen over de oude brug, die te smal is"
         " geworden en al jaren te maken heeft met files van fietsers tijdens de ochtendspits.",
         "De bouw begint na de zomer en moet twee jaar duren; de kosten worden geschat op achttien miljoen euro,"
         " waarvan de provincie ongeveer een derde betaalt uit het fonds voor duurzaam verkeer."),
        ("Volg ons op Facebook en LinkedIn",
         "Schrijf je in voor de nieuwsbrief",
         "Alle rechten voorbehouden."),
    ),
    StoryPage(
        "pl", "Miasto buduje nową linię tramwajową", "Anna Kowalska",
        ("Rada miasta zdecydowała we wtorek o budowie nowej linii tramwajowej na północ miasta, która po raz"
         " pierwszy połączy osiedla na obrzeżach z centrum i dworcem głównym.",
         "Obserwuj pogodę przed wyjazdem, radzili mieszkańcom drogowcy, którzy zapowiedzieli utrudnienia na"
         " głównych ulicach przez całą jesień i nowe trasy autobusów zastępczych.",
         "Budowa ma kosztować około pół miliarda złotych i potrwa trzy lata, a pierwsze tramwaje mają"
         " pojechać nową trasą wiosną 2028 roku, jeśli przetarg zostanie rozstrzygnięty na czas."),
        ("Obserwuj nas na Facebooku",
         "Zapisz się do newslettera",
         "Wszelkie prawa zastrzeżone."),
    ),
    StoryPage(
        "ru", "В городе откроют новую трамвайную линию", "Анна Берг",
        ("Городская дума во вторник утвердила строительство новой трамвайной линии, которая соединит"
         " северные районы с центром и вокзалом и сократит дорогу на работу для десятков тысяч жителей.",
         "Ранее регулятор заблокировал Telegram-канал противников проекта, а подписчики канала узнали об этом"
         " первыми, за несколько часов до заседания, на котором судьбу линии решали депутаты.",
         "Строительство начнется осенью и займет около трех лет, а стоимость работ оценивают в двенадцать"
         " миллиардов рублей, сообщили в мэрии после голосования депутатов."),
        ("Подписывайтесь на наш Telegram-канал",
         "Читайте нас в Дзене",
         "© 2024 ТАСС. Все права защищены."),
    ),
    StoryPage(
        "uk", "Місто відновить старий міст", "Олена Коваль",
        ("Міська рада у вівторок ухвалила рішення відновити старий міст через річку, який було закрито"
         " для руху ще два роки тому через тріщини в опорах і небезпечний стан прольоту.",
         "Підписники каналу міської ради у Telegram дізналися про рішення першими, ще до завершення"
         " засідання, і багато хто з них запитував, коли нарешті почнуться роботи на мосту.",
         "Ремонт коштуватиме приблизно двісті мільйонів гривень і триватиме до кінця наступного року, повідомили"
         " у міській раді після голосування депутатів."),
        ("Підписуйтесь на наш канал у Telegram",
         "Стежте за нами у Facebook",
         "Усі права захищені. Передрук заборонено."),
    ),
)
