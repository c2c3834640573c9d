//! The XLSX workbook: Comparison, Evidence, Sources, About (and Changes).
//! Every value goes in with `write_string` or `write_number`, never as a
//! formula, so a name such as "=cmd" is text in Excel.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};

use super::{firm_label, ChangeKind, Document};
use crate::compare::{CellState, ComparisonCell};
use crate::model::{Source, Stance};
use crate::validate;
use crate::vocabulary::{meaning_of, stance_label, NOT_APPLICABLE, NOT_RECORDED};

/// The column of a source's reference number ("[n]" in the Comparison sheet).
const REFERENCE_HEADER: &str = "Reference";

/// Excel's longest cell text.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's rows per sheet.
const MAX_ROWS: u32 = 1_048_576;
/// Excel refuses a sheet with more hyperlinks than this; the rest are plain text.
const MAX_LINKS: usize = 65_530;
/// Excel's longest hyperlink.
const MAX_URL_CHARS: usize = 2_079;

/// Text Excel accepts in one cell: cut at its limit with a visible mark.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    std::borrow::Cow::Owned(format!("{kept}…"))
}

/// Columns a text needs, its widest line: Chinese, Japanese, Korean and
/// emoji count double.
fn display_width(text: &str) -> usize {
    text.lines().map(line_width).max().unwrap_or(0)
}

fn line_width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
                | 0x1F300..=0x1FAFF | 0x20000..=0x3FFFD);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Widest text seen per column, turned into widths that fit within bounds;
/// and the lines each row's texts wrap to in those widths, as its height:
/// spreadsheets do not grow a row for wrapped text they did not lay out
/// themselves (LibreOffice draws the lines over the next rows).
struct Widths {
    widest: Vec<usize>,
    /// Row, column and the width of each line of a text that may wrap.
    texts: Vec<(u32, usize, Vec<usize>)>,
}

/// Points per line of the 11-point default font, and Excel's tallest row.
const LINE_HEIGHT: f64 = 15.0;
const MAX_ROW_HEIGHT: f64 = 409.0;

impl Widths {
    fn new(columns: usize) -> Widths {
        Widths {
            widest: vec![0; columns],
            texts: Vec::new(),
        }
    }

    /// A text written at `row`, `column`: the column widens to it, within bounds.
    fn see(&mut self, row: u32, column: usize, text: &str) {
        self.widen(column, display_width(text));
        self.wrap(row, column, text);
    }

    fn widen(&mut self, column: usize, width: usize) {
        if let Some(widest) = self.widest.get_mut(column) {
            *widest = (*widest).max(width);
        }
    }

    /// A text that wraps in its column whatever its width (a header).
    fn wrap(&mut self, row: u32, column: usize, text: &str) {
        let lines: Vec<usize> = text.lines().map(line_width).collect();
        if lines.len() > 1 || lines.first().is_some_and(|&w| w > 6) {
            self.texts.push((row, column, lines));
        }
    }

    fn width(&self, column: usize, min: usize, max: usize) -> usize {
        (self.widest.get(column).copied().unwrap_or(0) + 2).clamp(min, max)
    }

    /// Sets the column widths, and the height of every row whose texts wrap.
    fn apply(&self, sheet: &mut Worksheet, min: usize, max: usize) -> Result<(), XlsxError> {
        for column in 0..self.widest.len() {
            sheet.set_column_width(column as u16, self.width(column, min, max) as f64)?;
        }
        let mut lines: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
        for (row, column, widths) in &self.texts {
            let room = self.width(*column, min, max).saturating_sub(1).max(1);
            let needed: usize = widths.iter().map(|w| w.div_ceil(room).max(1)).sum();
            let most = lines.entry(*row).or_insert(1);
            *most = (*most).max(needed);
        }
        for (row, count) in lines {
            if count > 1 {
                let height = (LINE_HEIGHT * count as f64 + 2.0).min(MAX_ROW_HEIGHT);
                sheet.set_row_height(row, height)?;
            }
        }
        Ok(())
    }
}

/// Printing (and LibreOffice's PDF export): landscape, the header row on
/// every page, one page wide when `fit_width`; otherwise the sheet runs across
/// pages with its first column repeated.
fn print_setup(sheet: &mut Worksheet, fit_width: bool) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    if fit_width {
        sheet.set_print_fit_to_pages(1, 0);
    } else {
        sheet.set_repeat_columns(0, 0)?;
    }
    Ok(())
}

/// Beyond this many columns, fitting the comparison to one page width makes it
/// unreadable. The lists (Evidence, Sources, Changes) are always fitted: read
/// row by row, they suffer more from columns split across pages.
const PRINT_FIT_MAX_COLUMNS: usize = 9;

