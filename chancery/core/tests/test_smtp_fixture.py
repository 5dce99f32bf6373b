from django.core.mail import send_mail


def test_smtp_fixture(smtp):
    send_mail("Hello", "Body text", "office@example.org", ["pat@example.org"])
    [m] = smtp.to("pat@example.org")
    assert m["Subject"] == "Hello"
    assert smtp.text(m).strip() == "Body text"
