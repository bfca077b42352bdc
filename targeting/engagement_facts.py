"""The survey as engagement shows it (registered with ``engagement.survey_facts``).

targeting sits above both surveys and engagement, so it joins them: priority names from
the surveys taxonomy, and a ward's published results per quarter from
``surveys.results.results_for`` (small numbers suppressed there).
"""

from __future__ import annotations

from datetime import date

from areas.models import Area
from engagement.survey_facts import Snapshot, Vote


class SurveysFacts:
    def priority_choices(self) -> list[tuple[str, str]]:
        from surveys.models import Priority

        return list(Priority.objects.values_list("slug", "name"))

    def snapshot(self, *, area: Area, on: date) -> Snapshot | None:
        from surveys.models import Round

        return self._of(area, Round.objects.filter(starts_on__lte=on).order_by("-starts_on"))

    def snapshot_after(self, *, area: Area, on: date) -> Snapshot | None:
        from django.utils import timezone

        from surveys.models import Round

        rounds = Round.objects.filter(starts_on__gt=on, starts_on__lte=timezone.localdate())
        return self._of(area, rounds.order_by("-starts_on"))

    def _of(self, area: Area, rounds) -> Snapshot | None:
        from surveys.results import results_for

        round_ = rounds.first()
        if round_ is None:
            return None
        result = results_for(area=area, round_=round_, children=False)
        current = result.current
        means = current.means
        return Snapshot(
            quarter=round_.label,
            starts_on=round_.starts_on,
            respondents=current.respondents,
            trust=means["trust"].mean if "trust" in means else None,
            confidence=means["confidence"].mean if "confidence" in means else None,
            votes=[
                Vote(
                    slug=s.slug,
                    name=str(result.priority_names.get(s.slug, s.slug)),
                    count=s.count,
                    share=s.share,
                )
                for s in current.priorities
            ],
        )
