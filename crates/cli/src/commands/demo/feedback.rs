//! Demo feedback for a few dozen organisations: published reviews (some with the organisation's answer) and
//! a few waiting for moderation, appeals in every status (some overdue), agreement votes with comments, and
//! device repeats waiting in the flagged-response queue. The `staff` account's organisation comes first and
//! gets a full set; the `authority` account's sphere gets most of the rest. Everything goes through the
//! store's own functions (validation, moderation pre-checks, transitions, audit). Deterministic for a seed.

use super::survey;
use nok_store::crypto::FieldKey;
use nok_store::entities::organization;
use nok_store::repo::appeals::{self, NewAppeal};
use nok_store::repo::rating_votes::{self, NewVote};
use nok_store::repo::reviews::{self, NewReview};
use nok_store::repo::users;
use nok_store::scope::Scope;
use nok_store::time_util;
use nok_store::{Actor, Db, Role};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Organisations with feedback besides the staff account's one: in the authority's scope, and outside it.
const IN_SCOPE: usize = 17;
const OUT_OF_SCOPE: usize = 18;
/// Every this many organisations (the first included) one gets a device repeat in the flagged queue.
const FLAGGED_EVERY: usize = 4;

const REVIEWS_GOOD: [&str; 8] = [
    "Всё понравилось: приняли вовремя, объяснили понятно, персонал вежливый.",
    "Спасибо сотрудникам за внимательное отношение и терпение.",
    "Чисто, уютно, есть где подождать. Записаться через портал было просто.",
    "Обращаемся не первый год, работой довольны.",
    "Быстро помогли разобраться с документами, очереди почти не было.",
    "Удобный график работы, администраторы вежливые, всё по делу.",
    "Отдельное спасибо за пандус и помощь на входе — с коляской прошли без проблем.",
    "На сайте есть вся нужная информация, по телефону ответили сразу.",
];
const REVIEWS_BAD: [&str; 6] = [
    "Долго ждали в коридоре, хотя были записаны на конкретное время.",
    "Дозвониться по телефону невозможно, приходится ехать лично.",
    "Внутри нет понятных указателей, нужный кабинет искали долго.",
    "В туалете нет мыла и бумаги, в гардеробе очередь. Надеюсь, исправят.",
    "Информация на сайте устарела: часы работы указаны неверно.",
    "В целом вежливо, но ответа на мой вопрос пришлось ждать две недели.",
];
/// Waiting for moderation; the first two break the rules (a staff member's name, a link), so the
/// pre-checks flag them.
const REVIEWS_PENDING: [&str; 4] = [
    "Врач Смирнова Е. А. грубо разговаривала с пожилыми пациентами.",
    "Подробности и фото выложил здесь: yar-otzyvy.ru/vse",
    "Нормально, но парковка у входа всегда занята.",
    "Пришли к открытию, а дверь была закрыта ещё полчаса.",
];
const AUTHOR_NAMES: [&str; 7] = ["Ольга", "Сергей", "Анна", "Игорь", "Татьяна", "Михаил", "Елена"];
const ANSWERS_THANKS: [&str; 3] = [
    "Спасибо за отзыв! Передали вашу благодарность коллективу.",
    "Благодарим за добрые слова, будем рады видеть вас снова.",
    "Спасибо, что нашли время написать. Нам важно ваше мнение.",
];
const ANSWERS_FIX: [&str; 4] = [
    "Приносим извинения. Мы добавили окна приёма, очередь должна стать меньше.",
    "Спасибо за замечание. Добавлена вторая телефонная линия, номер обновлён на сайте.",
    "Замечание учтено: указатели на этажах заменены.",
    "Информация на сайте исправлена. Спасибо, что сообщили.",
];
const APPEALS: [&str; 6] = [
    "Прошу сообщить, почему мне отказали в записи на приём через портал.",
    "Прошу разъяснить порядок получения справки и сроки её выдачи.",
    "Прошу установить поручень у входа: зимой ступени скользкие.",
    "На сайте и на двери указано разное время работы. Какое верное?",
    "Прошу рассмотреть возможность работы в субботу.",
    "Моё заявление, поданное месяц назад, до сих пор не рассмотрено. Прошу сообщить о нём.",
];
const APPEAL_ANSWERS: [&str; 4] = [
    "Ваше обращение рассмотрено. Запись через портал восстановлена, приносим извинения.",
    "Справка выдаётся в течение пяти рабочих дней после заявления, в кабинете 104.",
    "Поручень будет установлен до конца месяца, работы включены в план.",
    "Верное время работы указано на сайте, табличка на двери заменена.",
];
const VOTE_AGREE: [&str; 3] =
    ["Оценка соответствует моему опыту.", "Согласен, за год стало заметно лучше.", "Всё честно, работают хорошо."];
