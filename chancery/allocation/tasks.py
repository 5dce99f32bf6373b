"""Background job of the allocation: computing a round's preview (`chancery db_worker` runs it).

A large round (many applicants and choices) takes a while to match and check; the round's page
starts this job and its page shows the progress, then the preview's figures and a link back.
"""

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from chancery.accounts.models import User
from chancery.allocation import queries, services
from chancery.allocation.models import Round
from chancery.core.actors import SYSTEM
from chancery.core.jobs import JobError, Outcome, Progress, job_task
from chancery.core.models import Job


@task()
@job_task
def run_round(job: Job, progress: Progress, *, round_id: int, user_id: int | None) -> Outcome:
    """Compute the stable allocation of a round and store it as its preview."""
    user = User.objects.get(pk=user_id) if user_id else None
    rounds = queries.rounds_managed_by(user) if user else Round.objects.all()
    round = rounds.filter(pk=round_id).first()
    if round is None:
        raise JobError(
            _("round: there is no allocation round #%(round)s you manage.") % {"round": round_id}
        )
    progress(0, 2, _("Computing the stable allocation"))
    round = services.run_round(actor=user or SYSTEM, round=round)  # no user: the command line
    progress(1, 2, _("Checking the preview"))
    stats = queries.statistics(round)
    problems = queries.stability_problems(round) or []
    progress(2, 2, _("Done"))
    figures = (
        []
        if stats is None
        else [
            [_("applicants"), stats.applicants],
            [_("placed"), stats.placed],
            [_("unplaced"), stats.unplaced],
            [_("places"), stats.seats],
            [_("first choice"), f"{stats.first_choice} ({stats.share_first_choice:.0%})"],
            [_("top 3"), f"{stats.top3} ({stats.share_top3:.0%})"],
        ]
    )
    return Outcome(
        result={
            "summary": _("The preview is ready and stable. Nothing is placed until you commit.")
            if not problems
            else "; ".join(problems),
            "figures": figures,
            "links": [
                [
                    _("Open the round to review and commit"),
                    reverse("allocation:round", args=[round.pk]),
                ]
            ],
        }
    )
