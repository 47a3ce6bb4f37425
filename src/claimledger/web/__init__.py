"""The web UI and HTTP API of the ledger (``claimledger serve``).

Importing this package imports nothing heavy: FastAPI and uvicorn are loaded by
:func:`claimledger.web.app.create_app` and the ``serve`` command only.
"""
