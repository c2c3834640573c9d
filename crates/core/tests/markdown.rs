#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Rendering note bodies: safe HTML whatever is typed, and [[wiki links]].

use chipwatch_core::links::{LinkKind, LinkTarget};
use chipwatch_core::markdown::{nesting_depth, to_html, wiki_links, MAX_NESTING};

/// Renders with no link resolving.
fn render(body: &str) -> String {
    to_html(body, |_| None)
}

/// Renders with "Huawei" (any case) as firm 3 and "chip:Ascend 910" as chip 7.
fn render_linked(body: &str) -> String {
    to_html(body, |text| match text.to_lowercase().as_str() {
        "huawei" | "华为" => Some(target(LinkKind::Firm, 3, "Huawei", Some("华为"))),
        "chip:ascend 910" => Some(target(LinkKind::Chip, 7, "Ascend 910", None)),
        _ => None,
    })
}

fn target(kind: LinkKind, id: i64, label: &str, detail: Option<&str>) -> LinkTarget {
    LinkTarget {
        kind,
        id,
        label: label.into(),
        detail: detail.map(Into::into),
        link_text: label.into(),
    }
}

/// One start tag of the output: its name and attributes.
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Every tag in `html`. Text is escaped in the output, so each literal `<`
/// opens a tag; quoted attribute values may hold `>`.
fn tags(html: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let mut end = after.len();
        let mut quote = None;
        for (i, c) in after.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let inside = &after[..end];
        rest = after.get(end + 1..).unwrap_or("");
        if inside.starts_with('/') {
            continue;
        }
        let name: String = inside
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        let mut attributes = Vec::new();
        let mut text = inside[name.len()..].trim_start();
        while !text.is_empty() && !text.starts_with('/') {
            let key_end = text.find(['=', ' ']).unwrap_or(text.len());
            let key = text[..key_end].to_lowercase();
            text = text[key_end..].trim_start();
            let mut value = String::new();
            if let Some(after_eq) = text.strip_prefix('=') {
                let after_eq = after_eq.trim_start();
                if let Some(q) = after_eq.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let close = after_eq[1..].find(q).map_or(after_eq.len(), |i| i + 1);
                    value = after_eq[1..close].to_owned();
                    text = after_eq.get(close + 1..).unwrap_or("").trim_start();
                } else {
                    let stop = after_eq.find(' ').unwrap_or(after_eq.len());
                    value = after_eq[..stop].to_owned();
                    text = after_eq[stop..].trim_start();
                }
            }
            attributes.push((key, value));
        }
        found.push(Tag {
            name: name.to_lowercase(),
            attributes,
        });
    }
    found
}

/// Elements that run script, load from elsewhere, restyle or take over the
/// page, or submit data: none may ever reach the app's page, whatever a note holds.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed",
    "applet", "img", "picture", "source", "video", "audio", "track", "svg", "math", "canvas",
    "form", "input", "button", "select", "textarea", "option", "template", "slot", "portal",
    "noscript", "dialog", "details", "marquee", "html", "head", "body", "title",
];

/// Fails unless `html` is safe: no element that scripts, loads, restyles or
/// submits; no event handler, no `src`, no style but table alignment, links
/// only to the web, mail or in-app anchors.
fn assert_safe(input: &str, html: &str) {
    for tag in tags(html) {
        assert!(
            !FORBIDDEN_TAGS.contains(&tag.name.as_str()),
            "<{}> let through for {input:?}:\n{html}",
            tag.name
        );
        for (key, value) in &tag.attributes {
            let problem = key.starts_with("on")
                || key == "src"
                || key == "srcset"
                || key == "formaction"
                || (key == "style"
                    && ![
                        "text-align: left",
                        "text-align: center",
                        "text-align: right",
                    ]
                    .contains(&value.as_str()))
                || (key == "href"
                    && !(value.starts_with('#')
                        || value.starts_with("https://")
                        || value.starts_with("http://")
                        || value.starts_with("mailto:")));
            assert!(
                !problem,
                "attribute {key}={value:?} on <{}> for {input:?}:\n{html}",
                tag.name
            );
        }
    }
}

