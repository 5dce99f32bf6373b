"""Many-to-many links read as text put together by the database, for lists that show them."""

from django.db.models import CharField, Model, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce


def linked_ids(model: type[Model], relation: str) -> Coalesce:
    """The ids that the many-to-many `relation` links to each row of `model`, as text ("3,7,12";
    "" for none) put together by the database: a list answer shows them without a model
    instance each."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = field.m2m_field_name()  # type: ignore[union-attr]
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname  # type: ignore[union-attr]
    links = (
        through.objects.filter(**{source: OuterRef("pk")})
        .order_by()
        .values(source)
        .annotate(ids=StringAgg(Cast(target, CharField()), Value(",")))
        .values("ids")
    )
    return Coalesce(Subquery(links, output_field=CharField()), Value(""))


def ids_in(text: str) -> list[int]:
    """The ids of a `linked_ids` text, in order (not every database orders an aggregate)."""
    return sorted(int(part) for part in text.split(",")) if text else []
