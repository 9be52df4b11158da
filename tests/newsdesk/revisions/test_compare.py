"""Comparing two snapshots: words highlighted, other changes named by their labels."""

from __future__ import annotations

import copy
import re

from newsdesk.revisions.compare import compare, summary, word_diff


def snapshot(**overrides):
    base = {
        "headline": "Shelling resumes near the prison",
        "standfirst": "Residents report heavy fire.",
        "body": "First paragraph.\n\nSecond paragraph with detail.",
        "language": "en",
        "original_language": "",
        "original_url": "",
        "source": None,
        "lead_image": {"id": 4, "label": "Smoke above the prison walls"},
        "authors": [
            {"id": 1, "label": "Amira Haddad"},
            {"id": 2, "label": "Luca Bianchi"},
        ],
        "topics": [{"id": 10, "label": "Syria"}, {"id": 11, "label": "Prisons"}],
        "quotes": [
            {
                "speaker": {"id": 7, "label": "Roberto Colella"},
                "attribution": "",
                "text": "It is a risk.",
            }
        ],
        "related_links": [
            {
                "id": None,
                "label": "Earlier report",
                "title": "Earlier report",
                "url": "https://example.org/a",
                "via": None,
            }
        ],
        "incidents": [{"id": 40, "label": "Al-Sina'a prison attack"}],
    }
    base.update(overrides)
    return base


def test_identical_snapshots_have_no_changes():
    result = compare(snapshot(), copy.deepcopy(snapshot()))
    assert not result.has_changes
    assert result.changes == []
    assert all(not t.changed for t in result.texts)
    assert summary(snapshot(), snapshot()) == "No changes."


def test_word_level_highlight_marks_only_the_changed_words():
    old, new, added, removed = word_diff(
        "Shelling resumes near the prison", "Shelling stops near the old prison"
    )
    assert old == "Shelling <del>resumes</del> near the prison"
    assert new == "Shelling <ins>stops</ins> near the <ins>old</ins> prison"
    assert (added, removed) == (2, 1)


def test_markup_in_texts_is_escaped_on_both_sides():
    old, new, *_ = word_diff("a <b>bold</b> claim", "a <script>x</script> claim")
    assert "<del>" in old and "<ins>" in new

    def unmarked(html):
        return re.sub(r"</?(ins|del)>", "", html)

    assert unmarked(old) == "a &lt;b&gt;bold&lt;/b&gt; claim"
    assert unmarked(new) == "a &lt;script&gt;x&lt;/script&gt; claim"


def test_whitespace_only_change_is_not_highlighted():
    old, new, added, removed = word_diff("one two", "one  two")
    assert "<ins>" not in new and "<del>" not in old
    assert (added, removed) == (0, 0)


def test_text_fields_are_summarised_with_word_counts():
    result = compare(snapshot(), snapshot(headline="Shelling stops near the prison"))
    assert result.changes == ["Headline changed (1 word added, 1 word removed)"]
    headline = result.texts[0]
    assert headline.changed and "<ins>stops</ins>" in headline.new


def test_people_topics_and_incidents_named_by_label_never_by_id():
    new = snapshot(
        authors=[
            {"id": 1, "label": "Amira Haddad"},
            {"id": 2, "label": "Luca Bianchi"},
            {"id": 3, "label": "Emmanuel Karagiannis"},
        ],
        topics=[{"id": 11, "label": "Prisons"}],
        incidents=[],
    )
    lines = compare(snapshot(), new).changes
    assert "Author Emmanuel Karagiannis added" in lines
    assert "Topic Syria removed" in lines
    assert "Incident covered Al-Sina'a prison attack removed" in lines
    text = " ".join(lines)
    assert "10" not in text and "40" not in text and "'id'" not in text


def test_byline_reordered_is_named():
    old = snapshot()
    new = snapshot(authors=list(reversed(old["authors"])))
    assert compare(old, new).changes == ["Author order changed"]


def test_quote_changed_names_who_said_it():
    old = snapshot()
    new = copy.deepcopy(old)
    new["quotes"][0]["text"] = "It is a grave risk."
    assert compare(old, new).changes == ["Quote by Roberto Colella changed"]


def test_lead_image_replaced_added_and_removed():
    old = snapshot()
    replaced = snapshot(lead_image={"id": 5, "label": "Rubble in Hasakah"})
    assert compare(old, replaced).changes == [
        "Lead image replaced: “Smoke above the prison walls” → “Rubble in Hasakah”"
    ]
    assert compare(old, snapshot(lead_image=None)).changes == [
        "Lead image “Smoke above the prison walls” removed"
    ]
    assert compare(snapshot(lead_image=None), old).changes == [
        "Lead image “Smoke above the prison walls” added"
    ]


def test_read_also_link_and_scalar_fields():
    new = snapshot(
        related_links=[
            {"id": 31, "label": "Background", "title": "", "url": "", "via": None}
        ],
        language="it",
        original_language="en",
    )
    lines = compare(snapshot(), new).changes
    assert "“Read also” link “Background” added" in lines
    assert "“Read also” link “Earlier report” removed" in lines
    assert "Language changed from “en” to “it”" in lines
    assert "Original language “en” added" in lines


def test_summary_is_one_sentence():
    new = snapshot(headline="Calm returns", topics=[{"id": 11, "label": "Prisons"}])
    assert summary(snapshot(), new) == (
        "Headline changed (2 words added, 5 words removed); topic Syria removed."
    )


def test_other_models_use_their_own_text_fields_and_labels():
    old = {"title": "Attack on the prison", "status": "Confirmed", "notes": ""}
    new = {"title": "Attack on the prison", "status": "Disputed", "notes": "x"}
    result = compare(
        old, new, text_fields=(("title", "title"),), labels={"notes": "notes"}
    )
    assert result.changes == [
        "Status changed from “Confirmed” to “Disputed”",
        "Notes “x” added",
    ]


def test_neighbouring_changed_words_are_one_change():
    old, new, added, removed = word_diff(
        "freeing dozens of detainees", "freeing more than a hundred detainees"
    )
    assert old == "freeing <del>dozens of</del> detainees"
    assert new == "freeing <ins>more than a hundred</ins> detainees"
    assert (added, removed) == (4, 2)


def test_a_quote_added_and_a_renamed_person_is_no_change():
    old = snapshot()
    new = copy.deepcopy(old)
    new["quotes"].append(
        {"speaker": None, "attribution": "a security expert", "text": "Hold on."}
    )
    new["authors"][0]["label"] = "Amira Haddad-Saleh"  # the same person, renamed
    new["format"] = 2
    assert compare(old, new).changes == ["Quote by a security expert added"]


def test_provisional_headline_flag_is_named():
    lines = compare(
        snapshot(needs_headline=True), snapshot(needs_headline=False)
    ).changes
    assert lines == ["Provisional headline changed from “yes” to “no”"]
