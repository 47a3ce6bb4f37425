"""Entry point of the HTML worker process: ``python -m claimledger.readers.html_worker``.

A module of its own so that running it does not re-execute :mod:`claimledger.html`, which the
package has already imported.
"""

import sys

from claimledger.html import serve

if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
