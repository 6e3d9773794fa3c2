"""OpenAI's own Python SDK, unchanged but for base_url, drives a real WorldReel server."""

from __future__ import annotations

import io

import av
import httpx
import numpy as np
import pytest
from PIL import Image

openai = pytest.importorskip("openai")
pytest.importorskip("fastapi")

from worldreel.server.tests.serving import serving  # noqa: E402

pytestmark = [pytest.mark.slow,  # the SDK marks the Videos API as shut down, which it was
              pytest.mark.filterwarnings("ignore:The Sora API is scheduled:DeprecationWarning")]
TINY = {"seconds": "1", "size": "160x96"}  # OpenAI's typing says 4/8/12; any length is served


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("server") / "data", workers=1) as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.api, api_key="unused", max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def ball(client):
    """One clip the other tests remix, edit, list and download."""
    video = client.videos.create_and_poll(prompt="a red ball drops onto the floor",
                                          model="sora-2", poll_interval_ms=200, **TINY)
    assert video.status == "completed", video.error
    return video


def _frames(data: bytes, count: int) -> np.ndarray:
    with av.open(io.BytesIO(data)) as container:
        frames = [f.to_ndarray(format="rgb24") for _, f in zip(range(count),
                                                               container.decode(video=0))]
    return np.stack(frames)


def _probe(data: bytes) -> tuple[tuple[int, int], float, bool]:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video=0))
        has_audio = bool(container.streams.audio)
        return (stream.codec_context.width, stream.codec_context.height), \
            frames / float(stream.average_rate), has_audio


def test_create_and_poll_then_download_every_variant(client, ball, tmp_path):
    assert ball.progress == 100 and ball.seconds == "1" and ball.size == "160x96"
    assert ball.model == "sora-2" and ball.completed_at >= ball.created_at
    clip = tmp_path / "ball.mp4"
    client.videos.download_content(ball.id, variant="video").write_to_file(clip)
    size, seconds, has_audio = _probe(clip.read_bytes())
    assert size == (160, 96) and seconds == pytest.approx(1.0, abs=0.05) and has_audio
    thumb = Image.open(io.BytesIO(client.videos.download_content(ball.id,
                                                                 variant="thumbnail").read()))
    assert thumb.format == "WEBP" and thumb.size == (160, 96)
    sheet = Image.open(io.BytesIO(client.videos.download_content(ball.id,
                                                                 variant="spritesheet").read()))
    assert sheet.format == "JPEG" and sheet.width > 160


def test_retrieve_and_list_with_pagination(client, ball):
    again = client.videos.retrieve(ball.id)
    assert again.id == ball.id and again.status == "completed"
    second = client.videos.create(prompt="a tennis ball rolls across the floor", **TINY)
    assert second.status in ("queued", "in_progress")
    first_page = client.videos.list(limit=1, order="desc")
    assert [v.id for v in first_page.data] == [second.id] and first_page.has_more
    every = [v.id for v in client.videos.list(limit=1, order="asc")]  # the SDK follows pages
    assert every.index(ball.id) < every.index(second.id)
    assert client.videos.poll(second.id, poll_interval_ms=200).status == "completed"


def test_remix_edits_the_scene_and_keeps_the_rest(client, ball):
    remixed = client.videos.remix(ball.id, prompt="make the ball blue")
    assert remixed.remixed_from_video_id == ball.id
    done = client.videos.poll(remixed.id, poll_interval_ms=200)
    assert done.status == "completed", done.error
    old = client.videos.download_content(ball.id, variant="scene").text
    new = client.videos.download_content(done.id, variant="scene").text
    assert old != new and new.count("\n") == pytest.approx(old.count("\n"), abs=3)


