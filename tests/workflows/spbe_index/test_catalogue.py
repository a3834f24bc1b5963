from fractions import Fraction

import pytest

from workflows.spbe_index.catalogue import (
    CatalogueError,
    framework_for_year,
    framework_ids,
    load_framework,
)


def test_both_frameworks_are_data_files():
    assert framework_ids() == ["permenpanrb-5-2018", "permenpanrb-59-2020"]


def test_59_2020_structure_and_weights():
    fw = load_framework("permenpanrb-59-2020")
    assert len(fw.indicators) == 47 and len(fw.aspects) == 8 and len(fw.domains) == 4
    assert {d: fw.domains[d].weight for d in fw.domains} == {
        "D1": 13, "D2": 25, "D3": Fraction("16.5"), "D4": Fraction("45.5")}
    assert fw.aspects["A7"].weight == Fraction("27.5") and fw.aspects["A8"].weight == 18
    assert fw.aspects["A5"].weight == 12 and fw.aspects["A6"].weight == Fraction("4.5")
    assert fw.total_weight == 100
    assert fw.indicators[21].name == "Penerapan Manajemen Risiko SPBE"
    assert fw.indicators[32].weight == Fraction("2.75") and fw.indicators[47].weight == 3
    assert (fw.min_level, fw.max_level) == (1, 5)
    assert fw.level_name(1, 3) == "Terdefinisi" and fw.level_name(40, 4) == "Kolaborasi"
    assert fw.sources


def test_5_2018_structure_and_weights():
    fw = load_framework("permenpanrb-5-2018")
    assert len(fw.indicators) == 35 and len(fw.aspects) == 7
    assert {d: fw.domains[d].weight for d in fw.domains} == {"D1": 17, "D2": 28, "D3": 55}
    assert (fw.min_level, fw.max_level) == (0, 5)
    assert fw.aspects["A6"].indicators == tuple(range(25, 32))


def test_predikat_bands_are_data():
    fw = load_framework("permenpanrb-59-2020")
    assert [(b.name, b.min) for b in fw.bands] == [
        ("Memuaskan", Fraction("4.2")), ("Sangat Baik", Fraction("3.5")),
        ("Baik", Fraction("2.6")), ("Cukup", Fraction("1.8")), ("Kurang", None)]
    assert fw.band_named("memuaskan").min == Fraction("4.2")
    with pytest.raises(CatalogueError, match="unknown predikat"):
        fw.band_named("Luar Biasa")


def test_framework_for_year_and_unknown_id():
    assert framework_for_year(2018).id == "permenpanrb-5-2018"
    assert framework_for_year(2023).id == "permenpanrb-59-2020"
    with pytest.raises(CatalogueError, match="no framework covers"):
        framework_for_year(1999)
    with pytest.raises(CatalogueError, match="unknown framework 'pemdi'"):
        load_framework("pemdi")
