import sys

from fzlint.cli import main

sys.exit(main())
