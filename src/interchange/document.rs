use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{PageStatus, QuestionStatus};

pub const EXPORT_FORMAT: &str = "qanda-export/1";

/// Everything `qanda export` writes. Order in each list is the display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub pages: Vec<PageDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageDocument {
    pub slug: String,
    pub title: String,
    pub intro: String,
    #[serde(default)]
    pub footer: String,
    pub status: PageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retirement_notice: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement_url: Option<String>,
    #[serde(default)]
    pub redirect_to_replacement: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retire_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    pub categories: Vec<CategoryDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryDocument {
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    pub questions: Vec<QuestionDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDocument {
    pub slug: String,
    /// The working copy, which editors change.
    pub question: String,
    pub answer: String,
    pub status: QuestionStatus,
    /// The last published text, when it differs from the working copy or
    /// the question was once published; `None` if never published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_question: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}
