//! `complaint-escalation`: the escalation check of a new letter against many earlier
//! ones (issue 11: p99 < 200 ms against 1,000,000). Fills a data folder with the demo
//! province and `count` generated letters (`letters.rs`) spread over five years, each
//! with its sender and its deadline clock (running for the newest, met for the rest),
//! written in bulk as `cases` does; then times `find_escalation` for new letters to
//! the province: half retell a letter still open at a commune (the check should find
//! it), half are new senders and matters drawn the same way (it should find nothing),
//! and prints the percentiles with what was found.
//!
//! A folder that already holds the letters is reused, so the queries can be timed
//! again without generating anew.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use phoihop::case::kinds::complaint::complainant::ComplainantForm;
use phoihop::case::kinds::complaint::escalation::{self, NewLetter, PersonKeys};
use phoihop::case::kinds::complaint::{KIND, Level, names};
use phoihop::clock;
use phoihop::db::{Conn, Db, DbError, Location, Options};
use phoihop::params;
use time::{Date, Duration as Days};

use crate::letters::{Matter, Names, Place, Sender, without_marks};
use phoihop::case::bench::Rng;

/// Letters are spread over this many days before today.
const SPAN_DAYS: i64 = 5 * 365;
const LEVELS: [(Level, f64); 3] = [
    (Level::Commune, 0.70),
    (Level::Province, 0.25),
    (Level::Central, 0.05),
];

/// What `phoihop-bench complaint-escalation` was asked.
pub struct Settings {
    pub data: PathBuf,
    pub database_url: Option<String>,
    pub count: usize,
    pub queries: usize,
    pub seed: u64,
}

/// What the generator needs of the installation.
struct Installation {
    program: i64,
    agencies: Vec<i64>,
    lead: i64,
    fields: Vec<i64>,
    places: Vec<Place>,
}

/// Letter `i` as generated: everything derives from the seed and `i`.
struct Generated {
    level: Level,
    received: Date,
    due: Date,
    sender: Sender,
    matter: Matter,
    field: usize,
    agency: usize,
    written_name: String,
}

fn generate_one(
    names: &Names,
    inst: &Installation,
    seed: u64,
    count: usize,
    i: usize,
    today: Date,
) -> Generated {
    let mut rng = Rng::of(seed, i as u64);
    let x = rng.unit();
    let level = if x < LEVELS[0].1 {
        LEVELS[0].0
    } else if x < LEVELS[0].1 + LEVELS[1].1 {
        LEVELS[1].0
    } else {
        LEVELS[2].0
    };
    // Oldest first, so the newest (the ones still open) have the highest ids.
    let back = SPAN_DAYS - (i as i64 * SPAN_DAYS) / count.max(1) as i64;
    let received = today - Days::days(back);
    let due = received + Days::days(30 + rng.below(16) as i64);
    let sender = Sender::draw(names, &inst.places, &mut rng);
    let matter = Matter::draw(&mut rng);
    let written_name = sender.written_name(&mut rng);
    Generated {
        level,
        received,
        due,
        sender,
        matter,
        field: rng.below(inst.fields.len()),
        agency: rng.below(inst.agencies.len()),
        written_name,
    }
}

fn open(options: &Settings) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&options.data)?;
    let location = match &options.database_url {
        Some(url) => Location::Postgres(url.clone()),
        None => Location::SqliteFolder(options.data.clone()),
    };
    let db = Db::open(&location, &Options::default())?;
    phoihop::demo::ensure(&db, &options.data)?;
    Ok(db)
}

fn installation(c: &mut dyn Conn) -> Result<Installation, DbError> {
    let ids = |c: &mut dyn Conn, sql: &str| -> Result<Vec<i64>, DbError> {
        c.query(sql, &[])?.iter().map(|r| r.get(0)).collect()
    };
    Ok(Installation {
        program: c.scalar("SELECT MAX(id) FROM programs", &[])?,
        agencies: ids(
            c,
            "SELECT id FROM organisations WHERE role = 'partner' AND valid_to IS NULL ORDER BY id",
        )?,
        lead: c.scalar(
            "SELECT id FROM organisations WHERE role = 'lead' AND valid_to IS NULL",
            &[],
        )?,
        fields: ids(c, "SELECT id FROM fields ORDER BY id")?,
        places: c
            .query(
                "SELECT id, name, level FROM localities WHERE level <> 'province' ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Place {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    ward: r.get::<String>(2)? == "ward",
                })
            })
            .collect::<Result<_, DbError>>()?,
    })
}

