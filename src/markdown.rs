//! Markdown to safe HTML. Raw HTML in the source is shown as text, never
//! passed through, and the result is sanitised again by ammonia so that no
//! script, event handler or `javascript:` URL can reach a reader.

use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser};

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    builder
});

pub fn to_html(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML becomes visible text rather than markup.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(CowStr::from(raw.into_string())),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    SANITISER.clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(to_html("Hello *world*"), "<p>Hello <em>world</em></p>\n");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script> and <b onclick=\"x()\">bold</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn javascript_links_are_dropped() {
        let html = to_html("[click](javascript:alert(1)) [ok](https://example.org)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
    }
}
