"""The language-model planner against a real HTTP server on 127.0.0.1 that answers with recorded
chat completions: the client's whole path (HTTP, headers, JSON in and out) runs; only the model
is canned. What a user would notice: the model's Scene is used when valid, repaired once when
not, and otherwise the rule planner's is, with one warning saying why."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from worldreel.assets import check_scene_assets
from worldreel.cli import EXIT_USAGE, main
from worldreel.director import plan_scene
from worldreel.director.llm import (ENV_API_KEY, ENV_BASE_URL, ENV_MODEL, ENV_TIMEOUT,
                                    EXAMPLE_SCENE, LLMSettings, plan_with_llm)
from worldreel.errors import SettingsError
from worldreel.scene import Scene, load_scene, scene_from_dict

PROMPT = "a ball drops on the floor"
MODEL = "tiny-model"
# What the model writes: unlike the rule planner's Scene for PROMPT (a gym, a soccer ball with
# its own id), so that which planner made a Scene is plain to see.
MODEL_SCENE = {
    "version": 1, "prompt": PROMPT, "seed": 0, "duration": 2.5, "fps": 24,
    "resolution": [1280, 720], "setting": {"environment": "gym"},
    "entities": [{"id": "llm_ball", "asset": "soccer_ball", "position": [0.0, 0.0, 2.0]}],
    "actions": [{"kind": "drop", "id": "drop_it", "entity": "llm_ball", "at": 0.3}],
    "shots": [{"start": 0.0, "size": "wide"}],
}
UNKNOWN_ASSET = {**MODEL_SCENE, "entities": [{**MODEL_SCENE["entities"][0], "asset": "unicorn"}]}


def completion(content: str, finish: str = "stop") -> bytes:
    """A chat completion as llama.cpp's llama-server answers /v1/chat/completions."""
    return json.dumps({
        "choices": [{"finish_reason": finish, "index": 0,
                     "message": {"role": "assistant", "content": content}}],
        "created": 1718000000, "model": MODEL, "system_fingerprint": "b3600-0a1b2c3d",
        "object": "chat.completion", "id": "chatcmpl-3Yb1kS0x9q",
        "usage": {"completion_tokens": 212, "prompt_tokens": 8431, "total_tokens": 8643},
    }).encode()


def scene_answer(scene: dict) -> tuple[int, bytes, float]:
    return 200, completion(json.dumps(scene)), 0.0


class FakeServer:
    """An OpenAI-compatible server on 127.0.0.1 that gives its queued answers in order
    (status, body, delay) and records every request (path, headers, JSON body)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, bytes, float]] = []
        self.requests: list[dict] = []
        self.released = threading.Event()  # ends a delayed answer at teardown
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append({"path": self.path, "headers": dict(self.headers),
                                      "body": json.loads(body)})
                status, answer, delay = (fake.answers.pop(0) if fake.answers else
                                         (500, b'{"error": {"message": "no answer left"}}', 0))
                fake.released.wait(delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # a client that gave up (the timeout test) closed its end: expected

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        # A short poll: shutting down waits for the next one.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)

    def settings(self, **kwargs) -> LLMSettings:
        return LLMSettings(base_url=self.url, model=MODEL, **kwargs)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No proxy between the client and 127.0.0.1, and no planner settings from the user's
    shell."""
    monkeypatch.setenv("no_proxy", "*")
    for name in (ENV_BASE_URL, ENV_MODEL, ENV_API_KEY, ENV_TIMEOUT):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    fake = FakeServer()
    fake.thread.start()
    yield fake
    fake.released.set()
    fake.httpd.shutdown()
    fake.httpd.server_close()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # nothing listens there now: connection refused


# --- the model's Scene ------------------------------------------------------------------

