"""roi.report.slug: report folder names that cannot leave the output folder, whatever the name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi.report.slug import FALLBACK, MAX_LENGTH, slugify, unique_slugs

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seed-article", "seed-article"),
        ("Seed Article", "seed-article"),
        ("../../etc", "etc"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", FALLBACK),
        (".", FALLBACK),
        (".hidden", "hidden"),
        ("", FALLBACK),
        ("   ", FALLBACK),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("Café Zürich", "cafe-zurich"),
        ("报告", FALLBACK),
        ("a__b--c", "a-b-c"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("name\x00with\nnul", "name-with-nul"),
    ],
)
def test_slugify_hostile_names(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_slugify_very_long_name_is_cut_without_trailing_hyphen() -> None:
    text = "ab-" * 200  # 600 characters
    slug = slugify(text)
    assert len(slug) <= MAX_LENGTH
    assert SLUG.match(slug)
    # 60 characters of "ab-ab-..." end on "-" at index 59, which is stripped: 59 characters
    assert slug == ("ab-" * 20)[:59]


def test_slugify_max_length_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_length"):
        slugify("x", 0)


@given(st.text(max_size=300))
def test_slug_is_safe_for_any_text(text: str) -> None:
    slug = slugify(text)
    assert SLUG.match(slug), slug
    assert 1 <= len(slug) <= MAX_LENGTH
    out = Path("/reports")
    assert (out / slug).resolve().parent == out.resolve()


def test_unique_slugs_suffixes_collisions_in_order() -> None:
    assert unique_slugs(["a", "A", "a!"]) == ["a", "a-2", "a-3"]
    assert unique_slugs(["a", "a", "a-2"]) == ["a", "a-2", "a-2-2"]
    assert unique_slugs(["..", "", "报告"]) == [FALLBACK, f"{FALLBACK}-2", f"{FALLBACK}-3"]


def test_unique_slugs_keep_the_length_limit_with_a_suffix() -> None:
    long = "x" * 100
    slugs = unique_slugs([long] * 12)
    assert slugs[0] == "x" * MAX_LENGTH
    assert slugs[1] == "x" * (MAX_LENGTH - 2) + "-2"
    assert slugs[11] == "x" * (MAX_LENGTH - 3) + "-12"
    assert all(len(s) <= MAX_LENGTH for s in slugs)


@given(st.lists(st.text(max_size=80), max_size=30))
def test_unique_slugs_are_distinct_and_safe(texts: list[str]) -> None:
    slugs = unique_slugs(texts)
    assert len(slugs) == len(texts)
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG.match(s) and len(s) <= MAX_LENGTH for s in slugs)
