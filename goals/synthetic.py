"""A deterministic, realistic synthetic municipality in the goal exchange format, for tests and benchmarks."""

import random
from datetime import date, timedelta
from decimal import Decimal

from .goalfile import DEFAULTS, FORMAT, json_number

BOARD_NAMES = [
    "Kommunstyrelsen", "Barn- och utbildningsnämnden", "Socialnämnden", "Vård- och omsorgsnämnden",
    "Tekniska nämnden", "Kultur- och fritidsnämnden", "Miljö- och byggnadsnämnden", "Valnämnden",
    "Överförmyndarnämnden", "Arbetsmarknadsnämnden", "Samhällsbyggnadsnämnden", "Gymnasienämnden",
]  # fmt: skip
COUNCIL_GOALS = [
    "Kommunen ska vara en attraktiv plats att bo, leva och verka i",
    "Kommunen ska ha en ekonomi i balans med utrymme för investeringar",
    "Alla barn och unga ska få en god start i livet och fullfölja sin utbildning",
    "Äldre ska kunna leva ett självständigt liv med trygghet och god omsorg",
    "Kommunen ska minska sin klimatpåverkan och använda resurser klokt",
    "Näringslivet ska ha goda förutsättningar att starta, växa och anställa",
    "Invånarna ska känna sig trygga i hela kommunen",
    "Kommunen ska vara en attraktiv arbetsgivare",
    "Fler invånare ska vara i arbete eller studier",
    "Kultur- och fritidslivet ska vara rikt och tillgängligt för alla",
    "Kommunens service ska vara tillgänglig, digital och rättssäker",
    "Bostadsbyggandet ska möta behoven i hela kommunen",
]
VERBS = ["Öka", "Förbättra", "Utveckla", "Stärka", "Säkra", "Effektivisera", "Digitalisera", "Förenkla"]
OBJECTS = [
    "kvaliteten i", "tillgängligheten till", "nöjdheten med", "tryggheten i", "samverkan kring",
    "kompetensen inom", "likvärdigheten i", "uppföljningen av",
]  # fmt: skip
AREAS = [
    "förskolan", "grundskolan", "gymnasieskolan", "hemtjänsten", "särskilt boende",
    "individ- och familjeomsorgen", "biblioteken", "räddningstjänsten", "vatten och avlopp",
    "gator och parker", "bygglovshanteringen", "miljötillsynen", "näringslivsservicen", "kollektivtrafiken",
    "måltidsverksamheten", "lokalförsörjningen", "integrationsarbetet", "folkhälsoarbetet",
    "avfallshanteringen", "energiförsörjningen",
]  # fmt: skip
# name, unit, direction, decimals, gender split, Kolada KPI, lowest and highest plausible target
INDICATORS = [
    ("Andel elever som känner sig trygga", "%", "higher", 1, False, "N15643", 70, 95),
    ("Andelen behöriga till vidare utbildning", "%", "higher", 1, True, "N15428", 75, 95),
    ("Brukarbedömning hemtjänst äldreomsorg, helhetssyn", "%", "higher", 0, False, "U21468", 80, 98),
    ("Sjukfrånvaro bland kommunens anställda", "%", "lower", 1, True, "N00090", 4, 9),
    ("Väntetid till särskilt boende", "dagar", "lower", 0, False, None, 20, 90),
    ("Antal besök på biblioteken per invånare", "antal", "higher", 1, False, None, 2, 8),
    ("Nettokostnad per invånare", "kr", "lower", 0, False, None, 2000, 60000),
    ("Andel nöjda företagare", "%", "higher", 0, False, None, 60, 85),
    ("Handläggningstid för bygglov", "veckor", "lower", 1, False, None, 3, 10),
    ("Andel förnybar energi i kommunens verksamheter", "%", "higher", 0, False, None, 40, 100),
    ("Antal genomförda tillsynsbesök", "antal", "higher", 0, False, None, 50, 400),
    ("Andel invånare i arbete eller studier", "%", "higher", 1, True, None, 70, 90),
]
ACTIVITIES = [
    "Ta fram en gemensam rutin för samverkan", "Genomföra en brukarundersökning",
    "Införa e-tjänst för ansökan", "Utbilda medarbetare i bemötande", "Se över lokalbehovet",
    "Upphandla nytt verksamhetssystem", "Ta fram en handlingsplan", "Genomföra dialogmöten med invånare",
    "Kartlägga arbetsmiljön", "Utveckla de digitala verktygen",
]  # fmt: skip
PEOPLE = ["Anna Lindqvist", "Erik Johansson", "Maria Karlsson", "Johan Nilsson", "Sara Berg", ""]
PERSPECTIVES = [
    ("Hållbarhet", "Kommunen verkar för en långsiktigt hållbar ekologisk, social och ekonomisk utveckling."),
    ("Livskvalitet", "Kommunen verkar för god livskvalitet för alla som bor och verkar här."),
    ("Attraktivitet", "Kommunen verkar för ett livskraftigt näringsliv och attraktiva boendemiljöer."),
]
UNITS_PER_BOARD = 2


def _entry(**fields):
    """Fields in the given order, without those at their default: the form that export writes."""
    return {key: value for key, value in fields.items() if value != DEFAULTS.get(key)}