#[test]
fn the_checker_itself_catches_unsafe_html() {
    let caught = |html: &str| std::panic::catch_unwind(|| assert_safe("probe", html)).is_err();
    assert!(caught("<p>x<script>alert(1)</script></p>"));
    assert!(caught("<img src=x onerror=alert(1)>"));
    assert!(caught("<a href=\"javascript:alert(1)\">x</a>"));
    assert!(caught("<p style=\"color: red\">x</p>"));
    assert!(caught("<span onclick='a(\">\")'>x</span>"));
    assert!(!caught(
        "<p>&lt;script&gt; <a href=\"#firm/3\" class=\"wikilink\">x</a></p>"
    ));
}

#[test]
fn typed_html_is_shown_as_text_never_interpreted() {
    let cases = [
        "<script>alert(1)</script>",
        "before <script>alert('x')</script> after",
        "<img src=x onerror=alert(1)>",
        "inline <img src=x onerror=alert(1)> image",
        "<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">click</a>",
        "<div onmouseover=\"alert(1)\">*hover*</div>",
        "<svg onload=alert(1)><circle r=10 /></svg>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<object data=\"https://evil.example/x.swf\"></object><embed src=x>",
        "<form action=\"https://evil.example/\"><input name=q><button formaction=x>go</button></form>",
        "<style>body { background: url(https://evil.example/track) }</style>",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<p style=\"background: url(https://evil.example/track)\">styled</p>",
        "<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example/\">",
        "<base href=\"https://evil.example/\">",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<!-- comment --><noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    ];
    for input in cases {
        let html = render(input);
        assert_safe(input, &html);
        assert!(
            html.contains("&lt;"),
            "the typed markup should stay visible as text for {input:?}:\n{html}"
        );
    }
    let script = render("before <script>alert('x')</script> after");
    assert!(
        script.contains("before &lt;script&gt;alert('x')&lt;/script&gt; after"),
        "{script}"
    );
    // An HTML block is shown like code, so its lines stay readable.
    let block = render("<iframe src=\"https://evil.example/\"></iframe>");
    assert!(block.starts_with("<pre><code>&lt;iframe"), "{block}");
}

#[test]
fn markdown_links_keep_only_web_and_mail_targets() {
    let cases = [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1) )",
        "[x](java&#09;script:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[x][evil]\n\n[evil]: javascript:alert(1)",
        "[x](file:///etc/passwd)",
        "[x](relative/page.html)",
    ];
    for input in cases {
        let html = render(input);
        assert_safe(input, &html);
        assert!(!html.contains("<a "), "no anchor for {input:?}:\n{html}");
        assert!(
            html.contains("link-blocked"),
            "the text stays, marked, for {input:?}:\n{html}"
        );
    }
    let title_attack = "[x](https://example.org \"a\\\" onmouseover=\\\"alert(1)\")";
    assert_safe(title_attack, &render(title_attack));
}

#[test]
fn external_links_open_outside_the_app() {
    let html = render("See [BIS](https://www.bis.gov/rules?a=1&b=2 \"the rule\"), <https://epoch.ai> and <analyst@example.org>.");
    assert_safe("external", &html);
    assert!(
        html.contains(
            "<a class=\"external\" href=\"https://www.bis.gov/rules?a=1&amp;b=2\" rel=\"noopener noreferrer\" title=\"the rule\">BIS</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"external\" href=\"https://epoch.ai\" rel=\"noopener noreferrer\">https://epoch.ai</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"mailto:analyst@example.org\""),
        "{html}"
    );
}

