import random

import pytest

from fairspot.draw.errors import PopulationError, SpecError
from fairspot.draw.population import (
    canonical_population_bytes,
    parse_canonical_population,
    population_from_rows,
    read_population_csv,
)
from fairspot.testing.engine import rows


def canon(data, **kw):
    return canonical_population_bytes(population_from_rows(data, **kw))


def test_canonical_file_format():
    data = canon(
        [
            {"id": "B2", "t": 'say "hi"', "w": "02.50"},
            {"id": "A1", "t": "a,b", "w": "1"},
            {"id": "A", "t": "x", "w": "3"},
        ],
        stratify_by=["t"],
        weight_column="w",
    )
    assert data == b'id,t,w\nA,x,3\nA1,"a,b",1\nB2,"say ""hi""",2.5\n'


def test_row_order_does_not_matter():
    data = rows(50)
    shuffled = data[:]
    random.Random(4).shuffle(shuffled)
    assert canon(data, stratify_by=["township"]) == canon(shuffled, stratify_by=["township"])


def test_duplicate_id_names_both_rows():
    data = rows(10)
    data[7]["id"] = data[2]["id"]
    with pytest.raises(PopulationError, match=r"duplicate id '.*' on rows 3 and 8"):
        population_from_rows(data)


def test_duplicate_id_in_csv_names_lines():
    csv = b"id,township\nX1,a\nX2,b\nX1,c\n"
    with pytest.raises(PopulationError, match="lines 2 and 4"):
        read_population_csv(csv, stratify_by=["township"])


def test_spec_naming_missing_column():
    with pytest.raises(SpecError, match="'industry' which the population lacks"):
        read_population_csv(b"id,township\nX1,a\n", stratify_by=["industry"])
    with pytest.raises(SpecError, match="lacks"):
        population_from_rows([{"id": "X"}], stratify_by=["industry"])


@pytest.mark.parametrize("bad", ["", " X1", "X 1", "Ｘ1", "a" * 129, "x,y"])
def test_bad_identifiers(bad):
    with pytest.raises(PopulationError, match="identifier"):
        population_from_rows([{"id": bad}])


@pytest.mark.parametrize("value,msg", [("", "empty"), (" A", "white space"), ("A\x07", "control")])
def test_bad_stratum_values(value, msg):
    with pytest.raises(PopulationError, match=msg):
        population_from_rows([{"id": "X", "t": value}], stratify_by=["t"])


@pytest.mark.parametrize("weight", ["0", "-1", "abc", "1e3", "0.000"])
def test_bad_weights(weight):
    with pytest.raises(PopulationError, match="weight"):
        population_from_rows([{"id": "X", "w": weight}], weight_column="w")


def test_strict_parse_round_trip_and_rejections():
    data = canon(rows(30), stratify_by=["township"])
    pop = parse_canonical_population(data, stratify_by=["township"])
    assert canonical_population_bytes(pop) == data
    lines = data.split(b"\n")
    bad_variants = [
        data.replace(b"\n", b"\r\n"),
        data[:-1],
        b"\n".join([lines[0], lines[2], lines[1], *lines[3:]]),  # out of order
        b"\n".join([lines[0], lines[1], lines[1], *lines[2:]]),  # duplicate
        data.replace(b"id,township", b"id,Township"),
        data.replace(b',"Town, ""X"""', b',"Town, ""X""" '),
        data.replace(b",\xe5\x85\xb3\xe5\xa0\xa4\xe4\xb9\xa1", b',"\xe5\x85\xb3\xe5\xa0\xa4\xe4\xb9\xa1"'),
    ]
    for bad in bad_variants:
        assert bad != data
        with pytest.raises(PopulationError):
            parse_canonical_population(bad, stratify_by=["township"])


def test_empty_population():
    with pytest.raises(PopulationError, match="no rows"):
        population_from_rows([])
