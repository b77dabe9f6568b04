//! The `phoihop` command: parses the command line and hands over. Nothing else lives here.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use phoihop::audit::Who;
use phoihop::config::{self, Config, Layer};
use phoihop::org::people::{self, PersonForm};

/// Page rendering and row decoding allocate many small strings; mimalloc serves them
/// faster than the system allocator (measured in bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Phối hợp: runs a coordination program between a lead body and its partner agencies.
#[derive(Parser)]
#[command(name = "phoihop", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application.
    Serve {
        #[command(flatten)]
        store: Store,
        /// Create a fictional demo province in an empty data folder, accept the demo
        /// accounts (password "demo") and print them.
        #[arg(long)]
        demo: bool,
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long, value_name = "ADDR")]
        listen: Option<SocketAddr>,
    },
    /// Manage accounts from the command line.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Personal API tokens (Authorization: Bearer …).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Copy the database and files into DIR (safe while the server runs).
    Backup {
        #[command(flatten)]
        store: Store,
        /// A folder that does not exist yet or is empty.
        dir: PathBuf,
    },
    /// Bring a backup in DIR back into an empty data folder or database.
    Restore {
        #[command(flatten)]
        store: Store,
        dir: PathBuf,
    },
    /// Ask every node to rebuild its search index from scratch. Each running node builds
    /// a new index while the old one keeps answering, then swaps; a stopped node does
    /// it when it starts.
    Reindex {
        #[command(flatten)]
        store: Store,
    },
    /// (Run by `serve`.) Write a whole search index generation into FILE and exit.
    #[command(hide = true)]
    IndexBuild {
        #[command(flatten)]
        store: Store,
        /// The generation's first file (`index-<n>.sqlite` in the search folder).
        #[arg(long, value_name = "FILE")]
        index_file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[command(flatten)]
        store: Store,
        #[command(flatten)]
        account: NewAccount,
    },
    /// Set a new password (read from standard input) and unlock the account.
    Passwd {
        #[command(flatten)]
        store: Store,
        username: String,
    },
    /// List accounts.
    List {
        #[command(flatten)]
        store: Store,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for USER and print it (it is shown only once).
    Create {
        #[command(flatten)]
        store: Store,
        username: String,
        /// What the token is for, to recognise it later.
        #[arg(long, default_value = "dòng lệnh")]
        name: String,
    },
}

/// Where the data is: shared by every command that touches it.
/// What `user add` is told about the new account.
#[derive(Args)]
struct NewAccount {
    /// Sign-in name (a–z, 0–9, . _ -).
    username: String,
    /// Full name as shown.
    #[arg(long)]
    name: String,
    /// Code of the organisation (e.g. BTGDVTU, SYT).
    #[arg(long)]
    org: String,
    /// admin, leader, specialist, liaison, agency_leader, unit_officer, collaborator,
    /// editor, approver.
    #[arg(long)]
    role: String,
    #[arg(long, default_value = "")]
    email: String,
    /// For a collaborator: the code of a commune, ward or special zone they cover
    /// (repeat for several; at least one).
    #[arg(long = "locality", value_name = "CODE")]
    localities: Vec<String>,
    /// For a collaborator: the code of a field they cover (repeat; none: every field).
    #[arg(long = "field", value_name = "CODE")]
    fields: Vec<String>,
}

#[derive(Args, Clone)]
struct Store {
    /// Data folder [default: ./phoihop-data].
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Use PostgreSQL at this URL instead of SQLite in the data folder.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// A TOML configuration file [default: $PHOIHOP_CONFIG].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl Store {
    fn config(&self, mut flags: Layer) -> anyhow::Result<Config> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        for name in config::unknown_env_vars(&env) {
            eprintln!("warning: unknown environment variable {name} (ignored)");
        }
        flags.data_dir = self.data.clone();
        flags.database_url = self.database_url.clone();
        let file = self
            .config
            .clone()
            .or_else(|| env.get("PHOIHOP_CONFIG").map(PathBuf::from));
        Ok(Config::load(file.as_deref(), &env, flags)?)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, as an operator wants to read it.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

fn init_logging() {
    let level = match std::env::var("PHOIHOP_LOG").as_deref() {
        Ok("debug") => tracing::Level::DEBUG,
        Ok("warn") => tracing::Level::WARN,
        Ok("error") => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            store,
            demo,
            listen,
        } => {
            let mut config = store.config(Layer {
                demo: demo.then_some(true),
                listen,
                ..Layer::default()
            })?;
            // Rebuilds of the search index run as `phoihop index-build`, so that their
            // working memory leaves with them (search::indexer::Builder).
            config.index_builder_program = std::env::current_exe().ok();
            serve(config)
        }
        Command::User { command } => match command {
            UserCommand::Add { store, account } => {
                add_user(&store.config(Layer::default())?, &account)
            }
            UserCommand::Passwd { store, username } => {
                set_password(&store.config(Layer::default())?, &username)
            }
            UserCommand::List { store } => list_users(&store.config(Layer::default())?),
        },
        Command::Token {
            command:
                TokenCommand::Create {
                    store,
                    username,
                    name,
                },
        } => {
            let db = phoihop::open_db(&store.config(Layer::default())?)?;
            let person = db
                .read_blocking(|c| people::get_by_username(c, &username))
                .map_err(describe)?
                .with_context(|| format!("no account {username}"))?;
            let token = db
                .write_blocking(|c| phoihop::auth::token::create(c, person.id, &name))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{token}");
            Ok(())
        }
        Command::Backup { store, dir } => {
            let config = store.config(Layer::default())?;
            let db = phoihop::open_db(&config)?;
            let summary = phoihop::backup::backup(&db, &config.data_dir, &dir)?;
            println!("{summary}");
            Ok(())
        }
        Command::Reindex { store } => {
            let db = phoihop::open_db(&store.config(Layer::default())?)?;
            let now = phoihop::clock::now_ms();
            let row = db
                .write_blocking(|c| phoihop::search::outbox::request_reindex(c, now))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Asked every node to rebuild its search index (outbox row {row}); they rebuild in the background and keep answering meanwhile."
            );
            Ok(())
        }
        Command::IndexBuild { store, index_file } => {
            let db = phoihop::open_db(&store.config(Layer::default())?)?;
            let written = phoihop::search::build_generation(&db, &index_file)?;
            tracing::info!(documents = written.documents, "index generation written");
            Ok(())
        }
        Command::Restore { store, dir } => {
            let config = store.config(Layer::default())?;
            let summary = phoihop::backup::restore(&config, &dir)?;
            println!("{summary}");
            Ok(())
        }
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Blocking work is mostly database calls over a pool of a few connections: more
        // threads than that only wait, and each keeps its own allocator memory.
        .max_blocking_threads(32)
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let demo = config.demo;
        let (app, listener) = phoihop::start(config).await?;
        let address = listener.local_addr()?;
        if demo {
            let accounts = phoihop::demo::accounts_table();
            println!("\nPhối hợp — chế độ trình diễn (demo). Mở http://{address}/ và đăng nhập:\n{accounts}");
        } else {
            println!("Phối hợp đang chạy tại http://{address}/");
        }
        phoihop::web::serve(app, listener).await.context("serving")?;
        Ok(())
    })
}

