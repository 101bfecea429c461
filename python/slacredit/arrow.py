"""Claims for volume, as Arrow: subscriptions in as a ``pyarrow.RecordBatch`` or ``Table``,
claims out as a ``pyarrow.Table`` (money ``decimal128``, instants ``timestamp[s, UTC]``).

The subscriptions travel to the library as the CSV a billing export is (``id, customer,
contract, currency, fee``, optional ``active_from, active_to``, every other column a scope
label), and the claims come back as the CSV ``slacredit claim --format csv`` prints, read into
typed columns: no claim is built as a Python object, and nothing is computed twice.

Run from the repository's root::

    import pyarrow as pa, slacredit.arrow
    subs = pa.table({"id": ["shop"], "customer": ["Example Shop Co."],
                     "contract": ["aws-ec2-region-2018"], "currency": ["USD"],
                     "fee": ["120000.00"], "region": ["ap-northeast-2"]})
    claims = slacredit.arrow.compute(subs, "docs/cases/aws-seoul-2018/outages.csv",
                                     period="2018-11")
    claims["credit"]  # [12000.0000]: decimal128(38, 4)
"""

from __future__ import annotations

import io
from typing import Any, Dict, Optional, Union

import pyarrow as pa
import pyarrow.csv as pacsv

from . import _slacredit
from ._request import NAME, Text, build

#: Money (basis, credit): four decimals hold every currency's minor unit exactly.
MONEY = pa.decimal128(38, 4)
#: Minutes and percents: the JSON and CSV print at most six decimals.
FIGURE = pa.decimal128(38, 6)
INSTANT = pa.timestamp("s", tz="UTC")

#: The type of each column of the claims CSV (SPEC 5); the rest are strings.
TYPES: Dict[str, pa.DataType] = {
    "period_start": INSTANT,
    "period_end": INSTANT,
    "eligible_minutes": FIGURE,
    "downtime_minutes": FIGURE,
    "excluded_minutes": FIGURE,
    "uptime_percent": FIGURE,
    "commitment_percent": FIGURE,
    "breached": pa.bool_(),
    "credit_percent": FIGURE,
    "basis": MONEY,
    "credit": MONEY,
    "capped": pa.bool_(),
    "claim_deadline": pa.date32(),
    "next_tier_credit_percent": FIGURE,
    "next_tier_more_downtime_minutes": FIGURE,
    "incidents": pa.int32(),
}

#: The columns of the claims CSV, in order.
COLUMNS = (
    "subscription customer contract period period_start period_end eligible_minutes "
    "downtime_minutes excluded_minutes uptime_percent commitment_percent breached "
    "credit_percent basis credit currency capped claim_deadline note "
    "next_tier_credit_percent next_tier_more_downtime_minutes incidents"
).split()

Subscriptions = Union[pa.RecordBatch, pa.Table]


def schema(columns: Optional[str] = None) -> pa.Schema:
    """The schema of :func:`compute`'s table (``columns``: as ``--columns``)."""
    names = columns.split(",") if columns else COLUMNS
    return pa.schema([(n, TYPES.get(n, pa.string())) for n in names])


def spark_ddl(columns: Optional[str] = None) -> str:
    """The same schema in Spark's DDL, for ``mapInArrow``."""

    def ddl(t: pa.DataType) -> str:
        if pa.types.is_decimal(t):
            return f"decimal({t.precision},{t.scale})"
        return {
            pa.bool_(): "boolean",
            pa.int32(): "int",
            pa.date32(): "date",
            INSTANT: "timestamp",
        }.get(t, "string")

    return ", ".join(f"`{f.name}` {ddl(f.type)}" for f in schema(columns))


def _csv(subscriptions: Subscriptions) -> str:
    """The subscriptions as the CSV of a billing export."""
    sink = io.BytesIO()
    pacsv.write_csv(subscriptions, sink)
    return sink.getvalue().decode("utf-8")


def compute_csv(
    subscriptions: Subscriptions,
    outages: Any,
    contracts: Any = "contracts",
    period: Optional[str] = None,
    from_: Optional[str] = None,
    to: Optional[str] = None,
    *,
    columns: Optional[str] = None,
    credited_only: bool = False,
    breached_only: bool = False,
    input_timezone: Optional[str] = None,
    part: bool = False,
) -> str:
    """The claims as ``slacredit claim --format csv`` prints them, header first.

    ``part=True`` says the subscriptions are one part of the base (a Spark partition): a
    window naming a customer of another part is then no error.
    """
    request = build(
        contracts=contracts,
        subscriptions=Text(_csv(subscriptions), "csv", "subscriptions"),
        outages=outages,
        period=period,
        from_=from_,
        to=to,
        credited_only=credited_only,
        breached_only=breached_only,
        input_timezone=input_timezone,
        part=part,
    )
    return _slacredit.compute_csv(request, NAME, columns)


def read_claims(text: str, columns: Optional[str] = None) -> pa.Table:
    """Claims CSV text (as :func:`compute_csv` gives) as a typed table."""
    types = schema(columns)
    return pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=True,
            # Only an empty cell is missing: a customer called "NA" is a customer.
            null_values=[""],
            true_values=["true"],
            false_values=["false"],
        ),
    ).select(types.names)


def compute(
    subscriptions: Subscriptions,
    outages: Any,
    contracts: Any = "contracts",
    period: Optional[str] = None,
    from_: Optional[str] = None,
    to: Optional[str] = None,
    *,
    columns: Optional[str] = None,
    credited_only: bool = False,
    breached_only: bool = False,
    input_timezone: Optional[str] = None,
    part: bool = False,
) -> pa.Table:
    """The claims of ``subscriptions`` as a typed table (:func:`schema`); arguments as
    :func:`compute_csv`."""
    text = compute_csv(**locals())
    return read_claims(text, columns)
