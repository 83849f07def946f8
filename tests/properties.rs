//! Property tests for the code that reads untrusted text: the Markdown
//! renderer and sanitiser, the plain-text importer and GraphQL request
//! parsing (with the nesting check and alias counter that run before any
//! validation), and the running server, sent generated requests over HTTP
//! (target `server`): none may be answered 5xx or stop it.
//!
//! `cargo test` runs each target's properties for a few hundred cases. With
//! `QANDA_FUZZ_SECS=N` each target instead keeps generating fresh cases for
//! N seconds and prints how many it ran, which is the long fuzz run:
//!
//! ```sh
//! QANDA_FUZZ_SECS=600 cargo test --release --test properties sanitiser -- --nocapture --test-threads=1
//! ```
//!
//! A failure prints the smallest input proptest could shrink it to; keep
//! that input as a regression case at the end of its target's section.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt::Debug;
use std::time::{Duration, Instant};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{BatchRequest, Request};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, TestCaseResult, TestError, TestRunner};
use qanda::domain::Slug;
use qanda::graphql::limits::{count_aliases, nests_deeper_than, MAX_NESTING};
use qanda::interchange::{parse_any, parse_plain_text, PageDocument};
use qanda::markdown::to_html;

// ---------------------------------------------------------------------------
// Harness: the same properties in the normal suite and in long fuzz runs.

/// One property of a target: `run(cases)` checks that many fresh cases and
/// panics, naming the property and the minimal input, on a failure.
struct Property<'a> {
    name: &'static str,
    /// Cases in the normal suite; a few seconds' worth in a debug build.
    cases: u32,
    run: &'a dyn Fn(u32),
}

/// Cases per round in a long run, between looks at the clock.
const FUZZ_ROUND: u32 = 200;

fn fuzz_budget() -> Option<Duration> {
    let raw = std::env::var("QANDA_FUZZ_SECS").ok()?;
    let secs = raw
        .trim()
        .parse::<u64>()
        .unwrap_or_else(|_| panic!("QANDA_FUZZ_SECS must be a number of seconds, not {raw:?}"));
    Some(Duration::from_secs(secs))
}

/// Runs every property of a target once, or round after round with fresh
/// seeds until the `QANDA_FUZZ_SECS` budget is spent.
fn run_target(target: &str, properties: &[Property]) {
    let Some(budget) = fuzz_budget() else {
        for property in properties {
            let started = Instant::now();
            (property.run)(property.cases);
            eprintln!(
                "{target} / {}: {} cases in {:.1?}",
                property.name,
                property.cases,
                started.elapsed()
            );
        }
        return;
    };
    let started = Instant::now();
    let mut last_report = started;
    let mut counts = vec![0u64; properties.len()];
    while started.elapsed() < budget {
        for (property, count) in properties.iter().zip(&mut counts) {
            (property.run)(FUZZ_ROUND);
            *count += u64::from(FUZZ_ROUND);
        }
        if last_report.elapsed() >= Duration::from_secs(60) {
            last_report = Instant::now();
            eprintln!(
                "{target}: {} cases after {:.0?}",
                counts.iter().sum::<u64>(),
                started.elapsed()
            );
        }
    }
    let elapsed = started.elapsed();
    for (property, count) in properties.iter().zip(&counts) {
        eprintln!("{target} / {}: {count} cases", property.name);
    }
    eprintln!(
        "{target}: {} cases in {:.1} s, no failure",
        counts.iter().sum::<u64>(),
        elapsed.as_secs_f64()
    );
}

/// One proptest run with a fresh random seed (or `PROPTEST_RNG_SEED`).
fn check<S>(property: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: Debug,
{
    // Failures are kept as named regression tests in this file, not in a
    // proptest-regressions directory next to it.
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    match TestRunner::new(config).run(&strategy, test) {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => {
            panic!("{property}: {why}\nminimal failing input: {input:?}")
        }
        Err(TestError::Abort(why)) => panic!("{property}: gave up: {why}"),
    }
}

/// Generous bounds: they catch a hang or a quadratic blow-up, not jitter
/// on a shared machine.
fn time_limit() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(5)
    } else {
        Duration::from_secs(1)
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    let started = Instant::now();
    let value = f();
    let elapsed = started.elapsed();
    prop_assert!(
        elapsed < time_limit(),
        "{what} took {elapsed:?} (limit {:?})",
        time_limit()
    );
    Ok(value)
}

/// Arbitrary text, control characters and all (proptest's `String`
/// strategy avoids some of them).
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter),
        prop::collection::vec(prop::char::range('\0', '\u{7f}'), 0..max)
            .prop_map(String::from_iter),
    ]
}

// ---------------------------------------------------------------------------
// Markdown renderer and sanitiser.

#[test]
fn sanitiser() {
    run_target(
        "sanitiser",
        &[
            Property {
                name: "arbitrary text renders safe HTML",
                cases: 500,
                run: &sanitiser_arbitrary_text,
            },
            Property {
                name: "hostile Markdown and HTML render safe HTML",
                cases: 1_000,
                run: &sanitiser_hostile_markdown,
            },
            Property {
                name: "rendering the output again stays safe",
                cases: 300,
                run: &sanitiser_rendered_twice,
            },
        ],
    );
}

fn sanitiser_arbitrary_text(cases: u32) {
    check("arbitrary text", cases, any_text(300), |source| {
        let html = timed("to_html", || to_html(&source))?;
        assert_safe(&html)
    });
}

fn sanitiser_hostile_markdown(cases: u32) {
    check("hostile markdown", cases, hostile_markdown(), |source| {
        let html = timed("to_html", || to_html(&source))?;
        assert_safe(&html)
    });
}

fn sanitiser_rendered_twice(cases: u32) {
    check("rendered twice", cases, hostile_markdown(), |source| {
        let html = to_html(&to_html(&source));
        assert_safe(&html)
    });
}

fn assert_safe(html: &str) -> TestCaseResult {
    match unsafe_markup(html) {
        None => Ok(()),
        Some(why) => Err(TestCaseError::fail(format!("{why} in {html:?}"))),
    }
}

/// Elements that run script, load other documents, change how the rest of
/// the page is parsed (raw text, foreign content) or submit forms.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "link",
    "meta",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "template",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "title",
    "portal",
    "param",
];

/// Attributes a browser resolves as a URL (and may navigate to or load).
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "cite",
    "data",
    "codebase",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "icon",
    "usemap",
];

