//! The plain-text Q&A format of the original Local Digital page:
//!
//! ```text
//! Title line
//!
//! Intro paragraph(s)
//!
//! Category heading
//!
//! Q. A question?
//!
//! A. Its answer, possibly over several paragraphs.
//!
//! Footer paragraph
//! ```
//!
//! A category heading is any paragraph directly followed by a `Q.` paragraph.
//! The last paragraph of the file, when it follows an answer and is not
//! itself a question or answer, is the page footer. Any other extra paragraph
//! after an answer continues that answer.

use std::fmt;

use super::{CategoryDocument, PageDocument, QuestionDocument};
use crate::domain::{PageStatus, QuestionStatus, Slug};

/// The jump-link instruction of the original page; the renderer writes its
/// own, so it is not content.
const JUMP_LINK_PROMPT: &str = "select a category to skip to the relevant q&a";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub expected: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.expected)
    }
}

impl std::error::Error for ParseError {}

fn error(line: usize, expected: impl Into<String>) -> ParseError {
    ParseError {
        line,
        expected: expected.into(),
    }
}

struct Paragraph {
    line: usize,
    text: String,
}

enum Kind<'a> {
    Question(&'a str),
    Answer(&'a str),
    Other,
}

impl Paragraph {
    fn kind(&self) -> Kind<'_> {
        // "Q.Will" (no space) appears in the original page, so the space is optional.
        if let Some(rest) = self.text.strip_prefix("Q.") {
            Kind::Question(rest.trim())
        } else if let Some(rest) = self.text.strip_prefix("A.") {
            Kind::Answer(rest.trim())
        } else {
            Kind::Other
        }
    }
}

fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current: Option<Paragraph> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r').trim();
        if line.is_empty() {
            out.extend(current.take());
            continue;
        }
        match current.as_mut() {
            Some(p) => {
                p.text.push('\n');
                p.text.push_str(line);
            }
            None => {
                current = Some(Paragraph {
                    line: index + 1,
                    text: line.to_owned(),
                })
            }
        }
    }
    out.extend(current);
    out
}

fn is_jump_link_prompt(text: &str) -> bool {
    text.trim_end_matches('.').to_lowercase() == JUMP_LINK_PROMPT
}

/// Slugs generated from question text can collide; later ones get a suffix.
fn unique_slug(base: Slug, taken: &mut std::collections::HashSet<String>) -> String {
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert(slug.as_str().to_owned()) {
        slug = base.with_suffix(n);
        n += 1;
    }
    slug.into_string()
}

