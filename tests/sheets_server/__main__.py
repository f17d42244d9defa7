"""Run the Sheets API test server standalone: ``python -m tests.sheets_server [--port 8090]``.

Every option is also an environment variable: SHEETS_HOST, SHEETS_PORT, SHEETS_READ_PER_MINUTE,
SHEETS_WRITE_PER_MINUTE. Point gspread at it with ``tests.support.sheets_client.client(url)``; steer it through
``/_control`` (faults, delay, clock, counters).
"""

from __future__ import annotations

import argparse
import os
import sys

from werkzeug.serving import make_server

from .app import create_app
from .control import Control
from .limits import Limits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sheets_server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("SHEETS_HOST", "127.0.0.1"), help="env SHEETS_HOST")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("SHEETS_PORT", "8090")), help="env SHEETS_PORT (8090)"
    )
    parser.add_argument(
        "--read-per-minute",
        type=int,
        default=int(os.environ.get("SHEETS_READ_PER_MINUTE", "60")),
        help="read requests per minute per user, env SHEETS_READ_PER_MINUTE (Google: 60)",
    )
    parser.add_argument(
        "--write-per-minute",
        type=int,
        default=int(os.environ.get("SHEETS_WRITE_PER_MINUTE", "60")),
        help="write requests per minute per user, env SHEETS_WRITE_PER_MINUTE (Google: 60)",
    )
    args = parser.parse_args(argv)
    limits = Limits(read_per_minute_per_user=args.read_per_minute, write_per_minute_per_user=args.write_per_minute)
    server = make_server(args.host, args.port, create_app(Control(limits=limits)), threaded=True)
    print(f"Sheets API test server on http://{args.host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
