"""Sliders, dropdowns and the explorer that redraws when a control moves."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from activation_lab import dropdown, explorer, slider


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


def test_dropdown_from_a_dict_maps_labels_to_values():
    control = dropdown("init", {"He": "he", "Xavier": "xavier"})
    assert control.value == "he"
    assert control.label == "He"
    control.label = "Xavier"
    assert control.value == "xavier"


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


def test_explorer_does_not_redraw_when_a_value_is_set_to_itself():
    calls, draw = _recorder()
    w = slider("w", -1.0, 1.0, 0.1, 0.5)
    explorer(draw, w=w)
    w.value = 0.5
    assert len(calls) == 1


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
    assert "application/vnd.jupyter.widget-view+json" in bundle
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
