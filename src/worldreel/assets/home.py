"""Home and office things (issue #16): a book, a phone, a laptop, a door, a bell, a wall clock.

Built like the registry's props (primitive parts, materials from the materials table, anchors,
aliases) and appended to it in one line. Hinged things carry their hinge as a `Link`: a laptop's
lid on a friction hinge opened to 110 degrees, a door's leaf in its frame (the frame is fixed,
the leaf swings and strikes the frame's stops when it slams), a hand bell's clapper. Sizes and
masses are of real ones, cited where they are set.
"""

from __future__ import annotations

import math

from worldreel.assets.registry import Asset, Link, Part

# --- Book: a closed hardcover, 240 x 160 x 30 mm (a "royal octavo" novel: 234 x 156 mm
# trimmed pages; Chicago Manual of Style, 17th ed., 1.15, trim sizes), boards 3 mm of greyboard
# covered in cloth, overhanging the page block by 3 mm on three sides, the spine along -y.
# Pages and boards are paper (800 kg/m^3, materials table): 0.89 kg, a 400-page hardcover.
# Frame at its centre, lying flat.
BOOK_SIZE_M = (0.240, 0.160, 0.030)
_BOARD_M = 0.003
_OVERHANG_M = 0.003
_BOOK_COVER_RGB = (0.42, 0.07, 0.09)
_PAGES_RGB = (0.95, 0.92, 0.82)


def _book() -> Asset:
    hx, hy, hz = (0.5 * s for s in BOOK_SIZE_M)
    board = 0.5 * _BOARD_M
    pages = (hx - _OVERHANG_M, hy - _BOARD_M, hz - _BOARD_M)
    parts = (
        Part("box", pages, (0.0, board, 0.0), rgb=_PAGES_RGB, name="pages"),
        Part("box", (hx, hy, board), (0.0, 0.0, hz - board), name="front_board"),
        Part("box", (hx, hy, board), (0.0, 0.0, -hz + board), name="back_board"),
        Part("box", (hx, board, hz), (0.0, -hy + board, 0.0), name="spine"),
        # a gilt title on the spine and a label on the front board (drawn, weigh nothing)
        Part("box", (0.05, 0.0003, 0.004), (0.03, -hy - 0.0002, 0.0), rgb=(0.85, 0.68, 0.25),
             collides=False, name="spine_title"),
        Part("box", (0.045, 0.035, 0.0003), (0.04, 0.0, hz + 0.0002), rgb=(0.85, 0.68, 0.25),
             collides=False, name="cover_label"),
    )
    return Asset("book", "a closed hardcover book, 24 x 16 x 3 cm, 0.9 kg", parts, "paper",
                 rest_height=hz, rgb=_BOOK_COVER_RGB,
                 aliases=("hardcover", "hardback", "novel", "textbook", "books", "hardcover book"),
                 anchors={"top": (0.0, 0.0, hz)}, drag_coefficient=1.05)  # a flat box


# --- Phone: a smartphone 147 x 72 x 8 mm, 170 g (Apple iPhone 15 technical specifications:
# 147.6 x 71.6 x 7.8 mm, 171 g): an aluminium frame and back, a toughened cover-glass front
# (materials: cover_glass, which survives a drop from a table) over a dark screen. Frame at its
# centre, lying screen up; its top end (the front camera) towards +x.
PHONE_SIZE_M = (0.147, 0.072, 0.008)
PHONE_MASS_KG = 0.170
_GLASS_M = 0.001


