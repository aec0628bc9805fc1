"""The `newsdesk` command: `demo`, `serve`, and every Django management command.

newsdesk demo                 migrate, build the demo newsroom, serve it
newsdesk serve [--port 8000]  serve the site with the production ASGI server
newsdesk worker               run background tasks (with TASK_RUNNER=worker)
newsdesk <command> ...        any manage.py command (migrate, createsuperuser, ...)
"""

import argparse
import os
import sys


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="newsdesk serve", description="Serve the site.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "0")) or os.cpu_count() or 1,
        help="worker processes (default: WEB_CONCURRENCY, else one per core)",
    )
    options = parser.parse_args(argv)
    _setup_django()
    _manage("collectstatic", "--noinput", "--verbosity", "0")
    run_server(host=options.host, port=options.port, workers=options.workers)


def run_server(*, host: str, port: int, workers: int) -> None:
    """Run the ASGI app: Granian by default (chosen by measurement, docs/performance.md),
    or uvicorn with NEWSDESK_SERVER=uvicorn."""
    if os.environ.get("NEWSDESK_SERVER", "granian") == "uvicorn":
        import uvicorn

        uvicorn.run(
            "newsdesk.asgi:application",
            interface="asgi3",  # a plain function returning a coroutine, not "async def"
            host=host,
            port=port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            lifespan="off",
            access_log=False,
            # Open live streams never end by themselves: give them 5 s, then stop.
            timeout_graceful_shutdown=5,
        )
        return
    import resource

    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.server import Server

    # An open live stream counts as a request for as long as its reader stays;
    # Granian's default (backlog // workers) would hold ~1,000 readers and queue
    # the rest. Allow as many as the open-file limit leaves room for.
    soft_limit, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    Server(
        "newsdesk.asgi:application",
        address=host,
        port=port,
        interface=Interfaces.ASGINL,  # Django has no lifespan handler
        workers=workers,
        loop=Loops.uvloop,
        # HTTP/1.1 only: "auto" also answers h2c and holds ~12 KiB more per
        # open connection; browsers use HTTP/2 only over TLS, which a proxy ends.
        http=HTTPModes.http1,
        backlog=_listen_backlog(),
        backpressure=max(256, soft_limit - 1000),
        log_access=False,
        respawn_failed_workers=True,
        # Open live streams never end by themselves: give them 5 s, then stop.
        workers_kill_timeout=5,
    ).serve()


def _listen_backlog() -> int:
    try:
        with open("/proc/sys/net/core/somaxconn") as file:
            return int(file.read())
    except (OSError, ValueError):
        return 4096


def demo(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="newsdesk demo", description="Build and serve the demo.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-serve", action="store_true", help="build only, do not serve")
    options = parser.parse_args(argv)
    if not options.no_serve:
        # Read by the server workers' settings: a new live entry every 30 s.
        os.environ.setdefault("LIVE_DEMO_INTERVAL", "30")
    _setup_django()
    from django.core.management import call_command

    print("Preparing the database…", flush=True)
    call_command("migrate", "--noinput", verbosity=0)
    from newsdesk.demo.builder import build_demo

    logins = build_demo(progress=lambda line: print(line, flush=True))
    if options.no_serve:
        _print_logins(logins, port=options.port)
        return
    _manage("collectstatic", "--noinput", "--verbosity", "0")
    _print_logins(logins, port=options.port)
    print("  A demo entry is posted to the live blog every 30 seconds.")
    print("  Press Ctrl+C to stop.\n", flush=True)
    run_server(host="127.0.0.1", port=options.port, workers=os.cpu_count() or 1)


def worker(argv: list[str]) -> None:
    """Run background tasks and periodic jobs until stopped (for TASK_RUNNER=worker).

    Server processes do this work themselves unless TASK_RUNNER=worker
    (newsdesk/worker/runner.py); several workers may run, each task and each
    job's turn runs once.
    """
    import signal

    parser = argparse.ArgumentParser(
        prog="newsdesk worker", description="Run background tasks and periodic jobs."
    )
    parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
    options = parser.parse_args(argv)
    _setup_django()
    from newsdesk.worker.runner import run_due_jobs, run_ready_tasks, runner

    if options.once:
        tasks, jobs = run_ready_tasks(), run_due_jobs()
        print(f"Ran {tasks} tasks and {len(jobs)} periodic jobs ({', '.join(jobs) or 'none due'}).")
        return

    def stop(signum, frame):
        print("Stopping after the task under way…", flush=True)
        runner.stopping = True
        runner.woken.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("newsdesk worker: running background tasks and periodic jobs.", flush=True)
    runner.run_here()


def _print_logins(logins, *, port: int) -> None:
    url = f"http://127.0.0.1:{port}/"
    print()
    print(f"  newsdesk demo is at   {url}")
    print(f"    English edition:    {url}en/")
    print(f"    Russian edition:    {url}ru/")
    print(f"  The newsroom (admin): {url}admin/")
    width = max((len(username) for username, _password, _role in logins), default=10)
    for username, password, role in logins:
        print(f"    {role:<18} user {username:<{width}}  password {password}")
    print(flush=True)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "demo":
        demo(argv[1:])
    elif command == "serve":
        serve(argv[1:])
    elif command == "worker":
        worker(argv[1:])
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["newsdesk", *argv])


if __name__ == "__main__":
    main()
