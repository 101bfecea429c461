//! Reports: the same claims printed for machines (JSON, CSV) and people (table). One file per
//! format; the printed forms of numbers are shared and part of the interface (SPEC 5).

pub mod csv;
pub mod json;
pub mod table;

use crate::money::Currency;
use rust_decimal::{Decimal, RoundingStrategy};

/// The tool's name and version, as printed in reports.
pub fn tool() -> String {
    format!("slacredit {}", env!("CARGO_PKG_VERSION"))
}

/// An amount with exactly the currency's minor-unit digits (`12000.00`, KRW `3333333`).
pub fn money(amount: Decimal, currency: Currency) -> String {
    let mut a = amount.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    );
    a.rescale(currency.minor_units());
    a.to_string()
}

/// Uptime with exactly 6 places, rounded half-even (`99.805556`).
pub fn uptime(percent: Decimal) -> String {
    let mut u = percent.round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven);
    u.rescale(6);
    u.to_string()
}

/// Minutes: no decimal point when whole (`84`), else 6 places half-even without trailing zeros
/// (`37.5`, `4.666667`).
pub fn minutes(m: Decimal) -> String {
    let r = m
        .round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven)
        .normalize();
    if r.is_zero() {
        "0".to_owned()
    } else {
        r.to_string()
    }
}

/// A percent as a normalised decimal (`10`, `2.5`).
pub fn percent(p: Decimal) -> String {
    let n = p.normalize();
    if n.is_zero() {
        "0".to_owned()
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn printed_forms_match_the_spec() {
        let usd = Currency::from_code("USD").unwrap();
        let krw = Currency::from_code("KRW").unwrap();
        assert_eq!(money(d("12000"), usd), "12000.00");
        assert_eq!(money(d("3333333"), krw), "3333333");
        assert_eq!(uptime(d("99.80555555555555555555555556")), "99.805556");
        assert_eq!(uptime(d("100")), "100.000000");
        assert_eq!(minutes(d("84.000")), "84");
        assert_eq!(minutes(d("37.50")), "37.5");
        assert_eq!(minutes(d("4.6666666666666666666666666667")), "4.666667");
        assert_eq!(percent(d("10.0")), "10");
        assert_eq!(percent(d("2.50")), "2.5");
        assert_eq!(percent(d("0.00")), "0");
    }
}
