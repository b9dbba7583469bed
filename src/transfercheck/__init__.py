"""transfercheck: universal background checks for firearm transfers."""

__version__ = "0.1.0"
