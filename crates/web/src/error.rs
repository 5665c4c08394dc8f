//! One error for every handler: what went wrong (its HTTP status and what
//! to tell the person), shown as a page in the layout
//! ([`crate::layout::respond`]) or as the API's JSON (`{"error": "..."}`,
//! through [`ApiError`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sightline_store::StoreError;

/// A request that could not be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: StatusCode,
    /// In plain words, for the person who asked.
    pub message: String,
}

impl Error {
    fn new(status: StatusCode, message: impl Into<String>) -> Error {
        Error { status, message: message.into() }
    }

    /// Something in the request is wrong: a date, a filter, a period.
    pub fn bad_request(message: impl Into<String>) -> Error {
        Error::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Error {
        Error::new(StatusCode::UNAUTHORIZED, message)
    }

    /// The viewer's role may not see or do this.
    pub fn forbidden(message: impl Into<String>) -> Error {
        Error::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(StatusCode::NOT_FOUND, message)
    }

    /// The request is well formed but the data cannot answer it.
    pub fn unprocessable(message: impl Into<String>) -> Error {
        Error::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// The server is as busy as it lets itself be: try again shortly.
    pub fn busy() -> Error {
        Error::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sightline is busy with other reports and forecasts. Please try again in a minute.",
        )
    }

    /// A download that holds a store connection while it goes out is under
    /// way already: try again shortly.
    pub fn download_busy() -> Error {
        Error::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Another download of rows left out is under way. Please try again in a minute.",
        )
    }

    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The audit log could not be written: nothing personal is shown then.
    pub fn audit(e: StoreError) -> Error {
        Error::internal(format!("the audit log could not be written, so nothing is shown: {e}"))
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::internal(format!("the store could not be read: {e}"))
    }
}

impl From<sightline_core::words::DateError> for Error {
    fn from(e: sightline_core::words::DateError) -> Error {
        Error::bad_request(e.to_string())
    }
}

/// Without a page to put it in (before a viewer is known): plain text.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        (self.status, format!("{}\n", self.message)).into_response()
    }
}

/// An [`Error`] as the JSON API answers it.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status, Json(serde_json::json!({ "error": self.0.message }))).into_response()
    }
}

/// What an API handler gives: JSON, or the error as JSON.
pub type ApiResult = Result<Response, ApiError>;
