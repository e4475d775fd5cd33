"""``python -m b12lint.spark``: see :mod:`b12lint.spark.submit`."""

import sys

from b12lint.spark.submit import main

sys.exit(main())
