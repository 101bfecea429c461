"""slacredit: SLA breach and compensation calculator — measured outages in, exact credit claims out.

The Rust library inside does the work; this package hands it Python values and returns frozen
dataclasses. Money and percents are ``decimal.Decimal``, instants timezone-aware ``datetime``.
From the repository's root (its ``contracts`` folder):

>>> from decimal import Decimal
>>> import slacredit
>>> result = slacredit.compute(
...     contracts="contracts",
...     subscriptions=[slacredit.Subscription(
...         "shop-ec2-seoul", "Example Shop Co.", "aws-ec2-region-2018",
...         fee=Decimal("120000.00"), currency="USD", scope={"region": "ap-northeast-2"})],
...     outages=[{"start": "2018-11-22T08:19:00+09:00", "end": "2018-11-22T09:43:00+09:00",
...               "region": "ap-northeast-2"}],
...     period="2018-11")
>>> result[0].credit
Decimal('12000.00')
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from . import _slacredit, _types
from ._errors import InvalidInput, Problem
from ._request import NAME as _NAME
from ._request import Text, build as _build
from ._types import (
    Audit,
    AuditRow,
    Claim,
    Claims,
    ContractTotal,
    EarnBack,
    Finding,
    Incident,
    InputFile,
    NextTier,
    Reconciliation,
    Subscription,
    Total,
    Window,
    Windows,
)

__all__ = [
    "compute",
    "import_windows",
    "audit",
    "reconcile",
    "request",
    "InvalidInput",
    "Problem",
    "Text",
    "Subscription",
    "Window",
    "Windows",
    "Claim",
    "Claims",
    "EarnBack",
    "Incident",
    "NextTier",
    "Total",
    "InputFile",
    "Audit",
    "AuditRow",
    "ContractTotal",
    "Reconciliation",
    "Finding",
    "__version__",
]

#: The library's version, as its reports print it in ``tool``.
__version__ = _slacredit.tool().split(" ", 1)[1]


def request(**inputs: Any) -> str:
    """The JSON request :func:`compute` sends for these arguments: what ``slacredit claim
    --request -`` reads, to reproduce a call with the command."""
    return _build(**inputs)


def compute(
    contracts: Any = "contracts",
    subscriptions: Any = None,
    outages: Any = None,
    period: Optional[str] = None,
    from_: Optional[str] = None,
    to: Optional[str] = None,
    charges: Any = None,
    *,
    customer: Optional[str] = None,
    subscription: Optional[str] = None,
    breached_only: bool = False,
    credited_only: bool = False,
    input_timezone: Optional[str] = None,
    imports: Sequence[Tuple[str, Any]] = (),
    map: Any = None,
    labels: Optional[Dict[str, str]] = None,
    open_until: Any = None,
    ignore_columns: Sequence[str] = (),
) -> Claims:
    """The credit claims of every selected subscription and period.

    Each input is a path, text (:class:`Text` or a multi-line ``str``), or records:
    ``contracts`` a folder, files, YAML texts or dicts; ``subscriptions`` a file, text, or a
    list of :class:`Subscription` or dicts; ``outages`` files, texts, or a list of
    :class:`Window` or dicts (or the :class:`Windows` :func:`import_windows` returns);
    ``imports`` other tools' data as ``(format, path or text)``. ``period`` (``"2018-11"``,
    ``"2018-Q4"``, ``"2018"``) or ``from_`` and ``to``; default: every period the windows
    touch.

    Raises :class:`InvalidInput` listing every problem found, located (file, line, field).

    From the repository's root:

    >>> result = compute(subscriptions="docs/cases/aws-seoul-2018/subscriptions.yaml",
    ...                  outages="docs/cases/aws-seoul-2018/outages.csv")
    >>> [(t.currency, t.credit) for t in result.totals]
    [('KRW', Decimal('3333333')), ('USD', Decimal('16870.05'))]
    """
    text = _build(**_arguments(locals()))
    document, doc, each = _slacredit.compute(text, _NAME)
    return _types.claims(document, doc, each)


def audit(
    year: int,
    contracts: Any = "contracts",
    subscriptions: Any = None,
    outages: Any = None,
    charges: Any = None,
    *,
    input_timezone: Optional[str] = None,
    imports: Sequence[Tuple[str, Any]] = (),
    map: Any = None,
    labels: Optional[Dict[str, str]] = None,
    open_until: Any = None,
) -> Audit:
    """The yearly audit: every subscription and period of ``year``, credits before and after
    caps, totals per currency and per contract, the inputs' fingerprints. Inputs as
    :func:`compute`."""
    text = _build(**_arguments(locals()))
    document, doc = _slacredit.audit(text, _NAME, year)
    return _types.audit(document, doc)


def reconcile(
    year: int,
    issued: Union[str, Text],
    contracts: Any = "contracts",
    subscriptions: Any = None,
    outages: Any = None,
    charges: Any = None,
    *,
    input_timezone: Optional[str] = None,
    imports: Sequence[Tuple[str, Any]] = (),
    map: Any = None,
    labels: Optional[Dict[str, str]] = None,
    open_until: Any = None,
) -> Reconciliation:
    """The credits computed for ``year`` against the credits ``issued`` (a CSV file's path or
    text: ``subscription,period,amount,currency``): missing, short and excess ones."""
    issued_name, issued_text = _read(issued, "issued")
    text = _build(**_arguments(locals()))
    document, doc, _ = _slacredit.reconcile(text, _NAME, year, issued_name, issued_text)
    return _types.reconciliation(document, doc)


def _arguments(given: Dict[str, Any]) -> Dict[str, Any]:
    """Of a function's arguments (its ``locals()``), those that go into the request: every
    public function takes the inputs under the names the request builder does."""
    return {k: v for k, v in given.items() if k in _REQUEST_ARGUMENTS}


_REQUEST_ARGUMENTS = set(inspect.signature(_build).parameters)


def _read(value: Any, name: str) -> Tuple[str, str]:
    """A file's name and text, or a text and the name to call it by."""
    import os

    if isinstance(value, Text):
        return value.name or name, value.text
    if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
        return name, value
    if isinstance(value, (str, os.PathLike)) and "\n" not in str(value):
        path = os.fspath(value)
        with open(path, encoding="utf-8") as f:
            return path, f.read()
    if isinstance(value, str):
        return name, value
    raise TypeError(f"{name}: expected a path or a Text, found {type(value).__name__}")


def import_windows(
    format: str,
    data: Any,
    map: Any = None,
    *,
    labels: Optional[Dict[str, str]] = None,
    open_until: Any = None,
    input_timezone: Optional[str] = None,
    source: Optional[str] = None,
) -> Windows:
    """Another tool's outage data as windows, as ``slacredit import`` converts it.

    ``format``: statuspage, alertmanager, prometheus, aws-health, gcp-status, uptimerobot or
    pingdom; ``data`` a path or the document's text; ``map`` (path or YAML text) maps the
    tool's names to scope labels. The windows can be passed to :func:`compute` as
    ``outages``.
    """
    import datetime as _dt

    name, text = _read(data, format)
    map_pair = _read(map, "map") if map is not None else None
    until = open_until.isoformat() if isinstance(open_until, _dt.datetime) else open_until
    csv, json_text, items, notes = _slacredit.import_windows(
        format,
        name,
        text,
        map_pair,
        sorted((labels or {}).items()),
        until,
        input_timezone,
        source,
    )
    return _types.windows(csv, json_text, items, notes)
