"""The demo contest: `flask --app contest demo` (see seed.py) with essays from generator.py."""
