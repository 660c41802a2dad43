"""roi.inputs.references: every public source the defaults and presets cite."""

from __future__ import annotations

import re

import pytest

from roi.inputs.references import REFERENCES, Reference, cite, ref


def test_every_reference_is_complete() -> None:
    for key, r in REFERENCES.items():
        assert r.key == key
        assert r.citation.strip(), key
        assert r.confidence in ("H", "M", "L"), key
        assert r.url == "" or r.url.startswith("https://"), key


def test_public_references_have_a_url_and_a_date() -> None:
    # Only the article (a text we hold) and roi's own assumptions may lack a URL.
    for key, r in REFERENCES.items():
        if key in ("seed-article", "roi-assumption"):
            continue
        assert r.url, key
        assert r.date, key


def test_cite_expands_keys_and_keeps_free_text() -> None:
    assert cite("ref:forrester-tei") == str(REFERENCES["forrester-tei"])
    assert "confidence H" in cite("ref:forrester-tei")
    assert cite("our PagerDuty export") == "our PagerDuty export"
    # An unknown key is shown as written rather than hidden
    assert cite("ref:nowhere") == "ref:nowhere"


def test_ref_checks_the_key() -> None:
    assert ref("seed-article") == "ref:seed-article"
    with pytest.raises(KeyError, match="nowhere"):
        ref("nowhere")


def test_str_of_reference() -> None:
    r = Reference("k", "Someone, A study", "2020", "https://example.org", "M")
    assert str(r) == "Someone, A study (2020, https://example.org; confidence M)"
    assert str(Reference("k", "C", "2020", "", "L")) == "C (2020; confidence L)"


def test_keys_are_slugs() -> None:
    for key in REFERENCES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key
