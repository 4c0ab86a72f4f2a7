from celery import shared_task

from . import digest


@shared_task(ignore_result=True)
def send_partnership_digests():
    digest.send_all_digests()
