//! The threads of a sources import: one reads the file and prepares each row
//! (checks, duplicate keys, original row, firm mentions, search tokens, uid, all
//! without the database), the import's own thread writes them in batches:
//! duplicates decided against what the workspace and the file so far hold,
//! rows added or filled, index entries written in bursts.

use std::sync::mpsc;

use rusqlite::OptionalExtension;

use super::autolink::FirmMatcher;
use super::dedupe::{Origin, Seen};
use super::source_rows::CleanSource;
use super::source_writes::{fill, NewSource, Writer};
use super::{
    push_listed, reject_row, Control, DuplicatePolicy, DuplicateRow, ImportOptions, ImportProblem,
    ImportReport, ImportedFile, MatchedRecord,
};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::search::{self, SearchKind};

/// Every this many new rows, the sources filled from duplicate rows (queued
/// by their update triggers) are indexed again, so the queue stays small.
const INDEX_EVERY: u64 = 20_000;

/// Rows sent from the reading thread at a time (fewer when they hold
/// [`BATCH_BYTES`]), and batches on their way at most: both threads stay busy,
/// and what waits between them is a few MB, however long the rows.
const ROWS_PER_BATCH: usize = 256;
const BATCH_BYTES: usize = 8 << 20;
const BATCHES_IN_FLIGHT: usize = 8;

/// Where the rows of a sources import come from: a CSV file read through its
/// mapping (`source_rows::CsvRows`) or a citation file (`CitationInput`).
pub(super) trait SourceRows: Send {
    /// The next row read into a source and its original row (JSON), or the
    /// problems that reject it; None at the end. An error stops the import.
    fn next_row(&mut self) -> Result<Option<ReadRow>>;

    /// The file being read.
    fn file(&self) -> &dyn ImportedFile;
}

/// One row (or record) of the file, read.
pub(super) struct ReadRow {
    /// The line it starts on.
    pub row: u64,
    pub outcome: std::result::Result<(CleanSource, String), Vec<ImportProblem>>,
    /// About how many bytes it holds, to keep the batches between the threads small.
    pub bytes: usize,
}

/// Rows read, checked and prepared, and how far into the file they reach.
struct RowBatch {
    rows: Vec<PreparedRow>,
    bytes_read: u64,
}

/// One row of the file, as the reading thread leaves it.
struct PreparedRow {
    row: u64,
    outcome: std::result::Result<ReadySource, Vec<ImportProblem>>,
}

/// A valid row with everything writing it needs worked out.
struct ReadySource {
    clean: CleanSource,
    original_row: String,
    firms: Vec<Id>,
    index_entry: search::PreparedEntry,
    uid: String,
}

/// Rows the writer is done with, sent back to the reading thread to be
/// freed there: it allocated them, and the writer is the busier thread.
type Spent = Vec<(Id, ReadySource)>;

/// The reading thread: sends the file's rows in batches until the end, a
/// structural error (sent last) or the writer hanging up.
fn prepare_rows(
    rows: &mut dyn SourceRows,
    matcher: &FirmMatcher,
    send: mpsc::SyncSender<Result<RowBatch>>,
    spent: mpsc::Receiver<Spent>,
) {
    let mut preparer = search::EntryPreparer::default();
    let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
    let mut batch_bytes = 0;
    loop {
        let (end, error) = match rows.next_row() {
            Ok(Some(row)) => {
                batch_bytes += row.bytes;
                batch.push(prepare_row(matcher, row, &mut preparer));
                (false, None)
            }
            Ok(None) => (true, None),
            Err(error) => (true, Some(error)),
        };
        if batch.len() == ROWS_PER_BATCH || batch_bytes >= BATCH_BYTES || (end && !batch.is_empty())
        {
            batch_bytes = 0;
            let sent = RowBatch {
                rows: std::mem::replace(&mut batch, Vec::with_capacity(ROWS_PER_BATCH)),
                bytes_read: rows.file().bytes_read(),
            };
            if send.send(Ok(sent)).is_err() {
                return;
            }
            while let Ok(rows) = spent.try_recv() {
                drop(rows);
            }
        }
        if end {
            if let Some(error) = error {
                let _gone = send.send(Err(error));
            }
            return;
        }
    }
}

