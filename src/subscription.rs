//! Subscriptions (who is covered by which contract, at what charge) and the charges file
//! (SPEC 2.2).

use crate::contract::parse_date;
use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::input::{
    csv_header, each_record, non_empty, small_str, split_columns, trim, CsvReader, Format, Text,
};
use crate::money::{parse_decimal, Currency, Money};
use crate::period::PeriodId;
use crate::scope::{Interner, Scope};
use crate::yaml::{Located, Seg};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use smol_str::SmolStr;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The prefix of a CSV column holding an attribute.
const ATTRIBUTE: &str = "attr.";

/// Who is covered by which contract, for which scope, at what charge per period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Unique id.
    pub id: SmolStr,
    /// The customer's name.
    pub customer: SmolStr,
    /// The contract's id.
    pub contract: SmolStr,
    /// Scope labels (`region`, `zone`, ...), added to the contract's `applies_to`.
    pub scope: Scope,
    /// Charge per period for the covered service.
    pub fee: Money,
    /// First active day (inclusive, contract's zone).
    pub active_from: Option<NaiveDate>,
    /// Last active day (inclusive, contract's zone).
    pub active_to: Option<NaiveDate>,
    /// Free text that changes no number (account id, resource ids, contact, addressee).
    pub attributes: Attributes,
}

/// Free text about a subscription that changes no number: an account id, resource ids, a
/// contact, an addressee (YAML `attributes:`, CSV columns `attr.NAME`). Its claims carry it, for
/// letters and billing systems. Most subscriptions have none: then it holds no allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes(Option<Arc<BTreeMap<String, String>>>);

impl Attributes {
    /// The attributes of `map` (none when it is empty).
    pub fn new(map: BTreeMap<String, String>) -> Attributes {
        Attributes((!map.is_empty()).then(|| Arc::new(map)))
    }

    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.as_ref()?.get(name).map(String::as_str)
    }

    /// Every attribute, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl serde::Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl Subscription {
    /// A subscription active for all time.
    pub fn new(id: &str, customer: &str, contract: &str, fee: Money) -> Subscription {
        Subscription {
            id: SmolStr::new(id),
            customer: SmolStr::new(customer),
            contract: SmolStr::new(contract),
            scope: Scope::new(),
            fee,
            active_from: None,
            active_to: None,
            attributes: Attributes::default(),
        }
    }

    /// Adds an attribute (free text that changes no number).
    pub fn with_attribute(mut self, name: &str, value: &str) -> Subscription {
        let mut map: BTreeMap<String, String> = self
            .attributes
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        map.insert(name.to_owned(), value.to_owned());
        self.attributes = Attributes::new(map);
        self
    }

    /// Adds a scope label.
    pub fn with_scope(mut self, label: &str, value: &str) -> Subscription {
        self.scope.insert(label, value);
        self
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscription {
    id: String,
    customer: String,
    contract: String,
    scope: Option<BTreeMap<String, RawLabel>>,
    fee: RawFee,
    active: Option<RawActive>,
    attributes: Option<BTreeMap<String, String>>,
}

/// A scope label's value: one, or a list (composite availability, SPEC 2.7).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    One(String),
    Many(Vec<String>),
}

impl RawLabel {
    /// The values as given.
    fn values(&self) -> &[String] {
        match self {
            RawLabel::One(v) => std::slice::from_ref(v),
            RawLabel::Many(v) => v,
        }
    }

