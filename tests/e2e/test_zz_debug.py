import pytest
from django.db import connection
from chancery.directory.models import Country
from conftest import PASSWORD
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]
@pytest.mark.parametrize("i", [1, 2, 3])
def test_x(i, live_server, page, cast):
    print(i, Country.objects.count(), connection.in_atomic_block, connection.get_autocommit())
    if i == 1:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
