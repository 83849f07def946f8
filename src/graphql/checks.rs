//! Checks that run inside the GraphQL engine, so that every transport that
//! executes a request through the schema gets them: the query limits
//! (nesting before parsing; aliases after; depth and complexity after
//! validation), and argument values that the engine's own validation lets
//! through but cannot coerce.
//!
//! async-graphql validates an `Int` as "any 64-bit integer" and a
//! `DateTime` as "any string", then fails while resolving the field. Those
//! failures carry no code and would reach the client as `INTERNAL`, though
//! the client sent them. Checked here, after parsing and before execution,
//! they are request errors (no `data`), `BAD_USER_INPUT`, naming the
//! argument, as the GraphQL specification's coercion rules would have them.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
    NextValidation,
};
use async_graphql::parser::types::{
    ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{
    Name, Pos, Request, ServerError, ServerResult, ValidationResult, Value, Variables,
};

use super::limits::{self, limit_error, QueryLimits};
use crate::error::AppError;
use async_graphql::ErrorExtensions;

/// Installed on the schema; makes one [`Checks`] per request.
pub struct QueryChecks {
    limits: QueryLimits,
}

impl QueryChecks {
    pub fn new(limits: &QueryLimits) -> QueryChecks {
        QueryChecks { limits: *limits }
    }
}

impl ExtensionFactory for QueryChecks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Checks {
            limits: self.limits,
            operation_name: Mutex::new(None),
        })
    }
}

struct Checks {
    limits: QueryLimits,
    /// Which operation the request runs: variables belong to it alone.
    operation_name: Mutex<Option<String>>,
}

#[async_trait::async_trait]
impl Extension for Checks {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Ok(mut name) = self.operation_name.lock() {
            name.clone_from(&request.operation_name);
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        limits::refuse_deep_nesting(query)?;
        // The engine walks every fragment spread as part of parsing (its
        // recursive depth check), so spreads are counted before it runs.
        // Without `...` a document has no spreads and costs its length.
        if query.contains("...") {
            if let Ok(document) = async_graphql::parser::parse_query(query) {
                limits::refuse_oversized_expansion(&document, self.limits.complexity)?;
            }
        }
        let document = next.run(ctx, query, variables).await?;
        limits::refuse_many_aliases(&document, self.limits.aliases)?;
        let operation_name = self.operation_name.lock().ok().and_then(|n| n.clone());
        check_arguments(
            &ctx.schema_env.registry,
            &document,
            operation_name.as_deref(),
            variables,
        )?;
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let (depth, complexity) = (self.limits.depth, self.limits.complexity);
        if result.depth > depth {
            return Err(vec![limit_error(
                format!("The query is nested too deep: at most {depth} levels of fields, this one has {}.", result.depth),
                "depth",
            )]);
        }
        if result.complexity > complexity {
            return Err(vec![limit_error(
                format!("The query is too complex: it may select at most {complexity} fields, this one selects {}. Ask for less at a time.", result.complexity),
                "complexity",
            )]);
        }
        Ok(result)
    }
}

/// An argument value that cannot be coerced to its type.
#[derive(Debug, PartialEq)]
struct BadValue {
    argument: String,
    /// The input object fields leading to the bad value, outermost first.
    fields: Vec<String>,
    problem: String,
    pos: Pos,
}

impl BadValue {
    fn into_server_error(self) -> ServerError {
        let (named, message) = match self.fields.last() {
            None => (
                self.argument.clone(),
                format!(
                    "Invalid value for argument \"{}\": {}",
                    self.argument, self.problem
                ),
            ),
            Some(field) => (
                field.clone(),
                format!(
                    "Invalid value for argument \"{}\", field \"{}\": {}",
                    self.argument,
                    self.fields.join("."),
                    self.problem
                ),
            ),
        };
        // The same `fields` shape as every other field error (AppError's).
        let mut error = AppError::field(named, self.problem)
            .extend()
            .into_server_error(self.pos);
        error.message = message;
        if let Some(extensions) = error.extensions.as_mut() {
            extensions.set("argument", self.argument);
        }
        error
    }
}

