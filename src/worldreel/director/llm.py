"""The optional language-model planner: an OpenAI-compatible chat-completions server (llama.cpp,
Ollama, vLLM, ...) writes the Scene, and the Scene's own validation decides whether it is used.

The rule planner (`plan_scene`) stays the default and needs no network; this one is chosen
explicitly (`worldreel plan --planner llm`). It sends the prompt, the Scene's JSON schema (as
`response_format` and, because many local servers ignore that, in the system message too) and
the names the asset registry knows to `{base_url}/chat/completions`, with temperature 0 and the
seed, so a server that honours them answers the same prompt the same way.

The answer is checked like a hand-written Scene file (`scene_from_dict`, `check_scene_assets`);
an invalid one is sent back once with the error, to be repaired. When the server cannot be
reached, answers with an error status, takes longer than the timeout, or its Scene is still
invalid after the repair, the rule planner plans the prompt instead and the Plan's first warning
says why. HTTP is the standard library's (urllib): no SDK is needed.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from worldreel import __version__
from worldreel.assets import ASSETS, ENVIRONMENTS, MATERIALS, check_scene_assets
from worldreel.director.grounding import Grounding
from worldreel.director.plan import Plan, _check_options, _check_prompt, plan_scene
from worldreel.director.planner import physics_rate_for
from worldreel.errors import DurationError, PromptError, SceneError, SettingsError
from worldreel.scene import Scene, scene_from_dict
from worldreel.scene.models import MAX_DURATION_S

ENV_BASE_URL = "WORLDREEL_LLM_BASE_URL"
ENV_MODEL = "WORLDREEL_LLM_MODEL"
ENV_API_KEY = "WORLDREEL_LLM_API_KEY"
ENV_TIMEOUT = "WORLDREEL_LLM_TIMEOUT"

ENDPOINT = "/chat/completions"  # appended to the base URL, as OpenAI's clients do
URL_EXAMPLE = "http://127.0.0.1:8080/v1"
DEFAULT_TIMEOUT_S = 120.0  # a local model on a CPU can take minutes to write a Scene
MAX_TIMEOUT_S = 3600.0
MAX_URL_CHARS = 2000
MAX_MODEL_CHARS = 256
MAX_KEY_CHARS = 8192
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # a Scene is a few kB: more is a broken or hostile server
MAX_REASON_CHARS = 300  # of a server's or the validation's message, in a one-line warning
SEED_MODULUS = 2**31  # llama.cpp keeps the sampling seed in 32 bits, some servers signed


@dataclass(frozen=True)
class LLMSettings:
    """Where the language-model planner's server is and how long to wait for it. Checked when
    made: `base_url` is normalised (no trailing '/', '/chat/completions' accepted and removed)."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)  # never in a repr, log or traceback
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", _checked_url(self.base_url))
        object.__setattr__(self, "model", _checked_model(self.model))
        object.__setattr__(self, "api_key", _checked_key(self.api_key))
        object.__setattr__(self, "timeout_s", _checked_timeout(self.timeout_s))

    @property
    def endpoint(self) -> str:
        return self.base_url + ENDPOINT


def llm_settings(*, base_url: str | None = None, model: str | None = None,
                 api_key: str | None = None, timeout_s: float | None = None,
                 environ: Mapping[str, str] | None = None) -> LLMSettings:
    """The settings from options, each falling back to its environment variable; raises
    SettingsError naming what is missing or malformed and how to give it."""
    env = os.environ if environ is None else environ
    options = {"url": base_url is not None, "model": model is not None}
    base_url = base_url if base_url is not None else env.get(ENV_BASE_URL) or None
    model = model if model is not None else env.get(ENV_MODEL) or None
    api_key = api_key if api_key is not None else env.get(ENV_API_KEY) or None
    if base_url is None:
        raise SettingsError(f"the language-model planner needs a server: pass --llm-url or set "
                            f"{ENV_BASE_URL} (e.g. {URL_EXAMPLE})")
    if model is None:
        raise SettingsError(f"the language-model planner needs a model name: pass --llm-model "
                            f"or set {ENV_MODEL} (the name the server knows it by)")
    # Each checked under the name the user gave it by, so the message points at it.
    _checked_url(base_url, "--llm-url" if options["url"] else ENV_BASE_URL)
    _checked_model(model, "--llm-model" if options["model"] else ENV_MODEL)
    if timeout_s is not None:
        _checked_timeout(timeout_s, "--llm-timeout")
    elif env.get(ENV_TIMEOUT):
        timeout_s = _timeout_from_env(env[ENV_TIMEOUT])
    return LLMSettings(base_url=base_url, model=model, api_key=api_key,
                       timeout_s=DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s)


