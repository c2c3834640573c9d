use chipwatch_core::metrics::{chip_metrics, rules_met};

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
