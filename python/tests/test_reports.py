"""import_windows(), audit(), reconcile(): the command's documents, typed."""

import json
from decimal import Decimal

import pytest

import slacredit
from conftest import CASE

PROBES = str(CASE / "sources" / "probes-prometheus.json")
MAP = str(CASE / "sources" / "map.yaml")


def test_imported_windows_are_the_commands(run):
    windows = slacredit.import_windows("prometheus", PROBES, map=MAP)
    assert windows.to_csv() == run("import", "prometheus", PROBES, "--map", MAP)
    (w,) = windows
    # The probe failed from 23:21 to 01:01 UTC: 100 minutes, fully down.
    assert (w.end - w.start).total_seconds() == 100 * 60
    assert w.impact == Decimal("1")
    assert w.labels == {"region": "ap-northeast-2", "service": "ec2"}
    assert w.source == "prometheus"


def test_imported_windows_compute_as_the_commands_import(run):
    windows = slacredit.import_windows("prometheus", PROBES, map=MAP)
    by_values = slacredit.compute(subscriptions=str(CASE / "subscriptions.yaml"), outages=windows)
    by_import = slacredit.compute(
        subscriptions=str(CASE / "subscriptions.yaml"),
        outages=[],
        imports=[("prometheus", PROBES)],
        map=MAP,
    )
    printed = json.loads(
        run("claim", "--subscriptions", str(CASE / "subscriptions.yaml"),
            "--outages", f"prometheus:{PROBES}", "--map", MAP, "--format", "json")
    )
    assert [c.credit for c in by_values] == [c.credit for c in by_import]
    assert json.loads(by_import.to_json())["claims"] == printed["claims"]
    # 100 minutes: stream's 48,250.50 earns 10 %.
    stream = next(c for c in by_values if c.subscription == "stream-ec2-seoul")
    assert stream.credit == Decimal("4825.05")


def test_a_bad_import_lists_its_items():
    with pytest.raises(slacredit.InvalidInput) as caught:
        slacredit.import_windows("statuspage", '{"incidents": [{"id": 7}]}')
    assert caught.value.problems[0].file == "statuspage"
    assert "incidents[0]" in str(caught.value)


def test_the_audit_is_the_commands(run):
    audit = slacredit.audit(2018, subscriptions=str(CASE / "subscriptions.yaml"),
                            outages=str(CASE / "outages.csv"))
    printed = json.loads(run("audit", str(CASE), "--year", "2018", "--format", "json"))
    mine = json.loads(audit.to_json())
    assert mine["rows"] == printed["rows"]
    assert mine["totals_by_contract"] == printed["totals_by_contract"]
    # 5 subscriptions x 12 months, less the newcomer's ten before it started on 2018-11-16.
    assert len(audit.rows) == 50
    assert [(t.currency, t.credit) for t in audit.totals] == [
        ("KRW", Decimal("3333333")),
        ("USD", Decimal("16870.05")),
    ]
    exchange = next(r for r in audit.rows if r.claim.subscription == "exchange-ec2-seoul"
                    and r.claim.period == "2018-11")
    assert exchange.credit_before_caps == Decimal("3333333")


def test_reconcile_finds_what_was_not_credited():
    issued = slacredit.Text(
        "subscription,period,amount,currency\nshop-ec2-seoul,2018-11,100.00,USD\n",
        "csv",
        "issued.csv",
    )
    result = slacredit.reconcile(2018, issued, subscriptions=str(CASE / "subscriptions.yaml"),
                                 outages=str(CASE / "outages.csv"))
    assert not result.reconciled
    shop = next(f for f in result.findings if f.subscription == "shop-ec2-seoul")
    # 12,000.00 computed, 100.00 issued: 11,900.00 short, on the file's second line.
    assert (shop.kind, shop.computed, shop.issued, shop.difference, shop.issued_line) == (
        "short", Decimal("12000.00"), Decimal("100.00"), Decimal("-11900.00"), 2)
    assert sorted(f.kind for f in result.findings) == ["missing", "missing", "missing", "short"]
    assert json.loads(result.to_json())["inputs"][-1]["path"] == "issued.csv"
