"""``python -m corridorsim``."""

import sys

from corridorsim.cli import main

sys.exit(main())
