"""Animal calls and vehicle signals as a listener would notice them: every call is the same for
the same seed, lasts what is asked, is loud where the animal's mouth opens; a chihuahua yaps
higher than a labrador and a calf moos higher than a cow; a bark is abrupt and short, a meow
rises and falls; a horn sounds its two tones and a bell its inharmonic partials; and a sound
made by the wrong speaker is refused with what can make it."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from worldreel.errors import SceneError
from worldreel.evaluate.pitch import harmonic_f0
from worldreel.rng import generator
from worldreel.scene import ANIMAL_SOUNDS, SIGNAL_SOUNDS, VOCAL_SOUNDS, Scene
from worldreel.speech import animal_calls
from worldreel.speech.animal_calls import AnimalTraits
from worldreel.speech.casting import traits_of
from worldreel.speech.device_sounds import BELL_RATIOS, HORN_HZ
from worldreel.speech.spoken import PAUSE, SAMPLE_RATE, Spoken
from worldreel.speech.vocal_sounds import (
    ALL_KINDS, ANIMAL_KINDS, DEVICE_KINDS, MAN, vocal_sound)

CASES = [(kind, species) for species in animal_calls.species_names()
         for kind in animal_calls.calls_of(species)]


@lru_cache(maxsize=None)
def make(kind: str, species: str, breed: str | None = None, size: float = 1.0, seed: int = 0,
         seconds: float | None = None) -> Spoken:
    return vocal_sound(kind, AnimalTraits(species, size, breed), generator(seed, f"t/{kind}"),
                       seconds=seconds)


def test_the_scene_offers_every_call_and_signal_the_synthesis_makes():
    assert set(ANIMAL_SOUNDS) == set(ANIMAL_KINDS)
    assert set(SIGNAL_SOUNDS) == set(DEVICE_KINDS)
    assert set(VOCAL_SOUNDS) == set(ALL_KINDS)


@pytest.mark.parametrize("kind,species", CASES)
def test_each_call_is_deterministic_audible_unclipped_and_as_long_as_asked(kind, species):
    spoken = make(kind, species)
    again = vocal_sound(kind, AnimalTraits(species), generator(0, f"t/{kind}"))
    assert np.array_equal(spoken.samples, again.samples)
    _, natural, longest = animal_calls.seconds_range(kind, species)
    assert spoken.seconds == pytest.approx(natural, abs=1e-3)
    peak = np.max(np.abs(spoken.samples))
    assert 0.5 < peak <= 1.0
    assert np.sqrt(np.mean(spoken.samples ** 2)) > 0.02
    asked = min(longest, 1.3 * natural)
    assert make(kind, species, seconds=asked).seconds == pytest.approx(asked, abs=1e-3)


@pytest.mark.parametrize("kind,species", [c for c in CASES
                                          if animal_calls._table()[c[1]]["calls"][c[0]]["mouth"]])
def test_the_mouth_is_open_where_the_call_is_loud(kind, species):
    spoken = make(kind, species)
    x = spoken.samples
    inside = np.zeros(len(x), bool)
    for phone in spoken.phones:
        if phone.symbol != PAUSE:
            inside[int(phone.start * SAMPLE_RATE):int(phone.end * SAMPLE_RATE)] = True
    assert inside.any()
    energy_in = np.sum(x[inside] ** 2)
    energy_out = np.sum(x[~inside] ** 2)
    assert energy_in > 50 * energy_out  # >17 dB more sound while the mouth is open
    assert spoken.phones[-1].end == pytest.approx(spoken.seconds, abs=1e-3)


def test_calls_through_a_closed_mouth_leave_the_mouth_shut():
    for kind, species in [("purr", "cat"), ("snort", "horse"), ("coo", "pigeon"),
                          ("trumpet", "elephant")]:
        assert {p.symbol for p in make(kind, species).phones} == {PAUSE}


def test_a_chihuahua_yaps_higher_than_a_labrador_and_a_mastiff_lowest():
    f0 = {breed: np.median([harmonic_f0(make("bark", "dog", breed, seed=s).samples, 150, 1500)
                            for s in range(3)])
          for breed in ("chihuahua", "labrador", "mastiff")}
    assert f0["chihuahua"] > 1.4 * f0["labrador"]
    assert f0["labrador"] > f0["mastiff"]
    assert 250 < f0["labrador"] < 600  # a medium-large dog's bark


def test_a_calf_moos_higher_than_a_cow_at_about_100_to_150_hz():
    cow = harmonic_f0(make("moo", "cow").samples, 50, 400)
    calf = harmonic_f0(make("moo", "cow", size=0.55).samples, 50, 600)
    assert 100 <= cow <= 150
    assert calf > 1.3 * cow


def test_a_bark_is_abrupt_and_short_and_barking_is_a_run_of_barks():
    x = make("bark", "dog", "beagle").samples
    env = np.abs(x)
    onset = np.argmax(env > 0.3 * env.max()) / SAMPLE_RATE
    assert onset < 0.015  # loud within 15 ms of its start
    assert 0.05 <= len(x) / SAMPLE_RATE <= 0.2
    run = make("barking", "dog", "beagle", seconds=2.0)
    opens = [p for p in run.phones if p.symbol != PAUSE]
    assert 3 <= len(opens) <= 7  # ~2-3 barks a second


def test_a_meow_rises_then_falls_with_the_jaw_opening_and_closing():
    x = make("meow", "cat").samples
    third = len(x) // 3
    f_start, f_mid, f_end = (harmonic_f0(x[i * third:(i + 1) * third], 300, 1200)
                             for i in range(3))
    assert f_mid > f_start and f_mid > f_end
    assert [p.symbol for p in make("meow", "cat").phones if p.symbol != PAUSE] == \
        ["iy", "aa", "uw"]


def test_a_horn_sounds_its_two_tones_a_third_apart():
    x = vocal_sound("horn", MAN, generator(0, "t/horn")).samples
    f = harmonic_f0(x, 300, 700, harmonics=1)
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)), 1 << 17))
    hz = np.fft.rfftfreq(1 << 17, 1 / SAMPLE_RATE)
    for tone in HORN_HZ:
        near = (hz > tone * 0.97) & (hz < tone * 1.03)
        between = (hz > 445) & (hz < 475)
        assert spec[near].max() > 10 * spec[between].max()
    assert min(abs(f - t) for t in HORN_HZ) < 0.03 * f


def test_a_bell_rings_inharmonic_partials_that_die_away():
    x = vocal_sound("bell", MAN, generator(0, "t/bell")).samples
    spec = np.abs(np.fft.rfft(x, 1 << 17))
    hz = np.fft.rfftfreq(1 << 17, 1 / SAMPLE_RATE)
    peaks = sorted(hz[np.argsort(spec)[::-1]][:4000])
    first = hz[np.argmax(spec)]
    second = max((h for h in peaks if h > 1.5 * first), key=lambda h: spec[int(h / hz[1])])
    ratio = second / first
    assert abs(ratio - round(ratio)) > 0.1  # not a harmonic of the first
    assert ratio == pytest.approx(BELL_RATIOS[1], rel=0.03)
    head, tail = x[: SAMPLE_RATE // 5], x[-SAMPLE_RATE // 5:]
    assert np.sqrt(np.mean(tail ** 2)) < 0.3 * np.sqrt(np.mean(head ** 2))


def test_the_wrong_speaker_is_refused_with_who_can_make_the_sound():
    rng = generator(0, "t/wrong")
    with pytest.raises(SceneError, match=r"a dog cannot make the sound 'laugh'.*makes bark"):
        vocal_sound("laugh", AnimalTraits("dog"), rng)
    with pytest.raises(SceneError, match=r"a cat cannot make the sound 'bark'.*makes meow"):
        vocal_sound("bark", AnimalTraits("cat"), rng)
    with pytest.raises(SceneError, match=r"a cow cannot make the sound 'horn'"):
        vocal_sound("horn", AnimalTraits("cow"), rng)
    with pytest.raises(SceneError, match=r"'moo' is an animal's call.*cow.*spoken line"):
        vocal_sound("moo", MAN, rng)
    with pytest.raises(ValueError, match=r"a dog's bark lasts 0.05..0.4 s.*'barking'"):
        vocal_sound("bark", AnimalTraits("dog"), rng, seconds=2.0)
    with pytest.raises(ValueError, match=r"unknown dog breed 'wolfhound'; breeds: chihuahua"):
        AnimalTraits("dog", breed="wolfhound")
    with pytest.raises(ValueError, match=r"no calls are known for the species 'dragon'"):
        AnimalTraits("dragon")


def test_several_animals_join_in():
    one = make("moo", "cow")
    herd = vocal_sound("moo", AnimalTraits("cow"), generator(0, "t/herd"), count=4)
    assert herd.seconds > one.seconds
    assert np.sqrt(np.mean(herd.samples ** 2)) > np.sqrt(np.mean(one.samples ** 2))


def test_an_animal_speaker_of_the_scene_gets_its_species_breed_and_size():
    from worldreel.scene import Animal

    scene = Scene(duration=2.0, animals=(Animal(id="rex", species="dog", breed="chihuahua"),
                                         Animal(id="bessie", species="cow", size=0.5)))
    assert traits_of(scene, "rex") == AnimalTraits("dog", 1.0, "chihuahua")
    assert traits_of(scene, "bessie") == AnimalTraits("cow", 0.5, None)
    assert traits_of(Scene(duration=2.0), "rex") == traits_of(scene, "someone")  # a person's


def test_a_dog_barks_its_line_through_speak_with_no_speaking_voice_cast():
    from worldreel.scene import Animal, Entity, Line
    from worldreel.speech import speak

    lines = (Line(sound="barking", speaker="rex", seconds=1.5, at=0.2),
             Line(sound="horn", speaker="van", at=1.0))
    scene = Scene(duration=3.0, seed=3,
                  entities=(Entity(id="van", asset="van", position=(6.0, 4.0, 0.0)),),
                  animals=(Animal(id="rex", species="dog", breed="corgi"),),
                  audio={"dialogue": lines})
    speech = speak(scene)
    assert speech.voices == {}  # nobody needed a text-to-speech voice
    bark, horn = speech.lines
    assert bark.seconds == pytest.approx(1.5, abs=1e-3) and bark.voice is None
    assert sum(p.symbol == "aa" for p in bark.phones) >= 3  # the jaw opens on every bark
    assert {p.symbol for p in horn.phones} == {PAUSE}
    again = speak(scene)
    assert np.array_equal(again.lines[0].samples, bark.samples)


def test_a_horn_and_a_bark_are_louder_than_a_voice_and_a_purr_softer():
    from worldreel.scene import Animal, Entity, Line
    from worldreel.speech import speak
    from worldreel.speech.delivery import SPEAKING_RMS_DB

    lines = (Line(sound="horn", speaker="van", at=0.1), Line(sound="bark", speaker="rex", at=1),
             Line(sound="purr", speaker="tom", at=2), Line(sound="sigh", at=4))
    stand_in = Scene(duration=6.0, entities=(Entity(id="van", asset="van",
                                                    position=(6.0, 4.0, 0.0)),),
                     animals=(Animal(id="rex", species="dog", position=(-1.0, 0.0)),
                              Animal(id="tom", species="cat", position=(1.0, 0.0))),
                     audio={"dialogue": lines})

    def loud_db(x):  # RMS of the frames within 30 dB of the loudest, as levelled() measures
        frames = x[: len(x) // 960 * 960].reshape(-1, 960)
        rms = np.sqrt(np.mean(frames ** 2, axis=1))
        return 20 * np.log10(np.sqrt(np.mean(rms[rms > rms.max() * 10 ** -1.5] ** 2)))

    horn, bark, purr, sigh = (loud_db(np.asarray(s.samples)) for s in speak(stand_in).lines)
    assert sigh == pytest.approx(SPEAKING_RMS_DB, abs=1.5)
    assert horn > bark > sigh + 6 > purr + 6
    assert np.max(np.abs(speak(stand_in).lines[0].samples)) <= 1.0
