"""Simulation engines shared by labs and `perfcoach sim`: pure computation, no UI imports.

Each engine takes the learner's (or a reference) implementation as a plain callable and
returns numbers a bench can grade and a lesson can quote, so a lab and a free-standing
simulation always measure the same thing the same way.
"""
