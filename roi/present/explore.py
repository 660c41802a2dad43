"""Exploring a scenario interactively: sliders for the assumptions that matter most, headline
tiles and a cumulative net cash chart that recompute through :func:`roi.model.evaluate`.

``explorer(scenario)`` returns an ipywidgets box for JupyterLab (or Voilà). Every control has
``continuous_update=False``: the model runs when a slider is released, not while it moves. The
callbacks are plain Python, so setting a control's ``.value`` recomputes synchronously, with or
without a kernel (that is how the tests drive it).

Widget state does not survive papermill, so reports run with ``interactive=False`` and show static
figures; the notebooks show the explorer only when ``interactive=True``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from roi.analysis.decision import focus_option
from roi.inputs.parameters import parameters
from roi.inputs.presets import ELASTICITY
from roi.inputs.schema import Scenario
from roi.model import Evaluation, evaluate
from roi.present.charts import business as charts
from roi.present.charts import render
from roi.present.html import stylesheet
from roi.present.read import non_baseline
from roi.present.sections.headline import headline_tiles

OWN_ELASTICITY = "scenario"
"""Dropdown value meaning: keep the scenario's own elasticity."""
_STYLE = {"description_width": "15em"}
_LAYOUT = {"width": "30em"}


def _slider(
    description: str,
    value: float,
    low: float,
    high: float,
    step: float,
    readout: str = ".2f",
    integer: bool = False,
) -> widgets.ValueWidget:
    """A slider that recomputes on release, with bounds that always hold ``value``."""
    high = max(high, value)
    low = min(low, value)
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    kwargs: dict[str, Any] = {
        "value": round(value) if integer else value,
        "min": int(low) if integer else low,
        "max": round(high) if integer else high,
        "step": max(round(step), 1) if integer else step,
        "description": description,
        "continuous_update": False,
        "style": _STYLE,
        "layout": _LAYOUT,
    }
    if not integer:
        kwargs["readout_format"] = readout
    return cls(**kwargs)


