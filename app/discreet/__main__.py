"""`python -m discreet`: the `discreet` command, with its exit status."""

import sys

from discreet.cli.main import main

sys.exit(main())
