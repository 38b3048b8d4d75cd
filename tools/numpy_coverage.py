"""Write docs/numpy_coverage.md and print how many NumPy names steepest.numpy rules, passes
through or refuses; exit status 1 when a NumPy name is in none of the classes.

Usage: python tools/numpy_coverage.py [docs/numpy_coverage.md]
"""

import sys

from steepest.autodiff.numpy.coverage import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
