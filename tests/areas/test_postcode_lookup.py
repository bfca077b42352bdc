"""postcode_lookup: what people type, resolved to a postcode and ward of the force."""

import pytest

from areas.selectors import PostcodeStatus, postcode_lookup

pytestmark = pytest.mark.django_db


def test_what_people_type_is_normalised_before_it_is_looked_up():
    result = postcode_lookup(" hu1  1aa ")
    assert result.status is PostcodeStatus.FOUND
    assert result.normalised == "HU1 1AA"
    assert result.postcode.code == "HU1 1AA"


@pytest.mark.parametrize(
    ("postcode", "ward"),
    [
        ("HU1 1AA", "E05011541"),  # Kingston upon Hull
        ("YO15 1AA", "E05001688"),  # East Riding of Yorkshire
        ("DN31 1AA", "E05001725"),  # North East Lincolnshire
        ("DN10 4BE", "E05015078"),  # North Lincolnshire
    ],
)
def test_a_postcode_in_each_district_resolves_to_its_ward_and_point(postcode, ward):
    result = postcode_lookup(postcode)
    assert result.ok
    assert result.ward.code == ward
    assert result.ward.boundary.covers(result.point)


@pytest.mark.parametrize("text", ["", "HU1", "HU1 1A", "1HU 1AA", "not a postcode"])
def test_text_that_cannot_be_a_postcode_is_malformed(text):
    result = postcode_lookup(text)
    assert result.status is PostcodeStatus.MALFORMED
    assert result.ward is None
    assert "does not look like a UK postcode" in result.message


def test_a_well_formed_postcode_of_an_outward_code_in_the_force_but_not_in_the_table_is_unknown():
    result = postcode_lookup("HU1 9ZZ")
    assert result.status is PostcodeStatus.UNKNOWN
    assert result.postcode is None


def test_a_postcode_of_an_outward_code_the_force_does_not_cover_is_outside():
    result = postcode_lookup("SW1A 1AA")
    assert result.status is PostcodeStatus.OUTSIDE
    assert "outside the area we cover" in result.message
