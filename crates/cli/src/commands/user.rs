//! `nok user add`: create an account with a role and scope (password from a prompt or a file).

use anyhow::{Context, bail};
use nok_store::repo::{reference, users};
use nok_store::{Actor, Role};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Create an account.
    Add(AddArgs),
}

#[derive(clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    pub login: String,
    /// admin, authority, council, operator, staff or monitor.
    #[arg(long)]
    pub role: String,
    /// The scope: an authority code (authority, council), an operator id (operator), an organisation ИНН
    /// (staff), comma-separated region codes or `all` (monitor). Not used for admin.
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    /// Read the password from this file (first line) instead of prompting.
    #[arg(long)]
    pub password_file: Option<std::path::PathBuf>,
}

fn read_password(args: &AddArgs) -> anyhow::Result<String> {
    if let Some(path) = &args.password_file {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        return Ok(text.lines().next().unwrap_or("").to_string());
    }
    eprint!("{}: ", nok_i18n::t("cli-password-prompt"));
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(url: &str, action: Action) -> anyhow::Result<ExitCode> {
    let Action::Add(args) = action;
    let db = super::open(url).await?;
    let Some(role) = Role::from_code(&args.role) else {
        bail!("--role: {}", nok_i18n::t("cli-unknown-role"));
    };
    let mut new = users::NewUser {
        login: args.login.clone(),
        display_name: args.name.clone().unwrap_or_default(),
        role: Some(role),
        ..Default::default()
    };
    let scope = args.scope.clone().unwrap_or_default();
    match role {
        Role::Admin => {}
        Role::Authority | Role::Council => {
            let a = reference::authority_by_code(&db.read, &scope)
                .await?
                .with_context(|| format!("--scope {scope:?}: {}", nok_i18n::t("store-import-unknown-authority")))?;
            new.authority_id = Some(a.id);
        }
        Role::Operator => {
            let id: i32 = scope.parse().context("--scope: operator id")?;
            reference::operator_by_id(&db.read, id).await?.context("--scope: operator not found")?;
            new.operator_id = Some(id);
        }
        Role::Staff => {
            let q = nok_store::repo::organizations::OrgQuery {
                q: Some(scope.clone()),
                include_inactive: true,
                per_page: 2,
                ..Default::default()
            };
            let found = nok_store::repo::organizations::list(&db.read, &Actor::system(), &q).await?;
            let org = found
                .items
                .into_iter()
                .find(|o| o.inn == scope)
                .with_context(|| format!("--scope {scope:?}: organisation ИНН not found"))?;
            new.organization_id = Some(org.id);
        }
        Role::Monitor => {
            if !scope.is_empty() && scope != "all" {
                new.monitor_regions = Some(scope.split(',').map(|s| s.trim().to_string()).collect());
            }
        }
    }
    new.password = read_password(&args)?;
    let user = users::create(&db, &Actor::system(), new).await?;
    println!("{} {} ({})", nok_i18n::t("cli-user-created"), user.login, user.role);
    Ok(ExitCode::SUCCESS)
}
