"""A toy "WorldReel-like" clip whose truth we know: a ball falls under gravity and bounces.

The picture is rendered analytically (an anti-aliased disc over a textured static backdrop) and
a click starts exactly at each bounce time, so every measured offset can be checked against the
true event times. Written with plain PyAV + numpy, like any third-party MP4.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

G_M_PER_S2 = 9.81
SAMPLE_RATE_HZ = 48000


@dataclass(frozen=True)
class ToyBall:
    """Ball parameters; the scene is `height_m` tall, the floor at the bottom of the picture."""

    drop_height_m: float = 1.6  # of the centre
    radius_m: float = 0.12
    restitution: float = 0.8
    vx_m_per_s: float = 0.25
    x0_m: float = 0.6
    height_m: float = 2.0
    floor_px: int = 12  # floor strip at the bottom, in pixels
    gravity_m_per_s2: float = G_M_PER_S2
    colour: tuple[int, int, int] = (245, 200, 40)  # lit side, 8-bit RGB


@dataclass
class ToyClip:
    path: Path
    fps: int
    duration_s: float
    bounce_times_s: list[float]
    bounce_speeds_m_per_s: list[float]
    ball: ToyBall = field(default_factory=ToyBall)


def bounce_schedule(ball: ToyBall, duration_s: float) -> tuple[list[float], list[float]]:
    """Times and approach speeds of every bounce before `duration_s`."""
    g = ball.gravity_m_per_s2
    fall_m = ball.drop_height_m - ball.radius_m
    t = float(np.sqrt(2.0 * fall_m / g))
    v = g * t
    times, speeds = [], []
    while t < duration_s and v > 0.3:
        times.append(t)
        speeds.append(v)
        v *= ball.restitution
        t += 2.0 * v / g
    return times, speeds


def ball_height_m(ball: ToyBall, t_s: np.ndarray) -> np.ndarray:
    """Centre height at times `t_s` (analytic piecewise parabola)."""
    g = ball.gravity_m_per_s2
    times, speeds = bounce_schedule(ball, float(np.max(t_s)) + 10.0)
    t_s = np.asarray(t_s, dtype=np.float64)
    z = ball.drop_height_m - 0.5 * g * t_s**2
    for tb, vb in zip(times, speeds):
        after = t_s >= tb
        v_out = vb * ball.restitution
        dt = t_s[after] - tb
        z[after] = ball.radius_m + v_out * dt - 0.5 * g * dt**2
    return z


def ball_velocity_z(ball: ToyBall, t_s: np.ndarray) -> np.ndarray:
    """Vertical velocity of the centre at times `t_s` (analytic)."""
    g = ball.gravity_m_per_s2
    times, speeds = bounce_schedule(ball, float(np.max(t_s)) + 10.0)
    t_s = np.asarray(t_s, dtype=np.float64)
    vz = -g * t_s
    for tb, vb in zip(times, speeds):
        after = t_s >= tb
        vz[after] = vb * ball.restitution - g * (t_s[after] - tb)
    return vz


def _backdrop(height: int, width: int, ball: ToyBall) -> np.ndarray:
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:height, 0:width]
    base = 70 + 40 * yy / height + 8 * np.sin(xx / 9.0) * np.cos(yy / 13.0)
    img = np.stack([base * 0.8, base * 0.9, base * 1.1], axis=-1)
    img += rng.normal(0.0, 3.0, size=img.shape)
    img[height - ball.floor_px :] = (90, 70, 50)
    return np.clip(img, 0, 255)


def render_frame(backdrop: np.ndarray, ball: ToyBall, x_m: float, z_m: float) -> np.ndarray:
    """The backdrop with the ball (anti-aliased, lit from the top-left) at (x, z) metres."""
    height, width = backdrop.shape[:2]
    px_per_m = (height - ball.floor_px) / ball.height_m
    cx = x_m * px_per_m
    cy = (height - ball.floor_px) - z_m * px_per_m
    r = ball.radius_m * px_per_m
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    cover = np.clip(r - d + 0.5, 0.0, 1.0)[..., None]
    shade = np.clip(
        1.0 - 0.5 * ((xx - cx + 0.4 * r) ** 2 + (yy - cy + 0.4 * r) ** 2) / (r * r), 0.3, 1.0
    )
    colour = np.stack([channel * shade for channel in ball.colour], axis=-1)
    return np.clip(backdrop * (1 - cover) + colour * cover, 0, 255).astype(np.uint8)


def click(speed_m_per_s: float, rng: np.random.Generator) -> np.ndarray:
    """A 60 ms impact click: a sharp noise crack and a decaying 1.8 kHz mode; onset at sample 0."""
    n = int(0.06 * SAMPLE_RATE_HZ)
    t = np.arange(n) / SAMPLE_RATE_HZ
    crack = rng.normal(0.0, 1.0, n) * np.exp(-t / 0.002)
    ring = np.sin(2 * np.pi * 1800.0 * t) * np.exp(-t / 0.012)
    level = min(0.8, 0.12 * speed_m_per_s)
    return (level * (0.5 * crack + ring)).astype(np.float32)


def make_soundtrack(
    times_s: list[float],
    speeds: list[float],
    duration_s: float,
    *,
    shift_s: float = 0.0,
    seed: int = 3,
) -> np.ndarray:
    """Stereo float32 (n, 2): quiet room noise plus a click starting at each time + shift."""
    rng = np.random.default_rng(seed)
    n = int(round(duration_s * SAMPLE_RATE_HZ))
    mono = rng.normal(0.0, 0.002, n).astype(np.float32)
    for tb, vb in zip(times_s, speeds):
        start = int(round((tb + shift_s) * SAMPLE_RATE_HZ))
        if 0 <= start < n:
            c = click(vb, rng)[: n - start]
            mono[start : start + len(c)] += c
    return np.stack([mono, mono], axis=1)


def write_mp4(
    path: Path,
    frames,
    audio: np.ndarray | None,
    *,
    fps: int,
    width: int,
    height: int,
    crf: int = 18,
) -> None:
    """Encode RGB frames (an iterable) and optional (n, 2) float32 48 kHz audio with plain PyAV."""
    import av

    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"crf": str(crf), "preset": "veryfast"}
        astream = None
        if audio is not None:
            astream = container.add_stream("aac", rate=SAMPLE_RATE_HZ)
            astream.layout = "stereo"
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = i
            container.mux(video.encode(frame))
        container.mux(video.encode())
        if astream is not None:
            planar = np.ascontiguousarray(audio.T.astype(np.float32))
            for start in range(0, planar.shape[1], 1024):
                chunk = np.ascontiguousarray(planar[:, start : start + 1024])
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
                frame.sample_rate = SAMPLE_RATE_HZ
                frame.pts = start
                container.mux(astream.encode(frame))
            container.mux(astream.encode())


def toy_frames(
    ball: ToyBall, fps: int, duration_s: float, width: int, height: int
) -> list[np.ndarray]:
    backdrop = _backdrop(height, width, ball)
    n = int(round(duration_s * fps))
    t = np.arange(n) / fps
    z = ball_height_m(ball, t)
    x = ball.x0_m + ball.vx_m_per_s * t
    return [render_frame(backdrop, ball, float(xi), float(zi)) for xi, zi in zip(x, z)]


def events_sidecar(
    ball: ToyBall, times: list[float], speeds: list[float], fps: int, duration_s: float
) -> dict:
    """The `clip.events.json` content WorldReel would write for this toy scene."""
    from worldreel.recording import ContactEvent

    events = []
    for tb, vb in zip(times, speeds):
        x = ball.x0_m + ball.vx_m_per_s * tb
        events.append(
            ContactEvent(
                time=tb,
                end=tb + 0.004,
                kind="impact",
                body_a="ball",
                body_b="floor",
                material_a="rubber",
                material_b="wood",
                point=(x, 0.0, 0.0),
                normal=(0.0, 0.0, 1.0),
                impulse=0.3 * vb * (1 + ball.restitution),
                speed=vb,
                size_a=ball.radius_m,
                size_b=2.0,
            ).to_dict()
        )
    return {"version": 1, "fps": fps, "duration": duration_s, "events": events}


def toy_recording(
    ball: ToyBall,
    times: list[float],
    speeds: list[float],
    fps: int,
    duration_s: float,
    oversample: int = 10,
):
    """A Recording of the toy scene (ball centre, x-z plane), sampled at fps * oversample."""
    from worldreel.recording import ContactEvent, Recording

    rate = fps * oversample
    t = np.arange(int(round(duration_s * rate))) / rate
    z = ball_height_m(ball, t)
    pos = np.zeros((len(t), 1, 3))
    pos[:, 0, 0] = ball.x0_m + ball.vx_m_per_s * t
    pos[:, 0, 2] = z
    vel = np.zeros_like(pos)
    vel[:, 0, 0] = ball.vx_m_per_s
    vel[:, 0, 2] = ball_velocity_z(ball, t)
    quat = np.zeros((len(t), 1, 4))
    quat[..., 0] = 1.0
    events = tuple(
        ContactEvent.from_dict(e)
        for e in events_sidecar(ball, times, speeds, fps, duration_s)["events"]
    )
    return Recording(
        fps=fps,
        oversample=oversample,
        duration=duration_s,
        entity_ids=("ball",),
        times=t,
        positions=pos,
        quaternions=quat,
        velocities=vel,
        events=events,
    )


def make_toy_clip(
    directory: Path,
    name: str = "toy",
    *,
    fps: int = 24,
    duration_s: float = 3.5,
    width: int = 320,
    height: int = 240,
    audio_shift_s: float = 0.0,
    frame_edit=None,
    ball: ToyBall = ToyBall(),
    sidecars: bool = False,
) -> ToyClip:
    """Write `name.mp4` (and with `sidecars`, `name.events.json` + `name.recording.npz`).

    `frame_edit(frames) -> frames` plants picture defects; `audio_shift_s` > 0 makes sound late.
    """
    directory.mkdir(parents=True, exist_ok=True)
    times, speeds = bounce_schedule(ball, duration_s)
    frames = toy_frames(ball, fps, duration_s, width, height)
    if frame_edit is not None:
        frames = frame_edit(frames)
    audio = make_soundtrack(times, speeds, duration_s, shift_s=audio_shift_s)
    path = directory / f"{name}.mp4"
    write_mp4(path, frames, audio, fps=fps, width=width, height=height)
    if sidecars:
        from worldreel.recording import save_recording

        sidecar = events_sidecar(ball, times, speeds, fps, duration_s)
        (directory / f"{name}.events.json").write_text(json.dumps(sidecar))
        save_recording(
            toy_recording(ball, times, speeds, fps, duration_s), directory / f"{name}.recording.npz"
        )
    return ToyClip(
        path=path,
        fps=fps,
        duration_s=duration_s,
        bounce_times_s=times,
        bounce_speeds_m_per_s=speeds,
        ball=ball,
    )
