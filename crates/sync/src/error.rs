//! Errors a person can act on: each says what happened and what to do.

use postgres::error::SqlState;

pub type Result<T> = std::result::Result<T, SyncError>;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the team server address is not valid: {0}")]
    BadAddress(String),

    #[error("cannot reach the team server at {at}: {reason}. Check the address and that the server is running, then sync again.")]
    Unreachable { at: String, reason: String },

    #[error("the team server at {at} refused the login {user}: {reason}. Check the user name and password.")]
    LoginRefused {
        at: String,
        user: String,
        reason: String,
    },

    #[error("the team server at {at} did not show a certificate this computer trusts ({reason}): check the host name in the address, or name the certificate authority with sslrootcert=PATH")]
    CertificateRefused { at: String, reason: String },
    /// The server asks for a password and none was found: not in the address,
    /// typed in the app, in PGPASSWORD or in the password file.
    #[error("the team server at {at} refused the login {user} without a password: put it in ~/.pgpass (or PGPASSFILE) or PGPASSWORD, or type it in the app")]
    NoPassword { at: String, user: String },

    #[error("the connection to the team server was lost ({reason}); nothing was changed here, sync again")]
    ConnectionLost { reason: String },

    #[error("login {user} is not a Chipwatch user on this server: the database administrator runs GRANT chipwatch_user TO {user}")]
    NotAChipwatchUser { user: String },

    #[error(
        "{message}: your role may only read this workspace, so your changes stay here. {hint}"
    )]
    ReadOnly { message: String, hint: String },

    #[error("{message}. {hint}")]
    NotMember { message: String, hint: String },

    #[error("{message}")]
    NotAdmin { message: String },

    #[error("the team server's schema is version {server}, newer than this Chipwatch knows ({known}): update Chipwatch")]
    SchemaNewer { server: i32, known: i32 },

    #[error("the team server's schema is version {server}, older than this Chipwatch needs ({known}): an administrator runs `chipwatch team upgrade`")]
    SchemaOlder { server: i32, known: i32 },

    #[error("this database has no Chipwatch team schema yet: an administrator runs `chipwatch team upgrade` to install it")]
    NotInstalled,

    #[error(
        "installing or upgrading the team server needs a PostgreSQL superuser; {user} is not one"
    )]
    NeedsSuperuser { user: String },

    #[error("this database has a schema named chipwatch that Chipwatch did not make (it has no server_meta table); nothing was changed")]
    ForeignSchema,

    #[error("a push sends at most {max} changes; this one has {count}")]
    BatchTooLarge { count: usize, max: usize },

    #[error("a pull asks for 1 to {max} changes, not {asked}")]
    PullSize { asked: i32, max: i32 },

    #[error(
        "the team server is busy with other changes to the same records ({reason}); sync again"
    )]
    Busy { reason: String },

    #[error("the team server refused: {message}{hint}")]
    Refused {
        /// The SQLSTATE, e.g. 22023.
        code: String,
        message: String,
        hint: String,
    },

    #[error("the team server answered something this Chipwatch does not understand: {0}")]
    Protocol(String),

    /// The local replica refused (its own message says what to do).
    #[error("{0}")]
    Local(#[from] chipwatch_core::error::Error),
}

/// For the front doors (CLI, app), which report core errors: the local
/// replica's own error as it was, the server's as its message.
impl From<SyncError> for chipwatch_core::error::Error {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Local(local) => local,
            other => chipwatch_core::error::Error::TeamServer {
                message: other.to_string(),
            },
        }
    }
}

impl SyncError {
    /// Maps an error of a call made on an open connection.
    pub(crate) fn from_call(e: postgres::Error) -> SyncError {
        let Some(db) = e.as_db_error() else {
            if e.is_closed() || io_error(&e) {
                return SyncError::ConnectionLost {
                    reason: e.to_string(),
                };
            }
            // Conversion errors (a value the client could not read) have no SQLSTATE.
            return SyncError::Protocol(e.to_string());
        };
        let message = db.message().to_string();
        let hint = db.hint().unwrap_or_default().to_string();
        let code = db.code();
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            match db.constraint() {
                Some("chipwatch_read_only") => return SyncError::ReadOnly { message, hint },
                Some("chipwatch_not_member") => return SyncError::NotMember { message, hint },
                Some("chipwatch_not_admin") => return SyncError::NotAdmin { message },
                _ => {}
            }
        }
        if *code == SqlState::T_R_DEADLOCK_DETECTED || *code == SqlState::T_R_SERIALIZATION_FAILURE
        {
            return SyncError::Busy { reason: message };
        }
        if code.code().starts_with("57") || code.code().starts_with("08") {
            // operator intervention (shutdown, cancel) or connection exception
            return SyncError::ConnectionLost { reason: message };
        }
        SyncError::Refused {
            code: code.code().to_string(),
            message,
            hint: if hint.is_empty() {
                String::new()
            } else {
                format!(" ({hint})")
            },
        }
    }

    /// Maps an error of connecting to `at` as `user`.
    pub(crate) fn from_connect(e: postgres::Error, at: &str, user: &str) -> SyncError {
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                return SyncError::LoginRefused {
                    at: at.to_string(),
                    user: user.to_string(),
                    reason: db.message().to_string(),
                };
            }
            if *code == SqlState::INVALID_CATALOG_NAME {
                return SyncError::Unreachable {
                    at: at.to_string(),
                    reason: db.message().to_string(),
                };
            }
            return SyncError::from_call(e);
        }
        if let Some(reason) = tls_reason(&e) {
            return SyncError::CertificateRefused {
                at: at.to_string(),
                reason,
            };
        }
        // The client gives up before sending anything when the server asks for
        // a password it does not have: that is no unreachable server.
        if std::error::Error::source(&e)
            .is_some_and(|cause| cause.to_string() == "password missing")
        {
            return SyncError::NoPassword {
                at: at.to_string(),
                user: user.to_string(),
            };
        }
        SyncError::Unreachable {
            at: at.to_string(),
            reason: chain(&e),
        }
    }

    /// Whether sending the same push again may succeed (it is applied once either way).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            SyncError::Busy { .. } | SyncError::ConnectionLost { .. }
        )
    }
}

/// The error and its causes in one line.
fn chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// Why rustls refused the server's certificate, when it did.
fn tls_reason(e: &postgres::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if let Some(tls) = io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                return Some(tls.to_string());
            }
        }
        source = s.source();
    }
    None
}

fn io_error(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}
