"""The ``influence-kit`` command line: one thin module per subcommand.

Each subcommand module offers ``register(subparsers)``, which adds its parser and
sets ``handler`` to a function ``run(args) -> int``. Handlers parse, call one
library function, and print JSON (``--json``) or a table on stdout; logs and
progress bars go to stderr. :mod:`influence_kit.cli.main` turns
:class:`~influence_kit.errors.InfluenceKitError` into one line and exit code 2.
"""
