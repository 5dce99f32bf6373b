"""Django's own words that Chancery's pages show and Django's catalogues lack in Kazakh and
Russian (new in Django 6.1). Listed here with the same msgids so `makemessages` puts them in
Chancery's catalogue (locale/), whose translations win over Django's: nothing imports this.
The empty choice of a model choice field ("---------", not translatable in Django) is shown as
the same sentence by templates/django/forms/widgets/select_option.html."""

from django.utils.translation import gettext_noop

MESSAGES = (
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of a select
    gettext_noop("- Select an option -"),
)
