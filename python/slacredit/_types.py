"""What the functions return: frozen dataclasses over the library's JSON documents.

Money, percents and minutes are ``decimal.Decimal`` with the digits the JSON prints (USD
``Decimal('12000.00')``, KRW ``Decimal('3333333')``); instants are timezone-aware
``datetime`` in UTC; days are ``date``. Each result's ``to_json()`` is the document the
command prints, byte for byte.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, Iterator, Mapping, Optional, Sequence, Tuple, Union, overload


@dataclass(frozen=True)
class InputFile:
    """An input file and the SHA-256 of its bytes (a request holding values is one too)."""

    path: str
    sha256: str


@dataclass(frozen=True)
class NextTier:
    """The next higher credit, and the fewest more minutes of downtime that reach it."""

    credit_percent: Decimal
    more_downtime_minutes: Decimal


@dataclass(frozen=True)
class Incident:
    """An incident overlapping the period's eligible time."""

    start: _dt.datetime
    end: _dt.datetime
    downtime_minutes: Decimal
    references: Tuple[str, ...]
    deadline: Optional[_dt.date]


@dataclass(frozen=True)
class EarnBack:
    """Where a credit under an earn-back clause stands: ``pending``, ``due`` or ``forgiven``,
    and the period that decided it (None while pending)."""

    status: str
    decided_in: Optional[str]


@dataclass(frozen=True)
class Claim:
    """The credit claim of one subscription for one period (``slacredit/claims/v1``)."""

    subscription: str
    customer: str
    contract: str
    period: str
    period_start: _dt.datetime
    period_end: _dt.datetime
    eligible_minutes: Decimal
    downtime_minutes: Decimal
    excluded_minutes: Decimal
    uptime_percent: Decimal
    commitment_percent: Decimal
    breached: bool
    credit_percent: Optional[Decimal]
    basis: Decimal
    credit: Decimal
    currency: str
    capped: bool
    claim_deadline: Optional[_dt.date]
    note: Optional[str]
    next_tier: Optional[NextTier]
    incidents: Tuple[Incident, ...]
    attributes: Mapping[str, str] = field(default_factory=dict)
    #: Under an earn-back contract with a credit: where it stands (SPEC 2.7).
    earn_back: Optional[EarnBack] = None
    #: Under an earn-back contract: the credit before earn-back.
    credit_before_earn_back: Optional[Decimal] = None
    _json: str = field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The claim's object in the JSON wire format, as the library serialises it."""
        return self._json


@dataclass(frozen=True)
class Total:
    """The credits of one currency, added up."""

    currency: str
    credit: Decimal
    #: Of which due and pending under earn-back, where a contract of the run has it.
    due: Optional[Decimal] = None
    pending: Optional[Decimal] = None


@dataclass(frozen=True)
class Claims:
    """Claims sorted by subscription then period, totals per currency, the inputs read.

    A sequence of its claims: ``result[0].credit``, ``len(result)``, ``for c in result``.
    """

    claims: Tuple[Claim, ...]
    totals: Tuple[Total, ...]
    inputs: Tuple[InputFile, ...]
    _json: str = field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The ``slacredit/claims/v1`` document, byte for byte as ``slacredit claim
        --format json`` prints it for the same inputs."""
        return self._json

    def __len__(self) -> int:
        return len(self.claims)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    @overload
    def __getitem__(self, i: int) -> Claim: ...

    @overload
    def __getitem__(self, i: slice) -> Tuple[Claim, ...]: ...

    def __getitem__(self, i: Any) -> Any:
        return self.claims[i]


@dataclass(frozen=True)
class AuditRow:
    """One subscription and period of the audited year: its claim, and the caps' account."""

    claim: Claim
    credit_before_caps: Decimal
    annual_cap_remaining: Optional[Decimal]


@dataclass(frozen=True)
class ContractTotal:
    """One contract's periods, breaches, capped periods and credits in one currency."""

    contract: str
    currency: str
    periods: int
    breached: int
    capped: int
    credit: Decimal


