"""The rule registry: every rule is one entry, and the model, the admin and the engine use it."""

import numpy as np
import pytest

from scoring_engine import rules
from scoring_engine.admin_views import INDICATOR_PANELS
from scoring_engine.models import Rule, SchemeIndicator

PARAMS = {
    "segments": {"segments": "1:2,5:4", "cap": "4"},
    "percentile": {"cap": "4"},
    "linear": {"lower": "0", "upper": "10", "cap": "4"},
    "yes_no": {"cap": "4"},
    "bonus": {"points": "1", "cap": "4"},
    "deduction": {"points": "1", "cap": "4", "category": "negative"},
}


def test_the_model_choices_are_the_registry():
    assert [value for value, _ in Rule.choices] == list(rules.RULES) == list(PARAMS)
    assert dict(Rule.choices) == {code: rule.label for code, rule in rules.RULES.items()}


def test_every_field_a_rule_takes_is_a_scheme_indicator_field_shown_in_the_admin():
    names = {f.name for f in SchemeIndicator._meta.fields}
    assert set(rules.PARAMETER_FIELDS) <= names
    shown = {
        child.field_name
        for panel in INDICATOR_PANELS
        for child in getattr(panel, "children", [panel])
        if hasattr(child, "field_name")
    }
    assert set(rules.PARAMETER_FIELDS) <= shown
    for rule in rules.RULES.values():
        assert rule.label in rules.rule_help()


@pytest.mark.parametrize("code", list(PARAMS))
def test_each_entry_checks_words_and_scores_through_one_object(code):
    definition = {"rule": code, **PARAMS[code]}
    rule = rules.RULES[code]
    params = rules.RuleParams.of(definition)
    assert rule.check(params) == {}
    assert rule.words(params, "数值").startswith("数值，")
    points = rules.rule_points(np.array([np.nan, 3.0, 6.0]), np.zeros(3), definition).floats()
    assert points[0] == 0  # missing scores 0 under every rule
    assert points.shape == (3,)


def test_an_unknown_rule_is_refused_by_the_engine():
    with pytest.raises(ValueError, match="unknown rule"):
        rules.rule_points(np.array([1.0]), np.zeros(1), {"rule": "magic", "cap": "1"})