const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Why the HTML is unsafe, if it is. Read with html5ever's tokenizer, as a
/// browser would read it, with entities in attribute values decoded: none
/// of this trusts ammonia's own view of its output.
fn unsafe_markup(html: &str) -> Option<String> {
    // Text is escaped, so any `<script` at all would be a tag.
    if html.to_ascii_lowercase().contains("<script") {
        return Some("a script element".into());
    }
    for tag in tags(html) {
        let element = str::to_ascii_lowercase(&tag.name);
        if FORBIDDEN_ELEMENTS.contains(&element.as_str()) {
            return Some(format!("a <{element}> element"));
        }
        for attribute in &tag.attrs {
            let name = str::to_ascii_lowercase(&attribute.name.local);
            let value: &str = &attribute.value;
            if name.starts_with("on") {
                return Some(format!("an event handler {name}={value:?} on <{element}>"));
            }
            if matches!(name.as_str(), "style" | "srcdoc" | "http-equiv") {
                return Some(format!("a {name} attribute on <{element}>"));
            }
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                let urls: Vec<&str> = if name == "srcset" || name == "ping" {
                    value.split([',', ' ']).collect()
                } else {
                    vec![value]
                };
                for url in urls {
                    if let Some(scheme) = url_scheme(url) {
                        if !ALLOWED_SCHEMES.contains(&scheme.as_str()) {
                            return Some(format!(
                                "a {scheme}: URL in {name}={value:?} on <{element}>"
                            ));
                        }
                    }
                }
            }
        }
    }
    None
}

/// The scheme a browser could take from the URL. The URL parser drops
/// leading and trailing controls and spaces and every tab and newline;
/// dropping every whitespace and control character is stricter still.
fn url_scheme(url: &str) -> Option<String> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let end = squeezed.find([':', '/', '?', '#'])?;
    let scheme = &squeezed[..end];
    let is_scheme = squeezed[end..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // Anything else before the colon makes it a relative URL: a path.
    is_scheme.then(|| scheme.to_owned())
}

struct TagCollector(RefCell<Vec<Tag>>);

impl TokenSink for TagCollector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            self.0.borrow_mut().push(tag);
        }
        // Never switching to raw-text states reads more as tags than a
        // browser would, which only makes the check stricter (and every
        // raw-text element is forbidden anyway).
        TokenSinkResult::Continue
    }
}

fn tags(html: &str) -> Vec<Tag> {
    let tokenizer = Tokenizer::new(
        TagCollector(RefCell::new(Vec::new())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Pieces of known XSS vectors, in Markdown and in raw HTML, whole and
/// broken up so that concatenations make new ones.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<ScRiPt>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<IMG SRC=\"jav&#x09;ascript:alert(1);\">",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=javascript:alert(1)>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<iframe>",
    "<style>@import 'x.css';</style>",
    "<style>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:/\">",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<!-- <script>alert(1)</script> -->",
    "<!--",
    "-->",
    "--!>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE html>",
    "<?xml version=\"1.0\"?>",
    "<",
    ">",
    "</",
    "/>",
    "\"",
    "'",
    "`",
    "=",
    "<a ",
    "<img ",
    " href=",
    " src=",
    " onclick=",
    " onmouseover=alert(1) ",
    "</a>",
    "<p>",
    "</p>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](java\tscript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](java&#9;script:alert(1))",
    "[x](java%09script:alert(1))",
    "[x](\\javascript:alert(1))",
    "[x](javascript\\:alert(1))",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<java\tscript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](x \"onerror=alert(1)\")",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x]: javascript:alert(1)\n",
    "[x][]",
    "[x]",
    "[y]: <javascript:alert(1)> \"t\"\n",
    "[y]\n\n[y]: java&#x09;script:alert(1)\n",
    "[x](https://example.org \"\\\" onmouseover=alert(1) x=\\\"\")",
    "[x](https://example.org/\" onmouseover=\"alert(1))",
    "<https://example.org/\"onmouseover=\"alert(1)>",
    "<mailto:x@example.org>",
    "<x@example.org>",
    "https://example.org",
    "www.example.org",
    "[a](b)",
    "[a](/relative:path)",
    "`",
    "```",
    "```html\n<script>alert(1)</script>\n```\n",
    "    <script>alert(1)</script>\n",
    "> ",
    "* ",
    "1. ",
    "# ",
    "| a | b |\n|---|---|\n| <script> | [x](javascript:alert(1)) |\n",
    "~~",
    "*",
    "_",
    "**",
    "\\",
    "&",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&#x3C;script&#x3E;",
    "&amp;lt;script",
    "&quot;",
    "\0",
    "\u{feff}",
    "\u{200b}",
    "\u{2028}",
];

const SEPARATORS: &[&str] = &["", " ", "\n", "\n\n", "\t", "\r\n", "\n    "];

/// What gets between the letters of `javascript` or stands for one of them.
const SPLITTERS: &[&str] = &[
    "\t",
    "\n",
    "\r",
    "\0",
    "\u{1}",
    "\u{1f}",
    " ",
    "&#9;",
    "&#x09;",
    "&#10;",
    "&#13;",
    "&Tab;",
    "&NewLine;",
    "&#0;",
    "%09",
    "%0a",
    "\u{200b}",
    "\u{feff}",
    "\u{a0}",
    "\\",
];

const COLONS: &[&str] = &[":", "&#58;", "&#x3a;", "&colon;", "%3a", "&#0000058", "\\:"];

const PAYLOADS: &[&str] = &[
    "alert(1)",
    "alert(document.cookie)",
    "//%0aalert(1)",
    "text/html,<script>alert(1)</script>",
    "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "msgbox(1)",
];

/// Where a URL can stand: Markdown links, images, autolinks and reference
/// definitions, and raw HTML attributes (which must come out as text).
const URL_CONTEXTS: &[&str] = &[
    "[x]({u})",
    "[x](<{u}>)",
    "[x]({u} \"t\")",
    "[x]( {u} )",
    "<{u}>",
    "![x]({u})",
    "[x][r]\n\n[r]: {u}\n",
    "[r]\n\n[r]: <{u}>\n",
    "[{u}]({u})",
    "{u}",
    "<a href=\"{u}\">x</a>",
    "<a href={u}>x</a>",
    "<img src={u}>",
];

/// `javascript:` and friends, with letters in either case, split by
/// whitespace, controls or entities, or written as character references.
fn obfuscated_url() -> impl Strategy<Value = String> {
    (
        select(&["javascript", "vbscript", "data", "livescript"][..]),
        prop::collection::vec(0u8..4, 10),
        prop::collection::vec((any::<Index>(), select(SPLITTERS)), 0..3),
        select(COLONS),
        select(PAYLOADS),
        select(&["", " ", "\t", "\u{1}", "&#32;"][..]),
    )
        .prop_map(|(scheme, styles, splits, colon, payload, lead)| {
            let mut parts: Vec<String> = scheme
                .chars()
                .zip(styles.iter().cycle())
                .map(|(c, style)| match style {
                    0 => c.to_string(),
                    1 => c.to_ascii_uppercase().to_string(),
                    2 => format!("&#{};", u32::from(c)),
                    _ => format!("&#x{:X}", u32::from(c)),
                })
                .collect();
            for (at, splitter) in splits {
                let at = at.index(parts.len() + 1);
                parts.insert(at, splitter.to_owned());
            }
            format!("{lead}{}{colon}{payload}", parts.concat())
        })
}

fn url_in_context() -> impl Strategy<Value = String> {
    (select(URL_CONTEXTS), obfuscated_url()).prop_map(|(context, url)| context.replace("{u}", &url))
}

/// Markdown and HTML assembled from hostile pieces, obfuscated URLs in
/// every kind of link, separators and a little noise.
fn hostile_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(HOSTILE).prop_map(str::to_owned),
        4 => url_in_context(),
        2 => select(SEPARATORS).prop_map(str::to_owned),
        1 => "[ -~]{0,8}",
        1 => any_text(6),
    ];
    prop::collection::vec(piece, 1..24).prop_map(|pieces| pieces.concat())
}

