"""Names and limited texts on model fields: one Chinese message wherever they are validated."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from qualityfund.api.serializers.organisation import OrganisationSerializer
from qualityfund.core.accounts.models import Organisation
from qualityfund.core.applications.models import Application
from qualityfund.core.common import text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.web.forms import OrganisationForm


def test_model_validation_says_it_once_in_chinese(organisation):
    organisation.name = "深" * 201
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert refused.value.message_dict["name"] == [
        "单位名称不能超过200字（当前201字），请精简后重新填写"]
    organisation.name = "深圳市\u2060甲公司"
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert refused.value.message_dict["name"] == [
        "单位名称含有不可见字符 U+2060（词连接符），请删除后重新填写"]


def test_a_form_and_a_serializer_give_the_same_single_message(organisation):
    form = OrganisationForm({"name": "深" * 201}, instance=organisation)
    assert form.errors["name"] == ["单位名称不能超过200字（当前201字），请精简后重新填写"]
    assert form.fields["name"].widget.attrs["maxlength"] == "200"
    given = OrganisationSerializer(organisation, data={"name": "深" * 201}, partial=True)
    assert not given.is_valid()
    assert given.errors["name"] == ["单位名称不能超过200字（当前201字），请精简后重新填写"]


def test_free_text_keeps_line_breaks():
    field = Application._meta.get_field("summary")
    for validator in field.validators:
        validator("第一段。\r\n\t第二段。")
    assert text.clean(Application, "summary", "  第一段。\n第二段。 ") == "第一段。\n第二段。"


def test_clean_names_the_callers_field_and_asks_for_what_is_missing():
    with pytest.raises(RuleViolation) as refused:
        text.clean(Organisation, "name", "甲\u200d乙", field="new_name")
    assert refused.value.field == "new_name"
    with pytest.raises(RuleViolation, match="请填写单位名称"):
        text.clean(Organisation, "name", "  ", required="请填写单位名称")
    with pytest.raises(TypeError):  # a field without a length has no text rule
        text.rules_of(Organisation, "established_on")


def test_the_rules_need_no_new_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
