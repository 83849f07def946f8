//! A client's mistake is never `INTERNAL`. The schema is read by
//! introspection, so an argument added later is covered without editing
//! this test: every argument of every query and mutation (and every `Int`
//! and `DateTime` field of an input object) is sent a value out of range,
//! a malformed `DateTime` and a value of the wrong type, as a literal and
//! as a variable, anonymously and as an admin. Each answer is a request
//! error with `BAD_USER_INPUT` naming the argument, never a 5xx, and no
//! stored data changes.

use std::collections::BTreeMap;

use qanda::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp};

const INTROSPECTION: &str = "
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
{ __schema {
    queryType { name } mutationType { name }
    types { kind name enumValues { name }
      fields { name type { ...T } args { name type { ...T } } }
      inputFields { name type { ...T } } } } }";

/// An Int that does not fit 32 bits, as reported from the field.
const OUT_OF_RANGE: i64 = -519_118_977_709;
const BAD_DATE: &str = "' OR '1'='1";

/// A type as introspection gives it: `NON_NULL` and `LIST` wrap a named type.
#[derive(Clone, Debug)]
enum Ty {
    NonNull(Box<Ty>),
    List(Box<Ty>),
    Named { kind: String, name: String },
}

impl Ty {
    fn read(value: &Value) -> Ty {
        match value["kind"].as_str().expect("a kind") {
            "NON_NULL" => Ty::NonNull(Box::new(Ty::read(&value["ofType"]))),
            "LIST" => Ty::List(Box::new(Ty::read(&value["ofType"]))),
            kind => Ty::Named {
                kind: kind.to_owned(),
                name: value["name"].as_str().expect("a name").to_owned(),
            },
        }
    }

    /// As a variable definition writes it.
    fn sdl(&self) -> String {
        match self {
            Ty::NonNull(inner) => format!("{}!", inner.sdl()),
            Ty::List(inner) => format!("[{}]", inner.sdl()),
            Ty::Named { name, .. } => name.clone(),
        }
    }

    fn named(&self) -> (&str, &str) {
        match self {
            Ty::NonNull(inner) | Ty::List(inner) => inner.named(),
            Ty::Named { kind, name } => (kind, name),
        }
    }

    fn required(&self) -> bool {
        matches!(self, Ty::NonNull(_))
    }
}

/// A value both as GraphQL literal text and as JSON (for a variable).
#[derive(Clone, Debug)]
struct Both {
    literal: String,
    json: Value,
}

impl Both {
    fn scalar(json: Value) -> Both {
        Both {
            literal: json.to_string(),
            json,
        }
    }

    fn enum_value(name: &str) -> Both {
        Both {
            literal: name.to_owned(),
            json: Value::from(name),
        }
    }

    fn object(fields: Vec<(String, Both)>) -> Both {
        let literal = fields
            .iter()
            .map(|(name, value)| format!("{name}: {}", value.literal))
            .collect::<Vec<_>>()
            .join(", ");
        let json = fields
            .into_iter()
            .map(|(name, value)| (name, value.json))
            .collect::<serde_json::Map<_, _>>();
        Both {
            literal: format!("{{{literal}}}"),
            json: Value::Object(json),
        }
    }
}

struct Schema {
    types: BTreeMap<String, Value>,
}