#[test]
fn sanitiser_checker_sees_what_a_browser_would() {
    // The checker itself must flag what it is there to flag.
    for (html, why) in [
        ("<p><SCRIPT>x</SCRIPT></p>", "script"),
        ("<img src=x onerror=alert(1)>", "event handler"),
        (
            "<a href=\"java&#x09;script:alert(1)\">x</a>",
            "javascript: URL",
        ),
        (
            "<a href=\" &#1;JaVaScRiPt&colon;alert(1)\">x</a>",
            "javascript: URL",
        ),
        ("<img src=\"data:image/svg+xml,x\">", "data: URL"),
        ("<a href=vbscript:x>x</a>", "vbscript: URL"),
        ("<svg><a>x</a></svg>", "<svg>"),
        ("<p style=\"x\">x</p>", "style"),
    ] {
        let found = unsafe_markup(html).unwrap_or_default();
        assert!(found.contains(why), "{html}: {found:?}");
    }
    for html in [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1) onerror=x</p>",
        "<a href=\"https://example.org/?q=javascript:x\" rel=\"noopener noreferrer\">x</a>",
        "<a href=\"/relative:path\">x</a>",
        "<a href=\"java%09script:x\">x</a>",
        "<a href=\"mailto:x@example.org\">x</a>",
        "<img src=\"x.png\" alt=\"onerror=alert(1)\">",
    ] {
        assert_eq!(unsafe_markup(html), None, "{html}");
    }
}

#[test]
fn sanitiser_keeps_ordinary_markdown() {
    // Safety is not bought by throwing everything away.
    let html = to_html("A [link](https://example.org) and <https://example.org/b>, `code`.");
    assert!(html.contains("href=\"https://example.org\""), "{html}");
    assert!(html.contains("href=\"https://example.org/b\""), "{html}");
    assert!(html.contains("<code>code</code>"), "{html}");
    assert_eq!(unsafe_markup(&html), None);
}

// ---------------------------------------------------------------------------
// Plain-text importer.

const SAMPLE: &str = include_str!("../src/sample/local-digital-qa.txt");

#[test]
fn importer() {
    run_target(
        "importer",
        &[
            Property {
                name: "arbitrary text",
                cases: 500,
                run: &importer_arbitrary_text,
            },
            Property {
                name: "Q./A. line soup",
                cases: 500,
                run: &importer_line_soup,
            },
            Property {
                name: "mutations of the sample page",
                cases: 500,
                run: &importer_mutated_sample,
            },
        ],
    );
}

fn importer_arbitrary_text(cases: u32) {
    check("arbitrary text", cases, any_text(400), |text| {
        check_import(&text)
    });
}

