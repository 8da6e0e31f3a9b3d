import sys

from discreet.gui.app import main

sys.exit(main())