def _phone() -> Asset:
    hx, hy, hz = (0.5 * s for s in PHONE_SIZE_M)
    glass = 0.5 * _GLASS_M
    parts = (
        Part("box", (hx, hy, hz - glass), (0.0, 0.0, -glass), name="body"),
        Part("box", (hx - 0.0003, hy - 0.0003, glass), (0.0, 0.0, hz - glass),
             material="cover_glass", name="glass"),
        # the dark screen under the glass, a black border round it, the front camera
        Part("box", (hx - 0.0035, hy - 0.0035, 0.00005), (0.0, 0.0, hz + 0.00005),
             rgb=(0.05, 0.06, 0.09), material="cover_glass", collides=False, name="screen"),
        Part("cylinder", (0.0018, 0.00006), (hx - 0.007, 0.0, hz + 0.00008),
             rgb=(0.0, 0.0, 0.0), collides=False, name="front_camera"),
        Part("box", (0.013, 0.013, 0.0004), (hx - 0.018, hy - 0.018, -hz - 0.0002),
             rgb=(0.25, 0.26, 0.28), collides=False, name="camera_bump"),
    )
    return Asset("phone", "a smartphone, 147 x 72 x 8 mm, 170 g: glass front, aluminium frame",
                 parts, "aluminium", mass=PHONE_MASS_KG, rest_height=hz, rgb=(0.36, 0.37, 0.40),
                 aliases=("smartphone", "cellphone", "cell phone", "mobile phone",
                          "iphone", "telephone", "cellular phone"),
                 anchors={"top": (0.0, 0.0, hz), "screen": (0.0, 0.0, hz)})


# --- Laptop: a 13-inch notebook (Apple MacBook Air 13-inch M2, technical specifications:
# 304 x 215 x 11.3 mm, 1.24 kg): a 7 mm aluminium base and a 4 mm lid on a hinge along its back
# edge, opened to 110 degrees. 1.24 kg over the two slabs' volume is 1720 kg/m^3, the density
# both are given (base 0.79 kg, lid 0.45 kg: the body's mass is the base's, the lid adds its own).
# The lid's friction hinge: 0.6 N m, an estimate of twice the lid's largest gravity torque
# (0.45 kg x 9.81 x 0.076 m = 0.34 N m at 135 degrees), so the screen stays where it is put,
# also when the laptop is dropped flat, but opens to a finger. Frame on the floor below the
# base's centre; the hinge at the back (-y), the user in front (+y).
LAPTOP_SIZE_M = (0.304, 0.215, 0.0113)
LAPTOP_MASS_KG = 1.24
LAPTOP_BASE_M = 0.007
LAPTOP_LID_M = 0.004
LAPTOP_OPEN_DEG = 110.0
LAPTOP_HINGE_FRICTION_NM = 0.6
_LAPTOP_DENSITY = LAPTOP_MASS_KG / (LAPTOP_SIZE_M[0] * LAPTOP_SIZE_M[1]
                                    * (LAPTOP_BASE_M + LAPTOP_LID_M))


def _laptop() -> Asset:
    hx, hy = 0.5 * LAPTOP_SIZE_M[0], 0.5 * LAPTOP_SIZE_M[1]
    base, lid = 0.5 * LAPTOP_BASE_M, 0.5 * LAPTOP_LID_M
    top = LAPTOP_BASE_M
    deck = (0.10, 0.11, 0.12)
    parts = (
        Part("box", (hx, hy, base), (0.0, 0.0, base), name="base"),
        Part("box", (0.13, 0.048, 0.0002), (0.0, -0.045, top + 0.0002), rgb=deck,
             collides=False, name="keyboard"),
        Part("box", (0.06, 0.038, 0.0002), (0.0, 0.058, top + 0.0002), rgb=(0.70, 0.71, 0.73),
             collides=False, name="trackpad"),
    )
    # The lid, drawn closed over the base in its hinge's frame; the screen on its inner face.
    lid_parts = (
        Part("box", (hx, hy, lid), (0.0, hy, lid + 0.0005), name="lid"),
        Part("box", (hx - 0.008, hy - 0.012, 0.0002), (0.0, hy + 0.004, 0.0003),
             rgb=(0.03, 0.035, 0.05), material="cover_glass", collides=False, name="screen"),
        Part("box", (0.02, 0.015, 0.0003), (0.0, hy, 2 * lid + 0.0008),
             rgb=(0.86, 0.87, 0.89), collides=False, name="logo"),
    )
    hinge = Link("lid", lid_parts, (0.0, -hy, top), "hinge", (1.0, 0.0, 0.0),
                 damping=0.01, friction=LAPTOP_HINGE_FRICTION_NM, range=(0.0, 135.0),
                 angle=LAPTOP_OPEN_DEG)
    mass = _LAPTOP_DENSITY * LAPTOP_SIZE_M[0] * LAPTOP_SIZE_M[1] * LAPTOP_BASE_M
    return Asset("laptop", "a 13-inch laptop, 1.24 kg, its lid open at 110 degrees", parts,
                 "aluminium", mass=mass, rgb=(0.80, 0.81, 0.83), links=(hinge,),
                 # not "notebook" alone: that is a paper notebook as often
                 aliases=("notebook computer", "laptop computer", "macbook",
                          "portable computer"),
                 anchors={"top": (0.0, 0.0, top), "keyboard": (0.0, -0.045, top),
                          "hinge": (0.0, -hy, top)})


