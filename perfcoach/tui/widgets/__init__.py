"""Widgets shared by perfcoach's screens."""
