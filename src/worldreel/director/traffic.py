"""Road vehicles cast from a prompt: which vehicles, how fast they go, where they stop, what
they crash into, and when they sound their horns.

A vehicle is a noun the asset registry knows as one ("a car" is a sedan, "a lorry" a truck);
its verbs up to the next vehicle, person or animal named (`traffic.yaml`) say what it does.
Vehicles are taken out of the parse the interpreter reads (they are staged on a road here, not
laid out on a table), and put back into the planned Scene as entities with Drive and Brake
actions. Two vehicles that crash or meet at a junction are timed to reach it together, each at
its own speed (the second one waits at the line when they only meet); one that crashes into a
vehicle that does nothing drives into the back of it, parked ahead on the same road.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from worldreel.assets import ASSETS
from worldreel.assets.transport import vehicle_kind
from worldreel.director import lexicon as lx
from worldreel.director.parser import Item, Parse
from worldreel.director.mentions import FILLERS, counted_ids, lemma, mark, verb_at
from worldreel.director.wordnet import noun_kind, wordnet

TRAFFIC_FILE = Path(__file__).with_name("traffic.yaml")
MAX_VEHICLES = 4
MEET_S = 2.5  # two vehicles reach their junction (or crash) this long into the clip
STOP_AFTER_S = 2.5  # a vehicle that stops cruises this long first
SERVICE_BRAKING_M_S2 = 4.0  # the director's estimate of a normal stop, for where it ends
ROAD_CLEARANCE_M = 1.5  # between the things laid out and the nearest vehicle's side
LANE_GAP_M = 3.5  # side by side: one lane apart (a typical urban lane is 3.0-3.75 m)
CROSSING_S = 5.0  # a vehicle driving by is seen for this long
SETTLE_S = 1.5  # after a stop, the clip goes on this long
AFTERMATH_S = 2.5  # after a crash or a meeting, the clip goes on this long
TRACK_MARGIN_M = 20.0  # rails run on this far past both ends of a train's run
PASSING_S = {"rail": 8.0, "air": 10.0}  # a train or an aircraft is seen passing for this long
MOVING = frozenset({"drive", "speed", "stop", "brake", "crash", "meet", "turn"})
PALETTE = ("#b3261e", "#1f4e9c", "#e8e8e8", "#2b2b2b")  # told apart when the prompt says not
HARD = frozenset({"hard", "suddenly", "sharply", "abruptly"})
PARKED = frozenset({"parked", "stationary", "stopped", "standing"})  # before a vehicle's noun
SIGNAL_NOUNS = frozenset({"bell", "horn", "hooter", "klaxon"})  # a vehicle's own signal


@functools.cache
def traffic_table() -> dict:
    return yaml.safe_load(TRAFFIC_FILE.read_text(encoding="utf-8"))


def medium_of(asset: str) -> str | None:
    """Where a vehicle asset goes (assets.transport): 'road', 'rail', 'air', or None."""
    return vehicle_kind(asset)


@functools.cache
def vehicle_assets() -> frozenset[str]:
    """Assets that are vehicles, on the road, on rails or in the air."""
    return frozenset(name for name in ASSETS if medium_of(name) is not None)


@dataclass
class Ride:
    """One vehicle (or a few alike) named in the prompt, and what the prompt says of it."""

    noun: str
    asset: str
    at: int
    count: int = 1
    color: str | None = None
    verbs: list[tuple[str, int]] = field(default_factory=list)  # (traffic verb, item index)
    speed: float | None = None  # m/s the prompt says
    factor: float = 1.0  # "slowly", "fast"
    target: int | None = None  # item index of what it crashes into
    parked: bool = False  # "a parked truck": it stands still
    hard: bool = False  # "brakes hard": an emergency stop
    mentions: list[int] = field(default_factory=list)
    doors: list[tuple[str, int]] = field(default_factory=list)  # (door verb, door item index)
    parts: list[int] = field(default_factory=list)  # its own bell or horn named (item indices)

    def does(self, verb: str) -> bool:
        return any(v == verb for v, _ in self.verbs)


def vehicle_mentions(parse: Parse) -> list[Ride]:
    """Every vehicle the prompt names, once each; the nouns and the colours and counts before
    them are marked grounded."""
    items = parse.items
    rides: list[Ride] = []
    vehicles = vehicle_assets()
    for k, item in enumerate(items):
        sense = item.value if item.kind == "object" else None
        if not isinstance(sense, lx.ObjectSense) or sense.asset not in vehicles:
            continue
        if _names_someone(items, k):
            continue
        noun = " ".join(lemma(w, "n") for w in item.words)
        same = next((r for r in rides if r.noun == noun), None)
        if same is not None and k > 0 and items[k - 1].words[:1] == ("the",):
            same.mentions.append(k)
            item.used = True
            continue
        ride = Ride(noun=noun, asset=sense.asset, at=k)
        ride.count = 2 if item.words[-1] != noun.split()[-1] else 1
        j = k - 1
        while j >= 0 and (items[j].kind in ("color", "number", "size", "shade") or
                          items[j].kind == "word" and items[j].words[0] in PARKED):
            if items[j].kind == "word":
                ride.parked = True
            elif items[j].kind == "color":
                ride.color = str(items[j].value)
            elif items[j].kind == "number" and isinstance(items[j].value, int | float):
                ride.count = max(1, int(items[j].value))
            items[j].used = True
            j -= 1
        ride.mentions.append(k)
        item.used = True
        rides.append(ride)
    return rides


def _names_someone(items: list[Item], k: int) -> bool:
    """Whether the vehicle word at k is part of a name ("Van Gogh"): followed by a word no
    dictionary knows."""
    nxt = items[k + 1] if k + 1 < len(items) else None
    return nxt is not None and nxt.kind == "word" and len(nxt.words) == 1 and \
        not wordnet().synsets(nxt.words[0])


def unknown_vehicles(parse: Parse) -> list[str]:
    """Nouns WordNet files as vehicles that no asset is (a bicycle, a boat)."""
    return [item.words[0] for item in parse.items
            if item.kind == "word" and not item.used and len(item.words) == 1
            and (kind := noun_kind(lemma(item.words[0], "n"))) is not None
            and kind.category == "vehicle"]


def read_traffic(parse: Parse, rides: list[Ride], stops: set[int],
                 ridden: frozenset[int] = frozenset()) -> None:
    """What each vehicle does, from each mention up to the next mention of anything that acts
    (`stops`: people and animals); the words used are marked grounded. `ridden`: id() of the
    rides someone rides ("rides her bicycle and rings the bell": the bicycle's doing)."""
    table = traffic_table()
    verbs, adverbs = table["verbs"], table["adverbs"]
    items = parse.items
    owner = {at: r for r in rides for at in r.mentions}
    bounds = sorted(set(owner) | set(stops))
    subject: Ride | None = None
    for at, ride in sorted(owner.items()):
        end = next((b for b in bounds if b > at), len(items))
        if subject is not None and _is_object(items, at):
            ride = subject  # "speeds past a parked van and brakes": the car brakes
        elif _owned(items, at) and id(ride) not in ridden:
            continue  # "gets out of his car and slams the door": what follows is the man's
        else:
            subject = ride
        k = at + 1
        while k < end:
            item = items[k]
            if item.used:  # a colour, "parked", a person's word
                k += 1
                continue
            one = lemma(item.words[0], "v")
            if item.words and item.words[0] in PARKED:  # "the car is parked"
                ride.parked = True
                mark(item)
            elif item.kind == "measure" and isinstance(item.value, tuple) and \
                    item.value[0] == "speed":
                ride.speed = float(item.value[1])
                mark(item, *(i for i in items[k - 1:k] if i.kind == "prep"))
            elif item.kind == "speed" and one in verbs:  # "speeding", "racing": the verb
                _verb(ride, verbs[one], k, items, end, owner)
                mark(item)
            elif item.kind == "speed" or one in adverbs and item.kind in ("word", "verb"):
                if ride.does("brake") or one in HARD:
                    ride.hard = True  # "brakes hard", "suddenly"
                else:
                    ride.factor = float(item.value) if item.kind == "speed" else \
                        float(adverbs[one])
                mark(item)
            elif (found := verb_at(items, k, end, verbs)) is not None:
                _verb(ride, found[0], k, items, end, owner)
                k += found[1] - 1
            k += 1


def _owned(items: list[Item], at: int) -> bool:
    """Whether the mention at `at` is someone's ("his car", "her bike"): a thing in their
    clause, whose following verbs are theirs."""
    j = at - 1
    while j >= 0 and items[j].kind in FILLERS[1:]:
        j -= 1
    return j >= 0 and items[j].words[:1] in (("his",), ("her",), ("their",), ("my",),
                                             ("your",))


def _is_object(items: list[Item], at: int) -> bool:
    """Whether the mention at `at` is what a verb or preposition acts on ("past a van",
    "hits the truck"), not a subject."""
    j = at - 1
    while j >= 0 and (items[j].kind in FILLERS or items[j].words[0] in PARKED):
        j -= 1
    return j >= 0 and items[j].kind in ("prep", "verb")


def _verb(ride: Ride, verb: str, k: int, items: list[Item], end: int, owner: dict) -> None:
    ride.verbs.append((verb, k))
    if verb == "horn":  # "rings the bell", "sounds its horn": the vehicle's own, not a thing
        j = k + 1
        while j < end and (items[j].kind in FILLERS or items[j].words[:1] in
                           (("his",), ("her",), ("its",), ("their",))):
            j += 1
        if j < end and items[j].words and items[j].words[-1] in SIGNAL_NOUNS:
            ride.parts.append(j)
            mark(*items[k + 1:j + 1])
    if verb == "crash":
        j = k + 1
        while j < len(items) and j not in owner and (items[j].kind in FILLERS + ("prep",)
                                                     or items[j].used):
            j += 1
        if j < len(items) and j in owner and owner[j] is not ride:
            ride.target = j
            mark(*items[k + 1:j])


def without_traffic(parse: Parse, rides: list[Ride]) -> Parse:
    """The parse the interpreter reads: the vehicles' nouns and verbs taken out (they are
    staged here, not laid out as things)."""
    taken = {id(parse.items[at]) for r in rides for at in (*r.mentions, *r.parts,
                                                            *(k for _, k in r.doors))}
    if any(medium_of(r.asset) == "rail" for r in rides):  # "down the tracks": the train's own
        from worldreel.assets.trains import TRACK_ASSET  # noqa: PLC0415

        for item in parse.items:
            if isinstance(item.value, lx.ObjectSense) and item.value.asset == TRACK_ASSET:
                taken.add(id(item))
                mark(item)
    verbs = {id(parse.items[k]) for r in rides for _, k in r.verbs}
    return dataclasses.replace(
        parse,
        settings=[s for s in parse.settings if s.words[0] not in PARKED],
        nouns=[np for np in parse.nouns if id(np.head) not in taken],
        verbs=[v for v in parse.verbs if id(v.item) not in verbs and not any(
            id(s.head) in taken for s in v.subjects)],
        locations=[(np, prep) for np, prep in parse.locations if id(np.head) not in taken])


def vehicle_ids(rides: list[Ride]) -> list[tuple[Ride, str]]:
    return counted_ids(rides, MAX_VEHICLES)


def with_traffic(data: dict, rides: list[Ride], parse: Parse, lengthen: bool = True
                 ) -> list[str]:
    """Add the vehicles to the Scene's data: entities on the road, their drives, brakes and
    horns; returns notes for the user. `lengthen`: the clip may be made as long as the
    traffic needs (the user gave no length)."""
    named = vehicle_ids(rides)
    if lengthen:
        data["duration"] = round(min(60.0, max(data["duration"],
                                               *(_needs(r) for r, _ in named))), 1)
    junctions = [i for i in parse.items
                 if i.words and lemma(i.words[-1], "n") in traffic_table()["junctions"]]
    mark(*junctions)
    junction = bool(junctions)
    head_on = any(i.words and i.words[0] in traffic_table()["head_on"] for i in parse.items)
    notes: list[str] = []
    crashing = [(r, vid) for r, vid in named if r.does("crash") or r.does("meet")]
    staged: dict[str, dict] = {}
    if len(crashing) >= 2 or (len(named) >= 2 and (junction or head_on)
                              and any(r.does("crash") or r.does("meet") for r, _ in named)):
        pair = crashing[:2] if len(crashing) >= 2 else named[:2]
        staged.update(_meeting(pair, head_on and not junction, data["duration"]))
    for ride, vid in named:
        if vid in staged:
            continue
        target = next((v for r, v in named if ride.target in r.mentions), None)
        if ride.does("crash") and target is not None and target not in staged:
            staged.update(_rear_end(ride, vid, next(r for r, v in named if v == target),
                                    target))
        elif ride.does("crash") and target is None and ride.target is None:
            notes.append(f"the {ride.noun} drives on: what it crashes into is not said")
    lane = 0
    sea_y = 0.0  # the next boat goes at least this far out
    for ride, vid in named:
        if vid in staged:
            continue
        medium = medium_of(ride.asset)
        if medium == "rail":
            staged[vid] = _train(ride, vid, data["duration"], notes)
        elif medium == "air":
            staged[vid] = _flight(ride, vid, lane, data["duration"], notes)
        elif medium == "water":
            staged[vid] = _afloat(ride, vid, sea_y, data, notes)
            sea_y = staged[vid]["entity"]["position"][1] + traffic_table()["boats"]["lane_m"]
        else:
            staged[vid] = _alone(ride, vid, lane, data["duration"])
        lane += 1
    road = _road_y(data["entities"], [staged[vid]["entity"] for _, vid in named
                                      if medium_of(staged[vid]["entity"]["asset"]) != "water"])
    for n, (ride, vid) in enumerate(named):
        entity, actions = staged[vid]["entity"], staged[vid]["actions"]
        if medium_of(entity["asset"]) != "water":  # boats are out on the sea already
            entity["position"][1] = round(entity["position"][1] + road, 3)
        colour = ride.color or (PALETTE[n % len(PALETTE)] if len(named) > 1 else None)
        if colour:
            entity["color"] = colour
        data["entities"].append(entity)
        for extra in staged[vid].get("extra", ()):  # a train's track and coaches
            extra["position"][1] = entity["position"][1]
            data["entities"].append(extra)
        data["actions"].extend(actions)
        if ride.doors:
            _clear_of_people(entity, data)
            if data.get("characters"):
                notes.append(f"the {ride.noun}'s door opens and shuts by itself: people "
                             "working a car's door are not animated yet")
        data["actions"].extend(_door_actions(vid, ride, actions, data))
        data["audio"].setdefault("dialogue", []).extend(
            {"sound": traffic_table()["signals"].get(ride.asset, "horn"), "speaker": vid,
             "at": round(0.4 + 0.8 * h, 2)}
            for h, (verb, _) in enumerate(v for v in ride.verbs if v[0] == "horn"))
    _film_the_traffic(data, [vid for ride, vid in named if _moves(ride)])
    return notes


def _road_y(entities: list[dict], vehicles: list[dict]) -> float:
    """How far along +y the traffic is moved so that it passes behind the things laid out
    (which stand around the origin, with people before them), not through them."""
    reach = -math.inf
    for entity in entities:
        asset = ASSETS[entity["asset"]]
        if asset.parts[0].shape == "plane":
            continue
        lo, hi = asset.bounds()
        half = 0.5 * max(hi[0] - lo[0], hi[1] - lo[1]) * entity.get("scale", 1.0)
        reach = max(reach, entity["position"][1] + half)
    if reach == -math.inf:
        return 0.0
    if not vehicles:
        return 0.0
    lowest = min(v["position"][1] - _half_width(v["asset"]) for v in vehicles)
    return max(0.0, reach + ROAD_CLEARANCE_M - lowest)


def _film_the_traffic(data: dict, moving: list[str]) -> None:
    """Shots with nothing of their own to film follow the first moving vehicle from a fixed
    place (a pan, as a camera at the roadside would), so it and what it meets stay in view
    instead of a wide view of the whole road."""
    if not moving or data.get("characters") or data.get("animals"):
        return
    lead = next(e for e in data["entities"] if e["id"] == moving[0])
    for shot in data.get("shots", []):
        if shot.get("subject") is None and shot.get("move", "static") == "static":
            shot["subject"], shot["move"] = moving[0], "follow"
            if medium_of(lead["asset"]) == "rail":  # the whole train, from the lineside
                shot.update(size="extreme_wide", azimuth=90.0, elevation=6.0)


def _speed(ride: Ride, verb: str = "drive") -> float:
    """m/s: what the prompt says, else the vehicle's own cruising speed (a bicycle's is not a
    car's), faster when it "speeds", slower "slowly"."""
    table = traffic_table()
    if ride.speed is not None:
        return ride.speed
    speeds, cruise = table["speeds"], table["cruise"].get(ride.asset)
    if cruise is not None:
        base = cruise * (table["speeding"] if ride.does("speed") else 1.0)
    else:
        base = speeds["speed"] if ride.does("speed") else speeds.get(verb, speeds["drive"])
    return round(base * ride.factor, 2)


def _front(asset: str) -> float:
    """How far the vehicle's front bumper is ahead of its origin, m."""
    return ASSETS[asset].bounds()[1][0]


def _half_width(asset: str) -> float:
    lo, hi = ASSETS[asset].bounds()
    return 0.5 * (hi[1] - lo[1])


def _entity(vid: str, ride: Ride, x: float, y: float, heading_deg: float,
            speed: float) -> dict:
    yaw = math.radians(heading_deg)
    return {"id": vid, "asset": ride.asset,
            "position": [round(x, 3), round(y, 3), ASSETS[ride.asset].rest_height],
            "rotation": [0.0, 0.0, round(heading_deg, 3)],
            "velocity": [round(speed * math.cos(yaw), 4), round(speed * math.sin(yaw), 4), 0.0]}


def _drive(vid: str, speed: float, heading_deg: float, distance: float | None = None) -> dict:
    yaw = math.radians(heading_deg)
    action = {"kind": "drive", "entity": vid, "speed": speed, "at": 0.0,
              "direction": [round(math.cos(yaw), 6), round(math.sin(yaw), 6), 0.0]}
    if distance is not None:
        action["distance"] = round(distance, 2)
    return action


def _moves(ride: Ride) -> bool:
    return not ride.parked and any(verb in MOVING for verb, _ in ride.verbs)


def _needs(ride: Ride) -> float:
    """Seconds of clip the vehicle's story needs: to cross the frame, stop, or meet."""
    if medium_of(ride.asset) == "air":  # an aircraft always flies across
        return PASSING_S["air"]
    if not _moves(ride):
        return 0.0
    if medium_of(ride.asset) == "rail":
        return PASSING_S["rail"]
    if ride.does("stop"):
        return STOP_AFTER_S + _speed(ride) / SERVICE_BRAKING_M_S2 + SETTLE_S
    if ride.does("crash") or ride.does("meet"):
        return MEET_S + AFTERMATH_S
    return CROSSING_S


def _alone(ride: Ride, vid: str, lane: int, duration: float) -> dict:
    """A vehicle on its own: it drives across the frame (passing its middle half way through
    the clip), or pulls up and stops in the middle, or brakes hard there; one said to do none
    of these (or said to be parked) stands still."""
    speed = _speed(ride)
    y = lane * LANE_GAP_M
    if not _moves(ride):
        return {"entity": _entity(vid, ride, 0.0, y, 0.0, 0.0), "actions": []}
    if ride.does("stop"):
        distance = speed * STOP_AFTER_S + speed ** 2 / (2 * SERVICE_BRAKING_M_S2)
        return {"entity": _entity(vid, ride, -distance, y, 0.0, speed),
                "actions": [_drive(vid, speed, 0.0, distance)]}
    x = -speed * 0.5 * duration
    actions = [_drive(vid, speed, 0.0)]
    if ride.does("brake"):
        actions.append({"kind": "brake", "entity": vid, "at": round(0.5 * duration, 2),
                        "hard": ride.hard})
    return {"entity": _entity(vid, ride, x, y, 0.0, speed), "actions": actions}


def _meeting(pair: list[tuple[Ride, str]], head_on: bool, duration: float) -> dict:
    """Two vehicles timed to reach the same point MEET_S into the clip: across each other at a
    junction (the first from the left, the second towards the camera), or head on along the
    road. When neither crashes, the second stops at the line and lets the first pass."""
    (a, aid), (b, bid) = pair
    meet = min(MEET_S, 0.5 * duration)
    crash = a.does("crash") or b.does("crash")
    va, vb = _speed(a, "crash" if crash else "drive"), _speed(b, "crash" if crash else "drive")
    if head_on:
        xa = -_front(a.asset) - va * meet
        xb = _front(b.asset) + vb * meet
        return {aid: {"entity": _entity(aid, a, xa, 0.0, 0.0, va),
                      "actions": [_drive(aid, va, 0.0)]},
                bid: {"entity": _entity(bid, b, xb, 0.0, 180.0, vb),
                      "actions": [_drive(bid, vb, 180.0)]}}
    # a's front meets b's side as b's middle crosses a's line
    xa = -_half_width(b.asset) - _front(a.asset) - va * meet
    yb = vb * meet
    b_drive = _drive(bid, vb, -90.0)
    if not crash:  # b waits at the line: its front stops short of a's side of the road
        b_drive["distance"] = round(max(0.5, yb - _front(b.asset) - _half_width(a.asset)
                                        - 1.0), 2)
    return {aid: {"entity": _entity(aid, a, xa, 0.0, 0.0, va), "actions": [_drive(aid, va, 0.0)]},
            bid: {"entity": _entity(bid, b, 0.0, yb, -90.0, vb), "actions": [b_drive]}}


def _rear_end(ride: Ride, vid: str, parked: Ride, pid: str) -> dict:
    """A vehicle crashing into one that does nothing: that one stands on the road ahead, and
    this one comes from behind at its speed, to touch it MEET_S into the clip."""
    speed = _speed(ride, "crash")
    x_parked = 0.0
    back = ASSETS[parked.asset].bounds()[0][0]
    x = x_parked + back - _front(ride.asset) - speed * MEET_S
    return {vid: {"entity": _entity(vid, ride, x, 0.0, 0.0, speed),
                  "actions": [_drive(vid, speed, 0.0)]},
            pid: {"entity": _entity(pid, parked, x_parked, 0.0, 0.0, 0.0), "actions": []}}


def _train(ride: Ride, vid: str, duration: float, notes: list[str]) -> dict:
    """A train on its track (laid along x, as long as the track asset is): the locomotive
    passes the middle of the frame half way through the clip with its coaches behind it, or
    pulls in and stops there, or stands. A train is a locomotive and its coaches unless the
    prompt names just the locomotive."""
    from worldreel.assets.trains import car_spec  # noqa: PLC0415

    table = traffic_table()["trains"]
    coaches = 0 if ride.noun in table["alone"] or car_spec(ride.asset).kind != "locomotive" \
        else int(table["coaches"])
    if ride.noun in table["wagons"]:
        coaches = 0
        notes.append(f"the {ride.noun} is its locomotive alone: there are no freight wagons yet")
    speed = min(_speed(ride), car_spec(ride.asset).max_speed or _speed(ride))
    if ride.does("stop") and ride.speed is None:
        speed = min(speed, float(table["arriving_m_s"]))
    x = -speed * 0.5 * duration if _moves(ride) else 0.0
    actions = []
    if _moves(ride) and ride.does("stop"):
        distance = speed * STOP_AFTER_S + speed ** 2 / (2 * table["braking_m_s2"])
        x = -distance
        actions.append(_drive(vid, speed, 0.0, distance))
    elif _moves(ride):
        actions.append(_drive(vid, speed, 0.0))
        if ride.does("brake"):
            actions.append({"kind": "brake", "entity": vid, "at": round(0.5 * duration, 2),
                            "hard": ride.hard})
    elif ride.does("crash"):
        notes.append(f"the {ride.noun} does not crash: trains here keep to their track")
    entity = _entity(vid, ride, x, 0.0, 0.0, speed if actions else 0.0)
    entity["position"][2] = 0.0
    front = car_spec(ride.asset).length
    coach = car_spec(table["coach"])
    back = x - 0.5 * front
    extra = []
    for n in range(coaches):
        centre = back - 0.5 * coach.length
        extra.append({"id": f"{vid}_coach_{n + 1}", "asset": table["coach"],
                      "position": [round(centre, 3), 0.0, 0.0],
                      "velocity": list(entity["velocity"])})
        back = centre - 0.5 * coach.length
    reach = x + 0.5 * front + (actions[0].get("distance") or speed * duration if actions else 0)
    return {"entity": entity, "actions": actions,
            "extra": _track(vid, back - TRACK_MARGIN_M, reach + TRACK_MARGIN_M) + extra}


def _track(vid: str, start: float, end: float) -> list[dict]:
    """Railway track pieces laid end to end along x from `start` to past `end`."""
    from worldreel.assets.trains import TRACK_ASSET, track_spec  # noqa: PLC0415

    piece = track_spec().length
    count = max(1, math.ceil((end - start) / piece))
    middle = 0.5 * (start + end)
    return [{"id": f"{vid}_track" if count == 1 else f"{vid}_track_{n + 1}",
             "asset": TRACK_ASSET,
             "position": [round(middle + (n - 0.5 * (count - 1)) * piece, 3), 0.0, 0.0]}
            for n in range(count)]


def _flight(ride: Ride, vid: str, lane: int, duration: float, notes: list[str]) -> dict:
    """An aircraft crossing the sky: at its type's altitude over the scene (higher for each
    more), flying along x so that it passes overhead half way through the clip. It cannot
    stop, brake or crash here, and the user is told when the prompt asks it to."""
    table = traffic_table()["flights"]
    speed = _speed(ride)
    altitude = table["altitude"].get(ride.asset, table["altitude"]["default"]) + 50.0 * lane
    asked = [verb for verb in ("stop", "brake", "crash") if ride.does(verb)]
    if asked:
        notes.append(f"the {ride.noun} flies on: aircraft here fly, they do not "
                     f"{' or '.join(asked)}")
    entity = _entity(vid, ride, -speed * 0.5 * duration, table["offset_m"], 0.0, speed)
    entity["position"][2] = float(altitude)
    return {"entity": entity, "actions": [_drive(vid, speed, 0.0)]}


def _afloat(ride: Ride, vid: str, least_y: float, data: dict, notes: list[str]) -> dict:
    """A boat on the sea beyond the beach's shore, deep enough for every boat (the sea's bed
    is set at boats.sea_depth_m), each a lane further out than `least_y` and where the water is
    deep enough under its keel: one under way crosses the frame along
    the shore; one said to do nothing bobs where it is. A boat cannot brake hard or crash here
    (the user is told); one that stops cuts its engine and drifts to a stop."""
    from worldreel.assets.boats import boat_spec  # noqa: PLC0415
    from worldreel.assets.environments import BEACH_SHORE_M  # noqa: PLC0415
    from worldreel.assets.water import water_of  # noqa: PLC0415
    from worldreel.scene import Setting  # noqa: PLC0415

    table = traffic_table()["boats"]
    setting = data.setdefault("setting", {})
    setting["environment"] = "beach"
    setting["water_level"] = max(float(setting.get("water_level") or 0.0), table["sea_depth_m"])
    water = water_of(Setting(environment="beach", water_level=setting["water_level"]))
    y = max(BEACH_SHORE_M + table["offshore_m"], least_y)
    while float(water.water_depth(0.0, y)) < boat_spec(ride.asset).deepest + \
            table["under_keel_m"]:
        y += 1.0  # out to where the sea's bed is deep enough under its keel
    asked = [verb for verb in ("crash",) if ride.does(verb)]
    if asked:
        notes.append(f"the {ride.noun} sails on: boats here do not crash")
    if not _moves(ride):
        return {"entity": _entity(vid, ride, 0.0, y, 0.0, 0.0), "actions": []}
    speed = _speed(ride)
    actions = [_drive(vid, speed, 0.0)]
    if ride.does("stop") or ride.does("brake"):
        actions.append({"kind": "brake", "entity": vid, "at": round(0.5 * data["duration"], 2)})
    entity = _entity(vid, ride, -speed * 0.5 * data["duration"], y, 0.0, speed)
    entity["position"][2] = 0.0
    return {"entity": entity, "actions": actions}


def read_car_doors(parse: Parse, rides: list[Ride]) -> None:
    """A vehicle's own doors the prompt acts on ("slams the car door", "opens the door of her
    car", or "the door" acted on when a vehicle with doors is all the prompt names that has
    one): each becomes that vehicle's Door, its words grounded, not a room's door laid out."""
    from worldreel.assets.doors import door_spec  # noqa: PLC0415

    items = parse.items
    verbs = traffic_table()["doors"]
    doored = [r for r in rides if door_spec(r.asset) is not None]
    if not doored:
        return
    owner = {at: r for r in doored for at in r.mentions}
    for k, item in enumerate(items):
        if item.kind != "object" or lemma(item.words[-1], "n") != "door":
            continue
        ride = owner.get(k - 1)  # "the car door"
        if ride is None and k + 2 < len(items) and items[k + 1].words[:1] == ("of",):
            j = k + 2  # "the door of her car"
            while j < len(items) and items[j].kind in FILLERS:
                j += 1
            ride = owner.get(j)
            if ride is not None:
                mark(items[k + 1])
        if ride is None and len(doored) == 1:
            ride = doored[0]  # the one car there is
        # what is done to it: said before ("slams the door") or after ("the door opens")
        near = [*range(k - 1, -1, -1), *range(k + 1, min(len(items), k + 6))]
        verb = next(((verbs[lemma(items[j].words[0], "v")], j) for j in near
                     if items[j].words and lemma(items[j].words[0], "v") in verbs), None)
        if ride is None or verb is None:
            continue
        ride.doors.append((verb[0], k))
        mark(item, items[verb[1]])


def _clear_of_people(entity: dict, data: dict) -> None:
    """Move a vehicle whose door opens (on its side towards the people and the camera, -y)
    back along +y until the open door stops short of the people standing before it."""
    from worldreel.assets.doors import door_spec  # noqa: PLC0415

    people = [c["position"][1] for c in data.get("characters", []) if c.get("position")]
    if not people:
        return
    reach = _half_width(entity["asset"]) + door_spec(entity["asset"]).length + \
        traffic_table()["door_timing"]["clearance_m"]
    entity["position"][1] = round(max(entity["position"][1], max(people) + reach), 3)


def _door_actions(vid: str, ride: Ride, actions: list[dict], data: dict) -> list[dict]:
    """The Door actions of a vehicle's door verbs, on the side facing the camera, once it has
    stopped (or at once when it stands): opened, and shut or slammed a moment later."""
    if not ride.doors:
        return []
    table = traffic_table()["door_timing"]
    drive = next((a for a in actions if a["kind"] == "drive"), None)
    at = table["first_s"]
    if drive is not None and drive.get("distance"):
        speed = drive["speed"]  # it starts at speed: cruise, then a service stop
        braking = speed ** 2 / (2 * SERVICE_BRAKING_M_S2)
        at = (drive["distance"] - braking) / speed + speed / SERVICE_BRAKING_M_S2 + \
            table["after_stop_s"]
    out = []
    for verb, _ in ride.doors:
        out.append({"kind": "door", "entity": vid, "side": "right", "at": round(at, 2)})
        at += table["open_s"]
        if verb in ("shut", "slam"):
            out.append({"kind": "door", "entity": vid, "side": "right", "open": False,
                        "slam": verb == "slam", "at": round(at, 2)})
            at += table["shut_s"]
    data["duration"] = round(min(60.0, max(data["duration"], at + SETTLE_S)), 1)
    return out
