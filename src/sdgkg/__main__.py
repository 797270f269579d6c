"""``python -m sdgkg`` runs the CLI."""

from sdgkg.cli import main

main()
