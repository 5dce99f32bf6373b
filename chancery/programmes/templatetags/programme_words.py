"""`{% load programme_words %}`: eligibility checks and rules as sentences in the reader's
language (chancery.programmes.wording does the wording)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from chancery.programmes import wording

register = template.Library()


@register.filter
def check_reason(check: dict[str, Any]) -> str:
    """A stored eligibility check's reason: `{{ check|check_reason }}`."""
    return wording.stored_check(check)


@register.filter
def rule_sentence(rule: Any, start: date | None = None) -> str:
    """What a rule asks: `{{ rule|rule_sentence }}`, for an edition
    `{{ rule|rule_sentence:edition.starts_on }}`."""
    return wording.rule_sentence(rule.kind, rule.params, start)


@register.filter
def rule_name(rule: Any) -> str:
    """The officer's wording of a rule, else the name of its kind."""
    return rule.label or wording.kind_name(rule.kind)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """`{{ mapping|get:key }}`: a dictionary's value by a key held in a variable."""
    return mapping.get(key, "")
