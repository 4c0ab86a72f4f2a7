from django.urls import path

from referrals.worklist import views

urlpatterns = [
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<uuid:public_id>/done/", views.task_done, name="task_done"),
]
