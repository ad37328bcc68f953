"""The build state, out/.build-state.json: what the last builds into out/ were made from.

{"inputs": digest of everything the last fully successful build read (the no-op check),
 "targets": {path: fingerprint of the inputs of the file now at that path}}.
It is published with the files it describes, in the same transaction (digin/publish.py).
"""
from __future__ import annotations

import json
from pathlib import Path

STATE = ".build-state.json"


def read_state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
        if isinstance(state.get("targets"), dict) and isinstance(state.get("inputs"), str):
            return state
    except (OSError, ValueError, AttributeError):
        pass
    return {"inputs": "", "targets": {}}


def state_json(inputs: str, targets: dict[str, str]) -> bytes:
    return (json.dumps({"inputs": inputs, "targets": dict(sorted(targets.items()))}, indent=1) + "\n").encode()
