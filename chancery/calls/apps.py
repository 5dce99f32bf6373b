from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "chancery.calls"
    label = "calls"
    verbose_name = "Calls for applications"

    def ready(self) -> None:
        from chancery.accounts.adapter import open_signup_when
        from chancery.calls.views import signup_call

        open_signup_when(signup_call)  # sign-up opens from an open call's Apply
