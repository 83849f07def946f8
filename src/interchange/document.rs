use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{PageStatus, QuestionStatus};

/// Still 1: later fields were added with defaults, so older files import as
/// they always did, and older versions read newer files (ignoring what they
/// do not know, and publishing what they bring, as they always did).
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
    /// What readers see of the page's text, when it is not the working
    /// copy above; absent, an import publishes the working copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedPageDocument>,
    /// Every time readers were shown something new on the page, oldest
    /// first, with its public change note. Absent (older files), an import
    /// that changes the page counts as an update itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<Vec<PageUpdateDocument>>,
    pub categories: Vec<CategoryDocument>,
}

/// A page's published text; `None` where it has never been published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedPageDocument {
    pub title: Option<String>,
    pub intro: Option<String>,
    pub footer: Option<String>,
}

/// One time readers were shown something new, and what they were told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageUpdateDocument {
    pub published_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where readers see a category; `None` where it has never been shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedCategoryDocument {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub position: Option<i32>,
}

/// Where readers see a question: the category (by its working slug, on the
/// page `page` when not the question's own), address and position; `None`
/// where it has no published place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedPlaceDocument {
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    pub slug: Option<String>,
    pub position: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryDocument {
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// What readers see of the category, when it is not the working title,
    /// slug and place; absent, an import shows the working ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedCategoryDocument>,
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
    /// Where readers see the question, when it is not where the working
    /// copy stands (or it has a published place but no live text); absent,
    /// an import publishes a question with live text where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_place: Option<PublishedPlaceDocument>,
}
