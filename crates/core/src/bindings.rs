//! TypeScript declarations for every type that crosses IPC, generated with ts-rs
//! into `ui/src/lib/bindings.ts`. `make bindings` rewrites the file; a test fails
//! when the committed file differs from what the Rust types generate.

use ts_rs::{Config, TS};

use crate::error::{AppError, ErrorKind};
use crate::links::{EntityRef, LinkKind, LinkTarget};
use crate::model::*;
use crate::notes::{NoteList, NoteListQuery, NoteSummary, RenderedNote, TagCount};

pub const BINDINGS_HEADER: &str =
    "// This file is generated from crates/core by `make bindings`. Do not edit.\n";

/// The whole contents of `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    // Row ids and counts are i64 in Rust but stay far below 2^53: plain numbers in TS.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        FirmKind::decl(&cfg),
        Stance::decl(&cfg),
        ChipPurpose::decl(&cfg),
        EventKind::decl(&cfg),
        SourceKind::decl(&cfg),
        FirmRef::decl(&cfg),
        FirmSummary::decl(&cfg),
        FirmSort::decl(&cfg),
        FirmOrder::decl(&cfg),
        Listing::decl(&cfg),
        ListingDetails::decl(&cfg),
        Firm::decl(&cfg),
        ChipMetrics::decl(&cfg),
        Chip::decl(&cfg),
        Assessment::decl(&cfg),
        Event::decl(&cfg),
        Source::decl(&cfg),
        SourceSort::decl(&cfg),
        SourcePageQuery::decl(&cfg),
        SourceFilter::decl(&cfg),
        SourceSelection::decl(&cfg),
        BulkOutcome::decl(&cfg),
        BulkTrashImpact::decl(&cfg),
        SourceCursor::decl(&cfg),
        SourcePage::decl(&cfg),
        Note::decl(&cfg),
        NoteRef::decl(&cfg),
        NoteDraft::decl(&cfg),
        RenderedNote::decl(&cfg),
        NoteListQuery::decl(&cfg),
        NoteList::decl(&cfg),
        NoteSummary::decl(&cfg),
        crate::notes::NoteMention::decl(&cfg),
        crate::markdown::MentionSnippet::decl(&cfg),
        TagCount::decl(&cfg),
        crate::recent::RecentWorkspace::decl(&cfg),
        LinkKind::decl(&cfg),
        EntityRef::decl(&cfg),
        LinkTarget::decl(&cfg),
        Strategy::decl(&cfg),
        FirmProfile::decl(&cfg),
        Stats::decl(&cfg),
        WorkspaceInfo::decl(&cfg),
        Editing::<FirmDraft>::decl(&cfg),
        FirmDraft::decl(&cfg),
        ListingDraft::decl(&cfg),
        FirmConflict::decl(&cfg),
        StrategyDraft::decl(&cfg),
        AssessmentDraft::decl(&cfg),
        EvidenceDraft::decl(&cfg),
        ChipDraft::decl(&cfg),
        SourceDraft::decl(&cfg),
        EventDraft::decl(&cfg),
        TrashKind::decl(&cfg),
        ImpactWhat::decl(&cfg),
        ImpactItem::decl(&cfg),
        DeleteImpact::decl(&cfg),
        TrashEntry::decl(&cfg),
        TrashPage::decl(&cfg),
        TrashKindCount::decl(&cfg),
        RestoredRef::decl(&cfg),
        crate::timeline::TimelineOrigin::decl(&cfg),
        crate::timeline::TimelineEntry::decl(&cfg),
        crate::timeline::TimelineQuery::decl(&cfg),
        crate::timeline::TimelinePage::decl(&cfg),
        crate::timeline::TimelineYear::decl(&cfg),
        crate::search::SearchKind::decl(&cfg),
        crate::search::SearchQuery::decl(&cfg),
        crate::search::SnippetPart::decl(&cfg),
        crate::search::SearchHit::decl(&cfg),
        crate::compare::DimensionGroup::decl(&cfg),
        crate::compare::Dimension::decl(&cfg),
        crate::compare::CellState::decl(&cfg),
        crate::compare::ValuePart::decl(&cfg),
        crate::compare::ComparisonCell::decl(&cfg),
        crate::compare::ComparisonFilters::decl(&cfg),
        crate::compare::ComparisonSelection::decl(&cfg),
        crate::compare::ComparisonMatrix::decl(&cfg),
        crate::compare::CellSource::decl(&cfg),
        crate::compare::saved::SavedComparison::decl(&cfg),
        crate::source_reading::Citing::<crate::source_reading::CitingChip>::decl(&cfg),
        crate::source_reading::CitingChip::decl(&cfg),
        crate::source_reading::CitingAssessment::decl(&cfg),
        crate::source_reading::CitingListing::decl(&cfg),
        crate::source_reading::CitingEvent::decl(&cfg),
        crate::source_reading::CitingNote::decl(&cfg),
        crate::source_reading::CitingCell::decl(&cfg),
        crate::source_reading::SourceReading::decl(&cfg),
        crate::compare::saved::ComparisonDraft::decl(&cfg),
        crate::compare::export::ExportFormat::decl(&cfg),
        crate::compare::export::ExportRequest::decl(&cfg),
        crate::compare::export::ChangeKind::decl(&cfg),
        crate::compare::export::CellChange::decl(&cfg),
        crate::compare::export::ChangesReport::decl(&cfg),
        crate::compare::export::ExportSummary::decl(&cfg),
        crate::citations::CitationFormat::decl(&cfg),
        crate::citations::CitationScope::decl(&cfg),
        crate::citations::CitationExportRequest::decl(&cfg),
        crate::citations::CitationExportSummary::decl(&cfg),
        crate::import::ImportTarget::decl(&cfg),
        crate::import::FileFormat::decl(&cfg),
        crate::files::PathPurpose::decl(&cfg),
        crate::import::Delimiter::decl(&cfg),
        crate::import::DuplicatePolicy::decl(&cfg),
        crate::import::RowTest::decl(&cfg),
        crate::import::RowCondition::decl(&cfg),
        crate::import::ImportOptions::decl(&cfg),
        crate::import::ImportProblem::decl(&cfg),
        crate::import::DuplicateKey::decl(&cfg),
        crate::import::MatchedRecord::decl(&cfg),
        crate::import::DuplicateRow::decl(&cfg),
        crate::import::ImportReport::decl(&cfg),
        crate::import::ImportProgress::decl(&cfg),
        crate::import::ImportPhase::decl(&cfg),
        crate::import::ImportPreview::decl(&cfg),
        crate::import::PreviewRow::decl(&cfg),
        crate::import::ImportBatch::decl(&cfg),
        crate::import::UndoReport::decl(&cfg),
        crate::import::screening_list::ListingsReport::decl(&cfg),
        crate::import::screening_list::ListCount::decl(&cfg),
        crate::import::screening_list::MatchedBy::decl(&cfg),
        crate::import::screening_list::PartyMatch::decl(&cfg),
        crate::import::screening_list::ListingChangeKind::decl(&cfg),
        crate::import::screening_list::ListingChange::decl(&cfg),
        crate::import::ImportField::decl(&cfg),
        crate::import::ColumnMapping::decl(&cfg),
        crate::import::Mapping::decl(&cfg),
        crate::import::presets::ImportPreset::decl(&cfg),
        crate::import::FirmMentions::decl(&cfg),
        crate::mentions::MentionSort::decl(&cfg),
        crate::mentions::MentionPageQuery::decl(&cfg),
        crate::mentions::MentionRow::decl(&cfg),
        crate::mentions::MentionPage::decl(&cfg),
        crate::mentions::MentionSelection::decl(&cfg),
        crate::backups::BackupReason::decl(&cfg),
        crate::backups::BackupInfo::decl(&cfg),
        crate::backups::RestoreReport::decl(&cfg),
        crate::damage_check::DamageCheckState::decl(&cfg),
        crate::records::RecordKind::decl(&cfg),
        crate::records::history::HistoryEntry::decl(&cfg),
        crate::records::history::FieldChange::decl(&cfg),
        crate::replica::TeamLink::decl(&cfg),
        crate::replica::TeamStatus::decl(&cfg),
        crate::replica::SyncReport::decl(&cfg),
        crate::replica::conflicts::Conflict::decl(&cfg),
        crate::replica::conflicts::KeepSide::decl(&cfg),
        ErrorKind::decl(&cfg),
        AppError::decl(&cfg),
    ];
    let mut out = String::from(BINDINGS_HEADER);
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out.push_str(&thresholds_3a090());
    out.push_str(&rule_conditions_3a090());
    out.push_str(&date_rule_examples());
    out.push_str(&date_display_examples());
    out.push_str(&date_fields());
    out.push_str(&file_format_labels());
    out.push_str(&union_values(
        "ERROR_KINDS",
        "ErrorKind",
        "Every kind of error the core reports (see AppError).",
        &ErrorKind::inline(&cfg),
    ));
    out.push_str(&union_values(
        "STANCES",
        "Stance",
        "Every stance a firm can take on a strategy, weakest first.",
        &Stance::inline(&cfg),
    ));
    out
}

