"""The ``roi`` command line: every number explained, tables for people, versioned JSON for machines.

Exit codes: 0 success; 2 bad input or usage (one clear line per problem on stderr, no traceback);
1 anything unexpected.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from roi import __version__
from roi.analysis.limits import (
    DECK_MAX_SAMPLES,
    DEFAULT_SAMPLES,
    MAX_SEED,
    REPORT_MAX_SAMPLES,
    SIMULATE_MAX_SAMPLES,
)
from roi.inputs.errors import ScenarioError, UserError, escaped, plain

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (see: {self.prog} --help)")


def _dump_json(doc: Any) -> str:
    # JSON escapes control characters itself; plain() also drops bidirectional overrides and
    # lone surrogates (from \u escapes in an export), which no terminal or encoding may take.
    return plain(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False))


# --- commands ----------------------------------------------------------------------------------


def _load(path: str) -> Any:
    from roi.inputs.scenario import load_scenario

    return load_scenario(path)


def _breakdown_doc(path: str, option: str | None = None) -> dict[str, Any]:
    from roi.model import evaluate
    from roi.present.documents import breakdown

    scenario = _load(path)
    evaluation = evaluate(scenario)
    if option is not None and option not in evaluation.options:
        raise UserError(
            f"--option: {option!r} is not an option of {path}; allowed: "
            f"{', '.join(evaluation.options)}"
        )
    return breakdown(evaluation, path, option)


def cmd_breakdown(args: argparse.Namespace) -> int:
    from roi.present.text import breakdown_csv, breakdown_table

    doc = _breakdown_doc(args.scenario, args.option)
    if args.format == "json":
        print(_dump_json(doc))
    elif args.format == "csv":
        sys.stdout.write(breakdown_csv(doc))
    else:
        print(breakdown_table(doc))
    return EXIT_OK


def cmd_cashflows(args: argparse.Namespace) -> int:
    from roi.analysis.cashflows import cashflow_kpis, read_cashflows
    from roi.present.text import cashflows_table

    if not 0 <= args.discount_rate < 1:
        raise UserError(
            f"--discount-rate: {args.discount_rate:g} is out of range; allowed: a "
            "fraction in [0, 1), e.g. 0.10"
        )
    benefits, costs = read_cashflows(args.file)
    kpis = cashflow_kpis(benefits, costs, args.discount_rate)
    if args.format == "json":
        doc = {
            "schema_version": 1,
            "file": args.file,
            "discount_rate": args.discount_rate,
            **{k: (v if v == v else None) for k, v in kpis.items()},
        }
        print(_dump_json(doc))
    else:
        print(cashflows_table(args.file, benefits, costs, args.discount_rate, kpis))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from roi.inputs.provenance import scenario_warnings
    from roi.inputs.scenario import load_scenario

    failed = 0
    for path in args.scenarios:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            failed += 1
            for line in str(exc).splitlines():
                print(f"roi: error: {line}", file=sys.stderr)
            continue
        shown = escaped(path, 1000)
        print(f"ok: {shown}: {plain(scenario.name)}")
        for w in scenario_warnings(scenario):
            print(f"warning: {shown}: {w}", file=sys.stderr)
    return EXIT_USAGE if failed else EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from roi.inputs.template import scenario_template

    text = scenario_template()
    if args.path is None or args.path == "-":
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.path)
    if path.is_dir():
        raise UserError(f"{path}: is a directory; give the path of a file to write")
    if path.exists() and not args.force:
        raise UserError(f"{path}: already exists; choose another path or pass --force")
    from roi.report.files import write_text_atomic

    write_text_atomic(path, text)
    print(f"wrote {path}; next: edit the REQUIRED fields, then run: roi validate {path}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from roi.inputs.schema import Scenario

    doc = Scenario.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    print(_dump_json(doc))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from roi.present.text import diff_document, diff_table

    base = _breakdown_doc(args.base)
    new = _breakdown_doc(args.new)
    doc = diff_document(base, new)
    print(_dump_json(doc) if args.format == "json" else diff_table(doc))
    return EXIT_OK


def _check_monte_carlo(
    args: argparse.Namespace,
    fewest: int = 1,
    most: int = SIMULATE_MAX_SAMPLES,
    zero: str = "",
    *,
    sobol: bool = False,
) -> None:
    """``--samples`` a whole number from ``fewest`` (``zero`` says what 0 means) to ``most``, or
    with ``sobol`` a power of 2, and ``--seed`` from 0 to :data:`~roi.analysis.limits.MAX_SEED`;
    one usage line otherwise. None (not given: the notebook's default) passes. The rule of every
    command that draws samples (see :mod:`roi.analysis.limits`)."""
    samples, seed = args.samples, args.seed
    if samples is not None and sobol and (samples < 2 or samples & (samples - 1)):
        raise UserError(f"--samples: {samples} is not allowed; Sobol needs a power of 2, e.g. 1024")
    if samples is not None and not sobol and not fewest <= samples <= most:
        raise UserError(
            f"--samples: {samples} is out of range; allowed: a whole number from {fewest}{zero} "
            f"to {most:,}"
        )
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UserError(f"--seed: {seed} is out of range; allowed: 0 to {MAX_SEED}")


def _check_option(args: argparse.Namespace, scenario: Any) -> None:
    """``--option`` names a real option of the scenario (not the do-nothing baseline)."""
    from roi.analysis.decision import real_options
    from roi.model import evaluate

    if args.option is None:
        return
    keys = real_options(evaluate(scenario))
    if args.option not in keys:
        raise UserError(
            f"--option: {args.option!r} is not an option of {args.scenario}; allowed: "
            f"{', '.join(keys)}"
        )


def cmd_simulate(args: argparse.Namespace) -> int:
    from roi.analysis.montecarlo import simulate
    from roi.present.documents import simulation_document
    from roi.present.text import simulation_table

    _check_monte_carlo(args)
    scenario = _load(args.scenario)
    sim = simulate(scenario, samples=args.samples, seed=args.seed)
    doc = simulation_document(sim, args.scenario)
    print(_dump_json(doc) if args.format == "json" else simulation_table(doc).rstrip("\n"))
    return EXIT_OK


def cmd_breakeven(args: argparse.Namespace) -> int:
    from roi.analysis.breakeven import breakeven
    from roi.present.documents import breakeven_document
    from roi.present.text import breakeven_table

    _check_monte_carlo(args, 0, zero=" (no EVPI)")
    scenario = _load(args.scenario)
    _check_option(args, scenario)
    b = breakeven(scenario, option=args.option, samples=args.samples, seed=args.seed)
    doc = breakeven_document(b, scenario, args.scenario)
    print(_dump_json(doc) if args.format == "json" else breakeven_table(doc).rstrip("\n"))
    return EXIT_OK


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from roi.analysis.sensitivity import MissingExtra, sobol, tornado
    from roi.present.documents import sobol_document, tornado_document
    from roi.present.text import sobol_table, tornado_table

    scenario = _load(args.scenario)
    _check_option(args, scenario)
    if args.method == "tornado":
        t = tornado(scenario, metric=args.metric, option=args.option)
        doc = tornado_document(t, scenario, args.scenario)
        text = tornado_table(doc)
    else:
        _check_monte_carlo(args, sobol=True)
        try:
            s = sobol(scenario, args.metric, args.option, samples=args.samples, seed=args.seed)
        except MissingExtra as exc:
            raise UserError(str(exc)) from None
        except ValueError as exc:
            raise UserError(f"{args.scenario}: {exc}") from None
        doc = sobol_document(s, scenario, args.scenario)
        text = sobol_table(doc)
    print(_dump_json(doc) if args.format == "json" else text.rstrip("\n"))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    import math

    from roi.report.batch import MAX_WORKERS, render_reports, resolve_notebook

    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise UserError(
            f"--workers: {args.workers} is out of range; allowed: a whole number from 1 to "
            f"{MAX_WORKERS}"
        )
    if not (math.isfinite(args.timeout) and args.timeout > 0):
        raise UserError(f"--timeout: {args.timeout:g} is not allowed; allowed: seconds above 0")
    _check_monte_carlo(args, 1, REPORT_MAX_SAMPLES)
    if args.cluster is not None:
        from roi.report.cluster import check_address

        check_address(args.cluster)
    notebook = resolve_notebook(args.notebook)
    result = render_reports(
        args.scenarios,
        Path(args.out),
        notebook,
        workers=args.workers,
        pdf=args.pdf,
        timeout=args.timeout,
        samples=args.samples,
        seed=args.seed,
        cluster=args.cluster,
    )
    done = len(result.results) - len(result.failed)
    print(
        f"wrote {done} of {len(result.results)} reports to {args.out}; index: {result.index}"
        + (f"; {len(result.failed)} failed" if result.failed else "")
    )
    return EXIT_UNEXPECTED if result.failed else EXIT_OK


def _brand(args: argparse.Namespace, scenario: Any) -> Any:
    """The brand of ``--brand-color``/``--logo`` over the scenario's ``presentation:``; a
    low-contrast colour is one warning line."""
    from roi.report.branding import brand_of

    brand = brand_of(scenario, args.brand_color, getattr(args, "logo", None))
    for line in brand.warnings():
        print(f"roi: warning: {line}", file=sys.stderr)
    return brand


def cmd_charts(args: argparse.Namespace) -> int:
    """``roi charts``: every chart of the report at slide size, pitch style."""
    from roi.report.charts_export import check_options, export_charts, pitch_context, pitch_figures

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    try:
        check_options(formats, args.size)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder; give a folder for the charts")
    scenario = _load(args.scenario)  # a bad scenario fails before anything is computed or written
    brand = _brand(args, scenario)
    ctx = pitch_context(args.scenario, scenario=scenario)
    written = export_charts(pitch_figures(ctx, brand.colours), args.out, formats, args.size)
    print(f"wrote {len(written)} charts to {args.out}")
    return EXIT_OK


def _out_file(given: str | None, scenario: str, suffix: str) -> Path:
    """``--out`` of a command writing one file (default: the scenario's stem + ``suffix`` in the
    working folder); a folder in its place is a usage error before anything is computed."""
    out = Path(given or f"{Path(scenario).stem}{suffix}")
    if out.is_dir():
        raise UserError(f"--out {out}: is a directory; give the path of a {suffix} file")
    return out


def cmd_workbook(args: argparse.Namespace) -> int:
    """``roi workbook``: assumptions, monthly cash flows and a live TEI summary as .xlsx."""
    from roi.model import evaluate
    from roi.present.workbook import workbook_bytes
    from roi.report.files import write_bytes_atomic

    out = _out_file(args.out, args.scenario, ".xlsx")
    scenario = _load(args.scenario)
    write_bytes_atomic(out, workbook_bytes(evaluate(scenario), scenario.name))
    print(f"wrote {out}")
    return EXIT_OK


def cmd_deck(args: argparse.Namespace) -> int:
    """``roi deck``: the 16:9 pitch deck (.pptx)."""
    from roi.report.deckfile import deck_inputs, write_deck

    _check_monte_carlo(args, 0, DECK_MAX_SAMPLES, zero=" (no Monte Carlo)")
    out = _out_file(args.out, args.scenario, ".pptx")
    scenario = _load(args.scenario)
    brand = _brand(args, scenario)
    write_deck(out, deck_inputs(scenario, samples=args.samples, seed=args.seed, brand=brand))
    print(f"wrote {out}")
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    """``roi pack``: report, deck, workbook, charts and summary.json of one scenario, at once."""
    from roi.inputs.scenario import YAML_SUFFIXES
    from roi.report.pack import PackFailed, make_pack

    _check_monte_carlo(args, 1, DECK_MAX_SAMPLES)
    first = args.inputs[0]
    if not first.lower().endswith(YAML_SUFFIXES):
        raise UserError(
            f"{first}: the first input must be the scenario (.yaml or .yml), then only the "
            "exports it names"
        )
    scenario = _load(first)
    brand = _brand(args, scenario)
    try:
        result = make_pack(
            args.inputs,
            scenario,
            Path(args.out),
            pdf=args.pdf,
            samples=args.samples,
            seed=args.seed,
            brand=brand,
        )
    except PackFailed as exc:
        print(f"roi: error: pack: {escaped(str(exc), 1000)}", file=sys.stderr)
        return EXIT_UNEXPECTED
    print(f"wrote {args.out}: {', '.join(result.files)} ({result.seconds:.1f} s)")
    return EXIT_OK


def cmd_explore(args: argparse.Namespace) -> int:
    from roi.report.explore_app import serve

    if args.port is not None and not 1 <= args.port <= 65535:
        raise UserError(f"--port: {args.port} is out of range; allowed: 1 to 65535")
    return serve(args.scenario, args.port, open_browser=not args.no_browser)


def cmd_ingest(args: argparse.Namespace) -> int:
    """``roi ingest incidents|traces|latency``: an export's summary, and with ``--out`` a
    scenario fragment written atomically (nothing is written when reading fails)."""
    import yaml

    if args.kind == "incidents":
        from roi.inputs.ingest import incidents as ing

        history = ing.read_incidents(args.file, source=args.source, tz=args.tz)
        doc = ing.incident_summary(history)
        text = ing.incidents_table(doc)
        fragment = ing.incident_fragment(history) if args.out else None
        named = history.file.name
    elif args.kind == "traces":
        from roi.inputs.ingest import traces as ing_t

        doc = ing_t.trace_summary(ing_t.read_traces(args.files), args.files)
        text = ing_t.traces_table(doc)
        fragment = ing_t.trace_fragment(doc) if args.out else None
        named = ", ".join(doc["files"])
    else:
        from roi.inputs.ingest import latency as ing_l

        doc = ing_l.read_latency(args.file, unit=args.unit, label=args.label)
        text = ing_l.latency_table(doc)
        fragment = ing_l.latency_fragment(doc, args.endpoint) if args.out else None
        named = doc["file"]
    if fragment is not None:
        from roi.report.files import write_text_atomic

        out = Path(args.out)
        if out.is_dir():
            raise UserError(f"--out {out}: is a directory; give the path of a YAML file")
        header = (
            f"# Scenario fragment written by roi ingest {args.kind} from {named}.\n"
            f"# Pull it into a scenario with: {args.kind}_from: {out.name}\n"
        )
        body = yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True, width=100)
        write_text_atomic(out, header + body)
    # An export's text reaches the terminal without control characters (a JSON export may
    # spell them as \u escapes); JSON escapes them itself.
    print(_dump_json(doc) if args.format == "json" else plain(text))
    if fragment is not None:
        print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------------

LOADS_SCENARIOS = frozenset(
    {
        "breakdown",
        "validate",
        "diff",
        "simulate",
        "sensitivity",
        "report",
        "charts",
        "deck",
        "workbook",
        "explore",
        "pack",
    }
)
"""Commands that read scenario files, and so take ``--allow-extends DIR``."""


@contextlib.contextmanager
def _allowed_extends(folders: Sequence[str]) -> Iterator[None]:
    """``--allow-extends`` for the length of one command: added to the environment variable the
    loader reads (so report workers and kernels inherit it), then restored."""
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV

    for folder in folders:
        if not Path(folder).expanduser().is_dir():
            raise UserError(f"--allow-extends: {escaped(folder, 200)}: not a folder")
    before = os.environ.get(ALLOW_EXTENDS_ENV)
    if folders:
        given = [str(Path(f).expanduser().resolve()) for f in folders]
        os.environ[ALLOW_EXTENDS_ENV] = os.pathsep.join([*given, *([before] if before else [])])
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOW_EXTENDS_ENV, None)
        else:
            os.environ[ALLOW_EXTENDS_ENV] = before


def _brand_flags(p: argparse.ArgumentParser, logo: bool = True) -> None:
    """``--brand-color`` (and ``--logo``, for what shows one: the deck)."""
    p.add_argument(
        "--brand-color",
        action="append",
        default=[],
        metavar="HEX",
        help="brand colour #RRGGBB (repeatable, in order; the first is the accent); default: "
        "the scenario's presentation.brand_colors, else the colour-blind-safe palette",
    )
    if not logo:
        return
    p.add_argument(
        "--logo",
        metavar="FILE",
        help="PNG or JPEG logo for the deck's title slide; default: presentation.logo",
    )


def _slide_flags(p: argparse.ArgumentParser, samples_help: str) -> None:
    """``--samples``, ``--seed`` and the brand flags of the commands that make slides."""
    p.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N", help=samples_help)
    p.add_argument("--seed", type=int, default=0, metavar="S", help="Monte Carlo seed")
    _brand_flags(p)


def build_parser() -> argparse.ArgumentParser:
    """The ``roi`` argument parser."""
    parser = _Parser(
        prog="roi",
        description="Business cases for distributed tracing: MTTR, latency revenue, self-run "
        "versus managed costs, NPV/ROI/payback in Forrester TEI form.",
        epilog="Start with: roi init my-case.yaml, then roi breakdown my-case.yaml",
    )
    parser.add_argument("--version", action="version", version=f"roi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str) -> _Parser:
        p: _Parser = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        if name in LOADS_SCENARIOS:
            p.add_argument(
                "--allow-extends",
                action="append",
                default=[],
                metavar="DIR",
                help="also let extends: read YAML files in DIR and its subfolders (repeatable; "
                "by default only the scenario's own folder tree)",
            )
        return p

    p = add(
        "breakdown",
        cmd_breakdown,
        "Every line item as driver x unit value = monthly and annual value, then totals "
        "and headline figures per option.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument(
        "--option", metavar="NAME", help="only this option (do-nothing, self-run or a vendor key)"
    )

    p = add(
        "cashflows",
        cmd_cashflows,
        "NPV, ROI and payback of a TEI cash-flow table (CSV: line,initial,year_1..year_N; "
        "rows costs and benefits).",
    )
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument(
        "--discount-rate",
        type=float,
        default=0.10,
        metavar="RATE",
        help="yearly discount rate as a fraction (default 0.10, Forrester TEI)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = add("validate", cmd_validate, "Check scenario files; one line per problem.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO")

    p = add(
        "init",
        cmd_init,
        "Write a commented scenario template: every field with unit, default and source.",
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="file to write (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    add("schema", cmd_schema, "Print the JSON Schema of scenario files.")

    p = add("diff", cmd_diff, "Figure-by-figure differences between two scenarios.")
    p.add_argument("base", metavar="BASE")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = add(
        "simulate",
        cmd_simulate,
        "Monte Carlo over every ranged assumption: P10/P50/P90 and mean of NPV, ROI and "
        "payback per option, the chance of a negative NPV and of payback within 12 months.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument(
        "--samples",
        type=int,
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"number of samples (default {DEFAULT_SAMPLES})",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed; same seed, same numbers"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = add(
        "sensitivity",
        cmd_sensitivity,
        "Which assumption drives the case: a tornado of each ranged input at its low and high "
        "(or Sobol indices with --method sobol), sorted by swing.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--metric", choices=("npv", "roi", "payback_months"), default="npv")
    p.add_argument(
        "--option",
        metavar="NAME",
        help="option to explain (self-run or a vendor key; default: the highest NPV)",
    )
    p.add_argument("--method", choices=("tornado", "sobol"), default="tornado")
    p.add_argument(
        "--samples",
        type=int,
        default=1024,
        metavar="N",
        help="Sobol base sample size, a power of 2 (default 1024)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="Sobol random seed")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = add(
        "breakeven",
        cmd_breakeven,
        "What would flip the decision: per ranged input, the value at which NPV crosses zero "
        "and the value at which the recommended option changes, where those sit in the input's "
        "range, and the expected value of perfect information (what measuring it is worth).",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument(
        "--option",
        metavar="NAME",
        help="option whose NPV to follow (self-run or a vendor key; default: the recommended "
        "one, or the closest to paying when none is)",
    )
    p.add_argument(
        "--samples",
        type=int,
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"Monte Carlo samples for EVPI (default {DEFAULT_SAMPLES}; 0 skips EVPI)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="Monte Carlo seed")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = add(
        "report",
        cmd_report,
        "Render stakeholder reports (HTML without code, optional PDF) of scenarios in batch "
        "into DIR/<scenario>/, and DIR/index.html comparing them; exit code 1 if any failed.",
    )
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario YAML files")
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder")
    p.add_argument(
        "--notebook",
        default="01-business-case",
        metavar="NAME",
        help="report notebook in notebooks/, .ipynb optional, or a path (default 01-business-case)",
    )
    p.add_argument(
        "--workers", type=int, metavar="N", help="worker processes (default: up to 2, one per CPU)"
    )
    p.add_argument("--pdf", action="store_true", help="also print report.pdf with chromium")
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="S",
        help="longest one cell may run, and the PDF may take [s] (default 600)",
    )
    p.add_argument(
        "--samples", type=int, metavar="N", help="Monte Carlo samples (default: the notebook's)"
    )
    p.add_argument("--seed", type=int, metavar="S", help="random seed (default: the notebook's)")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="render on a dask.distributed cluster: a scheduler's address (tcp://host:8786; its "
        "workers must share --out's file system) or local:N to start N local worker processes",
    )

    p = add(
        "charts",
        cmd_charts,
        "Every chart of the report at slide size (16:9, 2666 x 1500 px PNG; half: 1333 x 1500) "
        "in the pitch style, as PNG and SVG.",
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--out", default="charts", metavar="DIR", help="folder (default: charts)")
    p.add_argument(
        "--format", default="png,svg", metavar="LIST", help="png, svg or png,svg (default)"
    )
    p.add_argument(
        "--size",
        default="slide",
        metavar="SIZE",
        help="slide (13.333 x 7.5 in, default) or half (half the width)",
    )

    _brand_flags(p, logo=False)

    p = add(
        "workbook",
        cmd_workbook,
        "The finance workbook (.xlsx): assumptions with sources, monthly cash flows per option, "
        "and a TEI summary whose PV, NPV, ROI and payback are live formulas.",
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--out", metavar="FILE.xlsx", help="default: <scenario>.xlsx")

    p = add(
        "deck",
        cmd_deck,
        "The 16:9 pitch deck (.pptx): the ask, the headline with P10-P90, downtime, latency, "
        "self-run vs managed, what would flip the decision, readiness, assumptions; native "
        "charts and speaker notes with sources.",
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--out", metavar="FILE.pptx", help="default: <scenario>.pptx")
    _slide_flags(p, f"Monte Carlo samples (default {DEFAULT_SAMPLES}; 0: point estimates only)")

    p = add(
        "pack",
        cmd_pack,
        "The whole job at once: the report (HTML, PDF with --pdf), the deck, the workbook, the "
        "slide charts and summary.json of one scenario, into DIR (replaced only when complete), "
        "from one evaluation and one Monte Carlo.",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="the scenario file first, then (optionally) export files it names with "
        "incidents_from:, traces_from: or latency_from: (checked: any other file is refused)",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="the pack folder")
    p.add_argument("--pdf", action="store_true", help="also print report.pdf with chromium")
    _slide_flags(p, f"Monte Carlo samples of every range (default {DEFAULT_SAMPLES})")

    p = add(
        "explore",
        cmd_explore,
        "Serve the explorer of a scenario as an app (Voila) on 127.0.0.1 with a token: change "
        "assumptions, run a Monte Carlo, save the changes as a scenario, render its report.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--port", type=int, metavar="N", help="port (default: a free one)")
    p.add_argument(
        "--no-browser", action="store_true", help="print the address, do not open a browser"
    )

    p = add(
        "ingest",
        cmd_ingest,
        "Read an export (incident history, traces, latency percentiles) into scenario inputs "
        "whose source is the file; --out writes a scenario fragment.",
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True, parser_class=_Parser)
    q = kinds.add_parser("incidents", help="incident history CSV or JSON -> MTTR per severity")
    q.add_argument("file", metavar="FILE")
    q.add_argument(
        "--source",
        choices=("auto", "pagerduty", "opsgenie", "jira", "incident-io", "goalert", "generic"),
        default="auto",
        help="the tool that wrote the export (default: detected from the header)",
    )
    q.add_argument(
        "--tz", metavar="ZONE", help="zone of timestamps without an offset (UTC, Europe/Berlin)"
    )
    t = kinds.add_parser("traces", help="Jaeger, OTLP/JSON or Zipkin v2 exports -> span volume")
    t.add_argument("files", nargs="+", metavar="FILE")
    lat = kinds.add_parser("latency", help="Prometheus API JSON or CSV -> P95 per endpoint")
    lat.add_argument("file", metavar="FILE")
    lat.add_argument("--unit", choices=("s", "ms"), help="unit of the values (default: s)")
    lat.add_argument("--label", metavar="NAME", help="label naming endpoints")
    lat.add_argument("--endpoint", metavar="NAME", help="endpoint whose P95 --out writes")
    for kind in (q, t, lat):
        kind.add_argument("--format", choices=("table", "json"), default="table")
        kind.add_argument("--out", metavar="FRAGMENT.yaml", help="write a scenario fragment")
    return parser


def _signal_name(signum: int) -> str:
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            raise UserError("a command is required, e.g. roi validate FILE (see: roi --help)")
        with _allowed_extends(getattr(args, "allow_extends", [])):
            return int(args.func(args))
    except UserError as exc:
        for line in str(exc).splitlines() or ["error"]:
            print(f"roi: error: {escaped(line, 1000)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt as exc:  # Ctrl-C; SIGTERM and SIGHUP during roi report
        signum = getattr(exc, "signum", 2)
        name = "" if signum == 2 else f" ({_signal_name(signum)})"
        print(f"roi: interrupted{name}", file=sys.stderr)
        return 128 + signum
    except Exception as exc:
        if os.environ.get("ROI_DEBUG"):
            raise
        print(
            f"roi: unexpected error: {type(exc).__name__}: {exc} "
            "(set ROI_DEBUG=1 for a traceback and please report it)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    raise SystemExit(main())
