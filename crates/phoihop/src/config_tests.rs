//! The configuration's layers and checks.

use super::*;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn layers_apply_in_order_defaults_file_env_flags() {
    let dir = std::env::temp_dir().join(format!("phoihop-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    let file = dir.join("phoihop.toml");
    std::fs::write(
        &file,
        "session_idle_secs = 100\nlisten = \"127.0.0.1:9000\"\n",
    )
    .ok();
    let config = Config::load(
        Some(&file),
        &env(&[("PHOIHOP_SESSION_IDLE_SECS", "200")]),
        Layer {
            demo: Some(true),
            ..Layer::default()
        },
    )
    .expect("valid");
    assert_eq!(config.session_idle_secs, 200, "environment beats the file");
    assert_eq!(config.listen.port(), 9000, "the file beats the default");
    assert!(config.demo, "flags are applied");
    assert_eq!(config.sqlite_synchronous, "FULL", "default kept");
}

#[test]
fn malformed_file_and_env_give_clear_errors() {
    let dir = std::env::temp_dir().join(format!("phoihop-config-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    let file = dir.join("bad.toml");
    std::fs::write(&file, "session_idle_secs = \"abc\"\nnot toml at all [").ok();
    let err = Config::load(Some(&file), &env(&[]), Layer::default()).expect_err("bad file");
    assert!(err.to_string().contains("bad.toml"), "{err}");
    let err = Config::load(
        None,
        &env(&[("PHOIHOP_SESSION_IDLE_SECS", "soon")]),
        Layer::default(),
    )
    .expect_err("bad env");
    assert!(
        err.to_string().contains("PHOIHOP_SESSION_IDLE_SECS"),
        "{err}"
    );
}

#[test]
fn a_retention_of_zero_or_less_is_refused_with_its_name() {
    for value in ["0", "-1"] {
        let err = Config::load(
            None,
            &env(&[("PHOIHOP_RETENTION_OUTBOX_DAYS", value)]),
            Layer::default(),
        )
        .expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("retention_outbox_days"), "{text}");
        assert!(text.contains(value), "{text}");
    }
    let err = Config::load(
        None,
        &env(&[("PHOIHOP_RETENTION_SESSIONS_DAYS", "a week")]),
        Layer::default(),
    )
    .expect_err("refused");
    assert!(err.to_string().contains("PHOIHOP_RETENTION_SESSIONS_DAYS"));
}

#[test]
fn unknown_phoihop_variables_are_reported() {
    let vars = env(&[
        ("PHOIHOP_SESION_IDLE_SECS", "5"),
        ("PHOIHOP_LISTEN", "x"),
        ("HOME", "/"),
    ]);
    assert_eq!(
        unknown_env_vars(&vars),
        vec!["PHOIHOP_SESION_IDLE_SECS".to_string()]
    );
}

#[test]
fn database_password_is_redacted_when_printed() {
    let config = Config {
        database_url: Some("postgres://app:s3cret@db.local/phoihop".into()),
        ..Config::default()
    };
    let printed = format!("{config:?}");
    assert!(!printed.contains("s3cret"), "{printed}");
    assert!(printed.contains("app:***@db.local"), "{printed}");
}
