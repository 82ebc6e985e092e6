"""The organisation: the förbund, its members, people, seats, and who may do what.

Every domain row hangs off an Association, directly or through a Member, so that every query can be
scoped to the förbund the user is working in (see tenancy.py).
"""

import datetime

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from finsam.expressions import Rank
from finsam.validators import validate_org_number

# § 5-terms for the board follow the municipal mandate period: four years from 1 April the year
# after the general election (2023-04-01 – 2027-03-31, and so on).
FIRST_TERM_START_YEAR = 2023
TERM_YEARS = 4


def term_containing(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The mandate period (start, end) that contains ``day``."""
    year = day.year if day >= datetime.date(day.year, 4, 1) else day.year - 1
    start_year = year - (year - FIRST_TERM_START_YEAR) % TERM_YEARS
    start = datetime.date(start_year, 4, 1)
    return start, datetime.date(start_year + TERM_YEARS, 3, 31)


def default_term_start() -> datetime.date:
    return term_containing(datetime.date.today())[0]


def default_term_end() -> datetime.date:
    return term_containing(datetime.date.today())[1]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-postadress krävs")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        # People type their address in any case; it is stored lower-case.
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. People log in with their e-mail address; there is no user name."""

    username = None
    email = models.EmailField("e-postadress", unique=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @staticmethod
    def name_fields(relation: str) -> list[str]:
        """The columns ``str(user)`` reads, through ``relation``: for ``.only()`` where a page
        shows who did something and needs none of the login's other columns (issue #12)."""
        return [f"{relation}__{name}" for name in ("first_name", "last_name", "email")]


class AssociationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(roles__user=user).distinct()


class Association(models.Model):
    """A samordningsförbund (lag 2003:1210)."""

    class SplitKey(models.TextChoices):
        POPULATION = "population", "Efter folkmängd"
        EQUAL = "equal", "Lika delar"
        FIXED = "fixed", "Fasta andelar"

    name = models.CharField("namn", max_length=200)
    org_number = models.CharField(
        "organisationsnummer",
        max_length=11,
        unique=True,
        validators=[validate_org_number],
        help_text="Tio siffror, till exempel 222000-2733.",
    )
    founded = models.DateField("bildat")
    address = models.CharField("postadress", max_length=200, blank=True)
    postal_code = models.CharField("postnummer", max_length=10, blank=True)
    city = models.CharField("ort", max_length=100, blank=True)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    website = models.URLField("webbplats", blank=True)
    max_initiative_years = models.PositiveSmallIntegerField(
        "längsta insatstid (år)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Insatser är tidsbegränsade, vanligen högst tre år.",
    )
    municipal_split_key = models.CharField(
        "fördelningsnyckel mellan kommunerna",
        max_length=20,
        choices=SplitKey.choices,
        default=SplitKey.POPULATION,
        help_text="Hur kommunernas fjärdedel av ägarbidraget fördelas mellan dem (§ 5).",
    )

    quorum_percent = models.PositiveSmallIntegerField(
        "beslutförhet: fler än så här många procent av de ordinarie platserna",
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text="Vanligast är fler än hälften (50).",
    )
    notice_days = models.PositiveSmallIntegerField(
        "kallelse senast antal dagar före sammanträdet",
        default=7,
        validators=[MaxValueValidator(60)],
    )
    report_reminder_days = models.PositiveSmallIntegerField(
        "påminnelse om insatsrapport antal dagar före sista dag",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=(
            "Den insatsansvariga får ett e-postmeddelande så här långt före och när "
            "rapporten är försenad."
        ),
    )
    require_second_factor = models.BooleanField(
        "kräv tvåstegsverifiering för alla roller",
        default=False,
        help_text=(
            "Alla med en roll i förbundet loggar då in med en kod från en app i telefonen "
            "utöver lösenordet. Förbundets tjänstemän gör det alltid."
        ),
    )

    objects = AssociationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "samordningsförbund"
        verbose_name_plural = "samordningsförbund"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_initiative_years__gte=1), name="association_max_years_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation:overview")


# å, ä and ö after z, in that order, as the Swedish alphabet has them (code points put ä first).
SWEDISH_LAST_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_name_key(name: str) -> str:
    """A name's place in Swedish alphabetical order, case aside: the key of a list sorted in
    Python rather than by the query, whose ORDER BY on a joined name costs Django more to
    compile than sorting a page's few rows (issue #12)."""
    return name.casefold().translate(SWEDISH_LAST_LETTERS)


class AssociationScopedQuerySet(models.QuerySet):
    """Rows that belong to a förbund through an ``association`` field."""

    association_path = "association"

    def for_association(self, association):
        return self.filter(**{self.association_path: association})


