//! Helpers shared by the unit tests of several modules.

use rusqlite::Connection;

/// The table and columns an `INSERT INTO table (a, b, ...)` statement names,
/// the columns sorted.
pub(crate) fn insert_columns(sql: &str) -> (String, Vec<String>) {
    let rest = sql
        .trim_start()
        .strip_prefix("INSERT INTO ")
        .expect("an INSERT INTO statement");
    let (table, rest) = rest.split_once('(').expect("a column list");
    let (columns, _) = rest.split_once(')').expect("a closed column list");
    let mut columns: Vec<String> = columns.split(',').map(|c| c.trim().to_owned()).collect();
    columns.sort();
    (table.trim().to_owned(), columns)
}

/// `table` and its columns (generated ones are not listed) but `left_to_default`,
/// sorted.
pub(crate) fn table_columns_but(
    conn: &Connection,
    table: &str,
    left_to_default: &[&str],
) -> (String, Vec<String>) {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .unwrap();
    let mut columns: Vec<String> = stmt
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    assert!(!columns.is_empty(), "no table {table}");
    for column in left_to_default {
        assert!(
            columns.iter().any(|c| c == column),
            "{table} has no column {column} to leave to its default"
        );
    }
    columns.retain(|c| !left_to_default.contains(&c.as_str()));
    columns.sort();
    (table.to_owned(), columns)
}