#[test]
fn images_are_never_loaded() {
    let cases = [
        "![pixel](https://evil.example/pixel.png)",
        "![](http://evil.example/pixel.png)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](javascript:alert(1))",
        "![x](local.png)",
        "[![inside a link](https://evil.example/p.png)](https://example.org)",
        "<img src=\"https://evil.example/pixel.png\">",
    ];
    for input in cases {
        let html = render(input);
        assert_safe(input, &html);
        assert!(!html.contains("<img"), "{input:?}:\n{html}");
    }
    // A web image becomes a link the analyst may choose to open, with its alt text.
    let web = render("![Die shot of the 910B](https://example.org/die.png)");
    assert!(
        web.contains("<a class=\"external image\" href=\"https://example.org/die.png\" rel=\"noopener noreferrer\""),
        "{web}"
    );
    assert!(web.contains(">Die shot of the 910B</a>"), "{web}");
    let data = render("![chart](data:image/png;base64,iVBORw0KGgo=)");
    assert!(!data.contains("data:"), "{data}");
    assert!(data.contains("chart"), "{data}");
}

#[test]
fn tables_strikethrough_and_commonmark_render() {
    let html = render(
        "# Ascend\n\n| chip | TPP |\n|:--|--:|\n| 910B | 6,016 |\n\n~~rumour~~ **bold** _em_ `code`\n\n1. one\n2. two\n\n> quoted",
    );
    assert_safe("table", &html);
    assert!(html.contains("<h1>Ascend</h1>"), "{html}");
    assert!(
        html.contains("<th style=\"text-align: left\">chip</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td style=\"text-align: right\">6,016</td>"),
        "{html}"
    );
    assert!(html.contains("<del>rumour</del>"), "{html}");
    assert!(
        html.contains("<strong>bold</strong> <em>em</em> <code>code</code>"),
        "{html}"
    );
    assert!(html.contains("<ol>"), "{html}");
    assert!(html.contains("<blockquote>"), "{html}");
}

#[test]
fn wiki_links_render_as_in_app_anchors_or_missing() {
    let html = render_linked(
        "[[Huawei]], [[华为]], [[huawei|the firm]], [[chip:Ascend 910]] and [[Nobody Inc]].",
    );
    assert_safe("links", &html);
    assert!(
        html.contains(
            "<a class=\"wikilink\" data-kind=\"firm\" data-id=\"3\" href=\"#firm/3\" title=\"Huawei · 华为\">Huawei</a>,"
        ),
        "{html}"
    );
    assert!(
        html.contains("href=\"#firm/3\" title=\"Huawei · 华为\">华为</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#firm/3\" title=\"Huawei · 华为\">the firm</a>"),
        "{html}"
    );
    // A prefix picks the kind and is not shown.
    assert!(
        html.contains(
            "data-kind=\"chip\" data-id=\"7\" href=\"#chip/7\" title=\"Ascend 910\">Ascend 910</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<span class=\"wikilink missing\" title=\"No firm, chip, source, event or strategy is called “Nobody Inc”\">[[Nobody Inc]]</span>"
        ),
        "{html}"
    );
    let prefixed = render("[[event:Nothing|label]]");
    assert!(
        prefixed.contains("title=\"No event is called “Nothing”\">[[event:Nothing|label]]</span>"),
        "{prefixed}"
    );
    // Markdown in a label renders; an empty label shows the name.
    let label = render_linked("[[Huawei|*the* firm]] [[Huawei|]]");
    assert!(label.contains("><em>the</em> firm</a>"), "{label}");
    assert!(label.contains(">Huawei</a>"), "{label}");
}

#[test]
fn wiki_link_text_cannot_break_out_of_its_attributes() {
    let inputs = [
        "[[a\" onclick=\"alert(1)]]",
        "[[<script>alert(1)</script>]]",
        "[[x|<img src=x onerror=alert(1)>]]",
        "[[Huawei|<img src=x onerror=alert(1)>]]",
        "[['><svg onload=alert(1)>]]",
    ];
    for input in inputs {
        let html = render_linked(input);
        assert_safe(input, &html);
    }
}

