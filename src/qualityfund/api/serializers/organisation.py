"""The caller's own 申报单位."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qualityfund.core.accounts.models import Organisation
from qualityfund.core.accounts.services import name_warnings
from qualityfund.domain import credit_code

from .common import DistrictField, LabelledErrors

EDITABLE_FIELDS = (
    "credit_code", "name", "account_subject_name", "established_on", "legal_representative",
    "district", "industry", "address", "contact_name", "contact_phone", "contact_email",
    "bank_account_name", "bank_name", "bank_account_number", "trust_level",
)


class OrganisationSerializer(LabelledErrors, serializers.ModelSerializer):
    """申报单位: the registered data the self-check and the application form use."""

    # Typed or pasted codes may carry spaces or full-width characters: validate_credit_code
    # normalises them and checks uniqueness with a message that says what to do.
    credit_code = serializers.CharField(label="统一社会信用代码", max_length=40)
    district = DistrictField(label="注册所在区")
    warnings = serializers.SerializerMethodField(
        help_text="提醒，例如三者名称不一致（指南七（五））；提交申请时将不予通过")

    class Meta:
        model = Organisation
        fields = ("id", *EDITABLE_FIELDS, "created_at", "updated_at", "warnings")
        read_only_fields = ("id", "created_at", "updated_at")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, organisation) -> list[str]:
        return name_warnings(organisation)

    def validate_credit_code(self, value: str) -> str:
        try:
            code = credit_code.validate(value)
        except credit_code.InvalidCreditCode as exc:
            raise serializers.ValidationError(exc.message) from exc
        clash = Organisation.objects.filter(credit_code=code)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                "该统一社会信用代码已注册，请联系本单位已有经办人添加账号")
        return code