class Explorer(widgets.VBox):
    """The explorer box: ``controls`` by parameter path, an option and an elasticity dropdown,
    ``tiles`` (HTML) and ``chart`` (PNG image), and ``evaluation``, the latest result."""

    def __init__(self, scenario: Scenario, **kwargs: Any) -> None:
        self.scenario = scenario
        self.table = parameters(scenario)
        self.controls: dict[str, widgets.ValueWidget] = self._controls()
        options = non_baseline(evaluate(scenario))
        self.option = widgets.Dropdown(
            options=[(o.label, o.key) for o in options],
            value=focus_option(evaluate(scenario)),
            description="Option shown",
            style=_STYLE,
            layout=_LAYOUT,
        )
        self.elasticity: widgets.Dropdown | None = None
        if scenario.latency is not None:
            choices = [
                (f"{e.key} ({e.conversion_lift_per_100ms * 100:.2g} % per 100 ms)", e.key)
                for e in ELASTICITY.values()
            ]
            own = scenario.latency.conversion_lift_per_100ms
            if own is not None:
                choices.insert(
                    0, (f"scenario's own ({own.value * 100:.2g} % per 100 ms)", OWN_ELASTICITY)
                )
            self.elasticity = widgets.Dropdown(
                options=choices,
                value=OWN_ELASTICITY if own is not None else scenario.latency.elasticity_preset,
                description="Elasticity",
                style=_STYLE,
                layout=_LAYOUT,
            )
        self.reset_button = widgets.Button(description="Back to the scenario's numbers")
        self.reset_button.on_click(lambda _b: self.reset())
        self.tiles = widgets.HTML()
        self.chart = widgets.Image(format="png")
        self.status = widgets.HTML()
        self.evaluation: Evaluation = evaluate(scenario)
        inputs = [*self.controls.values(), self.option]
        if self.elasticity is not None:
            inputs.insert(len(inputs) - 1, self.elasticity)
        for w in inputs:
            w.observe(self._changed, names="value")
        half = (len(inputs) + 1) // 2
        panel = widgets.HBox([widgets.VBox(inputs[:half]), widgets.VBox(inputs[half:])])
        super().__init__(
            [panel, widgets.HBox([self.reset_button, self.status]), self.tiles, self.chart],
            **kwargs,
        )
        self.update()

    # --- controls ----------------------------------------------------------------------------

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        s, p = self.scenario, self.table
        out: dict[str, widgets.ValueWidget] = {}
        for sev, sv in s.incidents.severities.items():
            base = f"incidents.severities.{sev}."
            if sv.mttr_reduction_fraction is not None:
                out[base + "mttr_reduction_fraction"] = _slider(
                    f"{sev}: MTTR reduction", sv.mttr_reduction_fraction.value, 0.0, 0.9, 0.05
                )
            else:
                before = sv.mttr_hours_before.value
                out[base + "mttr_hours_after"] = _slider(
                    f"{sev}: MTTR after (h)", sv.mttr_hours_after_value, 0.0, before, before / 50
                )
            n = sv.incidents_per_month.value
            out[base + "incidents_per_month"] = _slider(
                f"{sev}: incidents a month", n, 0.0, max(3 * n, 1.0), max(n, 1.0) / 20, ".1f"
            )
        revenue = p["business.revenue_per_hour"].value
        out["business.revenue_per_hour"] = _slider(
            f"Revenue per hour ({s.currency})",
            revenue,
            0.0,
            max(3 * revenue, 1.0),
            max(revenue, 1.0) / 50,
            ",.0f",
        )
        if s.latency is not None:
            out["latency.latency_attribution_fraction"] = _slider(
                "Latency gain credited to tracing",
                p["latency.latency_attribution_fraction"].value,
                0.0,
                1.0,
                0.05,
            )
        spans = p["instrumentation.spans_per_request"].value
        out["instrumentation.spans_per_request"] = _slider(
            "Spans per request", spans, 1, max(4 * spans, 50), 1, integer=True
        )
        out["instrumentation.sampling_rate"] = _slider(
            "Sampling rate", p["instrumentation.sampling_rate"].value, 0.01, 1.0, 0.01
        )
        out["timeline.traffic_growth_per_month"] = _slider(
            "Traffic growth a month",
            p["timeline.traffic_growth_per_month"].value,
            0.0,
            0.10,
            0.005,
            ".3f",
        )
        out["finance.discount_rate"] = _slider(
            "Discount rate a year", p["finance.discount_rate"].value, 0.0, 0.30, 0.01
        )
        out["finance.benefit_risk"] = _slider(
            "Benefit risk adjustment", p["finance.benefit_risk"].value, 0.0, 0.5, 0.05
        )
        out["finance.cost_risk"] = _slider(
            "Cost risk adjustment", p["finance.cost_risk"].value, 0.0, 0.5, 0.05
        )
        return out

    def values(self) -> dict[str, float]:
        """The numbers the controls hold, by parameter path, for :func:`roi.model.evaluate`."""
        out = {path: float(w.value) for path, w in self.controls.items()}
        if self.elasticity is not None and self.elasticity.value != OWN_ELASTICITY:
            out["latency.conversion_lift_per_100ms"] = ELASTICITY[
                self.elasticity.value
            ].conversion_lift_per_100ms
        return out

    def changed(self) -> dict[str, float]:
        """The controls that differ from the scenario's numbers."""
        point = {k: q.value for k, q in self.table.items()}
        return {k: v for k, v in self.values().items() if abs(v - point[k]) > 1e-12}

    # --- callbacks ---------------------------------------------------------------------------

    def _changed(self, _change: Mapping[str, Any]) -> None:
        self.update()

    def update(self) -> None:
        """Evaluate with the controls' values and refresh the tiles and the chart."""
        self.evaluation = evaluate(self.scenario, self.values())
        key = self.option.value
        self.tiles.value = str(stylesheet() + headline_tiles(self.evaluation, key, None))
        fig = charts.cumulative_net_cash(self.evaluation)
        self.chart.value = render(fig, "png", 150)
        n = len(self.changed())
        self.status.value = (
            "Showing the scenario's own numbers."
            if n == 0
            else f"{n} assumption{'s' if n > 1 else ''} changed from the scenario."
        )

    def reset(self) -> None:
        """Put every control back to the scenario's number, then recompute once."""
        widgets_ = list(self.controls.values())
        if self.elasticity is not None:
            widgets_.append(self.elasticity)
        for w in widgets_:
            w.unobserve(self._changed, names="value")
        try:
            for path, w in self.controls.items():
                value = self.table[path].value
                w.value = round(value) if isinstance(w, widgets.IntSlider) else value
            if self.elasticity is not None and self.scenario.latency is not None:
                own = self.scenario.latency.conversion_lift_per_100ms is not None
                self.elasticity.value = (
                    OWN_ELASTICITY if own else self.scenario.latency.elasticity_preset
                )
        finally:
            for w in widgets_:
                w.observe(self._changed, names="value")
        self.update()


def explorer(scenario: Scenario) -> Explorer:
    """An ipywidgets box to explore ``scenario``: change an assumption, see NPV, ROI, payback and
    cumulative net cash recompute (point estimates; the report shows the ranges)."""
    return Explorer(scenario)
