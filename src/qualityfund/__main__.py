"""The ``qualityfund`` console script: the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityfund.settings")
    from django.core.management import execute_from_command_line

    from qualityfund.secret import MissingSecretKey

    try:
        execute_from_command_line(sys.argv)
    except MissingSecretKey as exc:
        sys.exit(f"qualityfund: {exc}")


if __name__ == "__main__":
    main()
