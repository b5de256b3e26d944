import pytest

from goals.markdown import render_markdown
from goals.numbers import format_number as swedish_number

ACTIVE_CONTENT = (
    "<script",
    "onerror",
    "onload",
    "onclick",
    "javascript:",
    "data:",
    "<svg",
    "<img",
    "style=",
    "<iframe",
)


def assert_inert(html):
    lowered = html.lower()
    for marker in ACTIVE_CONTENT:
        assert marker not in lowered, f"{marker!r} survived in {html!r}"


def test_normal_markdown_survives():
    html = render_markdown("## Rubrik\n\nText med **fet**, *kursiv* och `kod`.\n\n- ett\n- två\n\n> citat")
    assert "<strong>fet</strong>" in html
    assert "<em>kursiv</em>" in html
    assert "<code>kod</code>" in html
    assert "<li>ett</li>" in html
    assert "<blockquote>" in html


def test_headings_are_demoted_below_the_page_headings():
    html = render_markdown("# Ett\n\n## Två\n\n#### Fyra")
    assert "<h3>Ett</h3>" in html
    assert "<h4>Två</h4>" in html
    assert "<h6>Fyra</h6>" in html
    assert "<h1" not in html and "<h2" not in html


def test_links_keep_href_and_title_and_get_rel():
    html = render_markdown('[Nora](https://www.nora.se "Kommunen") och <mailto:info@nora.se>')
    assert 'href="https://www.nora.se"' in html
    assert 'title="Kommunen"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "mailto:" in html


def test_tables_survive_without_inline_style():
    html = render_markdown("| År | Mål |\n|:--|--:|\n| 2026 | 90 |")
    assert "<table>" in html and "<th>År</th>" in html and "<td>90</td>" in html
    assert "style" not in html


def test_script_tag_is_removed_with_its_content():
    html = render_markdown("Hej <script>alert(1)</script> då")
    assert_inert(html)
    assert "alert" not in html
    assert "Hej" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)">klicka</p>',
        "<b onmouseover=alert(1)>hov</b>",
        '<a href="#" onfocus="alert(1)" autofocus>x</a>',
    ],
)
def test_event_handlers_are_removed(payload):
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize(
    "payload",
    [
        "[klicka](javascript:alert(1))",
        "[klicka](JaVaScRiPt:alert(1))",
        '<a href="jav&#x09;ascript:alert(1)">klicka</a>',
        '<a href="javascript&colon;alert(1)">klicka</a>',
        "[klicka](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="vbscript:msgbox(1)">klicka</a>',
    ],
)
def test_dangerous_link_schemes_lose_their_href(payload):
    html = render_markdown(payload)
    assert_inert(html)
    assert "vbscript" not in html
    assert "klicka" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<svg onload=alert(1)></svg>",
        "<svg><script>alert(1)</script></svg>",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    ],
)
def test_svg_and_mathml_payloads_are_removed(payload):
    html = render_markdown(payload)
    assert_inert(html)
    assert "alert" not in html


@pytest.mark.parametrize(
    "payload",
    ["![bild](https://evil.example/track.png)", '<img src="https://evil.example/track.png" alt="x">'],
)
def test_images_with_remote_src_are_removed(payload):
    html = render_markdown(payload)
    assert_inert(html)
    assert "evil.example" not in html


def test_style_iframe_and_comments_are_removed():
    html = render_markdown(
        "<style>body{display:none}</style><iframe src=https://e.example></iframe><!-- x -->kvar"
    )
    assert_inert(html)
    assert "display:none" not in html and "<!--" not in html
    assert "kvar" in html


def test_code_blocks_show_markup_as_text():
    html = render_markdown("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;" in html
    assert "<script" not in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("13000", 0, "13\xa0000"),
        ("92.5000", 1, "92,5"),
        ("92.5", 0, "93"),  # shown at the indicator's decimals, rounded half up
        ("87.878787", 1, "87,9"),
        ("-0.04", 1, "0,0"),
        ("92", 1, "92,0"),
        ("-1234567.25", 2, "-1\xa0234\xa0567,25"),
        ("0.0000", 0, "0"),
        (None, 0, ""),
    ],
)
def test_swedish_number(value, decimals, expected):
    assert swedish_number(value, decimals) == expected


def test_a_number_typed_back_keeps_every_decimal():
    assert swedish_number("92.5", 0, exact=True) == "92,5"
    assert swedish_number("87.8788", 1, exact=True) == "87,8788"