# --- Door: a 0.9 x 2.0 m interior door (the common 36 x 80 in / 900 x 2000 mm leaf), 40 mm of
# solid wood (700 kg/m^3, materials table: 50 kg), hung in a painted frame set in a piece of
# plastered wall. Frame origin on the floor at the opening's centre, the wall in the xz plane;
# the leaf hangs on a hinge along z at the -x jamb and opens towards +y, starting ajar
# (25 degrees), so that a push opens it further or slams it shut against the stops (15 mm
# strips on the latch jamb and the head, on the -y side). There is no latch yet: a slammed
# leaf rebounds off the stops (wood on wood, e = 0.55) and swings open again. Hinge friction
# and damping are estimates: a hung door turns under ~1 N at its handle (1 N m), and a swinging 1.8 m^2 panel
# loses its speed to the air in a second or two (damping 6 N m s/rad against its 13.5 kg m^2).
DOOR_LEAF_M = (0.9, 0.04, 2.0)
DOOR_AJAR_DEG = 25.0
DOOR_GAP_M = 0.003  # round the leaf, and 8 mm under it
_DOOR_UNDERCUT_M = 0.008
_JAMB_M = 0.07
_WALL_DEPTH_M = 0.1
_WALL_TOP_M = 2.4
_WALL_SIDE_M = 0.6
_FRAME_RGB = (0.93, 0.92, 0.89)
_LEAF_RGB = (0.58, 0.38, 0.22)


