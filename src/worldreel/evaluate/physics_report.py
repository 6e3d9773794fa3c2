"""Physics checks: energy at impacts, penetration, and gravity, from the events sidecar and,
when present, the Recording.

From events alone: a body bouncing twice on the same surface meets it again at the speed it
left with, so speed(n+1) / speed(n) is the coefficient of restitution of bounce n (energy ratio
its square, never above 1 without a push) and the flight between the two lasted 2 v / g, which
gives g. From the Recording: every free-flight span (no contact of that body) is fitted with a
parabola z(t) = z0 + v0 t - g t^2 / 2, and the mechanical energy v^2 / 2 + g z must stay constant
along it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from worldreel.recording import ContactEvent, Recording

STANDARD_GRAVITY_M_PER_S2 = 9.80665  # CGPM 1901; the simulator's default gravity
G_TOLERANCE = 0.03  # relative: a fit this close to the expected g passes
ENERGY_GAIN_TOLERANCE = 0.02  # restitution may exceed 1 by this much before it is a gain
CONTACT_MARGIN_S = 0.01  # left out around each contact: the solver's spring is not free flight
MIN_FLIGHT_S = 0.12  # shorter spans have too little curvature to fit g
MIN_FLIGHT_SAMPLES = 8
MIN_VERTICAL_SPEED_RANGE = 0.3  # m/s: a span must really rise or fall to say anything about g
MAX_FIT_RMS_M = 0.003  # a free-flight parabola fits the simulator to well under this
VERTICAL_NORMAL = 0.95  # |n_z| above which a contact is with a horizontal surface
PENETRATION_TOLERANCE_M = 0.01  # about 3 px at 720p on a 4 m wide view: visible beyond this


@dataclass(frozen=True)
class Bounce:
    body: str
    surface: str
    time_s: float
    restitution: float  # v_out / v_in
    flight_s: float
    g_m_per_s2: float | None  # None when the surface is not horizontal

    @property
    def energy_ratio(self) -> float:
        return self.restitution**2


@dataclass(frozen=True)
class FlightFit:
    entity: str
    start_s: float
    end_s: float
    g_m_per_s2: float
    rms_m: float
    energy_drift: float  # relative change of v^2/2 + g z over the span


@dataclass
class PhysicsReport:
    expected_g_m_per_s2: float
    event_counts: dict[str, int] = field(default_factory=dict)
    bounces: list[Bounce] = field(default_factory=list)
    flights: list[FlightFit] = field(default_factory=list)
    lowest_contact_z_m: float | None = None
    lowest_centre_z_m: float | None = None  # from the Recording: any centre under the ground?
    simulated_penetration_m: float | None = None  # the simulator's own worst overlap, when saved
    notes: list[str] = field(default_factory=list)

    @property
    def g_from_bounces(self) -> float | None:
        values = [b.g_m_per_s2 for b in self.bounces if b.g_m_per_s2 is not None]
        return float(np.median(values)) if values else None

    @property
    def g_from_flights(self) -> float | None:
        if not self.flights:
            return None
        weights = np.array([f.end_s - f.start_s for f in self.flights])
        values = np.array([f.g_m_per_s2 for f in self.flights])
        return float(np.sum(weights * values) / weights.sum())

    @property
    def g_measured(self) -> float | None:
        """The Recording's fit when there is one (exact positions), else the bounce timing."""
        return self.g_from_flights if self.g_from_flights is not None else self.g_from_bounces

    @property
    def g_ok(self) -> bool | None:
        g = self.g_measured
        if g is None:
            return None
        return abs(g - self.expected_g_m_per_s2) <= G_TOLERANCE * self.expected_g_m_per_s2

    @property
    def energy_gains(self) -> list[Bounce]:
        return [b for b in self.bounces if b.restitution > 1.0 + ENERGY_GAIN_TOLERANCE]

    @property
    def max_energy_drift(self) -> float | None:
        return max((abs(f.energy_drift) for f in self.flights), default=None)

    @property
    def penetration_m(self) -> float | None:
        """The simulator's worst overlap of any two bodies when the Recording saved it; else the
        deepest contact below the ground plane (MuJoCo puts the contact point half way through
        the overlap, so the overlap is twice its depth)."""
        if self.simulated_penetration_m is not None:
            return self.simulated_penetration_m
        if self.lowest_contact_z_m is None:
            return None
        return max(0.0, -2.0 * self.lowest_contact_z_m)

    @property
    def penetration_ok(self) -> bool | None:
        depth = self.penetration_m
        return None if depth is None else depth <= PENETRATION_TOLERANCE_M

    def to_dict(self) -> dict:
        def r(v, d=4):
            return None if v is None else round(float(v), d)

        return {
            "expected_g_m_per_s2": self.expected_g_m_per_s2,
            "g_from_bounces_m_per_s2": r(self.g_from_bounces),
            "g_from_flights_m_per_s2": r(self.g_from_flights),
            "g_ok": self.g_ok,
            "event_counts": self.event_counts,
            "bounces": [
                {
                    "body": b.body,
                    "surface": b.surface,
                    "time_s": r(b.time_s, 5),
                    "restitution": r(b.restitution),
                    "energy_ratio": r(b.energy_ratio),
                    "flight_s": r(b.flight_s, 5),
                    "g_m_per_s2": r(b.g_m_per_s2),
                }
                for b in self.bounces
            ],
            "energy_gains": len(self.energy_gains),
            "flights": [
                {
                    "entity": f.entity,
                    "start_s": r(f.start_s, 4),
                    "end_s": r(f.end_s, 4),
                    "g_m_per_s2": r(f.g_m_per_s2),
                    "rms_m": r(f.rms_m, 6),
                    "energy_drift": r(f.energy_drift, 5),
                }
                for f in self.flights
            ],
            "max_energy_drift": r(self.max_energy_drift, 5),
            "penetration_m": r(self.penetration_m, 5),
            "penetration_ok": self.penetration_ok,
            "lowest_centre_z_m": r(self.lowest_centre_z_m, 5),
            "notes": self.notes,
        }


