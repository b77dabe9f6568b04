//! `complaint-escalation`: the escalation check of a new letter against many earlier
//! ones (issue 11: p99 < 200 ms against 1,000,000). Fills a data folder with the demo
//! province and `count` letters of the complaint kind's own generator
//! (`case/kinds/complaint/bench.rs`) spread over five years, each with its sender and
//! its deadline clock (running for the newest, met for the rest), written in bulk as
//! `cases` does; then times `find_escalation` for new letters to the province: half
//! retell a letter still open at a commune (the check should find it), half are new
//! senders and matters drawn the same way (it should find nothing), and prints the
//! percentiles with what was found.
//!
//! A folder that already holds the letters is reused, so the queries can be timed
//! again without generating anew.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use phoihop::case::bench::Rng;
use phoihop::case::kinds::complaint::Level;
use phoihop::case::kinds::complaint::bench::letters::{Place, without_marks};
use phoihop::case::kinds::complaint::bench::{self, Letter, Letters};
use phoihop::case::kinds::complaint::complainant::ComplainantForm;
use phoihop::case::kinds::complaint::escalation::{self, NewLetter, PersonKeys};
use phoihop::clock;
use phoihop::db::{Db, Location, Options};
use time::Duration as Days;

/// What `phoihop-bench complaint-escalation` was asked.
pub struct Settings {
    pub data: PathBuf,
    pub database_url: Option<String>,
    pub count: usize,
    pub queries: usize,
    pub seed: u64,
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

pub fn run(options: Settings) -> anyhow::Result<()> {
    let db = open(&options)?;
    let letters =
        db.read_blocking(|c| Letters::new(c, options.seed, options.count, clock::today()))?;
    let have = db.read_blocking(bench::generated)?;
    if have == 0 {
        generate(&db, &letters)?;
    } else if have as usize != options.count {
        anyhow::bail!(
            "{} holds {have} letters, not {}: use a new folder",
            options.data.display(),
            options.count
        );
    } else {
        eprintln!("reusing the {have} letters in {}", options.data.display());
    }
    measure(&db, &letters, &options)
}

fn generate(db: &Db, letters: &Letters) -> anyhow::Result<()> {
    let started = Instant::now();
    let now = clock::now_ms();
    let batch = 10_000;
    let mut done = 0;
    while done < letters.count {
        let upto = (done + batch).min(letters.count);
        db.write_blocking(|c| letters.write(c, done..upto, now))?;
        done = upto;
        eprint!("\r{done} letters");
    }
    eprintln!(
        "\r{} letters in {:.1} s",
        letters.count,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A new letter to the province by `sender` about `matter`, as typed: half the time
/// without marks.
fn query(
    g: &Letter,
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

fn measure(db: &Db, letters: &Letters, options: &Settings) -> anyhow::Result<()> {
    let today = letters.today;
    let places = &letters.installation.places;
    // Letters still open at a commune, newest first: the ones a retelling escalates.
    let mut open = Vec::new();
    for i in (0..options.count).rev() {
        let g = letters.letter(i);
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
    let mut rng = Rng::new(options.seed ^ 0xE5CA_1A7E);
    let mut latencies = Vec::with_capacity(options.queries);
    let (mut retellings, mut found, mut found_other, mut flagged_new) = (0, 0, 0, 0);
    for q in 0..options.queries {
        let retell = q % 2 == 0;
        let (g, expected) = if retell {
            let i = open[rng.below(open.len())];
            let g = letters.letter(i);
            let number = Letters::number(i, &g);
            (g, Some(number))
        } else {
            // A new sender and matter, drawn as the letters were.
            (letters.draw(options.seed ^ 0x0BAD_5EED, q), None)
        };
        let (people, matter) = query(&g, places, &mut rng, retell)?;
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
    let common = db.read_blocking(bench::most_common_name)?;
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