    /// The value a scope holds: a list is marked as one ([`crate::scope::LIST`]).
    fn to_value(&self) -> std::borrow::Cow<'_, str> {
        match self {
            RawLabel::One(v) => v.as_str().into(),
            RawLabel::Many(v) => crate::scope::list_of(v.iter().map(String::as_str)).into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFee {
    amount: String,
    currency: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActive {
    from: Option<String>,
    to: Option<String>,
}

/// Checks that `amount` is a fee or charge in `currency`: not negative, no finer than the minor unit.
pub(crate) fn check_amount(text: &str, currency: Currency) -> Result<Decimal, String> {
    check_amount_value(parse_decimal(text)?, currency)
}

/// As [`check_amount`], for an amount already a decimal (a subscription built in code).
pub(crate) fn check_amount_value(amount: Decimal, currency: Currency) -> Result<Decimal, String> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(format!("expected an amount of 0 or more, found {amount}"));
    }
    if amount > crate::money::max_amount() {
        return Err(format!(
            "expected an amount of at most {}, found {amount}",
            crate::money::max_amount()
        ));
    }
    if amount.scale() > currency.minor_units()
        && amount.normalize().scale() > currency.minor_units()
    {
        return Err(format!(
            "{amount} has more decimals than {currency}'s minor unit ({} digits)",
            currency.minor_units()
        ));
    }
    Ok(amount)
}

struct Fields<'a> {
    id: &'a str,
    customer: &'a str,
    contract: &'a str,
    amount: &'a str,
    currency: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

/// A contract's name: held inline when short; a long one is shared by the million subscriptions
/// naming it.
fn contract_name(name: &str, shared: &mut FxHashMap<String, SmolStr>) -> SmolStr {
    if name.len() <= 23 {
        return small_str(name);
    }
    if let Some(c) = shared.get(name) {
        return c.clone();
    }
    let c = SmolStr::new(name);
    shared.insert(name.to_owned(), c.clone());
    c
}

/// Validates one subscription's fields; `at(field)` gives the line of a field.
fn build(
    file: &str,
    f: Fields<'_>,
    scope: Scope,
    attributes: Attributes,
    at: &dyn Fn(&str) -> Option<usize>,
    problems: &mut Problems,
    contracts: &mut FxHashMap<String, SmolStr>,
) -> Option<Subscription> {
    let mut fail = |field: &str, message: String| {
        problems.push(Problem::new(file, message).at(at(field)).field(field))
    };
    let mut ok = true;
    for (field, value) in [
        ("id", f.id),
        ("customer", f.customer),
        ("contract", f.contract),
    ] {
        if trim(value).is_empty() {
            fail(field, format!("expected a non-empty {field}"));
            ok = false;
        }
    }
    let currency = Currency::from_code(trim(f.currency))
        .map_err(|e| fail("currency", e.into()))
        .ok();
    let amount = currency.and_then(|c| check_amount(f.amount, c).map_err(|e| fail("fee", e)).ok());
    let mut date = |field: &str, v: Option<&str>| match non_empty(v) {
        None => Some(None),
        Some(t) => parse_date(t).map(Some).map_err(|e| fail(field, e)).ok(),
    };
    let (from, to) = (date("active_from", f.from), date("active_to", f.to));
    if let (Some(Some(a)), Some(Some(b))) = (from, to) {
        if b < a {
            fail(
                "active_to",
                format!("expected the last active day {b} on or after the first {a}"),
            );
            ok = false;
        }
    }
    for (k, v) in scope.iter() {
        if trim(v).is_empty() || v == "*" {
            fail(
                "scope",
                format!("scope label {k:?} needs a concrete value (not empty or *)"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some(Subscription {
        id: small_str(trim(f.id)),
        customer: small_str(trim(f.customer)),
        contract: contract_name(trim(f.contract), contracts),
        scope,
        fee: Money::new(amount?, currency?),
        active_from: from?,
        active_to: to?,
        attributes,
    })
}

/// Subscriptions with the line each came from.
pub(crate) struct Parsed {
    /// In id byte order (then file order): the order claims are computed and reported in.
    pub(crate) subscriptions: Vec<Subscription>,
    /// The line of each.
    pub(crate) lines: Vec<Option<usize>>,
    /// The label columns of a CSV file.
    pub(crate) labels: Vec<String>,
}

/// Reads subscriptions from YAML or CSV text, in id order; `file` names it in messages and
/// decides the format.
///
/// # Errors
/// [`Error::Invalid`] with every problem found, each located; duplicate ids included.
pub fn parse_subscriptions(file: &str, text: &str) -> Result<Vec<Subscription>, Error> {
    let format = Format::of(file).map_err(Error::problem)?;
    parse_located(file, format, Text::Whole(text)).map(|p| p.subscriptions)
}

/// As [`parse_subscriptions`], in `format` whatever the name, with each subscription's line.
pub(crate) fn parse_located(file: &str, format: Format, text: Text<'_>) -> Result<Parsed, Error> {
    let mut problems = Problems::new();
    let (mut subscriptions, mut lines): (Vec<Subscription>, Vec<Option<usize>>) =
        (Vec::new(), Vec::new());
    let mut scopes = Interner::default();
    let mut contract_names: FxHashMap<String, SmolStr> = FxHashMap::default();
    let mut label_columns = Vec::new();
    match format {
        Format::Csv => {
            let mut reader = text.csv();
            let required = ["id", "customer", "contract", "currency", "fee"];
            if let Some(header) = csv_header(file, &mut reader, &required, &mut problems) {
                const COLUMNS: [&str; 7] = [
                    "id",
                    "customer",
                    "contract",
                    "currency",
                    "fee",
                    "active_from",
                    "active_to",
                ];
                let (columns, named) = split_columns(&header, COLUMNS);
                // `attr.NAME` columns are attributes; the other unknown ones scope labels.
                let (attribute_columns, labels): (Vec<_>, Vec<_>) = named
                    .into_iter()
                    .partition(|(_, h)| h.starts_with(ATTRIBUTE));
                let attribute_columns: Vec<(usize, &str)> = attribute_columns
                    .into_iter()
                    .map(|(i, h)| (i, &h[ATTRIBUTE.len()..]))
                    .collect();
                if attribute_columns
                    .iter()
                    .any(|(_, name)| name.trim().is_empty())
                {
                    problems.push(
                        Problem::new(
                            file,
                            "a column `attr.` needs a name after the point (`attr.account_id`)",
                        )
                        .at(Some(1))
                        .field("attr."),
                    );
                }
                label_columns = labels.iter().map(|&(_, h)| h.to_owned()).collect();
                let rows = reader.lines_estimate();
                subscriptions.reserve(rows);
                lines.reserve(rows);
                each_record(
                    file,
                    &mut reader,
                    &header,
                    &mut problems,
                    |record, line, problems| {
                        let get = |k: usize| columns[k].and_then(|i| record.get(i)).map(trim);
                        let scope = scopes.intern(
                            labels
                                .iter()
                                .map(|&(i, h)| (h, trim(record.get(i).unwrap_or(""))))
                                .filter(|(_, v)| !v.is_empty()),
                        );
                        let attributes = Attributes::new(
                            attribute_columns
                                .iter()
                                .map(|&(i, name)| (name, trim(record.get(i).unwrap_or(""))))
                                .filter(|(_, v)| !v.is_empty())
                                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                                .collect(),
                        );
                        let fields = Fields {
                            id: get(0).unwrap_or(""),
                            customer: get(1).unwrap_or(""),
                            contract: get(2).unwrap_or(""),
                            currency: get(3).unwrap_or(""),
                            amount: get(4).unwrap_or(""),
                            from: get(5),
                            to: get(6),
                        };
                        if let Some(s) = build(
                            file,
                            fields,
                            scope,
                            attributes,
                            &|_| line,
                            problems,
                            &mut contract_names,
                        ) {
                            subscriptions.push(s);
                            lines.push(line);
                        }
                    },
                );
            }
            if let Some(e) = reader.failure() {
                return Err(e);
            }
        }
        Format::Yaml | Format::Json => {
            let text = text.whole()?;
            let doc =
                Located::<Vec<RawSubscription>>::parse(file, &text).map_err(Error::Invalid)?;
            // Each item's line found in one pass, not by walking the text once per item.
            let item_lines = crate::yaml::item_lines(&text, doc.value.len());
            for (i, r) in doc.value.iter().enumerate() {
                let at = |field: &str| {
                    let path: Vec<Seg<'_>> = match field {
                        "fee" | "currency" => vec![Seg::Index(i), Seg::Key("fee")],
                        "active_from" | "active_to" => vec![Seg::Index(i), Seg::Key("active")],
                        f => vec![Seg::Index(i), Seg::Key(f)],
                    };
                    doc.line_of(&path)
                };
                let mut texts: Vec<(&str, &str)> = vec![
                    ("id", &r.id),
                    ("customer", &r.customer),
                    ("contract", &r.contract),
                    ("fee", &r.fee.amount),
                    ("currency", &r.fee.currency),
                ];
                for (k, v) in r.scope.iter().flatten() {
                    texts.push(("scope", k));
                    texts.extend(v.values().iter().map(|v| ("scope", v.as_str())));
                }
                for (k, v) in r.attributes.iter().flatten() {
                    texts.push(("attributes", k));
                    texts.push(("attributes", v));
                }
                let bad: Vec<Problem> = texts
                    .iter()
                    .filter_map(|(field, text)| {
                        let c = crate::input::control_character(text)?;
                        Some(
                            Problem::new(file, format!("{c} in {text:?}; no value may hold one"))
                                .at(at(field))
                                .field(*field),
                        )
                    })
                    .collect();
                if !bad.is_empty() {
                    problems.0.extend(bad);
                    continue;
                }
                let fields = Fields {
                    id: &r.id,
                    customer: &r.customer,
                    contract: &r.contract,
                    amount: &r.fee.amount,
                    currency: &r.fee.currency,
                    from: r.active.as_ref().and_then(|a| a.from.as_deref()),
                    to: r.active.as_ref().and_then(|a| a.to.as_deref()),
                };
                if let Some(s) = build(
                    file,
                    fields,
                    {
                        let values: Vec<(&str, std::borrow::Cow<'_, str>)> = r
                            .scope
                            .iter()
                            .flatten()
                            .map(|(k, v)| (k.as_str(), v.to_value()))
                            .collect();
                        scopes.intern(values.iter().map(|(k, v)| (*k, &**v)))
                    },
                    Attributes::new(r.attributes.clone().unwrap_or_default()),
                    &at,
                    &mut problems,
                    &mut contract_names,
                ) {
                    subscriptions.push(s);
                    lines.push(match &item_lines {
                        Some(l) => l[i],
                        None => doc.line_of(&[Seg::Index(i)]),
                    });
                }
            }
        }
    }
    // In id order, a repeated id follows the first of its kind (the first in the file first);
    // the sort tells where, without comparing a million ids again.
    let sorted = crate::textsort::order_by_text(subscriptions.len(), |i| &subscriptions[i].id);
    crate::textsort::permute_both(&mut subscriptions, &mut lines, sorted.order);
    let (mut first, mut last) = (0, 0);
    for k in sorted.repeats {
        if last + 1 != k {
            first = k - 1;
        }
        last = k;
        let first_line = lines[first]
            .map(|l| format!(" (first on line {l})"))
            .unwrap_or_default();
        problems.push(
            Problem::new(
                file,
                format!(
                    "duplicate subscription id {:?}{first_line}",
                    &*subscriptions[k].id
                ),
            )
            .at(lines[k])
            .field("id"),
        );
    }
    let out = Parsed {
        subscriptions,
        lines,
        labels: label_columns,
    };
    problems.into_result(out)
}

/// Actual charges per subscription and period (SPEC 2.2); they override the fee.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Charges {
    rows: Vec<ChargeRow>,
    by_period: HashMap<(String, PeriodId), usize>,
}

/// One charge and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRow {
    /// Subscription id.
    pub subscription: String,
    /// Period.
    pub period: PeriodId,
    /// The amount billed.
    pub amount: Money,
    /// File it came from (`<memory>` when built in code).
    pub file: String,
    /// Line in that file.
    pub line: Option<usize>,
}

impl Charges {
    /// No charges: every basis comes from the fee.
    pub fn new() -> Charges {
        Charges::default()
    }

    /// Records the charge of `subscription` for `period`, replacing an earlier one.
    pub fn insert(&mut self, subscription: &str, period: PeriodId, amount: Money) {
        self.push(ChargeRow {
            subscription: subscription.to_owned(),
            period,
            amount,
            file: "<memory>".into(),
            line: None,
        });
    }

    fn push(&mut self, row: ChargeRow) {
        let key = (row.subscription.clone(), row.period);
        match self.by_period.get(&key) {
            Some(&i) => self.rows[i] = row,
            None => {
                self.by_period.insert(key, self.rows.len());
                self.rows.push(row);
            }
        }
    }

    /// The charge of `subscription` for `period`, if billed.
    pub fn get(&self, subscription: &str, period: PeriodId) -> Option<Money> {
        // Asked once per subscription and period of a run: no key is built when nothing is billed.
        if self.rows.is_empty() {
            return None;
        }
        self.by_period
            .get(&(subscription.to_owned(), period))
            .map(|&i| self.rows[i].amount)
    }

    /// Every charge, in the order read.
    pub fn rows(&self) -> &[ChargeRow] {
        &self.rows
    }

    /// Reads `subscription,period,amount,currency` CSV.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found, each located.
    pub fn parse_csv(file: &str, text: &str) -> Result<Charges, Error> {
        parse_amounts_csv(file, text).map(|rows| {
            let mut c = Charges::new();
            for r in rows {
                c.push(ChargeRow {
                    subscription: r.subscription,
                    period: r.period,
                    amount: r.amount,
                    file: file.to_owned(),
                    line: r.line,
                });
            }
            c
        })
    }
}

/// One row of a `subscription,period,amount,currency` file (charges, or credits issued).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountRow {
    /// Subscription id.
    pub subscription: String,
    /// Period named in the row.
    pub period: PeriodId,
    /// The amount.
    pub amount: Money,
    /// Its line.
    pub line: Option<usize>,
}

/// Reads a `subscription,period,amount,currency` CSV file; duplicate (subscription, period) rows
/// are errors.
///
/// # Errors
/// [`Error::Invalid`] with every problem found, each located.
pub fn parse_amounts_csv(file: &str, text: &str) -> Result<Vec<AmountRow>, Error> {
    let mut problems = Problems::new();
    let mut out = Vec::new();
    let mut reader = CsvReader::new(text);
    let mut seen: HashMap<(String, PeriodId), Option<usize>> = HashMap::new();
    if let Some(header) = csv_header(
        file,
        &mut reader,
        &["subscription", "period", "amount", "currency"],
        &mut problems,
    ) {
        for extra in header.iter().filter(|h| {
            !matches!(
                h.as_str(),
                "subscription" | "period" | "amount" | "currency"
            )
        }) {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "unknown column {extra:?}; expected subscription,period,amount,currency"
                    ),
                )
                .at_line(1),
            );
        }
        each_record(
            file,
            &mut reader,
            &header,
            &mut problems,
            |record, line, problems| {
                let get = |name: &str| {
                    header
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| record.get(i))
                        .unwrap_or("")
                        .trim()
                };
                let mut fail = |field: &str, m: String| {
                    problems.push(Problem::new(file, m).at(line).field(field))
                };
                let subscription = get("subscription").to_owned();
                if subscription.is_empty() {
                    fail("subscription", "expected a subscription id".to_owned());
                }
                let period = PeriodId::parse(get("period"))
                    .map_err(|e| fail("period", e.into()))
                    .ok();
                let currency = Currency::from_code(get("currency"))
                    .map_err(|e| fail("currency", e.into()))
                    .ok();
                let amount = currency.and_then(|c| {
                    check_amount(get("amount"), c)
                        .map_err(|e| fail("amount", e))
                        .ok()
                });
                if let (Some(period), Some(amount), Some(currency), false) =
                    (period, amount, currency, subscription.is_empty())
                {
                    let key = (subscription.clone(), period);
                    if let Some(first) = seen.get(&key) {
                        let first = first
                            .map(|l| format!(" (first on line {l})"))
                            .unwrap_or_default();
                        fail(
                            "period",
                            format!("duplicate row for {subscription} {period}{first}"),
                        );
                    } else {
                        seen.insert(key, line);
                        out.push(AmountRow {
                            subscription,
                            period,
                            amount: Money::new(amount, currency),
                            line,
                        });
                    }
                }
            },
        );
    }
    problems.into_result(out)
}