class MemberScopedQuerySet(AssociationScopedQuerySet):
    """Rows that belong to a förbund through their member."""

    association_path = "member__association"


class Role(models.Model):
    """What a user may do in one förbund. One person may hold roles in several förbund."""

    class Kind(models.TextChoices):
        OFFICER = "officer", "Tjänsteman (kansli)"
        PREPARER = "preparer", "Beredningsgrupp"
        BOARD = "board", "Styrelse"
        AUDITOR = "auditor", "Revisor"
        # Scoped to insatser: followup.InitiativeLead names the insatser a lead's role covers,
        # and only the follow-up's views for those insatser admit it (finsam/tenancy.py).
        LEAD = "lead", "Insatsansvarig"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField("roll", max_length=20, choices=Kind.choices)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"
        ordering = ["association__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"], name="role_one_per_association"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} i {self.association}"


class TargetGroup(models.Model):
    """A target group (målgrupp) the förbund prioritises; applications choose among them."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="target_groups"
    )
    name = models.CharField("målgrupp", max_length=300)
    position = models.PositiveSmallIntegerField("prioritet", default=1)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "målgrupp"
        verbose_name_plural = "målgrupper"
        ordering = ["association_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"],
                name="target_group_unique_name",
                violation_error_message="Förbundet har redan en målgrupp med det namnet.",
            ),
        ]

    def __str__(self):
        return self.name


def seed_order(kind_field: str) -> Rank:
    """Kommuner, regions, FK, AF: the order of the board table in seed 004."""
    return Rank(kind_field, Member.Kind.values)


class MemberQuerySet(AssociationScopedQuerySet):
    def in_seed_order(self):
        return self.alias(kind_rank=seed_order("kind")).order_by("kind_rank", "name")

    def seed_ordered(self) -> list["Member"]:
        """in_seed_order() read, put in order in Python, which costs less than ranking in the
        query even with Rank (issue #12); the names in Swedish alphabetical order, as the board
        seats' (BoardSeatQuerySet.seed_ordered), whatever the database's collation."""
        return sorted(
            self.order_by(),
            key=lambda member: (SEED_RANK[member.kind], swedish_name_key(member.name), member.pk),
        )

    def seed_ordered_choices(self) -> list[tuple[int, str]]:
        """(pk, name) of each member in seed order, as seed_ordered() sorts them: the choices of
        a select, without a model object per member."""
        rows = self.order_by().values_list("pk", "name", "kind")
        return [
            (pk, name)
            for pk, name, _kind in sorted(
                rows, key=lambda row: (SEED_RANK[row[2]], swedish_name_key(row[1]), row[0])
            )
        ]

    def active(self, on: datetime.date):
        return self.filter(
            Q(active_from__lte=on), Q(active_until__isnull=True) | Q(active_until__gte=on)
        )


class Member(models.Model):
    """A member (part) of the förbund: FK, AF, a region or a kommun."""

    class Kind(models.TextChoices):
        KOMMUN = "kommun", "Kommun"
        REGION = "region", "Region"
        FK = "fk", "Försäkringskassan"
        AF = "af", "Arbetsförmedlingen"

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField("typ", max_length=10, choices=Kind.choices)
    name = models.CharField("namn", max_length=200)
    population = models.PositiveIntegerField(
        "folkmängd",
        null=True,
        blank=True,
        help_text="Behövs för kommuner när nyckeln är folkmängd och för flera regioner.",
    )
    fixed_share = models.DecimalField(
        "fast andel av kommunernas del (%)",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Används när kommunerna fördelar sin del med fasta andelar.",
    )
    active_from = models.DateField("medlem från")
    active_until = models.DateField("medlem till och med", null=True, blank=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "medlem"
        verbose_name_plural = "medlemmar"
        ordering = ["association_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"],
                name="member_unique_name",
                violation_error_message="Förbundet har redan en medlem med det namnet.",
            ),
            # The state is represented once: FK pays for FK and AF together (§ 5).
            models.UniqueConstraint(
                fields=["association", "kind"],
                condition=Q(kind__in=["fk", "af"]),
                name="member_one_fk_and_one_af",
                violation_error_message="Förbundet har redan en medlem av den typen.",
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="member_active_period_ordered",
                violation_error_message="Slutdatumet kan inte ligga före startdatumet.",
            ),
            models.CheckConstraint(
                condition=Q(fixed_share__isnull=True) | Q(fixed_share__gte=0, fixed_share__lte=100),
                name="member_fixed_share_percent",
            ),
        ]

    def __str__(self):
        return self.name

    def is_active(self, on: datetime.date) -> bool:
        return self.active_from <= on and (self.active_until is None or self.active_until >= on)


# Kommuner, regions, FK, AF: the order of the board table in seed 004 (seed_order), for
# sorting in Python.
SEED_RANK = {kind: rank for rank, kind in enumerate(Member.Kind.values)}


class Person(models.Model):
    """Someone who sits on the board, in the beredningsgrupp or at the office.

    A person needs no login; a login (User) is granted separately through a Role.
    """

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="people")
    name = models.CharField("namn", max_length=200)
    title = models.CharField("befattning", max_length=200, blank=True)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["association_id", "name"]

    def __str__(self):
        return self.name


class BoardSeatQuerySet(MemberScopedQuerySet):
    def in_seed_order(self):
        """By appointing member as in seed 004; each member's ordinary before its deputies."""
        return self.alias(member_rank=seed_order("member__kind")).order_by(
            "member_rank", "member__name", "-kind", "deputy_order"
        )

    def seed_ordered(self) -> list["BoardSeat"]:
        """in_seed_order() read, with each seat's member, put in order in Python: the ORDER BY
        on the member's name cost more to compile than sorting the seats (issue #12). The
        members' names in Swedish alphabetical order, as MemberQuerySet.seed_ordered has them."""
        return sorted(
            self.select_related("member").order_by(),
            key=lambda seat: (
                SEED_RANK[seat.member.kind],
                swedish_name_key(seat.member.name),
                seat.member_id,
                *seat.place_key,
                seat.pk,
            ),
        )


class BoardSeat(models.Model):
    """A seat on the board (styrelse), appointed by a member for a term."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinarie ledamot"
        DEPUTY = "deputy", "Ersättare"

    class Office(models.TextChoices):
        NONE = "", "Inget"
        CHAIR = "chair", "Ordförande"
        VICE_CHAIR = "vice_chair", "Vice ordförande"

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name="utsedd av (uppdragsgivare)",
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="board_seats", verbose_name="person"
    )
    kind = models.CharField("plats", max_length=10, choices=Kind.choices)
    deputy_order = models.PositiveSmallIntegerField(
        "ersättarordning",
        null=True,
        blank=True,
        help_text="I vilken ordning ersättaren går in för en frånvarande ledamot (1, 2 …).",
    )
    party = models.CharField(
        "parti", max_length=40, blank=True, help_text="För politiker, till exempel s eller m."
    )
    term_start = models.DateField("mandatperiod från", default=default_term_start)
    term_end = models.DateField("mandatperiod till", default=default_term_end)
    office = models.CharField(
        "uppdrag i styrelsen", max_length=20, choices=Office.choices, blank=True, default=""
    )

    objects = BoardSeatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "styrelseplats"
        verbose_name_plural = "styrelseplatser"
        ordering = ["member__kind", "member__name", "kind", "deputy_order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")),
                name="board_seat_term_ordered",
                violation_error_message="Mandatperioden måste sluta efter att den börjar.",
            ),
            models.CheckConstraint(
                condition=Q(kind="deputy") | Q(deputy_order__isnull=True),
                name="board_seat_order_only_for_deputies",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_kind_display().lower()}, {self.member})"

    @property
    def place_key(self) -> tuple:
        """A seat's place among its member's: ordinary members first, then the deputies in
        their order, one without an order last (the key of the lists sorted in Python)."""
        return (
            self.kind != self.Kind.ORDINARY,
            self.deputy_order is None,
            self.deputy_order or 0,
        )


class PreparationGroupSeat(models.Model):
    """A member's official in the beredningsgrupp."""

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="preparation_seats",
        verbose_name="representerar",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="preparation_seats",
        verbose_name="person",
    )

    objects = MemberScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "plats i beredningsgruppen"
        verbose_name_plural = "beredningsgruppen"
        ordering = ["member__kind", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "person"],
                name="preparation_seat_unique",
                violation_error_message="Personen företräder redan den medlemmen.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.member})"


class OfficeStaff(models.Model):
    """Someone at the förbund's office (kansli)."""

    class Position(models.TextChoices):
        DIRECTOR = "director", "Förbundschef"
        COORDINATOR = "coordinator", "Samordnare"
        ADMINISTRATOR = "administrator", "Administratör"
        ECONOMIST = "economist", "Ekonom"

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="staff")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="staff_positions", verbose_name="person"
    )
    position = models.CharField("befattning", max_length=20, choices=Position.choices)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kansliet"
        verbose_name_plural = "kansliet"
        ordering = ["association_id", "position", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "person", "position"],
                name="office_staff_unique",
                violation_error_message="Personen har redan den befattningen.",
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.get_position_display().lower()}"
