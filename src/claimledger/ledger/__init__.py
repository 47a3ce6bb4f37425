"""The ledger: storage of documents and claims, cross-document resolution, clusters, trackers."""