/// Checks every argument of the operation that will run, with its
/// variables put in. Anything this walk does not recognise (unknown fields,
/// types, fragments) is left to the engine's validation, which follows.
fn check_arguments(
    registry: &Registry,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> ServerResult<()> {
    let Some(operation) = limits::selected_operation(document, operation_name) else {
        return Ok(());
    };
    let root = match operation.ty {
        async_graphql::parser::types::OperationType::Query => Some(registry.query_type.as_str()),
        async_graphql::parser::types::OperationType::Mutation => registry.mutation_type.as_deref(),
        async_graphql::parser::types::OperationType::Subscription => {
            registry.subscription_type.as_deref()
        }
    };
    let Some(root) = root else { return Ok(()) };
    let mut walk = Walk {
        registry,
        document,
        operation,
        variables,
        visited: HashSet::new(),
    };
    match walk.selection_set(root, &operation.selection_set.node) {
        Some(bad) => Err(bad.into_server_error()),
        None => Ok(()),
    }
}

struct Walk<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    /// Fragments already checked: a fragment has one type condition, so one
    /// visit covers every spread (and a cycle cannot loop).
    visited: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn selection_set(&mut self, type_name: &str, set: &'a SelectionSet) -> Option<BadValue> {
        for selection in &set.items {
            let found = match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let Some(meta) = self.field(type_name, field.name.node.as_str()) else {
                        continue;
                    };
                    for (name, value) in &field.arguments {
                        let Some(arg) = meta.args.get(name.node.as_str()) else {
                            continue;
                        };
                        // The argument's value with each variable put in.
                        let value = value
                            .node
                            .clone()
                            .into_const_with(|name| Ok::<_, ()>(self.variable(&name)))
                            .unwrap_or(Value::Null);
                        if let Some((fields, problem)) = check_value(self.registry, &arg.ty, &value)
                        {
                            return Some(BadValue {
                                argument: name.node.to_string(),
                                fields,
                                problem,
                                pos: name.pos,
                            });
                        }
                    }
                    let child = MetaTypeName::concrete_typename(&meta.ty);
                    self.selection_set(child, &field.selection_set.node)
                }
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let on = fragment
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.to_string())
                        .unwrap_or_else(|| type_name.to_owned());
                    self.selection_set(&on, &fragment.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let Some((key, fragment)) = self.document.fragments.get_key_value(name) else {
                        continue;
                    };
                    if !self.visited.insert(key.as_str()) {
                        continue;
                    }
                    let on = fragment.node.type_condition.node.on.node.to_string();
                    self.selection_set(&on, &fragment.node.selection_set.node)
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn field(
        &self,
        type_name: &str,
        field: &str,
    ) -> Option<&'a async_graphql::registry::MetaField> {
        match self.registry.types.get(type_name)? {
            MetaType::Object { fields, .. } | MetaType::Interface { fields, .. } => {
                fields.get(field)
            }
            _ => None,
        }
    }

    /// What the request sent for variable `name` (or its default).
    fn variable(&self, name: &Name) -> Value {
        self.variables
            .get(name)
            .cloned()
            .or_else(|| {
                self.operation
                    .variable_definitions
                    .iter()
                    .find(|d| d.node.name.node == *name)
                    .and_then(|d| d.node.default_value.as_ref())
                    .map(|v| v.node.clone())
            })
            .unwrap_or(Value::Null)
    }
}

