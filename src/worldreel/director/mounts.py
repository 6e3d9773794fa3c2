"""Riders: which person rides which vehicle or animal, and what the mount then does.

A person rides when the prompt says so ("rides a horse", "a boy on a skateboard", "cycles
down the street") or names them by it ("a cyclist", "a jockey"); `mounts.yaml` holds those
words. A mount the prompt does not name is brought along, and the user is told. The rider's
locomotion is the mount's: what the prompt has the rider do to get anywhere ("gallops",
"speeds past", "jumps the fence") is read as the mount's doing, in the mount's own words
(traffic.yaml for vehicles, animals.yaml for animals), while the rider keeps what a person
can do from the saddle (wave, talk, look). In the Scene the rider's `rides` names the mount.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from worldreel.assets import ASSETS
from worldreel.director.animal_cast import Beast, cast_animals, step_target
from worldreel.director.cast import Person, read_doings
from worldreel.director.mentions import FILLERS, lemma, mark
from worldreel.director.parser import Item, Parse
from worldreel.director.traffic import Ride, read_traffic, vehicle_assets

MOUNTS_FILE = Path(__file__).with_name("mounts.yaml")
RIDEABLE_SPECIES = frozenset({"horse"})  # animals a person can sit on here
# What a person can do from the saddle or the deck: the rest of their verbs move the mount.
RIDER_KEEPS = frozenset({"idle", "wave", "point", "nod", "shake_head", "shrug", "talk",
                         "look_at"})
POSSESSIVES = frozenset({"his", "her", "their", "its", "my", "your", "the", "a", "an"})


@functools.cache
def mounts_table() -> dict:
    return yaml.safe_load(MOUNTS_FILE.read_text(encoding="utf-8"))


@dataclass
class Mount:
    """A rider (one person, or a group each on their own) and what they ride."""

    rider: Person
    ride: Ride | None = None  # a vehicle
    beast: Beast | None = None  # or an animal
    brought: bool = False  # not named in the prompt: brought along for the rider
    handed: list[tuple[str, int]] = field(default_factory=list)  # the rider's steps given over

    @property
    def name(self) -> str:
        return self.ride.noun if self.ride is not None else self.beast.noun  # type: ignore


def _mount_kind(name: str | None) -> str | None:
    """'vehicle', 'animal' or None for what a table entry names (an asset or a species that
    exists in this world)."""
    if name is None:
        return None
    if name in RIDEABLE_SPECIES:
        return "animal"
    if name in vehicle_assets():
        return "vehicle"
    return None


def _named_after(items: list[Item], k: int, rides: list[Ride], beasts: list[Beast]
                 ) -> Ride | Beast | None:
    """The vehicle or animal mention right after item k (over "a", "his", colours...)."""
    j = k + 1
    while j < len(items) and (items[j].kind in FILLERS or items[j].words[:1] and
                              items[j].words[0] in POSSESSIVES):
        j += 1
    for one in (*rides, *beasts):
        if j in one.mentions:
            return one
    return None


def find_mounts(parse: Parse, people: list[Person], rides: list[Ride],
                beasts: list[Beast]) -> list[Mount]:
    """Who rides what. Mounts the prompt does not name are added to `rides` or `beasts`; the
    riding words are marked grounded."""
    table = mounts_table()
    items = parse.items
    taken: set[int] = set()
    mounts: list[Mount] = []
    for person in people:
        found: Ride | Beast | None = None
        implied: str | None = table["riders"].get(person.noun)
        words: list[Item] = []
        for at in person.mentions:
            nxt = at + 1
            if nxt < len(items) and items[nxt].kind == "prep" and \
                    items[nxt].words[0] in table["preps"]:
                if (one := _named_after(items, nxt, rides, beasts)) is not None:
                    found, words = one, [items[nxt]]
                    break
                after = items[nxt + 1] if nxt + 1 < len(items) else None
                if after is not None and after.words and \
                        (means := table["nouns"].get(lemma(after.words[-1], "n"))):
                    implied, words = means, [items[nxt], after]  # "on horseback"
                    break
        for verb, k in _riding_verbs(items, person):
            if found is None:
                found = _named_after(items, k, rides, beasts)
                implied = implied if found is not None else \
                    table["verbs"][verb] or implied
            words.append(items[k])
        if found is None and implied is not None:  # "a jockey gallops his horse"
            found = _named_in_clause(person, people, implied, rides, beasts, taken)
        if found is not None and id(found) in taken:
            continue  # one rider to a horse or a bicycle
        if found is None and _mount_kind(implied) is None:
            continue
        mount = Mount(person)
        if found is None:  # brought along: "a cyclist" has a bicycle
            mount.brought = True
            if _mount_kind(implied) == "animal":
                found = Beast(noun=implied, species=implied, at=person.at, count=person.count)
                beasts.append(found)
            else:
                found = Ride(noun=implied.replace("_", " "), asset=implied, at=person.at,
                             count=person.count)
                rides.append(found)
        if isinstance(found, Ride):
            if found.asset not in vehicle_assets() or \
                    _mount_kind(found.asset) != "vehicle" or not _has_seat(found.asset):
                continue  # a car is driven, not ridden: left to the traffic
            mount.ride = found
            found.parked = False
            found.count = max(found.count, person.count)
        else:
            if found.species not in RIDEABLE_SPECIES:
                continue
            mount.beast = found
            found.count = max(found.count, person.count)
        taken.add(id(found))
        mark(*words)
        mounts.append(mount)
    return mounts


def _named_in_clause(person: Person, people: list[Person], kind: str, rides: list[Ride],
                     beasts: list[Beast], taken: set[int]) -> Ride | Beast | None:
    """A mount of the kind the rider's noun implies, named after the rider and before anyone
    else is ("a jockey gallops his horse over the fence": that horse)."""
    others = sorted(at for p in people if p is not person for at in p.mentions)
    start = person.mentions[0]
    end = next((at for at in others if at > start), None)
    for one in sorted((*rides, *beasts), key=lambda o: o.at):
        same = one.asset == kind if isinstance(one, Ride) else one.species == kind
        if same and id(one) not in taken and start < one.at and (end is None or one.at < end):
            return one
    return None


def _has_seat(asset: str) -> bool:
    """Whether a vehicle is ridden astride (a bicycle, a skateboard), which is what `rides`
    takes: it has a `seat` anchor."""
    return "seat" in ASSETS[asset].anchors


def _riding_verbs(items: list[Item], person: Person) -> list[tuple[str, int]]:
    """The riding verbs said of the person: (lemma, item index), from each of their mentions
    up to the next verb-free stretch's end."""
    verbs = mounts_table()["verbs"]
    out = []
    for at in person.mentions:
        for k in range(at + 1, min(len(items), at + 8)):
            item = items[k]
            if item.kind in ("object",) and k != at:
                break
            if item.kind in ("word", "verb") and item.words and \
                    lemma(item.words[0], "v") in verbs and not item.used:
                out.append((lemma(item.words[0], "v"), k))
    return out


