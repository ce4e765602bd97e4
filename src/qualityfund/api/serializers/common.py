"""Shared pieces: Chinese field names in validation messages, districts, the error body."""

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from qualityfund.core.common.text import CharacterRule, LengthRule, rules_of
from qualityfund.domain.selfcheck import DISTRICTS


class LabelledErrors:
    """Prefix each field's messages with the field's Chinese label ("项目开始日期：…").

    DRF's own messages ("日期格式错误…") do not say which field they are about; a message
    that already starts with the field's name is left alone.
    """

    def run_validation(self, data=serializers.empty):
        try:
            return super().run_validation(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                exc.detail = {name: self._labelled(name, value)
                              for name, value in exc.detail.items()}
            raise

    def _labelled(self, name, value):
        field = self.fields.get(name)
        label = getattr(field, "label", None)
        if not label or not isinstance(value, list):
            return value
        return [
            message if message.startswith(label) else serializers.ErrorDetail(
                f"{label}：{message}", code=getattr(message, "code", None))
            for message in value
        ]


def _own_rules(field: serializers.Field, label: str) -> None:
    """DRF's length and NUL messages give way to the ones naming the field, the limit and the
    character (the ``max_length`` stays, for the OpenAPI document)."""
    field.validators = [*(v for v in field.validators
                          if not isinstance(v, (MaxLengthValidator,
                                                ProhibitNullCharactersValidator))),
                        LengthRule(field.max_length, label)]


class LimitedCharField(serializers.CharField):
    """A field with ``model.name``'s length limit and character rule (core.common.text).

    Built in ``__init__``: a serializer's fields are deep copies, made again from the
    constructor's arguments."""

    def __init__(self, *, model, name: str, **kwargs):
        model_field = model._meta.get_field(name)
        kwargs.setdefault("label", str(model_field.verbose_name))
        super().__init__(max_length=model_field.max_length, **kwargs)
        self.validators = [*self.validators, *rules_of(model, name, label=kwargs["label"])]
        _own_rules(self, kwargs["label"])


def text_field(model, name: str, **kwargs) -> LimitedCharField:
    return LimitedCharField(model=model, name=name, **kwargs)


class TextRules:
    """On a ModelSerializer: the model's names and limited texts keep their Chinese length
    message (DRF would put its own in its place)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            rule = next((v for v in field.validators if isinstance(v, CharacterRule)), None)
            if rule is not None and getattr(field, "max_length", None):
                _own_rules(field, rule.label)
        return fields


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    detail = serializers.CharField(help_text="给用户看的中文说明")
    field = serializers.CharField(allow_null=True, required=False,
                                  help_text="出错的字段、指标或材料的键")
    problems = serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text="提交时未满足的阻断性条件（自检结果）")
    errors = serializers.DictField(required=False, help_text="逐字段的校验错误")


class DistrictField(serializers.ChoiceField):
    """二（三）深圳市行政区域（含深汕特别合作区）."""

    def __init__(self, **kwargs):
        super().__init__(choices=DISTRICTS, **kwargs)


class OptionalDistrictField(DistrictField):
    """A district not chosen yet: a draft may leave it empty."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)


class DistrictFieldExtension(OpenApiSerializerFieldExtension):
    """One ``District`` component for the organisation's and the project's district.

    Left to itself, drf-spectacular would name the same choice set twice (after each field)
    and warn about it.
    """

    target_class = DistrictField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="District", type=ResolvedComponent.SCHEMA, object="District",
            schema={"type": "string", "enum": list(DISTRICTS),
                    "description": "深圳市行政区域（含深汕特别合作区）"})
        auto_schema.registry.register_on_missing(component)
        if self.target.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref
