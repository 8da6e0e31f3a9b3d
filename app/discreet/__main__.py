import sys

from discreet.cli.main import main

sys.exit(main())
