"""The week grid writes OpenStreetMap expressions and reads back those it can show: an expression
goes into the grid only if the grid says the same hours, never a near miss."""

import pytest

from places.hours_grid import Grid, Season, Week, same_hours

WEEKDAYS = (("09:00", "12:00"), ("14:00", "17:00"))


def week(**days):
    """A Week from {"mo": ranges, …}."""
    keys = ["mo", "tu", "we", "th", "fr", "sa", "su"]
    return Week(tuple(tuple(days.get(key, ())) for key in keys))


GRIDS = [
    (Grid(), ""),
    (Grid(week(mo=WEEKDAYS)), "Mo 09:00-12:00,14:00-17:00"),
    (
        Grid(week(**dict.fromkeys(["mo", "tu", "we", "th", "fr"], WEEKDAYS))),
        "Mo-Fr 09:00-12:00,14:00-17:00",
    ),
    (Grid(week(mo=[("09:00", "12:00")], we=[("09:00", "12:00")])), "Mo,We 09:00-12:00"),
    (Grid(week(sa=[("10:00", "12:00")], su=[("10:00", "12:00")])), "Sa,Su 10:00-12:00"),
    (Grid(week(mo=[("20:00", "02:00")])), "Mo 20:00-02:00"),
    (Grid(week(fr=[("18:00", "24:00")])), "Fr 18:00-24:00"),
    (Grid(week(mo=WEEKDAYS), holidays_closed=True), "Mo 09:00-12:00,14:00-17:00; PH off"),
    (
        Grid(
            week(mo=WEEKDAYS, tu=WEEKDAYS),
            (Season((7, None), (8, None), week(mo=[("09:00", "19:00")], sa=[("09:00", "19:00")])),),
        ),
        "Mo,Tu 09:00-12:00,14:00-17:00; Jul-Aug Mo,Sa 09:00-19:00; Jul-Aug Tu off",
    ),
    (
        Grid(week(mo=WEEKDAYS), (Season((8, None), (8, None)),)),
        "Mo 09:00-12:00,14:00-17:00; Aug off",
    ),
    (
        Grid(week(mo=WEEKDAYS), (Season((12, 24), (1, 2)),)),
        "Mo 09:00-12:00,14:00-17:00; Dec 24-Jan 02 off",
    ),
    (
        Grid(Week(), (Season((6, 15), (9, 15), week(su=[("10:00", "18:00")])),)),
        "Jun 15-Sep 15 Su 10:00-18:00",
    ),
]


@pytest.mark.parametrize(("grid", "expression"), GRIDS)
def test_a_grid_writes_its_expression_and_reads_it_back(grid, expression):
    """Each grid writes the expression it means, and that expression gives the same grid."""
    assert grid.expression() == expression
    assert Grid.from_expression(expression) == grid


READ_BACK = [
    "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
    "Mo-Fr 09:00-12:00,14:00-18:00; Jul-Aug Mo-Sa 09:00-19:00",
    "Jun-Sep Mo-Sa 09:00-19:00; Oct-May Mo-Fr 10:00-17:00; PH off",
    "Tu-Sa 09:00-12:30",
    "Mo 09:00-12:00; We 09:00-12:00",
    "Mo-Su 08:00-20:00; Su off",
    "Mo-Fr 9:00-12:00",
    "Mo-Fr 09:00-12:00; Aug off; PH closed",
    "24/7",
    "Jun 15-Sep 15 Mo-Su 10:00-18:00; Dec 24-Jan 01 off",
]


@pytest.mark.parametrize("expression", READ_BACK)
def test_expressions_people_write_fit_the_grid_with_the_same_hours(expression):
    """Expressions written by hand in the shapes the grid knows are read into it, and the grid
    writes them back with exactly the same opening times (the text may be tidier)."""
    grid = Grid.from_expression(expression)
    assert grid is not None
    assert same_hours(expression, grid.expression())
    assert Grid.from_expression(grid.expression()) == grid


TOO_COMPLEX = [
    'Mo-Fr 09:00-12:00 "sur rendez-vous"',  # a comment
    "Mo-Fr 09:00-12:00, We 14:00-16:00",  # an additional rule
    "Mo-Fr 09:00-12:00 || Sa 10:00-12:00 unknown",  # a fallback rule
    "week 1-53/2 Mo 09:00-12:00",  # every other week
    "Mo[1] 09:00-12:00",  # the first Monday of the month
    "Jul-Aug off; Mo 09:00-12:00",  # a season overridden by the usual week after it
    "PH off; Mo 09:00-12:00",
    "Mo-Fr sunrise-sunset",
    "du lundi au vendredi 9h-12h",  # French: translated before, never stored
]


@pytest.mark.parametrize("expression", TOO_COMPLEX)
def test_what_the_grid_cannot_say_stays_an_expression(expression):
    """Hours the grid cannot show exactly are not forced into it."""
    assert Grid.from_expression(expression) is None


def test_limits_of_the_form_grid_are_kept():
    """A grid with more periods or ranges than the form shows is left to the expression."""
    three_ranges = "Mo 08:00-09:00,10:00-11:00,12:00-13:00"
    assert Grid.from_expression(three_ranges, max_ranges=3) is not None
    assert Grid.from_expression(three_ranges, max_ranges=2) is None
    two_seasons = "Mo 09:00-12:00; Jul off; Aug Mo 10:00-11:00"
    assert Grid.from_expression(two_seasons, max_seasons=2) is not None
    assert Grid.from_expression(two_seasons, max_seasons=1) is None


def test_a_period_closes_the_days_opened_before_it():
    """A period whose week leaves a day empty closes it, though the usual week opens it."""
    grid = Grid(week(su=[("10:00", "12:00")]), (Season((8, None), (8, None), week(mo=WEEKDAYS)),))
    assert grid.expression() == ("Su 10:00-12:00; Aug Mo 09:00-12:00,14:00-17:00; Aug Su off")