#[test]
fn links_in_code_are_code() {
    let body = "`[[Huawei]]` inline\n\n```\n[[Huawei]]\n```\n\n    [[Huawei]] indented\n\nand [[SMIC]] for real";
    assert_eq!(wiki_links(body), ["SMIC"]);
    let html = render_linked(body);
    assert!(html.contains("<code>[[Huawei]]</code>"), "{html}");
    assert!(!html.contains("wikilink\" data-kind=\"firm\""), "{html}");
}

#[test]
fn wiki_links_are_listed_once_normalised_in_order() {
    let body = "[[SMIC]] then [[Huawei|the firm]], [[华为]], [[  Ascend \n 910B ]] and [[SMIC]] again; ![[chip:H20]] [[ ]]";
    assert_eq!(
        wiki_links(body),
        ["SMIC", "Huawei", "华为", "Ascend 910B", "chip:H20"]
    );
    assert!(wiki_links("no links, just [brackets] and [a](https://x.org)").is_empty());
}

#[test]
fn tricky_text_survives_rendering() {
    let html = render("华为 \"Ascend\", 'quoted'; line\nbreak 🚀 & <b>");
    assert_safe("tricky", &html);
    assert!(
        html.contains("华为 \"Ascend\", 'quoted'; line\nbreak 🚀 &amp; &lt;b&gt;"),
        "{html}"
    );
}

#[test]
fn a_long_body_renders() {
    let body = "华为 [[Huawei]] **Ascend** 🚀\n\n".repeat(400);
    assert!(body.chars().count() > 10_000);
    let html = render_linked(&body);
    assert_eq!(html.matches("href=\"#firm/3\"").count(), 400);
}

#[test]
fn quotes_and_lists_nest_up_to_the_cap_and_past_it_show_as_text() {
    let quotes = |levels: usize| format!("{}x", "> ".repeat(levels));
    assert_eq!(nesting_depth(&quotes(MAX_NESTING)), 100);
    assert_eq!(render(&quotes(100)).matches("<blockquote>").count(), 100);
    for (body, depth) in [
        (quotes(101), "101"),
        (format!("{}x", "- ".repeat(150)), "150"),
        (format!("{}x", "1. ".repeat(120)), "120"),
        (format!("{}x", "> - ".repeat(60)), "120"),
        // Indented lists, one level per line.
        (
            (0..101)
                .map(|level| format!("{}- x\n", "  ".repeat(level)))
                .collect::<String>(),
            "101",
        ),
        (quotes(99_000), "99,000"),
    ] {
        let html = render(&body);
        assert!(
            html.starts_with(&format!(
                "<p><strong>Shown as plain text:</strong> this note nests {depth} levels deep"
            )),
            "{}",
            &html[..200.min(html.len())]
        );
        assert!(html.contains("</p><pre>") && html.ends_with("</pre>"));
        for formatted in ["<blockquote>", "<li>", "<ul>", "<ol>"] {
            assert!(!html.contains(formatted), "{formatted}");
        }
    }
    // Emphasis nests without the sanitiser's quadratic cost: it stays formatted.
    let emphasis = format!("{}x{}", "*".repeat(400), "*".repeat(400));
    assert!(render(&emphasis).contains("<strong><strong>"));
}

// ---- Snippets around a mention (a firm's "Mentioned in notes") -------------

use chipwatch_core::markdown::{mention_snippet, MentionSnippet, SNIPPET_CHARS};

/// The snippet around links to Huawei (by any spelling `names_huawei` knows).
fn huawei_snippet(body: &str) -> MentionSnippet {
    let names_huawei = |text: &str| -> Result<bool, ()> {
        Ok(matches!(
            text.to_lowercase().as_str(),
            "huawei" | "华为" | "firm:huawei"
        ))
    };
    mention_snippet(body, names_huawei, &["Huawei", "华为"]).unwrap()
}

fn shown(snippet: &MentionSnippet) -> String {
    format!("{}[{}]{}", snippet.before, snippet.mention, snippet.after)
}

