//! The operator's checklist: the count fields of the `nok score` contract, the item sections of §3,
//! and turning ticked items into counts and improvement-plan shortcomings.

use crate::definition::Definition;
use crate::sphere::Sphere;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Checklist counts of one organisation (§8 `checklist` object).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ChecklistCounts {
    /// Required information items found on the stands (I_stand).
    pub stand_present: u32,
    /// Items the stand list requires (N_stand); 0 when the sphere has no stand list.
    pub stand_required: u32,
    /// Required information items found on the website (I_site).
    pub site_present: u32,
    /// Items the website list requires (N_site).
    pub site_required: u32,
    /// Working remote channels (C_remote).
    pub remote_channels: u32,
    /// Comfort conditions present (C_comfort).
    pub comfort: u32,
    /// Premises accessibility items present (C_premises).
    pub premises_accessibility: u32,
    /// Service accessibility items present (C_services).
    pub service_accessibility: u32,
    /// Points of the waiting-time scale (health only); `None` when not measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_points: Option<f64>,
}

/// A count field of [`ChecklistCounts`]; definitions name them in formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistField {
    /// `stand_present`
    StandPresent,
    /// `stand_required`
    StandRequired,
    /// `site_present`
    SitePresent,
    /// `site_required`
    SiteRequired,
    /// `remote_channels`
    RemoteChannels,
    /// `comfort`
    Comfort,
    /// `premises_accessibility`
    PremisesAccessibility,
    /// `service_accessibility`
    ServiceAccessibility,
}

impl ChecklistField {
    /// All count fields, in contract order.
    pub const ALL: [ChecklistField; 8] = [
        ChecklistField::StandPresent,
        ChecklistField::StandRequired,
        ChecklistField::SitePresent,
        ChecklistField::SiteRequired,
        ChecklistField::RemoteChannels,
        ChecklistField::Comfort,
        ChecklistField::PremisesAccessibility,
        ChecklistField::ServiceAccessibility,
    ];

    /// The JSON field name.
    pub fn name(self) -> &'static str {
        match self {
            ChecklistField::StandPresent => "stand_present",
            ChecklistField::StandRequired => "stand_required",
            ChecklistField::SitePresent => "site_present",
            ChecklistField::SiteRequired => "site_required",
            ChecklistField::RemoteChannels => "remote_channels",
            ChecklistField::Comfort => "comfort",
            ChecklistField::PremisesAccessibility => "premises_accessibility",
            ChecklistField::ServiceAccessibility => "service_accessibility",
        }
    }

    /// The field with this JSON name.
    pub fn from_name(name: &str) -> Option<ChecklistField> {
        ChecklistField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The value of this field in `counts`.
    pub fn get(self, counts: &ChecklistCounts) -> u32 {
        match self {
            ChecklistField::StandPresent => counts.stand_present,
            ChecklistField::StandRequired => counts.stand_required,
            ChecklistField::SitePresent => counts.site_present,
            ChecklistField::SiteRequired => counts.site_required,
            ChecklistField::RemoteChannels => counts.remote_channels,
            ChecklistField::Comfort => counts.comfort,
            ChecklistField::PremisesAccessibility => counts.premises_accessibility,
            ChecklistField::ServiceAccessibility => counts.service_accessibility,
        }
    }

    /// Sets this field in `counts`.
    pub fn set(self, counts: &mut ChecklistCounts, value: u32) {
        let slot = match self {
            ChecklistField::StandPresent => &mut counts.stand_present,
            ChecklistField::StandRequired => &mut counts.stand_required,
            ChecklistField::SitePresent => &mut counts.site_present,
            ChecklistField::SiteRequired => &mut counts.site_required,
            ChecklistField::RemoteChannels => &mut counts.remote_channels,
            ChecklistField::Comfort => &mut counts.comfort,
            ChecklistField::PremisesAccessibility => &mut counts.premises_accessibility,
            ChecklistField::ServiceAccessibility => &mut counts.service_accessibility,
        };
        *slot = value;
    }
}

