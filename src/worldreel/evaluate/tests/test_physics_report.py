"""Physics checks that need no video: bounces, energy, penetration, g from free flight."""

from __future__ import annotations

from dataclasses import replace

import pytest

from worldreel.evaluate.physics_report import physics_report
from worldreel.evaluate.tests.toyclip import (
    ToyBall,
    bounce_schedule,
    events_sidecar,
    toy_recording,
)
from worldreel.recording import ContactEvent

BALL = ToyBall(gravity_m_per_s2=9.81)


def _events(ball: ToyBall = BALL) -> list[ContactEvent]:
    times, speeds = bounce_schedule(ball, 3.5)
    return [
        ContactEvent.from_dict(e) for e in events_sidecar(ball, times, speeds, 24, 3.5)["events"]
    ]


def test_events_alone_give_restitution_and_g():
    report = physics_report(_events())
    assert len(report.bounces) == 4  # five impacts, four flights between them
    assert all(b.restitution == pytest.approx(0.8, abs=1e-3) for b in report.bounces)
    assert report.g_from_bounces == pytest.approx(9.81, rel=1e-3)
    assert report.g_from_flights is None and report.g_ok
    assert report.event_counts == {"impact": 5}


def test_moon_gravity_is_measured_and_flagged():
    moon = replace(BALL, gravity_m_per_s2=1.62)
    times, speeds = bounce_schedule(moon, 12.0)
    events = [
        ContactEvent.from_dict(e) for e in events_sidecar(moon, times, speeds, 24, 12.0)["events"]
    ]
    report = physics_report(events)
    assert report.g_from_bounces == pytest.approx(1.62, rel=1e-3)
    assert report.g_ok is False  # the clip claims nothing about the moon: expected is 9.81


def test_energy_gain_at_a_bounce_is_caught():
    events = _events()
    events[2] = replace(events[2], speed=events[1].speed * 1.2)
    report = physics_report(events)
    assert len(report.energy_gains) == 1
    assert report.energy_gains[0].time_s == pytest.approx(events[1].time)


def test_penetration_from_contact_points():
    events = _events()
    events[0] = replace(events[0], point=(0.6, 0.0, -0.01))
    report = physics_report(events)
    assert report.penetration_m == pytest.approx(0.02)
    assert report.penetration_ok is False


def test_recording_free_flight_fits_g_and_keeps_energy():
    times, speeds = bounce_schedule(BALL, 3.5)
    recording = toy_recording(BALL, times, speeds, 24, 3.5)
    report = physics_report([], recording)
    assert len(report.flights) >= 4
    assert report.g_from_flights == pytest.approx(9.81, rel=1e-3)
    assert report.max_energy_drift < 1e-3
    assert report.lowest_centre_z_m == pytest.approx(BALL.radius_m, abs=5e-3)  # 240 Hz samples
