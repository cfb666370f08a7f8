"""Which editor to open a learner's file in, found the way git finds one."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping

FALLBACK_EDITORS = ("nano", "vi")


def find_editor(env: Mapping[str, str] | None = None) -> list[str] | None:
    """$VISUAL, then $EDITOR, then nano or vi on PATH: a learner with no editor set
    still gets one, as git does; None when there is none at all."""
    env = os.environ if env is None else env
    for variable in ("VISUAL", "EDITOR"):
        command = env.get(variable, "").strip()
        if command:
            return shlex.split(command)
    for name in FALLBACK_EDITORS:
        found = shutil.which(name, path=env.get("PATH", os.defpath))
        if found:
            return [found]
    return None
