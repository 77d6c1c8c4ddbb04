//! The plan and its results indexed by id, built once per build: the
//! hierarchy strategy → issues → objectives → indicators in both directions,
//! and each year's results by indicator. Every check and view looks things up
//! here instead of scanning the plan, so a build grows linearly with the
//! plan (a plan of 10,000 indicators scanned per indicator is 10⁸ steps).
//!
//! Lists keep the plan's order, so output built from them is deterministic.
//! Where content repeats an id (an error `data::validate` reports), the first
//! one wins, as a scan from the start would find it.

use crate::data::{Dataset, Indicator, IndicatorResult, Issue, Objective, Plan, Strategy};
use std::collections::HashMap;

/// Positions in the plan's lists, by id, and the hierarchy between them.
#[derive(Debug)]
pub struct Index<'a> {
    pub plan: &'a Plan,
    pub data: &'a Dataset,
    strategy_at: HashMap<&'a str, usize>,
    issue_at: HashMap<&'a str, usize>,
    objective_at: HashMap<&'a str, usize>,
    indicator_at: HashMap<&'a str, usize>,
    /// Per strategy, its issues (positions in `plan.issues`), in plan order.
    issues_of_strategy: Vec<Vec<usize>>,
    /// Per issue, its objectives.
    objectives_of_issue: Vec<Vec<usize>>,
    /// Per objective, its indicators.
    indicators_of_objective: Vec<Vec<usize>>,
    /// Per issue and per strategy, every indicator under it, in plan order.
    indicators_of_issue: Vec<Vec<usize>>,
    indicators_of_strategy: Vec<Vec<usize>>,
    /// Per indicator, where it sits (None where a reference does not resolve).
    objective_of: Vec<Option<usize>>,
    issue_of: Vec<Option<usize>>,
    strategy_of: Vec<Option<usize>>,
    /// Per results file (in `data.results` order), per indicator, the
    /// position of its result in the file.
    results: Vec<Vec<Option<usize>>>,
}

fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut at = HashMap::new();
    for (i, id) in ids.enumerate() {
        at.entry(id).or_insert(i);
    }
    at
}

impl<'a> Index<'a> {
    pub fn new(data: &'a Dataset) -> Index<'a> {
        let plan = &data.plan.data;
        let strategy_at = positions(plan.strategies.iter().map(|s| s.id.as_str()));
        let issue_at = positions(plan.issues.iter().map(|s| s.id.as_str()));
        let objective_at = positions(plan.objectives.iter().map(|s| s.id.as_str()));
        let indicator_at = positions(plan.indicators.iter().map(|s| s.id.as_str()));

        let mut issues_of_strategy = vec![Vec::new(); plan.strategies.len()];
        let issue_strategy: Vec<Option<usize>> = plan
            .issues
            .iter()
            .enumerate()
            .map(|(i, is)| {
                let s = strategy_at.get(is.strategy.as_str()).copied();
                if let Some(s) = s {
                    issues_of_strategy[s].push(i);
                }
                s
            })
            .collect();
        let mut objectives_of_issue = vec![Vec::new(); plan.issues.len()];
        let objective_issue: Vec<Option<usize>> = plan
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let is = issue_at.get(o.issue.as_str()).copied();
                if let Some(is) = is {
                    objectives_of_issue[is].push(i);
                }
                is
            })
            .collect();
        let mut indicators_of_objective = vec![Vec::new(); plan.objectives.len()];
        let mut indicators_of_issue = vec![Vec::new(); plan.issues.len()];
        let mut indicators_of_strategy = vec![Vec::new(); plan.strategies.len()];
        let mut objective_of = Vec::with_capacity(plan.indicators.len());
        let mut issue_of = Vec::with_capacity(plan.indicators.len());
        let mut strategy_of = Vec::with_capacity(plan.indicators.len());
        for (i, ind) in plan.indicators.iter().enumerate() {
            let o = objective_at.get(ind.objective.as_str()).copied();
            let is = o.and_then(|o| objective_issue[o]);
            let s = is.and_then(|is| issue_strategy[is]);
            if let Some(o) = o {
                indicators_of_objective[o].push(i);
            }
            if let Some(is) = is {
                indicators_of_issue[is].push(i);
            }
            if let Some(s) = s {
                indicators_of_strategy[s].push(i);
            }
            objective_of.push(o);
            issue_of.push(is);
            strategy_of.push(s);
        }

        let results = data
            .results
            .iter()
            .map(|res| {
                let mut by_indicator = vec![None; plan.indicators.len()];
                for (r, ir) in res.data.indicators.iter().enumerate() {
                    if let Some(&i) = indicator_at.get(ir.indicator.as_str()) {
                        by_indicator[i].get_or_insert(r);
                    }
                }
                by_indicator
            })
            .collect();