const VOTE_DISAGREE: [&str; 3] = [
    "Оценка завышена: очереди никуда не делись.",
    "Рейтинг занижен, персонал очень старается.",
    "Видимо, опрашивали не тех посетителей.",
];
/// The staff account's organisation: every status, two of them overdue, one answered late.
/// (status, age in days, answered after days)
const LEAD_APPEALS: [(&str, i64, i64); 8] = [
    (appeals::NEW, 44, 0),
    (appeals::IN_WORK, 37, 0),
    (appeals::NEW, 2, 0),
    (appeals::IN_WORK, 11, 0),
    (appeals::ANSWERED, 19, 8),
    (appeals::ANSWERED, 52, 34),
    (appeals::CLOSED, 64, 12),
    (appeals::CLOSED, 85, 21),
];

/// The demo accounts feedback is handled by.
struct Cast {
    admin: Actor,
    authority: Actor,
    staff: Actor,
}

impl Cast {
    async fn load(db: &Db) -> anyhow::Result<Cast> {
        let actor = async |login: &str| -> anyhow::Result<Actor> {
            let user = users::find_by_login(&db.read, login).await?;
            let user = user.ok_or_else(|| anyhow::anyhow!("demo account {login} is missing"))?;
            Ok(users::actor_for(&db.read, &user).await?)
        };
        Ok(Cast { admin: actor("admin").await?, authority: actor("authority").await?, staff: actor("staff").await? })
    }

    /// Who answers for `org`: the staff account for its own organisation, a stand-in for the others.
    fn staff_of(&self, org: &organization::Model) -> Actor {
        if self.staff.scope == (Scope::Organization { organization_id: org.id }) {
            return self.staff.clone();
        }
        Actor {
            user_id: None,
            login: "demo-staff".into(),
            role: Role::Staff,
            scope: Scope::Organization { organization_id: org.id },
        }
    }

    /// Who moderates reviews of `org`: the authority within its scope, the administrator elsewhere.
    fn moderator_of(&self, org: &organization::Model) -> &Actor {
        if self.authority.sees_organization(org, None) { &self.authority } else { &self.admin }
    }
}

/// The moments the demo data is spread over.
#[derive(Clone, Copy)]
struct Clock {
    now: i64,
    year_start: i64,
}

impl Clock {
    /// A moment `min..max` seconds ago, not before the year started (votes and responses count per year).
    fn this_year(&self, rng: &mut ChaCha8Rng, min: i64, max: i64) -> i64 {
        (self.now - rng.random_range(min..max)).max(self.year_start)
    }
}

/// Adds the demo feedback to a database that already holds the demo registry and accounts.
pub async fn fill(db: &Db, orgs: &[organization::Model], key: &FieldKey, seed: u64) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xfeedbac);
    let cast = Cast::load(db).await?;
    let now = time_util::now();
    let clock = Clock { now, year_start: survey::year_start(now)? };
    for (i, org) in choose(&mut rng, orgs, &cast)?.into_iter().enumerate() {
        let lead = i == 0;
        reviews_of(db, &mut rng, &cast, org, lead, now).await?;
        appeals_of(db, key, &mut rng, &cast.staff_of(org), org, lead, now).await?;
        votes_of(db, &mut rng, org, lead, clock).await?;
        if i % FLAGGED_EVERY == 0 {
            device_repeat(db, &mut rng, org, clock).await?;
        }
    }
    Ok(())
}