def _timeout_from_env(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise SettingsError(f"{ENV_TIMEOUT}={text!r} is not a number of seconds") from None
    return _checked_timeout(seconds, ENV_TIMEOUT)


def _checked_timeout(value: object, name: str = "the timeout") -> float:
    if (not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value)
            or not 0 < value <= MAX_TIMEOUT_S):
        raise SettingsError(f"{name} must be a number of seconds, more than 0 and at most "
                            f"{MAX_TIMEOUT_S:g}; got {value!r}")
    return float(value)


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def _checked_url(url: object, name: str = "the server URL") -> str:
    """An http(s) base URL without credentials, query or fragment (the endpoint is appended)."""
    if not isinstance(url, str):
        raise SettingsError(f"{name} must be text, not {type(url).__name__}")
    text = url.strip()
    shown = text if len(text) <= 80 else text[:80] + "..."
    if len(text) > MAX_URL_CHARS or _has_control(text) or any(c.isspace() for c in text):
        raise SettingsError(f"{name} {shown!r} is too long or holds spaces or control "
                            f"characters; give one like {URL_EXAMPLE}")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise SettingsError(f"{name} {shown!r} is not an http:// or https:// URL; give "
                            f"one like {URL_EXAMPLE}")
    try:
        host, _ = parts.hostname, parts.port  # .port raises for a port that is not a number
    except ValueError:
        raise SettingsError(f"{name} {shown!r} has a malformed port; give one like "
                            f"{URL_EXAMPLE}") from None
    if not host:
        raise SettingsError(f"{name} {shown!r} names no host; give one like "
                            f"{URL_EXAMPLE}")
    if parts.username is not None or parts.password is not None:
        raise SettingsError(f"{name} holds a user name or password; give the key in "
                            f"{ENV_API_KEY} instead")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise SettingsError(f"{name} {shown!r} has a query or fragment; give its base "
                            f"only, like {URL_EXAMPLE}")
    path = parts.path.rstrip("/")
    path = path.removesuffix(ENDPOINT)  # the whole endpoint given: the same server
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def _checked_model(model: object, name: str = "the model name") -> str:
    if not isinstance(model, str) or not model.strip():
        raise SettingsError(f"{name} is empty; pass --llm-model or set {ENV_MODEL}")
    text = model.strip()
    if len(text) > MAX_MODEL_CHARS or _has_control(text):
        raise SettingsError(f"{name} is over {MAX_MODEL_CHARS} characters or holds control "
                            "characters; give the name the server knows the model by")
    return text


def _checked_key(key: object) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str):
        raise SettingsError(f"the API key must be text, not {type(key).__name__}")
    key = key.strip()
    # It goes into an HTTP header: a line break there would forge further headers.
    if len(key) > MAX_KEY_CHARS or _has_control(key) or any(c.isspace() for c in key):
        raise SettingsError(f"{ENV_API_KEY} holds spaces or control characters or is over "
                            f"{MAX_KEY_CHARS} characters; give the key alone")
    return key or None


# --- what the model is told --------------------------------------------------------------

EXAMPLE_PROMPT = "a red ball drops onto a wooden crate"
EXAMPLE_SCENE: dict[str, Any] = {  # valid (a test holds it to that); defaults left out
    "version": 1, "prompt": EXAMPLE_PROMPT, "seed": 0, "duration": 3.0, "fps": 24,
    "resolution": [1280, 720], "setting": {"environment": "studio"},
    "entities": [{"id": "crate", "asset": "crate", "position": [0.0, 0.0, 0.25]},
                 {"id": "ball", "asset": "basketball", "position": [0.0, 0.0, 1.6],
                  "color": "#c62828"}],
    "actions": [{"kind": "drop", "id": "drop_ball", "entity": "ball", "at": 0.5}],
    "shots": [{"start": 0.0, "size": "wide"}],
}


@cache
def scene_schema() -> dict[str, Any]:
    """The Scene's JSON schema (pydantic's), as sent in `response_format`."""
    return Scene.model_json_schema()


def _without_titles(node: Any) -> Any:
    """The schema without its 'title' entries: they repeat the field names and cost tokens in a
    prompt that small local models must fit into their context."""
    if isinstance(node, dict):
        return {k: _without_titles(v) for k, v in node.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_without_titles(v) for v in node]
    return node


