#!/usr/bin/env python3
"""Build a guanxi graph on Spark: `guanxi extract` on every partition in parallel, `guanxi merge` once.

The input is JSON Lines, one document a line, each with an "id" (document ids must be unique and must not depend
on where a line falls, so records without one are refused) and a "text"; other fields become document metadata.
The guanxi binary (and any --dict files) are shipped to the executors with addFile; each partition is piped
through `guanxi extract`, and the results stream back to the driver in input order into `guanxi merge`, which
writes every output. The graph is the same as `guanxi build INPUT -o ...` on one machine.

    spark-submit examples/spark/guanxi_spark.py --guanxi target/release/guanxi \\
        --input docs.jsonl -o graph.json -o graph.graphml [--dict my.csv] [--partitions 64]

or, without a cluster, `python3 examples/spark/guanxi_spark.py --master 'local[2]' ...` with pyspark installed.
"""

import argparse
import json
import os
import subprocess
import sys
import threading

from pyspark import SparkConf, SparkContext, SparkFiles


def extract_partition(lines, dict_names):
    """Pipes one partition's JSON lines through `guanxi extract` and yields its result lines."""
    exe = SparkFiles.get("guanxi")
    if not os.access(exe, os.X_OK):
        os.chmod(exe, 0o755)
    args = [exe, "extract", "--quiet", "--threads", "1"]
    for name in dict_names:
        args += ["--dict", SparkFiles.get(name)]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    feeder_error = []

    def feed():
        try:
            for line in lines:
                record = json.loads(line)
                if not isinstance(record, dict) or "id" not in record:
                    raise ValueError(f"a record without an \"id\": {line[:80]}")
                proc.stdin.write(line.encode("utf-8") + b"\n")
        except BaseException as e:  # reported after the process ends
            feeder_error.append(e)
        finally:
            proc.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    for out in proc.stdout:
        yield out.decode("utf-8").rstrip("\n")
    feeder.join()
    if proc.wait() != 0:
        raise RuntimeError(f"guanxi extract exited with {proc.returncode}")
    if feeder_error:
        raise feeder_error[0]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--guanxi", required=True, help="the guanxi binary to ship to the executors")
    p.add_argument("--input", required=True, help="JSON Lines documents (any path Spark reads)")
    p.add_argument("-o", "--output", action="append", required=True, help="outputs, as for guanxi build")
    p.add_argument("--dict", action="append", default=[], help="user dictionary CSV files, as for guanxi build")
    p.add_argument("--partitions", type=int, default=None, help="minimum number of input partitions")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's)")
    args = p.parse_args()

    conf = SparkConf().setAppName("guanxi")
    if args.master:
        conf.setMaster(args.master)
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        sc.addFile(os.path.abspath(args.guanxi))
        dict_names = []
        for d in args.dict:
            sc.addFile(os.path.abspath(d))
            dict_names.append(os.path.basename(d))
        lines = sc.textFile(args.input, minPartitions=args.partitions)
        print(f"guanxi_spark: {lines.getNumPartitions()} partitions", file=sys.stderr)
        results = lines.filter(lambda l: l.strip()).mapPartitions(lambda part: extract_partition(part, dict_names))
        merge = [args.guanxi, "merge", "-"]
        for o in args.output:
            merge += ["-o", o]
        proc = subprocess.Popen(merge, stdin=subprocess.PIPE)
        # toLocalIterator keeps partition order (so the graph is the same as a one-machine build) and holds one
        # partition at a time on the driver.
        for line in results.toLocalIterator():
            proc.stdin.write(line.encode("utf-8") + b"\n")
        proc.stdin.close()
        code = proc.wait()
    finally:
        sc.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
