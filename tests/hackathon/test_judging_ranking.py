"""The ranking arithmetic: weighted means, per-judge normalisation, the tie rule, awards."""
from __future__ import annotations

import pytest

from ckanext.odconf.hackathon.criteria import Criterion
from ckanext.odconf.hackathon.ranking import Scorecard, award, normalised, rank

OVERALL = [Criterion("overall", {"en": "Overall"}, 1)]


def card(project: str, judge: str, **scores: float) -> Scorecard:
    return Scorecard(project, judge, scores)


def places(standings) -> list[str]:
    return [standing.project for standing in standings]


class TestWeightedMeans:
    def test_each_criterion_mean_over_judges_then_weighted(self):
        criteria = [Criterion("impact", {"en": "Impact"}, 3), Criterion("pitch", {"en": "Pitch"}, 1)]
        standings = rank([
            card("alpha", "ana", impact=4, pitch=2),
            card("alpha", "bora", impact=5, pitch=4),
            card("bravo", "ana", impact=3, pitch=5),
        ], criteria)
        alpha, bravo = standings
        assert (alpha.project, alpha.place, alpha.judges) == ("alpha", 1, 2)
        assert alpha.means == {"impact": 4.5, "pitch": 3.0}
        # weighted means: 4.5 * 3/4 and 3 * 1/4, which add up to the total
        assert alpha.weighted == {"impact": 3.375, "pitch": 0.75}
        assert alpha.total == pytest.approx(4.125)
        assert (bravo.place, bravo.total) == (2, 3 * 0.75 + 5 * 0.25)

    def test_only_complete_scorecards_count(self):
        criteria = [Criterion("impact", {"en": "Impact"}, 1), Criterion("pitch", {"en": "Pitch"}, 1)]
        standings = rank([
            card("alpha", "ana", impact=5, pitch=5),
            card("alpha", "bora", impact=1),  # no pitch score: left out
            card("bravo", "ana", impact=2, pitch=2, dropped=5),  # a criterion no longer judged
        ], criteria)
        assert [(s.project, s.judges, s.total) for s in standings] == [("alpha", 1, 5.0), ("bravo", 1, 2.0)]

    def test_no_scorecards_no_ranking(self):
        assert rank([], OVERALL) == []
        assert rank([], OVERALL, normalise=True) == []


class TestWorkedNormalisation:
    """Two judges, four projects, one criterion (README, "Judging").

    Gita is generous and is in team bravo; Hok is harsh and is in team alpha,
    so neither scores their own team's project::

                  alpha  bravo  charlie  delta   judge's mean  judge's sd
        Gita        4      -       5       3         4          0.8165
        Hok         -      3       1       1         1.6667     0.9428

    Without normalisation alpha leads (4, the generous judge's middle score);
    bravo and charlie tie at 3 and the name breaks the tie. With it, each
    score becomes a z-score within its judge's scores: alpha 0, bravo +1.414,
    charlie +1.225 and -0.707, delta -1.225 and -0.707; back on the scale
    (all six scores: mean 2.8333, sd 1.4625) bravo 4.90, charlie 3.21,
    alpha 2.83, delta 1.42. Hok's best project now beats Gita's middling one.
    """

    SCORECARDS = [
        card("alpha", "gita", overall=4), card("charlie", "gita", overall=5),
        card("delta", "gita", overall=3),
        card("bravo", "hok", overall=3), card("charlie", "hok", overall=1),
        card("delta", "hok", overall=1),
    ]

    def test_without_normalisation(self):
        standings = rank(self.SCORECARDS, OVERALL)
        assert places(standings) == ["alpha", "bravo", "charlie", "delta"]
        assert [s.total for s in standings] == [4, 3, 3, 2]

    def test_with_normalisation_the_ranking_changes(self):
        standings = rank(self.SCORECARDS, OVERALL, normalise=True)
        assert places(standings) == ["bravo", "charlie", "alpha", "delta"]
        assert [round(s.total, 2) for s in standings] == [4.90, 3.21, 2.83, 1.42]

    def test_z_scores_on_the_scale_of_all_scores(self):
        scores = {(c.project, c.judge): c.scores["overall"] for c in normalised(self.SCORECARDS)}
        assert scores[("alpha", "gita")] == pytest.approx(17 / 6)  # Gita's own mean
        assert scores[("bravo", "hok")] == pytest.approx(17 / 6 + 1.46249 * 2 ** 0.5, abs=1e-4)

    def test_a_judge_giving_one_score_to_everything_prefers_nothing(self):
        scores = normalised([card("alpha", "ana", overall=5), card("bravo", "ana", overall=5),
                             card("alpha", "bora", overall=1), card("bravo", "bora", overall=3)])
        # every score: mean 3.5; Ana's two fives carry no preference
        assert [c.scores["overall"] for c in scores if c.judge == "ana"] == [3.5, 3.5]


class TestTies:
    CRITERIA = [Criterion("presentation", {"en": "Presentation"}, 1),
                Criterion("impact", {"en": "Impact"}, 2),
                Criterion("feasibility", {"en": "Feasibility"}, 1)]

    def test_the_heaviest_criterion_breaks_a_tie(self):
        # both total 3: zulu is better on impact (weight 2), so it goes first
        standings = rank([card("alpha", "ana", presentation=5, impact=2, feasibility=3),
                          card("zulu", "ana", presentation=2, impact=4, feasibility=2)], self.CRITERIA)
        assert [(s.project, s.total) for s in standings] == [("zulu", 3.0), ("alpha", 3.0)]

    def test_equal_weights_in_programme_order_then_the_name(self):
        # impact equal; presentation (listed before feasibility) decides
        standings = rank([card("alpha", "ana", presentation=2, impact=3, feasibility=4),
                          card("bravo", "ana", presentation=4, impact=3, feasibility=2)], self.CRITERIA)
        assert places(standings) == ["bravo", "alpha"]
        # the same scores everywhere: alphabetical, each with a place of its own
        standings = rank([card("zulu", "ana", presentation=3, impact=3, feasibility=3),
                          card("alpha", "ana", presentation=3, impact=3, feasibility=3)], self.CRITERIA)
        assert [(s.project, s.place) for s in standings] == [("alpha", 1), ("zulu", 2)]

    def test_sums_in_another_order_still_tie(self):
        criteria = [Criterion(slug, {"en": slug}, 1) for slug in ("aa", "bb", "cc")]
        # 1/3 + 2/3 + 3/3 is 2.0 but 3/3 + 2/3 + 1/3 is 1.9999999999999998: a
        # tie all the same, which the first criterion breaks for alpha
        standings = rank([card("bravo", "ana", aa=1, bb=2, cc=3), card("alpha", "ana", aa=3, bb=2, cc=1)],
                         criteria)
        assert standings[0].total < standings[1].total
        assert places(standings) == ["alpha", "bravo"]


class TestAwards:
    @pytest.mark.parametrize("awarded, mentions, expected", [
        (3, 0, ["first", "second", "third", None, None]),
        (3, 2, ["first", "second", "third", "honourable-mention", "honourable-mention"]),
        (1, 1, ["first", "honourable-mention", None, None, None]),
        (5, 0, ["first", "second", "third", None, None]),  # three awards by place at most
        (0, 0, [None] * 5),
    ])
    def test_places(self, awarded, mentions, expected):
        assert [award(place, awarded, mentions) for place in range(1, 6)] == expected
