"""Results for staff, within their scope: by area and quarter, trends, comments, CSV."""

from __future__ import annotations

import io

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessLog
from accounts.permissions import (
    areas_for,
    get_area_for_user,
    get_scoped_object_or_404,
    staff_required,
)
from accounts.services import access_log_for_request
from areas.models import Area, Street
from core import charts

from .. import export
from ..models import Answer, Question, Round, quarter_label
from ..redaction import redact
from ..results import SCALE_LABELS, results_for, rounds_up_to
from ..selectors import SCALE_KEYS
from ..templatetags.surveys import percent_points

LEVEL_ORDER = Case(
    When(level=Area.Level.FORCE, then=Value(0)),
    When(level=Area.Level.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
# As surveys/_value.html marks a hidden count.
HIDDEN = {"hidden_mark": "<10", "hidden_reason": gettext_lazy("Fewer than 10: not shown")}
NO_CHANGE = format_html('<span class="muted">{}</span>', "–")


def _areas(request: HttpRequest):
    return areas_for(request.user).annotate(rank=LEVEL_ORDER).order_by("rank", "name")


def _area(request: HttpRequest) -> Area:
    code = request.GET.get("area", "").strip()
    if code:
        return get_area_for_user(request.user, code)
    top = request.staff.areas.annotate(rank=LEVEL_ORDER).order_by("rank", "name").first()
    if top is None:
        raise Http404
    return top


def _round(request: HttpRequest) -> Round | None:
    label = request.GET.get("quarter", "").strip()
    rounds = list(Round.objects.order_by("-starts_on"))
    for r in rounds:
        if quarter_label(r.starts_on).replace(" ", "-") == label:
            return r
    if label:
        raise Http404
    return rounds[0] if rounds else None


def _trend_chart(results) -> charts.Chart:
    quarters = [q.published for q in results.trend]
    return charts.Chart(
        kind=charts.Kind.LINE,
        id="trend",
        title=_("Mean answers by quarter (1 = lowest, 5 = highest)"),
        description=_(
            "Four lines, one per question, over the quarters; vertical whiskers show "
            "95% confidence intervals; gaps are quarters with fewer than 10 answers. "
            "The table after the chart has the same numbers."
        ),
        caption=_("Trend data: mean (people answering)"),
        heading=_("Quarter"),
        rows=[charts.Row(q.label) for q in results.trend],
        columns=[
            charts.Column(
                _("Answered"),
                [None if p.respondents is None else str(p.respondents) for p in quarters],
            ),
            *(
                charts.Series(
                    str(SCALE_LABELS[key]),
                    [_mean_value(p.means[key]) for p in quarters],
                )
                for key in SCALE_KEYS
            ),
        ],
        scale=(1, 5),
        decimals=2,
        **HIDDEN,
    )


def _mean_value(mean) -> charts.Value:
    if not mean.shown:
        return charts.Value(None)
    return charts.Value(mean.mean, mean.low, mean.high, note=f"({mean.n})")


def _share_chart(chart_id: str, title: str, caption: str, shares, names: dict[str, str]):
    """Shown shares only: hidden ones are counted in a note under the table, not drawn."""
    shown = [s for s in shares if s.shown]
    if not shown:
        return None
    return charts.Chart(
        kind=charts.Kind.ROWS,
        id=chart_id,
        title=title,
        description=_("Share of respondents, largest first; the table after it has the numbers."),
        caption=caption,
        heading=_("Priority"),
        rows=[charts.Row(names.get(s.slug, s.slug)) for s in shown],
        columns=[
            charts.Column(_("People"), [str(s.count) for s in shown]),
            charts.Series(_("Share"), [charts.Value(s.share) for s in shown]),
            charts.Column(
                _("Change on previous quarter"),
                [NO_CHANGE if s.change is None else percent_points(s.change) for s in shown],
            ),
        ],
        scale=(0, 1),
        percent=True,
        **HIDDEN,
    )


@staff_required()
def results(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    street = None
    if request.GET.get("street"):
        if area.level != Area.Level.WARD or not request.GET["street"].isdigit():
            raise Http404
        street = get_scoped_object_or_404(
            Street.objects.filter(ward=area), request.user, pk=int(request.GET["street"])
        )
    round_ = _round(request)
    res = results_for(area=area, round_=round_, street=street)
    visible = set(areas_for(request.user).values_list("pk", flat=True))
    crumbs = []
    parent = area.parent
    while parent is not None:
        if parent.pk in visible:
            crumbs.insert(0, parent)
        parent = parent.parent
    context = {
        "area": area,
        "street": street,
        "round": round_,
        "results": res,
        "crumbs": crumbs,
        "areas": _areas(request),
        "rounds": Round.objects.order_by("-starts_on"),
        "quarter": quarter_label(round_.starts_on).replace(" ", "-") if round_ else "",
        "scale_labels": SCALE_LABELS,
        "scale_keys": SCALE_KEYS,
        "names": res.priority_names,
    }
    if res.current is not None:
        context["means"] = [(SCALE_LABELS[k], res.current.means[k]) for k in SCALE_KEYS]
        context["trend"] = _trend_chart(res)
        context["priority_chart"] = _share_chart(
            "priorities", _("Top-three priorities"),
            _("Share of respondents naming each priority in their top three"),
            res.current.priorities, res.priority_names,
        )  # fmt: skip
        context["concern_chart"] = _share_chart(
            "concerns", _("Concerns in the last three months"),
            _("Share of respondents worried about each in the last three months"),
            res.current.concerns, res.priority_names,
        )  # fmt: skip
    return render(request, "surveys/results.html", context)


@staff_required()
def comments(request: HttpRequest, code: str) -> HttpResponse:
    """Free-text answers for an area, without who wrote them, when, or where exactly."""
    area = get_area_for_user(request.user, code)
    round_ = _round(request)
    res = results_for(area=area, round_=round_, children=False)
    texts: list[str] = []
    if res.current is not None and res.current.comments_allowed:
        texts = [
            redact(t)
            for t in Answer.objects.filter(
                question__kind=Question.Kind.TEXT,
                response__submitted_at__isnull=False,
                response__round=round_,
                response__ward__in=Area.objects.wards_under(area),
            )
            .exclude(text="")
            .order_by("text")
            .values_list("text", flat=True)
        ]
        access_log_for_request(
            request,
            subject_kind="survey comments",
            subject_count=len(texts),
            reason=f"{area.code} {quarter_label(round_.starts_on)}",
        )
    return render(
        request,
        "surveys/comments.html",
        {
            "area": area,
            "round": round_,
            "results": res,
            "texts": texts,
            "quarter": quarter_label(round_.starts_on).replace(" ", "-") if round_ else "",
        },
    )


@staff_required()
def export_csv(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    round_ = _round(request)
    rounds = rounds_up_to(round_) if round_ else []
    out = io.StringIO()
    count = export.write(out, area=area, rounds=rounds)
    access_log_for_request(
        request,
        subject_kind="survey results",
        action=AccessLog.Action.EXPORT,
        subject_count=count,
        reason=f"{area.code} CSV",
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    label = quarter_label(round_.starts_on).replace(" ", "-") if round_ else "none"
    response["Content-Disposition"] = f'attachment; filename="survey-{area.code}-{label}.csv"'
    return response
