//! View models of the portal's figures: values with comma decimals, bar widths as CSS classes `w0`…`w100`
//! (the content security policy forbids inline styles, so no `style="width:…"`), comparisons in words.

use super::figures::is_published;
use nok_i18n::{format_decimal, format_int};
use nok_methodology::{Definition, Sphere};
use nok_store::repo::aggregates::{Aggregate, OrgResult};

/// Points for display: the definition's decimals with a comma (84,30).
pub fn points(v: f64) -> String {
    format_decimal(v, usize::from(Definition::current().decimals))
}

/// A bar width class number (whole points, 0…100).
pub fn width(v: f64) -> u8 {
    v.round().clamp(0.0, 100.0) as u8
}

/// «опубликовано ДД.ММ.ГГГГ» for published (frozen) values, `None` for live ones.
pub fn published_on(r: &OrgResult) -> Option<String> {
    r.published_at.map(|at| nok_i18n::t!("portal-published-on", date = crate::routes::feedback::date(at)))
}

/// A count with grouped thousands.
pub fn count(n: u64) -> String {
    format_int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// One bar: the total or a criterion, with the peer mean beside it.
pub struct Bar {
    pub id: String,
    pub label: String,
    pub value: String,
    pub width: u8,
    pub peer_value: Option<String>,
    pub peer_width: u8,
    /// «на 2,10 выше среднего», «ниже», «на уровне».
    pub comparison: Option<String>,
}

fn comparison(value: f64, peer: f64) -> String {
    let diff = value - peer;
    let shown = points(diff.abs());
    if shown == points(0.0) {
        nok_i18n::t("portal-compare-same")
    } else if diff > 0.0 {
        nok_i18n::t!("portal-compare-above", diff = shown)
    } else {
        nok_i18n::t!("portal-compare-below", diff = shown)
    }
}

fn bar(id: &str, label: String, value: Option<f64>, peer: Option<f64>) -> Option<Bar> {
    let v = value?;
    Some(Bar {
        id: id.to_string(),
        label,
        value: points(v),
        width: width(v),
        peer_value: peer.map(points),
        peer_width: peer.map_or(0, width),
        comparison: peer.map(|p| comparison(v, p)),
    })
}

/// The total and K1…K5 of a result, each beside the peer mean when there is one.
pub fn bars(r: &OrgResult, peer: Option<&Aggregate>) -> (Option<Bar>, Vec<Bar>) {
    let total = bar("total", nok_i18n::t("portal-total"), r.values.total, peer.and_then(|p| p.total));
    let criteria = r
        .criteria()
        .filter_map(|(id, v)| {
            let name = r.definition.criterion(id).map_or_else(|| id.to_string(), |c| c.name_ru.clone());
            let peer_v = peer.and_then(|p| p.criteria.iter().find(|(c, _)| c == id).and_then(|(_, m)| *m));
            bar(id, format!("{id}. {name}"), v, peer_v)
        })
        .collect();
    (total, criteria)
}

/// A row of a ranking table or top list.
pub struct RankRow {
    pub rank: Option<u32>,
    pub public_id: String,
    pub name: String,
    pub sphere: String,
    pub region_code: String,
    pub total: Option<String>,
    pub width: u8,
    /// K1…K5 values («—» without data).
    pub criteria: Vec<String>,
    pub responses: String,
    pub responses_count: u64,
    /// «опубликовано ДД.ММ.ГГГГ» when the values are the published ones.
    pub published_on: Option<String>,
}

impl RankRow {
    /// A row; the score only when the result is published.
    pub fn new(rank: Option<u32>, r: &OrgResult, min_responses: u64) -> RankRow {
        let published = is_published(r, min_responses);
        let total = r.values.total.filter(|_| published);
        RankRow {
            rank,
            public_id: r.public_id.clone(),
            name: r.short_name.clone(),
            sphere: r.sphere.name_ru().to_string(),
            region_code: r.region_code.clone(),
            total: total.map(points),
            width: total.map_or(0, width),
            criteria: r
                .criteria()
                .map(|(_, v)| v.filter(|_| published).map_or_else(|| "—".to_string(), points))
                .collect(),
            responses: count(r.responses),
            responses_count: r.responses,
            published_on: published_on(r),
        }
    }
}

/// A bar of a chart of group means (a sphere within a region, a region within the country).
pub struct MeanBar {
    pub label: String,
    pub href: Option<String>,
    pub value: String,
    pub width: u8,
    pub assessed: String,
}

impl MeanBar {
    pub fn new(label: String, href: Option<String>, a: &Aggregate) -> Option<MeanBar> {
        let total = a.total?;
        Some(MeanBar { label, href, value: points(total), width: width(total), assessed: count(a.assessed) })
    }

    /// The bar of a sphere's mean.
    pub fn sphere(a: &Aggregate) -> Option<MeanBar> {
        let s: Sphere = a.key.sphere?;
        MeanBar::new(s.name_ru().to_string(), None, a)
    }
}

/// Criterion ids and names, for table headers.
pub fn criteria_headers() -> Vec<(String, String)> {
    Definition::current().criteria.iter().map(|c| (c.id.clone(), c.name_ru.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_comma_decimals_and_whole_widths() {
        assert_eq!(points(84.3), "84,30");
        assert_eq!(width(84.6), 85);
        assert_eq!(width(140.0), 100);
        assert!(comparison(80.0, 78.0).contains("2,00"));
        assert_eq!(comparison(80.0, 80.001), nok_i18n::t("portal-compare-same"));
    }
}
