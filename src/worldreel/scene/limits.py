"""Every limit on a Scene, in one place, each with the reason for its number.

A Scene is refused at load time, before any work, when it breaks one of these: the file is too
big or nested too deep to read safely, a text is longer than anything that uses it, a count is
more than the pipeline can play in reasonable time and memory, or a number is outside what the
physics can take (MuJoCo resets a simulation that meets a position or velocity over 1e10, and
plays the start pose again instead of failing). The models (scene.models, scene.characters) and
the reader (scene.io) import them from here.
"""

from __future__ import annotations

# --- The clip ---------------------------------------------------------------------------------
SCENE_VERSION = 1  # the schema version a Scene file declares (the only one so far)
MAX_DURATION_S = 60.0  # a short film; every stage holds the whole clip's data in memory
MAX_WIDTH, MAX_HEIGHT = 3840, 2160  # 4K UHD, the largest common delivery size
MIN_SIDE = 16  # one H.264 macroblock
MAX_FPS = 120  # the fastest common camera and display rate
MAX_SLOW_MOTION = 16  # a 120 fps clip slowed 16x samples physics at 1920 Hz, within physics_rate
MAX_TIME_LAPSE = 60  # a time-lapse's world is simulated whole: an hour in a minute at most, and
# its world (duration x time_lapse) is held to MAX_DURATION_S like any clip's

# --- Reading a Scene file ---------------------------------------------------------------------
# A Scene filled to every count below (200 entities, 50 people with 100 script steps each, 400
# actions, 200 lines of 500 characters, 120 shots) is 0.45 MB of hand-written YAML, and 0.9 MB
# written out with every default field (as `worldreel plan` and a clip's .scene.yaml do); 2 MiB
# leaves room for long ids and comments, and loads in about two seconds. The largest real Scene
# (tests/data) is 2.5 kB. Anything bigger is the wrong file (a video, /dev/zero), which would
# otherwise be read into memory whole.
MAX_SCENE_FILE_BYTES = 2 << 20
# A Scene nests at most six levels (characters[0].script[2].place[1]); 32 leaves room for
# hand-written flow style and keeps the YAML composer (recursive, ~3 Python frames a level)
# far from Python's recursion limit, which 100,000 '[' would otherwise hit with a traceback.
MAX_NESTING_DEPTH = 32
# YAML values (keys, scalars, lists, mappings) counted with every alias expanded. A Scene at
# every count below, written out with every default field, has ~120,000; a "billion laughs"
# file (aliases of aliases, a few hundred bytes) expands to billions, which validation would
# walk one by one.
MAX_YAML_NODES = 500_000
# A refused Scene's message lists at most this many problems (and how many more there are), so
# that a Scene with thousands of bad fields still gets one readable line.
MAX_REPORTED_PROBLEMS = 10
# A field name or value quoted in a message is cut to this many characters.
MAX_QUOTED_CHARS = 64

# --- Free text --------------------------------------------------------------------------------
MAX_PROMPT_CHARS = 2000  # the prompt the director reads (director.plan refuses longer prompts)
MAX_LINE_CHARS = 500  # a line of dialogue: a long paragraph, ~35 s of speech at 150 wpm
MAX_ID_CHARS = 64  # ids name entities, people, actions and lines: a word or two, not prose
# Names looked up in a table (assets, materials, environments, skin and hair colours, voices):
# the longest registered name is under 20 characters.
MAX_NAME_CHARS = 64

