"""Allow ``python -m influence_kit``."""

import sys

from .cli.main import main

sys.exit(main())
