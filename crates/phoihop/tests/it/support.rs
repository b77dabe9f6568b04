//! The test harness: `spawn_app()` starts the real application in-process on a fresh
//! database (SQLite in a temporary folder, or a new PostgreSQL database when
//! PHOIHOP_TEST_DATABASE_URL is set) on a random port, and returns a client for it.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use phoihop::config::{Config, Layer};

pub struct TestApp {
    pub base: String,
    pub config: Config,
    pub dir: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _tmp: Option<tempfile::TempDir>,
    pg: Option<PgDatabase>,
}

/// A database made for one test on the PostgreSQL server, dropped after it.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create() -> Option<PgDatabase> {
        let admin_url = std::env::var("PHOIHOP_TEST_DATABASE_URL").ok()?;
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "phoihop_t{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut client = postgres::Client::connect(&admin_url, postgres::NoTls)
            .expect("connect to the test server");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let url = replace_db(&admin_url, &name);
        Some(PgDatabase {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The URL with its database name replaced.
fn replace_db(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |j| j + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Options for a test server.
pub struct Setup {
    pub demo: bool,
    pub idle_secs: u64,
    pub max_failures: i64,
    /// Reuse this data folder (and database) instead of a fresh one.
    pub reuse: Option<(PathBuf, Option<String>)>,
    /// Join this database with a data folder of its own, as a second node does.
    pub join: Option<String>,
    /// How often background jobs run.
    pub jobs_interval_secs: u64,
    /// An SMTP relay (`host:port`) to mail notifications through.
    pub smtp: Option<String>,
    /// Largest attachment accepted, when not the default.
    pub attachment_max_bytes: Option<u64>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            demo: true,
            idle_secs: 900,
            max_failures: 5,
            reuse: None,
            join: None,
            jobs_interval_secs: 60,
            smtp: None,
            attachment_max_bytes: None,
        }
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(Setup::default())
}

pub fn spawn_app_with(setup: Setup) -> TestApp {
    // Server logs go to the test's output, shown when it fails.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_max_level(tracing::Level::WARN)
        .try_init();
    // A second server on the same data keeps its own search index, as nodes do.
    static NODES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut search_dir = None;
    let (tmp, dir, pg, url) = match setup.reuse {
        Some((dir, url)) => {
            let n = NODES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            search_dir = Some(dir.join(format!("search-node-{n}")));
            (None, dir, None, url)
        }
        None if setup.join.is_some() => {
            let tmp = tempfile::tempdir().expect("temp dir");
            let dir = tmp.path().join("data");
            (Some(tmp), dir, None, setup.join.clone())
        }
        None => {
            let tmp = tempfile::tempdir().expect("temp dir");
            let dir = tmp.path().join("data");
            let pg = PgDatabase::create();
            let url = pg.as_ref().map(|p| p.url.clone());
            (Some(tmp), dir, pg, url)
        }
    };
    let config = Config::load(
        None,
        &BTreeMap::new(),
        Layer {
            data_dir: Some(dir.clone()),
            database_url: url,
            listen: Some("127.0.0.1:0".parse().expect("addr")),
            session_idle_secs: Some(setup.idle_secs),
            demo: Some(setup.demo),
            login_max_failures: Some(setup.max_failures),
            jobs_interval_secs: Some(setup.jobs_interval_secs),
            smtp_server: setup.smtp.clone(),
            attachment_max_bytes: setup.attachment_max_bytes,
            search_dir,
            // Tests need no power-cut safety; keep the disk quiet.
            sqlite_synchronous: Some("NORMAL".into()),
            ..Layer::default()
        },
    )
    .expect("config");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server_config = config.clone();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            match phoihop::start(server_config).await {
                Ok((app, listener)) => {
                    let addr = listener.local_addr().expect("addr");
                    ready_tx.send(Ok(addr)).ok();
                    phoihop::web::serve_until(app, listener, async {
                        stop_rx.await.ok();
                    })
                    .await
                    .ok();
                }
                Err(e) => {
                    ready_tx.send(Err(format!("{e:#}"))).ok();
                }
            }
        });
    });
    let addr = ready_rx
        .recv()
        .expect("server thread")
        .expect("server starts");
    TestApp {
        base: format!("http://{addr}"),
        config,
        dir,
        stop: Some(stop_tx),
        thread: Some(thread),
        _tmp: tmp,
        pg,
    }
}