fn add_user(config: &Config, account: &NewAccount) -> anyhow::Result<()> {
    let db = phoihop::open_db(config)?;
    let org = &account.org;
    let organisation = db
        .read_blocking(|c| phoihop::org::find_current_by_code(c, org))
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .with_context(|| format!("no current organisation has the code {org}"))?;
    let (localities, fields) = db
        .read_blocking(|c| -> phoihop::error::Result<_> {
            Ok((
                phoihop::refdata::localities(c, true)?,
                phoihop::refdata::fields(c, true)?,
            ))
        })
        .map_err(describe)?;
    let ids = |codes: &[String], what: &str, id_of: &dyn Fn(&str) -> Option<i64>| {
        codes
            .iter()
            .map(|code| {
                id_of(code)
                    .map(|id| id.to_string())
                    .with_context(|| format!("no {what} has the code {code}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let localities = ids(&account.localities, "locality", &|code| {
        localities.iter().find(|l| l.code == code).map(|l| l.id)
    })?;
    let fields = ids(&account.fields, "field", &|code| {
        fields.iter().find(|f| f.code == code).map(|f| f.id)
    })?;
    let password = read_password(&account.username)?;
    let form = PersonForm {
        username: account.username.clone(),
        display_name: account.name.clone(),
        email: account.email.clone(),
        organisation_id: organisation.id.to_string(),
        role: account.role.clone(),
        password,
        localities,
        fields,
        ..PersonForm::default()
    };
    let (username, details, password) = form.parse_new().map_err(describe)?;
    let hash = people::hash_password(&password).map_err(describe)?;
    let id = db
        .write_blocking(|c| {
            people::create(c, &Who::command_line(), &username, &details, &hash, false)
        })
        .map_err(describe)?;
    println!(
        "created account {} (#{id}) in {}",
        username.as_str(),
        organisation.name
    );
    Ok(())
}

fn read_password(username: &str) -> anyhow::Result<String> {
    eprintln!("Password for {username} (then Enter):");
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password")?;
    Ok(password.trim_end_matches(['\n', '\r']).to_owned())
}

fn set_password(config: &Config, username: &str) -> anyhow::Result<()> {
    let db = phoihop::open_db(config)?;
    let person = db
        .read_blocking(|c| people::get_by_username(c, username))
        .map_err(describe)?
        .with_context(|| format!("no account {username}"))?;
    let password = read_password(username)?;
    phoihop::org::values::check_new_password(&password)
        .map_err(|m| anyhow::anyhow!("password: {m}"))?;
    let hash = people::hash_password(&password).map_err(describe)?;
    db.write_blocking(|c| people::set_password(c, &Who::command_line(), person.id, &hash))
        .map_err(describe)?;
    println!("new password set for {}", person.username);
    Ok(())
}

fn list_users(config: &Config) -> anyhow::Result<()> {
    let db = phoihop::open_db(config)?;
    let list = db
        .read_blocking(|c| people::list(c, &people::Filter::default()))
        .map_err(describe)?;
    for p in list {
        let state = if p.active { "" } else { " (locked)" };
        println!(
            "{:<20} {:<14} {} — {}{state}",
            p.username,
            p.role.code(),
            p.display_name,
            p.organisation_name
        );
    }
    Ok(())
}

/// A domain error as one line for the terminal, with the field it concerns.
fn describe(e: phoihop::error::Error) -> anyhow::Error {
    match e {
        phoihop::error::Error::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|(f, m)| format!("{f}: {m}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}
