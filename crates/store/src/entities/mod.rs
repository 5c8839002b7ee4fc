//! SeaORM entities, one file per table. Queries live in `crate::repo`, next to the scope checks.

pub mod app_user;
pub mod appeal;
pub mod audit_log;
pub mod authority;
pub mod checklist;
pub mod checklist_item;
pub mod contract;
pub mod contract_organization;
pub mod login_throttle;
pub mod mail_outbox;
pub mod operator_company;
pub mod organization;
pub mod placement;
pub mod publication;
pub mod published_result;
pub mod rating_vote;
pub mod region;
pub mod response;
pub mod review;
pub mod review_report;
pub mod scan_counter;
pub mod session;
pub mod setting;
pub mod uploaded_image;
