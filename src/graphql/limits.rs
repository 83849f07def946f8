//! Query limits: what one request may ask of the server. Each refusal is a
//! request error with `extensions.limit` naming the limit. The schema's
//! extension (checks.rs) applies nesting, aliases, depth and complexity to
//! every request whatever its transport; batch size, body size and time are
//! the HTTP handler's. Aliases (which async-graphql does not limit) are
//! counted with fragments expanded where they are spread, so a fragment of
//! 100 aliases spread 50 times counts 5,000.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};
use async_graphql::{ErrorExtensionValues, Request, ServerError};

/// Every limit, settled once from configuration.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Deepest nesting of fields.
    pub depth: usize,
    /// Highest complexity (each field costs 1, lists multiply nothing).
    pub complexity: usize,
    /// Most aliased fields in one operation, fragments expanded.
    pub aliases: usize,
    /// Most operations in one batched request.
    pub batch: usize,
    /// Longest time one operation may run.
    pub timeout: Duration,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            depth: 16,
            complexity: 5_000,
            aliases: 100,
            batch: 10,
            timeout: Duration::from_secs(10),
        }
    }
}

/// A request refused by a limit: `BAD_USER_INPUT` with `extensions.limit`.
pub fn limit_error(message: String, limit: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "BAD_USER_INPUT");
    extensions.set("limit", limit);
    error.extensions = Some(extensions);
    error
}

/// Refuses a document nested deeper than [`MAX_NESTING`]; run on the text
/// before anything parses it.
pub fn refuse_deep_nesting(query: &str) -> Result<(), ServerError> {
    if nests_deeper_than(query, MAX_NESTING) {
        return Err(limit_error(
            format!(
                "A query may nest brackets at most {MAX_NESTING} levels deep; this one nests deeper."
            ),
            "nesting",
        ));
    }
    Ok(())
}

/// async-graphql has no alias limit: thousands of aliases of one field
/// would each run it.
pub fn refuse_many_aliases(document: &ExecutableDocument, max: usize) -> Result<(), ServerError> {
    if count_aliases(document, max) > max {
        return Err(limit_error(
            format!("A request may use at most {max} aliases; this one uses more."),
            "aliases",
        ));
    }
    Ok(())
}

/// How many fields the document selects, counting a fragment's each time
/// it is spread, must stay within the complexity limit (each field costs at
/// least one). Checked here, with each fragment counted once and the count
/// stopped past `max`, because async-graphql's own depth check and
/// validation walk every spread of every fragment again: fragments that
/// each spread the next twice (`fragment A { ...B ...B }`, …) cost them
/// 2^n steps, and a 2 KiB anonymous request held a CPU for minutes.
pub fn refuse_oversized_expansion(
    document: &ExecutableDocument,
    max: usize,
) -> Result<(), ServerError> {
    if count_selections(document, Counted::Fields, max) > max {
        return Err(limit_error(
            format!(
                "The query is too complex: it may select at most {max} fields, \
                 counting a fragment each time it is spread. Ask for less at a time."
            ),
            "complexity",
        ));
    }
    Ok(())
}

/// The kind of operation a request will run, for a transport that must
/// know before executing it (HTTP refuses mutations over GET and checks a
/// mutation's origin). The nesting limit is applied before the document is
/// parsed, as it is in the engine. `Ok(None)` when the document does not
/// parse or names no single operation: the engine then says why.
pub fn operation_type(request: &mut Request) -> Result<Option<OperationType>, ServerError> {
    refuse_deep_nesting(&request.query)?;
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return Ok(None);
    };
    Ok(selected_operation(document, name.as_deref()).map(|op| op.ty))
}

/// The operation a request runs: the only one, or the one it names.
/// `None` when the name matches none, or several exist and none is named.
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match &document.operations {
        DocumentOperations::Single(op) => Some(&op.node),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops.get(name).map(|op| &op.node),
            None if ops.len() == 1 => ops.values().next().map(|op| &op.node),
            None => None,
        },
    }
}