/// Firm mentions and search tokens of a valid row, worked out off the writer's thread.
fn prepare_row(
    matcher: &FirmMatcher,
    read: ReadRow,
    preparer: &mut search::EntryPreparer,
) -> PreparedRow {
    let ReadRow { row, outcome, .. } = read;
    let outcome = outcome.map(|(clean, original_row)| {
        let draft = &clean.draft;
        let mut texts: Vec<&str> = vec![draft.title.as_str()];
        texts.extend(draft.r#abstract.as_deref());
        texts.extend(draft.tags.iter().map(String::as_str));
        let mut firms = Vec::new();
        matcher.find(&texts, &mut firms);
        let index_entry = preparer.source(draft);
        ReadySource {
            clean,
            original_row,
            firms,
            index_entry,
            uid: crate::sources::new_uid(),
        }
    });
    PreparedRow { row, outcome }
}

/// The writing side of an import: duplicates, rows, tags, mentions, index.
pub(super) struct WriteRows<'t, 'c> {
    tx: &'t rusqlite::Transaction<'c>,
    options: &'t ImportOptions,
    batch: Id,
    total_bytes: u64,
    seen: Seen,
    /// Problems and duplicates past the report's list limit.
    omitted: u64,
    /// Added sources whose index entries wait, written in bursts (see [`INDEX_BURST`]).
    unindexed: Vec<(Id, ReadySource)>,
    /// Search terms first seen in rows that were not added (duplicates).
    unindexed_terms: Vec<String>,
    /// New sources with their ids, written together (see [`WRITTEN_TOGETHER`]).
    unwritten: Vec<(Id, ReadySource)>,
    /// Where rows indexed go to be freed, while the reading thread runs.
    spent: Option<mpsc::Sender<Spent>>,
}

/// New sources written in one go: one statement adds many rows
/// (`SourceInserter::insert_with_ids`). A duplicate of a row still waiting,
/// which reads or fills that row, writes the waiting rows first.
const WRITTEN_TOGETHER: usize = 64;

/// Index entries written together. FTS5 writes what it holds in memory to
/// disk whenever a statement with a statement journal starts (a fill's
/// update, whose triggers need one): entries written between such statements
/// one by one would each become a tiny segment to merge.
const INDEX_BURST: usize = 4096;

impl<'t, 'c> WriteRows<'t, 'c> {
    pub(super) fn new(
        tx: &'t rusqlite::Transaction<'c>,
        options: &'t ImportOptions,
        batch: Id,
        total_bytes: u64,
    ) -> Result<WriteRows<'t, 'c>> {
        Ok(WriteRows {
            tx,
            options,
            batch,
            total_bytes,
            seen: Seen::load(tx)?,
            omitted: 0,
            unindexed: Vec::with_capacity(INDEX_BURST),
            unindexed_terms: Vec::new(),
            unwritten: Vec::with_capacity(WRITTEN_TOGETHER),
            spent: None,
        })
    }

    /// Reads, checks and prepares the rows of `rows` (parsing, dates,
    /// duplicate keys, firm mentions, search tokens) on a second thread, and
    /// writes them on this one. Returns how many problems and duplicates were
    /// left out of the report's lists.
    pub(super) fn run(
        mut self,
        rows: &mut dyn SourceRows,
        path: &std::path::Path,
        matcher: &FirmMatcher,
        control: &mut Control<'_>,
        report: &mut ImportReport,
    ) -> Result<u64> {
        std::thread::scope(|scope| -> Result<()> {
            let (send, receive) = mpsc::sync_channel(BATCHES_IN_FLIGHT);
            let (send_spent, spent) = mpsc::channel();
            self.spent = Some(send_spent);
            let reader = std::thread::Builder::new()
                .name("import-reader".into())
                .spawn_scoped(scope, || prepare_rows(rows, matcher, send, spent))
                .map_err(|source| Error::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
            // Returning drops `receive`, which stops the reader at its next batch.
            let written = self.all(receive, control, report);
            self.spent = None;
            if let Err(panic) = reader.join() {
                std::panic::resume_unwind(panic);
            }
            written
        })?;
        Ok(self.omitted)
    }

    fn all(
        &mut self,
        receive: mpsc::Receiver<Result<RowBatch>>,
        control: &mut Control<'_>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let tx = self.tx;
        let mut writer = Writer::new(tx, self.batch)?;
        let mut title_of = tx.prepare("SELECT title FROM sources WHERE id = ?1")?;
        for message in receive {
            let RowBatch { rows, bytes_read } = message?;
            for PreparedRow { row, outcome } in rows {
                report.read += 1;
                control.tick(report.read, bytes_read, self.total_bytes)?;
                let ready = match outcome {
                    Ok(ready) => ready,
                    Err(problems) => {
                        reject_row(self.options.strict, report, &mut self.omitted, problems)?;
                        continue;
                    }
                };
                if let Some((key, value, origin)) = self.seen.find(&ready.clean.keys) {
                    report.duplicates += 1;
                    if self
                        .unwritten
                        .first()
                        .is_some_and(|(first, _)| origin.source_id >= *first)
                    {
                        self.write_waiting(&mut writer, report)?;
                    }
                    let existing = match origin.source_id {
                        0 => None,
                        id => title_of
                            .query_row([id], |r| r.get::<_, String>(0))
                            .optional()?
                            .map(|title| MatchedRecord { id, title }),
                    };
                    push_listed(
                        &mut report.duplicate_rows,
                        &mut self.omitted,
                        DuplicateRow {
                            row,
                            key,
                            value,
                            existing,
                            earlier_row: (origin.row > 0).then_some(origin.row),
                            action: self.options.on_duplicate,
                        },
                    );
                    match self.options.on_duplicate {
                        DuplicatePolicy::Skip => {
                            self.unindexed_terms
                                .extend(ready.index_entry.into_new_terms());
                            continue;
                        }
                        DuplicatePolicy::Fill => {
                            self.unindexed_terms
                                .extend(ready.index_entry.into_new_terms());
                            // A row of this batch (origin.row > 0) is undone with the batch.
                            let tracked = origin.row == 0;
                            if origin.source_id != 0
                                && fill(
                                    tx,
                                    origin.source_id,
                                    &ready.clean.draft,
                                    self.batch,
                                    tracked,
                                )?
                                && tracked
                            {
                                report.updated += 1;
                            }
                            continue;
                        }
                        DuplicatePolicy::Keep => {}
                    }
                }
                let id = writer.take_id();
                self.seen
                    .insert(&ready.clean.keys, Origin { source_id: id, row });
                report.added += 1;
                self.unwritten.push((id, ready));
                if self.unwritten.len() == WRITTEN_TOGETHER {
                    self.write_waiting(&mut writer, report)?;
                }
                if report.added.is_multiple_of(INDEX_EVERY) {
                    self.write_waiting(&mut writer, report)?;
                    self.catch_up_index()?;
                }
            }
        }
        self.write_waiting(&mut writer, report)?;
        self.catch_up_index()
    }

    /// Writes the new sources waiting, with their tags and firm links, and
    /// queues their index entries.
    fn write_waiting(&mut self, writer: &mut Writer<'_>, report: &mut ImportReport) -> Result<()> {
        let sources: Vec<NewSource<'_>> = self
            .unwritten
            .iter()
            .map(|(id, ready)| NewSource {
                id: *id,
                draft: &ready.clean.draft,
                original_row: &ready.original_row,
                uid: &ready.uid,
                firms: &ready.firms,
            })
            .collect();
        report.linked += writer.insert(&sources)?;
        self.unindexed.append(&mut self.unwritten);
        if self.unindexed.len() >= INDEX_BURST {
            self.write_index_burst()?;
        }
        Ok(())
    }

    /// Writes the waiting index entries, and indexes the rows filled since the
    /// last time (their update triggers queued them).
    fn catch_up_index(&mut self) -> Result<()> {
        self.write_index_burst()?;
        search::refresh(self.tx)?;
        Ok(())
    }

    fn write_index_burst(&mut self) -> Result<()> {
        let mut index = search::EntryWriter::new(self.tx)?;
        for (id, ready) in &self.unindexed {
            index.add(SearchKind::Source, *id, &ready.index_entry)?;
        }
        let indexed = std::mem::replace(&mut self.unindexed, Vec::with_capacity(INDEX_BURST));
        if let Some(spent) = &self.spent {
            // Once the reading thread has ended they are freed here.
            let _ended = spent.send(indexed);
        }
        index.add_terms(&self.unindexed_terms)?;
        self.unindexed_terms.clear();
        Ok(())
    }
}
