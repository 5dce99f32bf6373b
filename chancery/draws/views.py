"""Draw pages: officers prepare, announce and conduct; everyone reads and verifies."""

import json
from itertools import zip_longest
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import is_officer
from chancery.core.access import allow, public
from chancery.core.confirm import confirmation_step, is_confirmed
from chancery.core.forms import add_service_errors
from chancery.core.pagination import page_of
from chancery.core.views_support import get_or_404
from chancery.directory.queries import offices_of
from chancery.draws import lottery, queries, services, wording
from chancery.draws.forms import ConductForm, DrawForm, RedrawForm, VerifyForm, source_formset
from chancery.draws.models import Draw, DrawStatus

VERIFIER = Path(lottery.__file__)


@public
def draw_list(request: HttpRequest) -> HttpResponse:
    draws = queries.draws_visible_to(request.user).select_related("owner", "redraw_of")
    return render(
        request,
        "draws/draw_list.html",
        {
            "page": page_of(draws, request.GET.get("page"), 25),
            "can_create": is_officer(request.user),
        },
    )


@public
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draws = queries.draws_visible_to(request.user).select_related("owner", "redraw_of")
    draw = get_or_404(draws, pk)
    manageable = queries.draws_managed_by(request.user).filter(pk=pk).exists()
    values = (draw.record or {}).get("values") or []
    return render(
        request,
        "draws/draw_detail.html",
        {
            "draw": draw,
            "left_label": wording.list_label(draw.left_label, "left"),
            "right_label": wording.list_label(draw.right_label, "right"),
            "source_rows": list(zip_longest(draw.sources, values[: len(draw.sources)])),
            "manageable": manageable,
            "problems": [wording.problem(found) for found in queries.verification(draw)],
            "record_json": json.dumps(draw.record, ensure_ascii=False, indent=2)
            if draw.record
            else "",
            "redraws": draw.redraws.exclude(status=DrawStatus.DRAFT),
        },
    )


@public
def draw_record(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_or_404(queries.draws_visible_to(request.user), pk)
    if draw.record is None:
        raise Http404
    response = JsonResponse(
        queries.public_record(draw), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
    return response


@public
def verifier_script(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lottery.py"'
    return response


@public
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        problems = [wording.problem(found) for found in form.problems()]
    status = 422 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "draws/verify.html", {"form": form, "problems": problems}, status=status)


def _draft_page(request: HttpRequest, draw: Draw | None) -> HttpResponse:
    form = (
        DrawForm(request.POST)
        if request.method == "POST"
        else (DrawForm.for_draw(draw) if draw else DrawForm())
    )
    sources = source_formset(draw, request.POST if request.method == "POST" else None)
    offices = offices_of(request.user)
    if request.method == "POST" and form.is_valid() and sources.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in services.DRAFT_FIELDS
            if name in form.cleaned_data
        }
        fields["sources"] = [f.as_source() for f in sources.forms if f.cleaned_data]
        try:
            if draw is None:
                owner = offices.first()
                if owner is None:
                    raise ValidationError(_("You are not an officer of any office."))
                draw = services.create_draw(actor=request.user, owner=owner, **fields)
            else:
                draw = services.update_draw(actor=request.user, draw=draw, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("draws:detail", pk=draw.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "draws/draw_form.html",
        {"form": form, "sources": sources, "draw": draw},
        status=status,
    )


@allow(is_officer)
def draw_create(request: HttpRequest) -> HttpResponse:
    return _draft_page(request, None)


@allow(is_officer)
def draw_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_or_404(queries.draws_managed_by(request.user), pk)
    if draw.status != DrawStatus.DRAFT:
        messages.error(request, _("This draw is announced: nothing in it can change any more."))
        return redirect("draws:detail", pk=pk)
    return _draft_page(request, draw)


@allow(is_officer)
@require_POST
def draw_announce(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_or_404(queries.draws_managed_by(request.user), pk)
    try:
        services.announce_draw(actor=request.user, draw=draw)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The draw is announced and its fingerprint published."))
    return redirect("draws:detail", pk=pk)


@allow(is_officer)
@require_POST
def draw_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_or_404(queries.draws_managed_by(request.user), pk)
    step = confirmation_step(
        request,
        title=_("Delete the draft “%(title)s”?") % {"title": draw.title},
        consequence=_("The draft and its lists are deleted. This cannot be undone."),
        action=_("Delete the draft"),
        cancel_url=reverse("draws:detail", args=[pk]),
    )
    if step is not None:
        return step
    try:
        services.delete_draft(actor=request.user, draw=draw)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("draws:detail", pk=pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("draws:list")


@allow(is_officer)
def draw_conduct(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_or_404(queries.draws_managed_by(request.user), pk)
    if draw.status != DrawStatus.ANNOUNCED:
        messages.error(request, _("Only an announced draw that has not run yet can be conducted."))
        return redirect("draws:detail", pk=pk)
    form = ConductForm(request.POST or None, draw=draw)
    if request.method == "POST" and form.is_valid():
        try:
            services.conduct_draw(actor=request.user, draw=draw, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draw is conducted and its result published."))
            return redirect("draws:detail", pk=pk)
    return render(
        request,
        "draws/conduct.html",
        {"form": form, "draw": draw},
        status=422 if request.method == "POST" else 200,
    )


@allow(is_officer)
def draw_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_or_404(queries.draws_managed_by(request.user), pk)
    form = RedrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and is_confirmed(request):
        try:
            redraw = services.order_redraw(
                actor=request.user, draw=draw, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("A re-draw is prepared: name its sources, then announce."))
            return redirect(reverse("draws:edit", args=[redraw.pk]))
    return render(
        request,
        "draws/redraw.html",
        {"form": form, "draw": draw},
        status=422 if request.method == "POST" else 200,
    )
