"""Batch runs: the same extraction over millions of pages, on local processes or a Dask cluster.

- ``partitions.plan`` splits the inputs into partitions (a WARC file; a byte range of a JSON
  Lines file; a group of page files);
- ``worker.run_partition`` reads, extracts and writes one partition's Parquet shards;
- ``run.run_batch`` drives the partitions through an engine (``engines``) and keeps the
  manifest (``manifest``);
- ``load.load_shards`` puts the shards into the ledger.

Nothing is imported here: ``claimledger`` commands that do not batch pay nothing for it.
"""
