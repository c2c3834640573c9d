//! Firm lists (src/import/firms.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chipwatch_core::import::{self, DuplicatePolicy, ImportOptions, ImportReport};
use chipwatch_core::{profile, workspace, Store};
use common::*;

fn fixture() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/firms.csv")
}

fn import_firms(store: &mut Store, options: &ImportOptions) -> ImportReport {
    import::import_firms(
        store,
        &fixture(),
        options,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

#[test]
fn a_firm_list_imports_with_aliases_countries_and_parents() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let before = workspace::stats(&store).unwrap();
    let report = import_firms(&mut store, &ImportOptions::default());
    assert_eq!(
        (
            report.read,
            report.added,
            report.duplicates,
            report.rejected
        ),
        (6, 4, 1, 1),
        "{:?}",
        report.problems
    );
    assert_eq!(
        report.duplicate_rows[0].existing.as_ref().unwrap().title,
        "Huawei"
    );
    let nameless = report.problems.iter().find(|p| p.row == 6).unwrap();
    assert!(nameless.message.contains("name is empty"), "{nameless:?}");
    // A country Chipwatch has no word for keeps the firm, its country empty.
    let atlantis = report.row_warnings.iter().find(|p| p.row == 7).unwrap();
    assert_eq!(
        (atlantis.column.as_deref(), atlantis.value.as_deref()),
        (Some("Country"), Some("Atlantis"))
    );
    assert!(atlantis.message.contains("Kept the firm"), "{atlantis:?}");
    let bad_country = profile::load_profile(&store, firm_id(&store, "Bad Country Inc"))
        .unwrap()
        .firm;
    assert_eq!(bad_country.country, None);

    let arm = profile::load_profile(&store, firm_id(&store, "Arm"))
        .unwrap()
        .firm;
    assert_eq!(arm.native_name.as_deref(), Some("安谋"));
    assert_eq!(arm.aliases, ["ARM Ltd", "Arm Holdings"]);
    assert_eq!(
        (arm.country.as_deref(), arm.website.as_deref()),
        (Some("GB"), Some("https://arm.com"))
    );
    let china = profile::load_profile(&store, firm_id(&store, "Arm China"))
        .unwrap()
        .firm;
    assert_eq!(china.country.as_deref(), Some("CN"), "'China' is CN");
    assert_eq!(china.parent.unwrap().name, "Arm");
    assert_eq!(china.summary, "Joint venture; \"independent\" since 2022");
    let hua_hong = profile::load_profile(&store, firm_id(&store, "Hua Hong"))
        .unwrap()
        .firm;
    assert_eq!(hua_hong.kind, chipwatch_core::model::FirmKind::Foundry);

    // Undo takes exactly the four firms.
    let undone = import::undo(&mut store, report.batch.unwrap(), false).unwrap();
    assert_eq!(undone.removed_firms, 4);
    let mut after = workspace::stats(&store).unwrap();
    after.import_batches = 0;
    assert_eq!(after, before);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn fill_completes_an_existing_firm() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let huawei = firm_id(&store, "Huawei");
    let before = profile::load_profile(&store, huawei).unwrap().firm;
    assert_eq!(before.country.as_deref(), Some("CN"));
    let report = import_firms(
        &mut store,
        &ImportOptions {
            on_duplicate: DuplicatePolicy::Fill,
            ..ImportOptions::default()
        },
    );
    // The seeded Huawei has a summary, a native name and a country: nothing to fill.
    assert_eq!(report.updated, 0);
    assert_eq!(profile::load_profile(&store, huawei).unwrap().firm, before);
}

fn supply_chain() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/supply_chain_providers.csv")
}

fn only_where(conditions: &[&str]) -> ImportOptions {
    ImportOptions {
        only_rows_where: conditions
            .iter()
            .map(|c| import::RowCondition::parse(c).unwrap())
            .collect(),
        ..ImportOptions::default()
    }
}

