"""The Textual face of perfcoach: the mastery path, lessons, labs and progress."""