/// How many aliased fields the document selects, counting a fragment's each
/// time it is spread. Stops counting once past `max` (so a hostile document
/// costs no more than the limit to check).
pub fn count_aliases(document: &ExecutableDocument, max: usize) -> usize {
    count_selections(document, Counted::Aliases, max)
}

/// What `count_selections` counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counted {
    Aliases,
    Fields,
}

/// How many of `counted` the document selects, counting a fragment's each
/// time it is spread (each fragment is expanded once and remembered).
/// Stops counting once past `max`.
fn count_selections(document: &ExecutableDocument, counted: Counted, max: usize) -> usize {
    let mut counter = AliasCounter {
        document,
        counted,
        max,
        count: 0,
        expanding: Vec::new(),
        memo: HashMap::new(),
    };
    for (_, operation) in document.operations.iter() {
        counter.count += counter.selection_set(&operation.node.selection_set.node);
        if counter.count > max {
            break;
        }
    }
    counter.count
}

/// Deepest bracket nesting a document may have. The GraphQL parser
/// recurses once per level of a selection set, list, object or list type
/// with no limit of its own: a 4 KiB `{ page(slug: [[[[…]]]]) }` overflowed
/// a worker thread's stack and aborted the whole process. Real documents
/// nest far less (fields are limited to 16 levels by default).
pub const MAX_NESTING: usize = 128;

/// Whether `query` nests `{`, `[` or `(` deeper than `max`, found by a
/// single pass over the text that skips strings, block strings and comments.
/// This runs before the document is parsed, so it must not recurse itself.
pub fn nests_deeper_than(query: &str, max: usize) -> bool {
    let bytes = query.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    // `\"""` is an escaped delimiter inside a block string.
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Deepest chain of fragment spreads followed when counting.
const MAX_FRAGMENT_CHAIN: usize = 64;

struct AliasCounter<'a> {
    document: &'a ExecutableDocument,
    counted: Counted,
    max: usize,
    count: usize,
    /// Fragments being expanded, to stop at a cycle (which validation
    /// refuses later anyway).
    expanding: Vec<&'a str>,
    memo: HashMap<&'a str, usize>,
}

