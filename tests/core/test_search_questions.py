"""Questions as a worried person types them find the right article, in their language,
also with a typo; everyday words find their article through its keywords."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import library
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from tests.core.corpus import item

# (reader's language, question, the article meant). Written the way people type:
# lower case, no question mark, half sentences.
QUESTIONS = [
    ("en", "i saw a colleague being harassed how can i help", "bystander-intervention"),
    ("en", "what should i do when i see a coworker being harassed", "bystander-intervention"),
    ("en", "is there a way to complain without a formal investigation", "reporting-options"),
    ("en", "someone told me they were abused what should i say to them",
     "survivor-centred-approach"),
    ("en", "im a team leader and one of my staff came to me about harassment",
     "managers-and-leaders"),
    ("en", "why does nobody in our office ever report anything", "why-people-do-not-report"),
    ("en", "is being gay a crime in the country i am posted to", "local-legal-landscape"),
    ("en", "we are a small team in a remote location who do we turn to",
     "working-in-the-field"),
    ("en", "my supervisor abuses his power over me", "harassment-and-power"),
    ("en", "does harassment training actually change anything", "training-that-works"),
    ("en", "can someone dismissed for sexual harassment get hired by another agency",
     "accountability-and-screening"),
    ("en", "what can men do against harassment at work", "everyones-responsibility"),
    ("fr", "j'ai vu une collègue se faire harceler comment l'aider", "bystander-intervention"),
    ("fr", "comment se plaindre sans enquête officielle", "reporting-options"),
    ("fr", "une amie m'a raconté qu'elle a été agressée que lui dire",
     "survivor-centred-approach"),
    ("fr", "je dirige une équipe et quelqu'un est venu me parler de harcèlement",
     "managers-and-leaders"),
    ("fr", "pourquoi personne ne signale rien dans notre bureau", "why-people-do-not-report"),
    ("fr", "est-ce que c'est dangereux d'être homosexuel dans le pays où je travaille",
     "local-legal-landscape"),
    ("fr", "nous sommes une petite équipe isolée vers qui se tourner", "working-in-the-field"),
    ("fr", "mon supérieur abuse de son pouvoir sur moi", "harassment-and-power"),
    ("fr", "est-ce que les formations sur le harcèlement servent à quelque chose",
     "training-that-works"),
    ("fr", "un harceleur renvoyé peut-il être recruté par une autre agence",
     "accountability-and-screening"),
    ("es", "vi que acosaban a una compañera cómo puedo ayudar", "bystander-intervention"),
    ("es", "se puede denunciar sin una investigación formal", "reporting-options"),
    ("es", "una amiga me contó que la agredieron qué le digo", "survivor-centred-approach"),
    ("es", "soy jefa de equipo y alguien me habló de acoso qué hago", "managers-and-leaders"),
    ("es", "por qué nadie denuncia nada en nuestra oficina", "why-people-do-not-report"),
    ("es", "es peligroso ser gay en el país donde trabajo", "local-legal-landscape"),
    ("es", "somos un equipo pequeño en un lugar remoto a quién acudimos",
     "working-in-the-field"),
    ("es", "mi supervisor abusa de su poder conmigo", "harassment-and-power"),
    ("es", "sirven de algo las capacitaciones sobre acoso", "training-that-works"),
    ("es", "alguien despedido por acoso sexual puede ser contratado por otra agencia",
     "accountability-and-screening"),
    ("ru", "я видела как коллегу домогаются как помочь", "bystander-intervention"),
    ("ru", "можно ли пожаловаться без официального расследования", "reporting-options"),
    ("ru", "подруга рассказала что на неё напали что ей сказать", "survivor-centred-approach"),
    ("ru", "я руковожу командой и сотрудница пришла ко мне с жалобой на домогательства",
     "managers-and-leaders"),
    ("ru", "почему у нас в офисе никто ни о чём не сообщает", "why-people-do-not-report"),
    ("ru", "опасно ли быть геем в стране где я работаю", "local-legal-landscape"),
    ("ru", "мы маленькая команда в отдалённом месте к кому обращаться",
     "working-in-the-field"),
    ("ru", "мой начальник злоупотребляет своей властью", "harassment-and-power"),
    ("ru", "есть ли толк от обучения по домогательствам", "training-that-works"),
    ("ru", "могут ли уволенного за домогательства взять на работу в другое агентство",
     "accountability-and-screening"),
    ("ar", "رأيت زميلة تتعرض للتحرش كيف أساعدها", "bystander-intervention"),
    ("ar", "هل يمكنني تقديم شكوى دون تحقيق رسمي", "reporting-options"),
    ("ar", "أخبرتني صديقتي أنها تعرضت لاعتداء ماذا أقول لها", "survivor-centred-approach"),
    ("ar", "أنا مدير فريق وجاءتني موظفة تشكو من التحرش", "managers-and-leaders"),
    ("ar", "لماذا لا يبلغ أحد عن أي شيء في مكتبنا", "why-people-do-not-report"),
    ("ar", "هل من الخطر أن أكون مثليا في البلد الذي أعمل فيه", "local-legal-landscape"),
    ("ar", "نحن فريق صغير في مكان ناء إلى من نلجأ", "working-in-the-field"),
    ("ar", "مديري يستغل سلطته علي", "harassment-and-power"),
    ("ar", "هل التدريب على مكافحة التحرش مفيد فعلا", "training-that-works"),
    ("ar", "هل يمكن توظيف شخص فصل بسبب التحرش الجنسي في وكالة أخرى",
     "accountability-and-screening"),
    ("zh", "我看到同事被骚扰怎么帮她", "bystander-intervention"),
    ("zh", "有没有非正式的投诉方式", "reporting-options"),
    ("zh", "朋友告诉我她被侵犯了我该对她说什么", "survivor-centred-approach"),
    ("zh", "我是团队负责人有员工来找我说被骚扰了怎么办", "managers-and-leaders"),
    ("zh", "为什么我们办公室没有人举报", "why-people-do-not-report"),
    ("zh", "在我工作的国家当同性恋危险吗", "local-legal-landscape"),
    ("zh", "我们是偏远地方的小团队出了事找谁", "working-in-the-field"),
    ("zh", "我的上司滥用权力", "harassment-and-power"),
    ("zh", "防骚扰培训真的有用吗", "training-that-works"),
    ("zh", "因性骚扰被开除的人还能被别的机构录用吗", "accountability-and-screening"),
]

# Every question with one meaningful word misspelled as people do: letters swapped,
# doubled, dropped or wrong (Arabic ض/ظ, س/ش, a dropped hamza; Russian -тся for
# -ться, one н for two); in Chinese a character of the same sound, as a pinyin
# input method offers it (搔扰 for 骚扰), or of a sound its fuzzy pinyin lets through
# (投述 for 投诉: s/sh).
TYPOS = {
    "i saw a colleague being harassed how can i help":
        "i saw a colleague being harrased how can i help",
    "what should i do when i see a coworker being harassed":
        "what should i do when i see a cowroker being harassed",
    "is there a way to complain without a formal investigation":
        "is there a way to complian without a formal investigation",
    "someone told me they were abused what should i say to them":
        "someone told me they were abussed what should i say to them",
    "im a team leader and one of my staff came to me about harassment":
        "im a team leader and one of my staff came to me about harrassment",
    "why does nobody in our office ever report anything":
        "why does nobody in our office ever reprot anything",
    "is being gay a crime in the country i am posted to":
        "is being gay a cirme in the country i am posted to",
    "we are a small team in a remote location who do we turn to":
        "we are a small team in a remot location who do we turn to",
    "my supervisor abuses his power over me": "my supervsior abuses his power over me",
    "does harassment training actually change anything":
        "does harassment trainning actually change anything",
    "can someone dismissed for sexual harassment get hired by another agency":
        "can someone dismised for sexual harassment get hired by another agency",
    "what can men do against harassment at work": "what can men do against harasment at work",
    "j'ai vu une collègue se faire harceler comment l'aider":
        "j'ai vu une collègue se faire harceller comment l'aider",
    "comment se plaindre sans enquête officielle": "comment se plaindre sans enqête officielle",
    "une amie m'a raconté qu'elle a été agressée que lui dire":
        "une amie m'a raconté qu'elle a été aggressée que lui dire",
    "je dirige une équipe et quelqu'un est venu me parler de harcèlement":
        "je dirige une équipe et quelqu'un est venu me parler de harcellement",
    "pourquoi personne ne signale rien dans notre bureau":
        "pourquoi personne ne signalle rien dans notre bureau",
    "est-ce que c'est dangereux d'être homosexuel dans le pays où je travaille":
        "est-ce que c'est dangereux d'être homosexel dans le pays où je travaille",
    "nous sommes une petite équipe isolée vers qui se tourner":
        "nous sommes une petite équipe isloée vers qui se tourner",
    "mon supérieur abuse de son pouvoir sur moi": "mon supérieur abuse de son pouvior sur moi",
    "est-ce que les formations sur le harcèlement servent à quelque chose":
        "est-ce que les formtions sur le harcèlement servent à quelque chose",
    "un harceleur renvoyé peut-il être recruté par une autre agence":
        "un harceleur renvoyé peut-il être recrutté par une autre agence",
    "vi que acosaban a una compañera cómo puedo ayudar":
        "vi que acossaban a una compañera cómo puedo ayudar",
    "se puede denunciar sin una investigación formal":
        "se puede denunicar sin una investigación formal",
    "una amiga me contó que la agredieron qué le digo":
        "una amgia me contó que la agredieron qué le digo",
    "soy jefa de equipo y alguien me habló de acoso qué hago":
        "soy jefa de equipo y alguien me habló de acozo qué hago",
    "por qué nadie denuncia nada en nuestra oficina":
        "por qué nadie denucia nada en nuestra oficina",
    "es peligroso ser gay en el país donde trabajo":
        "es peligrozo ser gay en el país donde trabajo",
    "somos un equipo pequeño en un lugar remoto a quién acudimos":
        "somos un equipo pequeño en un lugar remotto a quién acudimos",
    "mi supervisor abusa de su poder conmigo": "mi supervisor abusa de su pdoer conmigo",
    "sirven de algo las capacitaciones sobre acoso":
        "sirven de algo las capasitaciones sobre acoso",
    "alguien despedido por acoso sexual puede ser contratado por otra agencia":
        "alguien despdido por acoso sexual puede ser contratado por otra agencia",
    "я видела как коллегу домогаются как помочь": "я видела как коллегу домагаются как помочь",
    "можно ли пожаловаться без официального расследования":
        "можно ли пожаловатся без официального расследования",
    "подруга рассказала что на неё напали что ей сказать":
        "подруга расказала что на неё напали что ей сказать",
    "я руковожу командой и сотрудница пришла ко мне с жалобой на домогательства":
        "я руковожу командой и сотрудница пришла ко мне с жалобой на домагательства",
    "почему у нас в офисе никто ни о чём не сообщает":
        "почему у нас в офисе никто ни о чём не собщает",
    "опасно ли быть геем в стране где я работаю": "опастно ли быть геем в стране где я работаю",
    "мы маленькая команда в отдалённом месте к кому обращаться":
        "мы маленькая команда в отдаленом месте к кому обращаться",
    "мой начальник злоупотребляет своей властью": "мой начальник злоупотрибляет своей властью",
    "есть ли толк от обучения по домогательствам": "есть ли толк от обученния по домогательствам",
    "могут ли уволенного за домогательства взять на работу в другое агентство":
        "могут ли уволенного за домогательсва взять на работу в другое агентство",
    "رأيت زميلة تتعرض للتحرش كيف أساعدها": "رأيت زميلة تتعرض للتحرس كيف أساعدها",
    "هل يمكنني تقديم شكوى دون تحقيق رسمي": "هل يمكنني تقديم شكوى دون تحقييق رسمي",
    "أخبرتني صديقتي أنها تعرضت لاعتداء ماذا أقول لها":
        "أخبرتني صديقتي أنها تعرضت لاعتدا ماذا أقول لها",
    "أنا مدير فريق وجاءتني موظفة تشكو من التحرش": "أنا مدير فريق وجاءتني موضفة تشكو من التحرش",
    "لماذا لا يبلغ أحد عن أي شيء في مكتبنا": "لماذا لا يبلغ أحد عن أي شيء في مكبتنا",
    "هل من الخطر أن أكون مثليا في البلد الذي أعمل فيه":
        "هل من الختر أن أكون مثليا في البلد الذي أعمل فيه",
    "نحن فريق صغير في مكان ناء إلى من نلجأ": "نحن فريق سغير في مكان ناء إلى من نلجأ",
    "مديري يستغل سلطته علي": "مديري يستغل سلتطه علي",
    "هل التدريب على مكافحة التحرش مفيد فعلا": "هل التدرييب على مكافحة التحرش مفيد فعلا",
    "هل يمكن توظيف شخص فصل بسبب التحرش الجنسي في وكالة أخرى":
        "هل يمكن توضيف شخص فصل بسبب التحرش الجنسي في وكالة أخرى",
    "我看到同事被骚扰怎么帮她": "我看到同事被搔扰怎么帮她",
    "有没有非正式的投诉方式": "有没有非正式的投述方式",
    "朋友告诉我她被侵犯了我该对她说什么": "朋友告诉我她被侵范了我该对她说什么",
    "我是团队负责人有员工来找我说被骚扰了怎么办": "我是团队负责人有员工来找我说被骚绕了怎么办",
    "为什么我们办公室没有人举报": "为什么我们办公室没有人举抱",
    "在我工作的国家当同性恋危险吗": "在我工作的国家当同姓恋危险吗",
    "我们是偏远地方的小团队出了事找谁": "我们是偏原地方的小团队出了事找谁",
    "我的上司滥用权力": "我的上司烂用权力",
    "防骚扰培训真的有用吗": "防骚扰陪训真的有用吗",
    "因性骚扰被开除的人还能被别的机构录用吗": "因性骚扰被开除的人还能被别的机构路用吗",
}


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from fieldkit.content.pack import starter_items

    folder: Path = tmp_path_factory.mktemp("questions")
    with Store.create(folder, PASSPHRASE) as store:
        library.put_items(store, starter_items())
        yield store


def top3(store: Store, text: str, lang: str) -> list[tuple[str, str]]:
    return [(r.id, r.lang) for r in library.search(store, text, lang, limit=3)]


@pytest.mark.parametrize(("lang", "text", "meant"), QUESTIONS,
                         ids=[f"{q[0]}-{n}" for n, q in enumerate(QUESTIONS)])
def test_question_finds_its_article(starter: Store, lang: str, text: str, meant: str) -> None:
    assert (meant, lang) in top3(starter, text, lang)


@pytest.mark.parametrize(("lang", "text", "meant"), QUESTIONS,
                         ids=[f"{q[0]}-{n}" for n, q in enumerate(QUESTIONS)])
def test_question_with_a_typo_finds_it_too(starter: Store, lang: str, text: str,
                                           meant: str) -> None:
    answer = library.search(starter, TYPOS[text], lang, limit=3)
    assert (meant, lang) in [(r.id, r.lang) for r in answer]
    # The reader is told what was searched: the words meant (their stems: the text
    # may write "harassed" where "harassing" was meant), and no other word changed.
    assert answer.did_you_mean
    assert stems(answer.did_you_mean, lang) == stems(text, lang)


def stems(text: str, lang: str) -> list[str]:
    from fieldkit.search.analysis import tokens

    return [t.stem for t in tokens(text, lang, index_mode=False)]


def test_every_language_has_ten_questions_and_typos() -> None:
    for lang in ("ar", "en", "es", "fr", "ru", "zh"):
        assert sum(q[0] == lang for q in QUESTIONS) >= 10
    assert set(TYPOS) == {q[1] for q in QUESTIONS}  # every question has its typo
    for right, typo in TYPOS.items():  # one word changed
        changed = [w for w, v in zip(right.split(), typo.split(), strict=True) if w != v]
        assert len(changed) == 1 or (not changed and right != typo), (right, typo)


def test_stopwords_leave_the_meaning(starter: Store) -> None:
    answer = library.search(starter, "where can I report", "en")
    assert answer.dropped == ["where", "can", "I"]
    assert all(r.matched == ["report"] for r in answer)


def test_everyday_words_find_their_article_through_keywords(tmp_path: Path) -> None:
    about = item("anonymous-reporting", "en", "Reporting channels",
                 "Several channels accept a report; some do not require identification.")
    about.versions["en"].fields["keywords"] = ["without my name", "boss", "LGBT"]
    other = item("other", "en", "Reporting to a supervisor", "Tell a supervisor or a manager.")
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, [about, other])
        for query in ("report without my name", "lgbt", "boss"):
            assert library.search(store, query)[0].id == "anonymous-reporting", query
        # synonyms are data: "boss" also finds the supervisor text, ranked below
        assert [r.id for r in library.search(store, "boss")] == ["anonymous-reporting", "other"]


# Misspellings find what the right spelling finds (and say what was searched).
MISSPELT = [
    ("en", "harasing", "harassing"), ("en", "harrased", "harassed"),
    ("en", "bystandr", "bystander"), ("fr", "harcelement", "harcèlement"),
    ("ru", "домагательство", "домогательство"), ("zh", "搔扰", "骚扰"),
]


@pytest.mark.parametrize(("lang", "typed", "right"), MISSPELT)
def test_a_misspelt_word_finds_what_the_right_spelling_finds(
        starter: Store, lang: str, typed: str, right: str) -> None:
    expected = top3(starter, right, lang)
    assert expected
    assert top3(starter, typed, lang) == expected


# Real words the starter content does not use: searched as typed, never turned into
# another word the index has (pyspellchecker's and pymorphy3's lexicons, jieba's).
NOT_TYPOS = [
    ("en", "weather"), ("en", "umbrella"), ("en", "kitchen"), ("en", "lover"),
    ("fr", "fromage"), ("fr", "parapluie"), ("fr", "météo"), ("fr", "harceleur"),
    ("es", "queso"), ("es", "paraguas"), ("es", "lluvia"), ("es", "sirven"), ("es", "digo"),
    ("ru", "погода"), ("ru", "зонтик"), ("ru", "домогательству"), ("ru", "отдалённым"),
    ("ar", "الطقس"), ("ar", "مظلة"), ("ar", "يتحرش"), ("ar", "وجاءتني"),
    ("zh", "天气"), ("zh", "全力"), ("zh", "雨伞"),
]


@pytest.mark.parametrize(("lang", "word"), NOT_TYPOS)
def test_a_real_word_the_index_lacks_is_not_corrected(starter: Store, lang: str,
                                                       word: str) -> None:
    from fieldkit.search.analysis import prefix_form

    assert not starter.query_one(  # the starter content does not write it
        "SELECT 1 FROM search_vocab WHERE word = ?", (prefix_form(word),))
    assert library.search(starter, word, lang).did_you_mean is None


def test_an_arabic_verb_finds_its_noun_without_a_correction(starter: Store) -> None:
    # يتحرش "he harasses": the index has التحرش; the person prefix is no typo.
    answer = library.search(starter, "يتحرش", "ar", limit=3)
    assert answer.did_you_mean is None
    assert [r.id for r in answer] == [r.id for r in library.search(starter, "التحرش", "ar",
                                                                      limit=3)]
