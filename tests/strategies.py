"""Hypothesis strategies for valid sessions, shared by the property tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from trd_tui import model

VISIT = dt.date(2026, 11, 20)
# Any Unicode a clinician might type, including markup-like brackets; TOML
# cannot hold surrogates, and these are the only code points it refuses.
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
label = text.filter(lambda s: s.strip())
past_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=VISIT)
utc_times = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
).map(lambda t: t.replace(microsecond=0))
doses = st.none() | st.integers(1, 2000) | st.floats(0.5, 2000, allow_nan=False).map(lambda x: round(x, 2))
# Values TOML can carry, for keys this version does not know.
toml_values = st.recursive(
    st.integers(-(2**31), 2**31) | text | st.booleans() | past_dates,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, max_size=3),
    max_leaves=6,
)
extras = st.dictionaries(st.from_regex(r"x_[a-z]{1,6}", fullmatch=True), toml_values, max_size=2)


@st.composite
def trials(draw: st.DrawFn) -> model.Trial:
    start = draw(past_dates)
    end = draw(st.none() | st.dates(min_value=start, max_value=VISIT))
    dose = draw(doses)
    reached = None if dose is None else draw(st.none() | st.dates(min_value=start, max_value=end or VISIT))
    return model.Trial(
        treatment=draw(st.sampled_from(["sertraline", "venlafaxine", "ect", "lithium"]) | label),
        role=draw(st.sampled_from(model.Role)),
        dose_mg=dose,
        start=start,
        dose_reached=reached,
        end=end,
        adherence=draw(st.sampled_from(model.Adherence)),
        outcome=draw(st.sampled_from(model.Outcome)),
        stop_reason=draw(text),
        side_effects=tuple(draw(st.lists(label, max_size=3))),
        note=draw(text),
        extra=draw(extras),
    )


@st.composite
def sessions(draw: st.DrawFn) -> model.Session:
    return model.Session(
        session=model.SessionInfo(
            visit_date=VISIT,
            created=draw(st.none() | utc_times),
            updated=draw(st.none() | utc_times),
            clinician=draw(text),
            extra=draw(extras),
        ),
        patient=model.Patient(
            label=draw(label),
            record_id=draw(text),
            birth_year=draw(st.none() | st.integers(1900, VISIT.year)),
            sex=draw(st.none() | st.sampled_from(model.Sex)),
        ),
        episode=model.Episode(
            onset=draw(st.none() | past_dates),
            severity=draw(st.none() | st.sampled_from(model.Severity)),
            note=draw(text),
        ),
        checklist=draw(
            st.dictionaries(
                st.sampled_from(["sleep", "dose", "suicidality", "bipolar-features"]),
                st.builds(model.ChecklistEntry, status=st.sampled_from(model.ReviewStatus), note=text),
                max_size=4,
            )
        ),
        trials=tuple(draw(st.lists(trials(), max_size=4))),
        measurements=tuple(
            draw(
                st.lists(
                    st.builds(
                        model.Measurement,
                        date=past_dates,
                        instrument=st.sampled_from(["PHQ-9", "GAD-7", "QIDS-SR16"]),
                        score=st.integers(0, 27),
                        items=st.none() | st.lists(st.integers(0, 3), min_size=1, max_size=9).map(tuple),
                    ),
                    max_size=3,
                )
            )
        ),
        options=tuple(
            draw(
                st.lists(
                    st.builds(
                        model.OptionNote,
                        id=st.sampled_from(["esketamine", "rtms", "ect"]),
                        status=st.sampled_from(model.OptionStatus),
                        note=text,
                        preference=st.none() | st.sampled_from(model.Preference),
                    ),
                    max_size=3,
                )
            )
        ),
        plan=model.Plan(text=draw(text), next_review=draw(st.none() | st.dates(min_value=VISIT, max_value=dt.date(2028, 1, 1)))),
        extra=draw(extras),
    )
