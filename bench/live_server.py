"""`newsdesk serve` with the Granian limits a live stream needs, for bench/live.py.

Granian lets each worker serve at most `backpressure` requests at once, by
default backlog // workers = 1024 // workers, and an open live stream is a
request for as long as the reader stays. So `newsdesk serve --workers 4` holds
1,024 readers and queues the rest in the kernel. This launcher is the same as
newsdesk.cli.run_server (same application, interface, loop and settings) with
`backpressure` and `backlog` given, and HTTP/1.1 only (Granian's default
"auto" mode, which also answers h2c, holds ~28 KiB per idle connection against
~16 KiB for HTTP/1.1 only), so that the benchmark can measure the server as
it would run with that change made.

    python bench/live_server.py --port P --workers N [--backpressure B] [--backlog L]
"""

import argparse
import os
import resource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--backpressure",
        type=int,
        default=0,
        help="requests (open streams) per worker; default: the open-file limit less 1,000",
    )
    parser.add_argument(
        "--backlog", type=int, default=0, help="listen backlog; default: net.core.somaxconn"
    )
    parser.add_argument(
        "--http",
        choices=("1", "auto"),
        default="1",
        help="HTTP/1.1 only (default), or Granian's auto (HTTP/1.1 and h2c): auto costs "
        "~12 KiB more per open connection",
    )
    parser.add_argument(
        "--granian-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other granian.server.Server argument, for experiments "
        "(e.g. runtime_mode=st, task_impl=rust, runtime_threads=2)",
    )
    options = parser.parse_args()
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    backpressure = options.backpressure or max(256, soft - 1000)
    backlog = options.backlog
    if not backlog:
        try:
            with open("/proc/sys/net/core/somaxconn") as file:
                backlog = int(file.read())
        except OSError:
            backlog = 4096

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")
    import django

    django.setup()
    from granian import constants
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.server import Server

    extra = {}
    enums = {
        "runtime_mode": constants.RuntimeModes,
        "task_impl": constants.TaskImpl,
        "http": constants.HTTPModes,
    }
    for option in options.granian_option:
        name, value = option.split("=", 1)
        if name in enums:
            extra[name] = enums[name](value)
        else:
            extra[name] = int(value) if value.lstrip("-").isdigit() else value

    Server(
        "newsdesk.asgi:application",
        address=options.host,
        port=options.port,
        interface=Interfaces.ASGINL,
        workers=options.workers,
        loop=Loops.uvloop,
        log_access=False,
        respawn_failed_workers=True,
        workers_kill_timeout=5,  # as newsdesk.cli: open streams never end by themselves
        backlog=backlog,
        backpressure=backpressure,
        **{"http": HTTPModes.http1 if options.http == "1" else HTTPModes.auto, **extra},
    ).serve()


if __name__ == "__main__":
    main()
