//! The one error type. Every GraphQL error leaves the server with one of the
//! seven codes in `extensions.code`; internal details stay in the log.

use async_graphql::ErrorExtensions;
use serde::Serialize;

/// A problem with one input field, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("You need to sign in to do that.")]
    Unauthenticated,
    /// Deliberately the same for an unknown email, a wrong password and a
    /// disabled account, so that nobody can learn which accounts exist.
    #[error("The email address or password is not right.")]
    WrongCredentials,
    /// A second factor sent with no sign-in waiting for it (never started,
    /// or past its few minutes).
    #[error("Your sign-in has timed out. Sign in with your email address and password again.")]
    SignInTimedOut,
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    BadUserInput {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Conflict {
        message: String,
        current_version: i32,
    },
    /// One of several items chosen together changed after they were
    /// listed (the item is named by kind and id), so none was changed.
    #[error("{message}")]
    Stale {
        message: String,
        kind: &'static str,
        id: i32,
        current_version: i32,
        changed_by: Option<String>,
    },
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    #[error("Something went wrong on our side. It has been logged; please try again.")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated | AppError::WrongCredentials | AppError::SignInTimedOut => {
                "UNAUTHENTICATED"
            }
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::BadUserInput { .. } => "BAD_USER_INPUT",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Conflict { .. } | AppError::Stale { .. } => "CONFLICT",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// One bad field: the message of the error is the field's message.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let error = FieldError::new(field, message);
        AppError::BadUserInput {
            message: error.message.clone(),
            fields: vec![error],
        }
    }

    /// Several bad fields at once, so a form can show them all.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            _ => format!("{} fields need attention.", fields.len()),
        };
        AppError::BadUserInput { message, fields }
    }

    /// Ok when no field was wrong; otherwise one error naming every bad
    /// field, so a form can show them all.
    pub fn check_fields(fields: Vec<FieldError>) -> AppResult<()> {
        if fields.is_empty() {
            Ok(())
        } else {
            Err(AppError::fields(fields))
        }
    }

    /// The edit started from an old version: someone else saved in between.
    pub fn conflict(what: &str, current_version: i32) -> Self {
        AppError::Conflict {
            message: format!(
                "Someone else changed this {what} after you opened it (it is now at version {current_version}). \
                 Review their changes, then try again."
            ),
            current_version,
        }
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(error: sea_orm::TransactionError<AppError>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        if let AppError::Internal(source) = self {
            // The span around this call carries the request id.
            tracing::error!(error = ?source, "internal error");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            match self {
                AppError::BadUserInput { fields, .. } => {
                    let list: Vec<async_graphql::Value> = fields
                        .iter()
                        .map(|f| {
                            let mut map = async_graphql::indexmap::IndexMap::new();
                            map.insert(
                                async_graphql::Name::new("field"),
                                async_graphql::Value::from(f.field.clone()),
                            );
                            map.insert(
                                async_graphql::Name::new("message"),
                                async_graphql::Value::from(f.message.clone()),
                            );
                            async_graphql::Value::Object(map)
                        })
                        .collect();
                    ext.set("fields", list);
                }
                AppError::Conflict {
                    current_version, ..
                } => ext.set("currentVersion", *current_version),
                AppError::Stale {
                    kind,
                    id,
                    current_version,
                    changed_by,
                    ..
                } => {
                    ext.set("itemKind", *kind);
                    ext.set("itemId", id.to_string());
                    ext.set("currentVersion", *current_version);
                    ext.set("changedBy", changed_by.clone());
                }
                AppError::RateLimited {
                    retry_after_secs, ..
                } => ext.set("retryAfterSeconds", *retry_after_secs),
                _ => {}
            }
        })
    }
}

pub type AppResult<T> = Result<T, AppError>;
