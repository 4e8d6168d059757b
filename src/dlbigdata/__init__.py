"""Helper package of the book *Deep Learning and Big Data Analysis, hands-on*.

Chapters show the ideas; the plumbing they share lives here, one module per theme:

- :mod:`dlbigdata.datasets`: every data set of the book, offline, by name;
- :mod:`dlbigdata.reproducibility`: one call to seed everything;
- :mod:`dlbigdata.plotting`: the house style for figures;
- :mod:`dlbigdata.checks`: answer checks with hints for the exercises;
- :mod:`dlbigdata.benchmark`: wall time and memory of every notebook.
"""

from dlbigdata.datasets import available, catalogue, load
from dlbigdata.reproducibility import seed_everything, seed_from_environment

__version__ = "0.1.0"
__all__ = ["available", "catalogue", "load", "seed_everything", "seed_from_environment"]
