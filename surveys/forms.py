"""Forms: one page of the survey, and the template editor's."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Answer, Priority, Question, Response, SurveyVersion

RANKS = (1, 2, 3)
RANK_LABELS = {1: _("Most important"), 2: _("Second"), 3: _("Third")}
TEXT_LIMIT = 2000


def field_name(question: Question, rank: int | None = None) -> str:
    return f"q_{question.key}" + (f"_{rank}" if rank else "")


class PageForm(forms.Form):
    """The questions on one page, filled in with the answers saved so far.

    ``relaxed`` (for "save and finish later") lets required questions stay empty.
    """

    def __init__(
        self,
        *args,
        questions: list[Question],
        response: Response | None = None,
        relaxed: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        priorities = list(Priority.objects.all())
        self.priorities = {str(p.pk): p for p in priorities}
        choices = [(str(p.pk), p.name) for p in priorities]
        saved = self._saved(response)
        for q in questions:
            required = q.required and not relaxed
            answer = saved.get(q.pk)
            if q.kind == Question.Kind.SCALE:
                labels = list(q.options) or [str(i) for i in range(1, 6)]
                self.fields[field_name(q)] = forms.TypedChoiceField(
                    label=q.text,
                    help_text=q.help_text,
                    choices=[(str(i), f"{labels[i - 1]}") for i in range(1, 6)],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    required=required,
                    initial=str(answer.scale_value) if answer and answer.scale_value else None,
                )
            elif q.kind == Question.Kind.SINGLE:
                self.fields[field_name(q)] = forms.ChoiceField(
                    label=q.text,
                    help_text=q.help_text,
                    choices=[(o["value"], o["label"]) for o in q.options],
                    widget=forms.RadioSelect,
                    required=required,
                    initial=answer.choice if answer else None,
                )
            elif q.kind == Question.Kind.MULTIPLE:
                self.fields[field_name(q)] = forms.MultipleChoiceField(
                    label=q.text,
                    help_text=q.help_text,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=required,
                    initial=[str(r.priority_id) for r in answer.rows] if answer else [],
                )
            elif q.kind == Question.Kind.RANKING:
                ranked = {r.rank: str(r.priority_id) for r in answer.rows} if answer else {}
                for rank in RANKS:
                    self.fields[field_name(q, rank)] = forms.ChoiceField(
                        label=RANK_LABELS[rank],
                        choices=[("", _("(none)")), *choices],
                        required=required and rank == 1,
                        initial=ranked.get(rank, ""),
                    )
            else:
                self.fields[field_name(q)] = forms.CharField(
                    label=q.text,
                    help_text=q.help_text,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    max_length=TEXT_LIMIT,
                    required=required,
                    initial=answer.text if answer else "",
                )

    @staticmethod
    def _saved(response: Response | None) -> dict[int, Answer]:
        if response is None:
            return {}
        answers = {a.question_id: a for a in response.answers.all()}
        for answer in answers.values():
            answer.rows = list(answer.priority_rows.all())
        return answers

    def clean(self):
        data = super().clean()
        for q in self.questions:
            if q.kind != Question.Kind.RANKING:
                continue
            picked = [data.get(field_name(q, rank)) for rank in RANKS]
            chosen = [p for p in picked if p]
            if len(set(chosen)) != len(chosen):
                raise ValidationError(
                    _("Choose each priority only once."), code="duplicate_priority"
                )
        return data

    def answers(self) -> dict[Question, object]:
        """The cleaned answers, as services.response_save_page takes them."""
        out: dict[Question, object] = {}
        for q in self.questions:
            if q.kind == Question.Kind.RANKING:
                picked = [self.cleaned_data.get(field_name(q, rank)) for rank in RANKS]
                out[q] = [self.priorities[p] for p in picked if p]
            elif q.kind == Question.Kind.MULTIPLE:
                out[q] = [self.priorities[p] for p in self.cleaned_data.get(field_name(q), [])]
            else:
                out[q] = self.cleaned_data.get(field_name(q))
        return out

    def groups(self) -> list[dict]:
        """Fields grouped by question, for the template (a ranking has three)."""
        groups = []
        for q in self.questions:
            if q.kind == Question.Kind.RANKING:
                fields = [self[field_name(q, rank)] for rank in RANKS]
            else:
                fields = [self[field_name(q)]]
            groups.append({"question": q, "fields": fields})
        return groups


# --- Template editor ------------------------------------------------------------------------


class VersionForm(forms.ModelForm):
    class Meta:
        model = SurveyVersion
        fields = ["title", "introduction", "thanks"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "thanks": forms.Textarea(attrs={"rows": 2}),
        }


class QuestionForm(forms.ModelForm):
    """A question; its options are written one per line (scale labels, lowest first)."""

    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "5-point scale: the five labels, lowest first, one per line. "
            "Single choice: one option per line. Others: leave empty."
        ),
    )

    class Meta:
        model = Question
        fields = ["key", "kind", "text", "help_text", "page", "order", "required"]

    def __init__(self, *args, version: SurveyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        if self.instance.pk:
            options = self.instance.options or []
            self.initial["options_text"] = "\n".join(
                o["label"] if isinstance(o, dict) else str(o) for o in options
            )

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = Question.objects.filter(version=self.version, key=key).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Another question in this version has this key."))
        return key

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("options_text", "").splitlines() if line.strip()]
        kind = data.get("kind")
        if kind == Question.Kind.SCALE:
            if lines and len(lines) != 5:
                self.add_error("options_text", _("A 5-point scale needs exactly five labels."))
            data["options"] = lines
        elif kind == Question.Kind.SINGLE:
            if len(lines) < 2:
                self.add_error("options_text", _("A single choice needs at least two options."))
            data["options"] = [
                {"value": f"o{i + 1}", "label": label} for i, label in enumerate(lines)
            ]
        else:
            data["options"] = []
        return data