def synthetic_document(goal_count=5000, boards=30, seed=1, municipality="Exempelkommun"):
    """A goal document with exactly `goal_count` goals (at least 3) spread over `boards` boards."""
    rng = random.Random(seed)
    board_codes = [f"B{n:02d}" for n in range(1, boards + 1)]
    organisations = [{"code": "KF", "name": "Kommunfullmäktige", "kind": "council", "parent": None}]
    for n, code in enumerate(board_codes):
        name = BOARD_NAMES[n % len(BOARD_NAMES)] + (
            f" {n // len(BOARD_NAMES) + 1}" if n >= len(BOARD_NAMES) else ""
        )
        organisations.append({"code": code, "name": name, "kind": "board", "parent": "KF"})
    units = {code: [f"{code}-{k}" for k in range(1, UNITS_PER_BOARD + 1)] for code in board_codes}
    for code, parts in units.items():
        organisations += [
            {"code": u, "name": f"Verksamhet {u}", "kind": "unit", "parent": code} for u in parts
        ]

    council_count = min(len(COUNCIL_GOALS), max(1, goal_count - 2))
    rest = max(0, goal_count - 2 - council_count)
    unit_count = rest * 2 // 5
    board_count = rest - unit_count
    council_goals = [_council_goal(rng, title) for title in COUNCIL_GOALS[:council_count]]
    board_goals = []
    for _n in range(board_count):
        council_goal = council_goals[rng.randrange(council_count)]
        goal = _goal(rng, rng.choice(board_codes), units, level="board")
        council_goal["board_goals"].append(goal)
        board_goals.append(goal)
    hosts = rng.sample(board_goals, k=max(1, len(board_goals) // 3)) if board_goals else []
    for _n in range(unit_count if hosts else 0):
        host = rng.choice(hosts)
        owner = rng.choice([host["owner"], *units[host["owner"]]])
        host["unit_goals"].append(_goal(rng, owner, units, level="unit"))
    return {
        "format": FORMAT,
        "version": 1,  # the synthetic document is in version 1's shape
        "municipality": municipality,
        "organisations": organisations,
        "perspectives": [{"name": name, "description": text} for name, text in PERSPECTIVES],
        "vision": _entry(
            title="Vision", description=f"{municipality} är en levande kommun i hela sin geografi."
        ),
        "overarching_goal": _entry(
            title=f"{municipality} har 40 000 invånare 2035",
            valid_to=2035,
            indicators=[
                _entry(
                    name="Invånare totalt",
                    unit="antal",
                    kolada_kpi="N01951",
                    targets=[
                        {"year": year, "value": 36000 + 800 * (year - 2030), "tolerance": 500}
                        for year in (2030, 2035)
                    ],
                )
            ],
        ),
        "council_goals": [_finished(goal) for goal in council_goals],
    }


def _council_goal(rng, title):
    chosen = sorted(rng.sample(range(len(PERSPECTIVES)), k=rng.choice([1, 1, 2])))
    return {
        "title": title,
        "decision": f"KF § {rng.randint(60, 180)} 2023-11-27",
        "valid_from": 2024,
        "valid_to": 2027,
        "perspectives": [PERSPECTIVES[i][0] for i in chosen],
        "board_goals": [],
    }


def _goal(rng, owner, units, level):
    area = rng.choice(AREAS)
    description = ""
    if rng.random() < 0.25:
        description = (
            f"Målet gäller **{area}** och följs upp vid delår och bokslut.\n\n- Ansvar: förvaltningschef"
        )
    decided = date(2024, 1, 15) + timedelta(days=rng.randrange(300))
    goal = {
        "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {area}",
        "description": description,
        "owner": owner,
        "decision": f"{owner.split('-')[0]} § {rng.randint(5, 140)} {decided.isoformat()}",
        "valid_from": 2025,
        "valid_to": rng.choice([2026, 2027]),
        "indicators": [
            _indicator(rng) for _n in range(rng.choice([0, 1, 1, 2] if level == "board" else [0, 0, 1]))
        ],
        "activities": [_activity(rng, owner, units) for _n in range(rng.choice([0, 1, 1, 2]))],
    }
    if level == "board":
        goal["unit_goals"] = []
    return goal


def _indicator(rng):
    name, unit, direction, decimals, split, kolada, low, high = rng.choice(INDICATORS)
    step = Decimal(1).scaleb(-decimals)
    start = Decimal(rng.randint(low * 10**decimals, high * 10**decimals)) * step
    targets = []
    for year in range(2025, 2025 + rng.choice([1, 2, 3])):
        value = start + (year - 2025) * step * rng.randint(0, 20) * (1 if direction == "higher" else -1)
        value = max(value, step)  # a waiting time or a cost does not reach zero
        tolerance = (abs(value) * Decimal("0.05")).quantize(step)
        targets.append({"year": year, "value": json_number(value), "tolerance": json_number(tolerance)})
    fields = {"name": name, "unit": unit, "direction": direction, "decimals": decimals, "gender_split": split}
    return _entry(**fields, kolada_kpi=kolada or "", targets=targets)


def _activity(rng, owner, units):
    start = date(2025, 1, 1) + timedelta(days=rng.randrange(365)) if rng.random() < 0.6 else None
    end = start + timedelta(days=rng.randint(30, 400)) if start and rng.random() < 0.8 else None
    # Now and then a unit of the owning board carries the activity, so that owners are not all defaults.
    doer = rng.choice(units[owner]) if owner in units and rng.random() < 0.2 else None
    return _entry(
        title=rng.choice(ACTIVITIES),
        owner=doer,
        responsible=rng.choice(PEOPLE),
        start_date=start and start.isoformat(),
        end_date=end and end.isoformat(),
    )


def _finished(goal):
    """Drop defaults from a goal and its sub-goals, keeping the sub-goal list last."""
    for key in ("board_goals", "unit_goals"):
        if key in goal:
            goal[key] = [_finished(child) for child in goal.pop(key)]
    return _entry(**goal)
