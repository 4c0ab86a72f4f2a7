"""The clinician's task list, and marking a task done (POST, then back to the list)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from referrals.worklist import selectors, services
from referrals.worklist.forms import TaskFilterForm
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write_many

TASKS_PER_PAGE = 50


@require_GET
@permission_required(Action.VIEW_SERVICE_USERS)
def task_list(request):
    form = TaskFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    tasks = selectors.tasks_for(request.user, show=filters.get("show") or "")
    if filters.get("person"):
        tasks = tasks.filter(service_user__public_id=filters["person"])
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    people = {task.service_user.pk: task.service_user for task in page}
    if people:
        access_log_write_many(
            action=AccessAction.VIEW,
            objects=list(people.values()),
            actor=request.user,
            path=request.path,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/worklist/task_list.html",
        {"form": form, "page": page, "tasks": list(page), "query_string": query.urlencode()},
    )


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def task_done(request, public_id):
    task = selectors.task_for(request.user, public_id)
    if task is None:
        raise Http404
    services.task_done(task=task, by=request.user, path=request.path)
    messages.success(request, "Task marked as done")
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect(reverse("referrals:tasks"))