def _door() -> Asset:
    width, thick, height = DOOR_LEAF_M
    inner = 0.5 * width + DOOR_GAP_M  # the jambs' inner faces, at -inner (hinge) and +inner
    hinge_x = -inner  # the hinge line, on the hinge jamb's face at the leaf's +y face
    latch_inner = inner
    head_bottom = _DOOR_UNDERCUT_M + height + DOOR_GAP_M
    jamb_h = 0.5 * (head_bottom + _JAMB_M)
    d = 0.5 * _WALL_DEPTH_M
    outer = inner + _JAMB_M
    stop_y = -thick - 0.002 - 0.007  # 2 mm in front of the closed leaf's -y face, 14 mm deep
    frame = (
        Part("box", (0.5 * _JAMB_M, d, jamb_h), (-inner - 0.5 * _JAMB_M, 0.0, jamb_h),
             name="hinge_jamb"),
        Part("box", (0.5 * _JAMB_M, d, jamb_h), (latch_inner + 0.5 * _JAMB_M, 0.0, jamb_h),
             name="latch_jamb"),
        Part("box", (outer, d, 0.5 * _JAMB_M), (0.0, 0.0, head_bottom + 0.5 * _JAMB_M),
             name="head"),
        Part("box", (0.008, 0.007, 0.5 * (head_bottom - _DOOR_UNDERCUT_M)),
             (latch_inner - 0.008, stop_y, 0.5 * (head_bottom + _DOOR_UNDERCUT_M)),
             name="latch_stop"),
        Part("box", (0.5 * width - 0.01, 0.007, 0.008), (0.0, stop_y, head_bottom - 0.008),
             name="head_stop"),
    )
    top = head_bottom + _JAMB_M
    side = 0.5 * _WALL_SIDE_M
    wall = tuple(
        Part("box", (side, d - 0.005, 0.5 * _WALL_TOP_M), (sx * (outer + side), 0.0,
                                                          0.5 * _WALL_TOP_M),
             material="plaster", rgb=(0.82, 0.80, 0.74), name=f"wall_{n}")
        for n, sx in (("left", -1), ("right", 1))
    ) + (Part("box", (outer, d - 0.005, 0.5 * (_WALL_TOP_M - top)),
              (0.0, 0.0, 0.5 * (_WALL_TOP_M + top)), material="plaster",
              rgb=(0.82, 0.80, 0.74), name="wall_over"),)
    # The leaf in its hinge's frame, closed: along +x from the hinge, its faces at y = 0, -thick.
    cx, cz, face = DOOR_GAP_M + 0.5 * width, 0.5 * height, 0.5 * thick
    panels = tuple(
        Part("box", (0.3, 0.0015, h), (cx, y, z), rgb=(0.52, 0.33, 0.19), collides=False,
             name=f"panel_{n}_{k}")  # raised panels, 3 mm proud of each face
        for n, y in (("front", 0.0015), ("back", -thick - 0.0015))
        for k, (z, h) in enumerate(((0.55 * height, 0.32 * height), (0.17 * height, 0.12 * height)))
    )
    handle_x = DOOR_GAP_M + width - 0.07
    handles = tuple(
        part for n, sy, y in (("front", 1, 0.0), ("back", -1, -thick)) for part in (
            Part("cylinder", (0.025, 0.006), (handle_x, y + sy * 0.006, 0.95), (90.0, 0.0, 0.0),
                 material="metal", rgb=(0.75, 0.72, 0.62), collides=False, name=f"rose_{n}"),
            Part("capsule", (0.009, 0.05), (handle_x - 0.05, y + sy * 0.05, 0.95),
                 (0.0, 90.0, 0.0), material="metal", rgb=(0.75, 0.72, 0.62), collides=False,
                 name=f"lever_{n}"),
            Part("cylinder", (0.008, 0.022), (handle_x, y + sy * 0.028, 0.95), (90.0, 0.0, 0.0),
                 material="metal", rgb=(0.75, 0.72, 0.62), collides=False, name=f"neck_{n}"),
        )
    )
    leaf = Link("leaf", (Part("box", (0.5 * width, face, 0.5 * height), (cx, -face, cz), rgb=_LEAF_RGB,
                              name="leaf"), *panels, *handles),
                (hinge_x, 0.0, _DOOR_UNDERCUT_M), "hinge", (0.0, 0.0, 1.0), damping=6.0,
                # it opens to 88 degrees (a door stop): past 90 its hinge edge would bear on
                # the hinge jamb, a contact aimed at the hinge line that moves nothing
                friction=1.0, range=(-3.0, 88.0), angle=DOOR_AJAR_DEG)
    return Asset("door", "a 0.9 x 2.0 m wooden door on its hinges in a frame, standing ajar",
                 (*frame, *wall), "wood", fixed=True, rgb=_FRAME_RGB, links=(leaf,),
                 aliases=("doorway", "wooden door", "front door", "bedroom door", "doors",
                          "door frame"),
                 anchors={"top": (0.0, 0.0, top), "hinge": (hinge_x, 0.0, 0.0),
                          "handle": (hinge_x + handle_x, 0.0, 0.95)})


