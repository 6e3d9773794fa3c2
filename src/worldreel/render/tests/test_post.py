"""Post-processing: tone curve, grades, vignette, antialiasing and grain do what a colourist expects."""

import numpy as np
import pytest

from worldreel.render.post import GRADE_PRESETS, Finisher, antialias, tone_table, vignette_map


def test_tone_curve_is_monotonic_and_keeps_black_and_white():
    table = tone_table(GRADE_PRESETS["neutral"]).astype(int)
    assert (np.diff(table, axis=1) >= 0).all()
    assert table[:, 0].max() <= 2 and table[:, 255].min() >= 250


def test_exposure_brightens():
    assert (tone_table(GRADE_PRESETS["neutral"], 1.0)[:, 100]
            > tone_table(GRADE_PRESETS["neutral"], 0.0)[:, 100]).all()


@pytest.mark.parametrize("grade,check", [
    ("warm", lambda r, g, b: r > b + 10),
    ("cold", lambda r, g, b: b > r + 10),
    ("noir", lambda r, g, b: r == g == b),
])
def test_grades_shift_colour_the_way_they_are_named(grade, check):
    grey = np.full((40, 64, 3), 128, np.uint8)
    out = Finisher(40, 64, GRADE_PRESETS[grade], antialiasing=False)(grey, 0)
    r, g, b = (int(c) for c in out[20, 32])
    assert check(r, g, b), (r, g, b)


def test_vignette_darkens_corners_not_centre():
    v = vignette_map(90, 160, 0.3)[..., 0]
    assert v[45, 80] >= 250 and v[0, 0] < 0.8 * 256


def test_antialiasing_softens_a_stair_step_edge():
    img = np.zeros((32, 32, 3), np.uint8)
    for y in range(32):
        img[y, : 8 + y // 4] = 255  # a jagged diagonal edge
    smoothed = antialias(img.copy())
    values = np.unique(smoothed[..., 1])
    assert len(values) > 2  # intermediate tones on the edge
    assert (smoothed[:, 0] == 255).all() and (smoothed[:, -1] == 0).all()  # flat areas untouched


def test_grain_is_seeded_and_changes_every_frame():
    flat = np.full((30, 40, 3), 120, np.uint8)
    a = Finisher(30, 40, GRADE_PRESETS["vintage"], seed=3)
    b = Finisher(30, 40, GRADE_PRESETS["vintage"], seed=3)
    assert np.array_equal(a(flat.copy(), 5), b(flat.copy(), 5))
    assert not np.array_equal(a(flat.copy(), 5), a(flat.copy(), 6))


def test_the_cinematic_grade_has_teal_shadows_and_warm_highlights():
    table = tone_table(GRADE_PRESETS["cinematic"]).astype(int)
    shadow, highlight = table[:, 30], table[:, 100]
    assert shadow[2] > shadow[0] + 3  # blue over red in the dark
    assert highlight[0] > highlight[2] + 5  # red over blue in the light
    neutral = tone_table(GRADE_PRESETS["neutral"]).astype(int)
    assert (table[:, 230] - table[:, 60]).mean() > (neutral[:, 230] - neutral[:, 60]).mean()
