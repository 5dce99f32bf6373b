"""Forms of the draw pages: lists as one entry per line, sources as a small formset."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.core.widgets import DateInput
from chancery.draws import lottery
from chancery.draws.models import Algorithm, Draw, DrawKind

LINES = forms.Textarea(attrs={"rows": 8})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class DrawForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DrawKind.choices)
    algorithm = forms.ChoiceField(
        label=_("Algorithm"), choices=Algorithm.choices, initial=Algorithm.SHA256
    )
    left_label = forms.CharField(
        label=_("Left list is"),
        max_length=60,
        required=False,
        help_text=_("For a pairing, e.g. Schools."),
    )
    left = forms.CharField(label=_("Left list (one per line)"), widget=LINES, required=False)
    right_label = forms.CharField(
        label=_("Right list is"),
        max_length=60,
        required=False,
        help_text=_("For a pairing, e.g. Embassies."),
    )
    right = forms.CharField(label=_("Right list (one per line)"), widget=LINES, required=False)
    pool = forms.CharField(
        label=_("Pool (one per line)"),
        widget=LINES,
        required=False,
        help_text=_("For a selection or an ordering."),
    )
    k = forms.IntegerField(
        label=_("How many to select"), min_value=0, max_value=1_000_000, required=False
    )

    @classmethod
    def for_draw(cls, draw: Draw) -> "DrawForm":
        return cls(
            initial={
                "title": draw.title,
                "kind": draw.kind,
                "algorithm": draw.algorithm,
                "left_label": draw.left_label,
                "right_label": draw.right_label,
                "left": "\n".join(draw.left),
                "right": "\n".join(draw.right),
                "pool": "\n".join(draw.pool),
                "k": draw.k,
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        for name in ("left", "right", "pool"):
            data[name] = _lines(data.get(name) or "")
        if kind == DrawKind.PAIR:
            for name in ("left", "right"):
                if not data[name]:
                    self.add_error(name, _("A pairing needs both lists."))
        elif kind in (DrawKind.SELECT, DrawKind.ORDER) and not data["pool"]:
            self.add_error("pool", _("Give the pool, one entry per line."))
        if kind == DrawKind.SELECT and data.get("k") is None:
            self.add_error("k", _("Say how many to select."))
        return data


class SourceForm(forms.Form):
    name = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("e.g. the national lottery draw of 26 October"),
    )
    form = forms.ChoiceField(
        label=_("Form of its value"),
        initial="numbers",
        choices=[("numbers", _("numbers")), ("text", _("text"))],
    )
    known_on = forms.DateField(label=_("Becomes known on"), widget=DateInput())
    description = forms.CharField(label=_("How to find it"), max_length=500, required=False)

    def as_source(self) -> dict[str, str]:
        data = self.cleaned_data
        source = {
            "name": data["name"],
            "form": data["form"],
            "known_on": data["known_on"].isoformat(),
        }
        if data.get("description"):
            source["description"] = data["description"]
        return source


SourceFormSet = forms.formset_factory(
    SourceForm, extra=0, min_num=1, validate_min=True, max_num=10, validate_max=True
)


def source_formset(draw: Draw | None = None, data: Any = None) -> Any:
    """The sources formset, filled from a draft's sources."""
    initial = [dict(source) for source in (draw.sources if draw else [])] or None
    formset = SourceFormSet(data, initial=initial, prefix="sources")
    if data is None and not initial:
        formset.extra = 2
    return formset


class ConductForm(forms.Form):
    """One field per announced source, in the announced order."""

    def __init__(self, *args: Any, draw: Draw, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, source in enumerate(draw.published["sources"]):
            help_text = (
                _("Numbers separated by spaces, e.g. 9 18 26 34 41 45")
                if source["form"] == "numbers"
                else _("The text as published")
            )
            self.fields[f"value_{index}"] = forms.CharField(
                label=source["name"], max_length=2000, help_text=help_text
            )

    def values(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


class RedrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for the re-draw"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# lottery.read_record's reasons for refusing a record, worded for the page.
READ_ERRORS = {
    "syntax": _("This is not valid JSON (line %(line)s, column %(column)s): %(message)s"),
    "duplicate": _("The record is ambiguous: the key “%(key)s” appears twice in one object."),
    "constant": _("The record contains %(constant)s, which is not a JSON number."),
    "number": _("The record contains a number too long to read."),
    "depth": _(
        "The record's arrays and objects are nested too deeply (a draw record needs "
        "at most %(limit)s levels)."
    ),
}


class VerifyForm(forms.Form):
    record = forms.CharField(
        label=_("Draw record (JSON)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=5_000_000,
    )

    def clean_record(self) -> Any:
        try:
            return lottery.read_record(self.cleaned_data["record"])
        except lottery.RecordReadError as error:
            message = READ_ERRORS.get(error.code)
            if message is None:
                raise forms.ValidationError(str(error)) from None
            raise forms.ValidationError(message, params=dict(error.params)) from None

    def problems(self) -> list[lottery.Problem]:
        return lottery.verify_record(self.cleaned_data["record"])
