//! Domain rules of a plan's results, shared by the checks, the model and the
//! open data: judging a value against its target and tallying statuses. (The
//! words for statuses and directions are the theme's labels.)

use crate::data::{Direction, Indicator, IndicatorResult, Status, TargetKind};

/// The status a value earns against a target.
pub fn judge(value: f64, target: f64, dir: Direction) -> Status {
    let eps = 1e-9;
    match dir {
        Direction::AtLeast if value > target + eps => Status::Exceeded,
        Direction::AtLeast if value >= target - eps => Status::Met,
        Direction::AtMost if value < target - eps => Status::Exceeded,
        Direction::AtMost if value <= target + eps => Status::Met,
        Direction::Exactly if (value - target).abs() <= eps => Status::Met,
        _ => Status::NotMet,
    }
}

/// Computed counts of a set of results: how many indicators, with a target
/// this year, met or exceeded, exceeded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub indicators: u32,
    pub with_target: u32,
    pub achieved: u32,
    pub exceeded: u32,
    pub not_met: u32,
    pub not_assessed: u32,
}

impl Tally {
    pub fn of<'a>(items: impl Iterator<Item = (&'a Indicator, Option<&'a IndicatorResult>)>, year: i32) -> Tally {
        let mut t = Tally::default();
        let year = year.to_string();
        for (ind, r) in items {
            t.indicators += 1;
            let has_target = ind.targets.get(&year).is_some_and(|t| t.kind != TargetKind::NotAssessed);
            if has_target {
                t.with_target += 1;
            }
            match r.map(|r| r.status) {
                Some(Status::Exceeded) => {
                    t.achieved += 1;
                    t.exceeded += 1;
                }
                Some(Status::Met) => t.achieved += 1,
                Some(Status::NotMet) => t.not_met += 1,
                Some(Status::NotAssessed) | None => t.not_assessed += 1,
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging_values_against_targets() {
        assert_eq!(judge(66.36, 60.0, Direction::AtLeast), Status::Exceeded);
        assert_eq!(judge(60.0, 60.0, Direction::AtLeast), Status::Met);
        assert_eq!(judge(59.9, 60.0, Direction::AtLeast), Status::NotMet);
        assert_eq!(judge(3.0, 5.0, Direction::AtMost), Status::Exceeded);
        assert_eq!(judge(6.0, 5.0, Direction::AtMost), Status::NotMet);
        assert_eq!(judge(2.0, 2.0, Direction::Exactly), Status::Met);
        assert_eq!(judge(3.0, 2.0, Direction::Exactly), Status::NotMet);
    }
}
