"""The one Jinja2 environment of the server-rendered pages."""

from __future__ import annotations

from importlib import resources

from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=str(resources.files(__package__) / "templates"))
