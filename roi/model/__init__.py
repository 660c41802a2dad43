"""The model layer: pure sub-model functions of arrays and :func:`evaluate`, which composes them
into the business case of one scenario."""

from roi.model.evaluation import Evaluation, Input, LineItem, OptionResult, evaluate

__all__ = ["Evaluation", "Input", "LineItem", "OptionResult", "evaluate"]
