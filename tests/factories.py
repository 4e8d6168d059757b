"""Small tables that several test modules build (import with ``from factories import ...``).

Add a factory here when a second test module needs the same table; keep each one tiny and
deterministic.
"""

from __future__ import annotations
