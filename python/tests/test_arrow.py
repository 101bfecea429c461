"""The Arrow path, and the Spark example in local mode on the benchmark's S dataset."""

import datetime as dt
import os
import pathlib
import subprocess
import sys
from decimal import Decimal

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import slacredit.arrow
from conftest import CASE, ROOT


def seoul_table():
    return pa.table({
        "id": ["shop-ec2-seoul", "exchange-ec2-seoul"],
        "customer": ["Example Shop Co.", "Example Crypto Exchange Inc."],
        "contract": ["aws-ec2-region-2018"] * 2,
        "currency": ["USD", "KRW"],
        # One decimal column for both currencies: KRW's 33333333.00 has no cents, so it is
        # an amount in won.
        "fee": pa.array([Decimal("120000.00"), Decimal("33333333.00")], pa.decimal128(12, 2)),
        "region": ["ap-northeast-2"] * 2,
    })


def test_typed_claims_from_a_table():
    table = slacredit.arrow.compute(seoul_table(), str(CASE / "outages.csv"), period="2018-11")
    assert table.schema == slacredit.arrow.schema()
    rows = {r["subscription"]: r for r in table.to_pylist()}
    shop, exchange = rows["shop-ec2-seoul"], rows["exchange-ec2-seoul"]
    # 102 minutes (both sources merged): 99.763889 % -> 10 %.
    assert shop["credit"] == Decimal("12000.00")
    assert exchange["credit"] == Decimal("3333333")
    assert shop["uptime_percent"] == Decimal("99.763889")
    assert table.schema.field("credit").type == pa.decimal128(38, 4)
    assert shop["period_start"] == dt.datetime(2018, 11, 1, tzinfo=dt.timezone.utc)
    assert table.schema.field("period_start").type == pa.timestamp("s", tz="UTC")
    assert shop["claim_deadline"] == dt.date(2019, 1, 31)
    assert shop["note"] is None
    assert shop["incidents"] == 1


def test_a_record_batch_gives_the_commands_csv(run, tmp_path):
    batch = seoul_table().to_batches()[0]
    text = slacredit.arrow.compute_csv(batch, str(CASE / "outages.csv"), period="2018-11")
    subs = tmp_path / "subs.csv"
    pacsv.write_csv(seoul_table(), str(subs))
    assert text == run("claim", "--subscriptions", str(subs), "--outages",
                       str(CASE / "outages.csv"), "--period", "2018-11", "--format", "csv")


def test_problems_in_a_batch_are_located():
    table = seoul_table().set_column(3, "currency", pa.array(["USD", "XXX1"]))
    with pytest.raises(slacredit.InvalidInput) as caught:
        slacredit.arrow.compute(table, str(CASE / "outages.csv"))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("subscriptions", 3, "currency")


def test_spark_writes_the_commands_claims(binary, tmp_path):
    pytest.importorskip("pyspark")
    data = tmp_path / "data"
    subprocess.run([sys.executable, str(ROOT / "benches/peers/gen.py"), "--size", "S",
                    "--out", str(data)], check=True, capture_output=True)
    inputs = ["--contracts", str(data / "contracts"), "--subscriptions",
              str(data / "subscriptions.csv"), "--outages", str(data / "outages.csv"),
              "--period", "2018"]
    command = subprocess.run([binary, "claim", *inputs, "--format", "csv"],
                             capture_output=True, text=True, check=True).stdout
    out = tmp_path / "out"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples/spark_claims.py"), *inputs, "--out", str(out),
         "--partitions", "4", "--master", "local[2]"],
        capture_output=True, text=True, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    parts = sorted(pathlib.Path(out).glob("part-*"))
    assert len(parts) == 4
    spark_rows = sorted(line for p in parts for line in p.read_text().splitlines())
    command_rows = sorted(command.splitlines()[1:])
    # 1,014 subscriptions (1,000 random, 14 made by hand) x 12 months.
    assert len(command_rows) == 12168
    assert spark_rows == command_rows