        Index {
            plan,
            data,
            strategy_at,
            issue_at,
            objective_at,
            indicator_at,
            issues_of_strategy,
            objectives_of_issue,
            indicators_of_objective,
            indicators_of_issue,
            indicators_of_strategy,
            objective_of,
            issue_of,
            strategy_of,
            results,
        }
    }

    pub fn strategy_at(&self, id: &str) -> Option<usize> {
        self.strategy_at.get(id).copied()
    }
    pub fn issue_at(&self, id: &str) -> Option<usize> {
        self.issue_at.get(id).copied()
    }
    pub fn objective_at(&self, id: &str) -> Option<usize> {
        self.objective_at.get(id).copied()
    }
    pub fn indicator_at(&self, id: &str) -> Option<usize> {
        self.indicator_at.get(id).copied()
    }
    pub fn indicator(&self, id: &str) -> Option<&'a Indicator> {
        self.indicator_at(id).map(|i| &self.plan.indicators[i])
    }

    /// The issues of a strategy (by position), in plan order.
    pub fn issues_of(&self, strategy: usize) -> impl Iterator<Item = (usize, &'a Issue)> + '_ {
        self.issues_of_strategy[strategy].iter().map(|&i| (i, &self.plan.issues[i]))
    }
    /// The objectives of an issue, in plan order.
    pub fn objectives_of(&self, issue: usize) -> impl Iterator<Item = (usize, &'a Objective)> + '_ {
        self.objectives_of_issue[issue].iter().map(|&i| (i, &self.plan.objectives[i]))
    }
    /// The indicators of an objective, in plan order.
    pub fn indicators_of_objective(&self, objective: usize) -> &[usize] {
        &self.indicators_of_objective[objective]
    }
    /// Every indicator under an issue, in plan order.
    pub fn indicators_of_issue(&self, issue: usize) -> &[usize] {
        &self.indicators_of_issue[issue]
    }
    /// Every indicator under a strategy, in plan order.
    pub fn indicators_of_strategy(&self, strategy: usize) -> &[usize] {
        &self.indicators_of_strategy[strategy]
    }
    /// How many objectives a strategy has.
    pub fn objective_count(&self, strategy: usize) -> usize {
        self.issues_of_strategy[strategy].iter().map(|&is| self.objectives_of_issue[is].len()).sum()
    }

    /// The objective, issue and strategy an indicator (by position) belongs to.
    pub fn objective_of(&self, indicator: usize) -> Option<&'a Objective> {
        self.objective_of[indicator].map(|o| &self.plan.objectives[o])
    }
    pub fn issue_of(&self, indicator: usize) -> Option<&'a Issue> {
        self.issue_of[indicator].map(|i| &self.plan.issues[i])
    }
    pub fn strategy_of(&self, indicator: usize) -> Option<&'a Strategy> {
        self.strategy_of[indicator].map(|s| &self.plan.strategies[s])
    }
    /// The id of an indicator's strategy, "" where it has none.
    pub fn strategy_id_of(&self, indicator: usize) -> &'a str {
        self.strategy_of(indicator).map_or("", |s| s.id.as_str())
    }

    /// An indicator's result in a results file (by its position in
    /// `data.results`), with the result's position in the file.
    pub fn result(&self, file: usize, indicator: usize) -> Option<(usize, &'a IndicatorResult)> {
        let r = self.results.get(file)?.get(indicator).copied().flatten()?;
        Some((r, &self.data.results[file].data.indicators[r]))
    }
    /// An indicator's result in a fiscal year.
    pub fn result_in(&self, year: i32, indicator: usize) -> Option<&'a IndicatorResult> {
        let file = self.data.results.iter().position(|r| r.data.year == year)?;
        self.result(file, indicator).map(|(_, r)| r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_data() -> Dataset {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = crate::data::read_source(root, "content/plan.json").unwrap();
        let plan = crate::data::load_json(src, crate::data::plan_schema()).unwrap();
        let src = crate::data::read_source(root, "content/results/2566.json").unwrap();
        let results = vec![crate::data::load_json(src, crate::data::results_schema()).unwrap()];
        Dataset { plan, results }
    }

    #[test]
    fn lookups_agree_with_scanning_the_plan() {
        let data = default_data();
        let index = Index::new(&data);
        let plan = &data.plan.data;
        for (i, ind) in plan.indicators.iter().enumerate() {
            let o = plan.objectives.iter().find(|o| o.id == ind.objective).unwrap();
            let is = plan.issues.iter().find(|is| is.id == o.issue).unwrap();
            assert_eq!(index.indicator_at(&ind.id), Some(i));
            assert_eq!(index.objective_of(i).unwrap().id, o.id);
            assert_eq!(index.issue_of(i).unwrap().id, is.id);
            assert_eq!(index.strategy_id_of(i), is.strategy);
            let scanned = data.results[0].data.indicators.iter().find(|r| r.indicator == ind.id);
            assert_eq!(index.result_in(2566, i).map(|r| &r.indicator), scanned.map(|r| &r.indicator));
        }
        for (s, strategy) in plan.strategies.iter().enumerate() {
            let scanned: Vec<&str> =
                plan.issues.iter().filter(|is| is.strategy == strategy.id).map(|is| is.id.as_str()).collect();
            let indexed: Vec<&str> = index.issues_of(s).map(|(_, is)| is.id.as_str()).collect();
            assert_eq!(indexed, scanned);
            let in_strategy: Vec<usize> =
                (0..plan.indicators.len()).filter(|&i| index.strategy_id_of(i) == strategy.id).collect();
            assert_eq!(index.indicators_of_strategy(s), in_strategy.as_slice());
        }
        let first = &plan.strategies[0].id;
        let scanned = plan
            .objectives
            .iter()
            .filter(|o| plan.issues.iter().any(|is| is.id == o.issue && &is.strategy == first))
            .count();
        assert_eq!(index.objective_count(0), scanned);
    }

    #[test]
    fn the_first_of_repeated_ids_wins() {
        let mut data = default_data();
        let mut dup = data.plan.data.indicators[0].clone();
        dup.name = "second".into();
        std::sync::Arc::make_mut(&mut data.plan.data).indicators.push(dup);
        let index = Index::new(&data);
        assert_eq!(index.indicator(&data.plan.data.indicators[0].id).unwrap().name, data.plan.data.indicators[0].name);
    }
}
