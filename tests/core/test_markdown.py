"""Lesson Markdown: tables become named, focusable scroll regions; everything unsafe still goes."""

import re

import pytest

from app.core.markdown import render_markdown

TABLE = "| Problem | Trolig *orsak* |\n|---|---|\n| Inget ljud | Mikrofonen är av |\n"
REGION = re.compile(r"<div ([^>]*)><table>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def regions(html: str) -> list[dict[str, str]]:
    """The attributes of each div that directly wraps a table."""
    return [dict(ATTRIBUTE.findall(attributes)) for attributes in REGION.findall(html)]


def test_a_table_is_wrapped_in_a_focusable_region_named_by_its_header():
    html = render_markdown(f"Text före.\n\n{TABLE}\nText efter.\n")
    assert regions(html) == [
        {"aria-label": "Problem, Trolig orsak", "class": "table-scroll", "role": "region",
         "tabindex": "0"},
    ]  # fmt: skip
    assert "</table></div>\n<p>Text efter.</p>" in html, "the text after stays outside"


def test_a_table_without_header_text_is_named_by_its_number():
    html = render_markdown(f"{TABLE}\n|  |  |\n|--|--|\n| 1 | 2 |\n")
    assert [region["aria-label"] for region in regions(html)] == [
        "Problem, Trolig orsak",
        "Tabell 2",
    ]


def test_the_region_name_is_escaped():
    html = render_markdown('| Ljud "<b>&</b>" | B |\n|---|---|\n| 1 | 2 |\n')
    assert 'aria-label="Ljud &quot;&amp;&quot;, B"' in html


@pytest.mark.parametrize(
    "payload",
    [
        f"{TABLE}\n<script>alert(1)</script>\n",
        f'<div class="table-scroll" role="region" tabindex="0" onclick="steal()">x</div>\n\n{TABLE}',
        '| <a href="https://ok.example" onclick="steal()">x</a> | B |\n|---|---|\n| 1 | 2 |\n',
    ],
)
def test_regions_do_not_let_unsafe_markup_through(payload):
    html = render_markdown(payload).lower()
    assert "<script" not in html and "onclick" not in html and "alert(1)</" not in html
    assert 'class="table-scroll"' in html


@pytest.mark.parametrize(
    ("attributes", "kept"),
    [
        ('role="button" tabindex="-1" class="evil" style="position:fixed"', {}),
        ('role="region" tabindex="0" class="table-scroll" aria-label="Ett namn"',
         {"role": "region", "tabindex": "0", "class": "table-scroll", "aria-label": "Ett namn"}),
    ],
)  # fmt: skip
def test_an_authors_div_keeps_only_the_regions_exact_attributes(attributes, kept):
    html = render_markdown(f"<div {attributes}>x</div>")
    assert dict(ATTRIBUTE.findall(html)) == kept