@cache
def system_message() -> str:
    """What the model is: the rules of a Scene, its schema and the names the registry knows."""
    assets = "\n".join(f"- {name}: {spec.description} (origin {spec.rest_height:g} m above the "
                       f"floor when it rests there{'; fixed in place' if spec.fixed else ''})"
                       for name, spec in sorted(ASSETS.items()))
    schema = json.dumps(_without_titles(scene_schema()), separators=(",", ":"))
    return (
        "You write Scenes for WorldReel, which simulates a short film with MuJoCo physics from a "
        "Scene. Answer with exactly one JSON object, a Scene, and nothing else: no prose, no "
        "code fences.\n"
        "Conventions: SI units (metres, seconds, kilograms); the world is z-up and the floor is "
        "z = 0; an entity's position places its asset's origin; times are seconds from the "
        "start of the clip. Every id must be unique; actions, shots and lines refer to entities "
        "and characters by id. Leave out fields whose default is right.\n"
        f"Assets (entities[].asset):\n{assets}\n"
        f"Environments (setting.environment): {', '.join(sorted(ENVIRONMENTS))}\n"
        f"Materials (entities[].material, setting.floor_material): "
        f"{', '.join(sorted(MATERIALS))}\n"
        f"The Scene's JSON schema:\n{schema}\n"
        f"Example, for the prompt {json.dumps(EXAMPLE_PROMPT)}:\n"
        f"{json.dumps(EXAMPLE_SCENE, separators=(',', ':'))}"
    )


@dataclass(frozen=True)
class _Ask:
    """The prompt and the options the Scene must keep whatever the model writes."""

    prompt: str
    seed: int
    fps: int
    resolution: tuple[int, int]
    duration: float | None


def _user_message(ask: _Ask) -> str:
    length = (f"duration {ask.duration:g} s" if ask.duration is not None else
              f"a duration the story needs (at most {MAX_DURATION_S:g} s)")
    return (f"Prompt: {json.dumps(ask.prompt, ensure_ascii=False)}\n"
            f"Use seed {ask.seed}, fps {ask.fps}, resolution [{ask.resolution[0]}, "
            f"{ask.resolution[1]}] and {length}. Answer with the Scene as one JSON object.")


def _repair_message(error: str) -> str:
    return (f"That Scene is not valid: {error}\n"
            "Answer with the whole corrected Scene as one JSON object, nothing else.")


def _request_body(settings: LLMSettings, messages: list[dict[str, str]], seed: int
                  ) -> dict[str, Any]:
    return {
        "model": settings.model,
        "messages": messages,
        "temperature": 0,  # the most likely answer: the same prompt, the same Scene
        "seed": seed % SEED_MODULUS,
        "stream": False,
        "response_format": {"type": "json_schema",
                            "json_schema": {"name": "Scene", "schema": scene_schema(),
                                            "strict": False}},  # strict needs every field required
    }


# --- HTTP ----------------------------------------------------------------------------------

class _NoScene(Exception):
    """The server gave no Scene to use; the message (one line) says why, for the warning."""


def _one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit] + "..."


def _post(settings: LLMSettings, body: dict[str, Any]) -> bytes:
    """The body of the server's 2xx answer to `body`; raises _NoScene for anything else."""
    headers = {"Content-Type": "application/json", "Accept": "application/json",
               "User-Agent": f"worldreel/{__version__}"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    request = urllib.request.Request(settings.endpoint, data=json.dumps(body).encode("utf-8"),
                                     headers=headers, method="POST")
    too_slow = f"no answer within {settings.timeout_s:g} s"
    deadline = time.monotonic() + settings.timeout_s
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout_s) as response:
            return _read_capped(response, deadline, too_slow)
    except urllib.error.HTTPError as exc:
        raise _NoScene(f"the server answered {exc.code} {exc.reason}{_server_says(exc)}"
                       ) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):  # socket.timeout is TimeoutError
            raise _NoScene(too_slow) from None
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise _NoScene(f"cannot connect: {_one_line(reason)}") from None
    except TimeoutError:
        raise _NoScene(too_slow) from None
    except (OSError, http.client.HTTPException) as exc:
        raise _NoScene(f"the answer broke off: {_one_line(exc) or type(exc).__name__}") from None