def bounces_from_events(events: list[ContactEvent]) -> list[Bounce]:
    """Consecutive impacts of the same body on the same surface with no other contact of that
    body in between: each gives a restitution and, on a horizontal surface, a g."""
    impacts = sorted((e for e in events if e.kind == "impact"), key=lambda e: e.time)
    bounces = []
    counted: set[tuple[frozenset, float]] = set()  # a pair's bounce is seen from both bodies
    for body in sorted({e.body_a for e in impacts} | {e.body_b for e in impacts}):
        mine = [e for e in sorted(events, key=lambda e: e.time) if body in (e.body_a, e.body_b)]
        for first, second in zip(mine, mine[1:]):
            if first.kind != "impact" or second.kind != "impact":
                continue
            surface = first.body_b if first.body_a == body else first.body_a
            if surface != (second.body_b if second.body_a == body else second.body_a):
                continue
            key = (frozenset((body, surface)), first.time)
            if first.speed <= 0.0 or second.time <= first.end or key in counted:
                continue
            counted.add(key)
            flight = second.time - first.time
            horizontal = (
                abs(first.normal[2]) >= VERTICAL_NORMAL and abs(second.normal[2]) >= VERTICAL_NORMAL
            )
            same_height = abs(first.point[2] - second.point[2]) < 0.01
            g = 2.0 * second.speed / flight if horizontal and same_height else None
            bounces.append(
                Bounce(
                    body=body,
                    surface=surface,
                    time_s=first.time,
                    restitution=second.speed / first.speed,
                    flight_s=flight,
                    g_m_per_s2=g,
                )
            )
    return sorted(bounces, key=lambda b: b.time_s)


def _free_spans(times: np.ndarray, contacts: list[tuple[float, float]]) -> list[np.ndarray]:
    """Runs of sample indices outside every (start, end) contact span, widened by the margin and
    by at least one sample period (a 3 ms impact can fall between two samples at 24 Hz)."""
    period = float(np.median(np.diff(times))) if len(times) > 1 else 0.0
    margin = max(CONTACT_MARGIN_S, 1.01 * period)
    free = np.ones(len(times), dtype=bool)
    for start, end in contacts:
        free &= ~((times >= start - margin) & (times <= end + margin))
    edges = np.flatnonzero(np.diff(np.concatenate([[0], free.astype(np.int8), [0]])))
    return [np.arange(a, b) for a, b in zip(edges[::2], edges[1::2])]


def fit_flights(recording: Recording, expected_g: float) -> list[FlightFit]:
    """Parabola fits of z(t) over every free-flight span of every entity."""
    fits = []
    for index, entity in enumerate(recording.entity_ids):
        contacts = [(e.time, e.end) for e in recording.events if entity in (e.body_a, e.body_b)]
        for span in _free_spans(recording.times, contacts):
            t = recording.times[span]
            if len(span) < MIN_FLIGHT_SAMPLES or t[-1] - t[0] < MIN_FLIGHT_S:
                continue
            z = recording.positions[span, index, 2]
            coeffs, residuals, *_ = np.polyfit(t - t[0], z, 2, full=True)
            rms = float(np.sqrt(residuals[0] / len(t))) if len(residuals) else 0.0
            vz = np.gradient(z, t)
            if np.ptp(vz) < MIN_VERTICAL_SPEED_RANGE or rms > MAX_FIT_RMS_M:
                continue  # resting, sliding, carried or driven: not free flight
            g = -2.0 * float(coeffs[0])
            velocity = recording.velocities[span, index]
            energy = 0.5 * np.sum(velocity**2, axis=1) + expected_g * z
            scale = max(float(np.max(np.abs(energy))), 1e-6)
            fits.append(
                FlightFit(
                    entity=entity,
                    start_s=float(t[0]),
                    end_s=float(t[-1]),
                    g_m_per_s2=g,
                    rms_m=rms,
                    energy_drift=float((energy[-1] - energy[0]) / scale),
                )
            )
    return fits


def expected_gravity(recording: Recording | None) -> float:
    """The scene's |g| when the Recording's meta says it, else standard gravity."""
    if recording is not None:
        gravity = recording.meta.get("gravity")
        if isinstance(gravity, (int, float)):
            return abs(float(gravity))
        if isinstance(gravity, (list, tuple)) and len(gravity) == 3:
            return float(np.linalg.norm(gravity))
    return STANDARD_GRAVITY_M_PER_S2


def physics_report(events: list[ContactEvent], recording: Recording | None = None) -> PhysicsReport:
    """Everything computable from the events (and the Recording, when given)."""
    if recording is not None and not events:
        events = list(recording.events)
    report = PhysicsReport(expected_g_m_per_s2=expected_gravity(recording))
    for event in events:
        report.event_counts[event.kind] = report.event_counts.get(event.kind, 0) + 1
    report.bounces = bounces_from_events(events)
    if events:
        report.lowest_contact_z_m = float(min(e.point[2] for e in events))
    if recording is None:
        report.notes.append("no recording beside the clip: g from bounce timing only")
        return report
    report.flights = fit_flights(recording, report.expected_g_m_per_s2)
    if len(recording.positions):
        report.lowest_centre_z_m = float(np.min(recording.positions[..., 2]))
    simulated = recording.meta.get("worst_penetration_m")
    if isinstance(simulated, (int, float)):
        report.simulated_penetration_m = float(simulated)
    if not report.flights:
        report.notes.append("no free-flight span long enough to fit g")
    return report
