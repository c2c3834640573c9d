//! Note bodies: Markdown (CommonMark with tables and strikethrough) to HTML that
//! is safe to put into the app's page, and the `[[wiki links]]` a body holds.
//!
//! Safety comes in two layers:
//! 1. While rendering, HTML typed into a note is shown as text, never
//!    interpreted (an HTML block as a code block): what the analyst typed is
//!    what they see, and nothing vanishes silently. Links keep only http(s) and
//!    mailto targets; they get class "external" and rel="noopener noreferrer"
//!    so the UI can open them in the system browser. Any other link keeps its
//!    text only. Images are never loaded: a web image becomes an external link
//!    carrying its alt text, any other image just its alt text.
//! 2. The result goes through ammonia, allowing only the tags, attributes and
//!    classes this renderer emits, so a slip in layer 1 still cannot let a
//!    script, event handler, style, frame, form or remote load through.
//!
//! Wiki links are parsed by pulldown-cmark itself, so `[[x]]` inside a code
//! span or block is code, not a link, in rendering and in `wiki_links` alike.
//!
//! Nesting is bounded: html5ever (inside ammonia) looks through the elements
//! still open for each one it opens, so block quotes or lists nested n deep
//! cost n² (20,000 levels took 2 s, 99,000 levels 50 s; pulldown-cmark itself
//! stays linear, and so does html5ever on deeply nested emphasis). A body
//! nested deeper than [`MAX_NESTING`] is refused when saved, and one that
//! got stored anyway is shown as escaped plain text, never parsed into HTML.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::links::{display_name, normalize, prefix_kind, LinkTarget};
use crate::text::grouped;

/// The deepest block quotes and list items may nest in a note: far beyond
/// any outline, and a bound on the sanitiser's quadratic work (module notes).
pub const MAX_NESTING: usize = 100;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_WIKILINKS
}

/// The `[[link]]` texts of a body (before any `|label`), normalised with
/// [`normalize`], each once, in order of first appearance.
pub fn wiki_links(body: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for event in Parser::new_ext(body, options()) {
        if let Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                ..
            },
        ) = event
        {
            if matches!(link_type, LinkType::WikiLink { .. }) {
                let text = normalize(&dest_url);
                if !text.is_empty() && seen.insert(text.clone()) {
                    found.push(text);
                }
            }
        }
    }
    found
}

