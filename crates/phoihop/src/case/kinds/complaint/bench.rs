//! Generated letters of complaint for `phoihop-bench complaint-escalation` (feature
//! `bench`): `count` letters received over the five years up to a day, 70 % at a
//! commune, 25 % at the province and 5 % at the centre, each with its sender
//! (`complaint_parties`, keyed as a registered letter's are) and its resolution clock
//! (running for the newest, met for the rest), written in bulk behind the engine's back
//! (`case/bench.rs`). The senders and matters come from [`letters`]; letter `i` is a
//! function of the seed and `i`, so the benchmark retells one without reading it back.

pub mod letters;

use std::ops::Range;

use time::{Date, Duration as Days};

use letters::{Matter, Names, Place, Sender};

use super::{KIND, Level, names};
use crate::case::bench::{Rng, ids};
use crate::clock;
use crate::db::{Conn, DbError};
use crate::params;

/// Letters are spread over this many days before today.
const SPAN_DAYS: i64 = 5 * 365;
const LEVELS: [(Level, f64); 3] = [
    (Level::Commune, 0.70),
    (Level::Province, 0.25),
    (Level::Central, 0.05),
];

/// What the generator needs of the installation: the current program, the partner
/// agencies that handle letters below the centre, the lead body, the fields and the
/// localities below the province, where senders live.
pub struct Installation {
    pub program: i64,
    pub agencies: Vec<i64>,
    pub lead: i64,
    pub fields: Vec<i64>,
    pub places: Vec<Place>,
}

impl Installation {
    fn read(c: &mut dyn Conn) -> Result<Installation, DbError> {
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
}

/// A letter as generated.
pub struct Letter {
    pub level: Level,
    pub received: Date,
    /// Its resolution limit.
    pub due: Date,
    pub sender: Sender,
    pub matter: Matter,
    /// Indexes into the installation's fields and agencies.
    pub field: usize,
    pub agency: usize,
    /// The sender's name as this letter writes it.
    pub written_name: String,
}

/// The generated letters of one seed: `count` of them, up to `today`.
pub struct Letters {
    pub installation: Installation,
    pub seed: u64,
    pub count: usize,
    pub today: Date,
    names: Names,
}

impl Letters {
    /// The letters of `seed` over the installation `c` holds.
    pub fn new(c: &mut dyn Conn, seed: u64, count: usize, today: Date) -> Result<Letters, DbError> {
        Ok(Letters {
            installation: Installation::read(c)?,
            seed,
            count,
            today,
            names: Names::new(),
        })
    }

    /// Letter `i`: oldest first, so the newest (the ones still open) have the highest
    /// ids.
    pub fn letter(&self, i: usize) -> Letter {
        self.draw(self.seed, i)
    }

    /// Letter `i` of another seed, drawn as this one's are: a new sender and matter.
    pub fn draw(&self, seed: u64, i: usize) -> Letter {
        let inst = &self.installation;
        let mut rng = Rng::of(seed, i as u64);
        let x = rng.unit();
        let level = if x < LEVELS[0].1 {
            LEVELS[0].0
        } else if x < LEVELS[0].1 + LEVELS[1].1 {
            LEVELS[1].0
        } else {
            LEVELS[2].0
        };
        let back = SPAN_DAYS - (i as i64 * SPAN_DAYS) / self.count.max(1) as i64;
        let received = self.today - Days::days(back);
        let due = received + Days::days(30 + rng.below(16) as i64);
        let sender = Sender::draw(&self.names, &inst.places, &mut rng);
        let matter = Matter::draw(&mut rng);
        let written_name = sender.written_name(&mut rng);
        Letter {
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

    /// The number letter `i` (which is `letter`) is filed under: seven digits, where
    /// the demo's letters have four.
    pub fn number(i: usize, letter: &Letter) -> String {
        format!("DT-{}-{:07}", letter.received.year(), i + 1)
    }

    /// Writes the letters `range`, with their senders and clocks; a clock past its day
    /// is met at `now` (Unix ms).
    pub fn write(&self, c: &mut dyn Conn, range: Range<usize>, now: i64) -> Result<(), DbError> {
        let inst = &self.installation;
        for i in range {
            let g = self.letter(i);
            let handling = if g.level == Level::Central {
                inst.lead
            } else {
                inst.agencies[g.agency]
            };
            let place = &inst.places[g.sender.place];
            let title = g.matter.first();
            let body = format!(
                "{title}. Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật."
            );
            let opened = clock::day_start_ms(g.received);
            let case_id: i64 = c.scalar(
                "INSERT INTO cases (kind, number, title, body, state, program_id, field_id, locality_id,
                                    owner_org_id, assignee_org_id, opened_at, updated_at, version, data)
                 VALUES ($1, $2, $3, $4, 'received', $5, $6, $7, $8, $8, $9, $9, 1, '{}') RETURNING id",
                params![
                    KIND,
                    Letters::number(i, &g),
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
            let running = g.due >= self.today;
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
    }
}

/// How many generated letters `c` holds (told apart from the demo's by their numbers).
pub fn generated(c: &mut dyn Conn) -> Result<i64, DbError> {
    c.scalar(
        "SELECT COUNT(*) FROM cases WHERE kind = $1 AND number LIKE 'DT-____-_______'",
        params![KIND],
    )
}

/// The name key most letters' senders share, with how many letters: what a check of a
/// common name reads.
pub fn most_common_name(c: &mut dyn Conn) -> Result<(String, i64), DbError> {
    let row = c.query_one(
        "SELECT name_key, COUNT(*) FROM complaint_parties GROUP BY name_key ORDER BY 2 DESC LIMIT 1",
        &[],
    )?;
    Ok((row.get(0)?, row.get(1)?))
}