def _read_capped(response: Any, deadline: float, too_slow: str) -> bytes:
    """At most MAX_ANSWER_BYTES, by the deadline (the socket timeout alone is per read, and a
    server trickling bytes would never trip it)."""
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise _NoScene(f"the answer is over {MAX_ANSWER_BYTES:,} bytes")
        if time.monotonic() > deadline:
            raise _NoScene(too_slow)
        chunks.append(chunk)
    return b"".join(chunks)


def _server_says(exc: urllib.error.HTTPError) -> str:
    """': what the server said' from an error answer (OpenAI-style {"error": {"message"}} or
    text), or ''."""
    try:
        raw = exc.read(4096)
    except (OSError, http.client.HTTPException):
        return ""
    text = raw.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = text
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict):
        error = error.get("message") or error.get("detail") or ""
    said = _one_line(str(error), 200)
    return f": {said}" if said else ""


def _completion(raw: bytes) -> tuple[str, str | None]:
    """The message content of a chat completion, and its finish_reason."""
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise _NoScene("the server's answer is not JSON (is the URL an OpenAI-compatible /v1 "
                       "base?)") from None
    if isinstance(answer, dict) and answer.get("error") and not answer.get("choices"):
        error = answer["error"]
        said = error.get("message", error) if isinstance(error, dict) else error
        raise _NoScene(f"the server answered with an error: {_one_line(said, 200)}")
    try:
        choice = answer["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise _NoScene("the server's answer has no choices[0].message.content (is the URL a "
                       "chat-completions server?)") from None
    if content is not None and not isinstance(content, str):
        raise _NoScene("the server's message content is not text")
    finish = choice.get("finish_reason")
    return content or "", finish if isinstance(finish, str) else None


def _chat(settings: LLMSettings, messages: list[dict[str, str]], seed: int
          ) -> tuple[str, str | None]:
    return _completion(_post(settings, _request_body(settings, messages, seed)))


# --- the answer as a Scene ---------------------------------------------------------------

_THINKING = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)  # reasoning models' preamble
_FENCED = re.compile(r"```[A-Za-z]*[ \t]*\n(.*?)\n?[ \t]*```", re.DOTALL)


def _json_text(content: str) -> str:
    """The JSON in a message: bare, in ``` fences, or the outermost {...} of a chattier one."""
    text = _THINKING.sub("", content).strip()
    fenced = _FENCED.search(text)
    if fenced:
        return fenced.group(1).strip()
    if not text.startswith("{") and "{" in text:
        return text[text.index("{"):text.rindex("}") + 1]
    return text


def _with_options(data: dict[str, Any], ask: _Ask) -> dict[str, Any]:
    """The model's Scene with what the user set (prompt, seed, fps, size, duration), whatever
    the model wrote there: the options are the user's, not the model's to choose."""
    data = {**data, "prompt": ask.prompt, "seed": ask.seed, "fps": ask.fps,
            "resolution": list(ask.resolution)}
    if ask.duration is not None:
        data["duration"] = ask.duration
    slow, rate = data.get("slow_motion", 1), data.get("physics_rate")
    if isinstance(slow, int) and slow >= 1 and (
            rate is None or isinstance(rate, int) and rate % (ask.fps * slow)):
        # Every sample must fall on a physics step; the model cannot know the fps it gets.
        data["physics_rate"] = physics_rate_for(ask.fps * slow)
    return data


def _scene_from_answer(content: str, finish: str | None, ask: _Ask) -> Scene:
    """The Scene in a message, validated as a Scene file is; raises SceneError saying what is
    wrong (sent back to the model to repair)."""
    text = _json_text(content)
    cut = " (the answer was cut off: the server's token limit is too small)" \
        if finish == "length" else ""
    if not text:
        raise SceneError(f"the answer is empty{cut}; answer with the Scene as one JSON object")
    try:
        data = json.loads(text)
    except RecursionError:
        raise SceneError("the answer is nested too deep to read; a Scene is about six levels "
                         "deep") from None
    except ValueError as exc:
        where = (f" at line {exc.lineno}, column {exc.colno}"
                 if isinstance(exc, json.JSONDecodeError) else "")
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise SceneError(f"the answer is not valid JSON: {message}{where}{cut}") from None
    if not isinstance(data, dict):
        raise SceneError(f"the answer is a JSON {type(data).__name__}; a Scene is one JSON "
                         "object")
    scene = scene_from_dict(_with_options(data, ask), source="the model's Scene")
    check_scene_assets(scene)
    if not scene.entities and not scene.characters:  # valid, but the prompt is not in it
        raise SceneError("the Scene shows nothing: it has no entities and no characters; place "
                         "what the prompt names")
    return scene