#[test]
fn a_snippet_is_plain_text_around_the_link() {
    let body = "# Supply chain\n\nAfter the **2019** listing, [SMIC](https://smic.com) kept making chips for [[Huawei]]'s _HiSilicon_ unit.\n\n- one\n- two";
    let snippet = huawei_snippet(body);
    assert_eq!(
        shown(&snippet),
        "Supply chain After the 2019 listing, SMIC kept making chips for [Huawei]'s HiSilicon unit. one two"
    );
    for mark in ["#", "**", "[[", "]]", "](", "_"] {
        assert!(!shown(&snippet).contains(mark), "{mark} in {snippet:?}");
    }
}

#[test]
fn a_link_shows_its_label_or_its_name_without_the_prefix() {
    assert_eq!(
        huawei_snippet("Talks with [[Huawei|the Shenzhen firm]] stalled.").mention,
        "the Shenzhen firm"
    );
    assert_eq!(
        huawei_snippet("Talks with [[firm:Huawei]] stalled.").mention,
        "Huawei"
    );
    // A link to another record is its text, and the mention is the one that names the firm.
    let snippet = huawei_snippet("[[SMIC]] makes the [[Ascend 910B]] for [[Huawei]].");
    assert_eq!(shown(&snippet), "SMIC makes the Ascend 910B for [Huawei].");
}

#[test]
fn chinese_text_and_emoji_are_cut_on_characters() {
    let before = "中芯国际的产能🚀".repeat(20);
    let after = "，昇腾芯片📈".repeat(40);
    let snippet = huawei_snippet(&format!("{before}[[华为]]{after}"));
    assert_eq!(snippet.mention, "华为");
    assert!(snippet.before.starts_with('…') && snippet.after.ends_with('…'));
    assert!(snippet.before.ends_with("产能🚀"));
    assert!(snippet.after.starts_with("，昇腾芯片📈"));
    let length = shown(&snippet).chars().count();
    assert!(length <= SNIPPET_CHARS + 4, "{length}: {snippet:?}");
    assert!(length >= SNIPPET_CHARS - 20, "{length}: {snippet:?}");
}

#[test]
fn a_link_at_the_very_start_or_end() {
    let tail = " word".repeat(100);
    let start = huawei_snippet(&format!("[[Huawei]]{tail}"));
    assert_eq!(
        (start.before.as_str(), start.mention.as_str()),
        ("", "Huawei")
    );
    assert!(start.after.starts_with(" word") && start.after.ends_with("word…"));

    let end = huawei_snippet(&format!("{tail} [[Huawei]]"));
    assert_eq!((end.mention.as_str(), end.after.as_str()), ("Huawei", ""));
    assert!(end.before.starts_with("…word") && end.before.ends_with("word "));
}

#[test]
fn without_a_link_the_name_or_else_the_start_is_shown() {
    let named = huawei_snippet("A note on HUAWEI and its suppliers, with [[SMIC]].");
    assert_eq!(
        shown(&named),
        "A note on [HUAWEI] and its suppliers, with SMIC."
    );

    let nameless = huawei_snippet("## Only a heading\n\nand \"quotes\", commas, 🚀");
    assert_eq!(
        shown(&nameless),
        "[]Only a heading and \"quotes\", commas, 🚀"
    );
}

#[test]
fn a_one_megabyte_note_stays_quick() {
    let paragraph = "Export controls, *foundries* and [[SMIC]]: 产能与良率。🚀\n\n";
    let filler = paragraph.repeat(1_000_000 / paragraph.len() + 1);
    for body in [
        format!("{filler}Near the end: [[Huawei]]."),
        format!("Near the start: [[Huawei]].\n\n{filler}"),
        format!("{filler}Only by name: Huawei."),
    ] {
        assert!(body.len() >= 1_000_000);
        let started = std::time::Instant::now();
        let snippet = huawei_snippet(&body);
        let took = started.elapsed();
        assert!(
            snippet.mention.eq_ignore_ascii_case("huawei"),
            "{snippet:?}"
        );
        // ~60 ms in a debug build; linear, so well inside this.
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    }
}
