//! Demo improvement plans: the `staff` account's organisation and a dozen others (most in the
//! `authority` account's sphere, a few outside it) get a published plan for the current year, approved by
//! the founder, with items in every status — done (with what was done), in progress (with a report),
//! planned, and overdue (one of them with a report). A couple more get a draft. Everything goes through
//! the store's own functions (validation, audit), acting as each organisation's staff. Deterministic for
//! a seed (deadlines are counted from today).

use nok_store::entities::organization;
use nok_store::repo::improvement_plans::{self as plans, ItemInput, ItemStatus, ProgressInput};
use nok_store::repo::users;
use nok_store::scope::Scope;
use nok_store::{Actor, Db, Role};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DAY: i64 = 86_400;
/// Published plans besides the staff account's one, and drafts.
const PUBLISHED: usize = 12;
const DRAFTS: usize = 3;

/// (criterion, shortcoming, measure, responsible position, what was done).
const ROWS: [(&str, &str, &str, &str, &str); 10] = [
    (
        "K1",
        "На информационном стенде нет сведений о порядке обжалования решений.",
        "Дополнить стенд в холле сведениями о порядке обжалования и контактами вышестоящей организации.",
        "заместитель руководителя по административной работе",
        "Стенд в холле дополнен, сведения размещены и на сайте.",
    ),
    (
        "K1",
        "На сайте не работает форма обратной связи.",
        "Восстановить форму обратной связи и настроить ответ на обращения в течение трёх рабочих дней.",
        "специалист по информационным технологиям",
        "Форма восстановлена, проверена отправкой тестового обращения.",
    ),
    (
        "K1",
        "Нет раздела «Часто задаваемые вопросы».",
        "Создать на сайте раздел «Часто задаваемые вопросы» по обращениям за год.",
        "начальник отдела по работе с обращениями",
        "Раздел создан, в нём 24 вопроса с ответами.",
    ),
    (
        "K2",
        "В зоне ожидания недостаточно мест для сидения.",
        "Установить дополнительные кресла в зоне ожидания на первом этаже.",
        "заведующий хозяйством",
        "Установлено 12 дополнительных кресел.",
    ),
    (
        "K2",
        "Нет питьевой воды для посетителей.",
        "Установить кулер с питьевой водой в зоне ожидания.",
        "заведующий хозяйством",
        "Кулер установлен, заключён договор на поставку воды.",
    ),
    (
        "K3",
        "Нет сменного кресла-коляски.",
        "Приобрести сменное кресло-коляску и разместить у входа.",
        "главный бухгалтер",
        "Кресло-коляска приобретено и выдаётся на посту охраны.",
    ),
    (
        "K3",
        "Нет дублирования надписей знаками рельефно-точечного шрифта Брайля.",
        "Изготовить и установить таблички со шрифтом Брайля на основных кабинетах.",
        "заместитель руководителя по административной работе",
        "Таблички установлены на 18 кабинетах.",
    ),
    (
        "K3",
        "Вход не оборудован пандусом с поручнями.",
        "Оборудовать входную группу пандусом с двусторонними поручнями.",
        "заместитель руководителя по хозяйственной работе",
        "Заключён договор, выполнен демонтаж старого крыльца.",
    ),
    (
        "K4",
        "Часть получателей услуг недовольна вежливостью сотрудников регистратуры.",
        "Провести обучение сотрудников первичного контакта по этике общения с посетителями.",
        "начальник отдела кадров",
        "Обучение прошли 15 сотрудников, проведён разбор обращений.",
    ),
    (
        "K5",
        "Получатели услуг недовольны графиком работы.",
        "Ввести приём по субботам с 9:00 до 14:00.",
        "руководитель организации",
        "Приказ о субботнем приёме подписан, график опубликован на сайте.",
    ),
];
const NAMES: [&str; 6] = [
    "Иванова Мария Сергеевна",
    "Петров Алексей Викторович",
    "Смирнова Елена Андреевна",
    "Кузнецов Дмитрий Олегович",
    "Соколова Ольга Николаевна",
    "Васильев Игорь Петрович",
];