/// Whether `value` coerces to the type named `ty` (as the schema writes it:
/// `Int!`, `[ID!]`, `UpdateQuestionInput`), by the GraphQL specification's
/// input coercion rules. Returns the input fields leading to the first bad
/// value and what is wrong with it. The engine's validation is looser
/// than its coercion (any 64-bit `Int`, anything for a `DateTime` or an
/// input object, no check that a non-null variable was given), so every
/// rule is applied here rather than only the ones it misses.
fn check_value(registry: &Registry, ty: &str, value: &Value) -> Option<(Vec<String>, String)> {
    let bad = |problem: String| Some((Vec::new(), problem));
    match MetaTypeName::create(ty) {
        MetaTypeName::NonNull(_) if *value == Value::Null => {
            bad("A value is required here; found null (or a variable that was not given).".into())
        }
        MetaTypeName::NonNull(inner) => check_value(registry, inner, value),
        MetaTypeName::List(inner) => match value {
            Value::List(items) => items
                .iter()
                .find_map(|item| check_value(registry, inner, item)),
            single => check_value(registry, inner, single),
        },
        MetaTypeName::Named(_) if *value == Value::Null => None,
        MetaTypeName::Named(name) => match registry.types.get(name)? {
            MetaType::Scalar { .. } => check_scalar(name, value).and_then(bad),
            MetaType::Enum { enum_values, .. } => {
                let given = match value {
                    Value::Enum(given) => Some(given.as_str()),
                    Value::String(given) => Some(given.as_str()),
                    _ => None,
                };
                if given.is_some_and(|given| enum_values.contains_key(given)) {
                    return None;
                }
                let choices: Vec<&str> = enum_values.keys().map(String::as_str).collect();
                bad(format!(
                    "Expected one of {}; found {}.",
                    choices.join(", "),
                    shown(value)
                ))
            }
            MetaType::InputObject { input_fields, .. } => {
                let Value::Object(map) = value else {
                    return bad(format!(
                        "Expected an input object ({name}); found {}.",
                        shown(value)
                    ));
                };
                if let Some(unknown) = map
                    .keys()
                    .find(|key| !input_fields.contains_key(key.as_str()))
                {
                    return Some((
                        vec![unknown.to_string()],
                        format!("{name} has no field \"{unknown}\"."),
                    ));
                }
                input_fields.values().find_map(|field| {
                    let given = map.get(field.name.as_str());
                    let problem = match given {
                        Some(item) => check_value(registry, &field.ty, item),
                        None if field.ty.ends_with('!') && field.default_value.is_none() => {
                            bad("A value is required here.".into())
                        }
                        None => None,
                    };
                    problem.map(|(mut path, problem)| {
                        path.insert(0, field.name.clone());
                        (path, problem)
                    })
                })
            }
            _ => None,
        },
    }
}

/// What is wrong with `value` as the built-in or chrono scalar `name`;
/// `None` when it is right, or the scalar is not one of those.
fn check_scalar(name: &str, value: &Value) -> Option<String> {
    let right = match (name, value) {
        ("Int", Value::Number(number)) => {
            return number
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .is_none()
                .then(|| {
                    format!(
                        "Expected a whole number from {} to {}; found {number}.",
                        i32::MIN,
                        i32::MAX
                    )
                })
        }
        ("DateTime", Value::String(text)) => {
            return text
                .parse::<chrono::DateTime<chrono::FixedOffset>>()
                .is_err()
                .then(|| {
                    format!(
                        "Expected a date and time in RFC 3339 form, like 2026-12-03T09:30:00Z; found {}.",
                        shown(value)
                    )
                })
        }
        ("Float", Value::Number(_)) | ("String", Value::String(_)) => true,
        ("Boolean", Value::Boolean(_)) => true,
        ("ID", Value::String(_)) => true,
        ("ID", Value::Number(number)) => number.is_i64() || number.is_u64(),
        ("Int" | "Float" | "String" | "Boolean" | "ID" | "DateTime", _) => false,
        _ => true,
    };
    (!right).then(|| {
        let expected = match name {
            "Int" => "a whole number",
            "Float" => "a number",
            "String" => "a string",
            "Boolean" => "true or false",
            "ID" => "an id (a string)",
            _ => "a date and time in RFC 3339 form, like 2026-12-03T09:30:00Z",
        };
        format!("Expected {expected}; found {}.", shown(value))
    })
}

/// The value as GraphQL would write it, cut to at most 40 characters.
fn shown(value: &Value) -> String {
    shorten(&value.to_string())
}

