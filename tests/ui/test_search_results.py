"""Search in the app: matched words, "did you mean", and help when nothing matches."""

from __future__ import annotations

import pytest
from fieldkit.ui.widgets import Card
from PySide6.QtWidgets import QPushButton

pytestmark = pytest.mark.ui


def search(home, qtbot, text: str) -> list:
    home.search.setText(text)
    home._run_search()
    qtbot.waitUntil(lambda: home._search_task is None, timeout=10000)
    return [home.list_box.itemAt(i).widget() for i in range(home.list_box.count())]


def test_a_question_shows_results_with_the_words_it_matched(unlocked, qtbot):
    shown = search(unlocked.home, qtbot, "where can I report harassment")
    cards = [w for w in shown if isinstance(w, Card)]
    assert cards
    assert "Matched:" in cards[0].text.text() and "report" in cards[0].text.text()


def test_a_typo_offers_did_you_mean(unlocked, qtbot):
    home = unlocked.home
    shown = search(home, qtbot, "harrasment at work ")
    offer = [w for w in shown if isinstance(w, QPushButton)]
    assert offer and "harassment" in offer[0].text()
    assert any(isinstance(w, Card) for w in shown)  # found what the right spelling finds
    offer[0].click()
    assert "harassment" in home.search.text()


@pytest.mark.parametrize(("lang", "typed", "meant"), [
    ("zh", "防骚扰陪训真的有用吗", "培训"),  # a character of the same sound (péi)
    ("ar", "مديري يستغل سلتطه", "سلطة"),  # letters swapped
])
def test_a_typo_in_the_readers_language_offers_did_you_mean(unlocked, qtbot, lang, typed,
                                                            meant):
    unlocked.session.set_language(lang, save=False)
    home = unlocked.home
    shown = search(home, qtbot, typed + " ")
    offer = [w for w in shown if isinstance(w, QPushButton)]
    assert offer and meant in offer[0].text()
    cards = [w for w in shown if isinstance(w, Card)]
    assert cards
    offer[0].click()
    assert meant in home.search.text() and typed not in home.search.text()


def test_nothing_found_offers_the_local_pathway_and_help(unlocked, qtbot):
    home = unlocked.home
    shown = search(home, qtbot, "qqqxz zzzqv")
    assert "Nothing found" in home.status.text()
    pathway = [w for w in shown if isinstance(w, Card)]
    assert pathway and "Chișinău" in pathway[0].text.text()  # the profile's place: MD
    help_now = [w for w in shown if isinstance(w, QPushButton)]
    assert help_now and "Get help now" in help_now[-1].text()
    help_now[-1].click()
    assert unlocked.pages.currentWidget() is not None


def test_a_slow_search_says_it_is_searching(unlocked, qtbot, monkeypatch):
    """The first search of a session may load word lists for a second or two: the
    status line says so instead of leaving the topics as if nothing happened."""
    import time

    from fieldkit.ui.views import home as home_view

    real_find = home_view.find

    def slow_find(*args, **kwargs):
        time.sleep(1.0)
        return real_find(*args, **kwargs)

    monkeypatch.setattr(home_view, "find", slow_find)
    home = unlocked.home
    assert not home.status.isVisible()  # the topics: no status line
    home.search.setText("harassment")
    home._run_search()
    qtbot.waitUntil(lambda: home.status.text() == "Searching…", timeout=900)
    assert home.status.isVisible()
    qtbot.waitUntil(lambda: home._search_task is None, timeout=10000)
    assert "Searching" not in home.status.text()


def test_a_failed_search_says_why(unlocked, qtbot, monkeypatch):
    from fieldkit.ui.views import home as home_view

    from fieldkit.errors import FieldkitError

    def failing_find(*args, **kwargs):
        raise FieldkitError("The profile is in use.")

    monkeypatch.setattr(home_view, "find", failing_find)
    home = unlocked.home
    home.search.setText("harassment")
    home._run_search()
    qtbot.waitUntil(lambda: home._search_task is None, timeout=5000)
    assert home.status.isVisible() and home.status.text() == "The profile is in use."
