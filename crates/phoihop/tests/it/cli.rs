//! The command line: `user add`, and clear one-line errors for bad setups.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::*;

fn phoihop() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phoihop"))
}

/// Runs `command` with `input` on its standard input.
fn with_input(mut command: Command, input: &[u8]) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run phoihop");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    child.wait_with_output().expect("wait")
}

fn store_args(app: &TestApp) -> Vec<String> {
    let mut args = vec!["--data".to_owned(), app.dir.display().to_string()];
    if let Some(url) = &app.config.database_url {
        args.push("--database-url".into());
        args.push(url.clone());
    }
    args
}

#[test]
fn user_add_creates_an_account_that_signs_in() {
    let app = spawn_app();
    let mut command = phoihop();
    command.args(["user", "add"]).args(store_args(&app)).args([
        "nguoimoi",
        "--name",
        "Người Mới",
        "--org",
        "SYT",
        "--role",
        "unit_officer",
    ]);
    let output = with_input(command, b"mat-khau-dai-1\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let response = app.client().post_form(
        "/login",
        &[("username", "nguoimoi"), ("password", "mat-khau-dai-1")],
    );
    assert_eq!(response.status, 303);
}

#[test]
fn user_add_with_a_bad_role_says_why_in_one_line() {
    let app = spawn_app();
    let output = phoihop()
        .args(["user", "add"])
        .args(store_args(&app))
        .args(["x1234", "--name", "X", "--org", "SYT", "--role", "king"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error:") && stderr.contains("role"),
        "{stderr}"
    );
}

#[test]
fn user_add_registers_a_collaborator_with_the_localities_they_cover() {
    let app = spawn_app();
    let add = |extra: &[&str]| {
        let mut command = phoihop();
        command.args(["user", "add"]).args(store_args(&app)).args([
            "ctv.cli",
            "--name",
            "Y Nhơn",
            "--org",
            "SYT",
            "--role",
            "collaborator",
        ]);
        command.args(extra);
        with_input(command, b"mat-khau-dai-1\n")
    };
    let refused = add(&[]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("localities: Chọn ít nhất một"), "{stderr}");
    let unknown = add(&["--locality", "NS-X99"]);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no locality has the code NS-X99"),
        "{stderr}"
    );
    let added = add(&[
        "--locality",
        "NS-X01",
        "--locality",
        "NS-X02",
        "--field",
        "y-te",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let db = app.db();
    let covered = db
        .read_blocking(|c| {
            let person = phoihop::org::people::get_by_username(c, "ctv.cli")?
                .ok_or(phoihop::error::Error::NotFound)?;
            phoihop::org::collaborators::current(c, person.id)
        })
        .expect("read");
    let names: Vec<&str> = covered.localities.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Xã Đăk Hà", "Xã Ia Chim"]);
    assert_eq!(covered.fields.len(), 1);
}

#[test]
fn a_data_folder_that_cannot_be_written_gives_a_clear_error() {
    let output = phoihop()
        .args(["serve", "--data", "/proc/phoihop-cannot-write"])
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: cannot create the data folder /proc/phoihop-cannot-write"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unreachable_database_gives_a_clear_error() {
    let output = phoihop()
        .args([
            "serve",
            "--database-url",
            "postgres://nobody:secret@127.0.0.1:1/none",
        ])
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: cannot use the database at postgres://nobody:***@127.0.0.1:1/none"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "the password is not printed");
}

#[test]
fn a_malformed_config_file_or_variable_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("phoihop.toml");
    std::fs::write(&file, "listen = 12\n[[[").expect("write");
    let output = phoihop()
        .args(["serve", "--config"])
        .arg(&file)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("error: config file") && stderr.contains("phoihop.toml"),
        "{stderr}"
    );
    let output = phoihop()
        .args(["serve", "--data"])
        .arg(dir.path().join("d"))
        .env("PHOIHOP_SESSION_IDLE_SECS", "soon")
        .env("PHOIHOP_SESION_IDLE", "1")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: unknown environment variable PHOIHOP_SESION_IDLE"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: environment variable PHOIHOP_SESSION_IDLE_SECS"),
        "{stderr}"
    );
}