/// Lines that the format gives meaning to, in any order.
fn importer_line_soup(cases: u32) {
    const LINES: &[&str] = &[
        "",
        "",
        "  ",
        "\r",
        "Title",
        "Local Digital Q&A",
        "Heading",
        "Another heading",
        "Q. A question?",
        "Q.No space?",
        "Q.",
        "Q. ",
        "Q. ???",
        "A. An answer.",
        "A.",
        "A. ",
        "q. lower case?",
        "Q",
        "A",
        "Select a category to skip to the relevant Q&A.",
        "£ — !",
        "Ünïcödé 見出し",
        "{\"format\": \"x\"}",
        "Continued paragraph.",
    ];
    let line = prop_oneof![
        8 => select(LINES).prop_map(str::to_owned),
        1 => any_text(20),
        1 => "[A-Za-z .?]{0,20}",
    ];
    let document = (
        prop::collection::vec(line, 0..40),
        select(&["\n", "\r\n", "\n\n"][..]),
    )
        .prop_map(|(lines, newline)| lines.join(newline));
    check("line soup", cases, document, |text| check_import(&text));
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Prefix(Index, &'static str),
    Insert(Index, String),
    StripPrefix(Index),
    LongLine(Index, usize),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::Delete),
        any::<Index>().prop_map(Edit::Duplicate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (
            any::<Index>(),
            select(&["Q.", "Q. ", "A.", "A. ", "Q.A.", "A.Q. ", "\u{feff}", " "][..])
        )
            .prop_map(|(at, prefix)| Edit::Prefix(at, prefix)),
        (any::<Index>(), any_text(30)).prop_map(|(at, text)| Edit::Insert(at, text)),
        (
            any::<Index>(),
            select(
                &[
                    "",
                    "Q.",
                    "A.",
                    "Heading",
                    "Select a category to skip to the relevant Q&A."
                ][..]
            )
        )
            .prop_map(|(at, line)| Edit::Insert(at, line.to_owned())),
        any::<Index>().prop_map(Edit::StripPrefix),
        (any::<Index>(), 1usize..20_000).prop_map(|(at, len)| Edit::LongLine(at, len)),
        any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(edits: &[Edit]) -> String {
    let mut lines: Vec<String> = SAMPLE.lines().map(str::to_owned).collect();
    for edit in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match edit {
            Edit::Delete(at) => {
                lines.remove(at.index(n));
            }
            Edit::Duplicate(at) => {
                let at = at.index(n);
                lines.insert(at, lines[at].clone());
            }
            Edit::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
            Edit::Prefix(at, prefix) => lines[at.index(n)].insert_str(0, prefix),
            Edit::Insert(at, text) => lines.insert(at.index(n + 1), text.clone()),
            Edit::StripPrefix(at) => {
                let line = &mut lines[at.index(n)];
                if line.starts_with("Q.") || line.starts_with("A.") {
                    line.drain(..2);
                }
            }
            Edit::LongLine(at, len) => {
                let words = "Q. A. word £ ü 見 ".repeat(len / 16 + 1);
                let cut = words
                    .char_indices()
                    .map(|(i, _)| i)
                    .take_while(|&i| i <= *len)
                    .last()
                    .unwrap_or(0);
                lines[at.index(n)].push_str(&words[..cut]);
            }
            Edit::Truncate(at) => {
                let line = &mut lines[at.index(n)];
                let cut = line
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(line.chars().count() / 2)
                    .unwrap_or(0);
                line.truncate(cut);
            }
        }
    }
    lines.join("\n")
}

fn importer_mutated_sample(cases: u32) {
    let document = prop::collection::vec(edit(), 0..8).prop_map(|edits| apply(&edits));
    check("mutated sample", cases, document, |text| {
        check_import(&text)
    });
}

fn check_import(text: &str) -> TestCaseResult {
    let result = timed("parse_plain_text", || parse_plain_text(text))?;
    // parse_any is the real entry point; for anything but JSON it must
    // agree with the plain-text parser.
    let any = timed("parse_any", || parse_any(text))?;
    if !text.trim_start().starts_with('{') {
        match (&result, &any) {
            (Ok(page), Ok(pages)) => prop_assert_eq!(std::slice::from_ref(page), &pages[..]),
            (Err(e), Err(message)) => prop_assert_eq!(&e.to_string(), message),
            _ => prop_assert!(false, "parse_any and parse_plain_text disagree"),
        }
    }
    match result {
        Ok(page) => check_page(text, &page),
        Err(error) => {
            let lines = text.lines().count();
            prop_assert!(
                error.line >= 1 && error.line <= lines + 1,
                "line {} of a {lines}-line file: {error}",
                error.line
            );
            prop_assert!(error.expected.starts_with("expected"), "{error}");
            prop_assert_eq!(
                error.to_string(),
                format!("line {}: {}", error.line, error.expected)
            );
            Ok(())
        }
    }
}

/// The blank-line-separated paragraphs of the input, trimmed as the
/// importer trims them.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

fn check_slug(what: &str, slug: &str, max: usize) -> TestCaseResult {
    prop_assert!(
        Slug::parse(what, slug).is_ok(),
        "{what} slug {slug:?} is not a valid slug"
    );
    prop_assert!(slug.len() <= max, "{what} slug {slug:?} is over {max}");
    Ok(())
}

fn check_page(text: &str, page: &PageDocument) -> TestCaseResult {
    let paragraphs = paragraphs(text);
    prop_assert_eq!(Some(&page.title), paragraphs.first());
    prop_assert!(!page.title.contains('\n'));
    check_slug("page", &page.slug, 60)?;
    prop_assert!(
        !page.intro.split("\n\n").any(|p| p
            .trim_end_matches('.')
            .eq_ignore_ascii_case("select a category to skip to the relevant q&a")),
        "the jump-link prompt is not intro content"
    );
    prop_assert!(!page.categories.is_empty(), "a page needs a category");

    let mut category_slugs = HashSet::new();
    let mut question_slugs = HashSet::new();
    let mut questions = 0;
    for category in &page.categories {
        prop_assert!(!category.title.trim().is_empty());
        prop_assert!(!category.title.contains('\n'));
        check_slug("category", &category.slug, 60)?;
        prop_assert!(
            category_slugs.insert(&category.slug),
            "category slug {} twice",
            category.slug
        );
        prop_assert!(
            !category.questions.is_empty(),
            "category {} has no question",
            category.title
        );
        for question in &category.questions {
            questions += 1;
            prop_assert!(!question.question.trim().is_empty());
            prop_assert!(!question.question.contains('\n'));
            prop_assert!(!question.answer.trim().is_empty());
            check_slug("question", &question.slug, 100)?;
            prop_assert!(
                question_slugs.insert(&question.slug),
                "question slug {} twice",
                question.slug
            );
            prop_assert_eq!(question.live_question.as_ref(), Some(&question.question));
            prop_assert_eq!(question.live_answer.as_ref(), Some(&question.answer));
        }
    }
    // Nothing is dropped or invented: every `Q.` paragraph is a question,
    // with exactly one `A.` paragraph for each.
    let asked = paragraphs.iter().filter(|p| p.starts_with("Q.")).count();
    let answered = paragraphs.iter().filter(|p| p.starts_with("A.")).count();
    prop_assert_eq!(questions, asked);
    prop_assert_eq!(questions, answered);
    Ok(())
}

#[test]
fn importer_reads_the_unchanged_sample() {
    // The mutation strategy starts from a page that imports.
    let page = parse_plain_text(&apply(&[])).expect("the sample page imports");
    assert_eq!(page.categories.len(), 4);
}

// ---------------------------------------------------------------------------
// GraphQL request parsing and the alias counter.

#[test]
fn graphql() {
    run_target(
        "graphql",
        &[
            Property {
                name: "arbitrary bytes as a request body",
                cases: 1_000,
                run: &graphql_arbitrary_bytes,
            },
            Property {
                name: "JSON-ish request bodies",
                cases: 300,
                run: &graphql_json_bodies,
            },
            Property {
                name: "GraphQL-ish documents",
                cases: 300,
                run: &graphql_documents,
            },
            Property {
                name: "huge and deep documents",
                cases: 30,
                run: &graphql_huge_documents,
            },
        ],
    );
}

/// What the handler does with a body before any GraphQL runs: read the
/// JSON, parse each document, count its aliases.
fn check_body(body: &[u8]) -> TestCaseResult {
    let batch = timed("serde_json", || {
        serde_json::from_slice::<BatchRequest>(body)
    })?;
    let Ok(batch) = batch else { return Ok(()) };
    let requests = match batch {
        BatchRequest::Single(request) => vec![request],
        BatchRequest::Batch(requests) => requests,
    };
    for mut request in requests {
        check_request(&mut request)?;
    }
    Ok(())
}

fn check_request(request: &mut Request) -> TestCaseResult {
    // The server refuses these before parsing (see `check_document`).
    if nests_deeper_than(&request.query, MAX_NESTING) {
        return Ok(());
    }
    let parsed = timed("parse_query", || request.parsed_query().is_ok())?;
    if parsed {
        let document = request
            .parsed_query()
            .map_err(|e| TestCaseError::fail(format!("parsed once, then failed: {}", e.message)))?;
        check_aliases(document)?;
    }
    Ok(())
}

/// The server parses only documents that pass the nesting check, so that
/// is the property: whatever passes it parses without overflowing the stack.
fn check_document(query: &str) -> TestCaseResult {
    if nests_deeper_than(query, MAX_NESTING) {
        return Ok(());
    }
    if let Ok(document) = timed("parse_query", || async_graphql::parser::parse_query(query))? {
        check_aliases(&document)?;
    }
    Ok(())
}

/// The alias limit is reached exactly when the fragment-expanded count is
/// over it (checked against a naive count wherever that is affordable),
/// and counting is quick whatever the document.
fn check_aliases(document: &ExecutableDocument) -> TestCaseResult {
    const MAX: usize = 100;
    let counted = timed("count_aliases", || count_aliases(document, MAX))?;
    if let Some(exact) = naive_alias_count(document) {
        prop_assert_eq!(
            counted > MAX,
            exact > MAX,
            "count_aliases said {} against an exact count of {}",
            counted,
            exact
        );
        if exact <= MAX {
            prop_assert_eq!(counted, exact);
        }
    }
    Ok(())
}

/// Aliases with every fragment spread expanded in place, or `None` for a
/// fragment cycle (which validation refuses) or too much work to tell.
fn naive_alias_count(document: &ExecutableDocument) -> Option<usize> {
    struct Naive<'a> {
        document: &'a ExecutableDocument,
        work: usize,
        stack: Vec<&'a str>,
    }
    impl<'a> Naive<'a> {
        fn set(&mut self, set: &'a SelectionSet) -> Option<usize> {
            let mut total = 0usize;
            for item in &set.items {
                self.work += 1;
                // The product refuses fragment chains 64 deep outright
                // (MAX_FRAGMENT_CHAIN in src/graphql/limits.rs): no exact
                // count to compare with there.
                if self.work > 200_000 || self.stack.len() >= 63 {
                    return None;
                }
                total += match &item.node {
                    Selection::Field(field) => {
                        usize::from(field.node.alias.is_some())
                            + self.set(&field.node.selection_set.node)?
                    }
                    Selection::InlineFragment(inline) => {
                        self.set(&inline.node.selection_set.node)?
                    }
                    Selection::FragmentSpread(spread) => {
                        let name = spread.node.fragment_name.node.as_str();
                        if self.stack.contains(&name) {
                            return None;
                        }
                        match self.document.fragments.get(&spread.node.fragment_name.node) {
                            None => 0,
                            Some(fragment) => {
                                self.stack.push(name);
                                let found = self.set(&fragment.node.selection_set.node)?;
                                self.stack.pop();
                                found
                            }
                        }
                    }
                };
            }
            Some(total)
        }
    }
    let mut naive = Naive {
        document,
        work: 0,
        stack: Vec::new(),
    };
    let mut total = 0;
    for (_, operation) in document.operations.iter() {
        total += naive.set(&operation.node.selection_set.node)?;
    }
    Some(total)
}