impl<'a> AliasCounter<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet) -> usize {
        let mut total = 0usize;
        for item in &set.items {
            total = total.saturating_add(match &item.node {
                Selection::Field(field) => {
                    let counts = match self.counted {
                        Counted::Aliases => field.node.alias.is_some(),
                        Counted::Fields => true,
                    };
                    usize::from(counts)
                        .saturating_add(self.selection_set(&field.node.selection_set.node))
                }
                Selection::InlineFragment(fragment) => {
                    self.selection_set(&fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str())
                }
            });
            if total > self.max {
                break;
            }
        }
        total
    }

    fn fragment(&mut self, name: &'a str) -> usize {
        if let Some(&known) = self.memo.get(name) {
            return known;
        }
        if self.expanding.contains(&name) {
            return 0;
        }
        // A chain of fragments each spreading the next is flat text, so the
        // parser's nesting limit does not stop it; expanding it here would
        // recurse once per link. A chain this long is refused as over the limit.
        if self.expanding.len() >= MAX_FRAGMENT_CHAIN {
            return self.max.saturating_add(1);
        }
        let Some((_, definition)) = self
            .document
            .fragments
            .iter()
            .find(|(key, _)| key.as_str() == name)
        else {
            return 0;
        };
        self.expanding.push(name);
        let found = self.selection_set(&definition.node.selection_set.node);
        self.expanding.pop();
        self.memo.insert(name, found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(query: &str) -> usize {
        count_aliases(&async_graphql::parser::parse_query(query).unwrap(), 10_000)
    }

    /// A query spreading F0, where each fragment F{n} up to F{levels - 1}
    /// has the selection `body(n + 1)` and F{levels} selects `last`.
    fn fragment_chain(
        levels: usize,
        body: impl Fn(usize) -> String,
        last: &str,
    ) -> ExecutableDocument {
        let fragments =
            (0..levels).map(|n| format!("fragment F{n} on Query {{ {} }}", body(n + 1)));
        let text = format!(
            "{{ ...F0 }} {} fragment F{levels} on Query {{ {last} }}",
            fragments.collect::<Vec<_>>().join(" ")
        );
        async_graphql::parser::parse_query(text).unwrap()
    }

    #[test]
    fn fragments_are_counted_where_they_are_spread_without_walking_each_spread() {
        let document = fragment_chain(200, |next| format!("...F{next} ...F{next}"), "a");
        // 2^200 fields: this returns at once only because each fragment is
        // counted once.
        assert!(count_selections(&document, Counted::Fields, 5_000) > 5_000);
        assert!(refuse_oversized_expansion(&document, 5_000).is_err());
        let small = async_graphql::parser::parse_query("{ a b { c } ...G } fragment G on Q { d }");
        assert_eq!(count_selections(&small.unwrap(), Counted::Fields, 100), 4);
    }

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert!(!nests_deeper_than("{ pages { slug } }", 2));
        assert!(nests_deeper_than("{ pages { slug } }", 1));
        assert!(nests_deeper_than("{ page(slug: [[1]]) { slug } }", 3));
        assert!(!nests_deeper_than("{ page(slug: [[1]]) { slug } }", 4));
        assert!(!nests_deeper_than(
            "{ page(slug: \"[[[[\\\"[[[[\") { slug } } # {{{{{{\n",
            3
        ));
        assert!(!nests_deeper_than(
            "{ page(slug: \"\"\"[[[ \\\"\"\" [[[\"\"\") { slug } }",
            3
        ));
        let deep = format!(
            "{{ page(slug: {}1{}) }}",
            "[".repeat(5_000),
            "]".repeat(5_000)
        );
        assert!(nests_deeper_than(&deep, MAX_NESTING));
        // Unterminated strings and comments end the scan without panicking.
        assert!(!nests_deeper_than("{ a(b: \"\\", 5));
        assert!(!nests_deeper_than("{ a(b: \"\"\"x\\\"\"", 5));
        assert!(!nests_deeper_than("#", 5));
    }

    #[test]
    fn counts_aliases_in_fields_inline_fragments_and_spreads() {
        assert_eq!(aliases("{ a: pages { slug } b: pages { slug } }"), 2);
        assert_eq!(
            aliases("{ pages { x: slug ... on Page { y: slug } } }"),
            2,
            "inline fragments count"
        );
        assert_eq!(
            aliases("query { ...F ...F ...F } fragment F on Query { a: pages { slug } }"),
            3,
            "a fragment counts each time it is spread"
        );
        assert_eq!(aliases("{ pages { slug } }"), 0);
    }

    #[test]
    fn a_fragment_cycle_does_not_hang() {
        let query = "query { ...A } fragment A on Query { a: pages { slug } ...B } \
                     fragment B on Query { b: pages { slug } ...A }";
        assert!(aliases(query) >= 2);
    }

    #[test]
    fn a_long_fragment_chain_is_refused_without_deep_recursion() {
        let body = |next| format!("pages {{ slug }} ...F{next}");
        let document = fragment_chain(20_000, body, "pages { slug }");
        assert!(count_aliases(&document, 100) > 100);
    }

    #[test]
    fn stops_counting_past_the_limit() {
        let query = format!(
            "{{ {} }}",
            (0..5_000)
                .map(|i| format!("a{i}: pages {{ slug }}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let document = async_graphql::parser::parse_query(query).unwrap();
        let counted = count_aliases(&document, 100);
        assert!(counted > 100 && counted < 5_000, "{counted}");
    }
}