fn import_supply_chain(store: &mut Store, options: &ImportOptions) -> ImportReport {
    import::import_firms(
        store,
        &supply_chain(),
        options,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn firm(store: &Store, name: &str) -> chipwatch_core::model::Firm {
    profile::load_profile(store, firm_id(store, name))
        .unwrap()
        .firm
}

/// A research group's supply-chain list: alpha-3 countries, "organization"
/// as a kind, and rows that are countries themselves.
#[test]
fn a_supply_chain_list_imports_its_organizations_with_their_countries() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let firms_before = workspace::stats(&store).unwrap().firms;
    let report = import_supply_chain(&mut store, &only_where(&["provider_type=organization"]));
    // 14 rows: 6 countries left out (counted, not problems); "Organization "
    // with a capital and a space is an organization too; SMIC's full name is
    // one of the seeded SMIC's aliases.
    assert_eq!(
        (
            report.read,
            report.left_out,
            report.added,
            report.duplicates,
            report.rejected
        ),
        (14, 6, 7, 1, 0),
        "{:?}",
        report.problems
    );
    assert!(report.problems.is_empty());
    assert_eq!(
        report.duplicate_rows[0].existing.as_ref().unwrap().title,
        "SMIC"
    );
    assert_eq!(workspace::stats(&store).unwrap().firms, firms_before + 7);

    for (name, country) in [
        ("Tokyo Electron", "JP"),
        ("Samsung Electronics", "KR"),
        ("ASML", "NL"),
        ("Carl Zeiss SMT", "DE"),
        ("Applied Materials", "US"),
        ("Hon Hai Precision (Foxconn)", "TW"),
    ] {
        assert_eq!(
            firm(&store, name).country.as_deref(),
            Some(country),
            "{name}"
        );
    }
    // No country row became a firm.
    for country_row in [
        "United States",
        "China",
        "Taiwan",
        "Japan",
        "Netherlands",
        "Germany",
    ] {
        let found = chipwatch_core::firms::list(&store, None)
            .unwrap()
            .into_iter()
            .any(|f| f.name == country_row);
        assert!(!found, "{country_row}");
    }

    // The words Chipwatch has none for are warnings on rows that were imported.
    let warned: Vec<(u64, Option<&str>, Option<&str>)> = report
        .row_warnings
        .iter()
        .map(|w| (w.row, w.column.as_deref(), w.value.as_deref()))
        .collect();
    assert_eq!(
        warned,
        [
            (4, Some("kind"), Some("organization")),
            (8, Some("kind"), Some("organization")),
            (15, Some("kind"), Some("organization")),
            (16, Some("country"), Some("ATL")),
        ]
    );
    let kind_warning = &report.row_warnings[0].message;
    assert!(kind_warning.contains("Kept the firm"), "{kind_warning}");
    assert!(
        kind_warning.contains("saved as a company"),
        "{kind_warning}"
    );
    assert!(
        kind_warning.contains("company, foundry, lab or agency"),
        "{kind_warning}"
    );
    assert_eq!(
        firm(&store, "Tokyo Electron").kind,
        chipwatch_core::model::FirmKind::Company
    );
    let lunar = firm(&store, "Lunar Foundry Co");
    assert_eq!(
        (lunar.country, lunar.kind),
        (None, chipwatch_core::model::FirmKind::Foundry)
    );
    // A multi-line cell with Chinese and an emoji comes through whole.
    assert_eq!(firm(&store, "ASML").summary, "EUV lithography — 极紫外光刻");
    assert_eq!(
        firm(&store, "Hon Hai Precision (Foxconn)").summary,
        "Assembly 🏭"
    );
    assert_eq!(
        firm(&store, "Carl Zeiss SMT").summary,
        "Optics for ASML's\nEUV systems"
    );

    // The batch remembers the warnings; undo takes the seven firms.
    let undone = import::undo(&mut store, report.batch.unwrap(), false).unwrap();
    assert_eq!(undone.removed_firms, 7);
}

#[test]
fn where_conditions_are_anded_and_is_not_leaves_out_the_value() {
    let mut store = seeded_store();
    let dry = |conditions: &[&str]| ImportOptions {
        dry_run: true,
        ..only_where(conditions)
    };
    let not_country = import_supply_chain(&mut store, &dry(&["provider_type!=country"]));
    assert_eq!((not_country.left_out, not_country.added), (6, 7));
    let japanese = import_supply_chain(
        &mut store,
        &dry(&["provider_type=organization", "Country=jpn"]),
    );
    assert_eq!((japanese.left_out, japanese.added), (13, 1));
    // Without the filter the country rows become firms: what --where is for.
    let everything = import_supply_chain(&mut store, &dry(&[]));
    assert_eq!((everything.left_out, everything.added), (0, 13));
    // Warnings never abort a strict import.
    let strict = import_supply_chain(
        &mut store,
        &ImportOptions {
            strict: true,
            ..dry(&["provider_type=organization"])
        },
    );
    assert_eq!((strict.added, strict.row_warnings.len()), (7, 4));
}

#[test]
fn a_where_column_the_file_lacks_is_an_error_naming_its_columns_and_writes_nothing() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let mut store = Store::open(&path).unwrap();
    let before = workspace::stats(&store).unwrap();
    let error = import::import_firms(
        &mut store,
        &supply_chain(),
        &only_where(&["type=organization"]),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("no column 'type'"), "{error}");
    assert!(error.contains("'provider_type'"), "{error}");
    assert_eq!(workspace::stats(&store).unwrap(), before);
}

#[test]
fn the_preview_shows_only_the_rows_kept_and_offers_each_columns_values() {
    let store = seeded_store();
    let preview = import::preview(
        &store,
        &supply_chain(),
        import::ImportTarget::Firms,
        &only_where(&["provider_type=organization"]),
        import::PREVIEW_ROWS,
        &AtomicBool::new(false),
    )
    .unwrap();
    let shown: Vec<u64> = preview.rows.iter().map(|r| r.row).collect();
    assert_eq!(shown, [2, 4, 6, 8, 10, 13, 15, 16]);
    assert_eq!(preview.left_out, 6);
    let type_column = preview
        .headers
        .iter()
        .position(|h| h == "provider_type")
        .unwrap();
    // "Organization " is "organization" to the filter, so it is offered once.
    assert_eq!(
        preview.column_values[type_column],
        ["country", "organization"]
    );
    let country_column = preview.headers.iter().position(|h| h == "country").unwrap();
    assert_eq!(preview.column_values[country_column].len(), 8);

    // Nothing met: the preview says so.
    let none = import::preview(
        &store,
        &supply_chain(),
        import::ImportTarget::Firms,
        &only_where(&["provider_type=person"]),
        import::PREVIEW_ROWS,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!(none.rows.is_empty());
    assert!(
        none.warnings
            .iter()
            .any(|w| w.contains("None of the first 14 rows")),
        "{:?}",
        none.warnings
    );
}