fn graphql_arbitrary_bytes(cases: u32) {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        // Bytes that at least start like a request.
        prop::collection::vec(any::<u8>(), 0..256).prop_map(|tail| {
            let mut body = b"{\"query\":\"".to_vec();
            body.extend(tail);
            body
        }),
    ];
    check("arbitrary bytes", cases, bytes, |body| check_body(&body));
}

fn graphql_json_bodies(cases: u32) {
    check("JSON-ish bodies", cases, json_body(), |body| {
        check_body(&body)
    });
}

/// JSON request bodies, single and batched, with documents, variables and
/// other members of every type, sometimes cut short or with a byte changed.
fn json_body() -> BoxedStrategy<Vec<u8>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any_text(12).prop_map(serde_json::Value::from),
        select(
            &[
                "{ pages { slug } }",
                "query($v: Boolean) { a: pages @include(if: $v) { slug } }"
            ][..]
        )
        .prop_map(serde_json::Value::from),
    ];
    let key = prop_oneof![
        4 => select(&["query", "variables", "operationName", "extensions"][..]).prop_map(str::to_owned),
        1 => any_text(6),
    ];
    let value = leaf.prop_recursive(6, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|fields| serde_json::Value::Object(fields.into_iter().collect())),
        ]
    });
    let request = (
        prop::option::of(prop_oneof![
            graphql_document(),
            select(&["{ pages { slug } }", "{ a: pages { slug } }", ""][..])
                .prop_map(str::to_owned),
        ]),
        prop::option::of(value.clone()),
        prop::option::of(prop_oneof![
            any_text(8).prop_map(serde_json::Value::from),
            value.clone()
        ]),
        prop::option::of(value.clone()),
    )
        .prop_map(|(query, variables, operation_name, extensions)| {
            let mut body = serde_json::Map::new();
            if let Some(query) = query {
                body.insert("query".into(), query.into());
            }
            for (key, v) in [
                ("variables", variables),
                ("operationName", operation_name),
                ("extensions", extensions),
            ] {
                if let Some(v) = v {
                    body.insert(key.into(), v);
                }
            }
            serde_json::Value::Object(body)
        })
        .boxed();
    let body = prop_oneof![
        4 => request.clone(),
        2 => prop::collection::vec(request, 0..4).prop_map(serde_json::Value::from),
        1 => value,
    ];
    // Some bodies are then cut short or have a byte changed.
    let damaged = (
        body,
        prop::option::weighted(0.3, (any::<Index>(), any::<u8>(), any::<bool>())),
    )
        .prop_map(|(body, damage)| {
            let mut bytes = body.to_string().into_bytes();
            if let Some((at, byte, cut)) = damage {
                let at = at.index(bytes.len() + 1);
                if cut {
                    bytes.truncate(at);
                } else {
                    bytes.insert(at, byte);
                }
            }
            bytes
        });
    damaged.boxed()
}

const FIELD_NAMES: &[&str] = &[
    "pages",
    "page",
    "slug",
    "title",
    "questions",
    "__typename",
    "a",
    "b",
];
const FRAGMENT_NAMES: &[&str] = &["F", "G", "H", "I"];
const TYPE_NAMES: &[&str] = &["QueryRoot", "Page", "Question", "Nope"];

