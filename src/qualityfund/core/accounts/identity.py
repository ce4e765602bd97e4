"""The organisation's identity: what decides who receives the money, frozen once it applied.

指南 七（五）: "账户注册主体、资助申请主体以及银行开户名三者名称必须一致，否则将影响审核结果
及办理资金发放" — the name, the credit code, the account and its subject, and the trust
level (指南 四（三）: 可信等级须达到五级) are what review, the public notice and the payment
rely on. After the first submission they change only through an identity change request
(身份信息变更) that an officer decides; an application keeps a snapshot (申报时快照) of them as
submitted, and a funding plan its own when it is decided.
"""

from dataclasses import asdict, dataclass, fields

from django.utils import timezone

from .models import Organisation, TrustLevel

# The frozen fields, in the order forms and histories show them.
IDENTITY_FIELDS = ("name", "credit_code", "account_subject_name", "bank_account_name",
                   "bank_name", "bank_account_number", "trust_level")
ACCOUNT_FIELDS = ("bank_account_name", "bank_name", "bank_account_number")


def label(name: str) -> str:
    return str(Organisation._meta.get_field(name).verbose_name)


def is_frozen(organisation: Organisation) -> bool:
    """Frozen once any of its applications was submitted (withdrawn or refused ones too:
    their snapshot and 申请表 name the organisation as it was)."""
    return organisation.applications.filter(submitted_at__isnull=False).exists()


def account_of(holder) -> tuple[str, str, str]:
    """(开户名, 开户银行, 银行账号) of an organisation or a snapshot."""
    return tuple(getattr(holder, name) for name in ACCOUNT_FIELDS)


def shown(name: str, value) -> str:
    """A value as people read it (the trust level by its name)."""
    if name == "trust_level" and value not in (None, ""):
        return str(TrustLevel(int(value)).label)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Snapshot:
    """The identity as it was at one moment (申报时快照, or the plan's at its decision)."""

    name: str
    credit_code: str
    account_subject_name: str
    bank_account_name: str
    bank_name: str
    bank_account_number: str
    trust_level: int
    taken_at: str = ""

    @classmethod
    def of(cls, organisation: Organisation) -> "Snapshot":
        return cls(**{name: getattr(organisation, name) for name in IDENTITY_FIELDS},
                   taken_at=timezone.now().isoformat())

    @classmethod
    def stored(cls, data: dict, organisation: Organisation) -> "Snapshot":
        """The stored snapshot; the organisation as it is now when none was taken (a draft)."""
        if not data:
            return cls(**{name: getattr(organisation, name) for name in IDENTITY_FIELDS})
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def as_data(self) -> dict:
        return asdict(self)

    @property
    def trust_level_label(self) -> str:
        return shown("trust_level", self.trust_level)

    def differences(self, organisation: Organisation,
                    names: tuple[str, ...] = IDENTITY_FIELDS) -> list[str]:
        """Labels of the fields where ``organisation`` now differs from this snapshot."""
        return [label(n) for n in names if getattr(self, n) != getattr(organisation, n)]


def snapshots(organisation_ids) -> dict[int, dict]:
    """Snapshots of several organisations, read under lock so that an identity change being
    approved meanwhile is either in all of them or in none (one query)."""
    locked = Organisation.objects.select_for_update().filter(pk__in=set(organisation_ids))
    return {org.pk: Snapshot.of(org).as_data() for org in locked}
