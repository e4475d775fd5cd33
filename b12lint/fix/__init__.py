"""``b12lint fix``: apply the safe fixes of findings to a copy of the input records.

``pointer`` applies RFC 6901 JSON Pointers, ``plan`` chooses the changes from findings
(safe only, one value per pointer), ``document`` reads and writes native record files keeping
what it does not change. Imports only the model and :mod:`b12lint.safeyaml`.
"""

from b12lint.fix.document import Document, DocumentError, load_document
from b12lint.fix.plan import Change, FixPlan, plan_fixes
from b12lint.fix.pointer import PointerError, get_pointer, parse_pointer, set_pointer

__all__ = [
    "Change",
    "Document",
    "DocumentError",
    "FixPlan",
    "PointerError",
    "get_pointer",
    "load_document",
    "parse_pointer",
    "plan_fixes",
    "set_pointer",
]