def hand_over_steps(mounts: list[Mount]) -> None:
    """Take the rider's locomotion out of their steps: it is the mount's (read in
    `read_mounts`); what a rider cannot do while riding is dropped here too."""
    for mount in mounts:
        person = mount.rider
        mount.handed = [s for s in person.steps if s[0] not in RIDER_KEEPS]
        person.steps = [s for s in person.steps if s[0] in RIDER_KEEPS]
        person.usual = None
        for k in {k for _, k in mount.handed}:
            person.deeds.pop(k, None)


def read_mounts(parse: Parse, mounts: list[Mount], stops: set[int]) -> None:
    """What each mount does, from its rider's words: the verbs after the rider's mentions in
    the mount's own table ("a jockey gallops", "a cyclist speeds past"), and the rider's
    locomotion steps ("walks", "runs", "jumps over the fence") as the mount's. A mount the
    prompt gives nothing to do moves off anyway (a bicycle rides, a horse walks)."""
    moving = mounts_table()["moving"]
    for mount in mounts:
        stops_here = stops - set(mount.rider.mentions)
        for k in {k for _, k in mount.handed}:  # read again, now as the mount's words
            parse.items[k].used = False
        if mount.beast is not None:
            proxy = Beast(noun=mount.beast.noun, species=mount.beast.species, at=mount.rider.at,
                          mentions=list(mount.rider.mentions))
            cast_animals(parse, [proxy], stops_here)
            own = set(mount.beast.mentions)
            steps = [s if s[2] not in own else  # "jumps his horse over the fence": the fence
                     (s[0], s[1], step_target(parse.items, s[2] + 1, len(parse.items)), s[3])
                     for s in proxy.steps if s[0] != "chase"]
            mount.beast.steps[:0] = steps
            mount.beast.sounds.extend(proxy.sounds)
            if not any(s[0] != "look_at" for s in mount.beast.steps):
                mount.beast.steps.insert(0, (moving["animal"], mount.rider.at, None, 1.0))
        else:
            ride = mount.ride
            proxy = Ride(noun=ride.noun, asset=ride.asset, at=mount.rider.at,
                         mentions=list(mount.rider.mentions))
            read_traffic(parse, [proxy], stops_here)
            ride.verbs[:0] = proxy.verbs
            ride.parts.extend(proxy.parts)
            ride.speed = ride.speed if ride.speed is not None else proxy.speed
            ride.factor = proxy.factor if ride.factor == 1.0 else ride.factor
            ride.hard = ride.hard or proxy.hard
            if not any(verb != "horn" for verb, _ in ride.verbs):
                ride.verbs.insert(0, (moving["vehicle"], mount.rider.at))
        for k in {k for _, k in mount.handed}:
            parse.items[k].used = True
        if not mount.brought:
            _read_after_the_mount(parse.items, mount, stops_here)


