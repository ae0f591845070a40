"""What a domain contributes to the application, declared in one small place.

Each domain package has a `domain.py` with one `DOMAIN = Domain(...)` naming the modules that
hold its tables, its JSON API routers, its page routers, its scheduled jobs and anything to warm
up at start-up. The composition root (`riskgate.composition`) lists the domains in loop order and
installs them; the application factory, the worker, the CLI and the tests all read them from
there, so a new domain is one line in one list, not an edit in five places.

Modules are named, not imported, here: the CLI loads the models and jobs without paying for
every page router and template, and the application imports the routers when it is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Domain:
    """One domain's contributions (dotted module names)."""

    name: str
    models: tuple[str, ...] = ()
    """Modules defining its tables (imported before anything touches the metadata)."""
    api: tuple[str, ...] = ()
    """Modules with a `router` of JSON API routes (`module:name` for another name)."""
    pages: tuple[str, ...] = ()
    """Modules with a `router` of HTML page routes (console and portal; `module:name` too)."""
    jobs: tuple[str, ...] = ()
    """Modules whose import registers scheduled jobs (`core.schedule.scheduled`)."""
    warm_up: tuple[str, ...] = ()
    """`module:function` callables run once when the web application starts."""
    large_bodies: tuple[str, ...] = ()
    """Paths of bulk endpoints allowed the larger body limit (`max_batch_body_bytes`)."""
    sections: tuple[tuple[str, str], ...] = ()
    """(page, template): sections it adds to an earlier stage's page, e.g. linkage's
    `("record", "console/clusters/_record_cluster_section.html")` on the record page. The page
    includes each with its object; the section loads its content from its own domain's route."""
    template_globals: tuple[str, ...] = ()
    """`module:name` of dicts (name → function) every page template may call, e.g. catalog's
    `code_label`; the composition root installs them in the page kit's environment."""
    demo: tuple[str, ...] = ()
    """`module:function` loaders of its demo data, run by `riskgate load-demo` in loop order."""
    audit_labels: tuple[str, ...] = ()
    """`module:name` of dicts (audit action or object type → msgid) that label its audit rows."""


class NotInstalled(RuntimeError):
    """The domains were read before the composition root installed them."""


_domains: tuple[Domain, ...] | None = None


def install(domains: Iterable[Domain]) -> None:
    """Install the application's domains, in loop order (the composition root does)."""
    global _domains
    listed = tuple(domains)
    names = [d.name for d in listed]
    if len(set(names)) != len(names):
        raise ValueError(f"a domain is listed twice: {names}")
    _domains = listed


def installed() -> tuple[Domain, ...]:
    if _domains is None:
        raise NotInstalled("no domains installed: call riskgate.composition.wire() first")
    return _domains


def modules(kind: str, domains: Iterable[Domain] | None = None) -> Iterator[ModuleType]:
    """Import and yield the modules of one kind (`models`, `jobs`), in order."""
    for domain in installed() if domains is None else domains:
        for name in getattr(domain, kind):
            yield importlib.import_module(name.partition(":")[0])


def resolve(kind: str, default: str | None = None,
            domains: Iterable[Domain] | None = None) -> list[Any]:
    """The objects named by one kind of entry, in order: `module:name`, or `module` and
    `default` (`resolve("api", "router")` gives every API router)."""
    found = []
    for domain in installed() if domains is None else domains:
        for entry in getattr(domain, kind):
            module_name, _sep, attribute = entry.partition(":")
            name = attribute or default
            if name is None:
                raise ValueError(f"{domain.name}: {kind} entry {entry!r} names no attribute")
            found.append(getattr(importlib.import_module(module_name), name))
    return found


def sections(page: str) -> list[str]:
    """The templates the installed domains add to `page`, in loop order."""
    return [template for d in installed() for where, template in d.sections if where == page]


def callables(kind: str, domains: Iterable[Domain] | None = None) -> list[Callable[[], Any]]:
    """The `module:function` entries of `warm_up`, resolved."""
    return resolve(kind, None, domains)
