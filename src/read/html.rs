//! HTML pages: the text a reader sees, without markup, scripts or styles, and the page's title.

/// Elements whose content is not text.
const SKIPPED_ELEMENTS: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];
/// Elements that end a line (so that paragraphs do not run into each other).
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "figcaption",
    "title",
    "nav",
    "aside",
];

/// The text of an HTML page, with scripts, styles and comments dropped, block elements ending lines and entities
/// decoded; and the page's `<title>`.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() / 2);
    let title = lower.find("<title").and_then(|start| {
        let open_end = start + lower[start..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        let t = html_escape::decode_html_entities(&html[open_end..close]).trim().to_string();
        (!t.is_empty()).then_some(t)
    });
    let mut i = 0;
    let mut next_gt: Option<Option<usize>> = None;
    while i < html.len() {
        let Some(lt) = html[i..].find('<').map(|p| i + p) else {
            out.push_str(&html[i..]);
            break;
        };
        out.push_str(&html[i..lt]);
        if lower[lt..].starts_with("<!--") {
            i = lower[lt..].find("-->").map_or(html.len(), |p| lt + p + 3);
            continue;
        }
        let starts_tag = html[lt + 1..].chars().next().is_some_and(|c| c.is_ascii_alphabetic() || "/!?".contains(c));
        // The first '>' after the last '<' looked at is the first after this one too, unless it lies before: so a
        // page of '<' that never close is read in one pass, not one pass per '<'.
        let gt = match next_gt {
            Some(Some(g)) if g > lt => Some(g),
            Some(None) => None,
            _ => {
                let g = html[lt..].find('>').map(|p| lt + p);
                next_gt = Some(g);
                g
            }
        };
        let Some(gt) = gt.filter(|_| starts_tag) else {
            // A '<' that opens no tag is text.
            out.push('<');
            i = lt + 1;
            continue;
        };
        let tag = lower[lt + 1..gt].trim_start_matches('/');
        let tag_name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let closing = lower[lt + 1..gt].starts_with('/');
        i = gt + 1;
        if tag_name.is_empty() {
            continue;
        }
        if !closing && SKIPPED_ELEMENTS.contains(&tag_name.as_str()) {
            let close = format!("</{tag_name}");
            i = lower[i..].find(&close).map_or(html.len(), |p| {
                let end = i + p;
                lower[end..].find('>').map_or(html.len(), |q| end + q + 1)
            });
            out.push('\n');
            continue;
        }
        if BLOCK_ELEMENTS.contains(&tag_name.as_str()) {
            out.push('\n');
        }
    }
    let text = html_escape::decode_html_entities(&out).into_owned();
    // Collapse the blank lines that markup leaves behind.
    let mut cleaned = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        cleaned.push_str(line);
        cleaned.push('\n');
    }
    (cleaned, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_html() {
        let table = [
            ("<p>德纳</p><p>落户</p>", "德纳\n落户\n", None),
            (
                "<html><head><title>潍坊 &amp; 新闻</title><style>p{}</style></head><body>正文<br>第二行</body></html>",
                "正文\n第二行\n",
                Some("潍坊 & 新闻"),
            ),
            ("a<script>var x = '<p>';</script>b", "a\nb\n", None),
            ("<!-- <p>no</p> -->文&nbsp;字&#x6F4D;&#22346;", "文\u{a0}字潍坊\n", None),
            ("1 < 2 and <b>bold</b>", "1 < 2 and bold\n", None),
        ];
        for (html, text, title) in table {
            let (t, ti) = html_to_text(html);
            assert_eq!(t, text, "{html}");
            assert_eq!(ti.as_deref(), title, "{html}");
        }
    }
}