pub fn parse_plain_text(text: &str) -> Result<PageDocument, ParseError> {
    let paragraphs = paragraphs(text);
    let Some((title_paragraph, rest)) = paragraphs.split_first() else {
        return Err(error(
            1,
            "expected the page title on the first line, found an empty file",
        ));
    };
    if title_paragraph.text.contains('\n') {
        return Err(error(
            title_paragraph.line + 1,
            "expected a blank line after the one-line page title",
        ));
    }
    if !matches!(title_paragraph.kind(), Kind::Other) {
        return Err(error(
            title_paragraph.line,
            "expected the page title, found a question or answer",
        ));
    }
    let title = title_paragraph.text.clone();
    let page_slug = Slug::from_text(&title, 60).ok_or_else(|| {
        error(
            title_paragraph.line,
            "expected a title with letters or numbers in it",
        )
    })?;

    let is_heading = |i: usize| {
        matches!(rest[i].kind(), Kind::Other)
            && rest
                .get(i + 1)
                .is_some_and(|next| matches!(next.kind(), Kind::Question(_)))
    };
    let first_heading = (0..rest.len()).find(|&i| is_heading(i));
    let intro_end = first_heading.unwrap_or(rest.len());
    if let Some(stray) = rest[..intro_end]
        .iter()
        .find(|p| !matches!(p.kind(), Kind::Other))
    {
        let expected = match stray.kind() {
            Kind::Question(_) => "expected a category heading before the first question",
            _ => "expected a question starting with 'Q.' before this answer",
        };
        return Err(error(stray.line, expected));
    }
    let Some(first_heading) = first_heading else {
        let line = rest.last().map_or(title_paragraph.line, |p| p.line);
        return Err(error(
            line,
            "expected at least one category heading followed by a question starting with 'Q.'",
        ));
    };
    let intro = rest[..first_heading]
        .iter()
        .filter(|p| !is_jump_link_prompt(&p.text))
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");

    let mut categories: Vec<CategoryDocument> = Vec::new();
    let mut category_slugs = std::collections::HashSet::new();
    let mut question_slugs = std::collections::HashSet::new();
    let mut footer = String::new();
    let mut i = first_heading;
    while i < rest.len() {
        let p = &rest[i];
        match p.kind() {
            Kind::Other if is_heading(i) => {
                let slug = Slug::from_text(&p.text, 60).ok_or_else(|| {
                    error(
                        p.line,
                        "expected a category heading with letters or numbers in it",
                    )
                })?;
                if !category_slugs.insert(slug.as_str().to_owned()) {
                    return Err(error(
                        p.line,
                        format!(
                            "expected each category once, but '{}' appears again",
                            p.text
                        ),
                    ));
                }
                categories.push(CategoryDocument {
                    slug: slug.into_string(),
                    title: p.text.replace('\n', " "),
                    archived_at: None,
                    created_at: None,
                    published: None,
                    questions: Vec::new(),
                });
                i += 1;
            }
            Kind::Question(question) => {
                if question.is_empty() {
                    return Err(error(p.line, "expected the question text after 'Q.'"));
                }
                let Some(answer_paragraph) = rest.get(i + 1) else {
                    return Err(error(
                        p.line,
                        "expected an answer starting with 'A.' after this question, found the end of the file",
                    ));
                };
                let Kind::Answer(first) = answer_paragraph.kind() else {
                    return Err(error(
                        answer_paragraph.line,
                        format!(
                            "expected an answer starting with 'A.' for the question on line {}",
                            p.line
                        ),
                    ));
                };
                if first.is_empty() {
                    return Err(error(
                        answer_paragraph.line,
                        "expected the answer text after 'A.'",
                    ));
                }
                let mut answer = vec![first.to_owned()];
                let mut j = i + 2;
                // Extra paragraphs continue the answer, except a final one (the footer)
                // and one that starts the next category.
                while j < rest.len() && matches!(rest[j].kind(), Kind::Other) && !is_heading(j) {
                    if j == rest.len() - 1 {
                        footer = rest[j].text.clone();
                    } else {
                        answer.push(rest[j].text.clone());
                    }
                    j += 1;
                }
                let slug = Slug::from_text(question, 60).ok_or_else(|| {
                    error(p.line, "expected a question with letters or numbers in it")
                })?;
                let answer = answer.join("\n\n");
                let question = question.replace('\n', " ");
                let category = categories
                    .last_mut()
                    .expect("a heading always precedes the first question");
                category.questions.push(QuestionDocument {
                    slug: unique_slug(slug, &mut question_slugs),
                    live_question: Some(question.clone()),
                    live_answer: Some(answer.clone()),
                    question,
                    answer,
                    status: QuestionStatus::Published,
                    publish_at: None,
                    expire_at: None,
                    published_at: None,
                    archived_at: None,
                    created_at: None,
                    published_place: None,
                });
                i = j;
            }
            Kind::Answer(_) => {
                return Err(error(
                    p.line,
                    "expected a question starting with 'Q.' before this answer",
                ));
            }
            Kind::Other => unreachable!("paragraphs after an answer are consumed with it"),
        }
    }

    Ok(PageDocument {
        slug: page_slug.into_string(),
        title,
        intro,
        footer,
        status: PageStatus::Live,
        retirement_notice: None,
        replacement_url: None,
        redirect_to_replacement: false,
        retire_at: None,
        retired_at: None,
        created_at: None,
        published: None,
        updates: None,
        categories,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../sample/local-digital-qa.txt");

    #[test]
    fn reads_the_local_digital_page() {
        let page = parse_plain_text(SAMPLE).unwrap();
        assert_eq!(page.title, "Local Digital Q&A");
        assert_eq!(page.slug, "local-digital-qa");
        assert!(page
            .intro
            .starts_with("Got a question about the Local Digital Declaration?"));
        assert!(page.intro.ends_with("by the time we’re done!"));
        assert!(!page.intro.contains("Select a category"));
        let counts: Vec<usize> = page.categories.iter().map(|c| c.questions.len()).collect();
        assert_eq!(counts, [2, 3, 1, 1]);
        assert_eq!(page.categories[2].title, "The £7.5 million fund");
        let roadshows = &page.categories[1].questions[1];
        assert_eq!(
            roadshows.question,
            "Will you be holding any more roadshows?"
        );
        assert!(page.footer.starts_with("Get the latest from Local Digital"));
        let last = &page.categories[3].questions[0];
        assert!(
            last.answer.ends_with("roadshow workshops."),
            "{}",
            last.answer
        );
        assert!(!last.answer.contains("Get the latest"));
    }

    #[test]
    fn multi_paragraph_answers_are_kept_together() {
        let text = "T\n\nIntro\n\nCat\n\nQ. One?\n\nA. First.\n\nSecond.\n\nCat two\n\nQ. Two?\n\nA. Yes.\n\nFooter";
        let page = parse_plain_text(text).unwrap();
        assert_eq!(page.categories[0].questions[0].answer, "First.\n\nSecond.");
        assert_eq!(page.categories[1].title, "Cat two");
        assert_eq!(page.footer, "Footer");
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let cases = [
            ("", 1, "page title"),
            ("T\n\nIntro only", 3, "category heading"),
            (
                "T\n\nQ. Orphan?\n\nA. Yes.",
                3,
                "category heading before the first question",
            ),
            (
                "T\n\nCat\n\nQ. No answer?\n\nCat 2\n\nQ. x\n\nA. y",
                7,
                "answer starting with 'A.' for the question on line 5",
            ),
            ("T\n\nCat\n\nQ. Last?", 5, "found the end of the file"),
            ("T\n\nCat\n\nQ. Fine?\n\nA.   \n", 7, "answer text"),
        ];
        for (text, line, expected) in cases {
            let err = parse_plain_text(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.expected.contains(expected), "{text:?}: {err}");
        }
    }
}
