// WorldReel Studio: plain JavaScript over the Videos API of the same server, no build step.
// Every text from the server or the user goes into the page through textContent, never as HTML.
"use strict";

(() => {
  const KEY_STORAGE = "worldreel.apiKey";
  const ACTIVE_POLL_MS = 1000;   // while a clip is queued or rendering
  const IDLE_POLL_MS = 8000;     // otherwise: clips submitted elsewhere still show up
  const VALIDATE_DELAY_MS = 400; // Scene editor: pause in typing before it is checked
  const PAGE = 100;

  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  };

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, error) {
      super((error && error.message) || `the server answered ${status}`);
      this.status = status;
      this.error = error || {};
    }
  }

  function apiKey() {
    return localStorage.getItem(KEY_STORAGE) || "";
  }

  function headers(extra = {}) {
    const key = apiKey();
    return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
  }

  async function api(method, path, body, signal) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, { message: "cannot reach the server (is it running?)" });
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!response.ok) {
      const error = data && data.error ? data.error : { message: text.trim() || response.statusText };
      if (response.status === 401) showBanner("The server wants an API key: enter it at the top right.");
      throw new ApiError(response.status, error);
    }
    if (apiAuthFailed) hideBanner();
    return data;
  }
  let apiAuthFailed = false;

  function showBanner(message) {
    apiAuthFailed = true;
    $("banner").textContent = message;
    $("banner").hidden = false;
  }

  function hideBanner() {
    apiAuthFailed = false;
    $("banner").hidden = true;
  }

  const contentPath = (id, variant) =>
    `/v1/videos/${encodeURIComponent(id)}/content?variant=${encodeURIComponent(variant)}`;

  // A URL an <img> or <video> can load: the endpoint itself, or, when a key is set (an element
  // cannot send the header), the bytes fetched with the key as an object URL.
  const objectUrls = new Map();
  async function mediaUrl(id, variant) {
    const path = contentPath(id, variant);
    if (!apiKey()) return path;
    if (objectUrls.has(path)) return objectUrls.get(path);
    const response = await fetch(path, { headers: headers() });
    if (!response.ok) throw new ApiError(response.status, { message: `no ${variant} for this clip` });
    const url = URL.createObjectURL(await response.blob());
    objectUrls.set(path, url);
    return url;
  }

  function forgetMedia(id) {
    for (const [path, url] of objectUrls) {
      if (path.startsWith(`/v1/videos/${encodeURIComponent(id)}/`)) {
        URL.revokeObjectURL(url);
        objectUrls.delete(path);
      }
    }
  }

  // ---------------------------------------------------------------- state

  const videos = new Map(); // id -> Video object, newest first when sorted by created_at
  const mine = new Set();   // ids submitted from this page: their cards say "new" when done
  let olderCursor = null;   // last_id of the oldest page loaded, when the server has more
  let pollTimer = null;
  let selectedId = null;

  const isActive = (v) => v.status === "queued" || v.status === "in_progress";

  async function refresh() {
    clearTimeout(pollTimer);
    try {
      const page = await api("GET", `/v1/videos?limit=${PAGE}&order=desc`);
      const seen = new Set(page.data.map((v) => v.id));
      const oldest = page.data.length ? page.data[page.data.length - 1].created_at : Infinity;
      // Gone from the newest page while newer than its oldest clip: deleted elsewhere.
      for (const [id, v] of videos) {
        if (!seen.has(id) && (!page.has_more || v.created_at >= oldest)) videos.delete(id);
      }
      for (const v of page.data) videos.set(v.id, v);
      if (olderCursor === null && page.has_more) olderCursor = page.last_id;
      $("load-older").hidden = olderCursor === null;
      render();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) {
        showBanner(`Cannot list the clips: ${err.message}`);
      }
    }
    schedule();
  }

  function schedule() {
    clearTimeout(pollTimer);
    const active = [...videos.values()].some(isActive);
    pollTimer = setTimeout(refresh, active && !document.hidden ? ACTIVE_POLL_MS : IDLE_POLL_MS);
  }

  async function loadOlder() {
    if (olderCursor === null) return;
    $("load-older").disabled = true;
    try {
      const page = await api("GET", `/v1/videos?limit=${PAGE}&order=desc&after=${encodeURIComponent(olderCursor)}`);
      for (const v of page.data) videos.set(v.id, v);
      olderCursor = page.has_more ? page.last_id : null;
      $("load-older").hidden = olderCursor === null;
      render();
    } catch (err) {
      showBanner(`Cannot load older clips: ${err.message}`);
    } finally {
      $("load-older").disabled = false;
    }
  }

  function sorted() {
    return [...videos.values()].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1));
  }

  // ---------------------------------------------------------------- rendering

  const STATUS_WORDS = { queued: "queued", in_progress: "rendering", completed: "done", failed: "failed" };

  function describe(v) {
    const parts = [];
    if (v.seconds) parts.push(`${v.seconds} s`);
    if (v.size) parts.push(v.size);
    if (v.model) parts.push(v.model);
    if (v.remixed_from_video_id) {
      const source = videos.get(v.remixed_from_video_id);
      parts.push(source ? `remix of “${title(source)}”` : "a remix");
    }
    if (v.created_at) parts.push(new Date(v.created_at * 1000).toLocaleString());
    return parts.join(" · ");
  }

  function title(v) {
    if (v.prompt) return v.prompt;
    if (v.remixed_from_video_id) return `Remix of ${v.remixed_from_video_id}`;
    return "A Scene played as written";
  }

  function render() {
    renderQueue();
    renderGallery();
    if (selectedId && !videos.has(selectedId)) closeClip();
    else if (selectedId) $("clip-meta").textContent = describe(videos.get(selectedId));
  }

  const queueItems = new Map();
  function renderQueue() {
    const list = $("queue-list");
    const jobs = sorted().filter((v) => v.status !== "completed").reverse(); // oldest first
    const keep = new Set(jobs.map((v) => v.id));
    for (const [id, item] of queueItems) {
      if (!keep.has(id)) { item.remove(); queueItems.delete(id); }
    }
    jobs.forEach((v, index) => {
      let item = queueItems.get(v.id);
      if (!item) {
        item = queueItem(v);
        queueItems.set(v.id, item);
      }
      updateQueueItem(item, v);
      if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
    });
    $("queue-empty").hidden = jobs.length > 0;
  }

  function queueItem(v) {
    const progress = el("progress", { max: "100", value: "0", "aria-label": `Progress of: ${title(v)}` });
    const item = el("li", { class: "job", dataset: { id: v.id } },
      el("p", { class: "prompt", text: title(v) }),
      el("div", { class: "row" },
        el("span", { class: "badge" }),
        progress,
        el("span", { class: "pct" }),
        el("button", {
          type: "button", class: "quiet danger",
          onclick: () => removeVideo(v.id),
        })),
      el("p", { class: "error", hidden: true }));
    return item;
  }

  function updateQueueItem(item, v) {
    item.classList.toggle("failed", v.status === "failed");
    const badge = item.querySelector(".badge");
    badge.className = `badge ${v.status}`;
    badge.textContent = STATUS_WORDS[v.status] || v.status;
    const progress = item.querySelector("progress");
    const pct = Math.max(0, Math.min(100, Number(v.progress) || 0));
    progress.value = pct;
    progress.hidden = v.status === "failed";
    item.querySelector(".pct").textContent = v.status === "failed" ? "" : `${Math.round(pct)}%`;
    const button = item.querySelector("button");
    button.textContent = v.status === "failed" ? "Dismiss" : "Cancel";
    button.setAttribute("aria-label", `${button.textContent}: ${title(v)}`);
    const error = item.querySelector(".error");
    error.hidden = v.status !== "failed";
    error.textContent = v.status === "failed"
      ? (v.error && v.error.message) || "The clip could not be made."
      : "";
  }

  const cards = new Map();
  function renderGallery() {
    const list = $("gallery-list");
    const done = sorted().filter((v) => v.status === "completed");
    const keep = new Set(done.map((v) => v.id));
    for (const [id, card] of cards) {
      if (!keep.has(id)) { card.remove(); cards.delete(id); forgetMedia(id); }
    }
    done.forEach((v, index) => {
      let card = cards.get(v.id);
      if (!card) {
        card = galleryCard(v);
        cards.set(v.id, card);
      }
      card.classList.toggle("selected", v.id === selectedId);
      if (list.children[index] !== card) list.insertBefore(card, list.children[index] || null);
    });
    $("gallery-empty").hidden = done.length > 0;
  }

  function galleryCard(v) {
    const name = title(v);
    const thumb = el("img", { alt: "", loading: "lazy", decoding: "async" });
    mediaUrl(v.id, "thumbnail").then((url) => { thumb.src = url; }).catch(() => { thumb.hidden = true; });
    thumb.addEventListener("error", () => { thumb.hidden = true; });
    const play = el("button", { type: "button", class: "play", "aria-label": `Play: ${name}` },
      thumb, el("span", { class: "glyph", "aria-hidden": "true", text: "▶" }));
    const media = el("div", { class: "media" }, play);
    const [w, h] = String(v.size || "").split("x").map(Number);
    if (w > 0 && h > 0) media.style.aspectRatio = `${w} / ${h}`;
    play.addEventListener("click", () => playInCard(v.id, media));
    const badge = mine.has(v.id) ? el("span", { class: "badge new", text: "new" }) : null;
    return el("li", { class: "card", dataset: { id: v.id } },
      media,
      el("div", { class: "body" },
        el("p", { class: "prompt", title: name }, badge, badge ? " " : null, name),
        el("p", { class: "meta", text: describe(v) }),
        // What the director said: stand-ins and words it could not show, never silent.
        (v.warnings || []).length
          ? el("ul", { class: "warnings", "aria-label": "What the director said" },
            ...v.warnings.map((w) => el("li", { text: w })))
          : null,
        el("div", { class: "tools" },
          el("button", { type: "button", class: "quiet", "aria-label": `Scene and report: ${name}`,
            text: "Scene & report", onclick: () => openClip(v.id) }),
          el("button", { type: "button", class: "quiet", "aria-label": `Download: ${name}`,
            text: "Download", onclick: () => download(v.id) }),
          el("button", { type: "button", class: "quiet danger", "aria-label": `Delete: ${name}`,
            text: "Delete", onclick: () => removeVideo(v.id, true) }))));
  }

  async function playInCard(id, media) {
    const video = el("video", { controls: true, playsinline: true, preload: "auto",
      "aria-label": `Clip: ${title(videos.get(id) || { prompt: id })}` });
    try {
      video.src = await mediaUrl(id, "video");
    } catch (err) {
      showBanner(`Cannot play the clip: ${err.message}`);
      return;
    }
    media.replaceChildren(video);
    video.focus();
    video.play().catch(() => { /* the user presses play on the controls instead */ });
  }

  async function download(id) {
    try {
      const url = await mediaUrl(id, "video");
      const link = el("a", { href: url, download: `${id}.mp4` });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (err) {
      showBanner(`Cannot download the clip: ${err.message}`);
    }
  }

  async function removeVideo(id, confirmFirst = false) {
    const v = videos.get(id);
    if (confirmFirst && !window.confirm(`Delete this clip?\n\n${v ? title(v) : id}`)) return;
    try {
      await api("DELETE", `/v1/videos/${encodeURIComponent(id)}`);
      videos.delete(id);
      render();
    } catch (err) {
      if (err.status === 404) { videos.delete(id); render(); return; }
      showBanner(`Cannot delete the clip: ${err.message}`);
    }
  }

  // ---------------------------------------------------------------- new clip

  function problemText(err) {
    const details = err.error && Array.isArray(err.error.details) ? err.error.details : [];
    if (!details.length) return err.message;
    return details.map((d) => (d.param ? `${d.param}: ${d.message}` : d.message)).join("\n");
  }

  async function submitPrompt(event) {
    event.preventDefault();
    const error = $("create-error");
    error.hidden = true;
    const prompt = $("prompt").value.trim();
    const seconds = $("seconds").value.trim();
    const size = $("size").value.trim().toLowerCase().replace("×", "x");
    if (!prompt) {
      error.textContent = "Write a prompt first: say what happens.";
      error.hidden = false;
      $("prompt").focus();
      return;
    }
    const body = { prompt, model: $("model").value };
    if (seconds) body.seconds = seconds;
    if (size) body.size = size;
    const button = $("create-submit");
    button.disabled = true;
    try {
      const video = await api("POST", "/v1/videos", body);
      mine.add(video.id);
      videos.set(video.id, video);
      render();
      refresh();
    } catch (err) {
      error.textContent = problemText(err);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- clip panel

  let sceneOriginal = "";
  let validateTimer = null;
  let validateAbort = null;
  let problems = []; // [{line, field, message}]

  async function openClip(id) {
    const v = videos.get(id);
    if (!v) return;
    selectedId = id;
    renderGallery();
    $("clip-panel").hidden = false;
    $("clip-prompt").textContent = title(v);
    $("clip-meta").textContent = describe(v);
    $("remix-prompt").value = "";
    setStatus("remix-status", "");
    setStatus("scene-play-status", "");
    setStatus("report-status", "Evaluate measures A/V sync, physics and picture quality of this clip.");
    $("report-body").replaceChildren();
    setScene("");
    setStatus("scene-status", "Loading the Scene…");
    $("clip-heading").scrollIntoView({ behavior: "smooth", block: "start" });
    $("clip-heading").setAttribute("tabindex", "-1");
    $("clip-heading").focus({ preventScroll: true });
    try {
      const response = await fetch(contentPath(id, "scene"), { headers: headers() });
      if (!response.ok) throw new ApiError(response.status, { message: "this clip has no Scene" });
      const text = await response.text();
      if (selectedId !== id) return;
      sceneOriginal = text;
      setScene(text);
      setStatus("scene-status", "The Scene as played. Edit it to check and play a new version.");
    } catch (err) {
      if (selectedId === id) setStatus("scene-status", `Cannot load the Scene: ${err.message}`, "bad");
    }
  }

  function closeClip() {
    const id = selectedId;
    selectedId = null;
    $("clip-panel").hidden = true;
    renderGallery();
    const card = id && cards.get(id);
    if (card) card.querySelector("button.quiet").focus();
  }

  function setStatus(id, text, kind = "") {
    const node = $(id);
    node.textContent = text;
    node.className = `status ${kind}`.trim();
  }

  async function submitRemix(event) {
    event.preventDefault();
    const prompt = $("remix-prompt").value.trim();
    if (!selectedId) return;
    if (!prompt) {
      setStatus("remix-status", "Say what to change, e.g. “make the ball red”.", "bad");
      $("remix-prompt").focus();
      return;
    }
    try {
      const video = await api("POST", `/v1/videos/${encodeURIComponent(selectedId)}/remix`, { prompt });
      mine.add(video.id);
      videos.set(video.id, video);
      setStatus("remix-status", "Remix queued: it shows in the queue, then in the gallery.", "good");
      $("remix-prompt").value = "";
      render();
      refresh();
    } catch (err) {
      setStatus("remix-status", problemText(err), "bad");
    }
  }

  // Scene editor -----------------------------------------------------

  function setScene(text) {
    $("scene-text").value = text;
    problems = [];
    paintEditor();
    renderProblems();
  }

  // Line numbers of the fields of a YAML document, by field path ("entities[0].asset" -> 24).
  // Enough YAML for Scenes as WorldReel writes them and people edit them: block mappings, block
  // sequences ("- "), one-line flow mappings ("{kind: drop, at: 0.5}") and block scalars.
  function yamlFieldLines(text) {
    const lines = text.split("\n");
    const found = new Map();
    const stack = []; // {indent, path}
    const counters = new Map();
    const keyPattern = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*)|)$/;
    let blockIndent = -1; // inside a block scalar (| or >) that started at this indent
    const join = (parent, key) => (parent ? `${parent}.${key}` : key);
    const unquote = (key) => {
      if (key.startsWith('"')) { try { return JSON.parse(key); } catch { return key.slice(1, -1); } }
      if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
      return key.trim();
    };
    const flowKeys = (parent, value, lineNo) => {
      const inner = value.trim();
      if (!inner.startsWith("{")) return;
      let depth = 0, start = 1;
      const parts = [];
      for (let i = 1; i < inner.length; i++) {
        const c = inner[i];
        if (c === "{" || c === "[") depth++;
        else if ((c === "}" || c === "]") && depth > 0) depth--;
        else if ((c === "," || c === "}") && depth === 0) { parts.push(inner.slice(start, i)); start = i + 1; if (c === "}") break; }
      }
      for (const part of parts) {
        const m = part.trim().match(/^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:]+?)\s*:/);
        if (m) { const path = join(parent, unquote(m[1])); if (!found.has(path)) found.set(path, lineNo); }
      }
    };
    lines.forEach((raw, index) => {
      const lineNo = index + 1;
      const line = raw.replace(/\s+$/, "");
      const stripped = line.trimStart();
      let indent = line.length - stripped.length;
      if (!stripped || stripped.startsWith("#")) return;
      if (blockIndent >= 0) {
        if (indent > blockIndent) return;
        blockIndent = -1;
      }
      if (stripped === "---" || stripped === "...") return;
      let rest = stripped;
      while (rest === "-" || rest.startsWith("- ")) {
        while (stack.length && stack[stack.length - 1].indent >= indent + 0.5) stack.pop();
        const parent = stack.length ? stack[stack.length - 1].path : "";
        const counterKey = `${parent}@${indent}`;
        const item = counters.get(counterKey) || 0;
        counters.set(counterKey, item + 1);
        const path = `${parent}[${item}]`;
        if (!found.has(path)) found.set(path, lineNo);
        stack.push({ indent: indent + 0.5, path });
        const after = rest.slice(1);
        const pad = after.length - after.trimStart().length;
        indent += 1 + pad;
        rest = after.trimStart();
        if (!rest) return;
      }
      if (rest.startsWith("{")) {
        flowKeys(stack.length ? stack[stack.length - 1].path : "", rest, lineNo);
        return;
      }
      const m = rest.match(keyPattern);
      if (!m) return;
      while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
      const parent = stack.length ? stack[stack.length - 1].path : "";
      const path = join(parent, unquote(m[1]));
      if (!found.has(path)) found.set(path, lineNo);
      const value = (m[2] || "").replace(/\s+#.*$/, "");
      if (!value) stack.push({ indent, path });
      else if (/^[|>][-+0-9]*$/.test(value)) blockIndent = indent;
      else flowKeys(path, value, lineNo);
    });
    return found;
  }

  // "scene.entities.0.drop.asset" or "scene.entities[0].asset" -> the nearest line in the text.
  function lineOfField(param, fieldLines) {
    let field = String(param || "").replace(/^(scene_yaml|scene)(\.|$)/, "");
    field = field.replace(/\.(\d+)(?=\.|$)/g, "[$1]").replace(/^(\d+)(?=\.|\[|$)/, "[$1]");
    const segments = field.match(/\[\d+\]|[^.[\]]+/g) || [];
    let path = "";
    let line = null;
    for (const segment of segments) {
      const next = segment.startsWith("[") ? path + segment : (path ? `${path}.${segment}` : segment);
      if (fieldLines.has(next)) {
        path = next;
        line = fieldLines.get(next);
      }
      // else: a union tag pydantic puts in its paths, or a field the text does not have yet:
      // stay at the nearest field the text has
    }
    return { field, line };
  }

  function problemsOf(err, text) {
    const fieldLines = yamlFieldLines(text);
    let details = err.error && Array.isArray(err.error.details) && err.error.details.length
      ? err.error.details
      : [{ param: err.error && err.error.param, message: err.message }];
    // A message without a field of its own may still name fields, "path: what; path: what"
    // (as the asset checks write it): each becomes its own problem at its own line.
    details = details.flatMap((d) => {
      if (d.param && !/^(scene|scene_yaml)$/.test(d.param)) return [d];
      const parts = String(d.message || "").replace(/^scene: /, "").split("; ");
      const named = parts.map((part) => /^([A-Za-z_][\w.]*(?:\[\d+\][\w.]*)*): (.+)$/s.exec(part));
      return named.every(Boolean)
        ? named.map((m) => ({ param: m[1], message: m[2] }))
        : [d];
    });
    return details.map((d) => {
      const { field, line } = lineOfField(d.param, fieldLines);
      let at = Number.isInteger(d.line) ? d.line : line;
      if (at === null) {
        const m = /line (\d+)/.exec(d.message || "");
        if (m) at = Number(m[1]);
      }
      return { line: at, field, message: d.message || String(d) };
    });
  }

  async function validateScene() {
    const text = $("scene-text").value;
    if (validateAbort) validateAbort.abort();
    validateAbort = new AbortController();
    if (!text.trim()) {
      problems = [{ line: null, field: "", message: "The Scene is empty." }];
      renderProblems();
      paintEditor();
      return;
    }
    setStatus("scene-status", "Checking…");
    try {
      await api("POST", "/v1/scenes/validate", { scene_yaml: text }, validateAbort.signal);
      problems = [];
    } catch (err) {
      if (err.name === "AbortError") return;
      if (!(err instanceof ApiError) || err.status !== 400) {
        setStatus("scene-status", `Cannot check the Scene: ${err.message}`, "bad");
        return;
      }
      problems = problemsOf(err, text);
    }
    renderProblems();
    paintEditor();
  }

  function renderProblems() {
    const list = $("scene-problems");
    list.replaceChildren(...problems.map((p) => el("li", {},
      el("button", {
        type: "button",
        onclick: () => goToLine(p.line),
        "aria-label": `${p.line ? `Line ${p.line}` : "Scene"}${p.field ? `, ${p.field}` : ""}: ${p.message}`,
      },
      p.line ? `Line ${p.line}` : "Scene",
      p.field ? " · " : "", p.field ? el("code", { text: p.field }) : null,
      ` — ${p.message}`))));
    if (!$("scene-text").value.trim() && !problems.length) return;
    if (problems.length) {
      setStatus("scene-status", problems.length === 1 ? "1 problem" : `${problems.length} problems`, "bad");
    } else if ($("scene-text").value === sceneOriginal) {
      setStatus("scene-status", "The Scene as played. Edit it to check and play a new version.");
    } else {
      setStatus("scene-status", "✓ A valid Scene", "good");
    }
  }

  function goToLine(line) {
    const area = $("scene-text");
    area.focus();
    if (!line) return;
    const lines = area.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    const end = start + (lines[line - 1] || "").length;
    area.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 19.5;
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
    syncScroll();
  }

  // The gutter (line numbers, problem lines marked) and the backdrop behind the transparent
  // textarea (problem lines tinted, the message after the line's own text).
  function paintEditor() {
    const text = $("scene-text").value;
    const lines = text.split("\n");
    const byLine = new Map();
    for (const p of problems) {
      if (p.line && p.line <= lines.length) {
        byLine.set(p.line, [...(byLine.get(p.line) || []), p.message]);
      }
    }
    const gutter = $("scene-gutter");
    const backdrop = $("scene-backdrop");
    const numbers = [];
    const rows = [];
    lines.forEach((line, i) => {
      const messages = byLine.get(i + 1);
      numbers.push(messages
        ? el("span", { class: "bad", text: `● ${i + 1}\n` })
        : document.createTextNode(`${i + 1}\n`));
      rows.push(el("span", { class: messages ? "line bad" : "line" },
        line,
        messages ? el("span", { class: "note", text: `← ${messages.join("; ")}` }) : null));
    });
    gutter.replaceChildren(...numbers);
    backdrop.replaceChildren(...rows);
    syncScroll();
  }

  function syncScroll() {
    const area = $("scene-text");
    $("scene-gutter").scrollTop = area.scrollTop;
    $("scene-backdrop").scrollTop = area.scrollTop;
    $("scene-backdrop").scrollLeft = area.scrollLeft;
  }

  function sceneEdited() {
    // Line numbers follow the text at once; problems are re-checked after a pause in typing.
    paintEditor();
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validateScene, VALIDATE_DELAY_MS);
  }

  async function playScene() {
    const text = $("scene-text").value;
    if (!text.trim()) {
      setStatus("scene-play-status", "The Scene is empty.", "bad");
      return;
    }
    const button = $("scene-play");
    button.disabled = true;
    setStatus("scene-play-status", "Sending…");
    try {
      const source = videos.get(selectedId);
      const body = { scene_yaml: text };
      if (source && source.model) body.model = source.model; // the quality the clip was made at
      const video = await api("POST", "/v1/videos", body);
      mine.add(video.id);
      videos.set(video.id, video);
      setStatus("scene-play-status", "Queued: it shows in the queue, then in the gallery.", "good");
      render();
      refresh();
    } catch (err) {
      if (err.status === 400) {
        problems = problemsOf(err, text);
        renderProblems();
        paintEditor();
        setStatus("scene-play-status", "Fix the problems above first.", "bad");
      } else {
        setStatus("scene-play-status", err.message, "bad");
      }
    } finally {
      button.disabled = false;
    }
  }

  // Evaluation report ------------------------------------------------

  const SECTION_NAMES = {
    media: "clip", sync: "A/V sync (from MP4)", event_sync: "A/V sync (events sidecar)",
    picture: "picture", loudness: "loudness", physics: "physics", identity: "identity",
  };
  const SKIPPED = new Set(["frames", "visual_events", "onsets", "event_sources", "plots", "notes", "path"]);

  function verdictWord(verdict) {
    const first = String(verdict || "").split(" ")[0].toLowerCase();
    if (first === "ok") return "ok";
    if (first === "fail") return "fail";
    if (first === "warn") return "warn";
    return "na";
  }

  function formatValue(value) {
    if (value === null || value === undefined) return "–";
    if (typeof value === "number") {
      if (Number.isInteger(value)) return String(value);
      const abs = Math.abs(value);
      return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : String(+value.toFixed(4));
    }
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (Array.isArray(value)) {
      const shown = value.slice(0, 6).map(formatValue).join(", ");
      return value.length > 6 ? `${shown}, … (${value.length} values)` : shown;
    }
    return String(value);
  }

  // The report's own summary rows when the server sends them (report.rows() of worldreel eval:
  // `summary` as [{metric, value, verdict}] or `rows` as [[metric, value, verdict]]); else the
  // measured numbers of each section, with the pass/fail booleans as verdicts.
  function reportRows(report) {
    const summary = report.summary || report.rows;
    if (Array.isArray(summary)) {
      return summary.map((row) => (Array.isArray(row)
        ? { metric: row[0], value: row[1], verdict: row[2] || "" }
        : { metric: row.metric ?? row.name, value: row.value, verdict: row.verdict || "" }));
    }
    // One group of rows per section (clip, A/V sync, picture, loudness, physics, identity).
    const rows = [];
    const words = (key) => key.replace(/_/g, " ");
    const walk = (prefix, data) => {
      for (const [key, value] of Object.entries(data)) {
        if (SKIPPED.has(key) || value === null || (Array.isArray(value) && !value.length)) continue;
        const name = prefix ? `${prefix} ${words(key)}` : words(key);
        if (typeof value === "object" && !Array.isArray(value)) {
          walk(name, value);
        } else if (Array.isArray(value) && value.some((x) => x && typeof x === "object")) {
          rows.push({ metric: name, value: `${value.length} entries`, verdict: "" });
        } else if (typeof value === "boolean" && (/(^|_)ok$/.test(key) || key === "in_sync")) {
          rows.push({ metric: name, value: value ? "yes" : "no", verdict: value ? "ok" : "FAIL" });
        } else {
          rows.push({ metric: name, value: formatValue(value), verdict: "" });
        }
      }
    };
    for (const [key, value] of Object.entries(report)) {
      if (SKIPPED.has(key) || value === null || typeof value !== "object" || Array.isArray(value)) continue;
      rows.push({ group: SECTION_NAMES[key] || words(key) });
      walk("", value);
    }
    return rows;
  }

  async function loadReport() {
    const id = selectedId;
    if (!id) return;
    const button = $("report-load");
    button.disabled = true;
    setStatus("report-status", "Evaluating the clip (a few seconds)…");
    $("report-body").replaceChildren();
    try {
      const report = await api("GET", `/v1/videos/${encodeURIComponent(id)}/report`);
      if (selectedId !== id) return;
      const rows = reportRows(report);
      const table = el("table", { class: "report-table" },
        el("caption", { text: `Measured on the clip${report.wall_s !== undefined ? ` in ${formatValue(report.wall_s)} s` : ""}.` }),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col", text: "Metric" }),
          el("th", { scope: "col", text: "Value" }),
          el("th", { scope: "col", text: "Verdict" }))),
        el("tbody", {}, ...rows.map((r) => (r.group ? el("tr", { class: "group" },
          el("th", { scope: "colgroup", colspan: "3", text: r.group })) : el("tr", {},
          el("th", { scope: "row", text: String(r.metric) }),
          el("td", { class: "value", text: typeof r.value === "string" ? r.value : formatValue(r.value) }),
          el("td", {}, el("span", { class: `verdict ${verdictWord(r.verdict)}`, text: String(r.verdict || "") })))))));
      const notes = Array.isArray(report.notes) && report.notes.length
        ? el("ul", { class: "report-notes" }, ...report.notes.map((n) => el("li", { text: String(n) })))
        : null;
      $("report-body").replaceChildren(table, ...(notes ? [notes] : []));
      const failed = rows.filter((r) => verdictWord(r.verdict) === "fail").length;
      setStatus("report-status", failed ? `${failed} check${failed > 1 ? "s" : ""} failed.` : "No check failed.",
        failed ? "bad" : "good");
    } catch (err) {
      if (selectedId === id) setStatus("report-status", `Cannot evaluate the clip: ${err.message}`, "bad");
    } finally {
      button.disabled = false;
    }
  }

  // The models the server offers (GET /v1/models), each with the quality it renders at.
  async function loadModels() {
    try {
      const list = await api("GET", "/v1/models");
      const models = (list.data || []).filter((m) => typeof m.id === "string")
        .sort((a, b) => Number(b.id.startsWith("worldreel")) - Number(a.id.startsWith("worldreel")));
      if (!models.length) return;
      const quality = (m) => String(m.owned_by || "").replace(/^worldreel-/, "");
      const select = $("model");
      const current = select.value;
      select.replaceChildren(...models.map((m) => el("option", {
        value: m.id,
        text: quality(m) && !m.id.endsWith(quality(m)) ? `${m.id} (${quality(m)})` : m.id,
      })));
      select.value = models.some((m) => m.id === current) ? current : models[0].id;
    } catch {
      // the models written in the page stay
    }
  }

  // ---------------------------------------------------------------- wiring

  function start() {
    const key = $("api-key");
    key.value = apiKey();
    key.addEventListener("change", () => {
      const value = key.value.trim();
      if (value) localStorage.setItem(KEY_STORAGE, value);
      else localStorage.removeItem(KEY_STORAGE);
      for (const url of objectUrls.values()) URL.revokeObjectURL(url);
      objectUrls.clear();
      hideBanner();
      for (const card of cards.values()) card.remove();
      cards.clear();
      refresh();
    });
    $("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      key.dispatchEvent(new Event("change"));
    });
    $("create-form").addEventListener("submit", submitPrompt);
    $("prompt").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("create-form").requestSubmit();
    });
    $("refresh").addEventListener("click", refresh);
    $("load-older").addEventListener("click", loadOlder);
    $("clip-close").addEventListener("click", closeClip);
    $("remix-form").addEventListener("submit", submitRemix);
    const area = $("scene-text");
    area.addEventListener("input", sceneEdited);
    area.addEventListener("scroll", syncScroll);
    $("scene-play").addEventListener("click", playScene);
    $("scene-reset").addEventListener("click", () => {
      setScene(sceneOriginal);
      renderProblems();
    });
    $("report-load").addEventListener("click", loadReport);
    loadModels();
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
    refresh();
  }

  start();
})();
