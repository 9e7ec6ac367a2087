"""Live controls for Jupyter, Binder and Colab: move a parameter, see the figure redraw."""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt

__all__ = ["explorer", "slider", "dropdown"]


def slider(description: str, low: float, high: float, step: float, value: float) -> widgets.FloatSlider:
    """A float slider that redraws on release (a redraw per pixel of drag is slow on Binder)."""
    if not low <= value <= high:
        raise ValueError(f"value must lie in [low, high] = [{low}, {high}], got {value}")
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, readout_format=".2f")


def dropdown(description: str, options, value=None) -> widgets.Dropdown:
    """A dropdown over ``options`` (a list, or a dict from label to value)."""
    options = list(options.items()) if isinstance(options, dict) else list(options)
    if not options:
        raise ValueError("options must not be empty")
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return widgets.Dropdown(options=options, value=first if value is None else value, description=description)


def explorer(draw: Callable[..., object], **controls: widgets.ValueWidget) -> widgets.VBox:
    """Controls above a figure: ``draw(**values)`` draws with pyplot and is re-run on every change.

    Example: ``explorer(draw_neuron, w1=slider("w1", -3, 3, 0.1, 1.0), activation=dropdown(...))``.
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not controls:
        raise ValueError("explorer needs at least one control")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets value widget, got {type(control).__name__}")
    output = widgets.Output()

    def redraw(_change=None) -> None:
        with output:
            output.clear_output(wait=True)
            draw(**{name: control.value for name, control in controls.items()})
            plt.show()

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")), output])