impl fmt::Display for ChecklistField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A list of checklist items (§3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistSection {
    /// Information required on the stands (1.1).
    Stand,
    /// Information required on the website (1.1).
    Site,
    /// Remote channels (1.2).
    Remote,
    /// Comfort conditions (2.1).
    Comfort,
    /// Premises equipped for disabled people (3.1).
    Premises,
    /// Services on equal terms (3.2).
    Services,
}

impl ChecklistSection {
    /// All sections.
    pub const ALL: [ChecklistSection; 6] = [
        ChecklistSection::Stand,
        ChecklistSection::Site,
        ChecklistSection::Remote,
        ChecklistSection::Comfort,
        ChecklistSection::Premises,
        ChecklistSection::Services,
    ];

    /// The count field that holds the number of items present.
    pub fn present_field(self) -> ChecklistField {
        match self {
            ChecklistSection::Stand => ChecklistField::StandPresent,
            ChecklistSection::Site => ChecklistField::SitePresent,
            ChecklistSection::Remote => ChecklistField::RemoteChannels,
            ChecklistSection::Comfort => ChecklistField::Comfort,
            ChecklistSection::Premises => ChecklistField::PremisesAccessibility,
            ChecklistSection::Services => ChecklistField::ServiceAccessibility,
        }
    }

    /// The count field that holds the number of items required, for sections scored as a share.
    pub fn required_field(self) -> Option<ChecklistField> {
        match self {
            ChecklistSection::Stand => Some(ChecklistField::StandRequired),
            ChecklistSection::Site => Some(ChecklistField::SiteRequired),
            _ => None,
        }
    }

    /// The key used in definition files.
    pub fn key(self) -> &'static str {
        match self {
            ChecklistSection::Stand => "stand",
            ChecklistSection::Site => "site",
            ChecklistSection::Remote => "remote",
            ChecklistSection::Comfort => "comfort",
            ChecklistSection::Premises => "premises",
            ChecklistSection::Services => "services",
        }
    }
}

/// One checklist item with a stable id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistItem {
    /// Stable id, e.g. `comfort.water`.
    pub id: String,
    /// Russian name shown to the operator and in shortcomings.
    pub name_ru: String,
    /// Confidence mark of the item.
    pub mark: crate::definition::Mark,
}

/// The operator's ticks: ids of the items found present (or, for channels, working).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChecklistMarks {
    /// Ids of items present.
    pub present: BTreeSet<String>,
    /// Points of the waiting-time scale, when measured.
    #[serde(default)]
    pub waiting_points: Option<f64>,
}

/// An item scored 0: a row offered for the improvement plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortcoming {
    /// Criterion (plan section) id, e.g. `K2`.
    pub criterion: String,
    /// Indicator id, e.g. `2.1`.
    pub indicator: String,
    /// Section of the item.
    pub section: ChecklistSection,
    /// Item id.
    pub item_id: String,
    /// Russian item name.
    pub name_ru: String,
}

/// Counts for scoring from the ticked items of the given item lists (unknown ids are ignored): the
/// number of items present per section and, for the sections scored as a share, the list's length.
/// `lists` gives the list of each section — a definition's, or a region's own list in its place.
pub fn counts_of<'a>(
    lists: impl Fn(ChecklistSection) -> &'a [ChecklistItem],
    marks: &ChecklistMarks,
) -> ChecklistCounts {
    let mut counts = ChecklistCounts { waiting_points: marks.waiting_points, ..Default::default() };
    for section in ChecklistSection::ALL {
        let items = lists(section);
        let present = items.iter().filter(|i| marks.present.contains(&i.id)).count();
        section.present_field().set(&mut counts, present as u32);
        if let Some(required) = section.required_field() {
            required.set(&mut counts, items.len() as u32);
        }
    }
    counts
}

impl Definition {
    /// Counts for scoring from the ticked items of `sphere`'s lists (unknown ids are ignored).
    pub fn checklist_counts(&self, sphere: Sphere, marks: &ChecklistMarks) -> ChecklistCounts {
        counts_of(|section| self.checklist(sphere, section), marks)
    }

    /// Every item of `sphere`'s lists that is not ticked, with the indicator and criterion it lowers.
    pub fn shortcomings(&self, sphere: Sphere, marks: &ChecklistMarks) -> Vec<Shortcoming> {
        self.shortcomings_of(sphere, |section| self.checklist(sphere, section), marks)
    }

    /// [`Definition::shortcomings`] over the given item lists (see [`counts_of`]).
    pub fn shortcomings_of<'a>(
        &self,
        sphere: Sphere,
        lists: impl Fn(ChecklistSection) -> &'a [ChecklistItem],
        marks: &ChecklistMarks,
    ) -> Vec<Shortcoming> {
        let mut out = Vec::new();
        for section in ChecklistSection::ALL {
            let Some(indicator) = self.indicator_using(sphere, section.present_field()) else {
                continue;
            };
            for item in lists(section) {
                if !marks.present.contains(&item.id) {
                    out.push(Shortcoming {
                        criterion: indicator.criterion.clone(),
                        indicator: indicator.id.clone(),
                        section,
                        item_id: item.id.clone(),
                        name_ru: item.name_ru.clone(),
                    });
                }
            }
        }
        out
    }
}
