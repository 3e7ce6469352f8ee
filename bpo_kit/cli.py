"""The ``bpo-kit`` command: ``run``, ``validate`` and ``template``.

A user's mistake is printed as plain lines (file, row, column, what was expected) with exit code 1;
never as a Python traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .config import CLIENT_FILE, CLIENTS_DIR, REPORTS_DIR
from .errors import BpoKitError
from .inventory import Inventory, load_inventory, write_template


def _print_summary(inv: Inventory) -> None:
    s = inv.summary()
    print(f"{s['file']}: {s['processes']} processes, {s['fte']:,.1f} FTE, annual cost {s['annual_cost']:,.0f}")
    if s["blank_rows_ignored"]:
        print(f"  {s['blank_rows_ignored']} fully blank row(s) ignored")
    for column, rows in s["defaults_applied"].items():
        default = inv.defaults.set_index("column").at[column, "default"]
        print(f"  default applied: {column} = {default} on {rows} row(s)")
    if s["extra_columns"]:
        print(f"  extra columns kept: {', '.join(s['extra_columns'])}")


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a client folder (client.yaml and every file it names, read as a run reads them) or one inventory."""
    path = Path(args.path)
    if path.is_dir() or path.name == CLIENT_FILE:
        from .client import check_files, load_client

        client = load_client(path)
        print(f"{CLIENT_FILE}: ok ({client.config.name})")
        failed = 0
        for check in check_files(client):
            for line in check.notes:
                print(f"note: {line}")
            if check.problems:
                failed += 1
                for line in check.problems:
                    print(line, file=sys.stderr)
            elif check.summary:
                print(f"{check.file}: {check.summary}")
                for line in check.details:
                    print(f"  {line}")
        if failed:
            print(f"{failed} file(s) with problems; a run would stop on them", file=sys.stderr)
            return 1
        return 0
    inv = load_inventory(path)
    for line in inv.notes:
        print(f"note: {line}")
    if inv.problems:
        for line in inv.problems:
            print(line, file=sys.stderr)
        rows = inv.rejected["row"].nunique()
        print(
            f"{inv.source}: {len(inv.problems)} problem(s) on {rows} row(s); {len(inv.processes)} row(s) are fine",
            file=sys.stderr,
        )
        return 1
    _print_summary(inv)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    path = write_template(args.path, overwrite=args.force)
    print(f"wrote {path.name}: fill in sheet 'inventory'; sheet 'columns' explains each column")
    return 0


def _runs_here(args: argparse.Namespace) -> bool:
    """Whether this process runs notebooks itself: one client, or one job at a time, and no cluster. A batch
    spread over workers needs no kernel here (each worker starts its own)."""
    if args.scheduler is not None:
        return False
    if args.jobs == 1:
        return True
    if len(args.clients) != 1:
        return False
    p = Path(args.clients[0]).expanduser()
    return any((c / CLIENT_FILE).is_file() or c.name == CLIENT_FILE for c in (p, CLIENTS_DIR / p))


def cmd_run(args: argparse.Namespace) -> int:
    from .report.process import skip_iri_checker

    skip_iri_checker()
    # after Ctrl-C stops a batch's workers mid-task, multiprocessing's resource tracker (a process of its own,
    # started with these options) would warn about the queue semaphores they held; it frees them all the same
    sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    if _runs_here(args):
        from .report.kernel import shared_pool

        shared_pool().prestart()  # the kernel boots while the runner imports papermill and nbconvert
    from .report.batch import SUMMARY_FILE, run_batch, summary_table

    runs = run_batch(
        args.clients,
        args.out,
        jobs=args.jobs,
        force=args.force,
        pdf=args.pdf,
        progress=not args.quiet,
        scheduler=args.scheduler,
    )
    for r in sorted(runs, key=lambda r: r.client):
        if r.status == "failed":
            print(f"{r.client}: failed", file=sys.stderr)
            for line in r.error.splitlines():
                print(f"  {line}", file=sys.stderr)
        else:
            where = _shown(r.report_dir / "index.html") if r.report_dir else ""
            verb = "unchanged, kept" if r.status == "skipped" else f"report ready in {r.seconds:.0f} s:"
            print(f"{r.client}: {verb} {where}")
    if len(runs) > 1:
        print()
        print(summary_table(runs))
        print(
            f"summary: {_shown(args.out.resolve() / SUMMARY_FILE)}; index: {_shown(args.out.resolve() / 'index.html')}"
        )
    return 1 if any(r.status == "failed" for r in runs) else 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bpo-kit", description="Business-process-outsourcing assessment kit.")
    parser.add_argument("--version", action="version", version=f"bpo-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the assessment for one or more client folders")
    run.add_argument(
        "clients", nargs="+", help="client folder(s) holding client.yaml, or folders of client folders (data/clients/)"
    )
    run.add_argument(
        "--out",
        type=Path,
        default=REPORTS_DIR,
        help="folder that receives <client>/, index.html and batch-summary.json (default: reports/)",
    )
    run.add_argument("--jobs", type=int, default=None, help="clients run in parallel (default: the number of cores)")
    run.add_argument(
        "--force",
        action="store_true",
        help="rerun clients whose inputs and kit have not changed since their last good report",
    )
    run.add_argument("--pdf", action="store_true", help="also print each report page to PDF with Chromium")
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="run the batch on an existing Dask distributed cluster, e.g. tcp://host:8786 "
        "(client folders and --out must be on a file system the workers share)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser(
        "validate",
        help="check a client folder (client.yaml, inventory, rate card, vendors, KPIs) or an inventory file "
        "and list every problem",
    )
    val.add_argument("path", help="client folder, client.yaml, or an inventory .xlsx/.csv")
    val.set_defaults(func=cmd_validate)

    tpl = sub.add_parser("template", help="write a blank inventory workbook for a client to fill in")
    tpl.add_argument("path", help="where to write it, e.g. inventory.xlsx")
    tpl.add_argument("--force", action="store_true", help="replace an existing file")
    tpl.set_defaults(func=cmd_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BpoKitError as exc:
        print(f"error: {exc.render()}" if len(exc.problems) == 1 else "error:\n" + exc.render(), file=sys.stderr)
        return 1
    except OSError as exc:  # a disk or folder the kit cannot use: one line, no traceback
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: no report was left half-written; run the same command again to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
