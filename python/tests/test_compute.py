"""compute(): values, paths and texts in; typed, frozen claims out, equal to the command's."""

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

import slacredit
from conftest import CASE


def test_the_seoul_example_in_ten_lines():
    # SPEC 7: 84 minutes of November's 43,200 -> 99.805556 % < 99.99 -> 10 % of 120,000.00.
    result = slacredit.compute(
        contracts="contracts",
        subscriptions=[slacredit.Subscription(
            "shop-ec2-seoul", "Example Shop Co.", "aws-ec2-region-2018",
            fee=Decimal("120000.00"), currency="USD", scope={"region": "ap-northeast-2"})],
        outages=[{"start": "2018-11-22T08:19:00+09:00", "end": "2018-11-22T09:43:00+09:00",
                  "region": "ap-northeast-2"}],
        period="2018-11")
    assert result[0].credit == Decimal("12000.00")
    assert str(result[0].credit) == "12000.00"
    claim = result[0]
    assert claim.uptime_percent == Decimal("99.805556")
    assert claim.downtime_minutes == Decimal("84")
    assert claim.next_tier.more_downtime_minutes == Decimal("349")
    assert claim.claim_deadline == dt.date(2019, 1, 31)
    # The incident in UTC: 08:19 KST is 23:19 the day before.
    assert claim.incidents[0].start == dt.datetime(2018, 11, 21, 23, 19, tzinfo=dt.timezone.utc)
    assert claim.period_start.utcoffset() == dt.timedelta(0)
    assert result.totals == (slacredit.Total("USD", Decimal("12000.00")),)


