"""Animation: rigs, motion clips, locomotion, inverse kinematics and look-at, turning each
character's script into joint and face-unit tracks that physics plays."""
