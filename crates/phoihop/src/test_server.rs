//! A server for the library's own HTTP tests (`sample_kind_tests.rs`): integration tests in
//! `tests/it` cannot see a kind declared only for the library's tests, so this is a
//! small copy of their harness: the demo province on a random port over a fresh SQLite
//! folder, or a fresh PostgreSQL database when `PHOIHOP_TEST_DATABASE_URL` is set, and
//! a client for its API (with a token) and its pages (signed in).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::config::{Config, Layer};
use crate::db::Db;

pub struct Server {
    base: String,
    pub db: Db,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Server {
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let pg = std::env::var("PHOIHOP_TEST_DATABASE_URL")
            .ok()
            .map(|admin| {
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let name = format!("phoihop_u{}_{n}", std::process::id());
                let mut client =
                    postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
                client
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create database");
                (admin, name)
            });
        let url = pg.as_ref().map(|(admin, name)| {
            let (base, query) = admin
                .split_once('?')
                .map_or((admin.as_str(), None), |(b, q)| (b, Some(q)));
            let base = &base[..base.rfind('/').expect("a database in the URL")];
            match query {
                Some(q) => format!("{base}/{name}?{q}"),
                None => format!("{base}/{name}"),
            }
        });
        let config = Config::load(
            None,
            &BTreeMap::new(),
            Layer {
                data_dir: Some(dir.path().join("data")),
                database_url: url,
                listen: Some("127.0.0.1:0".parse().expect("address")),
                demo: Some(true),
                sqlite_synchronous: Some("NORMAL".into()),
                ..Layer::default()
            },
        )
        .expect("config");
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server_config = config.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let (app, listener) = crate::start(server_config).await.expect("starts");
                ready_tx.send(listener.local_addr().expect("address")).ok();
                crate::web::serve_until(app, listener, async {
                    stopped.await.ok();
                })
                .await
                .ok();
            });
        });
        let address = ready_rx.recv().expect("server ready");
        Server {
            base: format!("http://{address}"),
            db: crate::open_db(&config).expect("database"),
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
            pg,
        }
    }

    pub fn scalar(&self, sql: &str) -> i64 {
        self.db
            .read_blocking(|c| c.scalar::<i64>(sql, &[]))
            .expect("a number")
    }

    pub fn execute(&self, sql: &str) {
        self.db
            .write_blocking(|c| c.execute(sql, &[]))
            .expect("update");
    }

    pub fn api(&self, username: &str) -> Http {
        let person = self
            .db
            .read_blocking(|c| crate::org::people::get_by_username(c, username))
            .expect("read")
            .expect("account");
        let token = self
            .db
            .write_blocking(|c| crate::auth::token::create(c, person.id, "test"))
            .expect("token");
        Http::new(&self.base, Some(token))
    }

    pub fn signed_in(&self, username: &str) -> Http {
        let mut http = Http::new(&self.base, None);
        let (status, _) = http.form("/login", &[("username", username), ("password", "demo")]);
        assert_eq!(status, 303, "signs in");
        http
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
        if let Some((admin, name)) = &self.pg
            && let Ok(mut client) = postgres::Client::connect(admin, postgres::NoTls)
        {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

pub struct Http {
    base: String,
    agent: ureq::Agent,
    token: Option<String>,
    cookies: BTreeMap<String, String>,
}

impl Http {
    fn new(base: &str, token: Option<String>) -> Http {
        Http {
            base: base.into(),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(Duration::from_secs(30)))
                .build()
                .into(),
            token,
            cookies: BTreeMap::new(),
        }
    }

    fn read(&mut self, mut response: ureq::http::Response<ureq::Body>) -> (u16, String) {
        for cookie in response.headers().get_all("set-cookie") {
            let pair = cookie
                .to_str()
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(50 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default();
        (status, body)
    }

    fn cookie(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    pub fn get(&mut self, path: &str) -> (u16, String) {
        let mut request = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", &self.cookie());
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let response = request.call().expect("GET");
        self.read(response)
    }

    pub fn post(&mut self, path: &str, body: &Value) -> (u16, Value) {
        let token = self.token.clone().unwrap_or_default();
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
            .expect("POST");
        let (status, text) = self.read(response);
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub fn read_case(&mut self, number: &str) -> Value {
        let (status, body) = self.get(&format!("/api/v1/cases/{number}"));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("JSON")
    }

    pub fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", &self.cookie())
            .send_form(fields.iter().copied())
            .expect("POST");
        self.read(response)
    }

    /// The anti-forgery token of the signed-in session, as every page carries it.
    pub fn csrf(&mut self) -> String {
        let (_, page) = self.get("/");
        let start = page.find("data-csrf=\"").expect("a signed-in page") + 11;
        page[start..start + page[start..].find('"').expect("end")].to_owned()
    }
}
