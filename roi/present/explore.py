"""Exploring a scenario interactively: controls generated from the schema for the assumptions
that matter, an option picker, headline tiles and a cumulative net cash chart that recompute
through :func:`roi.model.evaluate`, and buttons to run a Monte Carlo, save what was found as a
scenario file, render its report and go back to the file.

``explorer(scenario, path)`` returns an ipywidgets box for JupyterLab or Voilà (``roi explore``
serves it as an app, :mod:`roi.report.explore_app`). The callbacks are plain Python, so setting a
control's ``.value`` recomputes synchronously, with or without a kernel (that is how the tests
drive it).

Which controls: every ranged input of the scenario (the rows of its tornado, ordered by swing),
every vendor's list prices and a discount on them, and the usual levers (MTTR, incident counts,
revenue, conversion elasticity, sampling, growth, discount rate, risk adjustments). Each shows its
unit (fractions as %), the scenario's own range and the number's source as a tooltip; a value
outside the field's bounds is refused with a message beside the control, one outside the
scenario's range is accepted and flagged. Nothing is clamped.

Tiles and chart are one HTML widget (the chart an inline SVG, :mod:`roi.present.explore_svg`), so
they always show the same option and change in the same frame. All of it sits in a
``tex2jax_ignore mathjax_ignore`` container: JupyterLab's MathJax would otherwise typeset
"$1.34M to $1.56M" as maths.

Saving and rendering touch files, which belongs to the report layer: the explorer builds the
scenario text (:meth:`Explorer.scenario_text`) and hands it to ``on_save``, then the saved path to
``on_render``; :mod:`roi.report.explore_app` supplies both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import ipywidgets as widgets
import numpy as np
import yaml

from roi.analysis.decision import allowed_options, best_option, focus_option
from roi.analysis.montecarlo import Simulation, simulate
from roi.analysis.sampling import ranged_inputs, support_of
from roi.analysis.sensitivity import tornado
from roi.inputs.ingest.fragments import apply_exports
from roi.inputs.labels import display_unit_of, input_label
from roi.inputs.parameters import parameters, vendor_prefix
from roi.inputs.presets import ELASTICITY, VENDORS
from roi.inputs.scenario import merge, read_yaml, resolve, validate
from roi.inputs.schema import Quantity, Scenario, spec_at
from roi.inputs.units import display_unit
from roi.model import Evaluation, evaluate
from roi.present.explore_svg import cumulative_net_svg
from roi.present.formatting import compact_money, percent
from roi.present.html import esc, stylesheet
from roi.present.read import non_baseline
from roi.present.sections.headline import headline_tiles

AREAS = ("Incidents", "Latency", "Stacks", "Finance")
"""The groups of controls, in the order shown."""
_AREA_OF = {
    "incidents": "Incidents",
    "latency": "Latency",
    "instrumentation": "Stacks",
    "self_run": "Stacks",
    "managed": "Stacks",
    "rollout": "Stacks",
    "lock_in": "Stacks",
    "discount": "Stacks",
}
LEVERS = (
    "business.revenue_per_hour",
    "latency.conversion_lift_per_100ms",
    "latency.latency_attribution_fraction",
    "instrumentation.spans_per_request",
    "instrumentation.sampling_rate",
    "timeline.traffic_growth_per_month",
    "finance.discount_rate",
    "finance.benefit_risk",
    "finance.cost_risk",
)
"""Controls shown whether or not they are ranged (besides MTTR and incident counts)."""
DISCOUNT_PREFIX = "discount."
"""Path prefix of the virtual controls ``discount.<vendor>``: a share off every list price."""
CHANGED_SOURCE = "changed in the explorer on {date}"
"""The source written beside every number the explorer changed."""
MC_SAMPLES = 10_000
"""Monte Carlo samples of the button: the default of ``roi simulate``."""
MC_SEED = 0
"""Monte Carlo seed of the button: the default of ``roi simulate``."""
SAFE = "tex2jax_ignore mathjax_ignore"
"""Classes that keep MathJax (JupyterLab, Voilà) off the dollar amounts inside."""
_LABEL_WIDTH = "20em"


@dataclass(frozen=True)
class ControlSpec:
    """What one control edits and how it is shown."""

    path: str
    """Parameter path, or ``discount.<vendor>``."""
    label: str
    """Readable name without the unit."""
    unit: str
    """Canonical unit, currency filled in (``fraction``, ``h``, ``USD/unit-month``)."""
    factor: float
    """Shown value = canonical value x factor (100 for fractions shown as %)."""
    shown_unit: str
    bounds: tuple[float, float]
    """The field's allowed values [canonical unit]; outside them a value is refused."""
    range: tuple[float, float] | None
    """The scenario's 90 % interval [canonical unit], None for a point estimate."""
    default_range: bool
    """The range is the default uncertainty of a point estimate, not one the file states."""
    source: str
    area: str
    swing: float
    """Tornado swing of NPV [currency]; 0 for controls outside the tornado."""
    value: float
    """The scenario's number [canonical unit]."""

    def shown(self, value: float) -> float:
        """``value`` [canonical] in the shown unit."""
        return value * self.factor

    def canonical(self, shown: float) -> float:
        """A shown value back in the canonical unit."""
        return shown / self.factor

    def text(self, value: float) -> str:
        """``value`` [canonical] as the person reads it, with its unit."""
        return f"{_number(self.shown(value))} {self.shown_unit}".strip()

    def range_text(self) -> str:
        """The scenario's range, or 'point estimate'."""
        if self.range is None:
            return "point estimate"
        low, high = (self.shown(v) for v in self.range)
        which = "default range" if self.default_range else "scenario's range"
        return f"{which} {_number(low)} to {_number(high)} {self.shown_unit}".strip()

    def refusal(self, value: float) -> str | None:
        """Why ``value`` [canonical] is not allowed, or None when it is."""
        low, high = self.bounds
        if not math.isfinite(value):
            return "refused: not a number"
        if value < low or value > high or (low > 0 and value <= 0):
            lo = "" if math.isinf(low) else _number(self.shown(low))
            hi = "" if math.isinf(high) else _number(self.shown(high))
            allowed = f"{lo} to {hi}" if lo and hi else f"at least {lo}" if lo else f"at most {hi}"
            if low > 0 and not hi:
                allowed = "above 0"
            return (
                f"refused: {self.text(value)} is out of range; allowed: {allowed} {self.shown_unit}"
            )
        return None