impl TestApp {
    /// Stops the server and hands back its data folder, temporary dir and database so
    /// that another server can be started on them.
    pub fn stop(
        mut self,
    ) -> (
        PathBuf,
        Option<String>,
        Option<tempfile::TempDir>,
        Option<PgDatabase>,
    ) {
        self.shutdown();
        let url = self.config.database_url.clone();
        (self.dir.clone(), url, self._tmp.take(), self.pg.take())
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as `username` with the demo password.
    pub fn signed_in(&self, username: &str) -> Client {
        let mut client = self.client();
        let response = client.post_form("/login", &[("username", username), ("password", "demo")]);
        assert_eq!(
            response.status, 303,
            "sign-in as {username} failed: {}",
            response.body
        );
        client
    }

    /// Opens the database directly, as the server sees it.
    pub fn db(&self) -> phoihop::db::Db {
        phoihop::open_db(&self.config).expect("open the test database")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of `data-csrf` on the page (the session's anti-forgery token).
    pub fn csrf(&self) -> String {
        attribute(&self.body, "data-csrf=\"").expect("page has a CSRF token")
    }
}

fn attribute(body: &str, marker: &str) -> Option<String> {
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

/// A cookie-keeping HTTP client that does not follow redirects.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Client {
            base: base.to_owned(),
            agent,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &Response) {
        for cookie in response.set_cookies() {
            let pair = cookie.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
    }

    fn read(mut response: ureq::http::Response<ureq::Body>) -> Response {
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(50 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Response {
            status,
            headers,
            body,
        }
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.get_with(path, &[])
    }

    pub fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header());
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.call().expect("GET");
        let response = Self::read(response);
        self.keep(&response);
        response
    }

    /// The body of a GET as bytes (downloads).
    pub fn get_bytes(&mut self, path: &str) -> Vec<u8> {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .call()
            .expect("GET");
        response
            .body_mut()
            .with_config()
            .limit(100 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default()
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_form_with(path, fields, &[])
    }

    pub fn post_form_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header());
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send_form(fields.iter().copied()).expect("POST");
        let response = Self::read(response);
        self.keep(&response);
        response
    }

    /// Posts a form with the session's anti-forgery token added, as the page would.
    pub fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.get("/").csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_form(path, &all)
    }

    pub fn post_raw(
        &mut self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .header("Content-Type", content_type);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = Self::read(request.send(body).expect("POST"));
        self.keep(&response);
        response
    }

    /// Uploads one file field plus the anti-forgery token as multipart/form-data.
    pub fn upload(&mut self, path: &str, field: &str, filename: &str, bytes: &[u8]) -> Response {
        let token = self.get("/").csrf();
        let boundary = "----phoihop-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.post_raw(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            &body,
            &[],
        )
    }
}

/// Polls `condition` until it holds, failing the test after `limit`. For things that
/// happen with the passing of time (an idle timeout), not for readiness of our own
/// making.
pub fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < limit,
            "condition not met within {limit:?}"
        );
        std::thread::park_timeout(Duration::from_millis(50));
    }
}

/// The id in a redirect to `/prefix/{id}…`.
pub fn id_from_location(response: &Response, prefix: &str) -> i64 {
    let location = response.header("location").expect("a redirect");
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '/']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

pub fn assert_contains(body: &str, needle: &str) {
    let shown: String = body.chars().take(4000).collect();
    assert!(
        body.contains(needle),
        "expected to find {needle:?} in:\n{shown}"
    );
}