/// Quotes at most 40 characters of what the client sent.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, InputObject, Object, Request, Schema};

    use super::*;

    #[derive(InputObject)]
    struct Window {
        from: chrono::DateTime<chrono::Utc>,
        count: Option<i32>,
        inner: Option<Vec<Inner>>,
    }

    #[derive(InputObject)]
    struct Inner {
        size: i32,
    }

    struct Root;

    #[Object]
    impl Root {
        async fn count(&self, first: Option<i32>, window: Option<Window>) -> i32 {
            first.unwrap_or(0) + window.and_then(|w| w.count).unwrap_or(0)
        }
    }

    async fn first_error(query: &str, variables: serde_json::Value) -> Option<ServerError> {
        let schema = Schema::build(Root, EmptyMutation, EmptySubscription)
            .extension(QueryChecks::new(&QueryLimits::default()))
            .finish();
        let request = Request::new(query).variables(Variables::from_json(variables));
        schema.execute(request).await.errors.into_iter().next()
    }

    /// Asserts that `query` is refused as bad input on `field`, with a
    /// message that mentions `mention`.
    async fn assert_refused_on(
        query: &str,
        variables: serde_json::Value,
        field: &str,
        mention: &str,
    ) {
        let error = first_error(query, variables).await.expect("an error");
        assert!(error.path.is_empty(), "a request error, not a field error");
        assert_eq!(field_named(&error), field);
        assert!(error.message.contains(mention), "{}", error.message);
    }

    fn field_named(error: &ServerError) -> String {
        let extensions = error.extensions.as_ref().expect("extensions");
        assert_eq!(extensions.get("code"), Some(&Value::from("BAD_USER_INPUT")));
        match extensions.get("fields") {
            Some(Value::List(fields)) => match &fields[0] {
                Value::Object(field) => field["field"].to_string().trim_matches('"').to_owned(),
                other => panic!("a field object, not {other}"),
            },
            other => panic!("a list of fields, not {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_int_past_32_bits_is_a_request_error_naming_the_argument() {
        for (query, variables) in [
            ("{ count(first: 2147483648) }", serde_json::json!({})),
            (
                "query($n: Int) { count(first: $n) }",
                serde_json::json!({ "n": -519118977709i64 }),
            ),
        ] {
            assert_refused_on(query, variables, "first", "argument \"first\"").await;
        }
        assert!(
            first_error("{ count(first: 2147483647) }", serde_json::json!({}))
                .await
                .is_none()
        );
        assert!(
            first_error("{ count(first: -2147483648) }", serde_json::json!({}))
                .await
                .is_none()
        );
    }

    #[tokio::test]
    async fn input_object_fields_are_named_however_deep() {
        assert_refused_on(
            "query($w: Window) { count(window: $w) }",
            serde_json::json!({ "w": { "from": "' OR '1'='1" } }),
            "from",
            "\"window\", field \"from\"",
        )
        .await;
        assert_refused_on(
            r#"{ count(window: { from: "2026-12-03T09:30:00Z", inner: [{ size: 1 }, { size: 99999999999 }] }) }"#,
            serde_json::json!({}),
            "size",
            "field \"inner.size\"",
        )
        .await;

        assert!(first_error(
            r#"{ count(window: { from: "2026-12-03T09:30:00+01:00", count: 3 }) }"#,
            serde_json::json!({})
        )
        .await
        .is_none());
    }

    #[tokio::test]
    async fn fragments_are_checked_once_and_cycles_do_not_loop() {
        let error = first_error(
            "{ ...A } fragment A on Root { count(first: 9999999999) ...A }",
            serde_json::json!({}),
        )
        .await
        .expect("an error");
        // The engine refuses the cycle or the check names the argument;
        // either way it is the client's mistake and nothing hangs.
        assert!(error.path.is_empty());
    }

    #[tokio::test]
    async fn depth_and_complexity_name_their_limit() {
        let schema = Schema::build(Root, EmptyMutation, EmptySubscription)
            .extension(QueryChecks::new(&QueryLimits {
                depth: 1,
                complexity: 2,
                ..QueryLimits::default()
            }))
            .finish();
        let response = schema.execute("{ a: count b: count c: count }").await;
        let extensions = response.errors[0].extensions.as_ref().unwrap();
        assert_eq!(extensions.get("limit"), Some(&Value::from("complexity")));
        assert!(response.errors[0].message.contains("too complex"));
    }
}