/// Creates a real (non-demo) lead body and an administrator with `password`.
fn real_administrator(app: &TestApp, username: &str, password: &str) {
    let db = app.db();
    let who = phoihop::audit::Who::command_line();
    let org = db
        .write_blocking(|c| -> phoihop::error::Result<i64> {
            let form = phoihop::org::NewOrganisationForm {
                name: "Ban Tuyên giáo và Dân vận Tỉnh ủy".into(),
                code: "BTGDVTU".into(),
                body_type: "party".into(),
                role: "lead".into(),
                ..Default::default()
            };
            phoihop::org::create(c, &who, &form.parse()?)
        })
        .expect("org");
    let form = phoihop::org::people::PersonForm {
        username: username.into(),
        display_name: "Quản Trị".into(),
        organisation_id: org.to_string(),
        role: "admin".into(),
        password: password.into(),
        ..Default::default()
    };
    let (u, d, _) = form.parse_new().expect("valid");
    let hash = phoihop::org::people::hash_password(password).expect("hash");
    db.write_blocking(|c| phoihop::org::people::create(c, &who, &u, &d, &hash, false))
        .expect("person");
}

#[test]
fn demo_refuses_a_data_folder_with_real_accounts() {
    let app = spawn_app_with(Setup {
        demo: false,
        ..Setup::default()
    });
    real_administrator(&app, "that", "12345678");
    let mut args = vec![
        "serve".to_owned(),
        "--demo".to_owned(),
        "--listen".to_owned(),
        "127.0.0.1:0".to_owned(),
    ];
    args.extend(store_args(&app));
    let output = phoihop().args(&args).output().expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already holds real accounts"));
}

#[test]
fn user_passwd_sets_a_new_password_from_standard_input() {
    let app = spawn_app_with(Setup {
        demo: false,
        ..Setup::default()
    });
    real_administrator(&app, "quantri", "old-password-1");
    let mut command = phoihop();
    command
        .args(["user", "passwd"])
        .args(store_args(&app))
        .arg("quantri");
    let output = with_input(command, b"new-password-2\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut client = app.client();
    assert_eq!(
        client
            .post_form(
                "/login",
                &[("username", "quantri"), ("password", "old-password-1")]
            )
            .status,
        200
    );
    assert_eq!(
        client
            .post_form(
                "/login",
                &[("username", "quantri"), ("password", "new-password-2")]
            )
            .status,
        303
    );
}

/// `phoihop serve` rebuilds its search index in a child process (`phoihop index-build`),
/// whose working memory leaves with it, and searches the files the child wrote.
#[test]
fn serve_builds_its_search_index_in_a_child_process() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let log_path = tmp.path().join("serve.log");
    let log = std::fs::File::create(&log_path).expect("log");
    let mut server = phoihop()
        .args(["serve", "--demo", "--data"])
        .arg(&data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env_remove("PHOIHOP_DATABASE_URL")
        .stdout(Stdio::from(log.try_clone().expect("log")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("serve");
    let logged = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let started = std::time::Instant::now();
    while !logged().contains("search index built") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no index built: {}",
            logged()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let text = logged();
    assert!(
        text.contains("index generation written"),
        "the child process wrote it: {text}"
    );
    let output = phoihop()
        .args(["token", "create", "chuyenvien", "--data"])
        .arg(&data)
        .env_remove("PHOIHOP_DATABASE_URL")
        .output()
        .expect("token");
    let token = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("ph_"))
        .expect("a token")
        .to_owned();
    let mut client = Client::new(&format!("http://127.0.0.1:{port}"));
    let found = client.get_with(
        "/api/v1/search?q=ngo%20doc",
        &[("Authorization", &format!("Bearer {token}"))],
    );
    server.kill().ok();
    server.wait().ok();
    assert_eq!(found.status, 200, "{}", found.body);
    let found: serde_json::Value = serde_json::from_str(&found.body).expect("json");
    assert!(
        found["results"].as_array().is_some_and(|r| !r.is_empty()),
        "the demo's cases are found: {found}"
    );
}
