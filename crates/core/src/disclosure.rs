//! Disclosure control for tables that will be published: counts of 1 to 4
//! are suppressed (shown as DfE's `c`), and then, so that no suppressed
//! count can be worked out from a total, a second cell is suppressed in any
//! row or column where only one is (the smallest other count there). A
//! zero is shown: it says nothing about any person, and is never hidden
//! to protect another cell.

/// The smallest count shown, other than zero.
pub const THRESHOLD: u32 = 5;

/// Whether a count of people is too small to publish (1 to 4).
pub fn is_disclosive(n: u32) -> bool {
    n > 0 && n < THRESHOLD
}

/// Whether a figure resting on `part` of `whole` people (a share, or a
/// count beside its whole) may leave the server for a member or a
/// publication: no count of 1 to 4 among the part, the rest, or the whole
/// (a percentage of a known whole gives the part back).
pub fn share_publishable(part: u32, whole: u32) -> bool {
    !(is_disclosive(part) || is_disclosive(whole) || is_disclosive(whole.saturating_sub(part)))
}

/// A table of counts with its row and column totals shown; `None` cells are
/// suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub cells: Vec<Vec<Option<u32>>>,
    /// Cells suppressed only so that another cannot be worked out.
    pub secondary: Vec<(usize, usize)>,
}

