"""Grading per question type, and a property: any answers score 0–100, the key scores 100."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.courses.question_types import QUESTION_TYPES, InvalidAnswer
from app.quizzes.services import percent

SINGLE, MULTIPLE = QUESTION_TYPES["single"], QUESTION_TYPES["multiple"]
TRUE_FALSE, TEXT = QUESTION_TYPES["true_false"], QUESTION_TYPES["text"]


@pytest.mark.parametrize(
    ("question_type", "answer", "correct", "right"),
    [
        (SINGLE, [2], {2}, True),
        (SINGLE, [1], {2}, False),
        (SINGLE, None, {2}, False),
        (TRUE_FALSE, [7], {7}, True),
        (TRUE_FALSE, [8], {7}, False),
        (MULTIPLE, [1, 2], {1, 2}, True),
        (MULTIPLE, [1], {1, 2}, False),
        (MULTIPLE, [1, 2, 3], {1, 2}, False),
        (MULTIPLE, None, {1, 2}, False),
    ],
    ids=["single-right", "single-wrong", "single-none", "tf-right", "tf-wrong",
         "multiple-exact", "multiple-subset", "multiple-all-chosen", "multiple-none"],
)  # fmt: skip
def test_choice_grading(question_type, answer, correct, right):
    assert question_type.grade(answer, correct, {}) is right


@pytest.mark.parametrize(
    ("answer", "right"),
    [("40", True), ("  40 % ", True), ("40  %", True), ("FYRTIO", True), ("4 0", False),
     ("", False), (None, False), ("41", False), ("40 %.", True), ("fyrtio!", True),
     ('"40"', True), ("40 %?!", True), (".", False), ("40.5", False)],
)  # fmt: skip
def test_text_grading_ignores_case_surrounding_whitespace_and_trailing_punctuation(answer, right):
    assert TEXT.grade(answer, set(), {"accept": ["40", "40 %", "fyrtio"]}) is right


@pytest.mark.parametrize(
    ("question_type", "values", "offered", "parsed"),
    [
        (SINGLE, ["5"], [4, 5], [5]),
        (SINGLE, [], [4, 5], None),
        (SINGLE, [""], [4, 5], None),
        (MULTIPLE, ["5", "4", "5"], [4, 5], [4, 5]),
        (MULTIPLE, [], [4, 5], None),
        (TEXT, ["  svar  "], [], "svar"),
        (TEXT, ["   "], [], None),
    ],
)
def test_parse_reads_offered_answers(question_type, values, offered, parsed):
    assert question_type.parse(values, offered) == parsed


@pytest.mark.parametrize(
    ("question_type", "values"),
    [
        (SINGLE, ["9"]),  # an option of another question or quiz
        (SINGLE, ["4", "5"]),  # two answers to a single-choice question
        (SINGLE, ["abc"]),
        (MULTIPLE, ["4", "9"]),
        (TRUE_FALSE, ["-1"]),
        (TEXT, ["a", "b"]),
        (TEXT, ["x" * 501]),
    ],
)
def test_parse_rejects_what_was_not_offered(question_type, values):
    with pytest.raises(InvalidAnswer):
        question_type.parse(values, [4, 5])


question = st.tuples(
    st.sampled_from(["single", "multiple", "true_false"]),
    st.integers(min_value=2, max_value=6),
).flatmap(
    lambda spec: st.tuples(
        st.just(spec[0]),
        st.just(list(range(spec[1]))),
        (
            st.sets(st.integers(0, spec[1] - 1), min_size=1)
            if spec[0] == "multiple"
            else st.integers(0, spec[1] - 1).map(lambda i: {i})
        ),
        st.one_of(st.none(), st.lists(st.integers(0, spec[1] - 1), max_size=spec[1], unique=True)),
    )
)


@pytest.mark.property
@given(st.lists(question, min_size=1, max_size=15))
def test_any_answers_score_within_0_and_100_and_the_key_scores_100(questions):
    points = [
        QUESTION_TYPES[kind].grade(sorted(chosen) if chosen else None, correct, {})
        for kind, _, correct, chosen in questions
    ]
    assert 0 <= percent(sum(points), len(points)) <= 100
    key_points = [
        QUESTION_TYPES[kind].grade(sorted(correct), correct, {})
        for kind, _, correct, _ in questions
    ]
    assert percent(sum(key_points), len(key_points)) == 100


@pytest.mark.parametrize(
    ("points", "total", "expected"), [(0, 4, 0), (3, 4, 75), (7, 9, 77), (2, 3, 66), (9, 9, 100)]
)
def test_percent_rounds_down_so_the_pass_mark_is_never_rounded_up_to(points, total, expected):
    assert percent(points, total) == expected
