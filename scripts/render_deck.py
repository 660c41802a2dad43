"""Render a deck to PNG pages for a person to look at: LibreOffice headless -> PDF -> pdftoppm.

    python scripts/render_deck.py deck.pptx --out pages/ [--dpi 60]
    python scripts/render_deck.py data_samples/scenarios/ecommerce-midsize.yaml --out pages/

Given a scenario, it first builds its deck (``roi deck``) next to the pages.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from roi.report.deckfile import RenderError, deck_inputs, render_pages, write_deck

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input", help="a .pptx deck or a scenario .yaml")
    p.add_argument("--out", default="deck-pages", help="folder for the PDF and PNG pages")
    p.add_argument("--dpi", type=int, default=60, help="page resolution (default 60)")
    args = p.parse_args(argv)
    path = Path(args.input)
    if path.suffix in (".yaml", ".yml"):
        from roi.inputs.scenario import load_scenario

        path = write_deck(Path(args.out) / f"{path.stem}.pptx", deck_inputs(load_scenario(path)))
    try:
        pages = render_pages(path, args.out, args.dpi)
    except RenderError as exc:
        print(f"render_deck: {exc}", file=sys.stderr)
        return 2
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
