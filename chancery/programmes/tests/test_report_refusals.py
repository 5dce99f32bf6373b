"""One rule for refusals on a programme's report (#16): programmes are public, so another
office's officer or viewer is refused its report with 403 (they know it exists); a programme
that does not exist is a 404; a role that reads no reports gets the same 403."""

from typing import Any

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.programmes import services
from conftest import PASSWORD


def test_another_offices_report_is_403_and_no_programme_404(cast: Any) -> None:
    programme = services.create_programme(
        actor=SYSTEM, owner=cast.academy, kind="internship", name_en="Interns"
    )
    pages = [f"/programmes/{programme.pk}/{page}" for page in ("report/", "report.csv", "people/")]
    viewer = User.objects.create_user(username="ministry_viewer", password=PASSWORD)
    grant_role(actor=SYSTEM, user=viewer, role=Role.VIEWER, organisation=cast.ministry)
    for url in pages:
        assert cast.client_for(cast.bob).get(url).status_code == 200, url
        for outsider in (cast.charlie, viewer, cast.pat):
            client = cast.client_for(outsider)
            assert client.get(f"/programmes/{programme.pk}/").status_code == 200
            assert client.get(url).status_code == 403, (outsider, url)
    missing = cast.client_for(cast.charlie).get("/programmes/999999/report/")
    assert missing.status_code == 404
