"""Strict table readers shared by every manifest: unknown, missing or mistyped keys are errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from perfcoach.catalog.errors import CatalogError


def read_text(path: Path) -> str:
    """A pack file's text, with I/O and encoding problems as CatalogError."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(path, f"cannot read file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CatalogError(path, "is not UTF-8 text") from None


def load_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning I/O and syntax problems into CatalogError."""
    return parse_toml(path, read_text(path))


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """Parse TOML text that came from path."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(path, f"invalid TOML: {exc}") from None


class Table:
    """A TOML table read key by key; finish() rejects any key nobody asked for."""

    def __init__(self, path: Path, data: Any, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise CatalogError(path, "must be a table", prefix.rstrip(".") or None)
        self.path = path
        self.data = data
        self.prefix = prefix
        self._seen: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        """The value of key, checked against kind; missing keys need a default."""
        self._seen.add(key)
        if key not in self.data:
            if default is ...:
                raise CatalogError(self.path, "is missing", self._key(key))
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise CatalogError(self.path, f"must be {_kind_name(kinds)}", self._key(key))
        if not isinstance(value, kinds):
            raise CatalogError(self.path, f"must be {_kind_name(kinds)}", self._key(key))
        return value

    def text(self, key: str, default: Any = ...) -> str:
        """A non-empty string."""
        value = self.get(key, str, default)
        if isinstance(value, str) and not value.strip() and default is ...:
            raise CatalogError(self.path, "must not be empty", self._key(key))
        return value

    def strings(self, key: str, default: Any = ...) -> list[str]:
        """A list of non-empty strings."""
        value = self.get(key, list, default)
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise CatalogError(
                    self.path, "must be a non-empty string", self._key(f"{key}[{i}]")
                )
        return list(value)

    def tables(self, key: str, default: Any = ...) -> list[Table]:
        """An array of tables, each strict in turn."""
        value = self.get(key, list, default)
        return [Table(self.path, item, self._key(f"{key}[{i}].")) for i, item in enumerate(value)]

    def fail(self, key: str, problem: str) -> CatalogError:
        """An error about key, for checks beyond type."""
        return CatalogError(self.path, problem, self._key(key))

    def finish(self) -> None:
        """Reject keys that were never read: a typo must not be silently ignored."""
        unknown = sorted(set(self.data) - self._seen)
        if unknown:
            raise CatalogError(self.path, "is not a known key", self._key(unknown[0]))


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)
