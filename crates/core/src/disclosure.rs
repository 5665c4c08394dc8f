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
}
