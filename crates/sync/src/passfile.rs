//! PostgreSQL's password file (`~/.pgpass`, or `PGPASSFILE`), read as libpq
//! reads it, so a password never has to be kept in a workspace or typed into
//! a connection string: lines `host:port:database:user:password`, `*`
//! matching anything, `\` escaping `:` and `\`; the first match wins; a file
//! others may read is ignored. [`remember`] writes a password there when the
//! person asks the app to keep it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use postgres::config::Host;
use postgres::Config;

use crate::error::{Result, SyncError};

/// `PGPASSFILE`, else `~/.pgpass`.
fn path() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))
}

/// The password the file holds for `config`'s host, port, database and user.
pub(crate) fn lookup(config: &Config) -> Option<String> {
    let path = path()?;
    if !private(&path) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let wanted = key_of(config);
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(fields)
        .find(|f| {
            f.len() == 5
                && wanted
                    .iter()
                    .zip(f)
                    .all(|(w, field)| field == "*" || field == w)
        })
        .map(|mut f| f.remove(4))
}

/// Keeps `password` for the server and login `url` names in the password
/// file (created readable by its owner only; put first, a line for exactly
/// this host, port, database and login replaced, every other line kept). The file is
/// written beside itself and renamed into place, so a failure leaves the old
/// one whole. Returns the file's path.
pub fn remember(url: &str, password: &str) -> Result<PathBuf> {
    let config = Config::from_str(url).map_err(|e| local(format!("not a server address: {e}")))?;
    let path = path().ok_or_else(|| local("neither PGPASSFILE nor HOME is set".into()))?;
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(local(format!("cannot read {}: {e}", path.display()))),
    };
    let key = key_of(&config);
    let escaped: Vec<String> = key.iter().map(|f| escape(f)).collect();
    // First, as the first matching line wins: a wildcard line below cannot hide it.
    let mut text = format!("{}:{}\n", escaped.join(":"), escape(password));
    for line in old.lines() {
        if line.starts_with('#') || fields(line).get(..4) != Some(&key[..]) {
            text.push_str(line);
            text.push('\n');
        }
    }
    write_private(&path, &text).map_err(|e| {
        local(format!(
            "cannot write the password file {}: {e}",
            path.display()
        ))
    })?;
    Ok(path)
}

fn local(message: String) -> SyncError {
    SyncError::Local(chipwatch_core::error::Error::invalid(
        "password file",
        message,
    ))
}

fn escape(field: &str) -> String {
    field.replace('\\', "\\\\").replace(':', "\\:")
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut name = path.as_os_str().to_owned();
    name.push(".chipwatch-new");
    let temporary = PathBuf::from(name);
    // A leftover from a failed write keeps its mode when opened: start afresh.
    let _ = std::fs::remove_file(&temporary);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Host, port, database and user as the file names them.
fn key_of(config: &Config) -> [String; 4] {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) | None => "localhost".to_string(),
        #[cfg(not(unix))]
        None => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let database = config.get_dbname().unwrap_or(user);
    [host, port, database.to_string(), user.to_string()]
}

/// A line split on unescaped colons, escapes removed.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' if out.len() < 4 => out.push(std::mem::take(&mut field)),
            other => field.push(other),
        }
    }
    out.push(field);
    out
}

#[cfg(unix)]
fn private(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(path: &std::path::Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::{escape, fields};

    #[test]
    fn an_escaped_password_reads_back_as_typed() {
        for password in [r"pa:ss\word", "密码:with\\back", "plain", "ends with \\"] {
            let line = format!("h:5432:db:u:{}", escape(password));
            assert_eq!(fields(&line)[4], password, "{line}");
        }
    }

    #[test]
    fn colons_and_backslashes_are_escaped() {
        assert_eq!(
            fields(r"db.example.org:5432:*:alice:pa\:ss\\word"),
            ["db.example.org", "5432", "*", "alice", r"pa:ss\word"]
        );
    }
}
