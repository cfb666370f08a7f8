"""perfcoach: learn performance and scalability engineering by doing."""

__version__ = "0.1.0"
