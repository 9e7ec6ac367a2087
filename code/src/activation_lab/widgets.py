"""Live controls for Jupyter, Binder and Colab, with a kernel-free twin for the static site,
and the other things a notebook displays: a progress bar and a function's source.

:func:`explorer` returns one object that displays as live ipywidgets wherever a
kernel runs, and, given ``static=``, also carries an HTML twin: the figure
pre-rendered for a grid of control values and a range input per control that
flips between the pictures in the browser. The published page shows the twin.
"""

from __future__ import annotations

import base64
import html
import inspect
import io
import itertools
import json
from typing import Callable, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import Code, Image, display

__all__ = ["explorer", "slider", "dropdown", "Explorer", "MAX_STATIC_FRAMES", "progress_bar", "show_source"]

MAX_STATIC_FRAMES = 48
"""Upper bound on pre-rendered pictures per explorer: they are stored in the notebook."""


def slider(description: str, low: float, high: float, step: float, value: float) -> widgets.FloatSlider:
    r"""A float slider that redraws on release (a redraw per pixel of drag is slow on Binder).

    Its readout shows two decimals.

    Args:
        description: the label shown beside the slider.
        low: the smallest value.
        high: the largest value.
        step: the distance between neighbouring values, positive.
        value: the initial value, in ``[low, high]``.

    Returns:
        An ``ipywidgets.FloatSlider`` with ``continuous_update=False``.

    Example:
        >>> import activation_lab as al
        >>> control = al.slider("w1", -3.0, 3.0, 0.1, 1.0)
        >>> type(control).__name__, control.description, control.value, control.continuous_update
        ('FloatSlider', 'w1', 1.0, False)
    """
    if not low <= value <= high:
        raise ValueError(f"value must lie in [low, high] = [{low}, {high}], got {value}")
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, readout_format=".2f")


def dropdown(description: str, options, value=None) -> widgets.Dropdown:
    r"""A dropdown over ``options`` (a list, or a dict from label to value).

    Args:
        description: the label shown beside the dropdown.
        options: a non-empty list of values, or a dict from label to value.
        value: the initial value (default the first option's value).

    Returns:
        An ``ipywidgets.Dropdown``.

    Example:
        >>> import activation_lab as al
        >>> control = al.dropdown("init", {"He": "he", "Xavier": "xavier"})
        >>> type(control).__name__, control.label, control.value
        ('Dropdown', 'He', 'he')
        >>> al.dropdown("f", ["relu", "tanh"], value="tanh").value
        'tanh'
    """
    options = list(options.items()) if isinstance(options, dict) else list(options)
    if not options:
        raise ValueError("options must not be empty")
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return widgets.Dropdown(options=options, value=first if value is None else value, description=description)


class Explorer:
    r"""What :func:`explorer` returns: ``widget`` for a live kernel, ``static_html`` for the page.

    Displayed in a notebook, it offers both representations; a Jupyter front end
    with a widget manager renders the live widget, the book renders the HTML.

    Args:
        widget: the live widget, controls above the picture.
        controls: the controls' names, in order.
        static_html: the pre-rendered twin, or ``None`` (default) for none.
        static_png: the twin's first picture with a line pointing to the website, as base64
            PNG, for outputs that show neither widgets nor HTML (the book's PDF).
        static_alt: that picture's alt text, stored in the output's metadata.

    Example:
        >>> import ipywidgets
        >>> from activation_lab.widgets import Explorer
        >>> box = ipywidgets.VBox([ipywidgets.FloatSlider()])
        >>> Explorer(box, ["w1"])
        Explorer(controls=['w1'], static=False)
        >>> sorted(Explorer(box, ["w1"], "<p>picture</p>")._repr_mimebundle_())
        ['application/vnd.jupyter.widget-view+json', 'text/html', 'text/plain']
    """

    def __init__(self, widget: widgets.Widget, controls: Sequence[str], static_html: str | None = None,
                 static_png: str | None = None, static_alt: str | None = None):
        self.widget = widget
        self.controls = tuple(controls)
        self.static_html = static_html
        self.static_png = static_png
        self.static_alt = static_alt

    def __repr__(self) -> str:
        return f"Explorer(controls={list(self.controls)}, static={self.static_html is not None})"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = repr(self)
        if self.static_html is not None:
            bundle["text/html"] = self.static_html
        if self.static_png is None:
            return bundle
        bundle["image/png"] = self.static_png
        return bundle, {"image/png": {"alt": self.static_alt or "The explorer's first picture."}}


