use chipwatch_core::metrics::{chip_metrics, rules_met, rules_undetermined};

#[test]
fn tpp_is_tops_times_bit_width_and_density_divides_by_die_area() {
    // NVIDIA A100: 312 dense FP16 TFLOPS, 826 mm².
    let m = chip_metrics(Some(312.0), Some(16), Some(826.0));
    assert_eq!(m.tpp, Some(4992.0));
    let density = m.performance_density.unwrap_or_default();
    assert!((density - 6.0436).abs() < 1e-3, "{density}");
    assert_eq!(m.rules_met, ["3A090.a.1", "3A090.a.2"]);
}

#[test]
fn missing_figures_give_no_metrics_rather_than_zero() {
    let m = chip_metrics(None, None, Some(800.0));
    assert_eq!((m.tpp, m.performance_density), (None, None));
    assert!(m.rules_met.is_empty());
    let m = chip_metrics(Some(148.0), Some(16), None);
    assert_eq!((m.tpp, m.performance_density), (Some(2368.0), None));
    assert!(
        m.rules_met.is_empty(),
        "H20 without die area: no paragraph can be shown as met"
    );
}

#[test]
fn rule_boundaries_follow_the_october_2023_text() {
    assert_eq!(rules_met(4800.0, None), ["3A090.a.1"]);
    assert!(rules_met(4799.9, None).is_empty());
    assert_eq!(rules_met(1600.0, Some(5.92)), ["3A090.a.2"]);
    assert!(rules_met(1599.9, Some(10.0)).is_empty());
    assert_eq!(rules_met(2400.0, Some(1.6)), ["3A090.b.1"]);
    assert_eq!(rules_met(2400.0, Some(3.2)), ["3A090.b.1", "3A090.b.2"]);
    assert_eq!(rules_met(2000.0, Some(3.2)), ["3A090.b.2"]);
    assert!(rules_met(2000.0, Some(3.19)).is_empty());
    assert_eq!(rules_met(4800.0, Some(5.0)), ["3A090.a.1", "3A090.b.2"]);
}

#[test]
fn without_a_die_area_the_density_paragraphs_are_undetermined_not_missed() {
    // H20: TPP 2368, no die area. Not "below every threshold": a.2 and b.2
    // depend on the density nobody entered.
    let h20 = chip_metrics(Some(148.0), Some(16), None);
    assert!(h20.rules_met.is_empty());
    assert_eq!(h20.rules_undetermined, ["3A090.a.2", "3A090.b.2"]);
    assert_eq!(
        h20.rules_summary,
        "none met; a.2, b.2 undetermined: no die area"
    );
    // In JSON too, for the CLI's --json and the app.
    let json = serde_json::to_value(&h20).unwrap();
    assert_eq!(json["rulesUndetermined"][1], "3A090.b.2");
    // 2400 <= TPP < 4800: b.1 as well; at 4800, a.1 is met and the rest open.
    assert_eq!(
        rules_undetermined(3000.0, None),
        ["3A090.a.2", "3A090.b.1", "3A090.b.2"]
    );
    let big = chip_metrics(Some(300.0), Some(16), None);
    assert_eq!(
        big.rules_summary,
        "3A090.a.1; a.2, b.2 undetermined: no die area"
    );
    // Below 1600 nothing depends on the density; with a die area nothing is open.
    assert!(rules_undetermined(1599.0, None).is_empty());
    assert!(rules_undetermined(3000.0, Some(1.0)).is_empty());
    assert_eq!(
        chip_metrics(Some(50.0), Some(16), Some(800.0)).rules_summary,
        "none met"
    );
    assert_eq!(chip_metrics(None, Some(16), None).rules_summary, "");
}