@dataclass(frozen=True)
class Audit:
    """The yearly audit (``slacredit/audit/v1``): every subscription and period of the year."""

    year: int
    inputs: Tuple[InputFile, ...]
    rows: Tuple[AuditRow, ...]
    totals: Tuple[Total, ...]
    totals_by_contract: Tuple[ContractTotal, ...]
    _json: str = field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The document ``slacredit audit --format json`` prints for the same inputs."""
        return self._json


@dataclass(frozen=True)
class Finding:
    """A credit computed and issued differently: ``missing``, ``short`` or ``excess``."""

    kind: str
    subscription: str
    period: str
    currency: str
    computed: Optional[Decimal]
    issued: Optional[Decimal]
    difference: Decimal
    issued_line: Optional[int]


@dataclass(frozen=True)
class Reconciliation:
    """Credits computed against credits issued (``slacredit/reconcile/v1``)."""

    year: int
    inputs: Tuple[InputFile, ...]
    reconciled: bool
    claims: int
    issued_rows: int
    findings: Tuple[Finding, ...]
    _json: str = field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The document ``slacredit reconcile --format json`` prints for the same inputs."""
        return self._json


#: A window's fields; every other key of a window is a scope label.
WINDOW_FIELDS = ("start", "end", "impact", "cause", "reference", "source", "announced_at", "customers")


