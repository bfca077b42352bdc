"""People: users (email login), staff roles and scope, and the access log."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area

from .members import demographics as demo_choices


class UserManager(DjangoUserManager):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class StaffProfile(models.Model):
    """A member of police staff: a role, and the areas they work in."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Officer / PCSO"
        SUPERVISOR = "supervisor", "Supervisor"
        ANALYST = "analyst", "Analyst / force lead"
        ADMIN = "admin", "Administrator"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=12, choices=Role.choices)
    areas = models.ManyToManyField(
        Area,
        related_name="staff",
        help_text="Wards, districts or the force this person works in.",
    )
    collar_number = models.CharField(max_length=20, blank=True)
    is_active = models.BooleanField(default=True)
    # Officers' weekly briefing email for their wards (targeting.insight); they turn it
    # off and on in their own settings.
    weekly_briefing = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_force_wide(self) -> bool:
        """Whether a whole force is in scope: force-wide settings are theirs to change."""
        return self.areas.filter(level=Area.Level.FORCE).exists()


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be edited.")

    def delete(self):
        raise PermissionError("The access log cannot be deleted.")


class AccessLog(models.Model):
    """Who looked at or exported which person's data, when and why.

    Rows are written, never changed: the model refuses updates and deletes and a
    database trigger (migration 0002) refuses them too. The person is recorded by id
    only, so the log keeps no personal data once a member erases their account.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Staff with entries in the log are deactivated, never deleted.
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_log_entries")
    subject_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_kind = models.CharField(max_length=40)
    subject_count = models.PositiveIntegerField(default=1)
    action = models.CharField(max_length=10, choices=Action.choices)
    view = models.CharField(max_length=120, help_text="The page or export that showed the data.")
    reason = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.subject_kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted.")


class SecurityEvent(models.Model):
    """A refusal that protects accounts: a rate limit that was hit, a session that ended.

    Kept so that an attack (or a limit that bites real users) can be seen. The person is
    recorded by id only; the client address is kept for 90 days (accounts.retention).
    """

    class Kind(models.TextChoices):
        RATE_LIMITED = "rate_limited", "Refused by a rate limit"
        SESSION_ENDED = "session_ended", "Staff session ended"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=40, help_text="Which limit or rule.")
    user_id = models.BigIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.action}"


class CommunityGroup(models.Model):
    """A kind of community group a member belongs to (taxonomy in fixtures/)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    # Advisory groups (IAG) and similar make a member a key contact for local officers.
    is_advisory = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# The rule of confirmed_members() in SQL, for the raw queries (scoring, survey dispatch).
# ``{user_id}`` is the column holding the member's user id, e.g. ``m.user_id``.
CONFIRMED_MEMBER_SQL = (
    "EXISTS (SELECT 1 FROM account_emailaddress confirmed"
    " WHERE confirmed.user_id = {user_id} AND confirmed.verified AND confirmed.primary)"
)


class MemberQuerySet(models.QuerySet):
    def confirmed(self) -> "MemberQuerySet":
        """Members whose email address is confirmed: the only ones contacted, listed or
        counted anywhere.

        Anyone can type someone else's address into the sign-up form, and an officer
        at the door can mistype one: until its owner follows the link sent to it, a
        registration is nobody's membership. A doorstep registration becomes a member
        when the resident confirms.
        """
        return self.filter(
            Exists(
                EmailAddress.objects.filter(
                    user_id=OuterRef("user_id"), verified=True, primary=True
                )
            )
        )


