"""An 11-digit NDC that is a 10-digit NDC padded in the wrong place, and its right form.

A 10-digit NDC (4-4-2, 5-3-2 or 5-4-1) becomes the 11-digit 5-4-2 billing form by one zero
in front of its short segment: 4-4-2 at position 0, 5-3-2 at position 5, 5-4-1 at position 9.
Padding the wrong segment (a 4-4-2 code padded as 5-3-2) gives a different, usually
non-existent, 11-digit code. :func:`repaddings` lists the other 11-digit codes the same 10
digits could have become; the shipped product table or the chart's hyphenated NDC decides
which one was meant.
"""

from functools import lru_cache

from b12lint.domain.products import known_labeler_codes, lookup_ndc

__all__ = ["PAD_POSITIONS", "padding_matches", "repaddings", "same_ten_digits"]

#: Where the padding zero goes for each 10-digit shape: 4-4-2, 5-3-2, 5-4-1.
PAD_POSITIONS = (0, 5, 9)


def _is_ndc11(value: object) -> bool:
    return isinstance(value, str) and len(value) == 11 and value.isascii() and value.isdigit()


@lru_cache(maxsize=1024)
def _repaddings(ndc11: str) -> tuple[str, ...]:
    found: list[str] = []
    for pad in PAD_POSITIONS:
        if ndc11[pad] != "0":
            continue
        ten = ndc11[:pad] + ndc11[pad + 1 :]
        for other in PAD_POSITIONS:
            candidate = ten[:other] + "0" + ten[other:]
            if candidate != ndc11 and candidate not in found:
                found.append(candidate)
    return tuple(sorted(found))


def repaddings(ndc11: object) -> tuple[str, ...]:
    """The other 11-digit codes that the same 10-digit NDC would give if padded elsewhere
    (sorted); empty for anything but 11 ASCII digits."""
    return _repaddings(ndc11) if _is_ndc11(ndc11) else ()


def same_ten_digits(left: object, right: object) -> bool:
    """Whether two different 11-digit NDCs are the same 10-digit NDC padded in two places."""
    if not (_is_ndc11(left) and _is_ndc11(right)):
        return False
    return right in _repaddings(left)


def padding_matches(ndc11: object) -> tuple[str, ...]:
    """The re-paddings of ``ndc11`` that name a product of the shipped table, when ``ndc11``
    itself is not in the table (else empty).

    When the labeler segment of ``ndc11`` is a known labeler's, only re-paddings that keep it
    count (5-3-2 and 5-4-1 confused): that labeler's code read as another labeler's is more
    likely one of its products the table lacks.
    """
    if not _is_ndc11(ndc11) or lookup_ndc(ndc11) is not None:
        return ()
    code: str = ndc11  # type: ignore[assignment]
    known = code[:5] in known_labeler_codes()
    return tuple(
        c
        for c in _repaddings(code)
        if lookup_ndc(c) is not None and (not known or c[:5] == code[:5])
    )
