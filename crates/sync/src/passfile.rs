//! PostgreSQL's password file (`~/.pgpass`, or `PGPASSFILE`), read as libpq
//! reads it, so a password never has to be kept in a workspace or typed into
//! a connection string: lines `host:port:database:user:password`, `*`
//! matching anything, `\` escaping `:` and `\`; the first match wins; a file
//! others may read is ignored.

use std::path::PathBuf;

use postgres::config::Host;
use postgres::Config;

/// The password the file holds for `config`'s host, port, database and user.
pub(crate) fn lookup(config: &Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    if !private(&path) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
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
    let wanted = [host.as_str(), port.as_str(), database, user];
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
    use super::fields;

    #[test]
    fn colons_and_backslashes_are_escaped() {
        assert_eq!(
            fields(r"db.example.org:5432:*:alice:pa\:ss\\word"),
            ["db.example.org", "5432", "*", "alice", r"pa:ss\word"]
        );
    }
}
