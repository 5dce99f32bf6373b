"""The inbox of every signed-in user; the outbox and the switches of an office's officers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import is_officer
from chancery.core.access import allow, signed_in
from chancery.core.pagination import page_of
from chancery.notifications import kinds, queries, services
from chancery.notifications.models import MailStatus

PAGE_SIZE = 30


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _inbox_page(request, partial=True)
    return redirect("notifications:inbox")


def _inbox_page(request: HttpRequest, *, partial: bool = False) -> HttpResponse:
    queries.forget_unread_count(request.user)
    page = page_of(queries.inbox_of(request.user), request.GET.get("page"), PAGE_SIZE)
    template = "notifications/inbox_list.html" if partial else "notifications/inbox.html"
    return render(
        request,
        template,
        {
            "page": page,
            "notifications": page.items,
            "unread": queries.unread_count(request.user),
            "partial": partial,
        },
    )


@allow(signed_in)
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox_page(request)


@allow(signed_in)
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one of your notifications: marked read, then on to what it is about."""
    notification = get_object_or_404(queries.inbox_of(request.user), pk=pk)
    services.mark_read(user=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host(), *_site_hosts()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return render(request, "notifications/detail.html", {"notification": notification})


def _site_hosts() -> set[str]:
    from urllib.parse import urlsplit

    from django.conf import settings

    host = urlsplit(settings.SITE_URL).netloc
    return {host} if host else set()


@require_POST
@allow(signed_in)
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(queries.inbox_of(request.user), pk=pk)
    services.mark_read(user=request.user, notification=notification)
    return _back_to_inbox(request)


@require_POST
@allow(signed_in)
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return _back_to_inbox(request)


@allow(is_officer)
def outbox(request: HttpRequest) -> HttpResponse:
    """The office's mail that is not sent yet or was given up on, with the reason."""
    page = page_of(queries.outbox_problems(request.user), request.GET.get("page"), PAGE_SIZE)
    for mail in page.items:
        mail.kind_label = kinds.label(mail.kind) if mail.kind else ""
    any_failed = queries.outbox_visible_to(request.user).filter(status=MailStatus.FAILED).exists()
    return render(
        request,
        "notifications/outbox.html",
        {"page": page, "mails": page.items, "failed": MailStatus.FAILED, "any_failed": any_failed},
    )


@require_POST
@allow(is_officer)
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(queries.outbox_visible_to(request.user), pk=pk)
    try:
        services.retry_mail(actor=request.user, mail=mail)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The mail to %(address)s is queued to be sent again.") % {"address": mail.address},
        )
    return redirect("notifications:outbox")


@require_POST
@allow(is_officer)
def outbox_retry_failed(request: HttpRequest) -> HttpResponse:
    count = services.retry_failed(actor=request.user)
    messages.success(
        request, _("%(count)s failed mail(s) queued to be sent again.") % {"count": count}
    )
    return redirect("notifications:outbox")


@allow(is_officer)
def office_settings(request: HttpRequest) -> HttpResponse:
    """Which notifications each of the user's offices sends; officers switch them."""
    offices = list(queries.offices_managed_by(request.user).order_by("name_en"))
    if not offices:
        raise PermissionDenied(_("You are not an officer of any office."))
    chosen = request.POST.get("office") or request.GET.get("office")
    if chosen:
        office = next((o for o in offices if str(o.pk) == chosen), None)
        if office is None:
            raise Http404(_("There is no office #%(office)s you manage.") % {"office": chosen})
    else:
        office = offices[0]
    switchable = kinds.switchable()
    if request.method == "POST":
        wanted = set(request.POST.getlist("enabled"))
        unknown = wanted - set(switchable)
        if unknown:
            messages.error(
                request,
                _("enabled: there is no notification called %(kind)s.")
                % {"kind": ", ".join(sorted(unknown))},
            )
            return redirect(f"{request.path}?office={office.pk}", status=303)
        for name in switchable:
            services.set_kind_enabled(
                actor=request.user, office=office, kind=name, enabled=name in wanted
            )
        messages.success(
            request, _("The notifications of %(office)s are saved.") % {"office": office}
        )
        return redirect(f"{request.path}?office={office.pk}")
    current = services.office_settings(office)
    rows = [
        {"name": name, "kind": kind, "enabled": current[name]} for name, kind in switchable.items()
    ]
    return render(
        request, "notifications/settings.html", {"offices": offices, "office": office, "rows": rows}
    )