/// How deeply block quotes and list items nest in `body`, in one pass of the
/// Markdown parser (linear in the body's length).
pub fn nesting_depth(body: &str) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::Item) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Renders `body` to safe HTML. `resolve` gets each `[[link]]` text (normalised
/// as by [`wiki_links`]) and says what it points at, if anything.
///
/// A resolved link becomes `<a class="wikilink" data-kind="firm" data-id="3"
/// href="#firm/3">Huawei</a>` (the UI handles the click); an unresolved one a
/// `<span class="wikilink missing">` holding the text as typed.
///
/// A body nested deeper than [`MAX_NESTING`] (stored by an older version, or
/// written by another tool) is shown as escaped plain text under a notice.
pub fn to_html(body: &str, mut resolve: impl FnMut(&str) -> Option<LinkTarget>) -> String {
    let depth = nesting_depth(body);
    if depth > MAX_NESTING {
        return too_deep_html(body, depth);
    }
    let mut events: Vec<Event<'_>> = Vec::new();
    // What to write at the end of each link still open.
    let mut closers: Vec<&'static str> = Vec::new();
    let mut parser = Parser::new_ext(body, options())
        .into_offset_iter()
        .peekable();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::HtmlBlock) => {
                events.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)));
            }
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::CodeBlock)),
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                },
            ) => {
                let text = normalize(&dest_url);
                let target = if text.is_empty() {
                    None
                } else {
                    resolve(&text)
                };
                let written = body.get(range).unwrap_or_default();
                match target {
                    Some(target) => {
                        events.push(Event::InlineHtml(wikilink_open(&target).into()));
                        // `[[Huawei|]]` has an empty label: show the name instead.
                        let empty_label = match parser.peek() {
                            Some((Event::End(_), _)) => true,
                            Some((Event::Text(label), _)) => label.is_empty(),
                            _ => false,
                        };
                        if has_pothole && !empty_label {
                            closers.push("</a>");
                        } else {
                            skip_to_end(&mut parser);
                            events.push(Event::Text(display_name(&text).into()));
                            events.push(Event::InlineHtml("</a>".into()));
                        }
                    }
                    // `[[ ]]` names nothing and is not meant as a link.
                    None if text.is_empty() => {
                        skip_to_end(&mut parser);
                        events.push(Event::Text(written.to_owned().into()));
                    }
                    None => {
                        skip_to_end(&mut parser);
                        events.push(Event::InlineHtml(missing_open(&text).into()));
                        events.push(Event::Text(written.to_owned().into()));
                        events.push(Event::InlineHtml("</span>".into()));
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let href = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                if is_external(&href) {
                    events.push(Event::InlineHtml(
                        external_open(&href, &title, "external").into(),
                    ));
                    closers.push("</a>");
                } else {
                    events.push(Event::InlineHtml(
                        "<span class=\"link-blocked\" title=\"Only web (http, https) and e-mail links are kept\">"
                            .into(),
                    ));
                    closers.push("</span>");
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(closer) = closers.pop() {
                    events.push(Event::InlineHtml(closer.into()));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = skip_to_end(&mut parser);
                let shown = if alt.trim().is_empty() {
                    "image".to_owned()
                } else {
                    alt
                };
                // An anchor inside a link's text would nest anchors.
                let url = dest_url.trim();
                let is_web = url.to_ascii_lowercase().starts_with("http://")
                    || url.to_ascii_lowercase().starts_with("https://");
                if is_web && closers.is_empty() {
                    events.push(Event::InlineHtml(
                        external_open(
                            url,
                            "Image not loaded: opens in your browser",
                            "external image",
                        )
                        .into(),
                    ));
                    events.push(Event::Text(shown.into()));
                    events.push(Event::InlineHtml("</a>".into()));
                } else {
                    events.push(Event::InlineHtml(
                        "<span class=\"image-omitted\" title=\"Images are not shown in notes\">"
                            .into(),
                    ));
                    events.push(Event::Text(shown.into()));
                    events.push(Event::InlineHtml("</span>".into()));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    SANITIZER.clean(&html).to_string()
}

/// A stretch of a note's text around where it mentions a record, as plain
/// text (no Markdown marks; a `[[link]]` as the text it shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MentionSnippet {
    /// The text before the mention; starts with "…" when cut.
    pub before: String,
    /// The mention as shown ("Huawei" for `[[Huawei]]`); empty when the body
    /// names the record nowhere the reader can see (only the start is shown).
    pub mention: String,
    /// The text after it; ends with "…" when cut.
    pub after: String,
}

/// About how many characters a snippet shows.
pub const SNIPPET_CHARS: usize = 160;
/// At most this many of them come before the mention.
const SNIPPET_BEFORE: usize = 60;

/// The plain text around the first `[[link]]` for which `links_here` says yes
/// (it gets the link's text normalised as by [`wiki_links`]), else around the
/// first of `names` (ASCII case ignored), else the start of the body.
/// One pass of the Markdown parser that stops soon after the link, so a long
/// body costs at most its length.
pub fn mention_snippet<E>(
    body: &str,
    mut links_here: impl FnMut(&str) -> Result<bool, E>,
    names: &[&str],
) -> Result<MentionSnippet, E> {
    let mut plain = String::new();
    let mut hit: Option<(usize, usize)> = None;
    // The wiki link being read: where its text starts in `plain`, its target, whether it has a label.
    let mut link: Option<(usize, String, bool)> = None;
    for event in Parser::new_ext(body, options()) {
        // Enough text after the mention (4 bytes a character at most).
        if hit.is_some_and(|(_, end)| plain.len() > end + SNIPPET_CHARS * 4) {
            break;
        }
        match event {
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                },
            ) => link = Some((plain.len(), dest_url.to_string(), has_pothole)),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some((start, dest, has_label)) = link.take() else {
                    continue;
                };
                let target = normalize(&dest);
                if target.is_empty() {
                    continue;
                }
                // As `to_html` shows it: the label, or the name without its kind prefix.
                if !has_label || plain[start..].trim().is_empty() {
                    plain.truncate(start);
                    plain.push_str(&display_name(&target));
                }
                if hit.is_none() && links_here(&target)? {
                    hit = Some((start, plain.len()));
                }
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => plain.push_str(&text),
            Event::SoftBreak | Event::HardBreak | Event::Rule => plain.push(' '),
            // Blocks end in a space, so a heading and the next paragraph do not run together.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => plain.push(' '),
            _ => {}
        }
    }
    let hit = hit.or_else(|| first_name_in(&plain, names));
    Ok(match hit {
        Some((start, end)) => {
            let mention: String = collapse_spaces(plain[start..end].chars())
                .take(SNIPPET_CHARS)
                .collect();
            let mention = mention.trim().to_owned();
            let budget = SNIPPET_CHARS.saturating_sub(mention.chars().count());
            // What the text after leaves unused goes to the text before.
            let after_there = collapse_spaces(plain[end..].chars()).take(budget).count();
            let before_budget = SNIPPET_BEFORE
                .min(budget)
                .max(budget.saturating_sub(after_there));
            let before = text_before(&plain[..start], before_budget);
            let after_budget = budget.saturating_sub(before.chars().count());
            MentionSnippet {
                before,
                mention,
                after: text_after(&plain[end..], after_budget),
            }
        }
        None => MentionSnippet {
            before: String::new(),
            mention: String::new(),
            after: text_after(plain.trim_start(), SNIPPET_CHARS),
        },
    })
}

/// Where the first of `names` occurs in `text` (ASCII case ignored), in bytes.
fn first_name_in(text: &str, names: &[&str]) -> Option<(usize, usize)> {
    let names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    let finder = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&names)
        .ok()?;
    finder.find(text).map(|m| (m.start(), m.end()))
}

/// Runs of white space as one space.
fn collapse_spaces(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    let mut last_space = false;
    chars.filter_map(move |c| {
        let space = c.is_whitespace();
        let keep = !(space && last_space);
        last_space = space;
        keep.then_some(if space { ' ' } else { c })
    })
}

/// Where a cut at `cut` characters moves back to a space, if one is near
/// (English words stay whole; Chinese has none and is cut where it is).
fn word_cut(chars: &[char], cut: usize) -> usize {
    chars[..cut]
        .iter()
        .rposition(|c| *c == ' ')
        .filter(|space| cut - space < 16)
        .unwrap_or(cut)
}

/// The last `budget` characters of `text` (spaces collapsed), "…" first when cut.
fn text_before(text: &str, budget: usize) -> String {
    let mut reversed: Vec<char> = collapse_spaces(text.chars().rev())
        .take(budget + 1)
        .collect();
    let cut = reversed.len() > budget;
    if cut {
        let keep = word_cut(&reversed, budget);
        reversed.truncate(keep);
    }
    let shown: String = reversed.into_iter().rev().collect();
    if cut {
        format!("…{}", shown.trim_start())
    } else {
        shown.trim_start().to_owned()
    }
}

/// The first `budget` characters of `text` (spaces collapsed), "…" last when cut.
fn text_after(text: &str, budget: usize) -> String {
    let mut chars: Vec<char> = collapse_spaces(text.chars()).take(budget + 1).collect();
    let cut = chars.len() > budget;
    if cut {
        let keep = word_cut(&chars, budget);
        chars.truncate(keep);
    }
    let shown: String = chars.into_iter().collect();
    if cut {
        format!("{}…", shown.trim_end())
    } else {
        shown.trim_end().to_owned()
    }
}

/// A body too deeply nested to format: a one-line notice, then the text as typed.
fn too_deep_html(body: &str, depth: usize) -> String {
    let html = format!(
        "<p><strong>Shown as plain text:</strong> this note nests {} levels deep (block quotes or lists inside each other); Chipwatch formats at most {MAX_NESTING}. Edit it to remove the extra levels.</p><pre>{}</pre>",
        grouped(depth as u64),
        escape_html(body)
    );
    SANITIZER.clean(&html).to_string()
}

/// Skips the rest of the element just started; returns its plain text.
fn skip_to_end<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> String {
    let mut depth = 1usize;
    let mut text = String::new();
    for (event, _) in parser.by_ref() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn is_external(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

fn wikilink_open(target: &LinkTarget) -> String {
    let kind = target.kind.as_str();
    let title = match &target.detail {
        Some(detail) => format!("{} · {detail}", target.label),
        None => target.label.clone(),
    };
    format!(
        "<a class=\"wikilink\" data-kind=\"{kind}\" data-id=\"{id}\" href=\"#{kind}/{id}\" title=\"{title}\">",
        id = target.id,
        title = escape_html(&title),
    )
}

fn missing_open(dest: &str) -> String {
    let name = display_name(dest);
    let what = match prefix_kind(dest) {
        Some(kind) => format!("No {}", kind.as_str()),
        None => "No firm, chip, source, event or strategy".to_owned(),
    };
    format!(
        "<span class=\"wikilink missing\" title=\"{}\">",
        escape_html(&format!("{what} is called “{name}”"))
    )
}

fn external_open(href: &str, title: &str, class: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    };
    format!(
        "<a class=\"{class}\" href=\"{}\" rel=\"noopener noreferrer\"{title}>",
        escape_html(href.trim())
    )
}

/// Text safe inside an element or a quoted attribute.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Exactly what the renderer emits, and nothing else.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags = [
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "ul",
        "ol",
        "li",
        "pre",
        "code",
        "em",
        "strong",
        "del",
        "a",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ];
    let attributes = HashMap::from([
        ("a", HashSet::from(["href", "title", "data-id"])),
        ("span", HashSet::from(["title"])),
        ("ol", HashSet::from(["start"])),
    ]);
    // Table alignment is the only style, and only these exact values.
    let align = HashSet::from([
        "text-align: left",
        "text-align: center",
        "text-align: right",
    ]);
    let values = HashMap::from([
        (
            "a",
            HashMap::from([
                ("rel", HashSet::from(["noopener noreferrer"])),
                (
                    "data-kind",
                    HashSet::from(["firm", "chip", "source", "event", "strategy"]),
                ),
            ]),
        ),
        ("th", HashMap::from([("style", align.clone())])),
        ("td", HashMap::from([("style", align)])),
    ]);
    let classes = HashMap::from([
        ("a", HashSet::from(["wikilink", "external", "image"])),
        (
            "span",
            HashSet::from(["wikilink", "missing", "image-omitted", "link-blocked"]),
        ),
    ]);
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags.into_iter().collect())
        .tag_attributes(attributes)
        .tag_attribute_values(values)
        .allowed_classes(classes)
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(None)
        // Relative URLs pass ammonia; this keeps only in-app anchors (#firm/3).
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("a", "href") if value.starts_with('#') || is_external(value) => Some(value.into()),
            ("a", "href") => None,
            _ => Some(value.into()),
        });
    builder
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The second layer on its own: raw hostile HTML, as if the first had let it through.
    #[test]
    fn the_sanitizer_alone_strips_what_the_renderer_never_emits() {
        let hostile = concat!(
            "<script>alert(1)</script><img src=\"https://evil.example/p.png\" onerror=\"alert(1)\">",
            "<a href=\"javascript:alert(1)\" onclick=\"alert(2)\" class=\"wikilink evil\">j</a>",
            "<a href=\"relative.html\">r</a><a href=\"data:text/html,x\">d</a>",
            "<iframe src=\"https://evil.example\"></iframe><object data=\"x\"></object>",
            "<form action=\"https://evil.example\"><input></form><style>p{}</style>",
            "<p style=\"color: red\" onmouseover=\"x\">p</p><td style=\"text-align: right\">t</td>",
            "<a class=\"external\" href=\"https://ok.example\" rel=\"noopener noreferrer\">ok</a>",
            "<a class=\"wikilink\" data-kind=\"firm\" data-id=\"3\" href=\"#firm/3\">in</a>",
            "<a data-kind=\"evil\" rel=\"opener\" href=\"#x\">k</a>"
        );
        let clean = SANITIZER.clean(hostile).to_string();
        for banned in [
            "<script",
            "<img",
            "onerror",
            "onclick",
            "onmouseover",
            "javascript:",
            "relative.html",
            "data:",
            "<iframe",
            "<object",
            "<form",
            "<input",
            "<style",
            "color: red",
            "evil",
            "opener\"",
        ] {
            assert!(!clean.contains(banned), "{banned} in {clean}");
        }
        for kept in [
            "<a class=\"external\" href=\"https://ok.example\" rel=\"noopener noreferrer\">ok</a>",
            "<a class=\"wikilink\" data-kind=\"firm\" data-id=\"3\" href=\"#firm/3\">in</a>",
            "<p>p</p>",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }
}
