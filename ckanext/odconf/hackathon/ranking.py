"""The ranking of hackathon projects from the judges' scorecards (pure arithmetic).

Each project's score on a criterion is the mean of its judges' scores; its
total is the weighted mean of those, with the programme's weights. Judges
who are in a project's team do not score it, so projects are scored by
different panels; with normalisation on, each judge's scores become z-scores
over everything that judge scored (a harsh judge and a generous one then
weigh the same), put back on the scale with the mean and standard deviation
of all the edition's scores so that they still read as scores.

Ties are broken by the means of the criteria in order of weight (the
heaviest first; of equal weights, the one the programme lists first), then by
the project's name in alphabetical order, so every project has a place of its
own. The README states the same rule.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence

from ckanext.odconf.hackathon.criteria import Criterion

#: Awards by place; the programme's ``awarded_teams`` says how many are given.
PLACES = ("first", "second", "third")
HONOURABLE_MENTION = "honourable-mention"
#: Digits kept when comparing scores, so that sums of the same numbers added
#: in another order still tie.
PRECISION = 9


@dataclass(frozen=True)
class Scorecard:
    """One judge's scores for one project, by criterion slug."""

    project: str
    judge: str
    scores: Mapping[str, float]


@dataclass(frozen=True)
class Standing:
    """A project's place in the ranking and the scores that gave it."""

    project: str
    place: int
    judges: int
    means: Mapping[str, float]
    weighted: Mapping[str, float]
    total: float


def complete(scorecards: Iterable[Scorecard], criteria: Sequence[Criterion]) -> list[Scorecard]:
    """The scorecards that score every criterion, keeping only those scores
    (a criterion the programme dropped after scoring no longer counts)."""
    slugs = [criterion.slug for criterion in criteria]
    return [
        Scorecard(card.project, card.judge, {slug: card.scores[slug] for slug in slugs})
        for card in scorecards
        if all(slug in card.scores for slug in slugs)
    ]


def normalised(scorecards: Sequence[Scorecard]) -> list[Scorecard]:
    """Each judge's scores as z-scores over all that judge's scores (population
    standard deviation), put back on the scale of all scores: ``mean + sd * z``.

    A judge who gave every score the same expresses no preference: all their
    scores become the mean of all scores.
    """
    everything = [score for card in scorecards for score in card.scores.values()]
    if not everything:
        return []
    mean, spread = statistics.fmean(everything), statistics.pstdev(everything)
    by_judge: dict[str, list[float]] = defaultdict(list)
    for card in scorecards:
        by_judge[card.judge].extend(card.scores.values())
    judge_scale = {
        judge: (statistics.fmean(scores), statistics.pstdev(scores))
        for judge, scores in by_judge.items()
    }

    def rescaled(judge: str, score: float) -> float:
        judge_mean, judge_spread = judge_scale[judge]
        z = (score - judge_mean) / judge_spread if judge_spread else 0.0
        return mean + spread * z

    return [
        Scorecard(card.project, card.judge,
                  {slug: rescaled(card.judge, score) for slug, score in card.scores.items()})
        for card in scorecards
    ]


def tie_break_order(criteria: Sequence[Criterion]) -> list[str]:
    """Criteria slugs in the order ties are broken: heaviest first, then as listed."""
    return [criterion.slug for criterion in sorted(criteria, key=lambda c: -c.weight)]


def rank(
    scorecards: Iterable[Scorecard], criteria: Sequence[Criterion], normalise: bool = False,
) -> list[Standing]:
    """The projects that have complete scorecards, best first (see the module
    docstring for the means, the normalisation and the tie rule).

    :param scorecards: every scorecard of the edition; ``project`` is the
        project's name (the last tie-breaker)
    :param criteria: the edition's criteria, in programme order
    :param normalise: turn each judge's scores into z-scores first
    """
    cards = complete(scorecards, criteria)
    if normalise:
        cards = normalised(cards)
    by_project: dict[str, list[Scorecard]] = defaultdict(list)
    for card in cards:
        by_project[card.project].append(card)
    total_weight = sum(criterion.weight for criterion in criteria)
    unranked = []
    for project, project_cards in by_project.items():
        means = {
            criterion.slug: statistics.fmean(card.scores[criterion.slug] for card in project_cards)
            for criterion in criteria
        }
        weighted = {
            criterion.slug: means[criterion.slug] * criterion.weight / total_weight
            for criterion in criteria
        }
        unranked.append((project, len(project_cards), means, weighted, sum(weighted.values())))
    order = tie_break_order(criteria)
    unranked.sort(key=lambda item: (
        -round(item[4], PRECISION), *(-round(item[2][slug], PRECISION) for slug in order), item[0]))
    return [
        Standing(project, place, judges, means, weighted, total)
        for place, (project, judges, means, weighted, total) in enumerate(unranked, start=1)
    ]


def award(place: int, awarded_teams: int, honourable_mentions: int) -> Optional[str]:
    """The award of a place: first, second and third for the ``awarded_teams``
    top places (at most three), then ``honourable_mentions`` honourable mentions."""
    places = min(max(awarded_teams, 0), len(PLACES))
    if place <= places:
        return PLACES[place - 1]
    if place <= places + max(honourable_mentions, 0):
        return HONOURABLE_MENTION
    return None
