//! The `large` dataset: one LIVE page of published questions, written in the
//! `qanda export` JSON format so the real `qanda import` loads it.
//!
//! The text is deterministic (a fixed-seed generator picking from a word
//! list) and varied enough that full-text search has something to rank:
//! between 1% and 6% of an answer's words are about funding, so
//! `search(query: "fund")` matches most answers, with different scores.

use serde_json::{json, Value};

/// The page slug of the large dataset.
pub const LARGE_PAGE: &str = "bench-large";

/// The word searched for; the porter stemmer makes it match "funding",
/// "funded" and "funds" too.
pub const SEARCH_WORD: &str = "fund";

const WORDS: &[&str] = &[
    "council",
    "digital",
    "service",
    "residents",
    "housing",
    "planning",
    "waste",
    "collection",
    "library",
    "parking",
    "permit",
    "benefit",
    "claim",
    "application",
    "form",
    "online",
    "account",
    "payment",
    "tax",
    "band",
    "school",
    "admission",
    "transport",
    "road",
    "repair",
    "report",
    "licence",
    "register",
    "election",
    "vote",
    "care",
    "social",
    "adult",
    "children",
    "support",
    "team",
    "project",
    "declaration",
    "signatory",
    "local",
    "authority",
    "government",
    "open",
    "standard",
    "data",
    "software",
    "supplier",
    "contract",
    "procurement",
    "user",
    "research",
    "discovery",
    "alpha",
    "beta",
    "prototype",
    "design",
    "accessible",
    "content",
    "page",
    "guidance",
    "community",
    "practice",
    "share",
    "reuse",
    "component",
    "platform",
    "cloud",
    "hosting",
    "security",
    "privacy",
    "consent",
    "record",
    "archive",
    "deadline",
    "budget",
    "cost",
    "saving",
    "grant",
    "bid",
    "round",
    "partner",
    "collaboration",
    "workshop",
    "training",
    "skills",
    "culture",
    "leadership",
    "officer",
    "member",
    "cabinet",
    "committee",
    "meeting",
    "minutes",
    "decision",
    "policy",
    "strategy",
    "outcome",
    "measure",
    "evidence",
    "impact",
    "timeline",
    "milestone",
    "delivery",
    "agile",
    "sprint",
    "backlog",
    "feedback",
    "survey",
    "interview",
    "pilot",
    "scale",
    "legacy",
    "system",
    "integration",
    "interface",
    "api",
    "identity",
    "verification",
    "notification",
    "email",
    "letter",
    "phone",
    "appointment",
    "booking",
    "queue",
    "waiting",
    "list",
    "eligibility",
    "criteria",
    "assessment",
    "review",
    "appeal",
    "complaint",
    "response",
];

const FUND_WORDS: &[&str] = &["fund", "funding", "funded", "funds"];

const VERBS: &[&str] = &[
    "apply for",
    "report",
    "change",
    "find",
    "pay for",
    "renew",
    "cancel",
    "check",
    "share",
    "reuse",
    "publish",
    "book",
];

/// A small deterministic generator (xorshift64*): the same dataset every run.
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }

    fn sentence(&mut self, fund_chance: usize) -> String {
        let len = 8 + self.below(8);
        let mut words = Vec::with_capacity(len);
        for _ in 0..len {
            if self.below(100) < fund_chance {
                words.push(self.pick(FUND_WORDS));
            } else {
                words.push(self.pick(WORDS));
            }
        }
        let mut sentence = words.join(" ");
        if let Some(first) = sentence.get(..1) {
            sentence = first.to_uppercase() + &sentence[1..];
        }
        sentence.push('.');
        sentence
    }

    /// About `target` characters of Markdown in two paragraphs, with one
    /// bold phrase, so `answerHtml` has something to render.
    fn answer(&mut self, target: usize, fund_chance: usize) -> String {
        let mut text = String::with_capacity(target + 100);
        let mut bold = false;
        while text.len() < target {
            if !text.is_empty() {
                text.push_str(if text.len() > target / 2 && !text.contains("\n\n") {
                    "\n\n"
                } else {
                    " "
                });
            }
            let sentence = self.sentence(fund_chance);
            if !bold && text.len() > target / 3 {
                text.push_str("**");
                text.push_str(&sentence);
                text.push_str("**");
                bold = true;
            } else {
                text.push_str(&sentence);
            }
        }
        text
    }
}

/// One LIVE page of `categories` × `questions` PUBLISHED questions, answers
/// of about `answer_chars` characters, as a `qanda export` file.
pub fn large(categories: usize, questions: usize, answer_chars: usize) -> Value {
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    let categories: Vec<Value> = (0..categories)
        .map(|c| {
            let topic = format!("{} and {}", words.pick(WORDS), words.pick(WORDS));
            let items: Vec<Value> = (0..questions)
                .map(|q| {
                    let subject = format!("{} {}", words.pick(WORDS), words.pick(WORDS));
                    // Between 1% and 6% of words are about funding, so
                    // search scores differ from answer to answer.
                    let fund_chance = 1 + (c * questions + q) % 6;
                    json!({
                        "slug": format!("c{c:02}-q{q:02}"),
                        "question": format!("How do I {} the {subject} (topic {c}.{q})?", words.pick(VERBS)),
                        "answer": words.answer(answer_chars, fund_chance),
                        "status": "PUBLISHED",
                    })
                })
                .collect();
            json!({
                "slug": format!("category-{c:02}"),
                "title": format!("Category {}: {}", c + 1, capitalise(&topic)),
                "questions": items,
            })
        })
        .collect();
    json!({
        "format": "qanda-export/1",
        "pages": [{
            "slug": LARGE_PAGE,
            "title": "Benchmark Q&A",
            "intro": "A large generated page for qanda-bench.",
            "footer": "Generated text; not real guidance.",
            "status": "LIVE",
            "categories": categories,
        }],
    })
}

/// Text for an edit: the same length as an imported answer.
pub fn edit_text(answer_chars: usize, seed: u64) -> String {
    Words(seed | 1).answer(answer_chars, 3)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_about_the_asked_length_and_mention_funding() {
        let file = large(2, 3, 600);
        let questions = file["pages"][0]["categories"][1]["questions"]
            .as_array()
            .unwrap();
        assert_eq!(questions.len(), 3);
        for q in questions {
            let answer = q["answer"].as_str().unwrap();
            assert!((600..800).contains(&answer.len()), "{}", answer.len());
        }
        let all = file.to_string();
        assert!(all.contains("fund"));
        assert_eq!(large(2, 3, 600), file, "the same every time");
    }
}
