"""A prompt's quoted speech gets a clip long enough to hear it, from the lines' real lengths."""

import pytest

from worldreel.errors import SceneError
from worldreel.pipeline import plan
from worldreel.speech import speak
from worldreel.timeline import resolve_lines


def test_the_clip_grows_to_hold_the_quoted_speech():
    planned = plan('a ball drops "' + "one more word " * 12 + '"')
    lines = resolve_lines(planned.scene, speak(planned.scene))
    assert lines[-1].end <= planned.scene.duration
    assert planned.scene.duration > 5.0  # longer than the default clip: the words need it


def test_too_much_speech_for_a_fixed_clip_is_refused():
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: the line takes"):
        plan('a ball drops "' + "word " * 60 + '"', seconds=2.0)


def test_each_line_is_heard_in_the_mp4_on_its_scheduled_sample(tmp_path):
    import numpy as np
    from scipy.signal import correlate

    from worldreel.media.reader import read_audio
    from worldreel.pipeline import PlayOptions, play
    from worldreel.scene import Scene

    scene = Scene.model_validate({
        "duration": 5.0, "resolution": [160, 96], "setting": {"environment": "park"},
        "entities": [{"id": "radio", "asset": "crate", "position": [0.5, 0.0, 0.25]}],
        "audio": {"dialogue": [
            {"text": "Good morning, this is the news."},
            {"speaker": "radio", "text": "Rain is expected tonight.", "voice": "flite:rms"}]}})
    lines = resolve_lines(scene, speak(scene))
    clip = play(scene, tmp_path / "news.mp4", PlayOptions())
    mono = read_audio(clip.path, rate_hz=48_000).mean(axis=1)
    for timed in lines:
        head = np.asarray(timed.spoken.samples[:24_000])
        a = int(round((timed.start - 0.05) * 48_000))
        score = correlate(mono[a:a + len(head) + 4_800], head, mode="valid")
        heard = (a + int(np.argmax(score))) / 48_000
        assert abs(heard - timed.start) <= 0.001, (timed.index, heard, timed.start)
    assert [s.start for s in clip.recording.speech] == [t.start for t in lines]