/// The first id in a link `{prefix}{id}` on a page (skipping `/people/new` and the like).
pub fn first_id(body: &str, prefix: &str) -> i64 {
    body.match_indices(prefix)
        .filter_map(|(i, _)| {
            let rest = &body[i + prefix.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .next()
        .unwrap_or_else(|| panic!("no link {prefix}<id> on the page"))
}

/// A mail as a test SMTP server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: String,
    pub data: String,
}

/// A small SMTP server on a random local port that accepts every message and keeps it,
/// so tests send real mail over a real socket.
pub struct SmtpSink {
    pub address: String,
    pub received: std::sync::Arc<std::sync::Mutex<Vec<ReceivedMail>>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("addr").to_string();
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                let mut to = String::new();
                let _ = writer.write_all(b"220 sink ESMTP\r\n");
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 OK\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to = line[8..].trim().trim_matches(['<', '>']).to_owned();
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = writer.write_all(b"354 go ahead\r\n");
                        let mut data = String::new();
                        loop {
                            let mut l = String::new();
                            if reader.read_line(&mut l).unwrap_or(0) == 0 || l == ".\r\n" {
                                break;
                            }
                            data.push_str(&l);
                        }
                        if let Ok(mut list) = store.lock() {
                            list.push(ReceivedMail {
                                to: to.clone(),
                                data,
                            });
                        }
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = writer.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = writer.write_all(reply);
                }
            }
        });
        SmtpSink { address, received }
    }

    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.received.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// A bearer token for a demo account, made the way `phoihop token create` makes it.
pub fn token(app: &TestApp, username: &str) -> String {
    let db = app.db();
    let person = db
        .read_blocking(|c| phoihop::org::people::get_by_username(c, username))
        .expect("read")
        .expect("account");
    db.write_blocking(|c| phoihop::auth::token::create(c, person.id, "test"))
        .expect("token")
}

/// Uploads a file to a case through the API with a bearer token.
pub fn api_upload(
    client: &mut Client,
    token: &str,
    number: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, serde_json::Value) {
    let boundary = "----phoihop-api-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = client.post_raw(
        &format!("/api/v1/cases/{number}/attachments"),
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
        &[("Authorization", &format!("Bearer {token}"))],
    );
    (
        response.status,
        serde_json::from_str(&response.body).unwrap_or(serde_json::Value::Null),
    )
}

/// A caller of the JSON API with a bearer token.
pub struct Api<'a> {
    pub client: Client,
    pub token: String,
    _app: &'a TestApp,
}

impl<'a> Api<'a> {
    pub fn new(app: &'a TestApp, username: &str) -> Api<'a> {
        Api {
            client: app.client(),
            token: token(app, username),
            _app: app,
        }
    }

    pub fn get(&mut self, path: &str) -> (u16, Value) {
        let response = self.client.get_with(
            path,
            &[("Authorization", &format!("Bearer {}", self.token))],
        );
        (
            response.status,
            serde_json::from_str(&response.body).unwrap_or(Value::Null),
        )
    }

    pub fn post(&mut self, path: &str, body: &Value) -> (u16, Value) {
        let auth = format!("Bearer {}", self.token);
        let response = self.client.post_raw(
            path,
            "application/json",
            body.to_string().as_bytes(),
            &[("Authorization", &auth)],
        );
        (
            response.status,
            serde_json::from_str(&response.body).unwrap_or(Value::Null),
        )
    }

    pub fn act(&mut self, number: &str, body: Value) -> (u16, Value) {
        self.post(&format!("/api/v1/cases/{number}/actions"), &body)
    }

    pub fn version(&mut self, number: &str) -> i64 {
        self.get(&format!("/api/v1/cases/{number}")).1["version"]
            .as_i64()
            .expect("version")
    }
}

/// Makes the backup in `dir` look as a version before migration `migration` (a prefix,
/// `"0011"`) wrote it: without `table`, which that migration added, in its manifest or
/// its files.
pub fn backup_as_before(dir: &std::path::Path, table: &str, migration: &str) {
    let manifest_path = dir.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("manifest")).expect("json");
    manifest["tables"]
        .as_array_mut()
        .expect("tables")
        .retain(|t| t["name"] != table);
    manifest["migrations"]
        .as_array_mut()
        .expect("migrations")
        .retain(|m| !m.as_str().unwrap_or("").starts_with(migration));
    std::fs::write(&manifest_path, manifest.to_string()).expect("write manifest");
    std::fs::remove_file(dir.join(format!("tables/{table}.jsonl"))).expect("remove");
}
