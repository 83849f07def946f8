//! Moving content in and out: the JSON document that `qanda export` writes
//! and `qanda import` reads, and the plain-text Q&A format of the original page.

mod document;
mod plain_text;

pub use document::{
    CategoryDocument, ExportFile, PageDocument, PageUpdateDocument, PublishedCategoryDocument,
    PublishedPageDocument, PublishedPlaceDocument, QuestionDocument, EXPORT_FORMAT,
};
pub use plain_text::{parse_plain_text, ParseError};

/// Reads either an export file (JSON) or a plain-text Q&A page.
pub fn parse_any(text: &str) -> Result<Vec<PageDocument>, String> {
    if text.trim_start().starts_with('{') {
        let file: ExportFile = serde_json::from_str(text)
            .map_err(|e| format!("line {}: this is not a qanda export file: {e}", e.line()))?;
        if file.format != EXPORT_FORMAT {
            return Err(format!(
                "this JSON file has format '{}', expected '{EXPORT_FORMAT}'",
                file.format
            ));
        }
        Ok(file.pages)
    } else {
        parse_plain_text(text)
            .map(|page| vec![page])
            .map_err(|e| e.to_string())
    }
}