@dataclass(frozen=True)
class Window:
    """A measured outage window: ``labels`` is its scope (``{"region": "ap-northeast-2"}``).

    Windows can be given to :func:`slacredit.compute` as ``outages``.
    """

    start: _dt.datetime
    end: _dt.datetime
    labels: Mapping[str, str] = field(default_factory=dict)
    impact: Optional[Decimal] = None
    cause: Optional[str] = None
    reference: Optional[str] = None
    source: Optional[str] = None
    announced_at: Optional[_dt.datetime] = None
    customers: Tuple[str, ...] = ()

    def record(self) -> Dict[str, Any]:
        """The window as a record of an outages file (labels as keys of their own)."""
        out: Dict[str, Any] = {"start": self.start, "end": self.end}
        for name in ("impact", "cause", "reference", "source", "announced_at"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.customers:
            out["customers"] = list(self.customers)
        out.update(self.labels)
        return out


@dataclass(frozen=True)
class Windows:
    """Imported windows, in the order ``slacredit import`` writes them; a sequence of them.

    ``to_csv()`` and ``to_json()`` are the files ``slacredit import`` writes.
    """

    windows: Tuple[Window, ...]
    notes: Tuple[str, ...]
    _csv: str = field(default="", repr=False, compare=False)
    _json: str = field(default="", repr=False, compare=False)

    def to_csv(self) -> str:
        """The windows as an outages CSV file."""
        return self._csv

    def to_json(self) -> str:
        """The windows as an outages JSON file."""
        return self._json

    def __len__(self) -> int:
        return len(self.windows)

    def __iter__(self) -> Iterator[Window]:
        return iter(self.windows)

    def __getitem__(self, i: int) -> Window:
        return self.windows[i]


@dataclass(frozen=True)
class Subscription:
    """Who is covered by which contract, for which scope, at what fee per period.

    >>> Subscription("shop", "Example Shop Co.", "aws-ec2-region-2018",
    ...              fee=Decimal("120000.00"), currency="USD",
    ...              scope={"region": "ap-northeast-2"}).record()["fee"]
    {'amount': Decimal('120000.00'), 'currency': 'USD'}
    """

    id: str
    customer: str
    contract: str
    fee: Decimal
    currency: str
    #: A label's value, or a list of values for a contract's composite label (SPEC 2.7).
    scope: Mapping[str, Union[str, Sequence[str]]] = field(default_factory=dict)
    active_from: Optional[_dt.date] = None
    active_to: Optional[_dt.date] = None
    attributes: Mapping[str, str] = field(default_factory=dict)

    def record(self) -> Dict[str, Any]:
        """The subscription as a record of a subscriptions file."""
        out: Dict[str, Any] = {
            "id": self.id,
            "customer": self.customer,
            "contract": self.contract,
            "fee": {"amount": self.fee, "currency": self.currency},
        }
        if self.scope:
            out["scope"] = {k: v if isinstance(v, str) else list(v) for k, v in self.scope.items()}
        active = {k: v for k, v in (("from", self.active_from), ("to", self.active_to)) if v}
        if active:
            out["active"] = active
        if self.attributes:
            out["attributes"] = dict(self.attributes)
        return out


def _inputs(values: Any) -> Tuple[InputFile, ...]:
    return tuple(InputFile(**v) for v in values)


def _claim(d: Mapping[str, Any], text: str = "") -> Claim:
    tier = d.get("next_tier")
    return Claim(
        subscription=d["subscription"],
        customer=d["customer"],
        contract=d["contract"],
        period=d["period"],
        period_start=d["period_start"],
        period_end=d["period_end"],
        eligible_minutes=d["eligible_minutes"],
        downtime_minutes=d["downtime_minutes"],
        excluded_minutes=d["excluded_minutes"],
        uptime_percent=d["uptime_percent"],
        commitment_percent=d["commitment_percent"],
        breached=d["breached"],
        credit_percent=d["credit_percent"],
        basis=d["basis"],
        credit=d["credit"],
        currency=d["currency"],
        capped=d["capped"],
        claim_deadline=d["claim_deadline"],
        note=d["note"],
        next_tier=NextTier(**tier) if tier else None,
        incidents=tuple(
            Incident(
                start=i["start"],
                end=i["end"],
                downtime_minutes=i["downtime_minutes"],
                references=tuple(i["references"]),
                deadline=i["deadline"],
            )
            for i in d["incidents"]
        ),
        attributes=dict(d.get("attributes") or {}),
        earn_back=EarnBack(**d["earn_back"]) if d.get("earn_back") else None,
        credit_before_earn_back=d.get("credit_before_earn_back"),
        _json=text,
    )


def claims(text: str, doc: Mapping[str, Any], each: Any) -> Claims:
    return Claims(
        claims=tuple(_claim(d, t) for d, t in zip(doc["claims"], each)),
        totals=tuple(Total(**t) for t in doc["totals"]),
        inputs=_inputs(doc["inputs"]),
        _json=text,
    )


def audit(text: str, doc: Mapping[str, Any]) -> Audit:
    return Audit(
        year=doc["year"],
        inputs=_inputs(doc["inputs"]),
        rows=tuple(
            AuditRow(
                claim=_claim(r),
                credit_before_caps=r["credit_before_caps"],
                annual_cap_remaining=r["annual_cap_remaining"],
            )
            for r in doc["rows"]
        ),
        totals=tuple(Total(**t) for t in doc["totals"]),
        totals_by_contract=tuple(ContractTotal(**t) for t in doc["totals_by_contract"]),
        _json=text,
    )


def reconciliation(text: str, doc: Mapping[str, Any]) -> Reconciliation:
    return Reconciliation(
        year=doc["year"],
        inputs=_inputs(doc["inputs"]),
        reconciled=doc["reconciled"],
        claims=doc["claims"],
        issued_rows=doc["issued_rows"],
        findings=tuple(Finding(**f) for f in doc["findings"]),
        _json=text,
    )


def windows(csv: str, text: str, items: Any, notes: Any) -> Windows:
    out = []
    for w in items:
        out.append(
            Window(
                start=w["start"],
                end=w["end"],
                labels={k: v for k, v in w.items() if k not in WINDOW_FIELDS},
                impact=w.get("impact"),
                cause=w.get("cause"),
                reference=w.get("reference"),
                source=w.get("source"),
                announced_at=w.get("announced_at"),
                customers=tuple(w.get("customers") or ()),
            )
        )
    return Windows(windows=tuple(out), notes=tuple(notes), _csv=csv, _json=text)