def _ask_for_scene(settings: LLMSettings, ask: _Ask) -> tuple[Scene, str | None]:
    """The model's valid Scene and, when it took a repair, what was wrong with its first;
    raises _NoScene when there is none."""
    messages = [{"role": "system", "content": system_message()},
                {"role": "user", "content": _user_message(ask)}]
    content, finish = _chat(settings, messages, ask.seed)
    try:
        return _scene_from_answer(content, finish, ask), None
    except SceneError as exc:
        first = str(exc)
    messages += [{"role": "assistant", "content": content},
                 {"role": "user", "content": _repair_message(first)}]
    content, finish = _chat(settings, messages, ask.seed)
    try:
        return _scene_from_answer(content, finish, ask), first
    except SceneError as exc:
        raise _NoScene(f"its Scene was still invalid after one repair: {_one_line(exc)}"
                       ) from None


# --- the Plan --------------------------------------------------------------------------

def _where(settings: LLMSettings) -> str:
    return f"the language model {settings.model!r} at {settings.base_url}"


def _model_grounding(scene: Scene, prompt: str, model: str) -> tuple[Grounding, ...]:
    """One entry per entity and character the model placed, at the words of the prompt that
    name it when they can be found: its id, its asset's name, or the last word of either (the
    noun: 'ball' of soccer_ball)."""
    lower, report = prompt.lower(), []
    note = f"chosen by the language model {model!r}; not checked word by word"
    things = [(e.id, e.asset) for e in scene.entities] + [(c.id, None) for c in scene.characters]
    for ident, asset in things:
        names = [ident.lower().replace("_", " ")] + ([asset.replace("_", " ")] if asset else [])
        words = names + [name.rsplit(" ", 1)[-1] for name in names]
        found = next((m for w in words
                      if (m := re.search(rf"\b{re.escape(w)}\b", lower))), None)
        report.append(Grounding(text=found.group(0) if found else names[0],
                                start=found.start() if found else None,
                                end=found.end() if found else None,
                                status="grounded", shown_as=asset, note=note))
    return tuple(report)


def _model_plan(scene: Scene, settings: LLMSettings, first_error: str | None) -> Plan:
    said = f"this Scene was written by {_where(settings)}, not by the rule planner"
    if first_error is not None:
        said += (f"; its first answer was invalid ({_one_line(first_error)}) and its repair is "
                 "used")
    return Plan(scene=scene, warnings=[said],
                grounding=_model_grounding(scene, scene.prompt or "", settings.model))


def _rule_plan(prompt: str, reason: str, settings: LLMSettings, duration: float | None,
               fps: int, resolution: tuple[int, int], seed: int) -> Plan:
    """The rule planner's Plan, its first warning saying why the model's is not used."""
    why = f"{_where(settings)} did not plan this prompt ({reason})"
    try:
        ruled = plan_scene(prompt, duration=duration, fps=fps, resolution=resolution, seed=seed)
    except DurationError:
        raise  # about the duration asked for, whichever planner: said as the rule planner says
    except PromptError as exc:
        raise PromptError(f"{exc} ({why})") from None
    return Plan(scene=ruled.scene, warnings=[f"{why}; the rule planner planned it instead",
                                             *ruled.warnings],
                unknown_words=ruled.unknown_words, grounding=ruled.grounding)


def plan_with_llm(prompt: str, settings: LLMSettings, *, duration: float | None = None,
                  fps: int = 24, resolution: tuple[int, int] = (1280, 720), seed: int = 0
                  ) -> Plan:
    """Ground a prompt in a Scene written by the language model in `settings`, or, when it
    gives no valid Scene, by the rule planner (the first warning says which, and why).

    Raises PromptError, as plan_scene does, for a prompt or options that cannot be planned."""
    text = _check_prompt(prompt)
    _check_options(duration, fps, resolution, seed)
    ask = _Ask(prompt=text, seed=seed, fps=fps, resolution=(int(resolution[0]),
                                                             int(resolution[1])),
               duration=float(duration) if duration is not None else None)
    try:
        scene, first_error = _ask_for_scene(settings, ask)
    except _NoScene as exc:
        return _rule_plan(prompt, str(exc), settings, duration, fps, resolution, seed)
    return _model_plan(scene, settings, first_error)