_PRINTED_NOTE = "Interactive in the online version of the course, and in the notebook."


def _render_png(draw: Callable[..., object], values: dict, note: str | None = None) -> str:
    before = set(plt.get_fignums())
    draw(**values)
    new = [n for n in plt.get_fignums() if n not in before]
    if not new:
        raise ValueError("draw must create a matplotlib figure")
    buffer = io.BytesIO()
    figure = plt.figure(new[-1])
    if note is not None:
        figure.text(0.5, -0.02, note, ha="center", va="top", fontsize=9, style="italic")
    figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    for number in new:
        plt.close(number)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _label(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


# Reads every range input of its explorer, shows the picture whose key matches, updates readouts.
_ON_INPUT = ("var c=this.closest('.al-static-explorer');"
             "var r=Array.prototype.slice.call(c.querySelectorAll('input[type=range]'));"
             "var k=r.map(function(e){return e.value;}).join('-');"
             "c.querySelectorAll('img').forEach(function(i){i.hidden=(i.dataset.key!==k);});"
             "r.forEach(function(e){e.nextElementSibling.textContent=JSON.parse(e.dataset.labels)[e.value];});")


def _static_twin(draw, controls: Mapping[str, widgets.ValueWidget], static: Mapping[str, Sequence],
                 alt: str) -> str:
    for name, values in static.items():
        if name not in controls:
            raise ValueError(f"static names a control that does not exist: {name!r}; controls are {sorted(controls)}")
        if isinstance(values, (str, bytes)) or len(values) == 0:
            raise ValueError(f"static[{name!r}] must be a non-empty list of values")
    names = list(static)
    sizes = [len(static[n]) for n in names]
    frames = 1
    for size in sizes:
        frames *= size
    if frames > MAX_STATIC_FRAMES:
        raise ValueError(f"static asks for {frames} pictures; at most {MAX_STATIC_FRAMES} are stored")
    initial = {name: control.value for name, control in controls.items()}
    start = [min(range(len(static[n])), key=lambda i, n=n: _distance(static[n][i], initial[n])) for n in names]
    parts = ['<div class="al-static-explorer" role="group" aria-label="Pre-rendered explorer">']
    for axis, name in enumerate(names):
        labels = json.dumps([_label(v) for v in static[name]])
        parts.append(
            f'<div class="al-static-control"><label>{html.escape(name)} '
            f'<input type="range" min="0" max="{sizes[axis] - 1}" step="1" value="{start[axis]}" '
            f'data-labels="{html.escape(labels)}" oninput="{html.escape(_ON_INPUT)}" '
            f'aria-label="{html.escape(name)}"> '
            f'<output>{html.escape(_label(static[name][start[axis]]))}</output></label></div>')
    for index in itertools.product(*(range(s) for s in sizes)):
        values = dict(initial)
        values.update({name: static[name][i] for name, i in zip(names, index)})
        key = "-".join(str(i) for i in index)
        description = alt.format(**values)
        hidden = "" if list(index) == start else " hidden"
        parts.append(f'<img src="data:image/png;base64,{_render_png(draw, values)}" data-key="{key}" '
                     f'alt="{html.escape(description)}"{hidden}>')
    parts.append("</div>")
    return "\n".join(parts)


def _distance(a, b) -> float:
    try:
        return abs(float(a) - float(b))
    except (TypeError, ValueError):
        return 0.0 if a == b else 1.0


def explorer(draw: Callable[..., object], *, static: Mapping[str, Sequence] | None = None,
             alt: str | None = None, **controls: widgets.ValueWidget) -> Explorer:
    r"""Controls above a figure: ``draw(**values)`` draws with pyplot and is re-run on every change.

    ``draw`` runs once when the explorer is made, again for each pre-rendered
    picture and on every change; each figure it makes is saved as a PNG and closed.

    Args:
        draw: makes one matplotlib figure from the controls' values.
        static: for the static site, the values to pre-render for some controls,
            e.g. ``{"w1": [-2, -1, 0, 1, 2]}``; other controls keep their initial value.
        alt: alt text for each pre-rendered picture, a format string over the
            controls' names, e.g. ``"Neuron output for w1 = {w1:.1f}"``. Required with ``static``.
        controls: ``slider(...)``, ``dropdown(...)`` or any ipywidgets value widget,
            passed by the name ``draw`` takes it under.

    Returns:
        An :class:`Explorer`; ``static`` asks for at most :data:`MAX_STATIC_FRAMES` pictures.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import activation_lab as al
        >>> def draw(w1):
        ...     fig, ax = plt.subplots(figsize=(1, 1))
        ...     ax.plot([0, 1], [0, w1])
        >>> view = al.explorer(draw, w1=al.slider("w1", -1.0, 1.0, 0.5, 0.0),
        ...                    static={"w1": [-1.0, 0.0, 1.0]}, alt="A line of slope {w1:.1f}")
        >>> view
        Explorer(controls=['w1'], static=True)
        >>> type(view.widget).__name__, view.static_html.count("<img")
        ('VBox', 3)
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not controls:
        raise ValueError("explorer needs at least one control")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets value widget, got {type(control).__name__}")
    if static is not None and not alt:
        raise ValueError("alt must describe the pre-rendered pictures when static is given")
    output = widgets.Output()

    def redraw(_change=None) -> None:
        # The picture goes straight into the Output widget's state rather than through
        # captured display messages, so the cell's own outputs are identical with or
        # without a front end (a headless run has none) and only the widget changes on a move.
        picture = _render_png(draw, {name: control.value for name, control in controls.items()})
        output.outputs = ()
        output.append_display_data(Image(data=base64.b64decode(picture), format="png"))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")), output])
    twin = None if static is None else _static_twin(draw, controls, static, alt)
    initial = {name: control.value for name, control in controls.items()}
    printed = None if static is None else _render_png(draw, initial, note=_PRINTED_NOTE)
    printed_alt = None if static is None else f"{alt.format(**initial)} ({_PRINTED_NOTE})"
    return Explorer(box, list(controls), twin, printed, printed_alt)


def progress_bar(total: int, description: str):
    r"""An ipywidgets progress bar inside a notebook kernel, else None.

    Its stored output is only the widget's initial repr, identical on every run; the bar
    then moves through widget messages, which a saved notebook does not keep.
    The bar is displayed as it is made; the caller raises ``bar.value`` by one per step.

    Args:
        total: the number of steps, the bar's maximum.
        description: the label shown beside the bar.

    Returns:
        An ``ipywidgets.IntProgress`` starting at 0 inside a kernel, ``None`` elsewhere.

    Example:
        >>> from activation_lab.widgets import progress_bar
        >>> print(progress_bar(10, "runs"))
        None
    """
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    bar = widgets.IntProgress(value=0, min=0, max=total, description=description)
    # The static site drops live widgets; an empty HTML form keeps it from printing the repr.
    display({**bar._repr_mimebundle_(), "text/html": "<span class=\"al-progress\"></span>"}, raw=True)
    return bar


class _Source(Code):
    """IPython's ``Code`` without its LaTeX form: that form is Pygments markup, which a book's
    LaTeX build would take for math; the PDF shows the plain text instead."""

    _repr_latex_ = None


def show_source(*objects) -> Code:
    r"""The source code of functions or classes of the package, to display in a chapter.

    Chapters call it once, where they introduce a function, and import it from then on.
    The result renders as highlighted Python in a notebook and on the site.

    Args:
        objects: one or more functions or classes, shown in order, two blank lines apart.

    Returns:
        An ``IPython.display.Code`` object; its ``.data`` is the source text.

    Example:
        >>> from activation_lab.functions import relu
        >>> print(show_source(relu).data.splitlines()[0])
        def relu(x) -> np.ndarray:
    """
    if not objects:
        raise ValueError("show_source needs at least one function or class")
    parts = []
    for obj in objects:
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            raise TypeError(f"show_source takes functions and classes, got {type(obj).__name__}")
        parts.append(inspect.getsource(obj).rstrip())
    return _Source("\n\n\n".join(parts) + "\n", language="python")
