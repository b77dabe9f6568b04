//! What a kind's demo script works with: the demo province's people and program, the
//! day the demo is made, and the case engine at a chosen date, so that every case, event
//! and clock of the demo is one the engine itself produced. Each kind scripts its own
//! part in its module (`Workflow::demo`); `demo::work` runs them in `kinds::ALL` order.

use serde_json::{Map, Value};
use time::Date;

use super::CaseError;
use super::engine::{self, ActionInput, At, DueDate, NewCase};
use super::model::{Case, CaseActor};
use super::workflow::Workflow;
use crate::clock;
use crate::db::Conn;
use crate::error::{Error, Result};

/// A kind's demo script.
pub type Script = fn(&mut Demo<'_>) -> Result<()>;

/// Attaches a text document (`file name`, `text`) to the case `number` as `who` would.
pub type Attach<'a> =
    &'a dyn Fn(&mut dyn Conn, &CaseActor, &str, &str, String, &At<'_>) -> Result<()>;

/// The demo's people who act on cases.
pub struct People {
    /// The lead body's specialist (`chuyenvien`).
    pub specialist: CaseActor,
    /// The lead body's leader (`lanhdao`).
    pub leader: CaseActor,
    /// Each partner agency's liaison, with the agency's code (`SYT`).
    pub liaisons: Vec<(String, CaseActor)>,
}

pub struct Demo<'a> {
    pub conn: &'a mut dyn Conn,
    pub people: &'a People,
    /// The current coordination program, which the demo's cases belong to.
    pub program_id: i64,
    /// The day the demo is made: scripts replay the two years before it.
    pub today: Date,
    pub due: DueDate<'a>,
    /// Lent by the demo, which owns the file store.
    pub attach: Attach<'a>,
}

impl<'a> Demo<'a> {
    /// `hour` o'clock on `day`, Vietnam time, with the demo's calendar.
    pub fn at(&self, day: Date, hour: u8) -> At<'a> {
        At {
            now_ms: clock::day_start_ms(day) + i64::from(hour) * 3_600_000,
            today: day,
            due: self.due,
        }
    }

    /// Opens a case of `workflow`'s kind as `who`.
    pub fn open(
        &mut self,
        who: &CaseActor,
        workflow: &Workflow,
        new: &NewCase,
        at: &At<'_>,
    ) -> Result<Case> {
        engine::create(self.conn, who, workflow, new, at).map_err(case_err)
    }

    /// Takes `action` on the case `number` as `who`, at the version it has now.
    pub fn act(
        &mut self,
        who: &CaseActor,
        number: &str,
        action: &str,
        fields: Value,
        at: &At<'_>,
    ) -> Result<()> {
        let version: i64 = self.conn.scalar(
            "SELECT version FROM cases WHERE number = $1",
            crate::params![number],
        )?;
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        engine::perform(
            self.conn,
            who,
            number,
            action,
            &ActionInput { version, fields },
            at,
        )
        .map_err(case_err)?;
        Ok(())
    }

    /// Attaches the document `name` with `text` to the case `number` as `who`.
    pub fn attach(
        &mut self,
        who: &CaseActor,
        number: &str,
        name: &str,
        text: String,
        at: &At<'_>,
    ) -> Result<()> {
        (self.attach)(self.conn, who, number, name, text, at)
    }
}

fn case_err(e: CaseError) -> Error {
    match e {
        CaseError::Db(d) => Error::Db(d),
        CaseError::Invalid(f) => Error::Invalid(f),
        CaseError::NotFound => Error::NotFound,
        CaseError::Forbidden => Error::Forbidden,
        other => Error::Refused(other.message()),
    }
}
