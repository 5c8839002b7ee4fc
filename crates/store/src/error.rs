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
    #[error("data key file {path}: {problem}")]
    KeyFile { path: String, problem: KeyFileProblem },
    #[error("unsupported database URL {0:?}: expected sqlite://… or postgres://…")]
    UnsupportedUrl(String),
}

/// What is wrong with a data key file (`crate::data_key`).
#[derive(Debug, thiserror::Error)]
pub enum KeyFileProblem {
    #[error("no such file")]
    Missing,
    #[error("the file exists already and is not overwritten")]
    Exists,
    #[error("expected 64 hexadecimal digits")]
    Format,
    #[error("{0}")]
    Io(std::io::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
