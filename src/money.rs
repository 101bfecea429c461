//! Currencies, amounts and rounding to the currency's minor unit.
//!
//! Amounts are [`Decimal`] throughout; there is no conversion from a binary float anywhere. A
//! [`Money`] knows its currency, so adding two currencies is an error rather than a wrong total.

use crate::error::InvalidValue;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency code that slacredit knows the minor unit of.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency {
    /// Its row in [`ISO_4217`], which is sorted by code: currencies order by code.
    row: u8,
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Currency").field(&self.code()).finish()
    }
}

// A currency is its row of the table, in a byte.
const _: () = assert!(ISO_4217.len() <= 256);

/// The table's codes as big-endian numbers, which order like the strings: a million subscriptions
/// look their currency up.
const ISO_4217_KEYS: [u32; ISO_4217.len()] = {
    let mut keys = [0u32; ISO_4217.len()];
    let mut i = 0;
    while i < keys.len() {
        let b = ISO_4217[i].0.as_bytes();
        keys[i] = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        i += 1;
    }
    keys
};

/// ISO 4217 codes with their minor units (digits after the decimal point). Codes not listed
/// here are rejected: a typo such as `UDS` must not silently round to 2 places.
const ISO_4217: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HRK", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SLL", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
    ("ZWL", 2),
];

impl Currency {
    /// The currency with ISO 4217 code `code` (upper case, three letters).
    ///
    /// # Errors
    /// When the code is not an ISO 4217 currency code.
    ///
    /// ```
    /// use slacredit::Currency;
    /// assert_eq!(Currency::from_code("KRW").unwrap().minor_units(), 0);
    /// assert!(Currency::from_code("UDS").is_err());
    /// ```
    pub fn from_code(code: &str) -> Result<Currency, InvalidValue> {
        // The messages are made as text, then typed for the caller to match.
        let inner = || -> Result<Currency, String> {
            if code.len() != 3 {
                return Err(format!(
                    "expected an ISO 4217 currency code such as USD or KRW, found {code:?}"
                ));
            }
            let wanted = code.bytes().fold(0u32, |k, b| k << 8 | u32::from(b));
            ISO_4217_KEYS
                .binary_search(&wanted)
                .ok()
                .map(|row| Currency { row: row as u8 })
                .ok_or_else(|| {
                    format!("expected an ISO 4217 currency code such as USD or KRW, found {code:?}")
                })
        };
        inner().map_err(InvalidValue)
    }

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        ISO_4217[usize::from(self.row)].0
    }

    /// Digits after the decimal point of the minor unit (USD 2, KRW 0, BHD 3).
    pub fn minor_units(&self) -> u32 {
        u32::from(ISO_4217[usize::from(self.row)].1)
    }

    /// `amount` rounded to the minor unit with `mode`, always carrying exactly the minor-unit
    /// digits (`12000` USD becomes `12000.00`).
    pub fn round(&self, amount: Decimal, mode: Rounding) -> Decimal {
        round_to(amount, self.minor_units(), mode.strategy())
    }

    /// `amount` truncated to the minor unit (annual caps are never rounded up).
    pub fn round_down(&self, amount: Decimal) -> Decimal {
        self.round(amount, Rounding::Down)
    }

    /// Zero with the minor-unit digits (`0.00` USD).
    pub fn zero(&self) -> Decimal {
        self.round(Decimal::ZERO, Rounding::HalfUp)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `d` rounded to `dp` decimals with `strategy`, its scale set to `dp` (`"12000.00"`, not
/// `"12000"`), by rust_decimal's own rounding.
pub(crate) fn round_to(d: Decimal, dp: u32, strategy: RoundingStrategy) -> Decimal {
    let mut r = d.round_dp_with_strategy(dp, strategy);
    r.rescale(dp);
    r
}

/// 10^0 to 10^28: every divisor a decimal's scale calls for.
pub(crate) const POWERS_OF_TEN: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut k = 1;
    while k < 29 {
        p[k] = p[k - 1] * 10;
        k += 1;
    }
    p
};

/// How an amount is rounded to the minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// Halves go away from zero (0.005 -> 0.01).
    #[default]
    HalfUp,
    /// Halves go to the even digit (0.005 -> 0.00, 0.015 -> 0.02): banker's rounding.
    HalfEven,
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        }
    }

    /// The name used in contracts.
    pub fn name(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half-up",
            Rounding::HalfEven => "half-even",
            Rounding::Down => "down",
            Rounding::Up => "up",
        }
    }
}

impl FromStr for Rounding {
    type Err = String;
    fn from_str(s: &str) -> Result<Rounding, String> {
        match s {
            "half-up" => Ok(Rounding::HalfUp),
            "half-even" => Ok(Rounding::HalfEven),
            "down" => Ok(Rounding::Down),
            "up" => Ok(Rounding::Up),
            _ => Err(format!(
                "expected one of half-up, half-even, down, up, found {s:?}"
            )),
        }
    }
}