# --- Bell: a ship's bell, 250 mm across the mouth (the common 10-inch size), of bell bronze
# (materials: its partials hum, prime, tierce, quint, nominal), hung on a hinge from a wall
# bracket, with an iron clapper. Fixed frame at the bracket's foot on the floor (a post 1.6 m
# tall); the bell swings about y under the bracket's arm, its clapper on its own hinge on the
# same axis (a clapper hung from the crown swings about a pivot a few centimetres below it: the
# same motion, and a clapper hung from the bell itself could not be struck by it in MuJoCo,
# which does not collide a body with its parent). Pushed, the bell swings and its lip meets the
# lagging clapper: it rings. The drawn shell weighs nothing; the bronze that collides (head and
# lip) weighs 7 kg, as a 10-inch bell does (chandlers list 5-8 kg).
BELL_MOUTH_M = 0.25
BELL_PIVOT_M = (0.45, 0.0, 1.50)  # the hinge, under the bracket's arm
_BELL_LIP_Z = -0.29
_BELL_LIP_TUBE_M = 0.010


def _bell_shell() -> tuple[Part, ...]:
    """The bell in its hinge's frame, hanging along -z: a crown loop, a solid head, a flaring
    waist drawn as stacked cylinders, and a lip of capsules that the clapper strikes."""
    bronze, rgb = "bell_bronze", (0.72, 0.52, 0.24)  # the metal's colour, not the bracket's
    parts = [
        Part("capsule", (0.008, 0.02), (0.0, 0.0, -0.04), (90.0, 0.0, 0.0), material="metal",
             rgb=(0.2, 0.2, 0.2), collides=False, name="crown"),
        Part("cylinder", (0.065, 0.02), (0.0, 0.0, -0.09), material=bronze, rgb=rgb, name="head",
             rings_as=BELL_MOUTH_M),
    ]
    for k, (r, z) in enumerate(((0.082, -0.125), (0.090, -0.155), (0.098, -0.185),
                                (0.106, -0.215), (0.114, -0.245), (0.121, -0.272))):
        parts.append(Part("cylinder", (r, 0.016), (0.0, 0.0, z), material=bronze, rgb=rgb,
                          collides=False, name=f"waist{k}"))
    radius = 0.5 * BELL_MOUTH_M - _BELL_LIP_TUBE_M
    segments = 16
    half = math.pi * radius / segments
    for i in range(segments):
        a = 2 * math.pi * (i + 0.5) / segments
        parts.append(Part("capsule", (_BELL_LIP_TUBE_M, half),
                          (radius * math.cos(a), radius * math.sin(a), _BELL_LIP_Z),
                          (90.0, 0.0, math.degrees(a)), material=bronze, rgb=rgb, name=f"lip{i}",
                          rings_as=BELL_MOUTH_M))
    return tuple(parts)


def _bell() -> Asset:
    px, _, pz = BELL_PIVOT_M
    bracket = (
        Part("box", (0.04, 0.04, 0.5 * (pz + 0.06)), (0.0, 0.0, 0.5 * (pz + 0.06)),
             name="post"),
        Part("box", (0.5 * (px + 0.06), 0.03, 0.025), (0.5 * (px - 0.02), 0.0, pz + 0.045),
             name="arm"),
        Part("box", (0.2, 0.2, 0.01), (0.0, 0.0, 0.01), name="foot"),
    )
    bell = Link("bell", _bell_shell(), (px, 0.0, pz), "hinge", (0.0, 1.0, 0.0), damping=0.05,
                range=(-60.0, 60.0))
    clapper = Link("clapper", (
        Part("capsule", (0.006, 0.075), (0.0, 0.0, -0.15), material="metal",
             rgb=(0.25, 0.25, 0.27), collides=False, name="shank"),
        # level with the lip, so it strikes it square: a contact whose normal points at the
        # shared hinge (the ball riding on the lip) moves neither body and is solved with
        # kilonewtons that move nothing
        Part("sphere", (0.024,), (0.0, 0.0, _BELL_LIP_Z), material="metal",
             rgb=(0.25, 0.25, 0.27), name="ball"),
    ), (px, 0.0, pz), "hinge", (0.0, 1.0, 0.0), damping=0.002, range=(-80.0, 80.0))
    return Asset("bell", "a 10-inch bronze ship's bell with a clapper, hung from a bracket",
                 bracket, "wood", fixed=True, rgb=(0.35, 0.22, 0.12), links=(bell, clapper),
                 aliases=("ship's bell", "ships bell", "hand bell", "handbell", "school bell",
                          "church bell", "bells", "hanging bell"),
                 anchors={"top": (px, 0.0, pz), "pivot": (px, 0.0, pz),
                          "lip": (px, 0.0, pz + _BELL_LIP_Z)})