/// Suppresses `counts` (rows of equal length) for publication.
pub fn suppress(counts: &[Vec<u32>]) -> Suppressed {
    let mut cells: Vec<Vec<Option<u32>>> =
        counts.iter().map(|row| row.iter().map(|&n| (!is_disclosive(n)).then_some(n)).collect()).collect();
    let mut secondary = Vec::new();
    let width = counts.first().map_or(0, Vec::len);
    loop {
        let mut changed = false;
        // Rows, then columns: wherever exactly one cell is hidden, hide the smallest shown one too.
        let lines: Vec<Vec<(usize, usize)>> = (0..cells.len())
            .map(|r| (0..width).map(|c| (r, c)).collect())
            .chain((0..width).map(|c| (0..cells.len()).map(|r| (r, c)).collect()))
            .collect();
        for line in lines {
            let hidden = line.iter().filter(|(r, c)| cells[*r][*c].is_none()).count();
            if hidden != 1 {
                continue;
            }
            // A zero is no use: hiding it leaves the hidden cells' sum, and so the other cell, as plain.
            if let Some(&(r, c)) = line
                .iter()
                .filter(|(r, c)| cells[*r][*c].is_some() && counts[*r][*c] > 0)
                .min_by_key(|(r, c)| counts[*r][*c])
            {
                cells[r][c] = None;
                secondary.push((r, c));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Suppressed { cells, secondary }
}

/// Which counts of a table to hide when only its columns have totals shown
/// (counts of people of each kind, by team, with the authority's totals):
/// each column with its total is suppressed on its own, as [`suppress`]
/// does a line, and no row is taken to add up.
pub fn hidden_in_columns(counts: &[Vec<u32>]) -> Vec<Vec<bool>> {
    let width = counts.first().map_or(0, Vec::len);
    let mut hidden = vec![vec![false; width]; counts.len()];
    for k in 0..width {
        let mut column: Vec<Vec<u32>> = counts.iter().map(|r| vec![r.get(k).copied().unwrap_or(0)]).collect();
        column.push(vec![column.iter().map(|c| c[0]).sum()]);
        for (row, cell) in hidden.iter_mut().zip(suppress(&column).cells) {
            row[k] = cell[0].is_none();
        }
    }
    hidden
}

/// The counts a group's figures rest on, as the indicator fields name
/// them: people, and the children in their cases.
pub const GROUP_COUNTS: [&str; 7] = [
    "cases",
    "inpost_headcount",
    "starters_headcount",
    "leavers_headcount",
    "agency_headcount",
    "moves_in_headcount",
    "moves_out_headcount",
];

/// Each figure of a group, and the counts of people it rests on: a figure
/// is shown only when every count it rests on is.
pub const RESTS_ON: &[(&str, &[&str])] = &[
    ("inpost_fte", &["inpost_headcount"]),
    ("starters_fte", &["starters_headcount", "inpost_headcount"]),
    ("leavers_fte", &["leavers_headcount", "inpost_headcount"]),
    ("turnover_rate_fte", &["leavers_headcount", "inpost_headcount"]),
    ("turnover_rate_headcount", &["leavers_headcount", "inpost_headcount"]),
    ("agency_fte", &["agency_headcount"]),
    ("agency_rate_fte", &["agency_headcount", "inpost_headcount"]),
    ("agency_rate_headcount", &["agency_headcount", "inpost_headcount"]),
    ("agency_cover_fte", &["agency_headcount", "inpost_headcount"]),
    ("agency_cover_rate_fte", &["agency_headcount", "inpost_headcount"]),
    ("vacancy_fte", &["inpost_headcount"]),
    ("vacancy_rate_fte", &["inpost_headcount"]),
    ("vacancy_agency_cover_rate_fte", &["agency_headcount", "inpost_headcount"]),
    ("case_holders_fte", &["inpost_headcount", "agency_headcount"]),
    ("cases", &["inpost_headcount", "agency_headcount"]),
    ("caseload_fte", &["cases", "inpost_headcount", "agency_headcount"]),
    ("working_days_lost_fte", &["inpost_headcount"]),
    ("absence_rate_fte", &["inpost_headcount"]),
    ("moves_in_fte", &["moves_in_headcount"]),
    ("moves_out_fte", &["moves_out_headcount"]),
];

/// The figures of each of `groups` groups (teams, services, roles: one
/// breakdown, whose total is shown too) that may not leave the server for a
/// member or a publication; `count(g, field)` gives group `g`'s count of
/// people for each of [`GROUP_COUNTS`]. The rule, in one place:
/// - a count of 1 to 4 is hidden; a group with 1 to 4 in post is hidden whole;
/// - where only one group hides a count, the group with the smallest other
///   count (not zero) hides it too, so that the total does not give it back;
/// - every figure resting on a hidden count (FTE, rates, days, cases) is
///   hidden with it ([`RESTS_ON`]).
pub fn hidden_figures(
    groups: usize,
    count: impl Fn(usize, &str) -> u32,
) -> Vec<std::collections::BTreeSet<&'static str>> {
    let mut hidden: Vec<std::collections::BTreeSet<&'static str>> =
        (0..groups).map(|g| GROUP_COUNTS.iter().copied().filter(|f| is_disclosive(count(g, f))).collect()).collect();
    loop {
        let mut changed = false;
        for (g, h) in hidden.iter_mut().enumerate() {
            if h.contains("inpost_headcount") {
                for f in GROUP_COUNTS {
                    changed |= count(g, f) > 0 && h.insert(f);
                }
            }
        }
        if groups > 1 {
            for f in GROUP_COUNTS {
                let hiding = (0..groups).filter(|g| hidden[*g].contains(f)).count();
                if hiding != 1 {
                    continue;
                }
                let other =
                    (0..groups).filter(|g| !hidden[*g].contains(f) && count(*g, f) > 0).min_by_key(|g| count(*g, f));
                if let Some(g) = other {
                    hidden[g].insert(f);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for h in &mut hidden {
        for (figure, counts) in RESTS_ON {
            if counts.iter().any(|c| h.contains(c)) {
                h.insert(figure);
            }
        }
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_go_and_so_does_the_cell_that_would_give_them_away() {
        // Leavers by team (rows) and reason (columns).
        let t = suppress(&[vec![12, 3, 9], vec![20, 8, 15], vec![7, 11, 6]]);
        assert_eq!(t.cells[0][1], None, "3 is under 5");
        // Row 0 and column 1 would each have one hidden cell: a second goes in each.
        let hidden_in_row0 = t.cells[0].iter().filter(|c| c.is_none()).count();
        let hidden_in_col1 = t.cells.iter().filter(|r| r[1].is_none()).count();
        assert!(hidden_in_row0 >= 2 && hidden_in_col1 >= 2, "{t:?}");
        // No row or column is left with exactly one hidden cell.
        for r in &t.cells {
            assert_ne!(r.iter().filter(|c| c.is_none()).count(), 1);
        }
        for c in 0..3 {
            assert_ne!(t.cells.iter().filter(|r| r[c].is_none()).count(), 1);
        }
        assert!(!t.secondary.is_empty());
        // A zero is shown, and hides nothing: the 3 and the total 3 go together.
        assert_eq!(suppress(&[vec![3], vec![0], vec![3]]).cells, vec![vec![None], vec![Some(0)], vec![None]]);
        assert_eq!(
            suppress(&[vec![12, 9], vec![20, 15]]).cells,
            vec![vec![Some(12), Some(9)], vec![Some(20), Some(15)]]
        );
    }

    #[test]
    fn columns_are_suppressed_each_with_its_total_and_rows_left_alone() {
        // Permanent, fixed-term and agency by team.
        let hidden = hidden_in_columns(&[vec![12, 2, 6], vec![20, 7, 0], vec![9, 0, 3]]);
        assert_eq!(hidden[0], [false, true, true], "2 fixed-term hidden, 12 permanent stays");
        assert!(hidden[1][1], "a second fixed-term cell, or 2 is the total less 7");
        assert_eq!(hidden[2], [false, false, true], "3 agency, and so the 6 above it");
    }

    /// Random breakdowns: what is shown never gives back a count of 1 to 4.
    mod shown_figures {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn no_count_of_1_to_4_can_be_recovered(
                table in proptest::collection::vec(proptest::collection::vec(0u32..12, GROUP_COUNTS.len()), 1..8)
            ) {
                let hidden = hidden_figures(table.len(), |g, f| {
                    table[g][GROUP_COUNTS.iter().position(|c| *c == f).unwrap()]
                });
                for (k, f) in GROUP_COUNTS.iter().enumerate() {
                    // Shown counts are 0 or at least 5.
                    for (g, row) in table.iter().enumerate() {
                        if !hidden[g].contains(f) {
                            prop_assert!(!is_disclosive(row[k]), "{f} of group {g} shown as {}", row[k]);
                        }
                    }
                    // With the total shown, a hidden count stands beside another hidden one.
                    // (unless the total is itself 1 to 4, and so hidden too).
                    let total: u32 = table.iter().map(|row| row[k]).sum();
                    // A lone hidden count can be worked out: it must not be 1 to 4.
                    if table.len() > 1 && !is_disclosive(total) {
                        let hiding: Vec<usize> = (0..table.len()).filter(|g| hidden[*g].contains(f)).collect();
                        if let [g] = hiding[..] {
                            prop_assert!(!is_disclosive(table[g][k]), "{f}: group {g} alone hides it: {table:?}");
                        }
                    }
                }
                // No figure is shown beside a hidden count it rests on.
                for h in &hidden {
                    for (figure, counts) in RESTS_ON {
                        if counts.iter().any(|c| h.contains(c)) {
                            prop_assert!(h.contains(figure));
                        }
                    }
                    if h.contains("inpost_headcount") {
                        prop_assert!(RESTS_ON.iter().all(|(figure, _)| h.contains(figure) || *figure == "agency_fte" || figure.starts_with("moves")));
                    }
                }
            }
        }
    }
}
