//! Full-text search over what the public sees: published questions (and
//! drafts whose publication is due) on live pages, in categories that are
//! not archived. One interface, two engines: SQLite's FTS5 (an index kept by
//! triggers) and PostgreSQL's text search (an expression index). Both stem
//! English words, rank a match in the question above one in the answer, and
//! mark the matched words in a snippet of the answer.

use std::collections::HashMap;

use entity::{page, question};
use sea_orm::sea_query::{Alias, Expr, JoinType, Order, SimpleExpr};
use sea_orm::{
    ColumnTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};

use super::questions::{reachable, QuestionView};
use super::Db;
use super::Visibility;
use crate::error::{AppError, AppResult};

/// Longest search accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Marks around matched words in snippets as the database returns them:
/// private-use characters, so they cannot clash with the text, and are
/// turned into `<mark>` only after the text has been escaped.
const MATCH_START: char = '\u{E000}';
const MATCH_END: char = '\u{E001}';

/// Words too common to search for: PostgreSQL's English list, applied on
/// SQLite too, so "how do I apply for the fund" means "apply fund" on both.
const STOP_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "should",
    "now",
];

/// The words searched for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    text: String,
    words: Vec<String>,
}

impl SearchQuery {
    pub fn parse(field: &str, input: &str) -> AppResult<SearchQuery> {
        let text = input.trim();
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::field(
                field,
                format!("Search for {MAX_QUERY_CHARS} characters or fewer"),
            ));
        }
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return Err(AppError::field(field, "Enter a word to search for"));
        }
        // A search made only of common words keeps them (SQLite can find
        // "the"; PostgreSQL finds nothing for it).
        let significant: Vec<String> = words
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        let words = if significant.is_empty() {
            words
        } else {
            significant
        };
        Ok(SearchQuery {
            text: text.to_owned(),
            words,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every word must match; each is quoted, so nothing typed is read as
    /// FTS5 query syntax.
    fn fts5(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every word must match, as with FTS5; PostgreSQL's parser for text
    /// typed by people never fails on input.
    fn postgres(&self) -> String {
        self.words.join(" ")
    }
}

/// One match, in rank order.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub question: QuestionView,
    /// Part of the answer, HTML-escaped, matched words in `<mark>`.
    pub snippet_html: String,
    /// Higher is better (comparable within one search only).
    pub score: f64,
    /// 1-based place in the whole result list: the cursor.
    pub position: u64,
}

/// One page of results and how many there are in all.
pub async fn search(
    db: &Db,
    query: &SearchQuery,
    page_slug: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<SearchHit>, u64)> {
    let mut select = reachable(question::Entity::find(), Visibility::Public);
    if let Some(slug) = page_slug {
        // The public path already joins the page.
        select = select.filter(page::Column::Slug.eq(slug));
    }
    let plan = match db.get_database_backend() {
        DatabaseBackend::Postgres => postgres(select, query),
        _ => sqlite(select, query),
    };
    let total = plan.matches.clone().count(db).await?;
    let found: Vec<(i32, f64, Option<String>)> = plan
        .matches
        .select_only()
        .column(question::Column::Id)
        .expr_as(plan.score, "score")
        .expr_as(plan.snippet, "snippet")
        .order_by(Expr::cust("score"), Order::Desc)
        .order_by_asc(question::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    if found.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut rows: HashMap<i32, question::Model> = question::Entity::find()
        .filter(question::Column::Id.is_in(found.iter().map(|(id, ..)| *id)))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let hits = found
        .into_iter()
        .zip(offset + 1..)
        .filter_map(|((id, score, snippet), position)| {
            Some(SearchHit {
                question: QuestionView::new(rows.remove(&id)?, Visibility::Public),
                snippet_html: snippet_html(snippet.as_deref().unwrap_or("")),
                score,
                position,
            })
        })
        .collect();
    Ok((hits, total))
}

/// How one engine finds, scores and quotes the matches.
struct Plan {
    /// The visible questions that match.
    matches: Select<question::Entity>,
    /// Higher is better.
    score: SimpleExpr,
    /// Part of the answer with the matched words between the marks.
    snippet: SimpleExpr,
}

/// FTS5: bm25 is lower for better matches (so it is negated); the question
/// column weighs four times the answer.
fn sqlite(mut select: Select<question::Entity>, query: &SearchQuery) -> Plan {
    QueryTrait::query(&mut select).join(
        JoinType::InnerJoin,
        Alias::new("question_search"),
        Expr::cust("question_search.rowid = questions.id"),
    );
    Plan {
        matches: select.filter(Expr::cust_with_values(
            "question_search MATCH ?",
            [query.fts5()],
        )),
        score: Expr::cust("-bm25(question_search, 4.0, 1.0)"),
        snippet: Expr::cust(format!(
            "snippet(question_search, 1, '{MATCH_START}', '{MATCH_END}', '…', 24)"
        )),
    }
}

/// Must repeat the expression of the `questions_search` index exactly, so
/// that PostgreSQL uses the index. Columns are unqualified as in the index;
/// only `questions` has these names.
const POSTGRES_VECTOR: &str = "(setweight(to_tsvector('english'::regconfig, coalesce(live_question, question)), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(live_answer, answer)), 'B'))";
const POSTGRES_QUERY: &str = "plainto_tsquery('english'::regconfig, $1)";

fn postgres(select: Select<question::Entity>, query: &SearchQuery) -> Plan {
    let words = query.postgres();
    Plan {
        matches: select.filter(Expr::cust_with_values(
            format!("{POSTGRES_VECTOR} @@ {POSTGRES_QUERY}"),
            [words.clone()],
        )),
        score: Expr::cust_with_values(
            format!("ts_rank({POSTGRES_VECTOR}, {POSTGRES_QUERY})::float8"),
            [words.clone()],
        ),
        // The snippet marks any of the words: one may match only in the
        // question, and a headline needing all of them would mark nothing.
        snippet: Expr::cust_with_values(
            format!(
                "ts_headline('english'::regconfig, coalesce(live_answer, answer), \
                 replace({POSTGRES_QUERY}::text, '&', '|')::tsquery, \
                 'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=12, \
                 MaxFragments=2, FragmentDelimiter=\" … \"')"
            ),
            [words],
        ),
    }
}

/// The snippet as HTML: the words a reader of the answer sees (the
/// Markdown read, so no `**`, link targets or tags), escaped, with each
/// matched word in `<mark>`.
fn snippet_html(snippet: &str) -> String {
    let text = plain_text(snippet);
    let mut html = String::with_capacity(text.len() + 32);
    // A mark whose partner was in dropped syntax (a link target) is dropped
    // too, so the marks always pair up.
    let mut open = false;
    for c in text.chars() {
        match c {
            MATCH_START if !open => {
                html.push_str("<mark>");
                open = true;
            }
            MATCH_END if open => {
                html.push_str("</mark>");
                open = false;
            }
            MATCH_START | MATCH_END => {}
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

/// Markdown (here a fragment of an answer's source, cut anywhere) as the
/// plain text it renders to: text and code kept, markup and HTML tags left
/// out, blocks joined by a space, each list item opened by its bullet (or
/// number) so that items do not run together.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut text = String::with_capacity(markdown.len());
    let space = |text: &mut String| {
        if !text.is_empty() && !text.ends_with(' ') {
            text.push(' ');
        }
    };
    // The next number of each open list; `None` for a bulleted one.
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::Start(Tag::Item) => {
                space(&mut text);
                match lists.last_mut() {
                    Some(Some(number)) => {
                        text.push_str(&format!("{number}. "));
                        *number += 1;
                    }
                    _ => text.push_str("\u{2022} "),
                }
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                space(&mut text);
            }
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => space(&mut text),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => space(&mut text),
            _ => {}
        }
    }
    // The engine may cut an emphasis in half ("Entries** close"), which
    // then reads as text: drop such leftover runs of delimiters.
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let delimiter = matches!(c, '*' | '_' | '~');
        if delimiter && chars.peek() == Some(&c) {
            while chars.peek() == Some(&c) {
                chars.next();
            }
        } else if c != '`' {
            plain.push(c);
        }
    }
    plain.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_words_and_never_syntax() {
        let q = SearchQuery::parse("query", "  funding OR \"bids\"* NEAR(x) ").unwrap();
        assert_eq!(q.fts5(), "\"funding\" \"bids\" \"near\" \"x\"");
        assert_eq!(q.postgres(), "funding bids near x");
    }

    #[test]
    fn common_words_are_dropped_unless_there_is_nothing_else() {
        let q = SearchQuery::parse("query", "How do I apply for the fund?").unwrap();
        assert_eq!(q.fts5(), "\"apply\" \"fund\"");
        let q = SearchQuery::parse("query", "the").unwrap();
        assert_eq!(q.fts5(), "\"the\"");
    }

    #[test]
    fn empty_or_long_queries_are_refused() {
        for bad in ["", "   ", "*** ?? !!"] {
            let error = SearchQuery::parse("query", bad).unwrap_err();
            assert_eq!(error.code(), "BAD_USER_INPUT", "{bad:?}");
        }
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(SearchQuery::parse("query", &long).is_err());
        assert!(SearchQuery::parse("query", &"a".repeat(MAX_QUERY_CHARS)).is_ok());
    }

    #[test]
    fn snippets_are_the_text_a_reader_sees() {
        let raw = format!(
            "**Entries** close: [enter the {MATCH_START}race{MATCH_END}](https://example.org/{MATCH_START}race{MATCH_END}) today.\n\n- one\n- `two`"
        );
        assert_eq!(
            snippet_html(&raw),
            "Entries close: enter the <mark>race</mark> today. \u{2022} one \u{2022} two"
        );
        // Cut mid-link by the engine: what cannot be read stays as text;
        // half an emphasis or code span is left out.
        assert_eq!(snippet_html("…see [the fu"), "…see [the fu");
        assert_eq!(snippet_html("Entries** close `soon"), "Entries close soon");
        assert_eq!(snippet_html("5 * 3 = 15"), "5 * 3 = 15");
        // A mark left without its partner is dropped or closed.
        let unpaired = format!("a {MATCH_END}b {MATCH_START}c");
        assert_eq!(snippet_html(&unpaired), "a b <mark>c</mark>");
    }

    proptest::proptest! {
        /// Whatever the engine hands back, the snippet is text with paired
        /// marks and no other markup.
        #[test]
        fn any_snippet_is_text_with_paired_marks(
            raw in "([a-z *_`~<>&\"'\\[\\]()#!\n-]|\u{E000}|\u{E001}){0,80}"
        ) {
            let html = snippet_html(&raw);
            let mut depth = 0i32;
            let mut rest = html.as_str();
            while let Some(at) = rest.find('<') {
                rest = &rest[at..];
                if let Some(after) = rest.strip_prefix("<mark>") {
                    depth += 1;
                    rest = after;
                } else if let Some(after) = rest.strip_prefix("</mark>") {
                    depth -= 1;
                    rest = after;
                } else {
                    proptest::prop_assert!(false, "markup in {html:?} from {raw:?}");
                }
                proptest::prop_assert!((0..=1).contains(&depth), "{html:?}");
            }
            proptest::prop_assert_eq!(depth, 0, "{}", html);
            let unmarked = html.replace("<mark>", "").replace("</mark>", "");
            proptest::prop_assert!(!unmarked.contains(['>', '"', '\'']), "{}", html);
        }
    }

    #[test]
    fn list_items_in_snippets_keep_their_bullets() {
        assert_eq!(
            snippet_html("Bring:\n\n- boots\n- a coat\n- water"),
            "Bring: \u{2022} boots \u{2022} a coat \u{2022} water"
        );
        assert_eq!(
            snippet_html("Steps:\n\n1. sign up\n2. pay"),
            "Steps: 1. sign up 2. pay"
        );
        // A snippet can start inside a list.
        assert_eq!(snippet_html("…boots\n- a coat"), "…boots \u{2022} a coat");
    }

    #[test]
    fn snippets_are_escaped_before_matches_are_marked() {
        let raw = format!("if 1 < 2 {MATCH_START}fund{MATCH_END} & \"more\" 'x'");
        assert_eq!(
            snippet_html(&raw),
            "if 1 &lt; 2 <mark>fund</mark> &amp; &quot;more&quot; &#39;x&#39;"
        );
        // Tags in the answer's source are left out, their text kept.
        let tags = format!("Bring <b>bold</b> <script>{MATCH_START}shoes{MATCH_END}</script>");
        assert_eq!(snippet_html(&tags), "Bring bold <mark>shoes</mark>");
    }
}
