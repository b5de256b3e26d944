"""Pages of the follow-up, one module per screen: periods, entry, judgements, indicators, files."""
