"""Pages of the follow-up, one module per screen: periods, entry sheets, judgements, indicator pages."""
