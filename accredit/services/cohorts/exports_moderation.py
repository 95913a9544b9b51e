"""The cohort export of moderation figures: a row per criterion of the cohort's standard with
how often reviewers agreed with organisations' own judgement of it (decided reviews only), and
how often they overrode the standard's rules to count it as met."""

from __future__ import annotations

from collections.abc import Iterator

from accredit.data.models import Cohort
from accredit.data.queries.review import reviews as queries
from accredit.data.queries.scope import Scope
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.domain.review.moderation import Agreeing, moderation
from accredit.services.cohorts.exports_rows import (
    Column,
    Row,
    Table,
    cohort_standard,
    percent,
    typed_rows,
)


def moderation_table(scope: Scope, cohort: Cohort) -> Table:
    columns = (
        Column("Section", 34),
        Column("Criterion", 10),
        Column("Title", 60),
        Column("Level", 10),
        Column("Mandatory", 10),
        Column("Judgements", 12, "0"),
        Column("Agreed", 10, "0"),
        Column("Disagreed", 10, "0"),
        Column("Needed more evidence", 12, "0"),
        Column("Overridden", 10, "0"),
        Column("Agreed (%)", 10, "0.0"),
    )

    def batches() -> Iterator[list[Row]]:
        standard = cohort_standard(cohort)
        if standard is None:
            return
        figures = moderation(
            queries.moderation_counts(scope, cohort.id),
            [(s.id, s.title) for s in standard.sections],
            [(c.id, c.title) for c in standard.criteria],
        )
        judged = {line.key: line for line in figures.criteria}
        rows: list[Row] = []
        for section in standard.sections:
            for c in section.criteria:
                line = judged.get(c.id) or Agreeing(c.id, c.title, 0, 0, 0)
                rows.append(
                    (
                        neutralise(section.title),
                        c.id,
                        neutralise(c.title),
                        standard.level(c.level).name,
                        "Yes" if c.mandatory else "No",
                        line.judged,
                        line.agree,
                        line.disagree,
                        line.needs_evidence,
                        line.override,
                        percent(line.percent),
                    )
                )
        yield rows

    return Table("moderation", "Moderation", columns, typed_rows(batches))