# --- Wall clock: a 30 cm round kitchen clock (a common size: 300 mm across, 40 mm deep) on a
# piece of plastered wall, its centre 1.8 m up, face towards -y: a black rim, a white face with
# twelve hour marks, black hour and minute hands and a red second hand, showing 10:10:30 (the
# time clocks are shown at). The hands do not turn: the physics drives no joints with the
# clip's time yet. Frame on the floor below the clock, the wall's face at y = 0.
CLOCK_DIAMETER_M = 0.30
CLOCK_CENTRE_M = (0.0, -0.02, 1.8)
CLOCK_TIME = (10, 10, 30)  # h, min, s shown


def _hand(name: str, angle_deg: float, length: float, width: float, depth: float,
          rgb: tuple[float, float, float]) -> Part:
    """A hand from the centre towards `angle_deg` clockwise from 12, seen from -y."""
    x, y, z = CLOCK_CENTRE_M
    a = math.radians(angle_deg)
    reach = 0.5 * length - 0.01  # a short tail behind the centre
    return Part("box", (width, 0.0006, 0.5 * length),
                (x + reach * math.sin(a), depth, z + reach * math.cos(a)), (0.0, angle_deg, 0.0),
                material="metal", rgb=rgb, collides=False, name=name)


def _clock() -> Asset:
    x, y, z = CLOCK_CENTRE_M
    r = 0.5 * CLOCK_DIAMETER_M
    face_y = y - 0.0205
    h, m, sec = CLOCK_TIME
    marks = tuple(
        Part("box", (0.004 if k % 3 else 0.006, 0.0005, 0.012 if k % 3 else 0.018),
             (x + 0.112 * math.sin(math.radians(30 * k)), face_y - 0.0005,
              z + 0.112 * math.cos(math.radians(30 * k))), (0.0, 30.0 * k, 0.0),
             rgb=(0.08, 0.08, 0.08), collides=False, name=f"mark{k}")
        for k in range(12))
    parts = (
        Part("box", (0.6, 0.05, 1.2), (0.0, 0.05, 1.2), material="plaster",
             rgb=(0.80, 0.78, 0.72), name="wall"),
        Part("cylinder", (r, 0.02), (x, y, z), (90.0, 0.0, 0.0), material="plastic",
             rgb=(0.08, 0.08, 0.09), name="rim"),
        Part("cylinder", (r - 0.012, 0.0005), (x, face_y, z), (90.0, 0.0, 0.0),
             material="paper", rgb=(0.96, 0.95, 0.92), collides=False, name="face"),
        *marks,
        _hand("hour_hand", 30.0 * (h % 12 + m / 60.0), 0.075, 0.0045, face_y - 0.0015,
              (0.05, 0.05, 0.05)),
        _hand("minute_hand", 6.0 * (m + sec / 60.0), 0.11, 0.003, face_y - 0.0025,
              (0.05, 0.05, 0.05)),
        _hand("second_hand", 6.0 * sec, 0.12, 0.0012, face_y - 0.0035, (0.80, 0.08, 0.06)),
        Part("cylinder", (0.006, 0.003), (x, face_y - 0.003, z), (90.0, 0.0, 0.0),
             material="metal", rgb=(0.80, 0.08, 0.06), collides=False, name="centre_cap"),
    )
    return Asset("clock", "a 30 cm round wall clock on a piece of wall, showing 10:10",
                 parts, "plastic", fixed=True,
                 aliases=("wall clock", "kitchen clock", "clock on the wall", "clocks"),
                 anchors={"top": (0.0, 0.0, 2.4), "face": (x, face_y, z)})


HOME_ASSETS: list[Asset] = [_book(), _phone(), _laptop(), _door(), _bell(), _clock()]
