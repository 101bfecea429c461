"""A provider's claims on Spark: subscriptions partitioned, contracts and outage windows
broadcast, each partition computed by the slacredit library inside ``mapInArrow``.

    python examples/spark_claims.py --contracts DIR --subscriptions subs.csv \\
        --outages outages.csv [--outages more.csv] --period 2018 --out OUT \\
        [--format csv|parquet] [--partitions N] [--batch-rows N] [--master local[2]] [--overwrite]

``--format csv`` (the default) writes the rows ``slacredit claim --format csv`` prints, without
the header, as text files in OUT: the same bytes as the command's rows, in another order.
``--format parquet`` writes the typed claims (``slacredit.arrow.schema()``: decimal money, UTC
timestamps). On a cluster, give ``--master yarn`` (or leave it to ``spark-submit``) and install
the slacredit wheel on every executor; docs/scale-out.md says what each one holds.

Every check that needs the whole base (a window's customers naming somebody, duplicate ids)
is not made per partition: run ``slacredit check`` on the whole base first.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from typing import Iterator, List

import pyarrow as pa
from pyspark.sql import SparkSession

import slacredit.arrow
from slacredit import Text


def texts(paths: List[str], format: str) -> List[Text]:
    """Files' texts, named by their paths in problems: broadcast as they are."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            out.append(Text(f.read(), format, path))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contracts", default="contracts")
    ap.add_argument("--subscriptions", required=True)
    ap.add_argument("--outages", action="append", required=True)
    ap.add_argument("--period")
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--partitions", type=int, default=0)
    # Each Arrow batch reads the broadcast windows again (docs/scale-out.md): fewer, larger
    # batches read them less often and hold more claims at once.
    ap.add_argument("--batch-rows", type=int, default=10_000)
    ap.add_argument("--master")
    # Spark's overwrite deletes the whole folder first: only when asked.
    ap.add_argument("--overwrite", action="store_true", help="replace OUT if it exists")
    args = ap.parse_args()

    # Local workers run the driver's Python (the one slacredit is installed in), not the first
    # python3 on the PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("slacredit claims").config(
        "spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch_rows)
    )
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    contracts = texts(sorted(glob.glob(os.path.join(args.contracts, "*.yaml"))), "yaml")
    outages = [
        Text(t.text, os.path.splitext(t.name or "")[1].lstrip(".") or "csv", t.name)
        for t in texts(args.outages, "csv")
    ]
    shared = spark.sparkContext.broadcast((contracts, outages))
    period, as_csv = args.period, args.format == "csv"

    def claims(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        contracts, outages = shared.value
        for batch in batches:
            if batch.num_rows == 0:
                continue
            if as_csv:
                text = slacredit.arrow.compute_csv(batch, outages, contracts, period, part=True)
                rows = text.split("\n")[1:-1]
                yield pa.RecordBatch.from_pydict({"value": pa.array(rows, pa.string())})
            else:
                table = slacredit.arrow.compute(batch, outages, contracts, period, part=True)
                yield from table.to_batches()

    # Every column a string, as the billing export has it: the library reads fees exactly.
    subscriptions = (
        spark.read.option("header", True)
        .option("escape", '"')
        .option("inferSchema", False)
        .csv(args.subscriptions)
    )
    if args.partitions:
        subscriptions = subscriptions.repartition(args.partitions)
    schema = "value string" if as_csv else slacredit.arrow.spark_ddl()
    result = subscriptions.mapInArrow(claims, schema)
    writer = result.write.mode("overwrite" if args.overwrite else "errorifexists")
    if as_csv:
        writer.text(args.out)
    else:
        writer.parquet(args.out)
    spark.stop()


if __name__ == "__main__":
    main()
