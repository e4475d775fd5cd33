"""``python -m b12lint``."""

from b12lint.cli import main

if __name__ == "__main__":
    main()