def test_claims_are_frozen():
    result = slacredit.compute(
        subscriptions=str(CASE / "subscriptions.yaml"), outages=str(CASE / "outages.csv")
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result[0].credit = Decimal("0")


def test_paths_give_the_commands_json(run):
    # The case folder's customers under both sources' windows (102 minutes merged).
    result = slacredit.compute(
        subscriptions=str(CASE / "subscriptions.yaml"), outages=[str(CASE / "outages.csv")]
    )
    printed = json.loads(run("claim", str(CASE), "--format", "json"))
    mine = json.loads(result.to_json())
    assert mine["claims"] == printed["claims"]
    assert mine["totals"] == printed["totals"]
    # The request (the values given) is fingerprinted first, then the same files.
    assert [i["path"] for i in mine["inputs"][1:]] == [i["path"] for i in printed["inputs"]]
    assert [(t.currency, t.credit) for t in result.totals] == [
        ("KRW", Decimal("3333333")),
        ("USD", Decimal("16870.05")),
    ]
    # Each claim's own object is the document's element, as the library serialises it.
    assert json.loads(result[0].to_json()) == printed["claims"][0]
    assert result[0].subscription == "exchange-ec2-seoul"
    assert result[0].credit == Decimal("3333333")


def test_texts_and_records_mix():
    subscriptions = slacredit.Text(
        "id,customer,contract,currency,fee,region\n"
        "shop,Example Shop Co.,aws-ec2-region-2018,USD,48250.50,ap-northeast-2\n",
        "csv",
    )
    outages = "start,end,region\n2018-11-21T23:21:00Z,2018-11-22T01:01:00Z,ap-northeast-2\n"
    result = slacredit.compute(subscriptions=subscriptions, outages=outages, period="2018-11")
    # 100 minutes: 99.768519 % -> 10 % of 48,250.50 = 4,825.05.
    assert result[0].downtime_minutes == Decimal("100")
    assert result[0].uptime_percent == Decimal("99.768519")
    assert result[0].credit == Decimal("4825.05")


def test_windows_and_datetimes_as_values():
    kst = dt.timezone(dt.timedelta(hours=9))
    window = slacredit.Window(
        start=dt.datetime(2018, 11, 22, 8, 19, tzinfo=kst),
        end=dt.datetime(2018, 11, 22, 9, 43, tzinfo=kst),
        labels={"region": "ap-northeast-2"},
        impact=Decimal("0.5"),
    )
    result = slacredit.compute(
        subscriptions=[{"id": "s", "customer": "c", "contract": "aws-ec2-region-2018",
                        "scope": {"region": "ap-northeast-2"},
                        "fee": {"amount": Decimal("1000.00"), "currency": "USD"}}],
        outages=[window],
        period="2018-11",
    )
    # Half an outage for 84 minutes counts 42.
    assert result[0].downtime_minutes == Decimal("42")
    assert result[0].credit == Decimal("100.00")


def test_a_float_is_refused_before_anything_runs():
    with pytest.raises(TypeError, match="float"):
        slacredit.compute(
            subscriptions=[{"id": "s", "customer": "c", "contract": "aws-ec2-region-2018",
                            "fee": {"amount": 99.99, "currency": "USD"}}],
            outages=[],
        )


def test_every_problem_is_listed_with_its_place():
    with pytest.raises(slacredit.InvalidInput) as caught:
        slacredit.compute(
            subscriptions=[
                {"id": "a", "customer": "c", "contract": "aws-ec2-region-2018",
                 "fee": {"amount": "1.001", "currency": "USD"}},
                {"id": "b", "customer": "c", "contract": "aws-ec2-region-2018",
                 "fee": {"amount": "1.00", "currency": "USDX"}},
            ],
            outages=slacredit.Text("start,end\n2018-11-02T00:00:00Z,2018-11-01T00:00:00Z\n", "csv", "probes.csv"),
        )
    problems = caught.value.problems
    assert [(p.file, p.field) for p in problems] == [
        ("<arguments>", "subscriptions[0].fee"),
        ("<arguments>", "subscriptions[1].currency"),
        ("probes.csv", "end"),
    ]
    assert problems[2].line == 2
    assert "1.001 has more decimals than USD's minor unit" in problems[0].message
    assert str(problems[2]).startswith("probes.csv:2: end: expected end")
    assert str(caught.value).endswith("3 problems found")


def test_a_missing_file_is_an_os_error():
    with pytest.raises(OSError, match="no-such.csv"):
        slacredit.compute(subscriptions="no-such.csv", outages=str(CASE / "outages.csv"))


def test_the_request_is_what_the_command_reads(run):
    text = slacredit.request(
        contracts="contracts",
        subscriptions=str(CASE / "subscriptions.yaml"),
        outages=str(CASE / "outages.csv"),
        period="2018-11",
    )
    printed = json.loads(run("claim", "--request", "-", input=text))
    assert printed["totals"][1] == {"currency": "USD", "credit": "16870.05"}


def test_contracts_and_charges_as_values():
    # The contract as a dict (its YAML's shape), and the period's actual charges as CSV text:
    # 84 minutes -> 99.805556 % < 99.99 -> 10 % of the charged 50,000.00 = 5,000.00.
    contract = {
        "id": "aws-ec2-region-2018", "period": "month", "timezone": "UTC", "commitment": "99.99",
        "credits": {"tiers": [{"below": "99.99", "percent": "10"}, {"below": "99.0", "percent": "30"}]},
    }
    result = slacredit.compute(
        contracts=[contract],
        subscriptions=[slacredit.Subscription("shop", "Example Shop Co.", "aws-ec2-region-2018",
                                              fee=Decimal("120000.00"), currency="USD")],
        outages=[{"start": "2018-11-21T23:19:00Z", "end": "2018-11-22T00:43:00Z"}],
        charges="subscription,period,amount,currency\nshop,2018-11,50000.00,USD\n",
        period="2018-11",
    )
    assert (result[0].basis, result[0].credit) == (Decimal("50000.00"), Decimal("5000.00"))


def test_earn_back_and_composite_zones():
    # Earn-back over two months (SPEC 2.7): an hour down in January and in April 2018 at 10 %
    # below 99.9 %. February and March met the commitment: January's 100.00 is forgiven; April's
    # is pending (May and June are not asked for). Totals: 100.00, of which pending 100.00.
    contract = slacredit.Text(
        "id: eb\nperiod: month\ntimezone: UTC\ncommitment: 99.9\n"
        "downtime:\n  composite: { label: zone, at_least: 2 }\n"
        "credits:\n  tiers: [{ below: 99.9, percent: 10 }]\n  earn_back: { periods: 2 }\n",
        "yaml", "eb.yaml")
    outages = ("start,end,zone\n2018-01-05T00:00:00Z,2018-01-05T01:00:00Z,a\n"
               "2018-01-05T00:00:00Z,2018-01-05T01:00:00Z,b\n"
               "2018-04-05T00:00:00Z,2018-04-05T01:00:00Z,*\n")
    result = slacredit.compute(
        contracts=[contract],
        subscriptions=[slacredit.Subscription(
            "s1", "ACME", "eb", fee=Decimal("1000.00"), currency="EUR",
            scope={"zone": ["a", "b"]})],
        outages=outages, from_="2018-01", to="2018-04")
    january, april = result[0], result[3]
    assert january.credit == Decimal("0.00")
    assert january.credit_before_earn_back == Decimal("100.00")
    assert january.earn_back == slacredit.EarnBack("forgiven", "2018-03")
    assert april.earn_back == slacredit.EarnBack("pending", None)
    assert result[1].earn_back is None
    assert result.totals == (slacredit.Total("EUR", Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),)
