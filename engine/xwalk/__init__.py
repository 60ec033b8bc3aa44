"""xwalk: a knowledge graph and crosswalk engine across AI-governance standards."""

from xwalk.core.errors import XwalkError

__version__ = "0.1.0"
__all__ = ["XwalkError", "__version__"]
