"""What each asset is, in WordNet's terms (`senses.yaml`): how the director finds the asset
nearest in meaning to a noun the registry does not name."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import yaml

from worldreel.assets.registry import ASSETS

SENSES_FILE = Path(__file__).with_name("senses.yaml")


def _load() -> MappingProxyType:
    table = yaml.safe_load(SENSES_FILE.read_text(encoding="utf-8"))
    unknown = sorted(set(table) - set(ASSETS))
    missing = sorted(set(ASSETS) - set(table))
    if unknown or missing:  # a registry change must say what the new asset is
        raise ValueError(f"{SENSES_FILE.name}: unknown assets {unknown}, assets without an "
                         f"entry {missing}")
    return MappingProxyType({name: tuple(senses or ()) for name, senses in table.items()})


ASSET_SENSES: MappingProxyType = _load()