/// An amount in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// The amount, exact.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// `amount` of `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// The sum, when both are in one currency.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| Money::new(self.amount + other.amount, self.currency))
    }

    /// The difference, when both are in one currency.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| Money::new(self.amount - other.amount, self.currency))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.currency,
            self.currency.round(self.amount, Rounding::HalfUp)
        )
    }
}

/// The largest amount accepted anywhere (fees, charges, caps, fixed credits): 10^15, a thousand
/// trillion in any currency. With it, every product the calculator forms stays within the 28
/// digits of exact decimal arithmetic, so no input can overflow it.
pub(crate) fn max_amount() -> Decimal {
    Decimal::from(1_000_000_000_000_000_i64)
}

/// Parses an exact decimal (`99.99`, `"120000.00"`, `1e3` is refused). Never goes through a float.
///
/// # Errors
/// A message saying what was expected.
pub(crate) fn parse_decimal(text: &str) -> Result<Decimal, InvalidValue> {
    // The messages are made as text, then typed for the caller to match.
    let inner = || -> Result<Decimal, String> {
        let t = crate::input::trim(text);
        let ok = !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
            && t.bytes().filter(|b| *b == b'.').count() <= 1;
        if !ok {
            return Err(format!(
                "expected a decimal number such as 99.99, found {text:?}"
            ));
        }
        Decimal::from_str_exact(t)
            .map_err(|_| format!("expected a decimal number of at most 28 digits, found {text:?}"))
    };
    inner().map_err(InvalidValue)
}

/// Amounts added up per currency, exactly.
#[derive(Debug, Clone, Default)]
pub struct Totals(BTreeMap<Currency, Decimal>);

impl Totals {
    /// Adds `amount` in `currency`.
    pub fn add(&mut self, currency: Currency, amount: Decimal) {
        *self.0.entry(currency).or_insert(Decimal::ZERO) += amount;
    }

    /// The total in `currency` (0 where nothing was added).
    pub fn get(&self, currency: Currency) -> Decimal {
        self.0.get(&currency).copied().unwrap_or(Decimal::ZERO)
    }

    /// Adds every total of `other`.
    pub fn merge(&mut self, other: Totals) {
        for (currency, amount) in other.0 {
            self.add(currency, amount);
        }
    }

    /// Each currency's total rounded down to its minor unit (a total never claims more than its
    /// parts), sorted by currency code.
    pub fn rounded_down(self) -> Vec<Money> {
        let mut out: Vec<Money> = self
            .0
            .into_iter()
            .map(|(currency, amount)| Money::new(currency.round_down(amount), currency))
            .collect();
        out.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_to_ties() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let even = RoundingStrategy::MidpointNearestEven;
        assert_eq!(round_to(d("99.9999985"), 6, even).to_string(), "99.999998");
        assert_eq!(round_to(d("99.9999995"), 6, even).to_string(), "100.000000");
        let up = RoundingStrategy::MidpointAwayFromZero;
        assert_eq!(round_to(d("672.3195"), 2, up).to_string(), "672.32");
        assert_eq!(round_to(d("672.3"), 2, up).to_string(), "672.30");
        // Exact halves of 28-digit percents, where the remainder is put together from two
        // divisions (by 10^19, then by 10^1): even stays, odd goes up.
        for (percent, rounded) in [
            ("99.80555650000000000000000000", "99.805556"),
            ("99.80555750000000000000000000", "99.805558"),
            ("99.80555750000000000000000001", "99.805558"),
            ("99.80555649999999999999999999", "99.805556"),
        ] {
            assert_eq!(
                round_to(d(percent), 6, even).to_string(),
                rounded,
                "{percent}"
            );
        }
    }

    #[test]
    fn the_iso_table_is_sorted_for_binary_search() {
        assert!(ISO_4217.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, units) in ISO_4217 {
            assert_eq!(
                Currency::from_code(code).unwrap().minor_units(),
                u32::from(*units)
            );
        }
        for bad in ["usd", "UDS", "", "USDX", "EU"] {
            assert!(Currency::from_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rounding_modes_to_the_minor_unit() {
        let usd = Currency::from_code("USD").unwrap();
        let bhd = Currency::from_code("BHD").unwrap();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            usd.round(d("10.005"), Rounding::HalfUp).to_string(),
            "10.01"
        );
        assert_eq!(
            usd.round(d("10.005"), Rounding::HalfEven).to_string(),
            "10.00"
        );
        assert_eq!(usd.round(d("10.001"), Rounding::Up).to_string(), "10.01");
        assert_eq!(usd.round(d("10.009"), Rounding::Down).to_string(), "10.00");
        assert_eq!(
            usd.round(d("12000"), Rounding::HalfUp).to_string(),
            "12000.00"
        );
        assert_eq!(
            bhd.round(d("1.0005"), Rounding::HalfUp).to_string(),
            "1.001"
        );
    }
}
