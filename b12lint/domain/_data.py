"""Bytes of the code tables shipped in ``b12lint/domain/data`` (read lazily, zip-safe)."""


def read_data(name: str) -> bytes:
    """The content of ``data/<name>`` beside this package.

    Uses :func:`pkgutil.get_data` (the package's own loader, so it also works from a zip);
    imported here because importing :mod:`importlib.resources` costs ≈15 ms.
    """
    import pkgutil

    data = pkgutil.get_data(__package__ or "b12lint.domain", f"data/{name}")
    if data is None:
        raise FileNotFoundError(f"b12lint.domain data file missing: {name}")
    return data
