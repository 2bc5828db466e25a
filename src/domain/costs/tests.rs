use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn be_consumer_scale_at_each_bracket_edge() {
    for (on, want) in [
        (dec!(0.01), dec!(20)),
        (dec!(150), dec!(20)),
        (dec!(150.01), dec!(30.00)), // 30 + 10 % × 0.01 = 30.001
        (dec!(300), dec!(45)),       // 30 + 10 % × 150
        (dec!(500), dec!(65)),       // 30 + 10 % × 350
        (dec!(500.01), dec!(65.00)), // 65 + 5 % × 0.01
        (dec!(1000), dec!(90)),      // 65 + 5 % × 500
        (dec!(39200), dec!(2000)),   // 65 + 5 % × 38,700 = 2,000 exactly
        (dec!(50000), dec!(2000)),   // capped
    ] {
        assert_eq!(be_consumer(on).amount, want, "{on}");
    }
    let c = be_consumer(dec!(50000));
    assert_eq!((c.scale, c.cap), (dec!(2540), Some(dec!(2000))));
    let c = be_consumer(dec!(300));
    assert_eq!(
        (c.fixed, c.lines.len(), c.lines[0].base, c.lines[0].amount),
        (dec!(30), 1, dec!(150), dec!(15))
    );
}

#[test]
fn wik_scale_at_each_bracket_edge() {
    for (on, want) in [
        (dec!(100), dec!(40)),       // 15 = below the minimum
        (dec!(266.66), dec!(40)),    // 39.999
        (dec!(266.67), dec!(40.00)), // 40.0005 → 40.00
        (dec!(2500), dec!(375)),     // 15 % × 2,500
        (dec!(2500.01), dec!(375.00)),
        (dec!(5000), dec!(625)),     // + 10 % × 2,500
        (dec!(10000), dec!(875)),    // + 5 % × 5,000
        (dec!(200000), dec!(2775)),  // + 1 % × 190,000
        (dec!(1000000), dec!(6775)), // + 0.5 % × 800,000 = the maximum exactly
        (dec!(2000000), dec!(6775)), // capped
    ] {
        assert_eq!(wik(on).amount, want, "{on}");
    }
    let w = wik(dec!(3000));
    assert_eq!(
        w.lines.iter().map(|l| (l.base, l.amount)).collect::<Vec<_>>(),
        vec![(dec!(2500), dec!(375)), (dec!(500), dec!(50)),]
    );
    assert_eq!(wik(dec!(100)).floor, Some(dec!(40)));
    assert_eq!(wik(dec!(2000000)).cap, Some(dec!(6775)));
}

#[test]
fn b2b_compensation_is_forty_euro() {
    assert_eq!(fixed_b2b(dec!(12.5)).amount, dec!(40));
    assert_eq!(fixed_b2b(dec!(120000)).amount, dec!(40));
}

#[test]
fn working_days_skip_weekends_and_holidays() {
    // Friday 30 Oct 2026 → Mon 2 Nov (1 Nov is a Sunday anyway), Tue 3, Wed 4.
    assert_eq!(working_days_after(Jurisdiction::Be, d("2026-10-30"), 3), d("2026-11-04"));
    // Tuesday 10 Nov 2026: 11 Nov (Armistice) is a Belgian holiday, not a Dutch one.
    assert_eq!(working_days_after(Jurisdiction::Be, d("2026-11-10"), 1), d("2026-11-12"));
    assert_eq!(working_days_after(Jurisdiction::Nl, d("2026-11-10"), 1), d("2026-11-11"));
    // Easter 2026 is 5 April: Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May.
    for h in ["2026-04-06", "2026-05-14", "2026-05-25"] {
        assert!(is_holiday(Jurisdiction::Be, d(h)), "{h}");
    }
    assert!(!is_holiday(Jurisdiction::Be, d("2026-04-07")));
}
