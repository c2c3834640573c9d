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
        (6, 3, 1, 2),
        "{:?}",
        report.problems
    );
    assert_eq!(
        report.duplicate_rows[0].existing.as_ref().unwrap().title,
        "Huawei"
    );
    let nameless = report.problems.iter().find(|p| p.row == 6).unwrap();
    assert!(nameless.message.contains("name is empty"), "{nameless:?}");
    let atlantis = report.problems.iter().find(|p| p.row == 7).unwrap();
    assert_eq!(
        (atlantis.column.as_deref(), atlantis.value.as_deref()),
        (Some("Country"), Some("Atlantis"))
    );

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

    // Undo takes exactly the three firms.
    let undone = import::undo(&mut store, report.batch.unwrap(), false).unwrap();
    assert_eq!(undone.removed_firms, 3);
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