/// The items of one plan: every status (the last two overdue), with deadlines and report dates around
/// today. (status, deadline from today in days, report days ago)
const SHAPE: [(ItemStatus, i64, Option<i64>); 5] = [
    (ItemStatus::Done, -40, Some(52)),
    (ItemStatus::InProgress, 45, Some(9)),
    (ItemStatus::Planned, 120, None),
    (ItemStatus::Planned, -12, None),
    (ItemStatus::InProgress, -5, Some(20)),
];
/// Sometimes one more planned item.
const EXTRA: (ItemStatus, i64, Option<i64>) = (ItemStatus::Planned, 200, None);

fn staff_of(org: &organization::Model) -> Actor {
    Actor {
        user_id: None,
        login: "demo-staff".into(),
        role: Role::Staff,
        scope: Scope::Organization { organization_id: org.id },
    }
}

/// A demo account as the store's actor.
async fn account(db: &Db, login: &str) -> anyhow::Result<Actor> {
    let user = users::find_by_login(&db.read, login).await?;
    let user = user.ok_or_else(|| anyhow::anyhow!("demo account {login} is missing"))?;
    Ok(users::actor_for(&db.read, &user).await?)
}

/// Adds the demo plans to a database holding the demo registry and accounts.
pub async fn fill(db: &Db, orgs: &[organization::Model], seed: u64) -> anyhow::Result<()> {
    let (staff, authority) = (&account(db, "staff").await?, &account(db, "authority").await?);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x91a4);
    let Scope::Organization { organization_id } = staff.scope else { anyhow::bail!("demo staff has no organisation") };
    let (mut inside, mut outside): (Vec<_>, Vec<_>) =
        orgs.iter().filter(|o| o.active && o.id != organization_id).partition(|o| authority.sees_organization(o, None));
    inside.shuffle(&mut rng);
    outside.shuffle(&mut rng);
    let year = nok_store::time_util::period_of(nok_store::time_util::now());
    let today = plans::today();
    if let Some(lead) = orgs.iter().find(|o| o.id == organization_id) {
        plan(db, &mut rng, staff, lead, year, today, true).await?;
    }
    let others: Vec<&organization::Model> =
        inside.iter().take(PUBLISHED - 3).chain(outside.iter().take(3)).copied().collect();
    for org in others {
        plan(db, &mut rng, &staff_of(org), org, year, today, true).await?;
    }
    for org in inside.iter().skip(PUBLISHED).take(DRAFTS) {
        plan(db, &mut rng, &staff_of(org), org, year, today, false).await?;
    }
    Ok(())
}

async fn plan(
    db: &Db,
    rng: &mut ChaCha8Rng,
    actor: &Actor,
    org: &organization::Model,
    year: i32,
    today: i64,
    publish: bool,
) -> anyhow::Result<()> {
    plans::create(db, actor, org.id, year).await?;
    let mut rows: Vec<usize> = (0..ROWS.len()).collect();
    rows.shuffle(rng);
    let mut shape = SHAPE.to_vec();
    if rng.random_bool(0.5) {
        shape.push(EXTRA);
    }
    for (i, (status, deadline_in, report_ago)) in shape.into_iter().enumerate() {
        let (criterion, shortcoming, measure, position, what_done) = ROWS[rows[i]];
        let input = ItemInput {
            criterion: Some(criterion.into()),
            shortcoming: Some(shortcoming.into()),
            measure: Some(measure.into()),
            deadline: Some(today + deadline_in * DAY),
            responsible_name: Some(NAMES[rng.random_range(0..NAMES.len())].into()),
            responsible_position: Some(position.into()),
            status: ItemStatus::Planned,
        };
        let item = plans::add_item(db, actor, org.id, year, &input).await?;
        if let Some(ago) = report_ago {
            let report = ProgressInput {
                done_on: Some(today - ago * DAY),
                what_done: Some(what_done.into()),
                details: None,
                complete: status == ItemStatus::Done,
            };
            plans::add_progress(db, actor, org.id, year, item.id, &report).await?;
        }
    }
    if publish {
        plans::set_approval(db, actor, org.id, year, Some(today - rng.random_range(60..90) * DAY)).await?;
        plans::publish(db, actor, org.id, year).await?;
    }
    Ok(())
}
