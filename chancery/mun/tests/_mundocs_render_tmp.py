from pathlib import Path
import pytest
from chancery.mun import documents
from chancery.mun.tests.test_documents import _finished_session
from chancery.directory import services as directory

@pytest.mark.django_db
def test_render(harvard):
    s = _finished_session(harvard)
    directory.update_person(actor=None, person=harvard.outreach.pupil, given_name_cyrl="Аружан", family_name_cyrl="Аружанова")
    out = Path("/tmp/mundocs")
    for lang in ("en", "ru"):
        (out / f"minutes_{lang}.pdf").write_bytes(documents.minutes_pdf(s, lang))
        (out / f"cert_{lang}.pdf").write_bytes(documents.certificates_pdf(harvard.conference, lang))
        (out / f"plac_{lang}.pdf").write_bytes(documents.placards_pdf(harvard.committee, lang))
        (out / f"minutes_{lang}.csv").write_text(documents.minutes_csv(s, lang))
