"""Decoding, hashing and language detection."""

from __future__ import annotations

from newsdesk.importing.parser import (
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
