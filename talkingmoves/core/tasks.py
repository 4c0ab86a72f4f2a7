import socket

from celery import shared_task
from django.core.management import call_command

from .services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=True)
def record_worker_heartbeat(self):
    hostname = self.request.hostname or socket.gethostname()
    worker_heartbeat_record(hostname=hostname)


@shared_task(ignore_result=True)
def clear_expired_sessions():
    call_command("clearsessions")
