"""The caller's own 申报单位, and its identity change requests (身份信息变更)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qualityfund.core.accounts.identity import IDENTITY_FIELDS, is_frozen
from qualityfund.core.accounts.identity_changes import pending_change
from qualityfund.core.accounts.models import IdentityChangeRequest, Organisation
from qualityfund.core.accounts.services import name_warnings
from qualityfund.domain import credit_code

from .common import DistrictField, LabelledErrors, TextRules, text_field

EDITABLE_FIELDS = (
    "credit_code", "name", "account_subject_name", "established_on", "legal_representative",
    "district", "industry", "address", "contact_name", "contact_phone", "contact_email",
    "bank_account_name", "bank_name", "bank_account_number", "trust_level",
)


class ChangeRowSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(source="from")
    new = serializers.CharField(source="to")


class IdentityChangeSerializer(serializers.ModelSerializer):
    """身份信息变更申请: what was asked, by whom, and the officer's decision with its reason."""

    organisation = serializers.CharField(source="organisation.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    changes = ChangeRowSerializer(source="rows", many=True, read_only=True)
    requested_by = serializers.CharField(source="requested_by.display", read_only=True)
    decided_by = serializers.CharField(source="decided_by.display", default=None,
                                       read_only=True)

    class Meta:
        model = IdentityChangeRequest
        fields = ("id", "organisation", "status", "status_label", "changes", "reason",
                  "requested_by", "requested_at", "decided_by", "decided_at",
                  "decision_reason")


class OrganisationSerializer(TextRules, LabelledErrors, serializers.ModelSerializer):
    """申报单位: the registered data the self-check and the application form use.

    Once an application has been submitted, a new name, credit code, account, account
    subject or trust level is not saved: it becomes an identity change request (202)."""

    # Typed or pasted codes may carry spaces or full-width characters: validate_credit_code
    # normalises them and checks uniqueness with a message that says what to do.
    credit_code = serializers.CharField(label="统一社会信用代码", max_length=40)
    district = DistrictField(label="注册所在区")
    warnings = serializers.SerializerMethodField(
        help_text="提醒，例如三者名称不一致（指南七（五））；提交申请时将不予通过")
    identity_frozen = serializers.SerializerMethodField(
        help_text="已提交过申请：名称、信用代码、银行账户、账户注册主体和可信等级须申请变更")
    pending_identity_change = serializers.SerializerMethodField(
        help_text="待审核的身份信息变更申请")

    class Meta:
        model = Organisation
        fields = ("id", *EDITABLE_FIELDS, "created_at", "updated_at", "warnings",
                  "identity_frozen", "pending_identity_change")
        read_only_fields = ("id", "created_at", "updated_at")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, organisation) -> list[str]:
        return name_warnings(organisation)

    def get_identity_frozen(self, organisation) -> bool:
        return is_frozen(organisation)

    @extend_schema_field(IdentityChangeSerializer(allow_null=True))
    def get_pending_identity_change(self, organisation) -> dict | None:
        change = pending_change(organisation)
        return IdentityChangeSerializer(change).data if change else None

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


class OrganisationUpdateSerializer(OrganisationSerializer):
    change_reason = text_field(IdentityChangeRequest, "reason", label="变更原因",
                               required=False, allow_blank=True, default="", write_only=True,
                               help_text="修改身份信息时的说明，随变更申请提交审核")

    class Meta(OrganisationSerializer.Meta):
        fields = (*OrganisationSerializer.Meta.fields, "change_reason")


class IdentityChangeCreateSerializer(OrganisationSerializer):
    """New identity values (any of them) and the reason, for an officer to decide."""

    reason = text_field(IdentityChangeRequest, "reason", required=False, allow_blank=True,
                        default="")

    class Meta(OrganisationSerializer.Meta):
        fields = (*IDENTITY_FIELDS, "reason")

    def validate(self, data):
        if not any(name in data for name in IDENTITY_FIELDS):
            raise serializers.ValidationError("请填写要变更的身份信息")
        return data


class IdentityChangeAcceptedSerializer(serializers.Serializer):
    """A PATCH that changed identity values: they wait for an officer's decision."""

    detail = serializers.CharField()
    identity_change = IdentityChangeSerializer()
    organisation = OrganisationSerializer()


class DecisionSerializer(LabelledErrors, serializers.Serializer):
    reason = text_field(IdentityChangeRequest, "decision_reason",
                        help_text="审核意见，将告知申报单位")