/// The staff account's organisation, then others of the authority's scope, then others outside it.
fn choose<'a>(
    rng: &mut ChaCha8Rng,
    orgs: &'a [organization::Model],
    cast: &Cast,
) -> anyhow::Result<Vec<&'a organization::Model>> {
    let Scope::Organization { organization_id } = cast.staff.scope else {
        anyhow::bail!("demo staff has no organisation")
    };
    let lead = orgs.iter().find(|o| o.id == organization_id).ok_or_else(|| anyhow::anyhow!("no staff organisation"))?;
    let (mut inside, mut outside): (Vec<_>, Vec<_>) = orgs
        .iter()
        .filter(|o| o.active && o.id != organization_id)
        .partition(|o| cast.authority.sees_organization(o, None));
    inside.shuffle(rng);
    outside.shuffle(rng);
    let mut chosen = vec![lead];
    chosen.extend(inside.into_iter().take(IN_SCOPE));
    chosen.extend(outside.into_iter().take(OUT_OF_SCOPE));
    Ok(chosen)
}

/// `n` different texts of `list` (all of them, shuffled, when `n` is larger).
fn some<'a>(rng: &mut ChaCha8Rng, list: &[&'a str], n: usize) -> Vec<&'a str> {
    list.choose_multiple(rng, n).copied().collect()
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

/// A device (or address) hash as the server derives them: 32 hex digits.
fn hash(rng: &mut ChaCha8Rng) -> String {
    format!("{:032x}", rng.random::<u128>())
}

async fn reviews_of(
    db: &Db,
    rng: &mut ChaCha8Rng,
    cast: &Cast,
    org: &organization::Model,
    lead: bool,
    now: i64,
) -> anyhow::Result<()> {
    let good = if lead { 4 } else { rng.random_range(1..=4) };
    let bad = if lead { 2 } else { rng.random_range(0..=2) };
    let mut published: Vec<(&str, bool)> = some(rng, &REVIEWS_GOOD, good).into_iter().map(|t| (t, true)).collect();
    published.extend(some(rng, &REVIEWS_BAD, bad).into_iter().map(|t| (t, false)));
    published.shuffle(rng);
    let staff = cast.staff_of(org);
    for (i, (body, good)) in published.into_iter().enumerate() {
        let created = now - rng.random_range(6 * DAY..150 * DAY);
        let id = submit_review(db, rng, org, body, created).await?;
        let approved = created + rng.random_range(2 * HOUR..2 * DAY);
        reviews::approve(db, cast.moderator_of(org), id, approved).await?;
        // The staff account's organisation has answered the complaints and one thank-you, not the rest.
        let answered = if lead { !good || i == 0 } else { rng.random_bool(if good { 0.35 } else { 0.75 }) };
        if answered {
            let answer = pick(rng, if good { &ANSWERS_THANKS } else { &ANSWERS_FIX });
            reviews::answer(db, &staff, id, answer, approved + rng.random_range(HOUR..3 * DAY)).await?;
        }
    }
    let pending_count = if lead { 2 } else { rng.random_range(0..=1) };
    let pending = if lead { REVIEWS_PENDING[..2].to_vec() } else { some(rng, &REVIEWS_PENDING, pending_count) };
    for body in pending {
        let at = now - rng.random_range(HOUR..4 * DAY);
        submit_review(db, rng, org, body, at).await?;
    }
    Ok(())
}

async fn submit_review(
    db: &Db,
    rng: &mut ChaCha8Rng,
    org: &organization::Model,
    body: &str,
    at: i64,
) -> anyhow::Result<i32> {
    let author_name = rng.random_bool(0.6).then(|| pick(rng, &AUTHOR_NAMES).to_string());
    let new = NewReview {
        organization_id: org.id,
        body: body.to_string(),
        author_name,
        accepts_rules: true,
        device_hash: None,
        ip_hash: None,
        at,
    };
    Ok(reviews::submit(db, new).await?.review.id)
}

