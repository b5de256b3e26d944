"""How a judgement is worded: at an interim period a forecast for the year, at the annual one the outcome."""

from django.utils.translation import pgettext_lazy

from .models import Assessment, ReportingPeriod

J = Assessment.Judgement

FORECAST = {
    # Translators: forecast at an interim report, Swedish "bedöms uppfyllas".
    J.MET: pgettext_lazy("forecast", "Expected to be met"),
    # Translators: forecast at an interim report, Swedish "bedöms delvis uppfyllas".
    J.PARTLY_MET: pgettext_lazy("forecast", "Expected to be partly met"),
    # Translators: forecast at an interim report, Swedish "bedöms inte uppfyllas".
    J.NOT_MET: pgettext_lazy("forecast", "Not expected to be met"),
    # Translators: Swedish "ej bedömt".
    J.NOT_ASSESSED: pgettext_lazy("forecast", "Not assessed"),
}
OUTCOME = {
    # Translators: outcome at the annual report, Swedish "uppfyllt".
    J.MET: pgettext_lazy("outcome", "Met"),
    # Translators: outcome at the annual report, Swedish "delvis uppfyllt".
    J.PARTLY_MET: pgettext_lazy("outcome", "Partly met"),
    # Translators: outcome at the annual report, Swedish "ej uppfyllt".
    J.NOT_MET: pgettext_lazy("outcome", "Not met"),
    # Translators: Swedish "ej bedömt".
    J.NOT_ASSESSED: pgettext_lazy("outcome", "Not assessed"),
}


def judgement_label(kind, judgement):
    """The words for `judgement` in a period of `kind` (a ReportingPeriod, or its kind)."""
    kind = getattr(kind, "kind", kind)
    labels = OUTCOME if kind == ReportingPeriod.Kind.ANNUAL else FORECAST
    return labels[J(judgement)]


def judgement_choices(kind):
    """Choices for a judgement field, worded for the period's kind."""
    return [(j.value, judgement_label(kind, j)) for j in J]
