"""The Recording: what physics observed, the single source of truth for picture and sound.

Plain data only (numpy arrays and frozen dataclasses). Render and audio read it; neither imports
the physics engine. Saved as a compressed .npz plus JSON for the events.
"""

from worldreel.recording.model import (ActionSpan, CameraTrack, CharacterTrack, ContactEvent,
                                       DentEvent, DoorEvent, FlockEvent, FlockTrack, Recording, SpeechSpan,
                                       VehicleTrack)
from worldreel.recording.io import load_recording, save_recording

__all__ = ["ActionSpan", "CharacterTrack", "CameraTrack", "ContactEvent", "DentEvent", "DoorEvent", "FlockEvent", "FlockTrack", "Recording", "SpeechSpan", "VehicleTrack", "load_recording", "save_recording"]
