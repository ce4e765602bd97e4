"""Length limits and visible names wherever text arrives; ``domain.text`` holds the rule.

A model field says its limit once: ``NameField`` for a name (every character visible),
``LimitedTextField`` for free text with a ``max_length`` (a plain TextField has none). Their
form fields, model validation and ``rules_of`` (for a serializer's or a plain form's field)
give one Chinese message naming the field and the limit; ``clean`` and ``check_instance``
apply the same rule in service functions, for input that no form or serializer saw.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible

from qualityfund.domain import text as rules

from .errors import RuleViolation


@deconstructible(path="qualityfund.core.common.text.LengthRule")
class LengthRule(MaxLengthValidator):
    """Django's length limit, said in Chinese with the field's name.

    A subclass of MaxLengthValidator, so that a DRF serializer built from the model puts its
    own ``max_length`` (and the OpenAPI ``maxLength``) in its place."""

    def __init__(self, limit_value: int, label: str):
        super().__init__(limit_value)
        self.label = label

    def __call__(self, value):
        try:
            rules.check_length(value, self.limit_value, self.label)
        except rules.TextError as exc:
            raise ValidationError(str(exc), code="max_length") from None

    def __eq__(self, other):
        return (isinstance(other, LengthRule) and self.limit_value == other.limit_value
                and self.label == other.label)


@deconstructible(path="qualityfund.core.common.text.CharacterRule")
class CharacterRule:
    """Names: every character visible; free text: no control a keyboard does not type."""

    def __init__(self, label: str, name: bool):
        self.label, self.name = label, name

    def __call__(self, value):
        try:
            (rules.check_visible if self.name else rules.check_typed)(value, self.label)
        except rules.TextError as exc:
            raise ValidationError(str(exc), code="invisible") from None

    def __eq__(self, other):
        return (isinstance(other, CharacterRule) and self.label == other.label
                and self.name == other.name)


def _rules(limit: int, label: str, name: bool) -> list:
    return [LengthRule(limit, label), CharacterRule(label, name)]


class _TextRules:
    """The field's own rules in place of Django's English-worded length check."""

    is_name = False

    @property
    def validators(self):
        # A new list each time: what CharField.__init__ appends (its own length check) is
        # dropped with it.
        kept = [v for v in super().validators if type(v) is not MaxLengthValidator]
        return [*kept, *_rules(self.max_length, str(self.verbose_name), self.is_name)]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        if field is not None:
            field.validators = [
                *(v for v in field.validators if type(v) is not MaxLengthValidator),
                *_rules(self.max_length, str(self.verbose_name), self.is_name)]
        return field


class NameField(_TextRules, models.CharField):
    """A name (单位名称、开户名、项目名称、姓名): every character visible."""

    is_name = True


class LimitedTextField(_TextRules, models.TextField):
    """Free text (简介、理由、异议内容) with a length limit; line breaks are kept."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)


def _field(model, name: str):
    field = model._meta.get_field(name)
    if field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} has no length limit")
    return field


def rules_of(model, name: str, *, label: str | None = None) -> list:
    """The validators of ``model.name`` for a plain form's or a serializer's field."""
    field = _field(model, name)
    return _rules(field.max_length, label or str(field.verbose_name),
                  isinstance(field, NameField))


def clean_value(value, *, limit: int, label: str, field: str, name: bool = False,
                required: str | None = None) -> str:
    """``value`` stripped and checked; RuleViolation naming ``field`` otherwise. ``required``
    is the message for an empty value, when one is needed."""
    value = (value or "").strip()
    if required and not value:
        raise RuleViolation(required, field=field)
    try:
        (rules.check_name if name else rules.check_text)(value, limit, label)
    except rules.TextError as exc:
        raise RuleViolation(str(exc), field=field) from None
    return value


def clean(model, name: str, value, *, field: str | None = None, label: str | None = None,
          required: str | None = None) -> str:
    """``clean_value`` with ``model.name``'s limit, label and kind (name or free text);
    ``field`` is the caller's parameter, ``name`` unless given."""
    model_field = _field(model, name)
    return clean_value(value, limit=model_field.max_length,
                       label=label or str(model_field.verbose_name), field=field or name,
                       name=isinstance(model_field, NameField), required=required)


def check_instance(instance, names) -> None:
    """Every named text field of ``instance`` within its rule (what a service saves)."""
    for name in names:
        model_field = instance._meta.get_field(name)
        if isinstance(model_field, (NameField, LimitedTextField)) or (
                isinstance(model_field, models.CharField) and model_field.max_length):
            value = getattr(instance, name) or ""
            if isinstance(value, str):
                clean(type(instance), name, value)
