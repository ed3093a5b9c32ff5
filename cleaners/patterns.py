"""Multilingual phrases of page furniture, shared by the block and line rules.

Each pattern matches a whole short text (a line, or a small block's text), never a
word inside a sentence: story text that merely mentions subscribers, sign-ups or
videos must not match. A few helpers (NETWORK, CONTACT, CLAUSE_START) find the parts
of a promo for the line rules that read its structure: a call, its object, a network.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE | re.UNICODE

# --- Calls to action -------------------------------------------------------------------------------
# The verbs that open subscription, sign-up and follow promos, one kind at a time, each with its
# imperative forms in every language (formal and informal, reflexive). They only ever match as the
# first words of a short text: a story quoting or describing a subscription does not start with one.

# "Subscribe to the theory that ...", "... to the school of ...": an idea, not a publication, so prose.
_SUBSCRIBE = (
    r"subscribe(?:\s+(?:(?:now|today|here|free|and)\b|&)|\s*[:!|–—]|\W*$"
    r"|\s+(?:to|for)\b(?!\s+(?:the|a|an|this|that|such)\s+(?:[\w-]+\s+){1,2}(?:that|which|of)\b))"
    r"|abonnier(?:e|t|en\s+sie)\b|abonnez[\s-]vous|abonne[\s-]toi|je\s+m[’']abonne"
    r"|suscr[ií]b(?:ete|ase|anse|ite)\b"
    r"|iscriviti|iscrivetevi|abbonatevi|abbonati(?=\s+(?:a|al|alla|ai|alle|ora|subito|oggi|adesso)\b|\W*$)"
    r"|assin[ea](?=\s+(?:já|agora|hoje|newsletter|noss[ao]s?\b|(?:a|o|as|os)\s+(?:newsletter|noss[ao]s?\b|(?-i:[A-Z])))|\W*$)"
    r"|subscreva|inscreva[\s-]se|inscreve[\s-]te|inscrevam[\s-]se"
    r"|abonneer|schrijf\s+(?:je|u)\s+(?:nu\s+)?in\b"
    r"|(?:za)?subskrybuj(?:cie)?|(?:za)?prenumeruj(?:cie)?|zapisz(?:cie)?\s+si[eę]"
    r"|подпи(?:шитесь|шись|сывайтесь|сывайся)|оформите\s+подписку|оформи\s+подписку"
    r"|підпи(?:шіться|шись|суйтеся|суйтесь|суйся)|оформіть\s+(?:передплату|підписку)|передплатіть"
)
# Signing up for a newsletter or an account.
_SIGN_UP = (
    r"(?:sign|signup)[\s-]?up\s+(?:for|to|now|here|today|and)\b|sign\s+me\s+up"
    r"|(?:get|receive|try)\s+(?:our|the|a|\d+)\s.{0,40}(?:newsletter|inbox|e-?mails?|briefing|digest|issues?)\b"
    r"|join\s+(?:our|the)\s.{0,30}(?:newsletter|mailing\s+list|subscribers)"
    r"|already\s+a\s+subscriber|become\s+a\s+(?:paid\s+)?(?:subscriber|member)|start\s+your\s+(?:free\s+)?(?:trial|subscription)"
    r"|newsletter\s+(?:abonnieren|bestellen)|jetzt\s+(?:abonnieren|anmelden|registrieren)"
    r"|(?:melden\s+sie\s+sich|melde\s+dich)\s.{0,40}newsletter"
    r"|inscrivez[\s-]vous|inscris[\s-]toi|reg[ií]str(?:ate|ese)\b|(?:date|d[ée]se)\s+de\s+alta"
    r"|cadastre[\s-]se|registr?e[\s-]se|meld\s+(?:je|u)\s+(?:nu\s+)?aan|zarejestruj\s+si[eę]"
    r"|зарегистрируйтесь|зареєструйтеся"
)
# A button's label: an infinitive or noun alone ("S'abonner", "Jetzt abonnieren", "Подписаться на рассылку").
_BUTTON = (
    r"(?:(?:jetzt|kostenlos|gratis|now|maintenant|ahora|ora|agora|nu|teraz|сейчас|зараз)\s+)?"
    r"(?:abonnieren|anmelden|s[’']abonner|s[’']inscrire|suscribirse|abbonarsi|iscriversi|assinar|inscrever[\s-]se|abonneren"
    r"|aanmelden|inschrijven|subskrybuj|zapisz\s+si[eę]|подписаться|підписатися|sign\s+up)"
    r"(?:\s+[\w’'-]+){0,3}\W*$"
)
# "Click here to subscribe ...": the promo behind a link's usual lead-in.
_CLICK_HERE = r"(?:(?:click|tap)\s+here\s+(?:to|and)\s+)?"
CALL_TO_ACTION = re.compile(rf"^\W*{_CLICK_HERE}(?:{_SUBSCRIBE}|{_SIGN_UP}|{_BUTTON})", _I)

# Small words the promo patterns share, in every language: "and", "also", "on".
_AND = r"and|or|und|oder|et|ou|y|o|e|i|en|of|lub|oraz|и|или|і|або|та"
_ALSO = r"also|auch|aussi|también|anche|também|ook|też|также|теж|також"
_ON = r"on|at|via|in|auf|bei|im|sur|en|su|no|na|nos|op|w|в|во|у|на"

# Social networks, messengers, news aggregators and podcast apps a promo sends readers to. Long
# names may carry a case ending ("na Facebooku", "в Телеграме", "Telegram-канал").
NETWORK = re.compile(
    r"(?<!\w)(?:(?:telegram|телеграм|whats\s?app|ватсап|вотсап|viber|вайбер|вконтакте|odnoklassnik|одноклассник|однокласник"
    r"|facebook|фейсбук|twitter|твиттер|твітер|instagram|инстаграм|інстаграм|tiktok|тикток|тікток|youtub|ютуб|linkedin"
    r"|bluesky|mastodon|flipboard|pinterest|snapchat|reddit|twitch|rutube|spotify|substack|threads)\w*"
    r"|google\s+(?:news|podcasts|новост\w*|новин\w*|actualités|noticias|notizie|notícias|nieuws|wiadomości)|apple\s+podcasts"
    r"|(?:яндекс[\s.-]?)?дзен\w*|dzen|zen|vk|вк|ok|ок|fb|rss|signal"
    rf"|(?-i:X)(?=\s*(?:$|[,.;:!?()|/]|(?:{_AND})\b))"  # "on X", not "Tecton X 3"
    r"|social\s+(?:media|networks?)|sozialen\s+(?:netzwerken|medien)|r[ée]seaux\s+sociaux|redes\s+socia(?:les|is)"
    r"|social(?:i|e)?\s+(?:network|media)|mediach\s+społecznościowych|соц(?:иальных\s+)?сетях|соц(?:іальних\s+)?мережах)(?!\w)",
    _I,
)
# Verbs of following that hold their object ("suivez-nous", "síguenos", "seguici"): a promo with nothing more.
_FOLLOW_US = (
    r"suivez[\s-]nous|suis[\s-]nous|rejoignez[\s-]nous|rejoins[\s-]nous|retrouvez[\s-]nous|s[ií]guenos|s[ií]ganos|encu[ée]ntranos"
    r"|seguici|seguiteci|trovaci|siga[\s-]nos|sigam[\s-]nos|segue[\s-]nos|acompanhe[\s-]nos"
    r"|(?:like|find|read|join|connect\s+with)\s+(?:us|me)"
)
# Verbs of following that take an object; a named object ("Follow The Daily Planet on ...") only for these.
_FOLLOW = (
    r"follow|folgen\s+sie|folge|folgt|suivez|suis|sigue|siga|sigan|s[ií]gan|segui|seguite|segue|acompanhe|volg|volgen"
    r"|obserwuj(?:cie)?|śledź(?:cie)?|следите\s+за|следи\s+за|стежте\s+за|слідкуйте\s+за"
)
# Calls that send readers to a channel but need "us"/"our ..." to be a promo ("Join us on Telegram", "Читайте нас в Дзене").
_JOIN = (
    r"join|besuchen\s+sie|finden\s+sie|rejoignez|retrouvez|[úu]n[ea]te|unisciti|junte[\s-]se"
    r"|vind|polub(?:cie)?|dołącz(?:cie)?\s+do|читайте|присоединяйтесь\s+к|вступайте\s+в|добавляйте|приєднуйтесь\s+до"
    r"|приєднуйтеся\s+до|долучайтеся\s+до|подписывайтесь\s+на|подпишитесь\s+на|підписуйтесь\s+на|підпишіться\s+на"
)
FOLLOW_CALL = re.compile(
    rf"\W*(?:(?:{_AND}|{_ALSO})\s+)?"
    rf"(?:(?P<us>{_FOLLOW_US})|(?P<follow>{_FOLLOW})|(?P<join>{_JOIN})|(?P<subscribe>{_SUBSCRIBE}))(?!\w)",
    _I,
)
# Where a follow call may start inside a sentence: "..., and follow us on Facebook".
CLAUSE_START = re.compile(rf"(?:,|;|\s(?:{_AND}))\s+", _I)
# What a follow call names before the network: "us", "our channel", "the latest news".
FOLLOW_OBJECT = re.compile(
    r"^(?:us|me|him|her|them|uns|mich|ihn|nous|moi|nos|nosotros|ci|noi|ons|mij|nas|mnie|go|нас|нам|нами|меня|мной|его|мене|мною|його"
    r"|our|my|his|their|unser\w*|mein\w*|notre|mon|ma|mes|nuestr\w*|mi|mis|nostr\w*|mio|mia|noss\w*|meu|minha|onze|mijn"
    r"|nasz\w*|moj\w*|mój|наш\w*|мо[йяеёї]\w*"
    r"|news|updates|nachrichten|actualit\w*|noticias|notizie|not[íi]cias|nieuws|wiadomości|aktualności|новост\w*|новин\w*"
    r"|событи\w*|поді\w*|@\w+)$",
    _I,
)
# What a promo asks readers to follow when it names no network: "Follow our newsletter", "Следите за нашим каналом".
PROMO_CHANNEL = re.compile(
    r"^(?:newsletter\w*|nieuwsbrief|bolet[íi]n|lettre|рассылк\w*|розсилк\w*|channel|kanal\w*|cha[îi]ne|canal\w*|kanaal"
    r"|kanał\w*|канал\w*|podcast\w*|подкаст\w*)$",
    _I,
)
# Prepositions and articles a follow call may put between the verb and its object or the network.
FOLLOW_FILLER = re.compile(
    rf"^(?:{_ON}|{_ALSO}|to|for|zu|à|au|aux|a|al|do|до|к|з|the|der|die|das|dem|den|le|la|les|el|los|il|lo|o|os|de|het)$", _I
)
# Contact details: an e-mail address, a handle or a web address.
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.\w|(?<!\w)@\w|https?://|\bwww\.", _I)
# "We're on Telegram", "Мы в Telegram", "Nous sommes sur WhatsApp": the line announces a channel.
ON_NETWORK = re.compile(
    r"^\W*(?:we[’']?re|we\s+are|wir\s+sind|nous\s+sommes|estamos|siamo|somos|we\s+zijn|jesteśmy|мы|ми)\s+"
    rf"(?:(?:{_ALSO}|есть|є|now|jetzt|maintenant|ahora|ora|agora|nu|teraz|теперь|тепер)\s+)*(?:{_ON})\s+",
    _I,
)

# Straplines that only ever sell a newsletter or subscription.
PROMO_STRAPLINE = re.compile(
    r"(?:(?:delivered|straight|directly|right)\s+(?:directly\s+)?(?:to|into)\s+your\s+inbox"
    r"|delivered\s+(?:to|through)\s+your\s+(?:door|doorstep|letterbox|mailbox)\s+every\s+(?:week|month)"
    r"|\b\d+\s+issues\s+for\s+\S{0,3}\d"
    r"|\bin\s+your\s+inbox\b|free\s+(?:daily\s+|weekly\s+)?(?:e-?mail|newsletter)s?\b"
    r"|\bunsubscribe\s+at\s+any\s+time|\bprivacy\s+(?:policy|notice)\b.{0,40}\b(?:e-?mail|newsletter)"
    r"|in\s+ihr(?:em)?\s+(?:e-mail-)?postfach|dans\s+votre\s+bo[iî]te"
    r"|en\s+tu\s+(?:bandeja|correo)|nella\s+tua\s+(?:casella|e-?mail|inbox)|na\s+sua\s+caixa\s+de\s+entrada"
    r"|in\s+(?:je|jouw|uw)\s+(?:inbox|mailbox)|(?:na|do)\s+(?:twoją\s+|twojej\s+)?skrzynk[iię]"
    r"|на\s+(?:вашу\s+)?(?:почту|e-?mail)|на\s+вашу\s+пошту)",
    _I,
)

VIDEO_FALLBACK = re.compile(
    r"^\W*(?:your\s+browser\s+(?:does\s*n[o’']t|doesn[’']t|does\s+not|cannot|can[’']t)\s+(?:support|play)"
    r"|(?:this|the)\s+video\s+(?:is\s+not\s+available|cannot\s+be\s+played|requires)"
    r"|no\s+media\s+source\s+(?:is\s+)?(?:currently\s+)?available"
    r"|(?:please\s+)?enable\s+javascript\s+to\s+(?:view|watch|play)"
    r"|ihr\s+browser\s+unterst[üu]tzt"
    r"|votre\s+navigateur\s+ne\s+(?:prend|supporte|permet)"
    r"|tu\s+navegador\s+no\s+(?:admite|soporta|es\s+compatible)|su\s+navegador\s+no"
    r"|ваш\s+браузер\s+не\s+(?:поддерживает|підтримує)"
    r")",
    _I,
)

# "Watch related report from X:", "Listen:", "Смотрите видео:": an introduction to an embed.
MEDIA_INTRO = re.compile(
    r"^\W*(?:watch|listen|video|audio|ver|vea|v[ée]ase|mire|mira|regardez|voir|[ée]coutez|sehen\s+sie|h[öo]ren\s+sie"
    r"|смотрите|слушайте|дивіться|слухайте)\b[^.!?]{0,120}:\s*$",
    _I,
)

ADVERTISEMENT_LABEL = re.compile(
    r"^\W*(?:advertisement|advertising|ad|sponsored(?:\s+content)?|promoted|paid\s+content"
    r"|anzeige|werbung|publicit[ée]|publicidad|pubblicit[àa]|publicidade|реклама|рекламa)\W*$",
    _I,
)

# A "READ MORE: headline" teaser; the colon (or a similar mark) is what tells it from prose.
READ_MORE_PROMO = re.compile(
    r"^\W*(?:read\s+more|read\s+also|also\s+read|related(?:\s+(?:story|stories|article|articles|coverage|content|reading))?"
    r"|see\s+also|more\s+on\s+this(?:\s+story)?|recommended|most\s+read|you\s+may\s+also\s+like|further\s+reading|also\s+on\s+[\w.]+"
    r"|don[’']?t\s+miss|see\s+more|must\s+read"
    r"|lesen\s+sie\s+auch|lesen\s+sie\s+mehr|mehr\s+zum\s+thema|auch\s+interessant|siehe\s+auch"
    r"|lire\s+aussi|[àa]\s+lire\s+aussi|voir\s+aussi|lea\s+tambi[ée]n|le\s+puede\s+interesar|te\s+puede\s+interesar"
    r"|ver\s+tambi[ée]n|v[ée]ase\s+tambi[ée]n|leggi\s+anche|leia\s+tamb[ée]m|читайте\s+(?:также|також)|по\s+теме"
    r"|смотрите\s+также|см\.\s+также|дивіться\s+також|див\.\s+також"
    r")\s*(?::|\||»|>>|–|—)\s*\S"
    r"|^\W*also\s+on\s+[\w-]+\.[a-z]{2,}\b\s+\S",  # "Also on example.com Headline of another story"
    _I,
)

# A teaser heading over a list of other stories.
RELATED_HEADING = re.compile(
    r"^\W*(?:related(?:\s+\w+)?|more\s+(?:from|on|in|stories|news|like\s+this|to\s+read)\b.*|read\s+(?:more|next|also)|also|more"
    r"|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+for\s+you)?|most\s+(?:read|popular|viewed|shared)|top\s+stories"
    r"|trending(?:\s+now)?|what\s+to\s+read\s+next|editor[’']?s\s+picks|latest(?:\s+news|\s+stories)?|see\s+also|further\s+reading"
    r"|don[’']?t\s+miss|see\s+more|must\s+read"
    r"|most\s+read\s+in\s+[\w\s]{1,30}|you\s+(?:may|might)\s+also\s+(?:like|enjoy)|recommended\s+stories"
    r"|lesen\s+sie\s+auch|siehe\s+auch|mehr\s+zum\s+thema|meistgelesen|das\s+k[öo]nnte\s+sie\s+auch\s+interessieren"
    r"|lire\s+aussi|[àa]\s+lire\s+aussi|les\s+plus\s+lus|sur\s+le\s+m[êe]me\s+sujet"
    r"|lea\s+tambi[ée]n|lo\s+m[áa]s\s+le[íi]do|m[áa]s\s+noticias|noticias\s+relacionadas"
    r"|читайте\s+(?:также|також)|по\s+теме|самое\s+читаемое|популярное|найпопулярніше|більше\s+новин|інші\s+новини|другие\s+новости"
    r")\W*$",
    _I,
)

SHARE_LABEL = re.compile(
    r"^\W*(?:share(?:\s+(?:this|the)(?:\s+(?:article|story|page|post))?)?(?:\s+(?:on|via|to)\s+\w+)?|tweet|e-?mail|print"
    r"|copy\s+(?:the\s+)?link|link\s+copied|facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram|messenger"
    r"|flipboard|comments?|save|bookmark|gift\s+(?:this\s+)?article|(?:order\s+)?reprints?|print\s+(?:this\s+)?article"
    r"|click\s+to\s+tweet|tweet\s+this|like\s+this\s+(?:story|article)\?\s*share\s+it(?:\s+with\s+a\s+friend)?"
    r"|teilen|artikel\s+teilen|partager|compartir|condividi|compartilhar|поделиться|поширити|поділитися"
    r")\W*$",
    _I,
)

SHARE_HREF = re.compile(
    r"(?:facebook\.com/(?:sharer|share|dialog/share)|(?:twitter|x)\.com/(?:intent|share)|linkedin\.com/(?:share|shareArticle)"
    r"|pinterest\.\w+/pin/create|reddit\.com/submit|(?:t\.me|telegram\.me)/share|vk\.com/share|api\.whatsapp\.com/send"
    r"|^whatsapp:|^mailto:\?|^sms:|flipboard\.com/bookmarklet|news\.ycombinator\.com/submitlink)",
    _I,
)

COMMENT_WIDGET = re.compile(
    r"^\W*(?:\d[\d,.]*\s+comments?|comments?\s*\(\d+\)|comments?|show\s+comments|view\s+comments|(?:add|post|leave)\s+a\s+(?:comment|reply)"
    r"|join\s+the\s+(?:conversation|discussion|debate)|(?:log\s*in|sign\s*in)(?:\s+or\s+(?:register|sign\s*up))?\s+to\s+(?:comment|reply|join)"
    r"|be\s+the\s+first\s+to\s+comment|comments\s+are\s+closed|\d+\s+(?:replies|responses)|reply|report(?:\s+abuse)?"
    r"|kommentare?(?:\s*\(\d+\))?|\d+\s+kommentare|commentaires?|\d+\s+commentaires|comentarios?|\d+\s+comentarios"
    r"|комментарии|\d+\s+комментари\w*|коментарі|\d+\s+коментар\w*)\W*$",
    _I,
)

TAG_LIST = re.compile(
    r"^\W*(?:tags?|topics?|filed\s+under|more\s+about|schlagw[öo]rter|themen|mots[\s-]cl[ée]s|sujets|etiquetas|temas|теги|темы|теми)\s*:\s*\S",
    _I,
)

AUTHOR_BIO = re.compile(
    r"^[\w.'’-]+(?:\s+[\w.'’-]+){0,3}\s+(?:is|was)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}"
    r"(?:reporter|writer|journalist|correspondent|editor|columnist|contributor|producer|critic|photographer)\b",
    _I,
)

# "By NAME Published", "By NAME, Outlet Published 3 hours ago": a teaser's byline line.
BYLINE = re.compile(
    r"^\W*(?i:by|von|par|por|di|от|від|автор:?)\s+\S.{0,100}?\s+(?:Published|Updated|Last\s+updated|Veröffentlicht|Aktualisiert|Publié|Mis\s+à\s+jour|Publicado|Actualizado|Pubblicato|Опубликовано|Обновлено|Опубліковано|Оновлено)\b[^.!?]{0,40}$"
    r"|^\W*(?i:by|von|par|por)\s+(?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w.'’-]*\s*){1,4}(?:(?:,|and|&|und|et|y)\s+(?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w.'’-]*\s*){1,4})*$",
    re.UNICODE,
)

# The fields of a blog post's meta line ("Posted by X in News | Tags: a, b"): a verb phrase ("posted by"),
# or a label with its colon ("Category:"); two of them make the line.
POST_META_FIELD = re.compile(
    r"(?:^|[|·•/–—-]\s*|\s)(?:(?:posted\s+(?:by|in|on)|published\s+by|filed\s+(?:in|under)|publicado\s+por|publi[ée]\s+par"
    r"|ver[öo]ffentlicht\s+von|pubblicato\s+da|geplaatst\s+door|opublikowano\s+przez|опубликовано|опубліковано)\s*:?(?=\s)"
    r"|(?:categor(?:y|ies)|tags?|categor[íi]as?|etiquetas|cat[ée]gories?|kategorien?|schlagw[öo]rter|categori[ae]"
    r"|categorie[ëe]n|kategori[ae]|рубрика|категори[яи]|метки|теги|мітки)\s*:)",
    _I,
)

# A byline's label and the words that join its names: "By Anna Berg and Jan Holm", "Автор: Анна Берг".
BYLINE_LABEL = re.compile(
    r"^\W*(?:by|written\s+by|words\s+by|von|text:?|texte\s*:|par|por|di|door|przez|tekst:?|от|від|автор(?:ы|и)?:?|текст:?)\s+",
    _I,
)
# A byline's role after the name: "Transport Editor", "Redakteurin", "корреспондент".
BYLINE_ROLE = re.compile(
    r"^(?:[\w&'’.-]+\s+){0,4}(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|photographer|critic"
    r"|redakteur|journalist|korrespondent|autor|journaliste|r[ée]dact(?:eur|rice)|correspondant|chroniqueu?r|periodista|redactor"
    r"|corresponsal|giornalista|redattore|redattrice|corrispondente|jornalista|rep[óo]rter|redator|verslaggever|correspondent|redacteur"
    r"|dziennikar|redaktor|korespondent|корреспондент|журналист|редактор|обозреватель|кореспондент|журналіст|оглядач)\w*$",
    _I,
)
NAME_SEPARATOR = re.compile(rf"\s*(?:[;|,/&·•]|\b(?:{_AND})\b)\s*", _I)

# News agencies whose credit or rights line closes a wire story.
_AGENCY = (
    r"reuters|ap|associated\s+press|afp|agence\s+france[\s-]presse|dpa|epd|kna|epa|efe|europa\s+press|ansa|adnkronos|agi|apa|sda"
    r"|keystone-sda|ats|anp|belga|lusa|pap|ctk|tass|тасс|риа\s+новости|ria\s+novosti|интерфакс|interfax|укрінформ|ukrinform"
    r"|уніан|unian|xinhua|kyodo|bloomberg|getty\s+images|ap\s+photo|shutterstock|imago|picture\s+alliance"
)
CREDIT = re.compile(
    rf"^\W*(?:(?:photo|image|picture|foto|bild|фото)\s*(?:credit\s*)?(?::|©|by\b)"
    r"|(?:video|видео|відео)\s*(?:credit\s*(?::|by\b)|©)"  # "Video: 4K/30p" is a spec, not a credit
    rf"|\(?(?:{_AGENCY})(?:\s*[/,;]\s*(?:{_AGENCY}|[a-z]{{2,4}}))*\)?\W*$)",
    _I,
)

# --- Copyright and rights lines ------------------------------------------------------------------
# A line that opens with the copyright mark, or "Copyright" with a mark or a year: "© 2024 The Daily
# Planet", "Copyright 2019 Inexhibit", "(c) dpa-infocom". "Copyright law ..." has neither, and "(c)" with
# more than a dozen words is a list item ("(c) 2019 figures show ...").
COPYRIGHT_MARK = re.compile(
    rf"^\W{{0,3}}(?:©|ⓒ|℗|\(c\)\s*(?:(?:19|20)\d\d|{_AGENCY})\b(?=(?:\W*\w+){{0,10}}\W*$)|copyright\s*(?:©|\(c\)|(?:19|20)\d\d\b)|copyright\s+(?:(?-i:[A-Z])[\w&.,'’-]*\s+){{1,4}}(?:19|20)\d\d\b)",
    _I,
)
# "All rights reserved" and the reuse notices of publishers and agencies, as a sentence of their own:
# they open the text, or follow a sentence end, a year or a separator, and end their sentence
# ("Все права защищены законом, ..." goes on, so it is prose).
_RIGHTS = (
    r"all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|tous\s+droits\s+(?:de\s+reproduction\s+)?r[ée]serv[ée]s"
    r"|todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati|riproduzione\s+riservata"
    r"|todos\s+os\s+direitos\s+reservados|alle\s+rechten\s+voorbehouden|wszelkie\s+prawa\s+zastrzeżone"
    r"|все\s+права\s+защищены|(?:усі|всі)\s+права\s+захищені"
    r"|reproduction\s+interdite|nachdruck\s+(?:nur\s+mit\s+genehmigung|verboten)"
    r"|prohibida\s+su\s+reproducci[óo]n(?:\s+total\s+o\s+parcial)?|(?:é\s+)?proibida\s+a\s+reprodu[çc][ãa]o(?:\s+total\s+ou\s+parcial)?"
    r"|перепечатка\s+(?:материалов\s+)?запрещена|передрук\s+заборонено"
)
RIGHTS_NOTICE = re.compile(
    rf"(?:^|[.!|·•©]\s*|\b(?:19|20)\d\d\W*\s)\W*(?:(?:{_RIGHTS})\s*(?:[.!|·•©]|$)"
    r"|this\s+material\s+may\s+not\s+be\s+published\b[^.!?]{0,80}(?:[.!?]|$))",
    _I,
)

# The terms a syndicated copy is printed under (Dow Jones, Tribune and others): a notice wherever it stands.
REPRINT_NOTICE = re.compile(r"^\W*this\s+copy\s+is\s+for\s+your\s+personal,?\s+non-?\s?commercial\s+use\s+only\b", _I)

# The button that quote-tweet plugins put after a highlighted sentence of the story.
TWEET_BUTTON = re.compile(r"^\W*(?:click\s+to\s+tweet|tweet\s+this(?:\s+quote)?)\W*$", _I)

WORD = re.compile(r"\w", re.UNICODE)

# ", left," ", center,": the positions only a photo caption gives.
CAPTION_POSITION = re.compile(
    r",\s*(?:left|right|center|centre|second\s+(?:from\s+)?(?:left|right)|top|bottom|foreground|background|front|rear)\s*[,)]",
    _I,
)
# A caption's closing dateline: "... in Moscow, Feb. 6, 2015."
CAPTION_DATELINE = re.compile(
    r",\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\.?\s*$", _I
)

CAPTION_CLASS = re.compile(
    r"caption|credit|(?:img|image|photo|media|pic|picture|figure)[-_]?(?:desc|description|text|info|legend|title)|legend", _I
)

COOKIE_NOTICE = re.compile(
    r"\b(?:we|this\s+(?:site|website))\s+uses?\s+cookies|\bcookies?\b.{0,80}\b(?:consent|accept|agree|privacy|settings|preferences)\b"
    r"|\b(?:verwendet|nutzt|nutzen|verwenden)\s+cookies|\butilise\s+des\s+cookies|\butiliza(?:mos)?\s+cookies"
    r"|использует\s+(?:файлы\s+)?cookie|використовує\s+(?:файли\s+)?cookie",
    _I,
)

HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:sr-only|visually-hidden|visuallyhidden|screen-reader-text|screen-reader-only|hidden|is-hidden|hide"
    r"|d-none|print-only|show-for-print|offscreen|u-hidden)(?:\s|$)", _I
)

READING_TIME = re.compile(
    r"^\W*(?:(?:estimated\s+)?reading\s+time|read\s+time|tempo\s+de\s+leitura|tiempo\s+de\s+lectura|lesezeit|temps\s+de\s+lecture"
    r"|tempo\s+di\s+lettura|время\s+(?:на\s+)?чтени[яе]|час\s+читання)\s*:?\s*(?:about\s+|ca\.?\s+)?\d+\s*\w*\W*$"
    r"|^\W*\d+\s*(?:-\s*)?(?:min(?:ute)?s?|minuten|minutos?|минут[аы]?|хвилин[аи]?)\.?\s+(?:read|reading|lesezeit|de\s+leitura|de\s+lectura|de\s+lecture|чтения|читання)\W*$",
    _I,
)

# "Reporting by X; Editing by Y", "Jane Doe contributed to this report.": the desk's credits after the story.
CONTRIBUTOR_CREDIT = re.compile(
    r"^\W*(?i:(?:additional\s+)?(?:reporting|writing|editing|research)\s+by)\b"
    r"|\bcontributed\s+(?:reporting|research|to\s+this\s+(?:report|story|article))\b"
    r"|^\W*(?i:compiled|edited|written)\s+by\s+[A-Z]"
    r"|^\W*(?i:source|sources|quelle|quellen|fuente|fuentes|fonte|источник|джерело)\s*:\s*[A-ZА-ЯЁІЇЄ][^.!?]{0,60}$",
    re.UNICODE,
)

# "Follow our coverage at https://...", "More AP NBA: https://...": a call to go elsewhere, with the address.
LINK_PROMO = re.compile(
    r"^\W*(?:follow|reach|more|read|see|visit|check\s+out|find|get|watch|listen|subscribe|download|join|click)\b.*(?:https?://|www\.)",
    _I,
)

_MONTHS = (
    r"jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar)?|f[ée]v(?:rier)?|fevereiro|mar(?:ch|s|zo|ço)?|m[äa]rz|apr(?:il)?|avr(?:il)?|abr(?:il)?"
    r"|may|mai|mayo|maio|jun(?:e|i|io|ho)?|juin|jul(?:y|i|io|ho)?|juil(?:let)?|aug(?:ust)?|ao[uû]t|ago(?:sto)?|sep(?:t|tember|tembre|tiembre)?"
    r"|set(?:embro)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|out(?:ubro)?|nov(?:ember|embre|iembre|embro)?|dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember|embro)?|dic(?:iembre)?"
)
DATE_TOKEN = re.compile(
    rf"\b(?:\d{{1,4}}[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|(?:{_MONTHS})\.?|\d{{1,4}}(?:st|nd|rd|th)?)\b",
    _I,
)
# What makes a run of numbers a date: a month name, a clock time, a year or a full numeric date.
DATE_ANCHOR = re.compile(
    rf"\b(?:{_MONTHS})\b|\b\d{{1,2}}:\d{{2}}\b|\b(?:19|20)\d{{2}}\b|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b", _I
)
# What a dateline holds besides dates: weekdays, time zones, "Updated", "by NAME" and connectors.
DATELINE_FILLER = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:segunda|ter[çc]a|quarta|quinta|sexta)-feira\b|\bs[áa]bado\b|\bdomingo\b"
    r"|\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
    r"|\b(?:am|pm|a\.m\.|p\.m\.|gmt|utc|[a-z]st|[a-z]dt|amt|cet|cest|uhr|h)\b|\b(?:de|del|às|a\s+las|um|le|à|at|on|of|the)\b"
    r"|\b(?:published|updated|posted|last\s+updated|publicado|atualizado|actualizado|ver[öo]ffentlicht|aktualisiert|publi[ée]|mis\s+à\s+jour)\b"
    r"|\b(?:por|by|von|par)\s*:?\s+(?:[A-ZÀ-Þ][\w.'’-]*\s*){1,4}",
    _I,
)