def _number(v: float) -> str:
    """A number to read: thousands separated above 100, three significant digits below.

    >>> _number(1266.7), _number(0.0035), _number(45.0)
    ('1,267', '0.0035', '45')
    """
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _step(shown: float) -> float:
    """A keyboard step of about a tenth of the value's magnitude."""
    if shown == 0 or not math.isfinite(shown):
        return 0.01
    return float(10 ** (math.floor(math.log10(abs(shown))) - 1))


def _area(path: str) -> str:
    return _AREA_OF.get(path.split(".")[0], "Finance")


def control_specs(scenario: Scenario) -> list[ControlSpec]:
    """The controls of ``scenario``: ranged inputs (its tornado) first by swing, then every
    vendor price and discount and the usual levers; grouped by :data:`AREAS` when shown."""
    table = parameters(scenario)
    cur = scenario.currency
    ranged = {i.path: i for i in ranged_inputs(scenario)}
    swings = {r.path: r.swing for r in tornado(scenario).rows} if ranged else {}
    paths = sorted(ranged, key=lambda p: -swings.get(p, 0.0))
    for sev, sv in scenario.incidents.severities.items():
        base = f"incidents.severities.{sev}."
        field = (
            "mttr_reduction_fraction"
            if sv.mttr_reduction_fraction is not None
            else "mttr_hours_after"
        )
        paths += [base + field, base + "incidents_per_month"]
    for vendor in scenario.managed.vendors:
        paths += [
            f"{vendor_prefix(vendor, c.driver)}.price_per_unit" for c in VENDORS[vendor].components
        ]
    paths += list(LEVERS)
    out: list[ControlSpec] = []
    seen: set[str] = set()
    for path in paths:
        if path in seen or path not in table:
            continue
        seen.add(path)
        q = table[path]
        spec = spec_at(path)
        unit = display_unit(spec.unit, cur) if spec is not None else (q.unit or "")
        if path.startswith("managed.prices."):
            unit = q.unit or unit  # USD/host/month reads better than USD/unit-month
        shown = display_unit_of(unit)
        r = ranged.get(path)
        with_unit = input_label(path, unit, scenario)
        label = with_unit.removesuffix(f" ({shown})") if unit else with_unit
        out.append(
            ControlSpec(
                path,
                label,
                unit,
                100.0 if unit.startswith("fraction") else 1.0,
                shown,
                support_of(path),
                r.distribution.interval90 if r is not None else None,
                r.default if r is not None else False,
                q.source or "no source given",
                _area(path),
                swings.get(path, 0.0),
                q.value,
            )
        )
        if (
            path.startswith("managed.prices.")
            and f"{DISCOUNT_PREFIX}{path.split('.')[2]}" not in seen
        ):
            vendor = path.split(".")[2]
            seen.add(DISCOUNT_PREFIX + vendor)
            out.append(
                ControlSpec(
                    DISCOUNT_PREFIX + vendor,
                    f"{VENDORS[vendor].label}: discount on list prices",
                    "fraction",
                    100.0,
                    "%",
                    (0.0, 1.0),
                    None,
                    False,
                    "a negotiated discount off every price of this vendor; saved as its prices",
                    "Stacks",
                    0.0,
                    0.0,
                )
            )
    return out


