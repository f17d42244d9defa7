import sys

from functions.tools.cli import main

sys.exit(main())
