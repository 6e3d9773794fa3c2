"""Hostile requests get the right 4xx, in OpenAI's error shape, and leave nothing on disk."""

from __future__ import annotations

import subprocess
import sys

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from worldreel.server.tests.serving import free_port, serving  # noqa: E402


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """A server whose data folder has one key, limited to 2 s clips and 320x240 frames."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    secret = subprocess.run(
        [sys.executable, "-m", "worldreel", "key", "add", "--data", str(data), "--name", "t",
         "--max-seconds", "2", "--max-size", "320x240", "--max-jobs", "1"],
        check=True, capture_output=True, text=True).stdout.strip()
    with serving(data) as server:
        yield server, secret


def _files(data):
    return sorted(p.relative_to(data) for p in (data / "videos").rglob("*"))


def _refused(response, status: int, needle: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert needle in error["message"], error
    assert set(error) >= {"message", "type", "param", "code"}
    return error


def test_a_key_is_asked_for_and_only_its_hash_is_kept(keyed):
    server, secret = keyed
    for header in ({}, {"Authorization": "Bearer wr-wrong"}, {"Authorization": secret}):
        _refused(httpx.get(server.api + "/videos", headers=header), 401, "API key")
    assert httpx.get(server.api + "/videos",
                     headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert secret.encode() not in (server.data / "jobs.sqlite3").read_bytes()


@pytest.mark.parametrize("fields,status,needle", [
    ({"seconds": "-4"}, 400, "seconds"),
    ({"seconds": "1e9"}, 400, "seconds"),
    ({"seconds": "nan"}, 400, "seconds"),
    ({"seconds": "3"}, 400, "limit"),  # over this key's 2 s
    ({"size": "1920x1080"}, 400, "limit"),  # over its 320x240
    ({"size": "huge"}, 400, "WIDTHxHEIGHT"),
    ({"size": "641x361"}, 400, "even"),
    ({"model": "sora-9"}, 400, "sora-2"),
    ({"prompt": ""}, 400, "prompt"),
    ({"prompt": "x" * 5000}, 400, "prompt"),
])
def test_bad_fields_are_400_and_make_no_job(keyed, fields, status, needle):
    server, secret = keyed
    before = _files(server.data)
    body = {"prompt": "a ball drops", "seconds": "1", "size": "160x96", **fields}
    response = httpx.post(server.api + "/videos", data=body,
                          headers={"Authorization": f"Bearer {secret}"})
    _refused(response, status, needle)
    assert _files(server.data) == before
    listed = httpx.get(server.api + "/videos", headers={"Authorization": f"Bearer {secret}"})
    assert listed.json()["data"] == []


def test_an_oversized_body_is_413_before_it_is_read(keyed):
    server, secret = keyed
    auth = {"Authorization": f"Bearer {secret}"}
    big = b'{"prompt": "' + b"a" * (5 << 20) + b'"}'
    response = httpx.post(server.api + "/videos", content=big,
                          headers={**auth, "Content-Type": "application/json"})
    _refused(response, 413, "larger than")

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(6):
            yield b"a" * (1 << 20)
    response = httpx.post(server.api + "/videos", content=chunks(),
                          headers={**auth, "Content-Type": "application/json"})
    _refused(response, 413, "larger than")


@pytest.mark.parametrize("video_id", ["..%2F..%2Fjobs.sqlite3", "video_../../etc/passwd",
                                      "video_" + "g" * 32, "%00", "video_" + "0" * 32])
def test_ids_cannot_escape_the_data_folder(keyed, video_id):
    server, secret = keyed
    auth = {"Authorization": f"Bearer {secret}"}
    for path in (f"/videos/{video_id}", f"/videos/{video_id}/content"):
        response = httpx.get(server.api + path, headers=auth)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/json")
    # A decoded '/' makes it no video route at all: the studio's files refuse to be deleted.
    assert httpx.delete(server.api + f"/videos/{video_id}", headers=auth).status_code in (404,
                                                                                          405)
    assert (server.data / "jobs.sqlite3").is_file()


def test_not_json_and_unknown_routes(keyed):
    server, secret = keyed
    auth = {"Authorization": f"Bearer {secret}"}
    _refused(httpx.post(server.api + "/videos", content=b"{not json",
                        headers={**auth, "Content-Type": "application/json"}), 400, "JSON")
    _refused(httpx.post(server.api + "/videos", content=b"[1, 2]",
                        headers={**auth, "Content-Type": "application/json"}), 400, "object")
    _refused(httpx.get(server.api + "/nothing", headers=auth), 404, "no such route")
    _refused(httpx.get(server.api + "/videos?limit=100000", headers=auth), 400, "limit")


def test_cors_is_off_and_the_server_listens_on_loopback(keyed):
    server, _ = keyed
    response = httpx.options(server.api + "/videos", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers
    assert server.url.startswith("http://127.0.0.1:")


def test_a_second_server_on_the_same_data_or_port_is_refused_in_one_line(keyed):
    server, _ = keyed
    port = server.url.rsplit(":", 1)[1]
    for args, needle in ((["--data", str(server.data), "--port", str(free_port())],
                          "another server is using"),
                         (["--data", str(server.data.parent / "other"), "--port", port],
                          "cannot listen on")):
        result = subprocess.run([sys.executable, "-m", "worldreel", "serve", *args],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and needle in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
