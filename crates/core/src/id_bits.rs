//! `id_bits(id)`: an SQL aggregate that gathers the ids a query yields into a
//! bitmap (bit `id % 8` of byte `id / 8`). A Sources filter's conditions each
//! match up to a third of a million sources: gathered in SQLite's own loop and
//! intersected a byte at a time, they cost about half of handing each id to
//! Rust as a row and sorting it (`cargo bench --bench search`, 1M sources:
//! "huawei" + report + grade B + 2022–2024 74 ms against 170; kind article
//! 24 ms against 53).

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::{Connection, Params};

use crate::model::Id;

/// Ids above this are not gathered: the bitmap would pass 8 MB. A workspace
/// whose ids go that high (another program wrote them) is read row by row.
const MOST_ID: i64 = 1 << 26;

/// Makes `id_bits` known to `conn`.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_aggregate_function(
        "id_bits",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        IdBits,
    )
}

/// The ids `sql` (a query of one integer column) yields, as a bitmap; None
/// when one of them is negative or above `MOST_ID`.
pub(crate) fn gather(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> rusqlite::Result<Option<Bits>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT id_bits(id) FROM ({sql})"))?;
    let bytes: Option<Vec<u8>> = stmt.query_row(params, |row| row.get(0))?;
    Ok(bytes.map(Bits))
}

/// A set of ids as a bitmap (its length may run past the last id: compare
/// sets by `ids`, not by bytes).
#[derive(Debug, Clone)]
pub(crate) struct Bits(Vec<u8>);

impl Bits {
    /// Keeps the ids `other` has too.
    pub(crate) fn keep_common(&mut self, other: &Bits) {
        self.0.truncate(other.0.len());
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine &= theirs;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|&byte| byte == 0)
    }

    /// The ids, ascending.
    pub(crate) fn ids(&self) -> Vec<Id> {
        let mut ids = Vec::new();
        for (index, &byte) in self.0.iter().enumerate() {
            let mut rest = byte;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                ids.push(index as Id * 8 + Id::from(bit));
                rest &= rest - 1;
            }
        }
        ids
    }
}

/// The aggregate; its state is None once an id was out of range.
struct IdBits;

impl Aggregate<Option<Vec<u8>>, Option<Vec<u8>>> for IdBits {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Option<Vec<u8>>> {
        Ok(Some(Vec::new()))
    }

    fn step(&self, ctx: &mut Context<'_>, bits: &mut Option<Vec<u8>>) -> rusqlite::Result<()> {
        let id: i64 = ctx.get(0)?;
        match bits {
            Some(bytes) if (0..=MOST_ID).contains(&id) => {
                let byte = (id / 8) as usize;
                if bytes.len() <= byte {
                    // Doubling: ids mostly come ascending, a byte at a time.
                    bytes.resize((byte + 1).max(bytes.len() * 2), 0);
                }
                bytes[byte] |= 1 << (id % 8);
            }
            _ => *bits = None,
        }
        Ok(())
    }

    /// No rows at all: an empty set (SQLite calls this with no state then).
    fn finalize(
        &self,
        _: &mut Context<'_>,
        bits: Option<Option<Vec<u8>>>,
    ) -> rusqlite::Result<Option<Vec<u8>>> {
        Ok(bits.unwrap_or(Some(Vec::new())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn_with(ids: &[i64]) -> Connection {
        let conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        register(&conn).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("CREATE TABLE t (id INTEGER)")
            .unwrap_or_else(|e| panic!("{e}"));
        for id in ids {
            conn.execute("INSERT INTO t VALUES (?)", [id])
                .unwrap_or_else(|e| panic!("{e}"));
        }
        conn
    }

    fn gathered(conn: &Connection, sql: &str) -> Option<Vec<Id>> {
        gather(conn, sql, [])
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|bits| bits.ids())
    }

    #[test]
    fn ids_come_back_ascending_once_each_and_sets_intersect() {
        let conn = conn_with(&[17, 3, 0, 8, 3, 64, 65_000]);
        assert_eq!(
            gathered(&conn, "SELECT id FROM t"),
            Some(vec![0, 3, 8, 17, 64, 65_000])
        );
        assert_eq!(
            gathered(&conn, "SELECT id FROM t WHERE id > 100000"),
            Some(vec![])
        );
        let mut some = gather(&conn, "SELECT id FROM t WHERE id < 20", [])
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("in range"));
        let others = gather(&conn, "SELECT id FROM t WHERE id % 2 = 1 OR id = 65000", [])
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("in range"));
        some.keep_common(&others);
        assert_eq!(some.ids(), vec![3, 17]);
        assert!(!some.is_empty());
        some.keep_common(&Bits(Vec::new()));
        assert!(some.is_empty());
    }

    #[test]
    fn an_id_out_of_range_gives_none_not_a_huge_bitmap() {
        assert_eq!(
            gathered(&conn_with(&[5, 1 << 40]), "SELECT id FROM t"),
            None
        );
        assert_eq!(gathered(&conn_with(&[-1, 5]), "SELECT id FROM t"), None);
    }
}