/// A random status and age in days for an appeal of an organisation other than the staff account's; open
/// appeals older than the deadline come out overdue.
fn random_appeal(rng: &mut ChaCha8Rng) -> (&'static str, i64, i64) {
    let status = *appeals::STATUSES.choose(rng).unwrap_or(&appeals::NEW);
    let age = match status {
        appeals::NEW => rng.random_range(1..40),
        appeals::IN_WORK => rng.random_range(3..45),
        appeals::ANSWERED => rng.random_range(10..60),
        _ => rng.random_range(25..90),
    };
    (status, age, rng.random_range(1..=(age - 1).clamp(1, 28)))
}

async fn appeals_of(
    db: &Db,
    key: &FieldKey,
    rng: &mut ChaCha8Rng,
    staff: &Actor,
    org: &organization::Model,
    lead: bool,
    now: i64,
) -> anyhow::Result<()> {
    let plan: Vec<(&str, i64, i64)> =
        if lead { LEAD_APPEALS.to_vec() } else { (0..rng.random_range(1..=3)).map(|_| random_appeal(rng)).collect() };
    for (status, age_days, answer_days) in plan {
        let created = now - age_days * DAY - rng.random_range(0..8 * HOUR);
        let new = NewAppeal {
            organization_id: org.id,
            body: pick(rng, &APPEALS).to_string(),
            email: format!("citizen{}@example.org", rng.random_range(100..1000)),
            consent: true,
            device_hash: None,
            ip_hash: None,
            at: created,
        };
        let id = appeals::submit(db, key, new).await?.appeal.id;
        if status == appeals::NEW {
            continue;
        }
        appeals::set_status(db, staff, id, appeals::IN_WORK, created + rng.random_range(HOUR..DAY)).await?;
        if status == appeals::IN_WORK {
            continue;
        }
        let answered = created + answer_days * DAY;
        let text = pick(rng, &APPEAL_ANSWERS);
        let mail = |a: &_| nok_web::routes::feedback::answer_mail(a, &org.short_name);
        appeals::answer(db, key, staff, id, text, mail, answered).await?;
        if status == appeals::CLOSED {
            let closed = (answered + rng.random_range(HOUR..5 * DAY)).min(now - HOUR);
            appeals::set_status(db, staff, id, appeals::CLOSED, closed).await?;
        }
    }
    Ok(())
}

async fn votes_of(
    db: &Db,
    rng: &mut ChaCha8Rng,
    org: &organization::Model,
    lead: bool,
    clock: Clock,
) -> anyhow::Result<()> {
    let count = if lead { 24 } else { rng.random_range(6..=20) };
    let agree_rate = rng.random_range(0.45..0.9);
    for i in 0..count {
        let agree = rng.random_bool(agree_rate);
        let commented = (lead && i < 3) || rng.random_bool(0.25);
        let comment = commented.then(|| pick(rng, if agree { &VOTE_AGREE } else { &VOTE_DISAGREE }).to_string());
        let at = clock.this_year(rng, HOUR, 60 * DAY);
        let vote = NewVote {
            organization_id: org.id,
            period: time_util::period_of(at),
            device_hash: hash(rng),
            agree,
            comment,
            ip_hash: Some(hash(rng)),
            at,
        };
        rating_votes::vote(db, vote).await?;
    }
    Ok(())
}

/// A response and, hours later, another from the same device: the repeat waits in the flagged queue.
async fn device_repeat(db: &Db, rng: &mut ChaCha8Rng, org: &organization::Model, clock: Clock) -> anyhow::Result<()> {
    let (device, ip) = (hash(rng), hash(rng));
    let repeat_at = clock.this_year(rng, HOUR, 10 * DAY);
    let first_at = (repeat_at - rng.random_range(10 * 60..20 * HOUR)).max(clock.year_start);
    let mut first = survey::respondent(rng, org, 0.0, first_at);
    let mut repeat = survey::respondent(rng, org, 0.0, repeat_at);
    for r in [&mut first, &mut repeat] {
        r.device_hash = Some(device.clone());
        r.ip_hash = Some(ip.clone());
        r.channel = "qr_poster".into();
    }
    repeat.flag_reason = Some(nok_web::intake::writer::DEVICE_REPEAT.into());
    nok_store::repo::survey::insert_batch(db, &[first, repeat]).await?;
    Ok(())
}