def recommendation_text(evaluation: Evaluation, key: str) -> str:
    """Which option is recommended and why, and how the one shown compares (plain text)."""
    best = best_option(evaluation)
    cur = evaluation.scenario.currency
    allowed = allowed_options(evaluation)

    def npv(k: str) -> float:
        return float(np.asarray(evaluation.options[k].kpis["npv"]))

    policy = "" if len(allowed) == len(non_baseline(evaluation)) else " that policy allows"
    if best == "do-nothing":
        why = f"Recommended: do nothing. No option{policy} has a positive risk-adjusted NPV"
        closest = max(allowed, key=npv) if allowed else None
        if closest is not None:
            why += (
                f"; the closest, {evaluation.options[closest].label}, has "
                f"{compact_money(npv(closest), cur)}"
            )
        why += "."
    else:
        others = sorted((k for k in allowed if k != best), key=npv, reverse=True)
        why = (
            f"Recommended: {evaluation.options[best].label}, the highest risk-adjusted NPV"
            f"{policy} ({compact_money(npv(best), cur)}"
            + (
                f"; next {evaluation.options[others[0]].label} at "
                f"{compact_money(npv(others[0]), cur)}"
                if others
                else ""
            )
            + ")."
        )
    if key != best:
        why += f" Shown: {evaluation.options[key].label}."
        if key not in allowed:
            why += " Policy rules it out."
    return why