# --- Counts -----------------------------------------------------------------------------------
# The director's largest set-ups (a garden wall of 60 bricks, a 40-domino chain) stay under
# ~120 bodies. At 200, resting balls or dominoes simulate a clip second in about a second, 200
# breakable glasses (10 pieces each) in ~13 s, and 200 cloths (64 nodes each) reach the limit of
# MuJoCo's memory; 10,000 balls fail after a minute with "Could not allocate memory".
MAX_ENTITIES = 200
# Bodies simulated in all (an entity is one, plus its links and pieces: a cloth is 65, a soft
# ball 43, a breakable glass 11, a rope 16). Measured for a clip second on two cores: 3,250
# bodies (50 cloths) take 10 s, 6,500 (100 cloths) 27 s, 9,750 (150) 52 s, and 13,000 (200)
# stop after 21 s with MuJoCo out of memory in its broad phase. 3,500 keeps a one-minute clip
# under about ten minutes of physics, like the people cap below.
MAX_BODIES = 3500
# Each person costs ~0.1 s of animation and ~0.08 s of simulation per clip second, plus a
# skinned body and clothes in every frame: 50 people make a one-minute clip take ten minutes
# before a frame is rendered.
MAX_CHARACTERS = 50
# An animal costs about what a person does to animate and simulate (~30 bones, one body each),
# and less to draw (no skinned mesh): a herd of 20 keeps a clip as cheap as 20 people.
MAX_ANIMALS = 20
# Two actions per entity at the entity cap (a push, then a kick); actions are cheap, this only
# bounds the timeline's work on `after:` chains.
MAX_ACTIONS = 400
# A step every 0.6 s for a whole one-minute clip; a script longer than that cannot play out.
MAX_SCRIPT_STEPS = 100
# The shortest line (one word, or a cough) lasts ~0.3 s: a one-minute clip holds ~200 in a row.
# Each is synthesised by a speech engine in its own process, so the count bounds that work too.
MAX_LINES = 200
# Flocks of birds and schools of fish are animated after the simulation (physics.flocks), not
# simulated: a bird costs its boid neighbours per step and about a dozen drawn shapes per frame.
# 60 pigeons (a street's worth) take 0.12 s per clip second to animate on one core (measured,
# 10 s clip); 8 such flocks stay near a second per clip second.
MAX_FLOCK = 60
MAX_FLOCKS = 8  # a street's pigeons, its sparrows, gulls overhead... with room to spare
# A cut every half second for a whole minute; faster cutting does not read on screen.
MAX_SHOTS = 120

# --- Numbers (physics) ------------------------------------------------------------------------
# Things and people start within a kilometre of the origin (per coordinate). Environments are
# tens of metres across, cameras and lights are placed around the origin, and a 50 m/s kick flies
# ~250 m; MuJoCo resets the simulation at |x| > 1e10.
MAX_POSITION_M = 1000.0
# Initial linear speed of an entity: faster than any ball in sport (a golf drive is ~80 m/s).
# physics.simulate takes a body over 200 m/s for a blown-up simulation.
MAX_SPEED_M_S = 100.0
# Initial spin, and the Spin action's rate: a fast top turns at ~300 rad/s; at 500 rad/s a thing
# turns more than half a revolution a frame at 120 fps, a blur; MuJoCo resets at 1e10.
MAX_ANGULAR_SPEED_RAD_S = 500.0
# Euler angles and camera azimuths in degrees: every orientation is within one turn either way.
MAX_ANGLE_DEG = 360.0
# Gravity: 100 m/s^2 is four times Jupiter's (24.8) and ten times Earth's; the contact model is
# tuned for everyday weights on a floor, and a larger pull crushes things into it.
MAX_GRAVITY_M_S2 = 100.0
# Entity mass: from 10 mg (a grain of rice; a feather is 500 mg) to 100 t (a lorry, the
# heaviest thing a clip would show). Lighter bodies get inertias near MuJoCo's minimum (1e-15)
# and a mass ratio over 1e10 to the heaviest, where the contact solver loses precision.
MIN_MASS_KG, MAX_MASS_KG = 1e-5, 1e5
# Entity scale: 1/20 to 20 times the asset's size (a 12 mm marble to a 5 m ball).
MIN_SCALE, MAX_SCALE = 0.05, 20.0
# Speed an action gives (push, roll, kick, slide): a hard kick or throw. physics.actions refuses
# ballistic launches over 60 m/s.
MAX_ACTION_SPEED_M_S = 50.0
# Backspin or topspin of a throw or kick: about a pitched baseball's (2,000 rpm).
MAX_BALL_SPIN_RAD_S = 200.0
# A pull's steady force: a winch hauling a car (10 kN accelerates a tonne at 1 g).
MAX_PULL_FORCE_N = 1.0e4
# Physics steps a second: under 100 Hz a falling ball moves centimetres a step and passes
# through thin things; over 20 kHz a one-minute clip is more than a million steps.
MIN_PHYSICS_RATE, MAX_PHYSICS_RATE = 100, 20_000
# A direction's length does not matter, only where it points; its components stay under this so
# that its length can be computed (1e200 squared overflows to inf).
MAX_DIRECTION = 1e6
# Times in a Scene (`at`, `delay`) are clip seconds: nothing happens after the longest clip.
MAX_TIME_S = MAX_DURATION_S
