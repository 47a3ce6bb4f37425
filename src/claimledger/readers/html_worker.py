"""Entry point of the HTML worker process: ``python -m claimledger.readers.html_worker``.

A module of its own so that running it does not re-execute :mod:`claimledger.html`, which the
package has already imported.
"""

import signal
import sys

from claimledger.html import serve

if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the parent stops and says how to resume; this worker
    # ends when its input closes, instead of printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.stdin.buffer, sys.stdout.buffer)
