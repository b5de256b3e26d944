"""The keys of Nora's five levels, the default styrmodell (`goals.chain.DEFAULT_LEVELS`), for Nora's tests."""


class Level:
    VISION = "vision"
    OVERARCHING = "overarching"
    COUNCIL = "council"
    BOARD = "board"
    UNIT = "unit"
    values = (VISION, OVERARCHING, COUNCIL, BOARD, UNIT)