pub fn run(options: Settings) -> anyhow::Result<()> {
    let db = open(&options)?;
    let inst = db.read_blocking(installation)?;
    let names = Names::new();
    let today = clock::today();
    // The generated letters, numbered with seven digits; the demo's own have four.
    let have: i64 = db.read_blocking(|c| {
        c.scalar(
            "SELECT COUNT(*) FROM cases WHERE kind = $1 AND number LIKE 'DT-____-_______'",
            params![KIND],
        )
    })?;
    if have == 0 {
        generate(&db, &names, &inst, &options, today)?;
    } else if have as usize != options.count {
        anyhow::bail!(
            "{} holds {have} letters, not {}: use a new folder",
            options.data.display(),
            options.count
        );
    } else {
        eprintln!("reusing the {have} letters in {}", options.data.display());
    }
    measure(&db, &names, &inst, &options, today)
}

fn generate(
    db: &Db,
    names: &Names,
    inst: &Installation,
    options: &Settings,
    today: Date,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let now = clock::now_ms();
    let batch = 10_000;
    let mut done = 0;
    while done < options.count {
        let upto = (done + batch).min(options.count);
        db.write_blocking(|c| -> Result<(), DbError> {
            for i in done..upto {
                let g = generate_one(names, inst, options.seed, options.count, i, today);
                let handling = if g.level == Level::Central { inst.lead } else { inst.agencies[g.agency] };
                let place = &inst.places[g.sender.place];
                let title = g.matter.first();
                let body = format!("{title}. Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật.");
                let opened = clock::day_start_ms(g.received);
                let case_id: i64 = c.scalar(
                    "INSERT INTO cases (kind, number, title, body, state, program_id, field_id, locality_id,
                                        owner_org_id, assignee_org_id, opened_at, updated_at, version, data)
                     VALUES ($1, $2, $3, $4, 'received', $5, $6, $7, $8, $8, $9, $9, 1, '{}') RETURNING id",
                    params![
                        KIND,
                        format!("DT-{}-{:07}", g.received.year(), i + 1),
                        title.as_str(),
                        body,
                        inst.program,
                        inst.fields[g.field],
                        place.id,
                        handling,
                        opened
                    ],
                )?;
                c.execute(
                    "INSERT INTO complaint_letters (case_id, letter_type, level, handling_org_id, received_on)
                     VALUES ($1, 'complaint', $2, $3, $4)",
                    params![case_id, g.level.code(), handling, clock::iso_date(g.received)],
                )?;
                let address = g.sender.address(&inst.places);
                c.execute(
                    "INSERT INTO complaint_parties (case_id, position, name, name_key, address, address_key,
                         locality_id, phone, identity_number, created_at, updated_at)
                     VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                    params![
                        case_id,
                        g.written_name.as_str(),
                        names::name_key(&g.written_name),
                        address.as_str(),
                        names::address_key(&address),
                        place.id,
                        g.sender.phone.clone(),
                        g.sender.identity.clone(),
                        opened
                    ],
                )?;
                let running = g.due >= today;
                c.execute(
                    "INSERT INTO case_clocks (case_id, clock, org_id, started_at, due_on, state, stopped_at)
                     VALUES ($1, 'resolution', $2, $3, $4, $5, $6)",
                    params![
                        case_id,
                        handling,
                        opened,
                        clock::iso_date(g.due),
                        if running { "running" } else { "met" },
                        (!running).then_some(now)
                    ],
                )?;
            }
            Ok(())
        })?;
        done = upto;
        eprint!("\r{done} letters");
    }
    eprintln!(
        "\r{} letters in {:.1} s",
        options.count,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A new letter to the province by `sender` about `matter`, as typed: half the time
/// without marks.
fn query(
    g: &Generated,
    places: &[Place],
    rng: &mut Rng,
    retold: bool,
) -> anyhow::Result<(Vec<PersonKeys>, String)> {
    let plain = rng.chance(0.5);
    let typed = |s: String| if plain { without_marks(&s) } else { s };
    let form = ComplainantForm {
        name: typed(g.sender.written_name(rng)),
        address: typed(g.sender.address(places)),
        locality_id: places[g.sender.place].id.to_string(),
        phone: g.sender.phone.clone().unwrap_or_default(),
        ..ComplainantForm::default()
    };
    let person = form.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let text = if retold {
        g.matter.retold()
    } else {
        g.matter.first()
    };
    Ok((
        vec![PersonKeys::from(&person)],
        escalation::matter_text(&typed(text), ""),
    ))
}

fn measure(
    db: &Db,
    names: &Names,
    inst: &Installation,
    options: &Settings,
    today: Date,
) -> anyhow::Result<()> {
    // Letters still open at a commune, newest first: the ones a retelling escalates.
    let mut open = Vec::new();
    for i in (0..options.count).rev() {
        let g = generate_one(names, inst, options.seed, options.count, i, today);
        if g.received < today - Days::days(60) {
            break;
        }
        if g.level == Level::Commune && g.due >= today {
            open.push(i);
        }
    }
    anyhow::ensure!(
        !open.is_empty(),
        "no letter is still open at a commune; generate more"
    );
    let number_of = |i: usize, g: &Generated| format!("DT-{}-{:07}", g.received.year(), i + 1);
    let mut rng = Rng::new(options.seed ^ 0xE5CA_1A7E);
    let mut latencies = Vec::with_capacity(options.queries);
    let (mut retellings, mut found, mut found_other, mut flagged_new) = (0, 0, 0, 0);
    for q in 0..options.queries {
        let retell = q % 2 == 0;
        let (g, expected) = if retell {
            let i = open[rng.below(open.len())];
            let g = generate_one(names, inst, options.seed, options.count, i, today);
            let number = number_of(i, &g);
            (g, Some(number))
        } else {
            // A new sender and matter, drawn as the letters were.
            (
                generate_one(
                    names,
                    inst,
                    options.seed ^ 0x0BAD_5EED,
                    options.count,
                    q,
                    today,
                ),
                None,
            )
        };
        let (people, matter) = query(&g, &inst.places, &mut rng, retell)?;
        let new = NewLetter {
            case_id: None,
            level: Level::Province,
            received_on: today,
            people: &people,
            matter: &matter,
        };
        let start = Instant::now();
        let earlier = db.read_blocking(|c| escalation::find_escalation(c, &new))?;
        latencies.push(start.elapsed());
        match (expected, earlier) {
            (Some(number), Some(e)) if e.number == number => {
                retellings += 1;
                found += 1;
            }
            (Some(_), Some(_)) => {
                retellings += 1;
                found_other += 1;
            }
            (Some(_), None) => retellings += 1,
            (None, Some(_)) => flagged_new += 1,
            (None, None) => {}
        }
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let common = most_common_name(db)?;
    println!(
        "{} earlier letters ({} still open at a commune in the last 60 days); {} checks of a new letter to the province",
        options.count,
        open.len(),
        latencies.len()
    );
    println!(
        "latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(0.5)),
        ms(pct(0.9)),
        ms(pct(0.99)),
        ms(pct(1.0))
    );
    println!(
        "retellings of an open commune letter: {found} of {retellings} found ({found_other} found another); new senders and matters flagged: {flagged_new} of {}",
        options.queries - retellings
    );
    println!("most common name key: {} ({} letters)", common.0, common.1);
    Ok(())
}

fn most_common_name(db: &Db) -> anyhow::Result<(String, i64)> {
    let row = db.read_blocking(|c| {
        c.query_one(
            "SELECT name_key, COUNT(*) FROM complaint_parties GROUP BY name_key ORDER BY 2 DESC LIMIT 1",
            &[],
        )
    })?;
    Ok((row.get(0).context("name")?, row.get(1).context("count")?))
}
