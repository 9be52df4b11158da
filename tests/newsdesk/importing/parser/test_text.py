"""Decoding, hashing and language detection."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    ParseError,
    content_hash,
    decode,
    detect_language,
)


def test_decode_strips_a_byte_order_mark():
    assert decode("\ufeffHello there.".encode()) == "Hello there."


def test_content_hash_ignores_line_endings_and_trailing_spaces():
    assert content_hash("One.  \r\n\r\nTwo.\r\n") == content_hash("One.\n\nTwo.")
    assert content_hash("One.\n\nTwo.") != content_hash("One.\n\nThree.")


def test_language_detection_is_deterministic_and_bcp47():
    italian = (
        "Nei giorni appena trascorsi si è registrato un significativo ritorno delle "
        "operazioni dell'Isis, quando agenti legati al gruppo hanno tentato di liberare "
        "i detenuti."
    )
    assert {detect_language(italian) for _ in range(5)} == {"it"}
    assert detect_language("12345 !!! ---") == "und"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Fighters stormed the prison on Thursday night, officials said.", "en"),
        (
            "Les combattants ont pris d'assaut la prison jeudi soir, selon la police.",
            "fr",
        ),
        ("Kämpfer stürmten am Donnerstagabend das Gefängnis, sagte die Polizei.", "de"),
        ("Los combatientes asaltaron la prisión el jueves por la noche.", "es"),
        ("اقتحم مسلحون السجن ليلة الخميس بحسب مسؤولين", "ar"),
        ("Боевики штурмовали тюрьму в четверг вечером, сообщили власти.", "ru"),
        ("Бойовики штурмували в'язницю в четвер увечері, повідомила поліція.", "uk"),
    ],
)
def test_languages_of_the_desk_are_told_apart(text, language):
    assert detect_language(text) == language


UTF16_TEXT = (
    "Fighters stormed the prison “at night”, officials said.\n\nCafé owners fled."
)


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"]
)
def test_utf16_and_utf32_files_are_decoded_not_called_binary(encoding):
    assert decode(UTF16_TEXT.encode(encoding)) == UTF16_TEXT


def test_broken_utf16_is_reported_as_utf16_not_as_binary():
    with pytest.raises(ParseError) as caught:
        decode(b"\xff\xfe" + "Some text".encode("utf-16-le") + b"\x00\xdc")
    assert caught.value.code == "bad_encoding"
    assert "not UTF-16 text" in caught.value.reason
