"""The materials table: physical, visual and acoustic properties of everyday matter, in one place.

Nothing about a material is hard-coded anywhere else: physics reads density, friction and
restitution here, the renderer reads the look, the audio stage reads the modes.

Sources (values are typical room-temperature figures, rounded):
- Densities: The Engineering ToolBox, "Densities of Solids" / "Densities of Miscellaneous Solids";
  CRC Handbook of Chemistry and Physics, 97th ed.
- Friction: The Engineering ToolBox, "Friction and Friction Coefficients for various Materials";
  Serway & Jewett, Physics for Scientists and Engineers, table 5.1.
- Restitution: the coefficient against a rigid surface (a pair takes the lower one, see
  physics.contact_model). Balls: ITF Rules of Tennis
  (Appendix I: 100 in drop rebounds 53-58 in on a rigid surface, e = 0.73-0.76); FIBA Official
  Basketball Rules (1.80 m drop rebounds 1.20-1.40 m, e = 0.82-0.88); FIFA Quality Programme
  (rebound test). Solids: Engineering ToolBox "Coefficient of Restitution"; Cross, "The bounce of
  a ball", Am. J. Phys. 67 (1999).
- Rolling resistance coefficients C_rr: Engineering ToolBox "Rolling Resistance".
- Acoustics: modal damping follows van den Doel, Kry & Pai, "FoleyAutomatic", SIGGRAPH 2001:
  decay rate d_i = pi * f_i * tan(phi), with the internal-friction loss factor tan(phi) per
  material (steel ~1e-4 .. glass ~1e-3 .. wood ~1e-2 .. rubber ~1e-1; Cremer & Heckl, "Structure-
  Borne Sound", table of loss factors). Mode ratios are those of a free-free beam
  (1, 2.76, 5.40, 8.93; Rossing & Fletcher, "Principles of Vibration and Sound") for stiff solids
  and of a thin spherical shell for balls; the base frequency is for a 0.1 m object and scales as
  1/size.
- Absorption coefficients (room surfaces, mean of the 500 Hz and 1 kHz octaves): Everest &
  Pohlmann, "Master Handbook of Acoustics", 6th ed., appendix of absorption coefficients.
- Breaking speed (impact speed at which a typical household object of the material shatters,
  used by physics.fracture): soda-lime glass tumblers and porcelain plates survive drops of
  ~0.3 m but usually break from table height (0.75-1 m, 3.8-4.4 m/s) onto stone or concrete
  (consumer drop tests, e.g. ASTM C1256-style tumbler impact tests report 1-2 J at failure for
  tumblers); we take 3.0 m/s for glass and 3.4 m/s for ceramic. Fired clay brick: compressive
  strength 10-40 MPa (Engineering ToolBox "Brick"), far beyond any everyday impact: not brittle
  here, a brick wall falls apart brick by brick instead. Rubber, wood, metal never break.
- Brick: density 1900 kg/m^3, friction 0.6 (Engineering ToolBox); billiard balls (phenolic
  resin): 1700 kg/m^3 (170 g, 57.15 mm, WPA rules), ball-ball restitution 0.92-0.98 and
  ball-cloth friction 0.2 (Alciatore, "The Illustrated Principles of Pool and Billiards",
  technical proof TP A-5 and "pool physics property constants").
- Sand (dry, loose beach sand): bulk density 1600 kg/m^3 and friction 0.6 (Engineering ToolBox
  "Densities of Miscellaneous Solids", "Friction coefficients"); rolling resistance C_rr 0.3
  ("Rolling Resistance": 0.2-0.4 for wheels on loose sand); it absorbs impacts almost
  entirely (restitution 0.1).
- Media: water density 998 kg/m^3 and kinematic viscosity 1.0e-6 m^2/s at 20 C; air 1.204 kg/m^3
  and 1.5e-5 m^2/s (CRC Handbook).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from worldreel.errors import SceneError

FREE_BEAM_RATIOS = (1.0, 2.756, 5.404, 8.933)
SHELL_RATIOS = (1.0, 1.59, 2.14, 2.65)
PLATE_RATIOS = (1.0, 1.73, 2.33, 3.91)  # a free circular plate (see the kitchen materials)
REFERENCE_SIZE_M = 0.1


@dataclass(frozen=True)
class Acoustic:
    """How a material sounds when struck: modes at a 0.1 m reference size."""

    base_hz: float  # lowest mode of a 0.1 m object
    loss_factor: float  # tan(phi): internal friction, sets how fast modes decay
    ratios: tuple[float, ...] = FREE_BEAM_RATIOS
    gains: tuple[float, ...] = (1.0, 0.6, 0.4, 0.25)
    contact_ms: float = 0.5  # duration of the contact force pulse: hard is short, soft is long
    noise: float = 0.1  # share of broadband contact noise (crunch, slap) in the excitation
    loudness: float = 1.0  # radiation efficiency relative to wood
    absorption: float = 0.05  # energy absorption coefficient of a wall of it, 500 Hz-1 kHz mean


@dataclass(frozen=True)
class Material:
    """One record per material: physics, look and sound together."""

    name: str
    density: float  # kg/m^3
    friction: float  # sliding (Coulomb) coefficient
    rolling: float  # rolling resistance coefficient C_rr (dimensionless)
    restitution: float  # against itself
    rgb: tuple[float, float, float]  # linear-ish display colour 0..1
    roughness: float  # 0 mirror .. 1 matte
    metalness: float
    texture: str | None  # procedural texture name, see render.textures
    acoustic: Acoustic
    breaking_speed: float | None = None  # m/s impact that shatters it; None: never breaks


def _m(name, density, friction, rolling, restitution, rgb, roughness, metalness, texture, acoustic,
       breaking_speed=None):
    return Material(name, density, friction, rolling, restitution, rgb, roughness, metalness,
                    texture, acoustic, breaking_speed)


_TABLE = [
    # name, density, friction, C_rr, e, colour, roughness, metal, texture, acoustic
    _m("rubber", 1100, 0.85, 0.015, 0.80, (0.75, 0.18, 0.12), 0.8, 0.0, None,
       Acoustic(420, 0.10, SHELL_RATIOS, contact_ms=1.2, noise=0.15, loudness=0.7,
                absorption=0.03)),
    _m("leather", 860, 0.70, 0.012, 0.86, (0.80, 0.36, 0.10), 0.75, 0.0, "pebbled",
       # Leather here is an inflated ball: it rings with its air cavity, lowest mode
       # 2.08 c / (2 pi a) (Rayleigh, "Theory of Sound", s. 331): ~950 Hz in a basketball.
       Acoustic(2200, 0.03, SHELL_RATIOS, (1.0, 0.5, 0.3, 0.15), contact_ms=1.0, noise=0.2,
                loudness=1.2, absorption=0.15)),
    _m("felt", 300, 0.65, 0.020, 0.75, (0.80, 0.90, 0.20), 0.95, 0.0, None,
       Acoustic(500, 0.12, SHELL_RATIOS, contact_ms=1.4, noise=0.25, loudness=0.6,
                absorption=0.5)),
    _m("wood", 700, 0.40, 0.002, 0.55, (0.62, 0.43, 0.25), 0.6, 0.0, "planks",
       Acoustic(1300, 0.012, contact_ms=0.35, noise=0.15, loudness=1.0,
                absorption=0.1)),
    _m("hardwood", 705, 0.50, 0.001, 0.88, (0.78, 0.58, 0.35), 0.35, 0.0, "court",
       Acoustic(900, 0.010, contact_ms=0.3, noise=0.1, loudness=1.1,
                absorption=0.08)),
    _m("metal", 7850, 0.45, 0.001, 0.70, (0.62, 0.64, 0.68), 0.3, 1.0, None,
       Acoustic(2900, 0.0003, contact_ms=0.12, noise=0.05, loudness=1.3,
                absorption=0.03)),
    _m("glass", 2500, 0.45, 0.001, 0.75, (0.75, 0.88, 0.92), 0.05, 0.0, None,
       Acoustic(3400, 0.0015, contact_ms=0.08, noise=0.05, loudness=1.0,
                absorption=0.04), breaking_speed=3.0),
    _m("ceramic", 2400, 0.50, 0.001, 0.65, (0.93, 0.92, 0.88), 0.2, 0.0, None,
       Acoustic(2600, 0.004, contact_ms=0.1, noise=0.08, loudness=1.0,
                absorption=0.01), breaking_speed=3.4),
    _m("plastic", 1050, 0.35, 0.004, 0.65, (0.20, 0.45, 0.85), 0.45, 0.0, None,
       Acoustic(1150, 0.030, contact_ms=0.4, noise=0.2, loudness=0.8,
                absorption=0.03)),
    _m("cloth", 300, 0.60, 0.050, 0.20, (0.55, 0.20, 0.25), 1.0, 0.0, None,
       Acoustic(250, 0.50, contact_ms=4.0, noise=0.8, loudness=0.15,
                absorption=0.55)),
    _m("paper", 800, 0.40, 0.010, 0.30, (0.95, 0.94, 0.90), 0.9, 0.0, None,
       Acoustic(700, 0.10, contact_ms=1.5, noise=0.7, loudness=0.3,
                absorption=0.2)),
    _m("stone", 2600, 0.60, 0.002, 0.60, (0.55, 0.52, 0.48), 0.85, 0.0, "bricks",
       Acoustic(1800, 0.006, contact_ms=0.15, noise=0.2, loudness=0.9,
                absorption=0.03)),
    _m("concrete", 2400, 0.70, 0.002, 0.90, (0.58, 0.57, 0.55), 0.9, 0.0, "asphalt",
       Acoustic(600, 0.010, contact_ms=0.2, noise=0.3, loudness=0.8,
                absorption=0.02)),
    _m("ice", 917, 0.03, 0.001, 0.60, (0.85, 0.93, 1.00), 0.1, 0.0, None,
       Acoustic(2200, 0.003, contact_ms=0.15, noise=0.1, loudness=0.9,
                absorption=0.02)),
    _m("sand", 1600, 0.60, 0.300, 0.10, (0.86, 0.78, 0.58), 1.0, 0.0, "sand",
       Acoustic(180, 0.80, contact_ms=6.0, noise=0.9, loudness=0.2,
                absorption=0.45)),
    _m("grass", 1200, 0.55, 0.080, 0.45, (0.25, 0.50, 0.18), 1.0, 0.0, "grass",
       Acoustic(200, 0.60, contact_ms=5.0, noise=0.85, loudness=0.25,
                absorption=0.45)),
    # Road surfaces off the tarmac (issue #19: tyres on gravel). Peak tyre friction on gravel
    # 0.6 and on a dry earth road 0.68 (Wong, "Theory of Ground Vehicles", 4th ed., table 1.3);
    # car tyres' rolling resistance on rolled gravel 0.02 and on an unpaved road 0.05 (Wong,
    # table 1.2, after Taborek). Bulk densities: gravel 1500-1800 kg/m^3, dry loose earth
    # 1200-1300 (Engineering ToolBox "Densities of Miscellaneous Solids"). Both swallow a
    # dropped thing's bounce (restitution 0.15 est., between sand and grass); gravel struck
    # crunches and rattles (stones knocking: noise 0.95, a few kHz), earth thuds dully. A
    # gravel bed is porous: absorption 0.3 (est., between grass and sand; Everest & Pohlmann
    # list no gravel).
    _m("gravel", 1650, 0.60, 0.020, 0.15, (0.55, 0.52, 0.47), 1.0, 0.0, "pebbled",
       Acoustic(900, 0.40, contact_ms=2.0, noise=0.95, loudness=0.45,
                absorption=0.30)),
    _m("dirt", 1250, 0.68, 0.050, 0.15, (0.42, 0.33, 0.24), 1.0, 0.0, "sand",
       Acoustic(160, 0.80, contact_ms=6.0, noise=0.85, loudness=0.25,
                absorption=0.40)),
    _m("brick", 1900, 0.60, 0.002, 0.50, (0.62, 0.26, 0.18), 0.9, 0.0, None,
       Acoustic(1500, 0.008, contact_ms=0.18, noise=0.3, loudness=0.9,
                absorption=0.03)),
    _m("resin", 1700, 0.20, 0.005, 0.95, (0.92, 0.90, 0.82), 0.15, 0.0, None,
       Acoustic(2800, 0.002, contact_ms=0.15, noise=0.05, loudness=1.1,
                absorption=0.02)),
    # People. Skin over soft tissue: density of the whole body ~1010-1060 kg/m^3 (Pollock et
    # al., "Body composition", 1984; de Leva 1996); skin-on-surface friction ~0.5-0.8
    # (Derler & Gerhardt, Tribol. Lett. 45, 2012); a soft, damped slap. Shoe: a rubber sole
    # (friction 0.6-0.9 on dry floors, Chang et al., Ergonomics 44, 2001) whose heel strike
    # is a short, noisy tap rather than a ring (footstep recordings peak 0.2-4 kHz with a
    # dull body, Turchet et al., "Physically based sound synthesis of footsteps", 2010).
    _m("skin", 1050, 0.65, 0.05, 0.25, (0.78, 0.57, 0.45), 0.7, 0.0, None,
       Acoustic(180, 0.6, contact_ms=3.0, noise=0.6, loudness=0.35, absorption=0.4)),
    _m("shoe", 1150, 0.75, 0.02, 0.35, (0.15, 0.15, 0.16), 0.8, 0.0, None,
       Acoustic(320, 0.35, contact_ms=2.0, noise=0.75, loudness=0.55, absorption=0.2)),
    _m("plaster", 1100, 0.50, 0.002, 0.50, (0.90, 0.88, 0.84), 0.9, 0.0, None,
       Acoustic(500, 0.02, contact_ms=0.4, noise=0.2, loudness=0.7,
                absorption=0.05)),
    # Sports balls (issue #15). Ionomer: a two-piece golf ball (ionomer cover, polybutadiene
    # core); density = the Rules of Golf ball (45.93 g, 42.67 mm: Equipment Rules, Part 4)
    # over its volume; restitution 0.89-0.91 in drop tests of tour balls on a hard surface
    # (BestBall COR tester data: Pro V1x 0.893, Pro V1 0.907, NXT 0.913); friction 0.4, an
    # estimate between hard plastic (0.35) and rubber on grass. Its C_rr is that of a golf ball
    # on a putting green, because the simulation applies the rolling ball's own coefficient
    # (assets.mujoco_spec), not the surface's: a Stimpmeter (USGA) releases the ball at
    # 1.83 m/s and on a green of stimp 10 ft (3.05 m, medium-fast) it stops in that distance,
    # a = v^2 / 2S = 0.55 m/s^2, and rolling without slipping a = C_rr g / (1 + 2/5), so
    # C_rr = 0.078 (Penner, "The physics of putting", Can. J. Phys. 80, 2002, uses the same
    # relation). A hard solid ball clicks: plastic's modes (2.7 kHz in a 43 mm ball).
    _m("ionomer", 1129, 0.40, 0.078, 0.89, (0.96, 0.96, 0.94), 0.35, 0.0, None,
       Acoustic(1150, 0.020, contact_ms=0.3, noise=0.15, loudness=0.8,
                absorption=0.03)),
    # Celluloid: a table-tennis ball's shell (celluloid until 2014, now a plastic of similar
    # density; 1350-1400 kg/m^3, CRC Handbook). Restitution from the ITTF Handbook (2.3.3): a
    # ball dropped 305 mm onto a steel block rises 230-260 mm, e = sqrt(245 / 305) = 0.90.
    # Friction 0.3 (plastic on plastic or wood, Engineering ToolBox 0.2-0.4); a thin shell
    # rings high and briefly (the short bright "pock" of a rally).
    _m("celluloid", 1350, 0.30, 0.005, 0.90, (0.97, 0.97, 0.95), 0.3, 0.0, None,
       Acoustic(1700, 0.040, SHELL_RATIOS, contact_ms=0.15, noise=0.15, loudness=0.6,
                absorption=0.03)),
    # Cowhide: a baseball (cork and rubber centre wound in yarn, in a stitched cowhide cover);
    # density = 145 g over a 74 mm sphere (MLB Official Baseball Rules 3.01: 5-5.25 oz,
    # 9-9.25 in round); restitution 0.546 (the MLB specification, 0.514-0.578, fired at a
    # wooden wall at 85 ft/s: ASTM F1887); friction 0.5, leather on wood or dirt (Engineering
    # ToolBox: leather on wood 0.3-0.4, on rough surfaces more). A dull, solid knock.
    _m("cowhide", 683, 0.50, 0.010, 0.55, (0.96, 0.95, 0.90), 0.7, 0.0, None,
       Acoustic(900, 0.060, contact_ms=0.7, noise=0.3, loudness=0.8,
                absorption=0.1)),
    # Kitchen and table things (issue #16). Struck plates and shells ring at the modes of a
    # free circular plate, 1 : 1.73 : 2.33 : 3.91 (modes (2,0), (0,1), (3,0), (1,1); Rossing &
    # Fletcher, "Principles of Vibration and Sound", ch. 3), f = (lambda^2 / 2 pi a^2)
    # sqrt(D / rho h) with lambda^2 = 5.25 for the lowest.
    # Stainless steel (AISI 304, a cooking pot and its lid): 8000 kg/m^3 (Engineering ToolBox,
    # "Metals and Alloys - Densities"); steel on steel 0.57 sliding (Serway & Jewett, table
    # 5.1); restitution 0.6 (Engineering ToolBox "Coefficient of Restitution": steel 0.6-0.7
    # on hard surfaces; a thin lid loses more to ringing). A flat 1 mm disc 0.2 m across
    # would ring at ~100 Hz; a pressed lid's dome and rolled rim stiffen it several times
    # over, and a pot lid clatters around 0.5-1 kHz: base 1400 Hz at 0.1 m, 700 Hz at 0.2 m.
    # Steel's loss factor ~1e-4 (Cremer & Heckl); a lid held by its knob and rim rings for
    # about a second, 1e-3.
    _m("stainless_steel", 8000, 0.57, 0.001, 0.60, (0.78, 0.79, 0.81), 0.2, 1.0, None,
       Acoustic(1400, 0.001, PLATE_RATIOS, contact_ms=0.1, noise=0.05, loudness=1.4,
                absorption=0.03)),
    # Cupronickel (75 % copper, 25 % nickel: a US quarter's cladding, the centre of a 1-euro
    # coin): 8940 kg/m^3 (CRC Handbook; Copper Development Association, alloy C71300); metal on
    # wood 0.2-0.6, we take 0.4 (Engineering ToolBox "Friction coefficients"); a coin dropped on
    # a table bounces little, e = 0.5 (Engineering ToolBox "Coefficient of Restitution" gives
    # 0.5-0.6 for metals on wood; the pair takes the lower anyway). A quarter (a = 12.1 mm,
    # h = 1.75 mm, E = 150 GPa) rings at 12 kHz by the plate formula above, the "ring" of the
    # coin test: 3000 Hz at the 0.1 m reference (its size is 24 mm). Loss factor 5e-4.
    _m("cupronickel", 8940, 0.40, 0.002, 0.50, (0.80, 0.80, 0.78), 0.3, 1.0, None,
       Acoustic(3000, 0.0005, PLATE_RATIOS, contact_ms=0.05, noise=0.05, loudness=0.9,
                absorption=0.03)),
    # Fruit. Apple flesh holds ~20-25 % air: whole apples 790-870 kg/m^3 (they float; Mohsenin,
    # "Physical Properties of Plant and Animal Materials", 2nd ed., 1986, table of densities),
    # we take 830; oranges with their peel 850-950 (same table), 900. Waxy skin on wood or
    # plastic 0.5 (an estimate between rubber and wood on wood). A ripe fruit is soft and wet:
    # dropped on a hard floor it rebounds to a tenth of its height or less (e = 0.3 for the
    # apple, 0.35 for the orange, whose peel is springier: estimates within the 0.2-0.5 of
    # fruit drop-impact tests on rigid plates, e.g. doi:10.1007/s11947-017-1918-z); a dull
    # thud, no ring (damping like rubber's, contact of a few ms like skin's).
    _m("apple", 830, 0.50, 0.020, 0.30, (0.72, 0.08, 0.08), 0.45, 0.0, None,
       Acoustic(250, 0.40, contact_ms=2.5, noise=0.5, loudness=0.45, absorption=0.3)),
    _m("orange", 900, 0.55, 0.020, 0.35, (0.96, 0.52, 0.06), 0.7, 0.0, "pebbled",
       Acoustic(230, 0.40, contact_ms=2.5, noise=0.5, loudness=0.45, absorption=0.3)),
]

# Home and office things (issue #16: assets.home).
_TABLE += [
    # Cover glass: a phone's chemically toughened aluminosilicate front (Corning Gorilla Glass 5
    # product information sheet: density 2.43 g/cm^3, Young's modulus 76.7 GPa; Corning reports
    # it surviving face-down drops from 1.6 m onto rough surfaces in 80 % of its tests, an impact
    # of sqrt(2 g 1.6 m) = 5.6 m/s, so a phone dropped from a table at 3.8 m/s does not break,
    # where a soda-lime tumbler at 3.0 m/s does). Friction and restitution of glass (above); a
    # glass plate rings at glass's modes, its loss factor a little above soda-lime's (the ion
    # exchanged layer, Cremer & Heckl: 1e-3 .. 2e-3 for glasses).
    _m("cover_glass", 2430, 0.45, 0.001, 0.75, (0.03, 0.03, 0.05), 0.04, 0.0, None,
       Acoustic(3500, 0.002, contact_ms=0.08, noise=0.06, loudness=1.0,
                absorption=0.04), breaking_speed=5.6),
    # Aluminium (6000-series alloy, a phone's or laptop's unibody): density 2700 kg/m^3 (CRC
    # Handbook); friction 0.45 against hard surfaces (Engineering ToolBox: aluminium on steel
    # 0.47, on wood 0.4-0.5). Restitution 0.3: it is used for thin housings (a phone, a
    # laptop) whose panels, battery and boards take up an impact, not for solid blocks (solid
    # aluminium on steel: 0.6-0.7, Engineering ToolBox "Coefficient of Restitution"); phones
    # in drop tests from 1 m rebound a few centimetres, e = sqrt(0.05 / 1) ~ 0.2-0.3 (an
    # estimate from published drop-test footage). Its sound speed sqrt(E / rho) = 5100 m/s equals steel's,
    # so a free beam of it rings where one of steel does (steel's base frequency, above); loss
    # factor 1e-4 .. 1e-3 (Cremer & Heckl), a thin anodised shell at the top of that range.
    _m("aluminium", 2700, 0.45, 0.001, 0.30, (0.78, 0.79, 0.81), 0.35, 1.0, None,
       Acoustic(2900, 0.0008, contact_ms=0.12, noise=0.08, loudness=1.1,
                absorption=0.03)),
    # Car body: painted sheet-steel panels on a steel shell (assets.vehicles). Mild steel,
    # 7850 kg/m^3 (unused: a vehicle's mass is its curb mass); steel on asphalt or steel 0.45
    # (as metal). Restitution 0.2: in low-speed car-to-car impacts it falls from ~0.4 at
    # 5 km/h to ~0.1 at 50 km/h (Antonetti, SAE 980552, 1998; Monson & Germane, SAE
    # 1999-01-0097). Panels are damped (sound-deadening pads, seams): loss factor 0.02
    # (Cremer & Heckl: 0.01-0.1 for treated steel plates); an impact is a broadband crunch
    # (noise 0.6) over a long contact, the body's lowest panel modes near 100 Hz for its
    # metre-sized panels (base 1500 Hz at 0.1 m, scaled as 1/size).
    _m("car_body", 7850, 0.45, 0.001, 0.20, (0.60, 0.62, 0.66), 0.35, 0.6, None,
       Acoustic(1500, 0.02, contact_ms=3.0, noise=0.6, loudness=1.4, absorption=0.03)),
    # Tyre: a car tyre's tread rubber on dry asphalt or concrete. Peak friction 0.85 (Wong,
    # "Theory of Ground Vehicles", 4th ed., table 1.3: 0.8-0.9 peak on dry asphalt and
    # concrete); rolling resistance C_rr 0.012 (Engineering ToolBox "Rolling Resistance":
    # car tyres on asphalt 0.010-0.015); a dropped wheel bounces little (e 0.5, est.); a
    # tyre thuds like rubber, deader (an air-filled carcass on a rim).
    _m("tyre", 1150, 0.85, 0.012, 0.50, (0.05, 0.05, 0.05), 0.85, 0.0, None,
       Acoustic(300, 0.12, SHELL_RATIOS, contact_ms=2.0, noise=0.25, loudness=0.6,
                absorption=0.03)),
    # Bell bronze (78 % copper, 22 % tin): density 8700 kg/m^3 (Fletcher & Rossing, "The
    # Physics of Musical Instruments", 2nd ed., ch. 21, table 21.1: 8600-8800); friction and
    # restitution of a hard copper alloy (Engineering ToolBox: bronze on steel 0.16 lubricated,
    # ~0.3-0.4 dry; e 0.6-0.7). A bell is tuned to partials that are not a beam's: hum, prime,
    # tierce (minor third), quint and nominal in the ratios 0.5 : 1 : 1.2 : 1.5 : 2 of the prime
    # (Rossing, "The Science of Percussion Instruments", 2000, ch. 9, the "true-harmonic"
    # church bell); here relative to the hum: 1 : 2 : 2.4 : 3 : 4. Geometrically similar bells
    # ring as 1/diameter: Big Ben (2.74 m) strikes E3, 165 Hz (its prime), so the hum of a
    # 0.1 m bell is 0.5 x 165 x 27.4 = 2260 Hz. Bells ring for seconds: loss factor 2e-4
    # (a church bell's hum decays over a minute, its nominal in ~10 s: Fletcher & Rossing,
    # table 21.3, T60 of 5-60 s for a large bell's partials).
    _m("bell_bronze", 8700, 0.35, 0.001, 0.65, (0.72, 0.52, 0.24), 0.3, 1.0, None,
       Acoustic(2260, 0.0002, (1.0, 2.0, 2.4, 3.0, 4.0), (0.6, 1.0, 0.7, 0.5, 0.8),
                contact_ms=0.15, noise=0.03, loudness=1.5, absorption=0.03)),
    # Animals' feet and coats (issue #19). Hoof: hoof-wall keratin, density ~1300 kg/m^3 and
    # stiff (Young's modulus ~0.4 GPa wet, Bertram & Gosline, J. Exp. Biol. 125, 1986); an
    # unshod hoof on concrete or asphalt slides at ~0.5-0.6 (Pardoe et al., Equine Vet. J.
    # 33, 2001: 0.55 dry asphalt); the impact is a short, dull knock with little ring: the
    # "clip-clop" on hard ground has its energy at ~0.5-2 kHz (hoof-beat recordings, Smith &
    # Wilson, Equine Vet. J. 2009) and a few-millisecond contact; restitution low (the leg
    # absorbs it). Paw: digital pads, fat and keratinised skin (pad friction 0.6-1.0 on
    # floors, Alexander et al. on dog pads; density of soft tissue ~1050), a soft patter:
    # long contact, low, damped. Fur: the coat over the body where it meets things
    # (hair-on-surface friction ~0.3-0.5, hair fibre tribology, Bhushan 2008), muffled.
    _m("hoof", 1300, 0.55, 0.01, 0.30, (0.22, 0.19, 0.16), 0.7, 0.0, None,
       Acoustic(900, 0.08, contact_ms=1.2, noise=0.55, loudness=0.8, absorption=0.05)),
    _m("paw", 1050, 0.80, 0.04, 0.20, (0.18, 0.15, 0.14), 0.85, 0.0, None,
       Acoustic(160, 0.7, contact_ms=5.0, noise=0.5, loudness=0.2, absorption=0.5)),
    _m("fur", 1000, 0.40, 0.05, 0.15, (0.55, 0.42, 0.30), 1.0, 0.0, None,
       Acoustic(140, 0.8, contact_ms=6.0, noise=0.7, loudness=0.15, absorption=0.6)),
]

MATERIALS: MappingProxyType[str, Material] = MappingProxyType({m.name: m for m in _TABLE})


@dataclass(frozen=True)
class Medium:
    """A fluid that bodies move through (buoyancy and drag)."""

    name: str
    density: float  # kg/m^3
    viscosity: float  # dynamic, Pa*s


MEDIA = MappingProxyType({
    "air": Medium("air", 1.204, 1.81e-5),
    "water": Medium("water", 998.0, 1.0e-3),
    "vacuum": Medium("vacuum", 0.0, 0.0),
    # Helium at 20 C and 1 atm (ideal gas, M = 4.0026 g/mol: p M / R T = 0.1664 kg/m^3;
    # viscosity 19.6 uPa s, CRC Handbook): what a party balloon is filled with.
    "helium": Medium("helium", 0.1664, 1.96e-5),
})


def material(name: str) -> Material:
    """Look up a material by name, or raise a SceneError listing the known ones."""
    try:
        return MATERIALS[name]
    except KeyError:
        raise SceneError(
            f"unknown material {name!r}; known materials: {', '.join(sorted(MATERIALS))}"
        ) from None
