"""Where the files the pages need are: shipped in the package, so a page
loads nothing from elsewhere.  Imports nothing (`cz serve` reads it before it
knows whether the web extra is installed)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"  # Jinja templates
STATIC = HERE / "static"  # stylesheet, script, icon