impl Schema {
    fn input_fields(&self, name: &str) -> Vec<(String, Ty)> {
        self.types[name]["inputFields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .map(|f| (f["name"].as_str().unwrap().to_owned(), Ty::read(&f["type"])))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A value the engine accepts for `ty` (required input fields filled).
    fn valid(&self, ty: &Ty) -> Both {
        match ty {
            Ty::NonNull(inner) => self.valid(inner),
            Ty::List(inner) => {
                let item = self.valid(inner);
                Both {
                    literal: format!("[{}]", item.literal),
                    json: json!([item.json]),
                }
            }
            Ty::Named { kind, name } => match (kind.as_str(), name.as_str()) {
                ("ENUM", _) => Both::enum_value(
                    self.types[name]["enumValues"][0]["name"]
                        .as_str()
                        .expect("an enum value"),
                ),
                ("INPUT_OBJECT", _) => Both::object(
                    self.input_fields(name)
                        .into_iter()
                        .filter(|(_, ty)| ty.required())
                        .map(|(field, ty)| {
                            let value = self.valid(&ty);
                            (field, value)
                        })
                        .collect(),
                ),
                (_, "Int") => Both::scalar(json!(1)),
                (_, "Float") => Both::scalar(json!(1.5)),
                (_, "Boolean") => Both::scalar(json!(true)),
                (_, "DateTime") => Both::scalar(json!("2030-01-01T00:00:00Z")),
                (_, "ID") => Both::scalar(json!("1")),
                _ => Both::scalar(json!("x")),
            },
        }
    }

    /// Values for `ty` that a client may send by mistake, each with what it is.
    fn mistakes(&self, ty: &Ty) -> Vec<(String, Both)> {
        let (kind, name) = ty.named();
        let mut cases = match (kind, name) {
            (_, "Int") => vec![
                ("an Int out of 32 bits", Both::scalar(json!(OUT_OF_RANGE))),
                ("an Int past 64 bits", Both::scalar(json!(1e30))),
                ("a string for an Int", Both::scalar(json!("12"))),
            ],
            (_, "DateTime") => vec![
                ("a malformed DateTime", Both::scalar(json!(BAD_DATE))),
                ("a number for a DateTime", Both::scalar(json!(5))),
            ],
            ("ENUM", _) => vec![("an unknown enum value", Both::enum_value("NOT_A_VALUE"))],
            ("INPUT_OBJECT", _) => vec![("a number for an input object", Both::scalar(json!(42)))],
            (_, "Boolean") => vec![("a string for a Boolean", Both::scalar(json!("yes")))],
            _ => vec![(
                "an object for a scalar",
                Both::object(vec![("a".into(), Both::scalar(json!(1)))]),
            )],
        }
        .into_iter()
        .map(|(what, value)| (what.to_owned(), value))
        .collect::<Vec<_>>();
        // Inside an input object: each Int and DateTime field gets its
        // mistakes, the other required fields valid values.
        if kind == "INPUT_OBJECT" {
            let fields = self.input_fields(name);
            for (field, field_ty) in &fields {
                if !matches!(field_ty.named().1, "Int" | "DateTime") {
                    continue;
                }
                for (what, bad) in self.mistakes(field_ty) {
                    let object = fields
                        .iter()
                        .filter_map(|(other, other_ty)| {
                            if other == field {
                                Some((other.clone(), bad.clone()))
                            } else if other_ty.required() {
                                Some((other.clone(), self.valid(other_ty)))
                            } else {
                                None
                            }
                        })
                        .collect();
                    cases.push((format!("{what} in field {field}"), Both::object(object)));
                }
            }
        }
        cases
    }
}

/// One request to send: the document, its variables and what is wrong.
struct Case {
    label: String,
    argument: String,
    query: String,
    variables: Value,
}

fn cases_for_root(schema: &Schema, operation: &str, root: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let fields = schema.types[root]["fields"].as_array().expect("fields");
    for field in fields {
        let name = field["name"].as_str().unwrap();
        let returns = Ty::read(&field["type"]);
        let selection = match returns.named().0 {
            "OBJECT" | "INTERFACE" | "UNION" => " { __typename }",
            _ => "",
        };
        let args: Vec<(String, Ty)> = field["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["name"].as_str().unwrap().to_owned(), Ty::read(&a["type"])))
            .collect();
        for (arg, ty) in &args {
            for (what, bad) in schema.mistakes(ty) {
                let others: Vec<(String, Both)> = args
                    .iter()
                    .filter(|(other, other_ty)| other != arg && other_ty.required())
                    .map(|(other, other_ty)| (other.clone(), schema.valid(other_ty)))
                    .collect();
                let other_text: String = others
                    .iter()
                    .map(|(n, v)| format!(", {n}: {}", v.literal))
                    .collect();
                // As a literal.
                cases.push(Case {
                    label: format!("{name}({arg}): {what}, literal"),
                    argument: arg.clone(),
                    query: format!(
                        "{operation} {{ {name}({arg}: {}{other_text}){selection} }}",
                        bad.literal
                    ),
                    variables: json!({}),
                });
                // As a variable.
                cases.push(Case {
                    label: format!("{name}({arg}): {what}, variable"),
                    argument: arg.clone(),
                    query: format!(
                        "{operation}($v: {}) {{ {name}({arg}: $v{other_text}){selection} }}",
                        ty.sdl()
                    ),
                    variables: json!({ "v": bad.json }),
                });
            }
        }
    }
    cases
}

/// Everything stored that a request could change (sessions and sign-in
/// counts aside), as one comparable value.
async fn stored(app: &TestApp) -> String {
    use entity::*;
    use sea_orm::{EntityTrait, QueryOrder};
    let db = &app.db;
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        page::Entity::find()
            .order_by_asc(page::Column::Id)
            .all(db)
            .await
            .unwrap(),
        category::Entity::find()
            .order_by_asc(category::Column::Id)
            .all(db)
            .await
            .unwrap(),
        question::Entity::find()
            .order_by_asc(question::Column::Id)
            .all(db)
            .await
            .unwrap(),
        revision::Entity::find()
            .order_by_asc(revision::Column::Id)
            .all(db)
            .await
            .unwrap(),
        user::Entity::find()
            .order_by_asc(user::Column::Id)
            .all(db)
            .await
            .unwrap(),
        webhook::Entity::find()
            .order_by_asc(webhook::Column::Id)
            .all(db)
            .await
            .unwrap(),
        webhook_delivery::Entity::find()
            .order_by_asc(webhook_delivery::Column::Id)
            .all(db)
            .await
            .unwrap(),
        audit_event::Entity::find()
            .order_by_asc(audit_event::Column::Id)
            .all(db)
            .await
            .unwrap()
            .into_iter()
            // Signing the admin in is recorded; nothing after it may be.
            .filter(|e| !e.action.starts_with("sign_in"))
            .collect::<Vec<_>>(),
    )
}

async fn send(person: &Person, case: &Case) -> (u16, Value) {
    let response = person
        .client
        .post(format!("{}/graphql", person.address))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": case.query, "variables": case.variables }))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn every_argument_refuses_a_clients_mistake_as_bad_user_input() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let anonymous = app.anonymous();
    let introspected = anonymous.query(INTROSPECTION, json!({})).await["__schema"].clone();
    let schema = Schema {
        types: introspected["types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
            .collect(),
    };
    let mut cases = cases_for_root(
        &schema,
        "query",
        introspected["queryType"]["name"].as_str().unwrap(),
    );
    cases.extend(cases_for_root(
        &schema,
        "mutation",
        introspected["mutationType"]["name"].as_str().unwrap(),
    ));
    let arguments: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|c| c.label.split(':').next().unwrap())
        .collect();
    eprintln!(
        "{} arguments of {} fields, {} cases, each sent anonymously and as an admin: {} requests",
        arguments.len(),
        arguments
            .iter()
            .map(|a| a.split('(').next().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        cases.len(),
        cases.len() * 2
    );
    assert!(
        cases.len() > 300,
        "the schema yields a real number of cases"
    );

    let before = stored(&app).await;
    let mut wrong = Vec::new();
    for case in &cases {
        for (who, person) in [("anonymous", &anonymous), ("admin", &admin)] {
            let (status, body) = send(person, case).await;
            let error = &body["errors"][0];
            let code = error["extensions"]["code"].as_str().unwrap_or("none");
            // The engine names an input field as "input.field".
            let names_argument = error["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("\"{}", case.argument)));
            if status != 400
                || code != "BAD_USER_INPUT"
                || body.get("data").is_some()
                || !names_argument
            {
                wrong.push(format!("{} as {who}: {status} {body}", case.label));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} answers were not a 400 BAD_USER_INPUT request error naming the argument:\n{}",
        wrong.len(),
        cases.len() * 2,
        wrong.join("\n")
    );
    assert_eq!(
        stored(&app).await,
        before,
        "a refused request changed nothing"
    );
}

#[tokio::test]
async fn the_reported_mistakes_name_their_argument_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    // As the issue found them, sent by a plain JSON client (which gets 200).
    let (status, body) = admin
        .post_graphql(
            "query { auditEvents(since: \"' OR '1'='1\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.get("data").is_none(),
        "a request error has no data: {body}"
    );
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    assert_eq!(error["extensions"]["fields"][0]["field"], "since", "{body}");

    let (_, body) = admin
        .post_graphql(
            "query($n: Int) { auditEvents(first: $n) { totalCount } }",
            json!({ "n": OUT_OF_RANGE }),
        )
        .await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    assert_eq!(error["extensions"]["fields"][0]["field"], "first", "{body}");
    assert!(
        error["message"].as_str().unwrap().contains("-519118977709"),
        "{body}"
    );

    let question = admin
        .query(
            "{ page(slug: \"local-digital-qa\") { categories { questions { id version } } } }",
            json!({}),
        )
        .await["page"]["categories"][0]["questions"][0]
        .clone();
    let before = stored(&app).await;
    for (query, variables) in [
        (
            "mutation($id: ID!) { archiveQuestion(id: $id, version: 351638896514789) { id } }",
            json!({ "id": question["id"] }),
        ),
        (
            "mutation($id: ID!, $v: Int!) { scheduleQuestion(id: $id, version: $v, publishAt: \"tomorrow\") { id } }",
            json!({ "id": question["id"], "v": question["version"] }),
        ),
    ] {
        let (status, body) = admin.post_graphql(query, variables).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    }
    assert_eq!(
        stored(&app).await,
        before,
        "a refused mutation changed nothing"
    );
}
