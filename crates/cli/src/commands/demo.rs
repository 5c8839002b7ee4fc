//! `nok demo`: a fresh database with the demo region (deterministic synthetic data, no network), one
//! account of each role, survey responses, reviews, appeals, rating votes, flagged responses and improvement
//! plans — then the server.

mod feedback;
mod plans;
mod survey;

use nok_registry::demo;
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::{reference, users};
use nok_store::{Actor, Db, Role};
use std::path::PathBuf;
use std::process::ExitCode;

/// The password of every demo account (printed by `nok demo`, written in the README).
pub const DEMO_PASSWORD: &str = "demo-password";
/// Seed of the demo data: the same region every time.
pub const DEMO_SEED: u64 = 2026;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub serve: super::serve::Args,
    /// The demo database file (recreated on every start).
    #[arg(long, default_value = "nok-demo.db")]
    pub file: PathBuf,
    /// Number of organisations.
    #[arg(long, default_value_t = 400)]
    pub organizations: usize,
    /// Number of survey responses.
    #[arg(long, default_value_t = 8000)]
    pub responses: usize,
    /// Fill the database and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

/// The demo accounts: (login, role, description key).
pub const DEMO_USERS: [(&str, Role); 6] = [
    ("admin", Role::Admin),
    ("authority", Role::Authority),
    ("council", Role::Council),
    ("operator", Role::Operator),
    ("staff", Role::Staff),
    ("monitor", Role::Monitor),
];

fn remove_database_files(file: &std::path::Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_os_string();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Creates the demo region's authorities (regional ones carry the region code, the rest are federal).
pub async fn create_authorities(db: &Db, region: &demo::DemoRegion) -> anyhow::Result<()> {
    let system = Actor::system();
    for a in &region.authorities {
        let regional = a.code.starts_with(&format!("{}-", region.region_code));
        let new = reference::NewAuthority {
            code: &a.code,
            name: &a.name,
            region_code: regional.then_some(region.region_code.as_str()),
            sphere: a.sphere.map(|s| s.code()),
        };
        reference::upsert_authority(db, &system, new).await?;
    }
    Ok(())
}

/// Fills a fresh database with the demo region; returns the number of responses stored.
pub async fn fill(
    db: &Db,
    organizations_count: usize,
    responses: usize,
    data_key_file: Option<&std::path::Path>,
) -> anyhow::Result<u64> {
    let system = Actor::system();
    let region = demo::generate(DEMO_SEED, organizations_count);
    create_authorities(db, &region).await?;
    let rows = region.organizations.iter().cloned().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let report = import_organizations(db, &system, rows, &ImportOptions::default(), |_| {}).await?;
    anyhow::ensure!(report.committed, "demo registry did not import: {:?}", report.errors.first());

    let all = organizations::list(&db.read, &system, &OrgQuery { per_page: 500, ..Default::default() }).await?.items;
    let operator = reference::create_operator(
        db,
        &system,
        "ООО «Центр независимых социологических исследований»",
        Some(&nok_registry::ids::make_inn(9001)),
    )
    .await?;
    let health = reference::authority_by_code(&db.read, &format!("{}-health", region.region_code))
        .await?
        .expect("demo health authority");
    let covered: Vec<i32> = all.iter().filter(|o| o.sphere == "health").map(|o| o.id).collect();
    let year = time::OffsetDateTime::now_utc().year();
    reference::create_contract(
        db,
        &system,
        nok_store::entities::contract::Model {
            id: 0,
            operator_id: operator.id,
            authority_id: health.id,
            number: format!("0171200001{year}000123"),
            period: year,
            starts_on: Some(format!("{year}-02-01")),
            ends_on: Some(format!("{year}-11-30")),
        },
        &covered,
    )
    .await?;
    let staff_org = all.iter().find(|o| o.sphere == "health").expect("a demo health organisation");
    for (login, role) in DEMO_USERS {
        let mut new = users::NewUser {
            login: login.to_string(),
            password: DEMO_PASSWORD.to_string(),
            display_name: nok_i18n::t(&format!("demo-user-{login}")),
            role: Some(role),
            ..Default::default()
        };
        match role {
            Role::Authority | Role::Council => new.authority_id = Some(health.id),
            Role::Operator => new.operator_id = Some(operator.id),
            Role::Staff => new.organization_id = Some(staff_org.id),
            _ => {}
        }
        users::create(db, &system, new).await?;
    }
    let stored = survey::fill(db, &all, responses, DEMO_SEED).await?;
    let key = nok_store::data_key::load(db, data_key_file).await?;
    feedback::fill(db, &all, &key, DEMO_SEED).await?;
    plans::fill(db, &all, DEMO_SEED).await?;
    Ok(stored)
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    remove_database_files(&args.file)?;
    let url = format!("sqlite://{}", args.file.display());
    let db = super::open(&url).await?;
    let pb = crate::progress::bar(None, &nok_i18n::t("cli-demo-filling"));
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    let stored = fill(&db, args.organizations, args.responses, args.serve.data_key_file.as_deref()).await?;
    pb.finish_and_clear();
    let config = args.serve.config();
    println!("{}", nok_i18n::t("cli-demo-ready"));
    println!("  {}: {}", nok_i18n::t("cli-demo-url"), config.base_url);
    println!(
        "  {}: {}, {}: {stored}",
        nok_i18n::t("cli-demo-organizations"),
        args.organizations,
        nok_i18n::t("cli-demo-responses")
    );
    println!("  {} {DEMO_PASSWORD}):", nok_i18n::t("cli-demo-logins"));
    for (login, role) in DEMO_USERS {
        println!("    {login:<10} {}", nok_i18n::t(&format!("role-{}", role.code())));
    }
    if args.no_serve {
        db.close().await?;
        return Ok(ExitCode::SUCCESS);
    }
    nok_web::serve(db, config).await?;
    Ok(ExitCode::SUCCESS)
}
