"""Local Sphinx extension: three fixes to the book's HTML that the configuration does not reach.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.

1. **Each inline script once.** Sphinx 7.4 registers a script that an extension adds after
   the builder started (``app.add_js_file(None, body=...)``, as sphinx-thebe does for its
   ``const THEBE_JS_URL`` and sphinx-togglebutton for its selector) under the file name
   ``None``, then adds it again under ``''`` when writing starts; the two do not compare
   equal, so every page declared ``THEBE_JS_URL`` twice and the browser reported
   ``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared``. The page context
   keeps the first of each script.
2. **Unique HTML ids.** sphinx-exercise gives the body of every exercise and solution the
   same id (``exercise-content``, ``solution-content``), so a chapter with five exercises
   held five elements with one id. Each body gets an id made from its directive's label
   (``<label>-content``) and keeps the old id as a class, a hook for styles.
3. **A valid colour mode.** pydata-sphinx-theme reads the page's colour mode from the template
   context (``html_context["default_mode"]``); left unset, the page holds an empty mode and
   its script logs ``Got invalid theme mode: . Resetting to auto.`` on every first visit. The
   handler sets ``light`` (the figures are drawn on white) unless the book sets a mode.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

SHARED_IDS = ("exercise-content", "solution-content")


def script_key(script: Any) -> tuple[str, int, tuple[tuple[str, str], ...]]:
    """The identity of a script entry: its file (``None`` counts as ``''``), priority, attributes.

    Parameters
    ----------
    script
        An entry of a page's ``script_files`` (Sphinx's ``_JavaScript``, or a plain file name).

    Returns
    -------
    tuple
        The file name, the priority and the sorted attributes (the body among them).
    """
    if isinstance(script, str):
        return script, 500, ()
    attributes = tuple(sorted((str(k), str(v)) for k, v in script.attributes.items()))
    return script.filename or "", script.priority, attributes


def unique_scripts(scripts: list[Any]) -> list[Any]:
    """The scripts in their order, each one once (its first occurrence).

    Parameters
    ----------
    scripts
        A page's ``script_files``.

    Returns
    -------
    list
        The same entries without repeats.
    """
    seen: set[tuple[str, int, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def drop_repeated_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Keep each script of a page once (``html-page-context`` handler)."""
    scripts = context.get("script_files")
    if scripts:
        scripts[:] = unique_scripts(list(scripts))


def give_exercise_bodies_unique_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rename the shared ids of exercise and solution bodies (``doctree-resolved`` handler)."""
    taken = {i for node in doctree.findall(nodes.Element) for i in node["ids"]}
    count = 0
    for section in doctree.findall(nodes.section):
        shared = [i for i in section["ids"] if i in SHARED_IDS]
        if not shared:
            continue
        labels = section.parent["ids"] if isinstance(section.parent, nodes.Element) else []
        count += 1
        new_id = nodes.make_id(f"{labels[0]}-content") if labels else f"{shared[0]}-{count}"
        while new_id in taken:
            count += 1
            new_id = f"{shared[0]}-{count}"
        taken.add(new_id)
        section["ids"] = [new_id if i in SHARED_IDS else i for i in section["ids"]]
        section["classes"].extend(c for c in shared if c not in section["classes"])


def set_default_colour_mode(app: Sphinx, config: Any) -> None:
    """Give the theme a valid ``default_mode`` (``light``) unless the book sets one."""
    context = dict(config.html_context or {})
    if not context.get("default_mode"):
        context["default_mode"] = "light"
    config.html_context = context


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the three handlers."""
    app.connect("config-inited", set_default_colour_mode)
    app.connect("html-page-context", drop_repeated_scripts)
    app.connect("doctree-resolved", give_exercise_bodies_unique_ids)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