fn graphql_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("ENUM".to_owned()),
        Just("$v".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:e}")),
        "[a-z\\\\\"\u{e9}\u{1F600} ]{0,8}".prop_map(|s| format!("\"{s}\"")),
        Just("\"\\u00e9\\n\\\"\"".to_owned()),
        Just("\"\"\"block\n\"\"\"".to_owned()),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((select(FIELD_NAMES), inner), 0..4).prop_map(|v| {
                let fields: Vec<String> = v.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", fields.join(", "))
            }),
        ]
    })
}

fn selection_set() -> impl Strategy<Value = String> {
    let field = (
        prop::option::weighted(0.5, "[a-z][a-z0-9_]{0,3}"),
        select(FIELD_NAMES),
        prop::option::weighted(0.3, (select(FIELD_NAMES), graphql_value())),
        prop::option::weighted(
            0.2,
            select(&["@skip(if: true)", "@include(if: $v)", "@nope"][..]),
        ),
    )
        .prop_map(|(alias, name, argument, directive)| {
            let mut out = String::new();
            if let Some(alias) = alias {
                out.push_str(&format!("{alias}: "));
            }
            out.push_str(name);
            if let Some((arg, value)) = argument {
                out.push_str(&format!("({arg}: {value})"));
            }
            if let Some(directive) = directive {
                out.push_str(&format!(" {directive}"));
            }
            out
        })
        .boxed();
    let leaf = prop_oneof![
        4 => field.clone(),
        1 => select(FRAGMENT_NAMES).prop_map(|name| format!("...{name}")),
    ];
    let item = leaf.prop_recursive(8, 96, 8, move |inner| {
        let items = prop::collection::vec(inner, 0..8).prop_map(|v| v.join(" "));
        prop_oneof![
            (field.clone(), items.clone()).prop_map(|(f, items)| format!("{f} {{ {items} }}")),
            (prop::option::of(select(TYPE_NAMES)), items).prop_map(|(on, items)| match on {
                Some(on) => format!("... on {on} {{ {items} }}"),
                None => format!("... {{ {items} }}"),
            }),
        ]
    });
    prop::collection::vec(item, 0..8).prop_map(|items| format!("{{ {} }}", items.join(" ")))
}

/// Documents of operations and fragments that spread each other, so
/// cycles, unknown fragments and fan-out all turn up, then sometimes
/// damaged by a stray token.
fn graphql_document() -> impl Strategy<Value = String> {
    let operation = (
        select(
            &[
                "",
                "query ",
                "query Q ",
                "mutation M ",
                "subscription S ",
                "query Q($v: Boolean) ",
            ][..],
        ),
        selection_set(),
    )
        .prop_map(|(head, set)| format!("{head}{set}"));
    let fragment = (select(FRAGMENT_NAMES), select(TYPE_NAMES), selection_set())
        .prop_map(|(name, on, set)| format!("fragment {name} on {on} {set}"));
    let definition = prop_oneof![operation, fragment];
    let tokens = select(
        &[
            "{", "}", "(", ")", "[", "]", ":", "...", "@", "$", "\"", "\"\"\"", "#\n", "on",
            "fragment", "query", "\u{0}", "\u{feff}", "1e", "-", "!", "=", "|", "&",
        ][..],
    );
    (
        prop::collection::vec(definition, 1..5),
        prop::collection::vec((any::<Index>(), tokens), 0..3),
        prop::collection::vec(any::<Index>(), 0..2),
    )
        .prop_map(|(definitions, inserts, deletes)| {
            let mut text = definitions.join("\n");
            let boundary = |text: &str, at: Index| {
                let n = text.chars().count();
                text.char_indices()
                    .nth(at.index(n + 1))
                    .map_or(text.len(), |(i, _)| i)
            };
            for at in deletes {
                let i = boundary(&text, at);
                if i < text.len() {
                    text.remove(i);
                }
            }
            for (at, token) in inserts {
                let i = boundary(&text, at);
                text.insert_str(i, token);
            }
            text
        })
}

fn graphql_documents(cases: u32) {
    check(
        "GraphQL-ish documents",
        cases,
        graphql_document(),
        |query| check_document(&query),
    );
}

/// Shapes that cost a naive implementation dearly, at sizes up to what
/// the 1 MiB body limit lets through.
#[derive(Debug, Clone)]
enum Shape {
    /// `{ a0: f a1: f ... }`
    FlatAliases(usize),
    /// `{ f { f { ... } } }`: the parser stops at depth 64.
    Nested(usize),
    /// `[[[...]]]` as an argument value.
    NestedValue(usize),
    /// Each fragment spreads the next one `fan_out` times: 2^40 aliases
    /// if expanded naively.
    FanOut { depth: usize, fan_out: usize },
    /// Fragments spreading each other round in a cycle.
    Cycle(usize),
    /// A chain of fragments each spreading the next, kept short here: see
    /// `graphql_long_fragment_chain_is_counted_quickly_without_overflowing`.
    Chain(usize),
    /// `{"variables": {"a": {"a": ...}}}`
    DeepJson(usize),
    /// A batch of many copies of one request.
    Batch(usize),
}

fn shape_body(shape: &Shape) -> Vec<u8> {
    let query = |q: String| serde_json::json!({ "query": q }).to_string().into_bytes();
    match *shape {
        Shape::FlatAliases(n) => query(format!(
            "{{ {} }}",
            (0..n)
                .map(|i| format!("a{i}: pages {{ slug }}"))
                .collect::<Vec<_>>()
                .join(" ")
        )),
        Shape::Nested(n) => query(format!("{}{}", "{ pages ".repeat(n), "}".repeat(n))),
        Shape::NestedValue(n) => query(format!(
            "{{ page(slug: {}\"x\"{}) {{ slug }} }}",
            "[".repeat(n),
            "]".repeat(n)
        )),
        Shape::FanOut { depth, fan_out } => {
            let mut q = String::from("query { ...F0 }\n");
            for i in 0..depth {
                let spreads = format!("...F{} ", i + 1).repeat(fan_out);
                q.push_str(&format!("fragment F{i} on QueryRoot {{ {spreads}}}\n"));
            }
            q.push_str(&format!(
                "fragment F{depth} on QueryRoot {{ a: pages {{ slug }} }}"
            ));
            query(q)
        }
        Shape::Cycle(n) => {
            let mut q = String::from("query { ...F0 }\n");
            for i in 0..n {
                q.push_str(&format!(
                    "fragment F{i} on QueryRoot {{ a{i}: pages {{ slug }} ...F{} }}\n",
                    (i + 1) % n.max(1)
                ));
            }
            query(q)
        }
        Shape::Chain(n) => query(fragment_chain(n)),
        Shape::DeepJson(n) => format!(
            "{{\"query\":\"{{ pages {{ slug }} }}\",\"variables\":{}1{}}}",
            "{\"a\":".repeat(n),
            "}".repeat(n)
        )
        .into_bytes(),
        Shape::Batch(n) => {
            let one = "{\"query\":\"{ a: pages { slug } b: pages { slug } }\"}";
            format!("[{}]", vec![one; n].join(",")).into_bytes()
        }
    }
}

