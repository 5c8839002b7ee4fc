//! `nok data-key` through the built binary on the demo database: a generated key file is never
//! overwritten; the demo's e-mail addresses move from the server secret's key to a key file and back; a
//! wrong key is refused with nothing changed; `nok demo --data-key-file` seals under the file's key.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_nok");

fn nok(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env_remove("NOK_DATA_KEY_FILE")
        .env("NOK_DATABASE_URL", format!("sqlite://{}", db.display()))
        .args(args)
        .output()
        .expect("run nok")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn demo(db: &Path, extra: &[&str]) {
    let mut args =
        vec!["demo", "--no-serve", "--organizations", "40", "--responses", "100", "--file", db.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = nok(db, &args);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn the_demo_data_moves_to_a_key_file_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let (db, key, other) = (dir.path().join("demo.db"), dir.path().join("data.key"), dir.path().join("other.key"));
    demo(&db, &[]);
    for file in [&key, &other] {
        let out = nok(&db, &["data-key", "generate", file.to_str().unwrap()]);
        assert!(out.status.success() && text(&out).contains("Записан новый ключ"), "{}", text(&out));
    }
    let before = std::fs::read_to_string(&key).unwrap();
    let again = nok(&db, &["data-key", "generate", key.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing key file is not overwritten");
    assert!(text(&again).contains("уже существует"), "{}", text(&again));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), before);
    let missing = dir.path().join("missing.key");
    let out = nok(&db, &["data-key", "rekey", "--to", missing.to_str().unwrap()]);
    assert!(!out.status.success() && text(&out).contains("не найден"), "{}", text(&out));
    let bad = dir.path().join("bad.key");
    std::fs::write(&bad, "abc").unwrap();
    let out = nok(&db, &["data-key", "rekey", "--to", bad.to_str().unwrap()]);
    assert!(!out.status.success() && text(&out).contains("64 шестнадцатеричные цифры"), "{}", text(&out));

    let out = nok(&db, &["data-key", "rekey", "--from", other.to_str().unwrap(), "--to", key.to_str().unwrap()]);
    assert!(!out.status.success() && text(&out).contains("does not open"), "{}", text(&out));

    let out = nok(&db, &["data-key", "rekey", "--to", key.to_str().unwrap()]);
    let moved = text(&out);
    assert!(out.status.success() && moved.contains("Перешифровано значений:"), "{moved}");
    assert!(!moved.contains("значений: 0."), "the demo has appeals: {moved}");

    let out = nok(&db, &["data-key", "rekey", "--to-server-secret"]);
    assert!(!out.status.success(), "the server secret no longer opens the data: {}", text(&out));
    let out = Command::new(BIN)
        .env("NOK_DATA_KEY_FILE", &key)
        .env("NOK_DATABASE_URL", format!("sqlite://{}", db.display()))
        .args(["data-key", "rekey", "--to-server-secret"])
        .output()
        .unwrap();
    assert!(out.status.success() && text(&out).contains("ключ из секрета сервера"), "{}", text(&out));
}

#[test]
fn the_demo_seals_under_its_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, key) = (dir.path().join("demo.db"), dir.path().join("data.key"));
    assert!(nok(&db, &["data-key", "generate", key.to_str().unwrap()]).status.success());
    demo(&db, &["--data-key-file", key.to_str().unwrap()]);
    let out = nok(&db, &["data-key", "rekey", "--to-server-secret"]);
    let said = text(&out);
    assert!(!out.status.success() && said.contains("Ключ персональных данных не подходит"), "{said}");
    assert_eq!(said.matches("does not open").count(), 1, "the cause once: {said}");

    // A server without the key file refuses to start (instead of serving and sealing under another key).
    let mut serve = Command::new(BIN)
        .env_remove("NOK_DATA_KEY_FILE")
        .env("NOK_DATABASE_URL", format!("sqlite://{}", db.display()))
        .args(["serve", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = serve.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            serve.kill().unwrap();
            panic!("nok serve started with the wrong data key");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut serve.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success() && stderr.contains("Ключ персональных данных не подходит"), "{stderr}");
    let out = nok(&db, &["data-key", "rekey", "--from", key.to_str().unwrap(), "--to-server-secret"]);
    assert!(out.status.success(), "{}", text(&out));
}
