//! Writing many rows of one table with few statements: `INSERT … VALUES
//! (…), (…), …`. Each run of a statement pays for starting and ending, and
//! builds a temporary b-tree for every `IN (…)` check of the table; a
//! statement of 64 rows pays once for all of them.

use rusqlite::{Connection, Statement, ToSql};

use crate::error::Result;

/// How many rows one statement writes, largest first: a run of rows is
/// written in as few statements of these sizes as it takes.
const ROWS_PER_STATEMENT: [usize; 4] = [64, 16, 4, 1];

/// `head` (`INSERT INTO table (a, b)`) for `rows` rows of `columns` values.
pub(crate) fn insert_sql(head: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!("{head} VALUES {}", vec![row; rows].join(", "))
}

/// One `INSERT` of one table, prepared once for each statement size.
pub(crate) struct RowsInserter<'c> {
    conn: &'c Connection,
    head: &'static str,
    columns: usize,
    /// By index in [`ROWS_PER_STATEMENT`], prepared when first needed.
    statements: [Option<Statement<'c>>; ROWS_PER_STATEMENT.len()],
}

impl<'c> RowsInserter<'c> {
    /// `head` names the table and its `columns` columns: `INSERT OR IGNORE INTO t (a, b)`.
    pub fn new(conn: &'c Connection, head: &'static str, columns: usize) -> RowsInserter<'c> {
        RowsInserter {
            conn,
            head,
            columns,
            statements: Default::default(),
        }
    }

    /// Writes the rows whose values `values` holds, one row after another.
    pub fn insert(&mut self, values: &[&dyn ToSql]) -> Result<()> {
        debug_assert_eq!(values.len() % self.columns, 0, "whole rows only");
        let mut rest = values;
        while !rest.is_empty() {
            let rows = rest.len() / self.columns;
            let size_at = ROWS_PER_STATEMENT
                .iter()
                .position(|&size| size <= rows)
                .unwrap_or(ROWS_PER_STATEMENT.len() - 1);
            let size = ROWS_PER_STATEMENT[size_at];
            let statement = match &mut self.statements[size_at] {
                Some(statement) => statement,
                empty => empty.insert(self.conn.prepare(&insert_sql(
                    self.head,
                    self.columns,
                    size,
                ))?),
            };
            let (these, after) = rest.split_at(size * self.columns);
            statement.execute(these)?;
            rest = after;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_written_whatever_their_number() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT CHECK (b IN ('x', 'y', 'z')))")
            .unwrap();
        let mut inserter = RowsInserter::new(&conn, "INSERT INTO t (a, b)", 2);
        for rows in [0_i64, 1, 3, 4, 63, 64, 65, 150] {
            conn.execute("DELETE FROM t", []).unwrap();
            let numbers: Vec<i64> = (0..rows).collect();
            let letters = ["x", "y", "z"];
            let mut values: Vec<&dyn ToSql> = Vec::new();
            for n in &numbers {
                values.push(n);
                values.push(&letters[(*n % 3) as usize]);
            }
            inserter.insert(&values).unwrap();
            let written: Vec<(i64, String)> = conn
                .prepare("SELECT a, b FROM t ORDER BY rowid")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let expected: Vec<(i64, String)> = numbers
                .iter()
                .map(|n| (*n, letters[(*n % 3) as usize].to_string()))
                .collect();
            assert_eq!(written, expected, "{rows} rows");
        }
    }

    #[test]
    fn a_refused_row_stops_the_insert_with_the_constraint_named() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (b TEXT CHECK (b IN ('x', 'y')))")
            .unwrap();
        let mut inserter = RowsInserter::new(&conn, "INSERT INTO t (b)", 1);
        let error = inserter.insert(&[&"x", &"y", &"nope"]).unwrap_err();
        assert!(error.to_string().contains("CHECK"), "{error}");
    }
}
