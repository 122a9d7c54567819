"""`flask municipalities seed`: the 15 municipalities with their official codes."""

from app.extensions import db
from app.municipalities.models import Municipality

EXPECTED = {
    "2021": "Vansbro", "2023": "Malung-Sälen", "2026": "Gagnef", "2029": "Leksand",
    "2031": "Rättvik", "2034": "Orsa", "2039": "Älvdalen", "2061": "Smedjebacken",
    "2062": "Mora", "2080": "Falun", "2081": "Borlänge", "2082": "Säter",
    "2083": "Hedemora", "2084": "Avesta", "2085": "Ludvika",
}  # fmt: skip


def all_municipalities() -> dict[str, str]:
    return {m.code: m.name for m in db.session.scalars(db.select(Municipality))}


def test_seed_creates_the_15_and_is_idempotent(runner):
    first = runner.invoke(args=["municipalities", "seed"])
    assert first.exit_code == 0 and "15 created" in first.output
    assert all_municipalities() == EXPECTED
    second = runner.invoke(args=["municipalities", "seed"])
    assert second.exit_code == 0 and "0 created" in second.output
    assert all_municipalities() == EXPECTED


def test_seed_repairs_a_renamed_municipality_and_keeps_its_targets(runner):
    runner.invoke(args=["municipalities", "seed"])
    falun = db.session.scalar(db.select(Municipality).filter_by(code="2080"))
    falun.name, falun.staff_target = "Falun (fel)", 350
    db.session.commit()
    runner.invoke(args=["municipalities", "seed"])
    db.session.refresh(falun)
    assert (falun.name, falun.staff_target) == ("Falun", 350)
