"""Python values as a request: the JSON document `slacredit claim --request` reads.

Each input may be a path (``str`` or ``os.PathLike``), text (:class:`Text`, or a ``str`` of
several lines), or the records themselves: dicts, :class:`Subscription` and :class:`Window`
values, other dataclasses. Money and percents are ``Decimal``, ``int`` or ``str``; a ``float``
is refused, since it cannot hold 99.99 exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
from decimal import Decimal
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from ._errors import ARGUMENTS
from ._types import Subscription, Window, Windows


@dataclasses.dataclass(frozen=True)
class Text:
    """An input's text, in ``format`` ``"csv"``, ``"yaml"`` or ``"json"``; ``name`` is how
    problems name it (default: the argument's name).

    >>> Text("id,customer,contract,currency,fee\\n", "csv").format
    'csv'
    """

    text: str
    format: str = "yaml"
    name: Optional[str] = None


def _guess(text: str, kind: str) -> str:
    """The format of a text given as a plain ``str``."""
    if kind in ("contracts", "map"):
        return "yaml"
    if kind == "charges":
        return "csv"
    first = next((ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    if first.startswith(("[", "{")):
        return "json"
    if first.startswith("-"):
        return "yaml"
    return "csv"


def _plain(value: Any, path: str) -> Any:
    """``value`` as JSON values: decimals and instants as the text the library reads."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        raise TypeError(
            f"{path}: {value!r} is a float, which cannot hold every decimal exactly; "
            "give a decimal.Decimal or a str"
        )
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Subscription) or isinstance(value, Window):
        return _plain(value.record(), path)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value), path)
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{path}: expected a value of a record, found {type(value).__name__}")


def _is_record(value: Any) -> bool:
    if isinstance(value, Text):
        return False
    return isinstance(value, dict) or (dataclasses.is_dataclass(value) and not isinstance(value, type))


def _source(value: Any, kind: str) -> Any:
    """One source: a path, or text."""
    if isinstance(value, Text):
        out: Dict[str, Any] = {"format": value.format, "text": value.text}
        out["name"] = value.name or kind
        return out
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, str):
        if "\n" in value:
            return {"format": _guess(value, kind), "text": value, "name": kind}
        return value
    raise TypeError(f"{kind}: expected a path, a Text, or records, found {type(value).__name__}")


def _input(value: Any, kind: str) -> Any:
    if isinstance(value, Windows):
        value = value.windows
    if _is_record(value) and kind in ("subscriptions", "outages"):
        value = [value]
    if isinstance(value, (list, tuple)):
        if value and all(_is_record(v) for v in value) or not value:
            return [_plain(v, f"{kind}[{i}]") for i, v in enumerate(value)]
        if kind == "subscriptions":
            raise TypeError("subscriptions: expected one source, or a list of records")
        return [_plain(v, f"{kind}[{i}]") if _is_record(v) else _source(v, kind) for i, v in enumerate(value)]
    if _is_record(value):
        return _plain(value, kind)
    return _source(value, kind)


Source = Union[str, "os.PathLike[str]", Text, Sequence[Any], Windows, Dict[str, Any]]


def build(
    *,
    contracts: Any,
    subscriptions: Any,
    outages: Any,
    charges: Any = None,
    period: Optional[str] = None,
    from_: Optional[str] = None,
    to: Optional[str] = None,
    customer: Optional[str] = None,
    subscription: Optional[str] = None,
    breached_only: bool = False,
    credited_only: bool = False,
    input_timezone: Optional[str] = None,
    map: Any = None,
    labels: Optional[Dict[str, str]] = None,
    open_until: Any = None,
    ignore_columns: Sequence[str] = (),
    part: bool = False,
    imports: Sequence[Tuple[str, Any]] = (),
) -> str:
    """The request's JSON text: one record a line, so a problem's line names its record."""
    request: Dict[str, Any] = {
        "contracts": _input(contracts, "contracts"),
        "subscriptions": _input(subscriptions, "subscriptions"),
    }
    outage_list = _input(outages, "outages") if outages is not None else []
    if not isinstance(outage_list, list):
        outage_list = [outage_list]
    for tool, data in imports:
        source = _source(data, "outages")
        if isinstance(source, str):
            source = {"path": source}
        source["import"] = tool
        outage_list.append(source)
    request["outages"] = outage_list
    for key, value in (
        ("period", period),
        ("from", from_),
        ("to", to),
        ("customer", customer),
        ("subscription", subscription),
        ("input_timezone", input_timezone),
    ):
        if value is not None:
            request[key] = value
    if charges is not None:
        request["charges"] = _input(charges, "charges")
    if map is not None:
        request["map"] = _input(map, "map")
    if labels:
        request["labels"] = dict(labels)
    if open_until is not None:
        request["open_until"] = _plain(open_until, "open_until")
    if ignore_columns:
        request["ignore_columns"] = list(ignore_columns)
    for key, flag in (("breached_only", breached_only), ("credited_only", credited_only), ("part", part)):
        if flag:
            request[key] = True
    return json.dumps(request, indent=1, ensure_ascii=False)


NAME = ARGUMENTS