class Member(models.Model):
    """A member of the public registered for alerts and the quarterly survey.

    ``ward`` is copied from the postcode when it is set, so every staff query can scope
    members by ward without a join through postcodes. Erasing a member deletes this row
    and the user; what statistics keep is anonymised by the apps that hold it.
    """

    class Source(models.TextChoices):
        SELF = "self", _("Registered online")
        DOORSTEP = "doorstep", _("Registered by an officer at a visit")

    class Frequency(models.TextChoices):
        ANY = "any", _("Whenever there is news")
        WEEKLY = "weekly", _("At most once a week")
        MONTHLY = "monthly", _("At most once a month")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="member")
    postcode = models.ForeignKey("areas.Postcode", on_delete=models.PROTECT, related_name="members")
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="members")
    street = models.ForeignKey(
        "areas.Street", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    phone = models.CharField(max_length=20, blank=True)
    by_email = models.BooleanField(default=True)
    by_sms = models.BooleanField(default=False)
    max_frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.ANY
    )
    groups = models.ManyToManyField(CommunityGroup, blank=True, related_name="members")
    key_contact = models.BooleanField(
        default=False, help_text="Willing to be a key contact for local officers."
    )
    registered_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    registered_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_members",
    )
    # Set when the member stops all messages; cleared if they opt back in.
    messages_stopped_at = models.DateTimeField(null=True, blank=True)
    # The language messages and emails to this member are written in.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    # When the member was told their account will be erased for inactivity (retention).
    retention_warned_at = models.DateTimeField(null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        indexes = [models.Index(fields=["ward", "registered_at"])]

    def __str__(self) -> str:
        return f"Member {self.pk}"

    @property
    def receives_messages(self) -> bool:
        return self.messages_stopped_at is None and self.user.is_active


class Demographics(models.Model):
    """Optional answers about a member, each of which may be "prefer not to say".

    An empty value means no answer. Ethnic group, religion and disability are
    special-category data: a real answer is held only while the member's consent to
    it stands (see ConsentRecord); withdrawing consent empties the value. Officers
    only ever see these as counts, with small numbers suppressed.
    """

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="demographics")
    age_band = models.CharField(max_length=20, blank=True, choices=demo_choices.AgeBand.choices)
    sex = models.CharField(max_length=20, blank=True, choices=demo_choices.Sex.choices)
    ethnic_group = models.CharField(
        max_length=30, blank=True, choices=demo_choices.EthnicGroup.choices
    )
    religion = models.CharField(max_length=20, blank=True, choices=demo_choices.Religion.choices)
    disability = models.CharField(
        max_length=20, blank=True, choices=demo_choices.Disability.choices
    )
    main_language = models.CharField(
        max_length=20, blank=True, choices=demo_choices.MainLanguage.choices
    )
    updated_at = models.DateTimeField(auto_now=True)

    ITEMS = tuple(demo_choices.ITEMS)

    class Meta:
        verbose_name_plural = "demographics"

    def __str__(self) -> str:
        return f"Demographics of member {self.member_id}"

    def answered(self) -> dict[str, str]:
        return {item: getattr(self, item) for item in self.ITEMS if getattr(self, item)}


class ConsentRecord(models.Model):
    """Who agreed to what, when, how, and to which wording; and when they withdrew.

    One active (not withdrawn) record per member and item. Records are kept after a
    withdrawal as the evidence of what happened, and deleted with the member.
    """

    class Item(models.TextChoices):
        REGISTRATION = "registration", _("Registration and messages")
        AGE_BAND = "age_band", _("Age band")
        SEX = "sex", _("Sex")
        ETHNIC_GROUP = "ethnic_group", _("Ethnic group")
        RELIGION = "religion", _("Religion")
        DISABILITY = "disability", _("Disability")
        MAIN_LANGUAGE = "main_language", _("Main language")

    class How(models.TextChoices):
        ONLINE = "online", _("Online")
        DOORSTEP = "doorstep", _("On the doorstep, with an officer")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    item = models.CharField(max_length=20, choices=Item.choices)
    given_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=10, choices=How.choices)
    wording_version = models.CharField(max_length=20)
    # The officer who recorded consent at the door (None when given online).
    recorded_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents_recorded",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member", "item", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_item",
            )
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "given"
        return f"{self.get_item_display()} {state} ({self.wording_version})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
