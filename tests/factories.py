"""Factories for every model of the organisation."""

import datetime

import factory

from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    Role,
    TargetGroup,
    User,
)
from finsam.validators import luhn_is_valid

PASSWORD = "ett-langt-testlosenord"


def _org_numbers():
    """Valid organisationsnummer in the 222000-series, one after another."""
    number = 2220001000
    while True:
        number += 1
        if luhn_is_valid(str(number)):
            digits = str(number)
            yield f"{digits[:6]}-{digits[6:]}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    org_number = factory.Iterator(_org_numbers())
    founded = datetime.date(2009, 9, 1)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    kind = Role.Kind.OFFICER


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Målgrupp {n}")
    position = factory.Sequence(lambda n: n + 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    kind = Member.Kind.KOMMUN
    name = factory.Sequence(lambda n: f"Kommun {n}")
    population = 10_000
    active_from = datetime.date(2009, 9, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    association = factory.SubFactory(AssociationFactory)
    name = factory.Faker("name", locale="sv_SE")


class BoardSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardSeat

    member = factory.SubFactory(MemberFactory)
    person = factory.SubFactory(
        PersonFactory, association=factory.SelfAttribute("..member.association")
    )
    kind = BoardSeat.Kind.ORDINARY
    term_start = datetime.date(2023, 4, 1)
    term_end = datetime.date(2027, 3, 31)


class PreparationGroupSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreparationGroupSeat

    member = factory.SubFactory(MemberFactory)
    person = factory.SubFactory(
        PersonFactory, association=factory.SelfAttribute("..member.association")
    )


class OfficeStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeStaff

    association = factory.SubFactory(AssociationFactory)
    person = factory.SubFactory(PersonFactory, association=factory.SelfAttribute("..association"))
    position = OfficeStaff.Position.COORDINATOR


def complete_association(**kwargs) -> Association:
    """A förbund with all four kinds of member and a full board for the current term."""
    association = AssociationFactory(**kwargs)
    members = [
        MemberFactory(association=association, name="Landskrona stad", population=46_529),
        MemberFactory(association=association, name="Svalövs kommun", population=14_428),
        MemberFactory(association=association, name="Region Skåne", kind="region", population=None),
        MemberFactory(
            association=association, name="Försäkringskassan", kind="fk", population=None
        ),
        MemberFactory(
            association=association, name="Arbetsförmedlingen", kind="af", population=None
        ),
    ]
    for member in members:
        BoardSeatFactory(member=member, office="chair" if member is members[0] else "")
        BoardSeatFactory(member=member, kind=BoardSeat.Kind.DEPUTY, deputy_order=1)
    return association
