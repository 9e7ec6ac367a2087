"""Sliders, dropdowns, the explorer that redraws when a control moves, the progress bar and show_source."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from IPython.display import Code
from torch import nn

import activation_lab.widgets
from activation_lab import functions
from activation_lab.registry import Swish
from activation_lab.widgets import dropdown, explorer, progress_bar, show_source, slider


def _recorder():
    calls = []

    def draw(**values):
        calls.append(values)
        plt.subplots(figsize=(1, 1))

    return calls, draw


def test_slider_keeps_its_settings_and_redraws_on_release():
    control = slider("w", -3.0, 3.0, 0.1, 1.0)
    assert isinstance(control, widgets.FloatSlider)
    assert (control.min, control.max, control.step, control.value) == (-3.0, 3.0, 0.1, 1.0)
    assert control.description == "w"
    assert control.continuous_update is False


@pytest.mark.parametrize("value", [-3.0, 3.0])
def test_slider_accepts_values_at_the_ends(value):
    assert slider("w", -3.0, 3.0, 0.5, value).value == value


@pytest.mark.parametrize(("low", "high", "value"), [(0.0, 1.0, 1.5), (0.0, 1.0, -0.1), (2.0, 1.0, 1.5)])
def test_slider_rejects_a_value_outside_the_range(low, high, value):
    with pytest.raises(ValueError, match="value must lie in"):
        slider("w", low, high, 0.1, value)


@pytest.mark.parametrize("step", [0.0, -0.1])
def test_slider_rejects_a_non_positive_step(step):
    with pytest.raises(ValueError, match="step must be positive"):
        slider("w", 0.0, 1.0, step, 0.5)


def test_dropdown_starts_at_the_first_option():
    control = dropdown("f", ["relu", "tanh"])
    assert isinstance(control, widgets.Dropdown)
    assert control.value == "relu" and control.description == "f"


def test_dropdown_from_a_dict_shows_the_labels_and_starts_at_the_first_value():
    control = dropdown("init", {"He": "he", "Xavier": "xavier"})
    assert (control.value, control.label) == ("he", "He")


def test_dropdown_takes_an_initial_value():
    assert dropdown("f", ("relu", "tanh", "gelu"), value="gelu").value == "gelu"


@pytest.mark.parametrize("options", [[], {}, ()])
def test_dropdown_rejects_no_options(options):
    with pytest.raises(ValueError, match="options must not be empty"):
        dropdown("f", options)


def test_explorer_draws_once_with_the_initial_values():
    calls, draw = _recorder()
    explorer(draw, w=slider("w", -1.0, 1.0, 0.1, 0.5), f=dropdown("f", ["relu", "tanh"]))
    assert calls == [{"w": 0.5, "f": "relu"}]


def test_explorer_redraws_with_new_values_on_each_change():
    calls, draw = _recorder()
    w, f = slider("w", -1.0, 1.0, 0.1, 0.5), dropdown("f", ["relu", "tanh"])
    explorer(draw, w=w, f=f)
    w.value = -0.2
    f.value = "tanh"
    assert calls == [{"w": 0.5, "f": "relu"}, {"w": -0.2, "f": "relu"}, {"w": -0.2, "f": "tanh"}]


def test_explorer_shows_the_controls_above_the_output():
    w, f = slider("w", -1.0, 1.0, 0.1, 0.5), dropdown("f", ["relu", "tanh"])
    box = explorer(_recorder()[1], w=w, f=f).widget
    assert isinstance(box, widgets.VBox)
    controls, output = box.children
    assert list(controls.children) == [w, f]
    assert isinstance(output, widgets.Output)


@pytest.mark.parametrize("draw", [None, "draw", 3])
def test_explorer_rejects_a_non_callable_draw(draw):
    with pytest.raises(TypeError, match="draw must be callable"):
        explorer(draw, w=slider("w", 0.0, 1.0, 0.1, 0.5))


def test_explorer_needs_a_control():
    with pytest.raises(ValueError, match="at least one control"):
        explorer(_recorder()[1])


@pytest.mark.parametrize("control", [0.5, "relu", widgets.Button(), widgets.Output()])
def test_explorer_rejects_controls_that_are_not_value_widgets(control):
    calls, draw = _recorder()
    with pytest.raises(TypeError, match="control 'bad'"):
        explorer(draw, w=slider("w", 0.0, 1.0, 0.1, 0.5), bad=control)
    assert calls == []


def _draw_line(w=0.5, f="relu"):
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, w])


def test_explorer_offers_the_live_widget_and_the_static_twin():
    shown = explorer(_draw_line, w=slider("w", -1.0, 1.0, 0.1, 0.5), f=dropdown("f", ["relu", "tanh"]),
                     static={"w": [-1.0, 0.0, 0.5], "f": ["relu", "tanh"]}, alt="a line of slope {w} with {f}")
    bundle = shown._repr_mimebundle_()
    if isinstance(bundle, tuple):  # (data, metadata), which the display protocol also allows
        bundle = bundle[0]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "image/png" in bundle  # the first picture, for outputs that show neither widgets nor HTML
    page = bundle["text/html"]
    assert page.count("<img ") == 6
    assert page.count('type="range"') == 2
    # Only the picture for the initial values (w = 0.5 is index 2, f = relu is index 0) is visible.
    visible = [tag for tag in page.split("<img ")[1:] if " hidden" not in tag.split(">")[0]]
    assert len(visible) == 1 and 'data-key="2-0"' in visible[0]
    assert 'alt="a line of slope -1.0 with tanh"' in page
    assert plt.get_fignums() == []


def test_static_twin_pictures_differ_between_frames_and_repeat_between_runs():
    def frames():
        page = explorer(_draw_line, w=slider("w", -1.0, 1.0, 0.1, 0.5), static={"w": [-1.0, 1.0]},
                        alt="slope {w}").static_html
        return [part.split('"')[0] for part in page.split("data:image/png;base64,")[1:]]

    first = frames()
    assert first[0] != first[1]
    assert frames() == first


@pytest.mark.parametrize(("static", "alt", "match"), [
    ({"w": [0.0]}, None, "alt must describe"),
    ({"v": [0.0]}, "x", "does not exist"),
    ({"w": []}, "x", "non-empty"),
    ({"w": [0.1 * i for i in range(49)]}, "x", "at most 48"),
])
def test_bad_static_settings_are_rejected(static, alt, match):
    with pytest.raises(ValueError, match=match):
        explorer(_draw_line, w=slider("w", -5.0, 5.0, 0.1, 0.5), static=static, alt=alt)


def test_without_static_the_explorer_offers_the_live_widget_only():
    bundle = explorer(_draw_line, w=slider("w", -1.0, 1.0, 0.1, 0.5))._repr_mimebundle_()
    if isinstance(bundle, tuple):
        bundle = bundle[0]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "text/html" not in bundle and "image/png" not in bundle


def test_live_picture_lands_in_the_widget_not_in_the_cell():
    calls, draw = _recorder()
    shown = explorer(draw, w=slider("w", -1.0, 1.0, 0.1, 0.5))
    output = shown.widget.children[1]
    assert len(output.outputs) == 1 and "image/png" in output.outputs[0]["data"]
    shown.widget.children[0].children[0].value = -0.5
    assert len(output.outputs) == 1 and calls[-1] == {"w": -0.5}


def test_draw_that_makes_no_figure_is_reported():
    with pytest.raises(ValueError, match="draw must create a matplotlib figure"):
        explorer(lambda w: None, w=slider("w", -1.0, 1.0, 0.1, 0.5))


# The progress bar


def test_progress_bar_is_none_outside_a_notebook_kernel(monkeypatch):
    assert progress_bar(4, "runs") is None

    class TerminalShell:  # IPython in a terminal has no kernel
        pass

    monkeypatch.setattr(activation_lab.widgets, "get_ipython", lambda: TerminalShell())
    assert progress_bar(4, "runs") is None


def test_progress_bar_in_a_kernel_stores_the_same_output_on_every_run(monkeypatch):
    shown = []

    class KernelShell:
        kernel = object()

    monkeypatch.setattr(activation_lab.widgets, "get_ipython", lambda: KernelShell())
    monkeypatch.setattr(activation_lab.widgets, "display", lambda bundle, raw=False: shown.append((bundle, raw)))
    bar = progress_bar(4, "lr sweep")
    assert isinstance(bar, widgets.IntProgress)
    assert (bar.value, bar.min, bar.max, bar.description) == (0, 0, 4, "lr sweep")
    ((bundle, raw),) = shown
    assert raw is True
    # What nbval compares is the same on every run; the static site shows the empty HTML form.
    assert bundle["text/plain"] == "IntProgress(value=0, description='lr sweep', max=4)"
    assert bundle["text/html"] == '<span class="al-progress"></span>'
    assert "application/vnd.jupyter.widget-view+json" in bundle


# show_source


def test_show_source_of_a_function_is_its_code_as_python():
    code = show_source(functions.relu)
    assert isinstance(code, Code) and code.language == "python"
    assert code.data.startswith("def relu(x)") and "np.maximum" in code.data and code.data.endswith("\n")


def test_show_source_joins_functions_and_classes_in_order():
    text = show_source(functions.relu, functions.relu_derivative, Swish).data
    assert "def relu(x)" in text and "def relu_derivative(x)" in text and "class Swish(nn.Module)" in text
    assert text.index("def relu(x)") < text.index("def relu_derivative") < text.index("class Swish")


@pytest.mark.parametrize("thing", [nn.ReLU(), "relu", functions, print, 3])
def test_show_source_rejects_what_is_not_a_function_or_class(thing):
    with pytest.raises(TypeError, match="functions and classes"):
        show_source(functions.relu, thing)


def test_show_source_needs_something_to_show():
    with pytest.raises(ValueError, match="at least one"):
        show_source()