/// The condition of each 3A090 paragraph (metrics.rs), for the chip form and badges.
fn rule_conditions_3a090() -> String {
    let fields: Vec<String> = crate::metrics::rule_conditions()
        .iter()
        .map(|(rule, condition)| format!("{rule:?}: {condition:?}"))
        .collect();
    format!(
        "/** The condition of each ECCN 3A090 paragraph (October 2023 rule). */\nexport const RULES_3A090 = {{ {} }} as const;\n",
        fields.join(", ")
    )
}

/// What the core's date rule makes of each sample text, so the UI's date
/// reader can be tested against it (format.test.ts).
fn date_rule_examples() -> String {
    let rows: Vec<String> = crate::date::RULE_SAMPLES
        .iter()
        .map(|text| match crate::date::precision_of(text) {
            Some(precision) => format!("[{text:?}, {precision:?}]"),
            None => format!("[{text:?}, null]"),
        })
        .collect();
    format!(
        "/** Sample texts and what the core's partial-date rule makes of them (year, month, day or not a date). */\nexport const DATE_RULE_EXAMPLES: readonly (readonly [string, \"year\" | \"month\" | \"day\" | null])[] = [{}];\n",
        rows.join(", ")
    )
}

/// Stored dates and how the app shows them (`PartialDate::shown`), so the UI's
/// date formatter can be tested against the core (format.test.ts).
fn date_display_examples() -> String {
    let rows: Vec<String> = crate::date::DISPLAY_SAMPLES
        .iter()
        .filter_map(|text| text.parse::<crate::date::PartialDate>().ok())
        .map(|date| format!("[{:?}, {:?}]", date.to_string(), date.shown()))
        .collect();
    format!(
        "/** Stored dates and how the app shows each (the core's PartialDate::shown). */\nexport const DATE_DISPLAY_EXAMPLES: readonly (readonly [string, string])[] = [{}];\n",
        rows.join(", ")
    )
}