class Explorer(widgets.VBox):
    """The explorer box.

    Attributes: ``specs`` and ``controls`` by path, ``option`` (the picker), ``elasticity`` (a
    preset picker that sets the elasticity control, or None), the buttons, ``tiles`` (one HTML
    widget: recommendation, tiles and chart), ``status``, ``evaluation`` (the latest result) and
    ``simulation`` (the latest Monte Carlo, None until run or after a change).
    """

    def __init__(
        self,
        scenario: Scenario,
        path: str | Path | None = None,
        *,
        on_save: Callable[[str], Path] | None = None,
        on_render: Callable[[Path], str] | None = None,
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.scenario = scenario
        self.path = Path(path) if path is not None else None
        self.on_save = on_save
        self.on_render = on_render
        self.today = today or dt.date.today()
        self.table = parameters(scenario)
        self.specs = {s.path: s for s in control_specs(scenario)}
        self.accepted: dict[str, float] = {p: s.value for p, s in self.specs.items()}
        self.simulation: Simulation | None = None
        self.saved: Path | None = None
        self.notes: dict[str, widgets.HTML] = {}
        self._quiet = False
        self.controls: dict[str, widgets.FloatText] = {}
        rows: dict[str, list[widgets.Widget]] = {a: [] for a in AREAS}
        for spec in self.specs.values():
            rows[spec.area].append(self._row(spec))
        base = evaluate(scenario)
        self.evaluation: Evaluation = base
        self.option = widgets.Dropdown(
            options=[(o.label, o.key) for o in non_baseline(base)],
            value=focus_option(base),
            description="Option shown",
            style={"description_width": "7em"},
            layout={"width": "32em"},
        )
        self.option.observe(self._changed, names="value")
        self.elasticity: widgets.Dropdown | None = None
        if "latency.conversion_lift_per_100ms" in self.controls:
            self.elasticity = widgets.Dropdown(
                options=[("pick a study…", "")]
                + [
                    (f"{e.key} ({e.conversion_lift_per_100ms * 100:.2g} % per 100 ms)", e.key)
                    for e in ELASTICITY.values()
                ],
                value="",
                description="Elasticity from a study",
                style={"description_width": "12em"},
                layout={"width": "34em"},
            )
            self.elasticity.observe(self._preset, names="value")
            rows["Latency"].insert(0, self.elasticity)
        areas = [a for a in AREAS if rows[a]]
        self.groups = widgets.Tab(
            children=[widgets.VBox(rows[a]) for a in areas],
            titles=[f"{a} ({sum(isinstance(r, widgets.HBox) for r in rows[a])})" for a in areas],
        )
        self.monte_carlo_button = widgets.Button(description="Run Monte Carlo", icon="")
        self.save_button = widgets.Button(description="Save scenario")
        self.render_button = widgets.Button(description="Render report")
        self.reset_button = widgets.Button(description="Back to the file")
        self.monte_carlo_button.on_click(lambda _b: self.run_monte_carlo())
        self.save_button.on_click(lambda _b: self.save())
        self.render_button.on_click(lambda _b: self.render())
        self.reset_button.on_click(lambda _b: self.reset())
        self.progress = widgets.IntProgress(
            value=0, min=0, max=3, description="", layout={"width": "10em", "visibility": "hidden"}
        )
        self.tiles = widgets.HTML()
        self.tiles.add_class("roi-explore-view")
        self.status = widgets.HTML()
        self.links = widgets.HTML()
        buttons = widgets.HBox(
            [
                self.monte_carlo_button,
                self.progress,
                self.save_button,
                self.render_button,
                self.reset_button,
            ]
        )
        super().__init__(
            [self.option, self.tiles, buttons, self.status, self.links, self.groups], **kwargs
        )
        self.add_class(SAFE)
        self.update()

    # --- controls ----------------------------------------------------------------------------

    def _row(self, spec: ControlSpec) -> widgets.HBox:
        shown = spec.shown(spec.value)
        control = widgets.FloatText(
            value=shown,
            step=_step(shown),
            tooltip=f"source: {spec.source}",
            layout={"width": "9em"},
            continuous_update=False,
        )
        control.add_class("roi-control")
        control.add_class("roi-control-" + spec.path.replace(".", "-"))
        control.observe(lambda change, p=spec.path: self._edited(p, change["new"]), names="value")
        self.controls[spec.path] = control
        label = widgets.HTML(
            f'<span class="{SAFE}" title="source: {esc(spec.source)}" '
            f'style="white-space: normal; line-height: 1.2">{esc(spec.label)}</span>',
            layout={"width": _LABEL_WIDTH},
        )
        unit = widgets.HTML(
            f'<span class="{SAFE}" title="source: {esc(spec.source)}">{esc(spec.shown_unit)}'
            f" · {esc(spec.range_text())}</span>",
            layout={"width": "18em"},
        )
        note = widgets.HTML(layout={"width": "22em"})
        self.notes[spec.path] = note
        return widgets.HBox([label, control, unit, note])

    def _edited(self, path: str, shown: float) -> None:
        if self._quiet:
            return
        spec = self.specs[path]
        value = spec.canonical(float(shown))
        why = spec.refusal(value)
        note = self.notes[path]
        if why is not None:
            note.value = f'<span class="roi-refused" style="color:#b00020">{esc(why)}</span>'
            self.status.value = esc(
                f"{spec.label}: {why}; the model keeps {spec.text(self.accepted[path])}."
            )
            return
        r = spec.range
        if r is not None and not r[0] <= value <= r[1]:
            which = "default" if spec.default_range else "scenario's"
            note.value = (
                '<span class="roi-outside" style="color:#8a5a00">accepted, outside the '
                f"{which} range</span>"
            )
        else:
            note.value = ""
        self.accepted[path] = value
        self.update()

    def _preset(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            e = ELASTICITY[change["new"]]
            control = self.controls["latency.conversion_lift_per_100ms"]
            control.value = self.specs["latency.conversion_lift_per_100ms"].shown(
                e.conversion_lift_per_100ms
            )

    def values(self) -> dict[str, float]:
        """The numbers the controls hold, by parameter path, for :func:`roi.model.evaluate`
        (a vendor discount applied to that vendor's prices)."""
        out = {p: v for p, v in self.accepted.items() if not p.startswith(DISCOUNT_PREFIX)}
        for p, d in self.accepted.items():
            if p.startswith(DISCOUNT_PREFIX) and d:
                vendor = p.removeprefix(DISCOUNT_PREFIX)
                for c in VENDORS[vendor].components:
                    price = f"{vendor_prefix(vendor, c.driver)}.price_per_unit"
                    if price in self.table:
                        out[price] = out.get(price, self.table[price].value) * (1.0 - d)
        return out

    def changed(self) -> dict[str, float]:
        """The numbers that differ from the scenario's, by parameter path."""
        return {
            k: v
            for k, v in self.values().items()
            if abs(v - self.table[k].value) > 1e-12 * max(1.0, abs(self.table[k].value))
        }

    # --- the view ----------------------------------------------------------------------------

    def _changed(self, _change: Mapping[str, Any]) -> None:
        self.update()

    def update(self, simulation: Simulation | None = None) -> None:
        """Evaluate with the controls' values and refresh tiles and chart together; a Monte
        Carlo is shown only until the next change."""
        self.simulation = simulation
        self.evaluation = evaluate(self.scenario, self.changed())
        key = self.option.value
        option = self.evaluation.options[key]
        npv = float(np.asarray(option.kpis["npv"]))
        parts = [
            stylesheet(),
            f'<p class="roi-recommend">{esc(recommendation_text(self.evaluation, key))}</p>',
            headline_tiles(self.evaluation, key, cast(Any, simulation)),
        ]
        if simulation is not None and key in simulation.options:
            sim = simulation.options[key]
            parts.append(
                f'<p class="roi-loss">Chance of a loss (NPV below zero): '
                f"{esc(percent(sim.prob_npv_negative, 1))}; P50 NPV "
                f"{esc(compact_money(sim.summary()['npv']['p50'], self.scenario.currency))} "
                f"from {simulation.samples:,} samples, seed {simulation.seed}</p>"
            )
        parts.append(cumulative_net_svg(self.evaluation, key))
        self.tiles.value = (
            f'<div class="{SAFE} roi-explore" data-option="{esc(key)}" data-npv="{npv:.6g}">'
            + "".join(parts)
            + "</div>"
        )
        n = len(self.changed())
        self.status.value = (
            "Showing the file's own numbers."
            if n == 0
            else f"{n} number{'s' if n > 1 else ''} changed from the file."
        )

    # --- buttons -----------------------------------------------------------------------------

    def changes_document(self) -> dict[str, Any]:
        """The scenario file of the changes: ``extends:`` the original (a sibling file), a name
        saying so, and each changed number with its unit and the explorer as its source."""
        if self.path is None:
            raise ValueError("the explorer was opened without the scenario's file")
        date = self.today.isoformat()
        doc: dict[str, Any] = {
            "extends": self.path.name,
            "name": f"{self.scenario.name} (explored {date})",
        }
        for path, value in sorted(self.changed().items()):
            q: Quantity = self.table[path]
            spec = spec_at(path)
            unit = display_unit(spec.unit, self.scenario.currency) if spec else q.unit
            entry: dict[str, Any] = {
                "value": value,
                "unit": unit,
                "source": CHANGED_SOURCE.format(date=date),
                "note": f"was {q.value:g}" + (f" ({q.source})" if q.source else ""),
            }
            node = doc
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = entry
        return doc

    def scenario_text(self) -> str:
        """:meth:`changes_document` as YAML, with a header comment."""
        body = yaml.safe_dump(self.changes_document(), sort_keys=False, allow_unicode=True)
        return f"# Saved by roi explore on {self.today.isoformat()}: only what changed.\n{body}"

    def changed_scenario(self) -> Scenario:
        """The scenario the saved file would load as (the file itself when nothing changed)."""
        if not self.changed():
            return self.scenario
        if self.path is None:
            raise ValueError("the explorer was opened without the scenario's file")
        doc = self.changes_document()
        doc.pop("extends")
        data = merge(resolve(self.path), doc)
        return validate(apply_exports(data, str(self.path), read_yaml), str(self.path))

    def run_monte_carlo(self) -> Simulation | None:
        """A Monte Carlo of the scenario as changed (:data:`MC_SAMPLES`, :data:`MC_SEED`, as
        ``roi simulate`` on the saved file); the tiles then show P10-P90 and the chance of a
        loss."""
        self.progress.layout.visibility = "visible"
        self.progress.value = 1
        self.status.value = f"Running a Monte Carlo of {MC_SAMPLES:,} samples…"
        try:
            scenario = self.changed_scenario()
        except ValueError as exc:
            self.status.value = esc(f"Monte Carlo not run: {exc}")
            self.progress.layout.visibility = "hidden"
            return None
        self.progress.value = 2
        sim = simulate(scenario, samples=MC_SAMPLES, seed=MC_SEED)
        self.progress.value = 3
        self.update(sim)
        self.status.value += f" Monte Carlo: {MC_SAMPLES:,} samples, seed {MC_SEED}."
        self.progress.layout.visibility = "hidden"
        return sim

    def save(self) -> Path | None:
        """Hand :meth:`scenario_text` to ``on_save``; link the file it wrote."""
        if self.on_save is None or self.path is None:
            self.status.value = "Saving needs the scenario's file (use roi explore)."
            return None
        self.saved = self.on_save(self.scenario_text())
        self.links.value = (
            f'<span class="{SAFE}">Saved <code class="roi-saved">{esc(self.saved)}</code> '
            f"({len(self.changed())} changes; extends {esc(self.path.name)})</span>"
        )
        return self.saved

    def render(self) -> str | None:
        """Save, then hand the saved file to ``on_render`` and link the report it returns."""
        if self.on_render is None:
            self.status.value = "Rendering needs roi explore."
            return None
        saved = self.save()
        if saved is None:
            return None
        self.status.value = "Rendering the report…"
        href = self.on_render(saved)
        self.links.value += (
            f' · <a class="roi-report-link" href="{esc(href)}" target="_blank">open the report</a>'
        )
        self.status.value = "Report rendered."
        return href

    def reset(self) -> None:
        """Put every control back to the file's number and the recommended option, then
        recompute once."""
        self.accepted = {p: s.value for p, s in self.specs.items()}
        for path, control in self.controls.items():
            self._quiet = True
            try:
                control.value = self.specs[path].shown(self.specs[path].value)
            finally:
                self._quiet = False
            self.notes[path].value = ""
        self.option.unobserve(self._changed, names="value")
        self.option.value = focus_option(evaluate(self.scenario))
        self.option.observe(self._changed, names="value")
        if self.elasticity is not None:
            self.elasticity.unobserve(self._preset, names="value")
            self.elasticity.value = ""
            self.elasticity.observe(self._preset, names="value")
        self.update()


def explorer(scenario: Scenario, path: str | Path | None = None, **kwargs: Any) -> Explorer:
    """An ipywidgets box to explore ``scenario`` (read from ``path``, needed to save and to run
    a Monte Carlo of changes): change an assumption, see NPV, ROI, payback and cumulative net
    cash recompute."""
    return Explorer(scenario, path, **kwargs)
