"""The printed wording of the materials, in the six languages (drafts: not yet reviewed by
native speakers; the UI marks them so).

Built on the starter guidance (the five Ds, the survivor-centred approach, your options) and
its source, *Making zero tolerance a reality* (UN Women and the CEB Task Force, 2023); the
duty to report SEA concerns is ST/SGB/2003/13, section 3.2. Nothing here promises what an
organisation cannot keep: no unconditional confidentiality, no number that is not in the
store. `{place}`, `{hours}`, `{version}`, `{date}`, `{text}` are filled in at print time.
"""

from __future__ import annotations

LANGS = ("ar", "en", "es", "fr", "ru", "zh")

WORDING: dict[str, dict[str, str]] = {
    "five_ds_title": {
        "en": "Be an upstander: the five Ds",
        "fr": "Agir en témoin actif : les cinq D",
        "es": "Actúe como testigo activo: las cinco D",
        "ru": "Не оставайтесь в стороне: пять способов вмешаться",
        "ar": "كن شاهدًا فاعلًا: خمس طرق للتدخّل",
        "zh": "做积极的旁观者：五种干预方式",
    },
    "five_ds_intro": {
        "en": "If you see harassment, you can help. Choose what feels safe for you and for the "
              "person targeted.",
        "fr": "Si vous êtes témoin de harcèlement, vous pouvez aider. Choisissez ce qui est sûr "
              "pour vous et pour la personne visée.",
        "es": "Si ve acoso, puede ayudar. Elija lo que sea seguro para usted y para la persona "
              "afectada.",
        "ru": "Если вы видите домогательства, вы можете помочь. Выберите то, что безопасно для "
              "вас и для человека, которого притесняют.",
        "ar": "إذا رأيت تحرّشًا، يمكنك أن تساعد. اختر ما تشعر أنه آمن لك وللشخص المستهدَف.",
        "zh": "如果您看到骚扰，您可以提供帮助。请选择对您和被骚扰者都安全的方式。",
    },
    "d1": {"en": "Distract", "fr": "Distraire", "es": "Distraer", "ru": "Отвлеките",
           "ar": "اصرف الانتباه", "zh": "转移注意"},
    "d1_line": {
        "en": "Interrupt without naming the behaviour: ask a question, start a new conversation.",
        "fr": "Interrompez sans nommer le comportement : posez une question, lancez une autre "
              "conversation.",
        "es": "Interrumpa sin nombrar la conducta: haga una pregunta, empiece otra conversación.",
        "ru": "Прервите ситуацию, не называя поведение: задайте вопрос, начните другой разговор.",
        "ar": "قاطِع الموقف دون أن تسمّي السلوك: اطرح سؤالًا أو ابدأ حديثًا جديدًا.",
        "zh": "不点明行为地打断：问一个问题，或开始另一个话题。",
    },
    "d2": {"en": "Delegate", "fr": "Déléguer", "es": "Delegar", "ru": "Позовите на помощь",
           "ar": "اطلب العون", "zh": "寻求他人"},
    "d2_line": {
        "en": "Ask someone else to help: a manager, security, or a person the harasser listens to.",
        "fr": "Demandez l'aide de quelqu'un d'autre : un responsable, la sécurité, une personne "
              "que l'auteur écoute.",
        "es": "Pida ayuda a otra persona: un superior, seguridad o alguien a quien el acosador "
              "escuche.",
        "ru": "Попросите помочь другого человека: руководителя, службу безопасности или того, "
              "к кому прислушается обидчик.",
        "ar": "اطلب من شخص آخر أن يساعد: مديرًا أو أمن المكتب أو شخصًا يصغي إليه المتحرّش.",
        "zh": "请别人帮忙：主管、安保人员或骚扰者会听从的人。",
    },
    "d3": {"en": "Document", "fr": "Documenter", "es": "Documentar", "ru": "Запишите",
           "ar": "وثّق", "zh": "记录"},
    "d3_line": {
        "en": "If it is safe, note the date, time, place and what you saw. Give your notes to "
              "the person targeted.",
        "fr": "Si c'est sans danger, notez la date, l'heure, le lieu et ce que vous avez vu. "
              "Remettez vos notes à la personne visée.",
        "es": "Si es seguro, anote la fecha, la hora, el lugar y lo que vio. Entregue sus notas "
              "a la persona afectada.",
        "ru": "Если это безопасно, запишите дату, время, место и что вы видели. Отдайте записи "
              "этому человеку.",
        "ar": "إن كان ذلك آمنًا، دوّن التاريخ والوقت والمكان وما رأيته، وأعطِ ملاحظاتك للشخص "
              "المستهدَف.",
        "zh": "如果安全，记下日期、时间、地点和您看到的情况，并把记录交给被骚扰者。",
    },
    "d4": {"en": "Delay", "fr": "Différer", "es": "Dar seguimiento", "ru": "Поддержите потом",
           "ar": "تابِع لاحقًا", "zh": "事后关心"},
    "d4_line": {
        "en": "Check on the person afterwards: \u201cAre you all right? Do you want any "
              "help?\u201d",
        "fr": "Prenez des nouvelles de la personne ensuite : « Ça va ? Voulez-vous de l'aide ? »",
        "es": "Después, pregunte a la persona: «¿Está bien? ¿Quiere ayuda?»",
        "ru": "Потом поговорите с этим человеком: «Вы в порядке? Вам нужна помощь?»",
        "ar": "اطمئن على الشخص بعد ذلك: «هل أنت بخير؟ هل تريد أي مساعدة؟»",
        "zh": "事后关心对方：“你还好吗？需要帮助吗？”",
    },
    "d5": {"en": "Direct", "fr": "Dire stop", "es": "Decir basta", "ru": "Скажите прямо",
           "ar": "تدخّل مباشرة", "zh": "直接制止"},
    "d5_line": {
        "en": "Say calmly: \u201cStop. That is not acceptable.\u201d Only if you and they are "
              "safe.",
        "fr": "Dites calmement : « Arrêtez. Ce n'est pas acceptable. » Seulement si vous et la "
              "personne visée êtes en sécurité.",
        "es": "Diga con calma: «Basta. Eso no es aceptable». Solo si usted y la persona "
              "afectada están seguros.",
        "ru": "Спокойно скажите: «Прекратите. Это недопустимо». Только если вы и этот человек "
              "в безопасности.",
        "ar": "قل بهدوء: «توقّف. هذا غير مقبول.» فقط إذا كنت أنت والشخص المستهدَف في أمان.",
        "zh": "平静地说：“住手，这是不可接受的。”仅在您和对方都安全时使用。",
    },
    "get_help_title": {
        # No preposition before {place}: "à Moldavie", "в Молдова", "لـ" + a Latin name are
        # wrong, and each country would need its own (en/au/aux...). A dash needs none.
        "en": "Where to get help — {place}",
        "fr": "Où trouver de l'aide — {place}",
        "es": "Dónde pedir ayuda — {place}",
        "ru": "Куда обратиться за помощью — {place}",
        "ar": "أين تجد المساعدة — {place}",
        "zh": "哪里可以获得帮助：{place}",
    },
    "get_help_intro": {
        "en": "You decide what happens next. You can ask for care, support and advice without "
              "first deciding whether to report.",
        "fr": "C'est vous qui décidez de la suite. Vous pouvez demander des soins, du soutien et "
              "des conseils sans décider d'abord de signaler.",
        "es": "Usted decide lo que pasa después. Puede pedir atención, apoyo y asesoramiento "
              "sin decidir antes si denunciará.",
        "ru": "Вы решаете, что будет дальше. Можно получить помощь, поддержку и совет, не решая "
              "заранее, сообщать ли о случившемся.",
        "ar": "أنت من يقرّر ما يحدث بعد ذلك. يمكنك طلب الرعاية والدعم والمشورة دون أن تقرّر "
              "أولًا ما إذا كنت ستبلّغ.",
        "zh": "接下来怎么做由您决定。您可以先寻求照护、支持和建议，不必先决定是否举报。",
    },
    "safety_first": {
        "en": "Safety first: if you or someone else is in danger, go to a safe place and call "
              "for help.",
        "fr": "La sécurité d'abord : si vous ou quelqu'un d'autre êtes en danger, allez dans un "
              "lieu sûr et appelez à l'aide.",
        "es": "La seguridad primero: si usted u otra persona está en peligro, vaya a un lugar "
              "seguro y pida ayuda.",
        "ru": "Прежде всего безопасность: если вам или кому-то другому грозит опасность, "
              "уйдите в безопасное место и позовите на помощь.",
        "ar": "السلامة أولًا: إذا كنت أنت أو شخص آخر في خطر، فاذهب إلى مكان آمن واطلب "
              "المساعدة.",
        "zh": "安全第一：如果您或他人身处危险，请前往安全的地方并求助。",
    },
    "focal_point": {
        "en": "Your organisation's PSEA/SH focal point can tell you where to get help and "
              "explain your options.",
        "fr": "Le point focal PEAS/HS de votre organisation peut vous dire où trouver de l'aide "
              "et vous expliquer vos options.",
        "es": "El punto focal de PEAS/AS de su organización puede indicarle dónde pedir ayuda "
              "y explicarle sus opciones.",
        "ru": "Координатор по ЗСЭН/СД в вашей организации подскажет, куда обратиться за "
              "помощью, и объяснит ваши варианты.",
        "ar": "يمكن لجهة التنسيق المعنية بالحماية من الاستغلال والانتهاك الجنسيين والتحرّش "
              "الجنسي في منظمتك أن تدلّك على أماكن المساعدة وأن تشرح لك خياراتك.",
        "zh": "您所在组织的防止性剥削和性虐待及性骚扰协调人可以告诉您在哪里获得帮助，"
              "并解释您的选择。",
    },
    "no_services": {
        "en": "{place}: no local services are listed in this edition yet. Ask the focal point "
              "for current contacts.",
        "fr": "{place} : aucun service local n'est encore répertorié dans cette édition. "
              "Demandez les contacts à jour au point focal.",
        "es": "{place}: esta edición aún no incluye servicios locales. Pida los contactos "
              "actuales al punto focal.",
        "ru": "{place}: в этом выпуске пока нет местных служб. Актуальные контакты можно "
              "узнать у координатора.",
        "ar": "{place}: لا توجد بعدُ خدمات محلية مُدرجة في هذه النسخة. اطلب بيانات الاتصال "
              "الحالية من جهة التنسيق.",
        "zh": "{place}：本版本尚未列出本地服务。请向协调人索取最新联系方式。",
    },
    "by_place": {
        "en": "Services in this country are listed by place: {places}. Ask the focal point "
              "for the contacts where you are.",
        "fr": "Dans ce pays, les services sont répertoriés par lieu : {places}. Demandez au "
              "point focal les contacts de votre lieu.",
        "es": "En este país, los servicios figuran por lugar: {places}. Pida al punto focal "
              "los contactos del lugar donde esté.",
        "ru": "Службы в этой стране указаны по местам: {places}. Контакты для вашего места "
              "можно узнать у координатора.",
        "ar": "الخدمات في هذا البلد مُدرجة حسب المكان: {places}. اطلب من جهة التنسيق بيانات "
              "الاتصال في مكانك.",
        "zh": "本国的服务按地点列出：{places}。请向协调人索取您所在地点的联系方式。",
    },
    "place_label": {"en": "Place", "fr": "Lieu", "es": "Lugar", "ru": "Место",
                    "ar": "المكان", "zh": "地点"},
    "hours": {"en": "Hours: {hours}", "fr": "Horaires : {hours}", "es": "Horario: {hours}",
              "ru": "Часы работы: {hours}", "ar": "ساعات العمل: {hours}",
              "zh": "服务时间：{hours}"},
    "cards_title": {"en": "Where to get help", "fr": "Où trouver de l'aide",
                    "es": "Dónde pedir ayuda", "ru": "Куда обратиться за помощью",
                    "ar": "أين تجد المساعدة", "zh": "哪里可以获得帮助"},
    "leaflet_title": {
        "en": "Sexual harassment, exploitation and abuse: your options and where to get help",
        "fr": "Harcèlement, exploitation et abus sexuels : vos options et où trouver de l'aide",
        "es": "Acoso, explotación y abuso sexuales: sus opciones y dónde pedir ayuda",
        "ru": "Сексуальные домогательства, эксплуатация и надругательства: ваши варианты и "
              "куда обратиться",
        "ar": "التحرّش والاستغلال والانتهاك الجنسي: خياراتك وأين تجد المساعدة",
        "zh": "性骚扰、性剥削和性虐待：您的选择以及在哪里获得帮助",
    },
    "options_title": {"en": "Your options", "fr": "Vos options", "es": "Sus opciones",
                      "ru": "Ваши варианты", "ar": "خياراتك", "zh": "您的选择"},
    "options_intro": {
        "en": "There is more than one way to get help. One way may not be safe or right for "
              "everyone.",
        "fr": "Il existe plus d'une façon d'obtenir de l'aide. Une même voie n'est pas sûre ou "
              "adaptée pour tout le monde.",
        "es": "Hay más de una forma de pedir ayuda. Una misma vía puede no ser segura o "
              "adecuada para todos.",
        "ru": "Получить помощь можно разными путями. Один и тот же путь подходит и безопасен "
              "не для всех.",
        "ar": "هناك أكثر من طريقة للحصول على المساعدة. قد لا تكون طريقة واحدة آمنة أو مناسبة "
              "للجميع.",
        "zh": "获得帮助的途径不止一种。同一种途径未必对每个人都安全或合适。",
    },
    "informal_title": {"en": "Informal", "fr": "Voie informelle", "es": "Vía informal",
                       "ru": "Неформальный путь", "ar": "الطريق غير الرسمي",
                       "zh": "非正式途径"},
    "informal_text": {
        "en": "Talk it through, if you wish, with an ombudsperson, a mediator or a "
              "dispute-resolution service. You decide if and how to go further.",
        "fr": "Parlez-en, si vous le souhaitez, avec un médiateur ou un ombudsman, ou un "
              "service de règlement des différends. Vous décidez si et comment aller plus loin.",
        "es": "Hable de lo ocurrido, si lo desea, con un ombudsman, un mediador o un servicio "
              "de resolución de conflictos. Usted decide si sigue adelante y cómo.",
        "ru": "Если хотите, обсудите ситуацию с омбудсменом, посредником или службой "
              "урегулирования споров. Вы решаете, идти ли дальше и как.",
        "ar": "تحدّث عن الأمر، إن رغبت، مع أمين المظالم أو وسيط أو خدمة لتسوية النزاعات. أنت من "
              "يقرّر ما إذا كنت ستمضي أبعد من ذلك وكيف.",
        "zh": "如果您愿意，可以与监察员、调解员或争议解决服务谈一谈。是否继续以及如何继续，"
              "由您决定。",
    },
    "formal_title": {"en": "Formal", "fr": "Voie formelle", "es": "Vía formal",
                     "ru": "Официальный путь", "ar": "الطريق الرسمي", "zh": "正式途径"},
    "formal_text": {
        "en": "A formal report starts your organisation's official process. Before you report, "
              "ask how it works and how you will be protected from retaliation.",
        "fr": "Un signalement formel lance la procédure officielle de votre organisation. Avant "
              "de signaler, demandez comment elle se déroule et comment vous serez protégé·e "
              "des représailles.",
        "es": "Una denuncia formal inicia el proceso oficial de su organización. Antes de "
              "denunciar, pregunte cómo funciona y cómo se le protegerá de represalias.",
        "ru": "Официальное заявление запускает процедуру вашей организации. Прежде чем подать "
              "его, спросите, как она проходит и как вас защитят от преследования.",
        "ar": "يبدأ البلاغ الرسمي الإجراءات الرسمية لمنظمتك. قبل أن تبلّغ، اسأل كيف تسير "
              "الإجراءات وكيف ستُحمى من الانتقام.",
        "zh": "正式举报会启动您所在组织的正式程序。举报前，请询问程序如何进行，"
              "以及您将如何免遭报复。",
    },
    "care_first": {
        "en": "Getting care and making a report are separate choices.",
        "fr": "Recevoir des soins et faire un signalement sont deux choix distincts.",
        "es": "Recibir atención y presentar una denuncia son decisiones separadas.",
        "ru": "Получить помощь и подать заявление — два отдельных решения.",
        "ar": "الحصول على الرعاية وتقديم البلاغ خياران منفصلان.",
        "zh": "接受照护和提出举报是两个独立的选择。",
    },
    "vca_title": {
        "en": "What a victim-centred approach means for you",
        "fr": "Ce que l'approche centrée sur la victime signifie pour vous",
        "es": "Qué significa para usted un enfoque centrado en la víctima",
        "ru": "Что значит для вас подход, ориентированный на пострадавших",
        "ar": "ماذا يعني لك النهج المتمحور حول الضحية",
        "zh": "以受害者为中心的方法对您意味着什么",
    },
    "vca_1": {
        "en": "Your rights, dignity, safety and wellbeing come first.",
        "fr": "Vos droits, votre dignité, votre sécurité et votre bien-être passent en premier.",
        "es": "Sus derechos, su dignidad, su seguridad y su bienestar son lo primero.",
        "ru": "Ваши права, достоинство, безопасность и благополучие — на первом месте.",
        "ar": "حقوقك وكرامتك وسلامتك ورفاهك تأتي أولًا.",
        "zh": "您的权利、尊严、安全和福祉放在首位。",
    },
    "vca_2": {
        "en": "You can speak to a trusted person, safely.",
        "fr": "Vous pouvez parler à une personne de confiance, en sécurité.",
        "es": "Puede hablar con una persona de confianza, de forma segura.",
        "ru": "Вы можете безопасно поговорить с человеком, которому доверяете.",
        "ar": "يمكنك التحدّث إلى شخص تثق به، بأمان.",
        "zh": "您可以安全地与信任的人交谈。",
    },
    "vca_3": {
        "en": "You are listened to, supported and kept informed at every stage.",
        "fr": "Vous êtes écouté·e, soutenu·e et informé·e à chaque étape.",
        "es": "Se le escucha, se le apoya y se le informa en cada etapa.",
        "ru": "Вас выслушают, поддержат и будут информировать на каждом этапе.",
        "ar": "يُصغى إليك وتُدعَم وتُبلَّغ بما يجري في كل مرحلة.",
        "zh": "您会被倾听、得到支持，并在每个阶段都被告知进展。",
    },
    "vca_4": {
        "en": "You are protected from stigma, discrimination and retaliation.",
        "fr": "Vous êtes protégé·e de la stigmatisation, de la discrimination et des "
              "représailles.",
        "es": "Se le protege del estigma, la discriminación y las represalias.",
        "ru": "Вас защищают от стигмы, дискриминации и преследования.",
        "ar": "تُحمى من الوصم والتمييز والانتقام.",
        "zh": "您受到保护，免遭污名、歧视和报复。",
    },
    "vca_5": {
        "en": "You are asked for your consent before any action is taken on your behalf.",
        "fr": "Votre consentement est demandé avant toute action en votre nom.",
        "es": "Se le pide su consentimiento antes de actuar en su nombre.",
        "ru": "Прежде чем что-то сделать от вашего имени, у вас спросят согласия.",
        "ar": "تُسأل عن موافقتك قبل اتخاذ أي إجراء نيابةً عنك.",
        "zh": "在代表您采取任何行动之前，会先征得您的同意。",
    },
    "vca_limits": {
        "en": "Ask anyone you talk to what they must pass on: staff have a duty to report "
              "concerns of sexual exploitation and abuse.",
        "fr": "Demandez à chaque interlocuteur ce qu'il est tenu de transmettre : le personnel "
              "a le devoir de signaler les soupçons d'exploitation et d'abus sexuels.",
        "es": "Pregunte a cada persona con quien hable qué debe comunicar: el personal tiene el "
              "deber de denunciar las sospechas de explotación y abuso sexuales.",
        "ru": "Спросите каждого, с кем говорите, о чём он обязан сообщить: сотрудники обязаны "
              "сообщать о подозрениях в сексуальной эксплуатации и надругательствах.",
        "ar": "اسأل كل من تتحدّث إليه عمّا يجب عليه إبلاغه: على الموظفين واجب الإبلاغ عن مخاوف "
              "الاستغلال والانتهاك الجنسيين.",
        "zh": "请询问与您交谈的人必须上报哪些内容：工作人员有义务报告对性剥削和性虐待的关切。",
    },
    "version_line": {
        "en": "Content version {version} · valid as of {date}",
        "fr": "Version du contenu {version} · valable au {date}",
        "es": "Versión del contenido {version} · vigente al {date}",
        "ru": "Версия содержания {version} · действительно на {date}",
        "ar": "إصدار المحتوى {version} · المعلومات كما في {date}",
        "zh": "内容版本 {version} · 截至 {date} 有效",
    },
    "verify": {
        "en": "VERIFY before use: last checked {date}",
        "fr": "À VÉRIFIER avant usage : dernière vérification {date}",
        "es": "VERIFICAR antes de usar: última revisión {date}",
        "ru": "ПРОВЕРЬТЕ перед использованием: последняя проверка {date}",
        "ar": "تحقّق قبل الاستخدام: آخر مراجعة {date}",
        "zh": "使用前请核实：最后核查于 {date}",
    },
    "never_checked": {"en": "never", "fr": "jamais", "es": "nunca", "ru": "не проводилась",
                      "ar": "لم تُجرَ", "zh": "从未"},
    "sample_notice": {
        "en": "SAMPLE: fictitious names and contacts, for illustration only. Do not use.",
        "fr": "SPÉCIMEN : noms et contacts fictifs, à titre d'illustration. Ne pas utiliser.",
        "es": "MUESTRA: nombres y contactos ficticios, solo como ejemplo. No los use.",
        "ru": "ОБРАЗЕЦ: вымышленные названия и контакты, только для примера. Не используйте.",
        "ar": "نموذج: الأسماء وبيانات الاتصال وهمية للتوضيح فقط. لا تستخدمها.",
        "zh": "样本：名称和联系方式均为虚构，仅供示例，请勿使用。",
    },
    "d_sep": {"en": ": ", "fr": " : ", "es": ": ", "ru": ": ", "ar": ": ", "zh": "："},
    "sample": {"en": "SAMPLE", "fr": "SPÉCIMEN", "es": "MUESTRA", "ru": "ОБРАЗЕЦ",
               "ar": "نموذج", "zh": "样本"},
    "qr_caption": {"en": "Scan: {text}", "fr": "Scanner : {text}", "es": "Escanee: {text}",
                   "ru": "Сканируйте: {text}", "ar": "امسح الرمز: {text}", "zh": "扫码：{text}"},
}


def say(key: str, lang: str, **values: str) -> str:
    """The wording `key` in `lang` (English when the language is not one of the six)."""
    texts = WORDING[key]
    return texts.get(lang, texts["en"]).format(**values)