def test_edit_by_the_file_itself_and_by_reference(client, ball, server):
    # The SDK (3.6x) refuses a {"id": ...} reference on its side (it expects a file there), so
    # the clip goes as the file made here; the id form is sent as the API documents it.
    data = client.videos.download_content(ball.id).read()
    by_file = client.videos.edit(prompt="now at night", video=("ball.mp4", data, "video/mp4"))
    assert client.videos.poll(by_file.id, poll_interval_ms=200).status == "completed"
    assert "time_of_day: night" in client.videos.download_content(by_file.id,
                                                                  variant="scene").text
    by_id = httpx.post(server.api + "/videos/edits",
                       data={"prompt": "make it rain", "video[id]": ball.id}).json()
    assert client.videos.poll(by_id["id"], poll_interval_ms=200).status == "completed"
    assert "weather: rain" in client.videos.download_content(by_id["id"], variant="scene").text
    with pytest.raises(openai.BadRequestError, match="not made by this server"):
        client.videos.edit(prompt="now at night", video=("other.mp4", b"not ours", "video/mp4"))


def test_extension_continues_the_clip_and_reports_the_total(client, ball):
    data = client.videos.download_content(ball.id).read()
    extended = client.videos.extend(prompt="it keeps going", seconds="4",
                                    video=("ball.mp4", data, "video/mp4"))
    assert extended.seconds == "5"
    done = client.videos.poll(extended.id, poll_interval_ms=200)
    assert done.status == "completed", done.error
    for seconds, needle in (("60", "longer than the longest clip"), ("-4", "more than 0"),
                            ("soon", "extension's length")):
        with pytest.raises(openai.BadRequestError, match=needle):
            client.videos.extend(prompt="more", seconds=seconds,
                                 video=("ball.mp4", data, "video/mp4"))
    old = client.videos.download_content(ball.id).read()
    new = client.videos.download_content(done.id).read()
    size, seconds, _ = _probe(new)
    assert size == (160, 96) and seconds == pytest.approx(5.0, abs=0.05)
    # The first second is the old clip: the world played on, not made again.
    first_old, first_new = _frames(old, 24), _frames(new, 24)
    assert np.abs(first_old.astype(int) - first_new.astype(int)).mean() < 2.0


def test_delete_then_it_is_gone(client):
    video = client.videos.create(prompt="a crate slides across the floor", **TINY)
    deleted = client.videos.delete(video.id)
    assert deleted.deleted and deleted.id == video.id
    with pytest.raises(openai.NotFoundError):
        client.videos.retrieve(video.id)


def test_characters_keep_a_look_by_name(client):
    person = client.videos.create_and_poll(prompt="a woman in a green coat waves",
                                           poll_interval_ms=200, **TINY)
    assert person.status == "completed", person.error
    data = client.videos.download_content(person.id).read()
    maya = client.videos.create_character(name="Maya", video=("maya.mp4", data, "video/mp4"))
    assert maya.name == "Maya" and maya.id.startswith("char_")
    assert client.videos.get_character(maya.id).name == "Maya"
    again = client.videos.create_and_poll(prompt="Maya waves", poll_interval_ms=200, **TINY)
    assert again.status == "completed", again.error
    scene = client.videos.download_content(again.id, variant="scene").text
    original = client.videos.download_content(person.id, variant="scene").text
    coat = [line for line in original.splitlines() if "top_color" in line]
    assert coat and coat[0] in scene


def test_what_the_director_stood_in_for_is_said_with_the_video(client):
    video = client.videos.create(prompt="a kettle falls off a table", **TINY)
    said = " ".join(video.model_extra["warnings"])
    assert "kettle" in said and "stands in" in said
    assert client.videos.poll(video.id, poll_interval_ms=200).status == "completed"


def test_errors_are_the_sdk_exception_classes(client):
    with pytest.raises(openai.BadRequestError, match="size"):
        client.videos.create(prompt="a ball drops", size="641x361")
    with pytest.raises(openai.BadRequestError, match="model"):
        client.videos.create(prompt="a ball drops", model="sora-9")
    with pytest.raises(openai.BadRequestError, match="nothing in the prompt"):
        client.videos.create(prompt="zzzz qqqq", **TINY)
    with pytest.raises(openai.NotFoundError):
        client.videos.retrieve("video_" + "0" * 32)
    with pytest.raises(openai.NotFoundError):
        client.videos.get_character("char_" + "0" * 32)
