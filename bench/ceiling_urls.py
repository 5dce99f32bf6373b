"""The benchmark server's URLs: every real URL plus a bare view, the ceiling of this stack.

Only the benchmark's server loads this (through bench.ceiling_settings, selected by the
DJANGO_SETTINGS_MODULE of that process); the product's own URLconf never mounts the view.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from chancery.core.access import public
from chancery.directory.models import Person
from chancery.urls import urlpatterns as product_urls


@public
def ceiling(request: HttpRequest, pk: int) -> JsonResponse:
    """One row by primary key as JSON: the least a Django view on this database can do."""
    row = Person.objects.filter(pk=pk).values("id", "family_name", "given_name").first()
    return JsonResponse(row or {}, status=200 if row else 404)


urlpatterns = [path("bench/ceiling/<int:pk>", ceiling, name="bench_ceiling"), *product_urls]
