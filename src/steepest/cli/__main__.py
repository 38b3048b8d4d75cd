"""``python -m steepest.cli``: the same as the ``steepest`` console script."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
