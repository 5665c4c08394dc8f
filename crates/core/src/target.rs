//! The authority's targets for its figures: "agency rate at most 20% by
//! 31 March 2027". One type for the targets an authority sets (kept in the
//! store), the ones a scenario brings (forecasts), and the report's and
//! dashboard's progress tables.

use chrono::NaiveDate;

/// A figure at most or at least a value by a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// A DfE field name, such as `agency_rate_fte`.
    pub figure: String,
    /// At most `value` (else at least).
    pub at_most: bool,
    pub value: f64,
    /// The date by which it should be met.
    pub by: NaiveDate,
}

/// Where a figure stands against a target on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    Met,
    /// Not met, and the date has passed.
    Missed,
    NotYetMet,
    /// The figure is not defined (no denominator).
    NotDefined,
}

impl TargetStatus {
    /// In words, as the pages and reports show it.
    pub fn words(self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::Missed => "missed",
            TargetStatus::NotYetMet => "not yet met",
            TargetStatus::NotDefined => "not defined",
        }
    }
}

impl Target {
    /// Whether `figure` meets the target.
    pub fn is_met_by(&self, figure: f64) -> bool {
        if self.at_most {
            figure <= self.value
        } else {
            figure >= self.value
        }
    }

    /// "at most" or "at least".
    pub fn direction(&self) -> &'static str {
        if self.at_most {
            "at most"
        } else {
            "at least"
        }
    }

    /// Where `now`, the figure on `date`, stands against the target.
    pub fn status(&self, now: Option<f64>, date: NaiveDate) -> TargetStatus {
        match now {
            None => TargetStatus::NotDefined,
            Some(v) if self.is_met_by(v) => TargetStatus::Met,
            Some(_) if date > self.by => TargetStatus::Missed,
            Some(_) => TargetStatus::NotYetMet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(at_most: bool, value: f64) -> Target {
        Target { figure: "agency_rate_fte".into(), at_most, value, by: "2027-03-31".parse().unwrap() }
    }

    #[test]
    fn a_target_is_met_on_its_own_value_from_either_side() {
        let t = agency(true, 20.0);
        assert!(t.is_met_by(20.0) && t.is_met_by(19.9) && !t.is_met_by(20.1));
        let t = agency(false, 20.0);
        assert!(t.is_met_by(20.0) && t.is_met_by(20.1) && !t.is_met_by(19.9));
    }

    #[test]
    fn missed_only_once_the_date_has_passed() {
        let t = agency(true, 20.0);
        let before: NaiveDate = "2027-03-31".parse().unwrap();
        let after: NaiveDate = "2027-04-01".parse().unwrap();
        assert_eq!(t.status(Some(25.0), before), TargetStatus::NotYetMet);
        assert_eq!(t.status(Some(25.0), after), TargetStatus::Missed);
        assert_eq!(t.status(Some(15.0), after), TargetStatus::Met);
        assert_eq!(t.status(None, before), TargetStatus::NotDefined);
        assert_eq!(TargetStatus::NotYetMet.words(), "not yet met");
    }
}