/// `query { ...F0 }` and F0 spreading F1 … spreading Fn, in as few bytes
/// as the names allow.
fn fragment_chain(n: usize) -> String {
    let mut q = String::from("{...f0}");
    for i in 0..n {
        q.push_str(&format!("fragment f{i} on Q{{...f{}}}", i + 1));
    }
    q.push_str(&format!("fragment f{n} on Q{{a:b}}"));
    q
}

fn huge_shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        (0usize..20_000).prop_map(Shape::FlatAliases),
        (0usize..2_000).prop_map(Shape::Nested),
        // Deeper than MAX_NESTING is refused before parsing; unchecked,
        // values overflowed the parser's stack from about 400 levels in a
        // debug build (see `server_survives_deeply_nested_values`).
        (0usize..50_000).prop_map(Shape::NestedValue),
        (1usize..40, 1usize..4).prop_map(|(depth, fan_out)| Shape::FanOut { depth, fan_out }),
        // Short enough for a debug build's stack: the long chain has a
        // test of its own.
        (1usize..500).prop_map(Shape::Cycle),
        (0usize..500).prop_map(Shape::Chain),
        (0usize..100_000).prop_map(Shape::DeepJson),
        (0usize..2_000).prop_map(Shape::Batch),
    ]
}

fn graphql_huge_documents(cases: u32) {
    check("huge documents", cases, huge_shape(), |shape| {
        let body = shape_body(&shape);
        prop_assert!(body.len() <= 1 << 20, "{shape:?} is over the body limit");
        check_body(&body)?;
        if let Shape::FanOut { depth, fan_out } = shape {
            // The expanded count is fan_out^depth: over the limit as soon
            // as that is, though a naive count could never finish.
            let exact = fan_out.checked_pow(depth as u32).unwrap_or(usize::MAX);
            let query = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["query"].as_str().map(str::to_owned))
                .unwrap_or_default();
            let document = async_graphql::parser::parse_query(query)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let counted = count_aliases(&document, 100);
            prop_assert_eq!(counted > 100, exact > 100, "counted {}", counted);
        }
        Ok(())
    });
}