def test_a_valid_scene_from_the_model_is_used(server):
    server.answers.append(scene_answer(MODEL_SCENE))
    plan = plan_with_llm(PROMPT, server.settings(api_key="sk-test"), seed=7, fps=7,
                         resolution=(320, 240))
    scene = plan.scene
    assert [e.id for e in scene.entities] == ["llm_ball"]
    assert scene.setting.environment == "gym"
    # The user's options, whatever the model wrote; a physics rate that fits the fps.
    assert (scene.seed, scene.fps, scene.resolution, scene.prompt) == (7, 7, (320, 240), PROMPT)
    assert scene.physics_rate % 7 == 0
    assert len(plan.warnings) == 1
    assert f"written by the language model '{MODEL}' at {server.url}" in plan.warnings[0]
    ball = next(g for g in plan.grounding if g.shown_as == "soccer_ball")
    assert (ball.text, ball.start, ball.end) == ("ball", 2, 6) and MODEL in ball.note

    [request] = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    assert request["headers"]["Content-Type"] == "application/json"
    body = request["body"]
    assert (body["model"], body["temperature"], body["seed"]) == (MODEL, 0, 7)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == Scene.model_json_schema()
    system, user = body["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert '"physics_rate"' in system["content"] and "- soccer_ball:" in system["content"]
    assert json.dumps(PROMPT) in user["content"] and "fps 7" in user["content"]


def test_no_key_no_authorization_header(server):
    server.answers.append(scene_answer(MODEL_SCENE))
    plan_with_llm(PROMPT, server.settings())
    assert "Authorization" not in server.requests[0]["headers"]


def test_an_answer_in_json_fences_after_prose_is_accepted(server):
    fenced = f"Here is the Scene:\n```json\n{json.dumps(MODEL_SCENE, indent=1)}\n```\n"
    server.answers.append((200, completion(fenced), 0.0))
    plan = plan_with_llm(PROMPT, server.settings())
    assert [e.id for e in plan.scene.entities] == ["llm_ball"]
    assert len(server.requests) == 1  # accepted as it was, no repair asked for


def test_an_invalid_scene_is_repaired_once_and_the_repair_used(server):
    server.answers += [scene_answer(UNKNOWN_ASSET), scene_answer(MODEL_SCENE)]
    plan = plan_with_llm(PROMPT, server.settings())
    assert [e.asset for e in plan.scene.entities] == ["soccer_ball"]
    assert len(server.requests) == 2
    first, second = (r["body"]["messages"] for r in server.requests)
    assert second[:2] == first  # the same conversation, continued
    assert second[2] == {"role": "assistant", "content": json.dumps(UNKNOWN_ASSET)}
    assert second[3]["role"] == "user"
    assert "entities[0].asset" in second[3]["content"] and "'unicorn'" in second[3]["content"]
    assert "repair is used" in plan.warnings[0] and "unicorn" in plan.warnings[0]


# --- the rule planner when the model gives no valid Scene ------------------------------------

def assert_rule_plan(plan, *needles: str) -> None:
    """The rule planner's Plan, with one first warning naming the model and why."""
    ruled = plan_scene(PROMPT)
    assert plan.scene == ruled.scene
    assert plan.warnings[1:] == ruled.warnings
    why = plan.warnings[0]
    assert f"the language model '{MODEL}'" in why and "the rule planner planned it" in why
    for needle in needles:
        assert needle in why, why


def test_an_empty_scene_is_not_taken_for_the_prompt(server):
    server.answers += [(200, completion("{}"), 0.0), scene_answer(MODEL_SCENE)]
    plan = plan_with_llm(PROMPT, server.settings())
    assert "shows nothing" in server.requests[1]["body"]["messages"][3]["content"]
    assert [e.id for e in plan.scene.entities] == ["llm_ball"]


def test_two_invalid_answers_fall_back_to_the_rule_planner(server):
    server.answers += [scene_answer(UNKNOWN_ASSET), (200, completion('{"entities": ['), 0.0)]
    plan = plan_with_llm(PROMPT, server.settings())
    assert len(server.requests) == 2  # one repair, not more
    assert_rule_plan(plan, "still invalid after one repair", "not valid JSON")


def test_a_cut_off_answer_says_so(server):
    cut = (200, completion('{"version": 1, "entities": [{"id": "b', finish="length"), 0.0)
    server.answers += [cut, cut]
    plan = plan_with_llm(PROMPT, server.settings())
    assert_rule_plan(plan, "cut off")


def test_a_server_error_falls_back_with_what_the_server_said(server):
    server.answers.append((500, b'{"error": {"message": "model not loaded"}}', 0.0))
    plan = plan_with_llm(PROMPT, server.settings())
    assert len(server.requests) == 1  # an error status is not repaired
    assert_rule_plan(plan, "500", "model not loaded")


def test_an_answer_that_is_not_a_chat_completion_falls_back(server):
    server.answers.append((200, b"<html>nginx default page</html>", 0.0))
    assert_rule_plan(plan_with_llm(PROMPT, server.settings()), "not JSON")


def test_a_refused_connection_falls_back():
    settings = LLMSettings(base_url=closed_port_url(), model=MODEL)
    assert_rule_plan(plan_with_llm(PROMPT, settings), "cannot connect")


def test_a_server_too_slow_falls_back_at_the_timeout(server):
    server.answers.append((*scene_answer(MODEL_SCENE)[:2], 3.0))
    started = time.monotonic()
    plan = plan_with_llm(PROMPT, server.settings(timeout_s=0.3))
    assert time.monotonic() - started < 2.0  # gave up; the rule planner is quick once loaded
    assert_rule_plan(plan, "no answer within 0.3 s")


# --- settings -------------------------------------------------------------------------------

def test_settings_normalise_the_url_and_never_show_the_key():
    settings = LLMSettings(base_url=" HTTP://h:8080/v1/chat/completions/ ", model=" m ",
                           api_key="sk-secret")
    assert (settings.base_url, settings.model) == ("http://h:8080/v1", "m")
    assert settings.endpoint == "http://h:8080/v1/chat/completions"
    assert "sk-secret" not in repr(settings)


@pytest.mark.parametrize("url, needle", [
    ("ftp://h/v1", "not an http:// or https:// URL"),
    ("localhost:8080/v1", "not an http:// or https:// URL"),
    ("http:///v1", "names no host"),
    ("http://h:port/v1", "malformed port"),
    ("http://user:pw@h/v1", ENV_API_KEY),
    ("http://h/v1?x=1", "query or fragment"),
    ("http://h/v 1", "spaces or control characters"),
])
def test_a_bad_url_is_refused_in_one_line(url, needle):
    with pytest.raises(SettingsError) as caught:
        LLMSettings(base_url=url, model=MODEL)
    assert needle in str(caught.value) and "\n" not in str(caught.value)


def test_the_example_in_the_system_message_is_a_valid_scene():
    check_scene_assets(scene_from_dict(EXAMPLE_SCENE))


# --- the command line -----------------------------------------------------------------------

def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_plan_with_the_llm_planner_writes_the_models_scene(server, tmp_path):
    server.answers.append(scene_answer(MODEL_SCENE))
    out = tmp_path / "scene.yaml"
    result = run("plan", PROMPT, "--planner", "llm", "--llm-url", server.url, "--llm-model",
                 MODEL, "--seed", "3", "-o", str(out), env={ENV_API_KEY: "sk-cli"})
    assert result.exit_code == 0, result.stderr
    scene = load_scene(out)
    assert [e.id for e in scene.entities] == ["llm_ball"] and scene.seed == 3
    assert server.requests[0]["headers"]["Authorization"] == "Bearer sk-cli"
    assert f"written by the language model '{MODEL}'" in result.stderr


def test_plan_json_with_settings_from_the_environment(server):
    server.answers += [scene_answer(UNKNOWN_ASSET), scene_answer(MODEL_SCENE)]
    result = run("plan", PROMPT, "--planner", "llm", "--json", "--quiet",
                 env={ENV_BASE_URL: server.url, ENV_MODEL: MODEL, ENV_TIMEOUT: "5"})
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["scene"]["entities"][0]["id"] == "llm_ball"
    assert "repair is used" in printed["warnings"][0]
    assert any(g["shown_as"] == "soccer_ball" for g in printed["grounding"])


@pytest.mark.parametrize("args, env, needle", [
    (["--planner", "llm"], {}, ENV_BASE_URL),
    (["--planner", "llm", "--llm-url", "http://127.0.0.1:9/v1"], {}, ENV_MODEL),
    (["--planner", "llm"], {ENV_BASE_URL: "http://127.0.0.1:9/v1"}, ENV_MODEL),
    (["--planner", "llm", "--llm-model", MODEL, "--llm-url", "ftp://h/v1"], {},
     "--llm-url 'ftp://h/v1' is not an http:// or https:// URL"),
    (["--planner", "llm", "--llm-model", MODEL], {ENV_BASE_URL: "localhost:8080"},
     f"{ENV_BASE_URL} 'localhost:8080' is not an http://"),
    (["--planner", "llm", "--llm-model", MODEL, "--llm-url", "http://h/v1", "--llm-timeout",
      "0"], {}, "--llm-timeout must be a number of seconds, more than 0"),
    (["--planner", "llm", "--llm-model", MODEL, "--llm-url", "http://h/v1"],
     {ENV_TIMEOUT: "soon"}, ENV_TIMEOUT),
    (["--llm-model", MODEL], {}, "--llm-model is for --planner llm"),
])
@pytest.mark.parametrize("command", ["plan", "generate"])
def test_bad_planner_settings_are_one_line_and_no_file(tmp_path, command, args, env, needle):
    out = tmp_path / ("clip.mp4" if command == "generate" else "scene.yaml")
    result = run(command, PROMPT, "-o", str(out), *args, env=env)
    assert result.exit_code == EXIT_USAGE, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("worldreel: error: "), result.stderr
    assert needle in lines[0], lines[0]
    assert list(Path(tmp_path).iterdir()) == []
