#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading the settings validates the environment
    except ImproperlyConfigured as error:
        # One line naming the variable, not a traceback, when a deploy is misconfigured.
        sys.exit(f"TalkingMoves cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
