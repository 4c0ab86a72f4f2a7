from django.shortcuts import render
from django.views.decorators.http import require_GET

from talkingmoves.accounts.permissions import Action, permission_required


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def listing_list(request):
    return render(request, "providers/list.html", {})