/// A web link Excel may open: a web address only (http or https, never
/// javascript: or a file path), within Excel's length.
fn linkable(url: &str) -> bool {
    validate::is_web_address(url) && url.chars().count() <= MAX_URL_CHARS
}

/// Writes `url` as a hyperlink while the sheet has room for one, else as text.
fn write_link(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    url: &str,
    links: &mut usize,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if *links < MAX_LINKS && linkable(url) {
        let link = Url::new(url).set_text(fit(url).as_ref());
        let written = sheet.write_url_with_format(row, column, link, &formats.link);
        if written.is_ok() {
            *links += 1;
            return Ok(());
        }
    }
    sheet.write_string_with_format(row, column, fit(url).as_ref(), &formats.text)?;
    Ok(())
}

/// The look of a comparison cell: its stance colour, a muted not-recorded or
/// not-applicable, a dark orange italic when stale.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Look {
    /// The stance's order (Stance is not Hash): 0 for none, 1.. weakest first.
    stance: u8,
    state: u8,
    stale: bool,
}

struct Formats {
    header: Format,
    text: Format,
    /// A web link, at the top of its cell like the text beside it.
    link: Format,
    firm: Format,
    cells: HashMap<Look, Format>,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Formats {
            header: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EAED))
                .set_border_bottom(FormatBorder::Thin),
            firm: base.clone().set_bold(),
            link: base.clone().set_hyperlink(),
            text: base,
            cells: HashMap::new(),
        }
    }

    fn cell(&mut self, cell: &ComparisonCell) -> &Format {
        let look = Look {
            stance: cell.stance.map_or(0, |s| s as u8 + 1),
            state: match cell.state {
                CellState::Known => 0,
                CellState::NotRecorded => 1,
                CellState::NotApplicable => 2,
            },
            stale: cell.stale,
        };
        let text = self.text.clone();
        self.cells.entry(look).or_insert_with(|| {
            let mut format = text;
            format = match cell.stance {
                Some(Stance::Leading) => format
                    .set_background_color(Color::RGB(0x1B5E20))
                    .set_font_color(Color::White),
                Some(Stance::Active) => format.set_background_color(Color::RGB(0xA5D6A7)),
                Some(Stance::Exploring) => format.set_background_color(Color::RGB(0xFFF59D)),
                Some(Stance::None) => format.set_background_color(Color::RGB(0xE0E0E0)),
                None => format,
            };
            format = match look.state {
                1 => format.set_italic().set_font_color(Color::RGB(0x757575)),
                2 => format.set_font_color(Color::RGB(0x9E9E9E)),
                _ => format,
            };
            if look.stale {
                format = format
                    .set_italic()
                    .set_font_color(Color::RGB(0xBF360C))
                    .set_border(FormatBorder::Dashed)
                    .set_border_color(Color::RGB(0xBF360C));
            }
            format
        })
    }
}

pub(super) fn workbook(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let mut formats = Formats::new();
    comparison_sheet(workbook.add_worksheet(), doc, &mut formats)?;
    evidence_sheet(workbook.add_worksheet(), doc, &formats)?;
    sources_sheet(workbook.add_worksheet(), doc, &formats)?;
    if let Some(changes) = &doc.changes {
        changes_sheet(workbook.add_worksheet(), changes.as_ref(), &formats)?;
    }
    about_sheet(workbook.add_worksheet(), doc, &formats)?;
    workbook.save_to_buffer()
}

fn comparison_sheet(
    sheet: &mut Worksheet,
    doc: &Document,
    formats: &mut Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Comparison")?;
    let matrix = &doc.matrix;
    let mut widths = Widths::new(matrix.dimensions.len() + 1);
    sheet.write_string_with_format(0, 0, "Firm", &formats.header)?;
    widths.see(0, 0, "Firm");
    for (j, dimension) in matrix.dimensions.iter().enumerate() {
        let column = (j + 1) as u16;
        sheet.write_string_with_format(
            0,
            column,
            fit(&dimension.label).as_ref(),
            &formats.header,
        )?;
        // Headers wrap at word breaks; their longest word must fit.
        let longest_word = dimension.label.split_whitespace().map(display_width).max();
        widths.widen(j + 1, longest_word.unwrap_or(0));
        widths.wrap(0, j + 1, &dimension.label);
    }
    for (i, (firm, row)) in matrix.firms.iter().zip(&matrix.rows).enumerate() {
        let r = (i + 1) as u32;
        let label = firm_label(firm);
        sheet.write_string_with_format(r, 0, fit(&label).as_ref(), &formats.firm)?;
        widths.see(r, 0, &label);
        for (j, cell) in row.iter().enumerate() {
            let column = (j + 1) as u16;
            let format = formats.cell(cell);
            match (cell.state, cell.number) {
                (CellState::Known, Some(number)) if number.is_finite() => {
                    sheet.write_number_with_format(r, column, number, format)?;
                    widths.see(r, j + 1, &cell.value);
                }
                _ => {
                    let markers = doc.markers(&cell.sources);
                    let text = if markers.is_empty() {
                        cell.display()
                    } else {
                        format!("{} {markers}", cell.display())
                    };
                    sheet.write_string_with_format(r, column, fit(&text).as_ref(), format)?;
                    widths.see(r, j + 1, &text);
                }
            }
        }
    }
    widths.apply(sheet, 10, 40)?;
    print_setup(sheet, matrix.dimensions.len() < PRINT_FIT_MAX_COLUMNS)?;
    sheet.set_freeze_panes(1, 1)?;
    let last_row = matrix.firms.len() as u32;
    let last_column = matrix.dimensions.len() as u16;
    sheet.autofilter(0, 0, last_row, last_column)?;
    Ok(())
}

