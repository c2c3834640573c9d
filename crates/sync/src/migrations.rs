//! The server schema's migrations, applied in order by `Server::install_or_upgrade`.

/// One numbered file of `crates/sync/server/`.
pub(crate) struct Migration {
    pub version: i32,
    pub sql: &'static str,
}

/// Every migration, oldest first; versions are 1, 2, 3 … with no gaps.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../server/0001_team.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../server/0002_push_new_records_in_bulk.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../server/0003_faster_push.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../server/0004_pull_leaves_out_known_changes.sql"),
    },
];

/// The server schema version this build knows (and needs).
pub const SERVER_SCHEMA_VERSION: i32 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_to_the_known_version() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i32 + 1);
            assert!(
                !m.sql.contains("BEGIN;") && !m.sql.contains("COMMIT;"),
                "the runner owns the transaction"
            );
        }
        assert_eq!(
            MIGRATIONS.last().map(|m| m.version),
            Some(SERVER_SCHEMA_VERSION)
        );
    }
}
