//! The store's error type: what went wrong, in terms a caller can act on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("database connection error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("not found")]
    NotFound,
    #[error("forbidden: the acting user's scope does not include this object")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error(
        "the data key does not open the personal data stored in this database: give the key it was encrypted \
         with (NOK_DATA_KEY_FILE, or none for the server secret); `nok data-key rekey` moves the data to another key"
    )]
    WrongDataKey,
    #[error("unsupported database URL {0:?}: expected sqlite://… or postgres://…")]
    UnsupportedUrl(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