fn evidence_sheet(
    sheet: &mut Worksheet,
    doc: &Document,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Evidence")?;
    let headers = [
        "Firm",
        "Dimension",
        "Value",
        REFERENCE_HEADER,
        "Source",
        "URL",
        "Reliability",
        "Credibility",
        "Published",
        "As of",
    ];
    let mut widths = Widths::new(headers.len());
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &formats.header)?;
        widths.see(0, column, header);
    }
    let by_id: HashMap<i64, &Source> = doc.sources.iter().map(|s| (s.id, s)).collect();
    let matrix = &doc.matrix;
    let mut r: u32 = 1;
    let mut links = 0;
    let mut left_out = 0usize;
    for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
        let label = firm_label(firm);
        for (dimension, cell) in matrix.dimensions.iter().zip(row) {
            let value = cell.display();
            for source_id in &cell.sources {
                let Some(source) = by_id.get(source_id) else {
                    continue;
                };
                if r >= MAX_ROWS - 1 {
                    left_out += 1;
                    continue;
                }
                let number = doc.numbers.get(source_id).copied().unwrap_or(0);
                let texts = [label.as_str(), dimension.label.as_str(), value.as_str()];
                for (column, text) in texts.iter().enumerate() {
                    sheet.write_string_with_format(
                        r,
                        column as u16,
                        fit(text).as_ref(),
                        &formats.text,
                    )?;
                    widths.see(r, column, text);
                }
                sheet.write_number_with_format(r, 3, number as f64, &formats.text)?;
                sheet.write_string_with_format(r, 4, fit(&source.title).as_ref(), &formats.text)?;
                widths.see(r, 4, &source.title);
                if let Some(url) = &source.url {
                    write_link(sheet, r, 5, url, &mut links, formats)?;
                    widths.see(r, 5, url);
                }
                let optional = [
                    (6, source.reliability.clone()),
                    (7, source.credibility.map(|c| c.to_string())),
                    (8, source.published_on.clone()),
                    (9, cell.as_of.clone()),
                ];
                for (column, text) in optional {
                    if let Some(text) = text {
                        sheet.write_string_with_format(
                            r,
                            column,
                            fit(&text).as_ref(),
                            &formats.text,
                        )?;
                        widths.see(r, column as usize, &text);
                    }
                }
                r += 1;
            }
        }
    }
    if left_out > 0 {
        sheet.write_string(
            r,
            0,
            format!("{left_out} more rows left out: Excel holds at most {MAX_ROWS} rows per sheet"),
        )?;
    }
    widths.apply(sheet, 8, 50)?;
    print_setup(sheet, true)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn sources_sheet(
    sheet: &mut Worksheet,
    doc: &Document,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Sources")?;
    let headers = [
        REFERENCE_HEADER,
        "Title",
        "Authors",
        "Publisher",
        "Published",
        "Kind",
        "URL",
        "DOI",
        "Reliability",
        "Credibility",
        "Accessed",
    ];
    let mut widths = Widths::new(headers.len());
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &formats.header)?;
        widths.see(0, column, header);
    }
    let mut links = 0;
    for (i, source) in doc.sources.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &formats.text)?;
        let texts = [
            (1, Some(source.title.clone())),
            (2, source.authors.clone()),
            (3, source.publisher.clone()),
            (4, source.published_on.clone()),
            (5, Some(crate::text::enum_text(&source.kind))),
            (7, source.doi.clone()),
            (8, source.reliability.clone()),
            (9, source.credibility.map(|c| c.to_string())),
            (10, source.accessed_on.clone()),
        ];
        for (column, text) in texts {
            if let Some(text) = text {
                sheet.write_string_with_format(r, column, fit(&text).as_ref(), &formats.text)?;
                widths.see(r, column as usize, &text);
            }
        }
        if let Some(url) = &source.url {
            write_link(sheet, r, 6, url, &mut links, formats)?;
            widths.see(r, 6, url);
        }
    }
    widths.apply(sheet, 6, 60)?;
    print_setup(sheet, true)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn changes_sheet(
    sheet: &mut Worksheet,
    changes: Option<&super::ChangesReport>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Changes")?;
    let Some(report) = changes else {
        sheet.write_string(
            0,
            0,
            "First export of this comparison: nothing to compare with yet.",
        )?;
        sheet.set_column_width(0, 70)?;
        return Ok(());
    };
    let headers = ["Firm", "Dimension", "Change", "Before", "Now"];
    let mut widths = Widths::new(headers.len());
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &formats.header)?;
        widths.see(0, column, header);
    }
    if report.changes.is_empty() {
        let text = format!("Nothing changed since the last export ({}).", report.since);
        sheet.write_string(1, 0, &text)?;
    }
    for (i, change) in report.changes.iter().enumerate() {
        let r = (i + 1) as u32;
        if r >= MAX_ROWS {
            break;
        }
        let kind = match change.kind {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
        };
        let texts = [
            change.firm.as_str(),
            change.dimension.as_str(),
            kind,
            change.old_value.as_deref().unwrap_or(""),
            change.new_value.as_deref().unwrap_or(""),
        ];
        for (column, text) in texts.iter().enumerate() {
            sheet.write_string_with_format(r, column as u16, fit(text).as_ref(), &formats.text)?;
            widths.see(r, column, text);
        }
    }
    widths.apply(sheet, 8, 50)?;
    print_setup(sheet, true)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn about_sheet(sheet: &mut Worksheet, doc: &Document, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("About")?;
    let matrix = &doc.matrix;
    let (window, stale) = doc.filters_text();
    let firms: Vec<String> = matrix.firms.iter().map(firm_label).collect();
    let dimensions: Vec<&str> = matrix.dimensions.iter().map(|d| d.label.as_str()).collect();
    let mut rows: Vec<(&str, String)> = vec![
        ("Comparison", doc.title.clone()),
        ("Workspace", doc.workspace.clone()),
        ("Exported at (UTC)", doc.exported_at.clone()),
        ("Chipwatch version", env!("CARGO_PKG_VERSION").to_owned()),
        ("Firms", format!("{}: {}", firms.len(), firms.join("; "))),
        (
            "Dimensions",
            format!("{}: {}", dimensions.len(), dimensions.join("; ")),
        ),
        ("Window (sources, notes, events)", window),
        ("Stale when", stale),
    ];
    if let Some(changes) = &doc.changes {
        rows.push((
            "Changes since",
            changes
                .as_ref()
                .map_or("first export".to_owned(), |c| c.since.clone()),
        ));
    }
    if !matrix.missing_firm_ids.is_empty() {
        let ids: Vec<String> = matrix
            .missing_firm_ids
            .iter()
            .map(|i| i.to_string())
            .collect();
        rows.push(("Chosen firms no longer there (ids)", ids.join(", ")));
    }
    if !matrix.missing_dimensions.is_empty() {
        rows.push((
            "Chosen dimensions no longer there",
            matrix.missing_dimensions.join(", "),
        ));
    }
    rows.extend([
        (
            "[n]",
            format!("Reference number n: a cell's sources are rows of the Sources sheet by their {REFERENCE_HEADER}; the Evidence sheet lists each cell with each source."),
        ),
        (
            NOT_RECORDED,
            format!("{} Grey italic.", meaning_of(NOT_RECORDED)),
        ),
        (
            NOT_APPLICABLE,
            format!("{} Grey.", meaning_of(NOT_APPLICABLE)),
        ),
        (
            "Colours",
            format!(
                "Stances: dark green {}, green {}, yellow {}, grey {}. Orange italic with a dashed border: stale.",
                stance_label(Stance::Leading),
                stance_label(Stance::Active),
                stance_label(Stance::Exploring),
                stance_label(Stance::None),
            ),
        ),
        (
            "3A090",
            "TPP, performance density and the 3A090 parameters met are estimates from the chip figures entered.".to_owned(),
        ),
    ]);
    for (i, (key, value)) in rows.iter().enumerate() {
        let r = i as u32;
        sheet.write_string_with_format(r, 0, *key, &formats.firm)?;
        sheet.write_string_with_format(r, 1, fit(value).as_ref(), &formats.text)?;
    }
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 100)?;
    Ok(())
}