def _read_after_the_mount(items: list[Item], mount: Mount, stops: set[int]) -> None:
    """"A cowboy rides his horse and waves": what follows the mount's name, and is not the
    mount's doing, is the rider's, if a rider can do it from the saddle."""
    named = mount.ride if mount.ride is not None else mount.beast
    after = [at for at in named.mentions if at > mount.rider.at]
    if not after:
        return
    proxy = Person(noun=mount.rider.noun, at=after[0], mentions=after)
    was = [item.used for item in items]
    read_doings(items, proxy, frozenset(stops - set(after)))
    kept = [s for s in proxy.steps if s[0] in RIDER_KEEPS]
    keep_at = {k for _, k in kept}
    for k, item in enumerate(items):
        if item.used and not was[k] and k not in keep_at:
            item.used = False  # left for whoever else reads it, or reported
    mount.rider.steps.extend(kept)


def with_riders(data: dict, mounts: list[Mount], person_at: dict[int, str],
                mount_ids: dict[int, list[str]]) -> list[str]:
    """Seat each rider on their mount in the Scene's data (`rides`), with only what they can
    do while riding left in their script; shots that filmed the rider follow them. Returns
    notes for the user. `person_at`: character id of each person mention; `mount_ids`: the
    ids each mount (by id()) was cast with."""
    notes: list[str] = []
    characters = {c["id"]: c for c in data.get("characters", [])}
    for mount in mounts:
        riders = [cid for cid in dict.fromkeys(person_at[at] for at in mount.rider.mentions
                                               if at in person_at) if cid in characters]
        riders += [c for c in characters if c.startswith(f"{riders[0]}_")] if riders else []
        ids = mount_ids.get(id(mount.ride if mount.ride is not None else mount.beast), [])
        for cid, mid in zip(riders, ids):
            character = characters[cid]
            character["rides"] = mid
            for key in ("position", "facing"):  # the mount's: the rider sits where it is
                character.pop(key, None)
            character["script"] = [s for s in character.get("script", [])
                                   if s["do"] in RIDER_KEEPS]
        dropped = sorted({verb for verb, _ in mount.handed if verb not in
                          ("walk", "run", "turn", "jump")})
        if dropped:
            notes.append(f"the {mount.rider.noun} rides, so does not "
                         f"{' or '.join(v.replace('_', ' ') for v in dropped)}")
        if mount.brought:
            notes.append(f"the {mount.rider.noun} rides a {mount.name}")
    _film_the_riders(data)
    return notes


def _film_the_riders(data: dict) -> None:
    """Shots of a rider, or of no one, follow the first rider from a fixed place (a pan), as a
    camera at the roadside would: their mount takes them across the frame."""
    riders = [c["id"] for c in data.get("characters", []) if c.get("rides")]
    if not riders:
        return
    for shot in data.get("shots", []):
        if shot.get("subject") in (None, *riders):
            shot["subject"] = riders[0]
            if shot.get("move", "static") == "static":
                shot["move"] = "follow"
            if len(riders) == 1 and shot.get("size", "wide") == "wide":
                shot["size"] = "medium"  # near enough to see the rider, not only the mount


def with_brought_riders(data: dict, ridden_ids: list[tuple[Ride, str]]) -> list[str]:
    """A bicycle, scooter or board the prompt sets moving with no one on it gets a rider:
    nothing pedals or kicks by itself. Returns notes for the user."""
    ridden = {c.get("rides") for c in data.get("characters", [])}
    moving = {a["entity"] for a in data.get("actions", []) if a["kind"] == "drive"}
    notes: list[str] = []
    for ride, vid in ridden_ids:
        if vid in ridden or vid not in moving or not _has_seat(ride.asset):
            continue
        data.setdefault("characters", []).append({"id": f"{vid}_rider", "rides": vid})
        notes.append(f"a rider was added to ride the {ride.noun}: it does not go by itself")
    _film_the_riders(data)
    return notes
