"""Every URL route of the project, and a path that resolves to each: the walks of
``test_isolation`` and ``test_roles`` ask every route, so a new route is covered the day it is
added."""

from dataclasses import dataclass

from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

METHODS = ("get", "post", "put", "patch", "delete")
UNSAFE = ("post", "put", "patch", "delete")
LOGIN_ROUTES = {"web:login", "admin:login"}


@dataclass(frozen=True)
class Route:
    name: str
    patterns: tuple
    callback: object

    @property
    def params(self) -> list[str]:
        return [p for pattern in self.patterns for p in _format(pattern)[1]]


def _format(pattern) -> tuple[str, list[str]]:
    """The reverse format string of one level of a URL pattern (django's own normaliser)."""
    return normalize(pattern.regex.pattern)[0]


def all_routes(resolver=None, patterns=(), namespace=None) -> list[Route]:
    """Every endpoint of the project's URLconf, with its namespaced name."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            found += all_routes(entry, (*patterns, entry.pattern), inner)
            continue
        chain = (*patterns, entry.pattern)
        if entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
        else:
            name = "/".join(str(p) for p in chain)
        found.append(Route(name, chain, entry.callback))
    return found


def build_url(route: Route, values: dict[str, list[str]]) -> str:
    """A path that resolves to ``route``, trying the candidates of ``values`` in order."""
    missing = [p for p in route.params if p not in values]
    assert not missing, f"{route.name}: give a value for the path parameter(s) {missing}"
    template = "/" + "".join(_format(pattern)[0] for pattern in route.patterns)
    candidates = [{}]
    for param in route.params:
        candidates = [{**c, param: v} for c in candidates for v in values[param]]
    for chosen in candidates:
        path = template % chosen
        try:
            match = resolve(path)
        except Resolver404:
            continue  # e.g. an app label without models in the admin: try the next value
        if match.func is route.callback:
            return path
    raise AssertionError(f"{route.name}: no parameter values resolve to this route")


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def is_login_redirect(client: Client, response) -> bool:
    """A redirect that ends, within a few hops, on a log-in page."""
    for _ in range(4):
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        path = response["Location"].split("?")[0]
        match = resolve(path)
        if match.view_name in LOGIN_ROUTES:
            return True
        response = client.get(path)
    return False
