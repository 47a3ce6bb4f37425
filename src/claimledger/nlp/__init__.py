"""The spaCy side of claimledger: pipeline loading and the claimledger pipeline components."""