/// Runs `work` in a child process (this test binary again, filtered to
/// `test`) so that a stack overflow, which aborts the whole process, fails
/// one test instead of the run.
fn in_child_process(test: &str, work: impl FnOnce()) {
    const CHILD: &str = "QANDA_PROPERTIES_CHILD";
    if std::env::var(CHILD).as_deref() == Ok(test) {
        work();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let output = std::process::Command::new(exe)
        .args([
            test,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--include-ignored",
        ])
        .env(CHILD, test)
        .env_remove("QANDA_FUZZ_SECS")
        .output()
        .expect("the test binary can run itself");
    assert!(
        output.status.success(),
        "{test} failed in its child process ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Finding of the first fuzz pass: count_aliases recursed once per
/// fragment spread, with no depth limit and a linear search for each
/// fragment, so a chain of fragments that fits in the 1 MiB body limit
/// overflowed a 2 MiB tokio worker stack (aborting the whole server) before
/// async-graphql's own recursion limit (64) was ever reached, and smaller
/// chains took quadratic time.
#[test]
fn graphql_long_fragment_chain_is_counted_quickly_without_overflowing() {
    const TEST: &str = "graphql_long_fragment_chain_is_counted_quickly_without_overflowing";
    in_child_process(TEST, || {
        // As many fragments as fit in the body limit (~45,000); 20,000
        // already overflowed in a release build.
        let n = (0..)
            .map(|k| 1_000 * k)
            .take_while(|&n| {
                serde_json::json!({ "query": fragment_chain(n) })
                    .to_string()
                    .len()
                    < 1 << 20
            })
            .last()
            .unwrap_or(0);
        let query = fragment_chain(n);
        // The stack a tokio worker thread has, where the handler runs.
        let worker = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let document =
                    async_graphql::parser::parse_query(&query).expect("the chain parses");
                let started = Instant::now();
                let counted = count_aliases(&document, 100);
                (counted, started.elapsed())
            })
            .expect("a thread can be started");
        let (_, elapsed) = worker.join().expect("counting does not panic");
        assert!(elapsed < time_limit(), "{n} fragments took {elapsed:?}");
    });
}

// ---------------------------------------------------------------------------
// The real server: request bodies from the generators above, sent over HTTP.

/// The `qanda` binary serving a fresh temporary SQLite database, in a
/// process of its own so that a crash shows up as a crash, not as the end
/// of this test run.
struct Server {
    child: std::process::Child,
    address: std::net::SocketAddr,
    log: std::sync::Arc<std::sync::Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        use std::io::BufRead;

        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
            .arg("serve")
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("qanda.db").display()),
            )
            .env("QANDA_BIND", "127.0.0.1:0")
            .env("QANDA_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the qanda binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (found, address) = std::sync::mpsc::channel();
        let sink = log.clone();
        // Keeps reading, so that the server never blocks on a full pipe
        // and its last words (a panic, a stack overflow) are kept.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("qanda is serving http://").nth(1) {
                    let _ = found.send(rest.split('/').next().unwrap_or("").to_owned());
                }
                let mut log = sink.lock().unwrap_or_else(|e| e.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        let Ok(address) = address.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            let log = log.lock().unwrap_or_else(|e| e.into_inner());
            panic!("the server did not start:\n{log}");
        };
        Server {
            child,
            address: address.parse().expect("the server prints its address"),
            log,
            _dir: dir,
        }
    }

    /// The status code of one HTTP/1.1 exchange.
    fn status(&self, request_line: &str, headers: &str, body: &[u8]) -> Result<u16, String> {
        use std::io::{Read, Write};

        let mut stream =
            std::net::TcpStream::connect_timeout(&self.address, Duration::from_secs(5))
                .map_err(|e| format!("connect: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let mut request = format!(
            "{request_line} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{headers}\r\n",
            self.address
        )
        .into_bytes();
        request.extend_from_slice(body);
        stream
            .write_all(&request)
            .map_err(|e| format!("write: {e}"))?;
        let mut response = Vec::new();
        stream
            .read_to_end(&mut response)
            .map_err(|e| format!("read: {e}"))?;
        let head = String::from_utf8_lossy(&response[..response.len().min(64)]).into_owned();
        head.split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("no status line in {head:?}"))
    }

    fn post(&self, body: &[u8]) -> Result<u16, String> {
        let headers = format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        self.status("POST /graphql", &headers, body)
    }

    /// GET of a path sent as it is (already escaped).
    fn get_path(&self, path: &str) -> Result<u16, String> {
        self.status(&format!("GET {path}"), "", b"")
    }

    fn get(&self, query: &str) -> Result<u16, String> {
        let query: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
        self.status(&format!("GET /graphql?query={query}"), "", b"")
    }

    /// Fails the case, with the server's last words, if a request was not
    /// answered, was answered 5xx, or the server is no longer running.
    fn check(&self, what: &str, answer: Result<u16, String>) -> TestCaseResult {
        // The last lines say why a server died.
        let log = || {
            let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
            let lines: Vec<&str> = log.lines().collect();
            lines[lines.len().saturating_sub(20)..].join("\n")
        };
        match answer {
            Ok(status) if status < 500 => {}
            Ok(status) => {
                return Err(TestCaseError::fail(format!(
                    "{what} was answered {status}; server log:\n{}",
                    log()
                )))
            }
            Err(error) => {
                // Give a dying server a moment to write its last words.
                std::thread::sleep(Duration::from_millis(200));
                return Err(TestCaseError::fail(format!(
                    "{what} got no answer ({error}); server log:\n{}",
                    log()
                )));
            }
        }
        let healthy = self.status("GET /healthz", "", b"");
        prop_assert_eq!(healthy, Ok(200), "after {}; server log:\n{}", what, log());
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request body of any of the kinds above, a document sent by GET, or a
/// public page or search path.
#[derive(Debug, Clone)]
enum Sent {
    Post(Vec<u8>),
    Get(String),
    Page(String),
}

fn escaped(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Paths under /pages/: the sample page or any slug (escaped, so it may
/// hold `/`, `?` and `%`), as a page, a preview or a search, with any
/// parameters, escaped or raw (malformed escapes included).
fn public_path() -> impl Strategy<Value = String> {
    let slug = prop_oneof![
        2 => Just("local-digital-qa".to_owned()),
        3 => any::<String>().prop_map(|s| s.chars().take(60).collect()),
        1 => "[a-z0-9/?=&%.-]{0,40}",
    ];
    let raw_query = "[a-zA-Z0-9=&%+._~-]{0,60}";
    (slug, 0..4u8, any::<String>(), raw_query).prop_map(|(slug, kind, text, raw)| {
        let slug = escaped(&slug);
        let text: String = text.chars().take(300).collect();
        match kind {
            0 => format!("/pages/{slug}"),
            1 => format!("/pages/{slug}?preview={}", escaped(&text)),
            2 => format!(
                "/pages/{slug}/search?q={}&page={}",
                escaped(&text),
                escaped(&raw)
            ),
            _ => format!("/pages/{slug}/search?{raw}"),
        }
    })
}

#[test]
fn server() {
    let server = Server::start();
    let sent = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Sent::Post),
        3 => json_body().prop_map(Sent::Post),
        2 => graphql_document()
            .prop_map(|query| Sent::Post(serde_json::json!({ "query": query }).to_string().into_bytes())),
        1 => graphql_document().prop_map(Sent::Get),
        1 => huge_shape().prop_map(|shape| Sent::Post(shape_body(&shape))),
        2 => public_path().prop_map(Sent::Page),
    ];
    let requests = |cases| {
        check(
            "requests to the server",
            cases,
            sent.clone(),
            |sent| match &sent {
                Sent::Post(body) => server.check("POST /graphql", server.post(body)),
                Sent::Get(query) => server.check("GET /graphql", server.get(query)),
                Sent::Page(path) => server.check(&format!("GET {path}"), server.get_path(path)),
            },
        )
    };
    run_target(
        "server",
        &[Property {
            name: "no request is answered 5xx or stops the server",
            cases: 100,
            run: &requests,
        }],
    );
}

/// Finding of the first fuzz pass: async-graphql-parser (7.2.1) recurses
/// once per level of a list or object value without a limit of its own, so
/// a 4 KiB query like `{ page(slug: [[[[…]]]]) }` overflowed a 2 MiB tokio
/// worker stack and aborted the whole server, for an anonymous POST or GET.
/// Fixed by refusing documents nested deeper than `MAX_NESTING` before
/// they are parsed.
#[test]
fn server_survives_deeply_nested_values() {
    let server = Server::start();
    // The parser (pest) refuses nesting once its own stack check trips;
    // below that, building the syntax tree takes more stack per level.
    // The window where the second overflows lies around 400-760 levels in
    // a debug build and 2,000-7,900 in a release build: try both.
    for n in [
        300, 400, 500, 600, 700, 1_000, 1_500, 2_000, 3_000, 5_000, 7_000,
    ] {
        for query in [
            format!(
                "{{ page(slug: {}\"x\"{}) {{ slug }} }}",
                "[".repeat(n),
                "]".repeat(n)
            ),
            format!(
                "{{ page(slug: {}1{}) {{ slug }} }}",
                "{a: ".repeat(n),
                "}".repeat(n)
            ),
            format!(
                "query($v: [String] = {}\"x\"{}) {{ pages {{ slug }} }}",
                "[".repeat(n),
                "]".repeat(n)
            ),
            format!(
                "{{ pages @include(if: {}true{}) {{ slug }} }}",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ] {
            let what = format!("{}… nested {n} deep", &query[..30]);
            let body = serde_json::json!({ "query": query })
                .to_string()
                .into_bytes();
            for answer in [server.post(&body), server.get(&query)] {
                // 400 from the nesting check; a GET this long may be
                // refused by HTTP itself first (414 or 431).
                let refused = matches!(answer, Ok(400..=499));
                if let Err(why) = server.check(&what, answer) {
                    panic!("{why}");
                }
                assert!(refused, "{what} was not refused");
            }
        }
    }
}
