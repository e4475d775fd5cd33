"""Policy refresh from the official files: parsers for the published layouts (NCCI PTP and
MUE, ICD-10-CM order file, HCPCS quarterly file, FDA NDC directory) and ``b12lint data
import | list | diff`` over a pack's dated tables. Between the engine (packs, data tables)
and the CLI: it reads packs with the engine and never touches claims.
"""

from b12lint.policy.errors import LayoutError, PackImportError
from b12lint.policy.importer import KINDS, ImportResult, run_import

__all__ = ["KINDS", "ImportResult", "LayoutError", "PackImportError", "run_import"]
