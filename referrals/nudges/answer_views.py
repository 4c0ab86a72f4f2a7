"""The public page a service user reaches from a message link. (Being built.)"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404


@login_not_required
def answer(request, token):
    raise Http404
