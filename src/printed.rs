//! The printed forms of numbers, part of the interface (SPEC 5): the same in every report and
//! in the JSON wire format of a claim.

use crate::money::{round_to, Currency, POWERS_OF_TEN};
use rust_decimal::{Decimal, RoundingStrategy};

/// An amount with exactly the currency's minor-unit digits (`12000.00`, KRW `3333333`).
pub fn money(amount: Decimal, currency: Currency) -> String {
    let mut s = Vec::new();
    push_money(&mut s, amount, currency);
    text(s)
}

/// An amount as people read it (letters, tables, pages; never JSON or CSV): at least the
/// currency's minor-unit digits, more where the exact value has them (an amount before
/// rounding), and the whole part grouped by thousands (`12,000.00`, KRW `3,333,333`,
/// `48,250.50`, `12,000.005`).
pub fn for_reading(amount: Decimal, currency: Currency) -> String {
    let mut a = amount.normalize();
    if a.scale() < currency.minor_units() {
        a.rescale(currency.minor_units());
    }
    let text = a.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Uptime with exactly 6 places, rounded half-even (`99.805556`).
pub fn uptime(percent: Decimal) -> String {
    let mut s = Vec::new();
    push_uptime(&mut s, percent);
    text(s)
}

/// Minutes: no decimal point when whole (`84`), else 6 places half-even without trailing zeros
/// (`37.5`, `4.666667`).
pub fn minutes(m: Decimal) -> String {
    let mut s = Vec::new();
    push_minutes(&mut s, m);
    text(s)
}

/// A percent as a normalised decimal (`10`, `2.5`).
pub fn percent(p: Decimal) -> String {
    let mut s = Vec::new();
    push_percent(&mut s, p);
    text(s)
}

/// Bytes written by the `push_*` forms as text: they write only ASCII, and the texts given them.
pub(crate) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

// The push_* forms append bytes to a buffer: reports format millions of numbers, and text
// written byte by byte needs checking only once, when the buffer is done.

pub(crate) fn push_money(out: &mut Vec<u8>, amount: Decimal, currency: Currency) {
    if amount.scale() == currency.minor_units() {
        // Credits and bases are already rounded to the minor unit.
        return push_decimal(out, amount);
    }
    let a = round_to(
        amount,
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    );
    push_decimal(out, a);
}

pub(crate) fn push_uptime(out: &mut Vec<u8>, percent: Decimal) {
    push_decimal(
        out,
        round_to(percent, 6, RoundingStrategy::MidpointNearestEven),
    );
}

pub(crate) fn push_minutes(out: &mut Vec<u8>, m: Decimal) {
    // Whole and short minutes need no rounding, only their trailing zeros dropped.
    let r = if m.scale() <= 6 {
        m.normalize()
    } else {
        round_to(m, 6, RoundingStrategy::MidpointNearestEven).normalize()
    };
    push_normal(out, r);
}

pub(crate) fn push_percent(out: &mut Vec<u8>, p: Decimal) {
    push_normal(out, p.normalize());
}

fn push_normal(out: &mut Vec<u8>, d: Decimal) {
    if d.is_zero() {
        out.push(b'0');
    } else {
        push_decimal(out, d);
    }
}

/// "00" to "99", for printing two digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Appends `d` exactly as its `Display` would, from its mantissa and scale without going through
/// the formatting machinery, which costs a provider's year more than the 5 % a crate's code is
/// allowed: ×1.095 at `compare.sh L` (`docs/performance.md`).
fn push_decimal(out: &mut Vec<u8>, d: Decimal) {
    let scale = d.scale() as usize;
    let m = d.mantissa().unsigned_abs();
    // Written from the right: digits, the point, a sign; then appended at once.
    let mut buf = [0u8; 48];
    let mut at = buf.len();
    let mut put = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    // 128-bit division is slow; amounts, minutes and percents fit in 64 bits: split once at the
    // point, then each side two digits at a time.
    let power = POWERS_OF_TEN
        .get(scale)
        .and_then(|&p| u64::try_from(p).ok());
    match (u64::try_from(m), power) {
        (Ok(small), Some(power)) => {
            // The scales numbers come in (whole minutes and won, cents, six places of a
            // percent) divide by a constant, which costs a multiplication, not a division.
            let (mut whole, mut fraction) = match scale {
                0 => (small, 0),
                2 => (small / 100, small % 100),
                6 => (small / 1_000_000, small % 1_000_000),
                _ => (small / power, small % power),
            };
            if scale > 0 {
                for _ in 0..scale / 2 {
                    let pair = (fraction % 100) as usize * 2;
                    put(DIGIT_PAIRS[pair + 1]);
                    put(DIGIT_PAIRS[pair]);
                    fraction /= 100;
                }
                if scale % 2 == 1 {
                    put(b'0' + fraction as u8);
                }
                put(b'.');
            }
            while whole >= 100 {
                let pair = (whole % 100) as usize * 2;
                put(DIGIT_PAIRS[pair + 1]);
                put(DIGIT_PAIRS[pair]);
                whole /= 100;
            }
            if whole >= 10 {
                let pair = whole as usize * 2;
                put(DIGIT_PAIRS[pair + 1]);
                put(DIGIT_PAIRS[pair]);
            } else {
                put(b'0' + whole as u8);
            }
        }
        _ => {
            let mut big = m;
            let mut n = 0;
            while big > 0 || n <= scale {
                if n == scale && scale > 0 {
                    put(b'.');
                }
                put(b'0' + (big % 10) as u8);
                big /= 10;
                n += 1;
            }
        }
    }
    if d.is_sign_negative() && !d.is_zero() {
        put(b'-');
    }
    out.extend_from_slice(&buf[at..]);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Decimals are printed exactly as `Display` prints them.
        #[test]
        fn decimals_print_as_display(
            mantissa in prop_oneof![-1_000_000i128..1_000_000, -79_228_162_514_264_337_593_543_950_335i128..=79_228_162_514_264_337_593_543_950_335],
            scale in 0u32..=28,
        ) {
            let d = Decimal::from_i128_with_scale(mantissa, scale);
            let mut out = b"x".to_vec();
            push_decimal(&mut out, d);
            prop_assert_eq!(text(out), format!("x{d}"));
        }
    }

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
        assert_eq!(for_reading(d("12000"), usd), "12,000.00");
        assert_eq!(for_reading(d("3333333"), krw), "3,333,333");
        assert_eq!(for_reading(d("48250.5"), usd), "48,250.50");
        assert_eq!(for_reading(d("12000.005"), usd), "12,000.005");
        assert_eq!(for_reading(d("999.00"), usd), "999.00");
        assert_eq!(for_reading(d("-1234567.5"), usd), "-1,234,567.50");
        assert_eq!(for_reading(d("0"), krw), "0");
        for t in [
            "0.001",
            "-1.50",
            "120000.00",
            "0",
            "7",
            "99.000000",
            "-0.5",
            "79228162514264337593543950335",
        ] {
            let mut s = Vec::new();
            push_decimal(&mut s, d(t));
            assert_eq!(text(s), d(t).to_string(), "{t}");
        }
    }
}
