"""`python -m discreet.gui`: the desktop app, as the `discreet-gui` command starts it."""

import sys

from discreet.gui.app import main

sys.exit(main())
