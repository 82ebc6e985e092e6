from django.apps import AppConfig
from django.db.backends.signals import connection_created


class FinsamConfig(AppConfig):
    name = "finsam"
    verbose_name = "Organisation"

    def ready(self):
        from finsam.postgres import read_timestamps_compiled

        connection_created.connect(read_timestamps_compiled, dispatch_uid="finsam.postgres")