/// The date fields of the forms and filters (`date::DATE_FIELDS`): the label
/// a form shows (the core's errors start with it), the precision, and the
/// forms to type it in, for the field's hint.
fn date_fields() -> String {
    use crate::date::Precision;
    let fields: Vec<String> = crate::date::DATE_FIELDS
        .iter()
        .map(|field| {
            let precision = match field.precision {
                Precision::Partial => "partial",
                Precision::Day => "day",
            };
            format!(
                "{}: {{ label: {:?}, precision: {precision:?}, forms: {:?} }}",
                field.name,
                field.label,
                field.precision.typed_forms()
            )
        })
        .collect();
    format!(
        "/** The date fields of the forms and filters: label, precision and the forms to type them in (the core's date::DATE_FIELDS; read_date checks a typed date). */\nexport const DATE_FIELDS = {{ {} }} as const;\n",
        fields.join(", ")
    )
}

/// Each import file format's name as people know it ("BibTeX"), for the Import page.
fn file_format_labels() -> String {
    let fields: Vec<String> = crate::import::FileFormat::ALL
        .iter()
        .map(|format| {
            let key = serde_json::to_value(format).unwrap_or_default();
            format!("{}: {:?}", key.as_str().unwrap_or_default(), format.label())
        })
        .collect();
    format!(
        "/** Each format an import reads, as people name it (the core's FileFormat::label). */\nexport const FILE_FORMAT_LABELS: Record<FileFormat, string> = {{ {} }};\n",
        fields.join(", ")
    )
}

/// The values of an enum as a TS constant, read off the union ts-rs generates
/// (`"workspace" | "notFound" | …`), so the UI can list or check every value
/// the core may send with no list kept by hand.
fn union_values(constant: &str, type_name: &str, doc: &str, union: &str) -> String {
    let values: Vec<&str> = union.split('|').map(str::trim).collect();
    format!(
        "/** {doc} */\nexport const {constant}: readonly {type_name}[] = [{}];\n",
        values.join(", ")
    )
}
/// The 3A090 thresholds (metrics.rs) as a TS constant, for the chip chart's lines.
fn thresholds_3a090() -> String {
    use crate::metrics::*;
    let fields = [
        ("a1MinTpp", A1_MIN_TPP),
        ("a2MinTpp", A2_MIN_TPP),
        ("a2MinDensity", A2_MIN_DENSITY),
        ("b1MinTpp", B1_MIN_TPP),
        ("b1MinDensity", B1_MIN_DENSITY),
        ("b2MinTpp", B2_MIN_TPP),
        ("b2MinDensity", B2_MIN_DENSITY),
    ]
    .map(|(name, value)| format!("{name}: {value}"));
    format!(
        "/** ECCN 3A090 thresholds (October 2023 rule): TPP, and density in TPP per mm². */\nexport const THRESHOLDS_3A090 = {{ {} }} as const;\n",
        fields.join(", ")
    )
}
