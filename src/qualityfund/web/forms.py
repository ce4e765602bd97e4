"""Forms of the applicant's pages. Validation messages are Chinese and name the field."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import MaxLengthValidator

from qualityfund.core.accounts.identity import IDENTITY_FIELDS
from qualityfund.core.accounts.models import IdentityChangeRequest, Organisation
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import COMMON_FIELDS, FIGURE_TEXT_LIMIT
from qualityfund.core.common.text import CharacterRule, LengthRule
from qualityfund.domain import credit_code
from qualityfund.domain.selfcheck import coerce_figure

ORGANISATION_FIELDS = [
    "credit_code", "name", "account_subject_name", "established_on", "legal_representative",
    "district", "industry", "address", "contact_name", "contact_phone", "contact_email",
    "bank_account_name", "bank_name", "bank_account_number", "trust_level",
]


class DateInput(forms.DateInput):
    """An HTML date picker; its value must be ISO (YYYY-MM-DD) whatever the locale's format,
    or the browser shows the field empty and the next autosave would clear it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StyledForm:
    """Bootstrap classes on every widget, and ``is-invalid`` on fields with errors; every
    length limit said as the models say it (core.common.text), naming field and limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators = [
                    *(v for v in field.validators if type(v) is not MaxLengthValidator),
                    *([] if any(isinstance(v, LengthRule) for v in field.validators)
                      else [LengthRule(field.max_length, str(field.label))])]

    def style_widgets(self):
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class OrganisationForm(StyledForm, forms.ModelForm):
    """The organisation's details. Without ``identity`` the identity fields are left out: once
    the organisation has submitted an application they change through an identity change
    request."""

    # Wider than the stored 18 characters: spaces and lower case are normalised away.
    credit_code = forms.CharField(label="统一社会信用代码", max_length=40,
                                  help_text="18位，GB 32100-2015；空格与小写字母会自动规范")

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, identity: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not identity:
            for name in IDENTITY_FIELDS:
                del self.fields[name]

    def clean_credit_code(self):
        try:
            code = credit_code.validate(self.cleaned_data["credit_code"])
        except credit_code.InvalidCreditCode as exc:
            raise forms.ValidationError(str(exc)) from exc
        clash = Organisation.objects.filter(credit_code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("该统一社会信用代码已注册，请联系本单位已有经办人添加账号")
        return code


class IdentityChangeForm(OrganisationForm):
    """身份信息变更: the identity as it should be, and why (for the officer who decides)."""

    reason = IdentityChangeRequest._meta.get_field("reason").formfield(
        required=True, help_text="例如：工商变更登记后更名；开户银行变更。审核人员据此核实")

    class Meta(OrganisationForm.Meta):
        fields = IDENTITY_FIELDS

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in IDENTITY_FIELDS}


class ApplicantUserForm(StyledForm, UserCreationForm):
    """The first (or a further) applicant user of an organisation."""

    class Meta:
        model = get_user_model()
        fields = ["username", "last_name", "first_name", "email", "phone"]
        labels = {"username": "登录名", "last_name": "姓", "first_name": "名"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("last_name", "first_name"):
            self.fields[name].validators.append(CharacterRule(self.fields[name].label,
                                                              name=True))


class PasswordChangeForm(StyledForm, forms.Form):
    """The current password and the new one twice; the rule itself is checked by the service
    (``core.accounts.passwords.change_password``)."""

    old_password = forms.CharField(label="当前密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password", "autofocus": True}))
    new_password1 = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=password_validators_help_text_html())
    new_password2 = forms.CharField(label="再次输入新密码", strip=False,
                                    widget=forms.PasswordInput(
                                        attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class ApplicationForm(StyledForm, forms.Form):
    """The common project fields plus the sub-programme's declared figures."""

    project_name = Application._meta.get_field("project_name").formfield(required=False)
    summary = Application._meta.get_field("summary").formfield(
        required=False, widget=forms.Textarea(attrs={"rows": 4}))
    implementation_district = forms.ChoiceField(label="项目实施地", required=False)
    started_on = forms.DateField(label="项目开始日期", required=False, widget=DateInput())
    requested_amount = forms.IntegerField(label="申请资助金额（元）", min_value=1,
                                          required=False)
    contact_name = Application._meta.get_field("contact_name").formfield(required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        from qualityfund.core.applications.models import Application

        self.application = application
        self.fields["implementation_district"].choices = [("", "请选择")] + list(
            Application._meta.get_field("implementation_district").choices)
        spec = application.spec
        if spec.funding.cap is None:
            del self.fields["requested_amount"]
        else:
            self.fields["requested_amount"].help_text = (
                f"指南：每个项目予以最高{spec.funding.cap // 10000}万元资助")
            self.fields["requested_amount"].max_value = spec.funding.cap
        self.figures = spec.figures
        for figure in self.figures:
            self.fields[f"figure_{figure.key}"] = self._figure_field(figure)
        self.style_widgets()

    @staticmethod
    def _figure_field(figure) -> forms.Field:
        unit = figure.unit or ("%" if figure.type == "percent" else "")
        label = f"{figure.label}（{unit}）" if unit else figure.label
        common = {"label": label, "required": False, "help_text": figure.help or ""}
        typed = {**common, "validators": [LengthRule(FIGURE_TEXT_LIMIT, label)]}
        if figure.type == "boolean":
            return forms.ChoiceField(choices=[("", "请选择"), ("true", "是"), ("false", "否")],
                                     **common)
        if figure.type == "choice":
            return forms.ChoiceField(choices=[("", "请选择")] + [(c, c) for c in figure.choices],
                                     **common)
        if figure.type == "date":
            return forms.CharField(widget=DateInput(), **typed)
        if figure.type == "text":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **typed)
        attrs = {"inputmode": "decimal"}
        if figure.type == "percent":
            attrs["placeholder"] = "例如 8.5 表示 8.5%"
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **typed)

    def clean(self):
        cleaned = super().clean()
        for figure in self.figures:
            name = f"figure_{figure.key}"
            raw = (cleaned.get(name) or "").strip()
            if raw:
                try:
                    coerce_figure(figure, raw)
                except ValueError as exc:
                    self.add_error(name, str(exc))
        return cleaned

    def changes(self) -> tuple[dict, dict]:
        """The valid submitted values: (common fields, raw figures); invalid ones are left out."""
        fields = {name: self.cleaned_data[name] for name in COMMON_FIELDS
                  if name in self.fields and name in self.cleaned_data
                  and name not in self.errors and name in self.data}
        figures = {f.key: self.cleaned_data.get(f"figure_{f.key}", "") for f in self.figures
                   if f"figure_{f.key}" in self.data and f"figure_{f.key}" not in self.errors}
        return fields, figures

    @classmethod
    def initial_for(cls, application) -> dict:
        initial = {name: getattr(application, name) for name in COMMON_FIELDS}
        initial.update({f"figure_{k}": v for k, v in application.figures.items()})
        return initial

    def common_bound_fields(self):
        return [self[name] for name in COMMON_FIELDS if name in self.fields]

    def figure_bound_fields(self):
        return [self[f"figure_{f.key}"] for f in self.figures]


class MaterialUploadForm(StyledForm, forms.Form):
    file = forms.FileField(label="选择文件")
