import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.production")

application = get_wsgi_application()

# Everything loaded at startup (modules, URL patterns, templates) lives as long as the
# process: moved out of the collector's view, so a full collection in a request does not
# walk ~150,000 objects that can never be garbage (docs/performance.md).
gc.collect()
gc.freeze()
